//! The `ws` server on a listener built by hand with socket2.
//!
//! `TcpListener::bind` makes four system calls for you — `socket`,
//! `setsockopt` (`SO_REUSEADDR`), `bind`, `listen` — and picks the options.
//! socket2 lets you make each call yourself and set any option in between.
//! This mode does that, reads each option back from the kernel and prints
//! it, then serves exactly as the async mode does: WebSocket is a protocol
//! on top of TCP, and the socket underneath is an ordinary TCP socket.
//!
//! What the kernel reports is not always what you asked: Linux doubles a
//! buffer size you set, keeping half for its own bookkeeping
//! (`man 7 socket`, `SO_RCVBUF`).

use std::future::Future;
use std::io;
use std::net::SocketAddr;

use lesson_support::Log;
use socket2::{Domain, Protocol, SockRef, Socket, Type};
use tokio::net::TcpStream;

use crate::{Config, asynchronous};

/// How many finished TCP handshakes the kernel queues before `accept`
/// takes them. Node asks for 511.
pub const BACKLOG: i32 = 511;

/// The receive buffer we ask for; Linux will report twice as much.
pub const RECV_BUFFER: usize = 64 * 1024;

// ANCHOR: listener
/// Creates, configures, binds and listens, one system call at a time,
/// printing each option as the kernel reports it.
pub fn listener(addr: SocketAddr, log: &Log) -> io::Result<std::net::TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // A restarted server must not fail with "address in use" while the
    // previous run's connections linger in TIME_WAIT.
    socket.set_reuse_address(true)?;
    if addr.is_ipv6() {
        // On `::`, accept IPv4 clients too, as Node does.
        socket.set_only_v6(false)?;
    }
    socket.set_recv_buffer_size(RECV_BUFFER)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    // tokio drives the socket with epoll: it must never block.
    socket.set_nonblocking(true)?;

    log.line(format!("SO_REUSEADDR = {}", socket.reuse_address()?));
    if addr.is_ipv6() {
        log.line(format!("IPV6_V6ONLY  = {}", socket.only_v6()?));
    }
    log.line(format!(
        "SO_RCVBUF    = {} (asked for {RECV_BUFFER}; Linux doubles it)",
        socket.recv_buffer_size()?
    ));
    log.line(format!("listen backlog = {BACKLOG} (the kernel caps it at net.core.somaxconn)"));
    log.line(format!("O_NONBLOCK   = {}", socket.nonblocking()?));
    Ok(socket.into())
}
// ANCHOR_END: listener

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
    let log = config.log.clone();
    asynchronous::run_with(listener, config, shutdown, |stream| match tune(stream) {
        Ok(nodelay) => log.line(format!("client socket: TCP_NODELAY = {nodelay}")),
        Err(error) => log.line(format!("could not set socket options: {error}")),
    })
    .await
}
