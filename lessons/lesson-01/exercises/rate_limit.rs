//! # Exercise 3: a rate limit
//! Book: lesson-01, "Exercise 3: a rate limit"
//!
//! The lesson's server limits how big a message may be and how many clients
//! may connect, but not how fast one client may send: a flood of small
//! messages costs a log line and a reply each. Serve one client as the echo
//! server does, and close the connection of one that sends too fast:
//!
//! - Answer each data message (text or binary) with `server received: MSG`.
//!   `lesson_01::protocol::text_of` gives its text, as the lesson does.
//!   Pings and pongs are not counted (tokio-tungstenite answers pings).
//! - At most `max` data messages per window. A window opens with a message
//!   that arrives when none is open, that message included, and lasts
//!   `window`; the next message after it opens a new one. Each client has
//!   its own.
//! - The message that goes over `max` in a window is not answered: close
//!   the connection with code 1008 (policy violation) and the reason `rate
//!   limit`. Then keep reading until the client has answered your close
//!   frame and the stream ends, and return `Ok(())`.
//! - The close codes, from RFC 6455 §7.4.1: 1000 is a normal end, 1001 an
//!   endpoint going away, 1008 a message against the server's policy, 1009
//!   a message too big, 1011 a server error. A close frame without a code
//!   tells the client nothing.
//! - When the client closes first, keep reading until the stream ends and
//!   return `Ok(())`.
//!
//! The checks run the server around this function, as the lesson's
//! `src/asynchronous.rs` does: the accept loop and the handshake, then
//! `serve_client` in a task of its own for each client.
//!
//! Check it with `cargo exercises lesson-01`. Stuck? `cargo exercises hint
//! lesson-01 rate_limit` gives a first hint, `--more` a precise one.

use std::time::Duration;

use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tungstenite::Error;

/// Echoes the client's messages, and closes with 1008 when it sends more
/// than `max` in a `window`.
pub async fn serve_client(
    ws: WebSocketStream<TcpStream>,
    max: u32,
    window: Duration,
) -> Result<(), Error> {
    todo!("exercise 3: count the messages of each window, close with 1008 over the limit")
}
