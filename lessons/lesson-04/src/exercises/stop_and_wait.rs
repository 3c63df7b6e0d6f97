//! # Exercise 3: stop-and-wait
//! Book: lesson-04, "Exercise 3: stop-and-wait"
//!
//! UDP may lose a datagram, lose its reply, or deliver an old copy late.
//! Build the simplest protocol that delivers every message anyway, once
//! each and in order: *stop-and-wait*. The sender sends one message and
//! waits for its acknowledgement; if none comes in time, it sends the same
//! message again; only when it is acknowledged does it go on to the next.
//!
//! The wire format (both sides must agree):
//! - a data datagram is a 4-byte big-endian sequence number, then the
//!   message; the first message has number 0, the next 1, and so on;
//! - an acknowledgement is just the 4-byte number of the message it
//!   acknowledges.
//!
//! `send_reliably` sends `messages` this way on `socket` (already connected
//! to the receiver) and returns how many times it retransmitted. It ignores
//! acknowledgements for other numbers (late copies of old ones). After
//! `max_retries` retransmissions of one message without an acknowledgement,
//! it gives up with an error of kind `io::ErrorKind::TimedOut`.
//!
//! `Receiver::accept` handles one datagram that arrived at the receiver:
//! - the number it expects next: deliver the message, acknowledge it, and
//!   expect the next number;
//! - an older number: a retransmission because an acknowledgement was lost
//!   — do not deliver it again, but acknowledge it again;
//! - shorter than 4 bytes: ignore it (no delivery, no acknowledgement).
//!
//! Add the fields `Receiver` needs.

use std::io;
use std::net::UdpSocket;
use std::time::Duration;

/// Sends each message until it is acknowledged; returns the number of
/// retransmissions.
pub fn send_reliably(
    socket: &UdpSocket,
    messages: &[&[u8]],
    timeout: Duration,
    max_retries: u32,
) -> io::Result<u32> {
    todo!("exercise 3: send, wait for the acknowledgement, retransmit")
}

/// The receiving side's state.
#[derive(Debug, Default)]
pub struct Receiver {}

/// What the receiver does with one datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// A message to hand to the application, if the datagram brought a new one.
    pub deliver: Option<Vec<u8>>,
    /// The acknowledgement to send back, if any.
    pub ack: Option<[u8; 4]>,
}

impl Receiver {
    /// A receiver that expects message number 0 first.
    pub fn new() -> Receiver {
        todo!("exercise 3: create the receiver")
    }

    /// Handles one datagram.
    pub fn accept(&mut self, datagram: &[u8]) -> Accepted {
        todo!("exercise 3: deliver new messages once, acknowledge every one")
    }
}

// Hint: `u32::to_be_bytes` and `u32::from_be_bytes` convert the number.
// For the timeout, `socket.set_read_timeout(Some(timeout))`; then `recv`
// fails with `WouldBlock` (or `TimedOut`) when it expires. A late, old
// acknowledgement must not count as the current one: compare the number,
// and keep waiting — but do not restart the full timeout for it forever.
