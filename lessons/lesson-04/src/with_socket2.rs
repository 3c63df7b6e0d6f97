//! The `dgram` server on a socket built by hand with socket2.
//!
//! `UdpSocket::bind` does two system calls for you — `socket` and `bind` —
//! and sets no options. socket2 lets you make each call yourself and set
//! options in between. This mode sets the buffer sizes and `SO_BROADCAST`,
//! reads each back from the kernel and prints it, then
//! answers datagrams as the async mode does — with one thing more: it can
//! tell when a datagram did not fit the buffer, which `recv_from` never says.
//!
//! What the kernel tells you back is not always what you asked: Linux
//! doubles a buffer size you set, keeping the extra half for its own
//! bookkeeping (`man 7 socket`, `SO_RCVBUF`).

use std::future::Future;
use std::io;
use std::mem::MaybeUninit;
use std::net::SocketAddr;

use lesson_support::Log;
use socket2::{Domain, MaybeUninitSlice, Protocol, RecvFlags, SockRef, Socket, Type};
use tokio::io::Interest;
use tokio::net::UdpSocket;

use crate::{Config, asynchronous, messages};

/// The kernel's receive queue we ask for: datagrams wait here until
/// `recv_from` takes them, and when it is full, new ones are dropped.
/// Linux will report twice as much.
pub const SOCKET_RECV_BUFFER: usize = 64 * 1024;

/// The kernel's send queue we ask for; Linux will report twice as much.
pub const SOCKET_SEND_BUFFER: usize = 64 * 1024;

// ANCHOR: socket
/// Creates, configures and binds, one system call at a time, printing each
/// option as the kernel reports it.
pub fn socket(addr: SocketAddr, log: &Log) -> io::Result<std::net::UdpSocket> {
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;

    // No `SO_REUSEADDR` here, unlike lesson-03's listener. For UDP it does
    // not skip TIME_WAIT (UDP has none): it lets every socket that sets it
    // bind the same port, and the latest one then receives the datagrams
    // meant for the first — another copy of this server, or another user's
    // program, would silently steal them. Without it, a second server gets
    // "port in use". (Multicast receivers set it on purpose, to share.)
    log.line(format!("SO_REUSEADDR = {} (left off: see the comment)", socket.reuse_address()?));
    // Allows sending to a broadcast address such as 255.255.255.255;
    // without it, such a `send_to` fails with "permission denied".
    socket.set_broadcast(true)?;
    if addr.is_ipv6() {
        // On `::`, receive IPv4 datagrams too (from `::ffff:1.2.3.4`).
        socket.set_only_v6(false)?;
    }
    socket.set_recv_buffer_size(SOCKET_RECV_BUFFER)?;
    socket.set_send_buffer_size(SOCKET_SEND_BUFFER)?;
    socket.bind(&addr.into())?;
    // tokio drives the socket with epoll: it must never block.
    socket.set_nonblocking(true)?;

    log.line(format!("SO_BROADCAST = {}", socket.broadcast()?));
    if addr.is_ipv6() {
        log.line(format!("IPV6_V6ONLY  = {}", socket.only_v6()?));
    }
    log.line(format!(
        "SO_RCVBUF    = {} (asked for {SOCKET_RECV_BUFFER}; Linux doubles it)",
        socket.recv_buffer_size()?
    ));
    log.line(format!(
        "SO_SNDBUF    = {} (asked for {SOCKET_SEND_BUFFER}; Linux doubles it)",
        socket.send_buffer_size()?
    ));
    log.line(format!("O_NONBLOCK   = {}", socket.nonblocking()?));
    Ok(socket.into())
}
// ANCHOR_END: socket

/// Answers datagrams on a socket from [`socket`] until `shutdown` resolves,
/// saying so when one was truncated.
pub async fn run(
    socket: std::net::UdpSocket,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let socket = UdpSocket::from_std(socket)?;
    let lang = config.lang;
    config.log.line(messages::listening(lang, socket.local_addr()?));
    tokio::pin!(shutdown);

    let mut buffer = vec![0; config.buffer];
    let mut scratch = vec![MaybeUninit::uninit(); config.buffer];
    loop {
        let received = tokio::select! {
            biased;
            () = &mut shutdown => break,
            received = recv_from_noting_truncation(&socket, &mut buffer, &mut scratch) => received,
        };
        let (n, from, flags) = match received {
            Ok(received) => received,
            Err(error) => {
                config.log.line(messages::receive_error(lang, &error));
                continue;
            }
        };
        let message = String::from_utf8_lossy(&buffer[..n]);
        config.log.line(messages::received(lang, &message, from));
        if flags.is_truncated() {
            config.log.line(messages::truncated(lang, config.buffer));
        }
        asynchronous::reply(&socket, &config, from).await;
    }

    config.log.line(messages::shutting_down(lang));
    config.log.line(messages::stopped(lang));
    Ok(())
}

// ANCHOR: truncation
/// Receives one datagram into `buffer`, like `recv_from`, and also returns
/// the kernel's flags for it: `MSG_TRUNC` says the datagram was longer than
/// the buffer.
///
/// `recvmsg` reports the flags, and socket2 calls it for us
/// (`recv_from_vectored`). But socket2 receives into `MaybeUninit<u8>`
/// buffers, and reading bytes out of those needs `unsafe`, which this
/// workspace forbids. So the bytes come from a *peek* (a copy that leaves
/// the datagram queued), and then `recvmsg` takes the datagram off the queue
/// into a scratch buffer of the same size, which we never read: we keep only
/// its flags. One socket, one reader: the datagram peeked is the one taken.
async fn recv_from_noting_truncation(
    socket: &UdpSocket,
    buffer: &mut [u8],
    scratch: &mut [MaybeUninit<u8>],
) -> io::Result<(usize, SocketAddr, RecvFlags)> {
    let (n, from) = socket.peek_from(buffer).await?;
    let (_, flags, _) = socket.try_io(Interest::READABLE, || {
        SockRef::from(socket).recv_from_vectored(&mut [MaybeUninitSlice::new(scratch)])
    })?;
    Ok((n, from, flags))
}
// ANCHOR_END: truncation
