//! A terminal client of the hand-built chat, so you need no other tool.
//!
//! It is lesson-01's client ([`lesson_01::client`]) with envelopes: each
//! line you type goes out as a `chat message`, and each `chat message` the
//! room sends is printed as its text. Anything else the server sends is
//! printed as it came.

use std::io;
use std::net::SocketAddr;

use lesson_support::{Lang, Log};
use tokio::io::AsyncBufRead;

use super::envelope::{self, Event};

// ANCHOR: run
/// Connects to `server`, sends every line of `input` as a chat message,
/// prints every chat message of the room, then closes and prints the code
/// the server closed with.
pub async fn run(
    server: SocketAddr,
    input: impl AsyncBufRead + Unpin,
    lang: Lang,
    log: Log,
) -> io::Result<()> {
    lesson_01::client::run_with(server, input, lang, log, envelope::chat_message, show).await
}

/// What a text message from the server shows: a chat message's text.
fn show(text: &str) -> String {
    match envelope::parse(text) {
        Ok(Event::Chat(message)) => message,
        _ => text.to_owned(),
    }
}
// ANCHOR_END: run
