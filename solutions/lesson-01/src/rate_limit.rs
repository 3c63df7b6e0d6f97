//! Exercise 3: a rate limit — solution.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use lesson_01::protocol::text_of;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Error, Message};

/// Echoes the client's messages, and closes with 1008 when it sends more
/// than `max` in a `window`.
pub async fn serve_client(
    mut ws: WebSocketStream<TcpStream>,
    max: u32,
    window: Duration,
) -> Result<(), Error> {
    // The window open now: when it ends, and how many messages it holds.
    let mut open: Option<(Instant, u32)> = None;
    while let Some(message) = ws.next().await {
        let message = message?;
        let Some(text) = text_of(&message) else { continue };
        let now = Instant::now();
        let count = match &mut open {
            Some((ends, count)) if now < *ends => count,
            _ => &mut open.insert((now + window, 0)).1,
        };
        *count += 1;
        if *count > max {
            let frame = CloseFrame { code: CloseCode::Policy, reason: "rate limit".into() };
            ws.close(Some(frame)).await?;
            // Read on until the client's answer ends the stream; closing
            // the socket now could make it lose our close frame.
            while ws.next().await.transpose()?.is_some() {}
            return Ok(());
        }
        ws.send(Message::text(format!("server received: {text}"))).await?;
    }
    Ok(())
}
