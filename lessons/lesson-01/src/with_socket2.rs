//! The `ws` server on a listener built by hand with socket2.
//!
//! `TcpListener::bind` makes four system calls for you — `socket`,
//! `setsockopt` (`SO_REUSEADDR`), `bind`, `listen` — and picks the options.
//! socket2 lets you make each call yourself and set any option in between.
//! This mode builds its listener exactly as lesson-03's socket2 mode does
//! (it calls that code), then serves exactly as the async mode does:
//! WebSocket is a protocol on top of TCP, and the socket underneath is an
//! ordinary TCP socket.

use std::future::Future;
use std::io;

use lesson_support::Log;
use socket2::SockRef;
use tokio::net::TcpStream;

use crate::{Config, asynchronous};

/// The listening socket is lesson-03's, built one system call at a time
/// with its options printed (`lessons/lesson-03/src/with_socket2.rs`): a
/// WebSocket server listens on an ordinary TCP socket. What is new here is
/// what WebSocket asks of each connection, in [`tune`].
pub use lesson_03::with_socket2::listener;

// ANCHOR: tune
/// Sends small frames at once on an accepted connection. A WebSocket reply
/// is one small write; with Nagle's algorithm on, a reply that follows an
/// unacknowledged one waits for that ACK (tens of milliseconds with delayed
/// ACKs on the other side). Node's `ws` turns Nagle off for the same reason.
pub fn tune(stream: &TcpStream) -> io::Result<bool> {
    let socket = SockRef::from(stream);
    socket.set_tcp_nodelay(true)?;
    socket.tcp_nodelay()
}
// ANCHOR_END: tune

/// Serves on a listener from [`listener`], tuning every client's socket;
/// the first client's options are printed, read back.
pub async fn run(
    listener: std::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let on_accept = tune_and_log(config.log.clone());
    asynchronous::run_with(listener, config, shutdown, on_accept).await
}

/// What to do with every accepted socket: [`tune`] it, and log the option
/// read back (lesson-02's chat does the same).
pub fn tune_and_log(log: Log) -> impl Fn(&TcpStream) {
    move |stream| match tune(stream) {
        Ok(nodelay) => log.line(format!("client socket: TCP_NODELAY = {nodelay}")),
        Err(error) => log.line(format!("could not set socket options: {error}")),
    }
}
