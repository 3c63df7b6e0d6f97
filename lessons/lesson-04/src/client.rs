//! A client for the server, so you need no other tool (`nc -u` would do too).
//!
//! Each line you type is sent as one datagram (without its newline: a
//! datagram has its own boundaries, it needs no separator). After each, the
//! client waits for a reply — but not forever: UDP does not retransmit, so a
//! lost datagram or a lost reply simply never comes. After [`REPLY_TIMEOUT`]
//! the client says so and goes on with the next line.
//!
//! The socket is *connected* to the server. For UDP that sends no packet:
//! it only fixes the destination, and makes the kernel drop datagrams from
//! anyone else — and report an ICMP "port unreachable" as an error on the
//! next receive, which an unconnected socket never sees. On loopback, that is
//! how the client can tell "nobody is listening" from "no reply yet".

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use lesson_support::{Lang, Log};
use tokio::io::{AsyncBufRead, AsyncBufReadExt};
use tokio::net::UdpSocket;

use crate::{DATAGRAM_BUFFER, messages};

/// How long the client waits for each reply before it gives up on it.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(2);

// ANCHOR: run
/// Sends every line of `input` to `server` as one datagram, logs each reply,
/// and says so when a reply does not come within `reply_timeout`.
pub async fn run(
    server: SocketAddr,
    input: impl AsyncBufRead + Unpin,
    lang: Lang,
    log: Log,
    reply_timeout: Duration,
) -> io::Result<()> {
    let any_port: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(any_port).await?;
    socket.connect(server).await?; // no packet: only a default destination
    log.line(messages::client_ready(lang, server));

    let mut buffer = vec![0; DATAGRAM_BUFFER];
    let mut lines = input.lines();
    while let Some(line) = lines.next_line().await? {
        socket.send(line.as_bytes()).await?;
        match tokio::time::timeout(reply_timeout, socket.recv(&mut buffer)).await {
            Ok(Ok(n)) => log.line(String::from_utf8_lossy(&buffer[..n])),
            Ok(Err(error)) if error.kind() == io::ErrorKind::ConnectionRefused => {
                log.line(messages::nobody_listens(lang, server));
            }
            Ok(Err(error)) => return Err(error),
            Err(_elapsed) => log.line(messages::no_reply(lang, reply_timeout)),
        }
    }
    Ok(())
}
// ANCHOR_END: run
