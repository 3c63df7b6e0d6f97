//! A WebSocket client for the server, so you need no other tool.
//!
//! It opens a TCP connection, does the HTTP Upgrade handshake over it, sends
//! each line you type as a text message and prints every message that comes
//! back. When you press Ctrl-D it starts the close handshake (code 1000),
//! keeps reading until the server's own close frame arrives, and prints the
//! code the server closed with. If the server closes first (idle timeout,
//! Ctrl-C), the client prints its code and ends without waiting for you.

use std::io;
use std::net::SocketAddr;

use futures_util::{SinkExt, StreamExt};
use lesson_support::{Lang, Log};
use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::net::TcpStream;
use tungstenite::Message;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;

use crate::messages;

// ANCHOR: run
/// Connects to `server`, sends every line of `input` as a text message,
/// logs every message the server sends, then closes and logs the code the
/// server closed with.
pub async fn run(
    server: SocketAddr,
    input: impl AsyncBufRead + Unpin,
    lang: Lang,
    log: Log,
) -> io::Result<()> {
    run_with(server, input, lang, log, str::to_owned, str::to_owned).await
}

/// [`run`], sending `wrap(line)` for each line and printing `show(text)`
/// for each text message: lesson-02's chat client puts lines in envelopes
/// and takes them out.
pub async fn run_with(
    server: SocketAddr,
    input: impl AsyncBufRead + Unpin,
    lang: Lang,
    log: Log,
    wrap: fn(&str) -> String,
    show: fn(&str) -> String,
) -> io::Result<()> {
    let url = format!("ws://{server}/");
    let stream = TcpStream::connect(server).await?;
    let (ws, _response) =
        tokio_tungstenite::client_async(url.as_str(), stream).await.map_err(io::Error::other)?;
    log.line(messages::connected(lang, &url));

    // Two halves: one task prints what comes while this one sends.
    let (mut to_server, from_server) = ws.split();
    let mut printer = tokio::spawn(print_messages(from_server, lang, log.clone(), show));

    let mut lines = input.lines();
    loop {
        tokio::select! {
            line = lines.next_line() => match line? {
                Some(line) => to_server.send(Message::text(wrap(&line))).await.map_err(io::Error::other)?,
                None => break,
            },
            // The server closed first (idle, stopping): nothing more to send.
            printed = &mut printer => return printed?,
        }
    }
    let goodbye = CloseFrame { code: CloseCode::Normal, reason: "".into() };
    to_server.send(Message::Close(Some(goodbye))).await.map_err(io::Error::other)?;
    // The replies still on their way come before the server's close frame.
    printer.await?
}
// ANCHOR_END: run

/// Logs each message the server sends, then the close frame it ends with.
async fn print_messages(
    mut from_server: impl futures_util::Stream<Item = tungstenite::Result<Message>> + Unpin,
    lang: Lang,
    log: Log,
    show: fn(&str) -> String,
) -> io::Result<()> {
    while let Some(message) = from_server.next().await {
        match message.map_err(io::Error::other)? {
            Message::Close(frame) => {
                log.line(messages::server_closed(lang, frame.as_ref()));
                // After the close frame, only the end of the stream is left.
            }
            Message::Text(text) => log.line(show(text.as_str())),
            Message::Binary(bytes) => log.line(String::from_utf8_lossy(&bytes)),
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
        }
    }
    Ok(())
}
