//! The `net` server on a socket built by hand with socket2.
//!
//! `TcpListener::bind` does four system calls for you — `socket`, `setsockopt`
//! (`SO_REUSEADDR`), `bind`, `listen` — and picks the options. socket2 lets
//! you make each call yourself and set any option in between. This mode
//! does that, reads every option back from the kernel and prints it, then
//! serves clients exactly as the async mode does.
//!
//! What the kernel tells you back is not always what you asked: Linux
//! doubles a buffer size you set, keeping the extra half for its own
//! bookkeeping (`man 7 socket`, `SO_RCVBUF`).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use lesson_support::Log;
use socket2::{Domain, Protocol, SockRef, Socket, TcpKeepalive, Type};
use tokio::net::TcpStream;

use crate::{Config, asynchronous};

/// How many finished handshakes the kernel queues before `accept` takes
/// them. Node asks for 511; a burst beyond it is refused or retried.
pub const BACKLOG: i32 = 511;

/// The receive buffer we ask for; Linux will report twice as much.
pub const RECV_BUFFER: usize = 64 * 1024;

/// After this long without traffic, the kernel starts probing the peer.
pub const KEEPALIVE_IDLE: Duration = Duration::from_secs(60);
/// The time between two probes.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
/// Unanswered probes before the kernel gives up and resets the connection.
pub const KEEPALIVE_RETRIES: u32 = 5;

// ANCHOR: listener
/// Creates, configures, binds and listens, one system call at a time,
/// printing each option as the kernel reports it.
pub fn listener(addr: SocketAddr, log: &Log) -> io::Result<std::net::TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;

    // Restarting the server must not fail with "address in use" while the
    // previous run's connections linger in TIME_WAIT.
    socket.set_reuse_address(true)?;
    if addr.is_ipv6() {
        // On `::`, accept IPv4 clients too (as `::ffff:1.2.3.4`), as Node does.
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
/// Sets the options of one accepted connection and prints them read back.
pub fn tune(stream: &TcpStream, log: &Log) -> io::Result<()> {
    let socket = SockRef::from(stream);
    // Send small writes at once instead of waiting to batch them (Nagle).
    socket.set_tcp_nodelay(true)?;
    // Find out about peers that vanished without a FIN or a RST.
    let keepalive = TcpKeepalive::new()
        .with_time(KEEPALIVE_IDLE)
        .with_interval(KEEPALIVE_INTERVAL)
        .with_retries(KEEPALIVE_RETRIES);
    socket.set_tcp_keepalive(&keepalive)?;

    log.line(format!(
        "client socket: TCP_NODELAY = {}, SO_KEEPALIVE = {} (idle {:?}, every {:?}, {} probes)",
        socket.tcp_nodelay()?,
        socket.keepalive()?,
        socket.tcp_keepalive_time()?,
        socket.tcp_keepalive_interval()?,
        socket.tcp_keepalive_retries()?,
    ));
    Ok(())
}
// ANCHOR_END: tune

/// Serves on a listener from [`listener`], tuning every client's socket.
pub async fn run(
    listener: std::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let log = config.log.clone();
    asynchronous::run_with(listener, config, shutdown, |stream| {
        if let Err(error) = tune(stream, &log) {
            log.line(format!("could not set socket options: {error}"));
        }
    })
    .await
}
