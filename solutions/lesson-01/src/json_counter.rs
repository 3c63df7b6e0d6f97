//! Exercise 1: a JSON protocol with a counter — solution.

use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tungstenite::{Error, Message};

/// What a client sends. Unknown fields are ignored (serde's default).
#[derive(Deserialize)]
struct Said {
    text: String,
}

/// The answer to each message.
#[derive(Serialize)]
#[serde(untagged)]
enum Reply {
    Echo { n: u64, echo: String },
    Error { error: String },
}

/// Answers one client's JSON messages until it closes.
pub async fn serve_client(mut ws: WebSocketStream<TcpStream>) -> Result<(), Error> {
    // Local to this call, so local to this connection.
    let mut echoes = 0;
    // `None` once the close handshake is done: tungstenite has answered
    // the client's close frame by then.
    while let Some(message) = ws.next().await {
        let reply = match message? {
            Message::Text(text) => match serde_json::from_str::<Said>(text.as_str()) {
                Ok(said) => {
                    echoes += 1;
                    Reply::Echo { n: echoes, echo: said.text }
                }
                Err(error) => Reply::Error { error: error.to_string() },
            },
            Message::Binary(_) => Reply::Error { error: "binary: send JSON as text".into() },
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) | Message::Frame(_) => continue,
        };
        let json = serde_json::to_string(&reply).expect("strings and numbers always serialise");
        ws.send(Message::text(json)).await?;
    }
    Ok(())
}
