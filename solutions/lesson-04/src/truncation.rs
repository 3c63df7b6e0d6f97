//! Exercise 2: noticing truncation — solution.
//!
//! This one uses socket2's flags, as the socket2 mode does. (The std-only
//! way, peeking into a 64 KiB buffer to learn the real length, works too.)

use std::io;
use std::mem::MaybeUninit;
use std::net::{SocketAddr, UdpSocket};

use socket2::{MaybeUninitSlice, SockRef};

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
    // The bytes, without taking the datagram off the queue...
    let (len, from) = socket.peek_from(buffer)?;
    // ...then the datagram itself, into a buffer of the same size, for the
    // kernel's MSG_TRUNC flag. Reading `scratch` would need `unsafe`; we
    // need only the flags.
    let mut scratch = vec![MaybeUninit::uninit(); buffer.len()];
    let (_, flags, _) =
        SockRef::from(socket).recv_from_vectored(&mut [MaybeUninitSlice::new(&mut scratch)])?;
    Ok(Received { len, from, truncated: flags.is_truncated() })
}
