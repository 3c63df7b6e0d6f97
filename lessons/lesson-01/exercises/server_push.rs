//! # Exercise 2: a push from the server
//! Book: lesson-01, "Exercise 2: a push from the server"
//!
//! Over HTTP the server speaks only when asked. Over a WebSocket it may
//! speak whenever it likes: prices, scores, a clock. Serve one client that
//! way, echoing what it says and pushing to it at the same time:
//!
//! - Every `period`, send the client a text message `tick N`, with N = 1,
//!   2, 3… counted on *this* connection, whether the client talks or not.
//! - Meanwhile answer each text message at once with `server received:
//!   MSG`, as the lesson's server does. Ignore the other kinds of message.
//! - A client that talks all the time still gets its ticks on time, and a
//!   silent one gets them too: waiting for one of the two must never hold
//!   up the other.
//! - When the client closes, stop ticking, keep reading until the stream
//!   ends (the close handshake is then complete), and return `Ok(())`.
//!
//! The checks run the server around this function, as the lesson's
//! `src/asynchronous.rs` does: the accept loop and the handshake, then
//! `serve_client` in a task of its own for each client.
//!
//! Check it with `cargo exercises lesson-01`. Stuck? `cargo exercises hint
//! lesson-01 server_push` gives a first hint, `--more` a precise one.

use std::time::Duration;

use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tungstenite::Error;

/// Echoes the client's messages and pushes a tick every `period`, until the
/// client closes.
pub async fn serve_client(ws: WebSocketStream<TcpStream>, period: Duration) -> Result<(), Error> {
    todo!("exercise 2: wait for the next tick and the next message at once")
}
