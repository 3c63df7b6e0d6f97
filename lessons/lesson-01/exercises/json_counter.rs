//! # Exercise 1: a JSON protocol with a counter
//! Book: lesson-01, "Exercise 1: a JSON protocol with a counter"
//!
//! The echo server answers text with text. Most protocols over WebSocket put
//! structure in their messages instead, as JSON. Serve one client with this
//! protocol:
//!
//! - The client sends text messages, each a JSON object with a string field
//!   `text`: `{"text": "hello"}`. Other fields are ignored.
//! - Answer each with a text message holding exactly `{"n": N, "echo":
//!   "hello"}`, with N a JSON number that counts the echoes on *this*
//!   connection: 1 for the first, then 2, and so on. Every client counts
//!   from 1, whatever the others do.
//! - Anything else (not JSON, JSON that is not such an object, a binary
//!   message) is answered with `{"error": "…"}`, a short reason of your
//!   choice, and is not counted. The connection stays open: one bad message
//!   must not end it (Node's `JSON.parse` would throw here).
//! - Pings and pongs: tokio-tungstenite answers pings itself; ignore both.
//! - When the client closes, keep reading until the stream ends (that is
//!   when the close handshake is complete), then return `Ok(())`.
//!
//! The checks run the server around this function, as the lesson's
//! `src/asynchronous.rs` does: the accept loop and the handshake, then
//! `serve_client` in a task of its own for each client. serde (with its
//! derive) and serde_json are there for you: build the reply with them, not
//! with `format!`.
//!
//! Check it with `cargo exercises lesson-01`. Stuck? `cargo exercises hint
//! lesson-01 json_counter` gives a first hint, `--more` a precise one.

use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tungstenite::Error;

/// Answers one client's JSON messages until it closes.
pub async fn serve_client(ws: WebSocketStream<TcpStream>) -> Result<(), Error> {
    todo!("exercise 1: parse each message, count, and answer in JSON")
}
