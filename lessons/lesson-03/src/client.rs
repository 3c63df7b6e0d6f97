//! A client for the server, so you need no other tool (`nc` would do too).
//!
//! It prints what the server sends, sends each line you type, and when you
//! press Ctrl-D (end of input) it *half-closes* the connection: it shuts
//! down its sending side, which the server sees as `end`, and keeps reading
//! until the server closes its side too. Only then does it exit, so no
//! reply is lost.

use std::io;
use std::net::SocketAddr;

use lesson_support::{Lang, Log};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedReadHalf;

use crate::messages;

// ANCHOR: run
/// Connects to `server`, sends every line of `input`, logs every line the
/// server sends, and returns once the server has closed the connection.
pub async fn run(
    server: SocketAddr,
    input: impl AsyncBufRead + Unpin,
    lang: Lang,
    log: Log,
) -> io::Result<()> {
    let stream = TcpStream::connect(server).await?;
    log.line(messages::connected(lang, server));

    // Two halves: one task reads while this one writes.
    let (from_server, mut to_server) = stream.into_split();
    let printer = tokio::spawn(print_lines(from_server, log.clone()));

    let mut lines = input.lines();
    while let Some(line) = lines.next_line().await? {
        to_server.write_all(format!("{line}\n").as_bytes()).await?;
    }
    // Half-close: "I have nothing more to send". The server sees `end`.
    to_server.shutdown().await?;

    printer.await??;
    log.line(messages::server_closed(lang));
    Ok(())
}
// ANCHOR_END: run

/// Logs each line the server sends until it closes its side. A reply is
/// split into lines here only to print it; the server knows nothing of lines.
async fn print_lines(from_server: OwnedReadHalf, log: Log) -> io::Result<()> {
    let mut reader = BufReader::new(from_server);
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).await? > 0 {
        let text = String::from_utf8_lossy(&line);
        log.line(text.trim_end_matches(['\r', '\n']));
        line.clear();
    }
    Ok(())
}
