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
//! to the receiver) and returns how many times it retransmitted, in all:
//! every datagram it sent beyond the first copy of each message. It ignores
//! acknowledgements for other numbers (late copies of old ones); they do not
//! restart the wait: each copy sent waits at most `timeout`. When
//! `max_retries` retransmissions of one message have gone unacknowledged
//! too (so it was sent `max_retries + 1` times), it gives up with an error of
//! kind `io::ErrorKind::TimedOut`. Any other error of the socket (such as
//! `ConnectionRefused`: nobody listens at the receiver's address) goes back
//! to the caller as it is.
//!
//! `Receiver::accept` handles one datagram that arrived at the receiver:
//! - the number it expects next: deliver the message, acknowledge it, and
//!   expect the next number;
//! - an older number: a retransmission because an acknowledgement was lost
//!   — do not deliver it again, but acknowledge it again;
//! - a newer number than it expects: a stop-and-wait sender never sends
//!   ahead, so this datagram is not from it; ignore it;
//! - shorter than 4 bytes: ignore it (no delivery, no acknowledgement).
//!
//! Add the fields `Receiver` needs.
//!
//! Check it with `cargo exercises lesson-04`. Stuck? `cargo exercises hint
//! lesson-04 stop_and_wait` gives a first hint, `--more` a precise one.

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
