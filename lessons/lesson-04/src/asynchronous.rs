//! The `dgram` server with tokio: the closest thing to the Node program.
//!
//! Node calls the `message` handler once per datagram; here a loop awaits
//! `recv_from` and handles each datagram in turn. There is no task per
//! client because there are no clients in the TCP sense: only datagrams,
//! each carrying its sender's address.
//!
//! What the Node program leaves out, and this file adds:
//! - errors are logged, never fatal: a failed `send_to` (for example to an
//!   address the machine cannot route to) does not stop the server;
//! - a graceful stop: on Ctrl-C it stops receiving, says so, and returns.
//!   With no connections there is nobody to say goodbye to.

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use tokio::net::UdpSocket;

use crate::{Config, messages};

// ANCHOR: recv
/// Answers datagrams on `socket` until `shutdown` resolves.
pub async fn run(
    socket: UdpSocket,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let lang = config.lang;
    config.log.line(messages::listening(lang, socket.local_addr()?));
    tokio::pin!(shutdown);

    let mut buffer = vec![0; config.buffer];
    loop {
        let (n, from) = tokio::select! {
            // `biased`: look at `shutdown` first, so that a flood of
            // datagrams can never keep the server from stopping.
            biased;
            () = &mut shutdown => break,
            received = socket.recv_from(&mut buffer) => match received {
                Ok(received) => received,
                Err(error) => {
                    config.log.line(messages::receive_error(lang, &error));
                    continue;
                }
            },
        };
        // Like Node's `${msg}`: the bytes as UTF-8, invalid ones as U+FFFD.
        let message = String::from_utf8_lossy(&buffer[..n]);
        config.log.line(messages::received(lang, &message, from));
        reply(&socket, &config, from).await;
    }

    config.log.line(messages::shutting_down(lang));
    config.log.line(messages::stopped(lang));
    Ok(())
}

/// Sends the greeting to `to` (the socket2 mode too). A failed send is
/// logged, never fatal: the server goes on with the next datagram.
pub(crate) async fn reply(socket: &UdpSocket, config: &Config, to: SocketAddr) {
    let lang = config.lang;
    if let Err(error) = socket.send_to(messages::reply(lang).as_bytes(), to).await {
        config.log.line(messages::send_error(lang, to, &error));
    }
}
// ANCHOR_END: recv
