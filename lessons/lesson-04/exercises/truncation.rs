//! # Exercise 2: noticing truncation
//! Book: lesson-04, "Exercise 2: noticing truncation"
//!
//! `recv_from` receives one whole datagram — or as much of it as fits in the
//! buffer. The rest is thrown away, and `recv_from` returns the number of
//! bytes it stored, with no error: a 100-byte datagram read into a 16-byte
//! buffer looks exactly like a 16-byte datagram.
//!
//! Write a receive that tells the two apart: it receives one datagram into
//! `buffer`, like `recv_from`, and reports whether the datagram was longer
//! than `buffer` (and so was cut). It takes exactly one datagram off the
//! queue, truncated or not, so the next call gets the next datagram.
//!
//! Check it with `cargo exercises lesson-04`. Stuck? `cargo exercises hint
//! lesson-04 truncation` gives a first hint, `--more` a precise one.

use std::io;
use std::net::{SocketAddr, UdpSocket};

/// One datagram received by [`recv_noting_truncation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// How many bytes were stored in the buffer.
    pub len: usize,
    /// Who sent it.
    pub from: SocketAddr,
    /// Whether the datagram was longer than the buffer, and so was cut.
    pub truncated: bool,
}

/// Receives one datagram into `buffer` and says whether it was truncated.
pub fn recv_noting_truncation(socket: &UdpSocket, buffer: &mut [u8]) -> io::Result<Received> {
    todo!("exercise 2: receive one datagram and find out whether it fit")
}
