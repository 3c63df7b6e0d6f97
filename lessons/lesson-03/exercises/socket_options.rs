//! # Exercise 2: socket options
//! Book: lesson-03, "Exercise 2: socket options"
//!
//! `with_socket2.rs` sets options on a listening socket. Here you set them on
//! a connected one, and read them back from the kernel — which does not
//! always keep what you asked for.
//!
//! - `apply` sets on `stream`: `TCP_NODELAY` to `options.nodelay`; keepalive
//!   on with `options.keepalive_idle` as the idle time when it is `Some`,
//!   keepalive off when it is `None`; and the receive buffer (`SO_RCVBUF`) to
//!   `options.recv_buffer` bytes.
//! - `read_back` asks the kernel for the same three and returns what it says.
//!   On Linux the receive buffer comes back doubled.
//!
//! Use `socket2::SockRef::from(stream)` to reach the options of a std socket.
//!
//! Check it with `cargo exercises lesson-03`. Stuck? `cargo exercises hint
//! lesson-03 socket_options` gives a first hint, `--more` a precise one.

use std::io;
use std::net::TcpStream;
use std::time::Duration;

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
    todo!("exercise 2: set the options with socket2")
}

/// Reads the three options back from the kernel.
pub fn read_back(stream: &TcpStream) -> io::Result<Options> {
    todo!("exercise 2: read the options back")
}
