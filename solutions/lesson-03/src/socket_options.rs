//! Exercise 2: socket options — solution.

use std::io;
use std::net::TcpStream;
use std::time::Duration;

use socket2::{SockRef, TcpKeepalive};

/// The options this exercise sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Send small writes at once (disables Nagle's algorithm).
    pub nodelay: bool,
    /// Probe an idle peer after this long; `None` turns keepalive off.
    pub keepalive_idle: Option<Duration>,
    /// The receive buffer size, in bytes.
    pub recv_buffer: usize,
}

/// Sets `options` on `stream`.
pub fn apply(stream: &TcpStream, options: &Options) -> io::Result<()> {
    let socket = SockRef::from(stream);
    socket.set_tcp_nodelay(options.nodelay)?;
    match options.keepalive_idle {
        Some(idle) => socket.set_tcp_keepalive(&TcpKeepalive::new().with_time(idle))?,
        None => socket.set_keepalive(false)?,
    }
    socket.set_recv_buffer_size(options.recv_buffer)
}

/// Reads the three options back from the kernel.
pub fn read_back(stream: &TcpStream) -> io::Result<Options> {
    let socket = SockRef::from(stream);
    let keepalive_idle = match socket.keepalive()? {
        true => Some(socket.tcp_keepalive_time()?),
        false => None,
    };
    Ok(Options {
        nodelay: socket.tcp_nodelay()?,
        keepalive_idle,
        recv_buffer: socket.recv_buffer_size()?,
    })
}
