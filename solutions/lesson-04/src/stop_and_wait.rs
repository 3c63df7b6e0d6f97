//! Exercise 3: stop-and-wait — solution.

use std::cmp::Ordering;
use std::io;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

/// Sends each message until it is acknowledged; returns the number of
/// retransmissions.
pub fn send_reliably(
    socket: &UdpSocket,
    messages: &[&[u8]],
    timeout: Duration,
    max_retries: u32,
) -> io::Result<u32> {
    let mut retransmissions = 0;
    for (number, message) in (0_u32..).zip(messages) {
        let mut datagram = number.to_be_bytes().to_vec();
        datagram.extend_from_slice(message);
        let mut retries = 0;
        loop {
            socket.send(&datagram)?;
            if acknowledged(socket, number, timeout)? {
                break;
            }
            if retries == max_retries {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("message {number} unacknowledged after {max_retries} retransmissions"),
                ));
            }
            retries += 1;
            retransmissions += 1;
        }
    }
    Ok(retransmissions)
}

/// Waits up to `timeout` for the acknowledgement of `number`, skipping late
/// acknowledgements of earlier messages. `false` if it does not come.
fn acknowledged(socket: &UdpSocket, number: u32, timeout: Duration) -> io::Result<bool> {
    let deadline = Instant::now() + timeout;
    let mut ack = [0; 16];
    loop {
        // What is left of the timeout, so that stale acks cannot extend it.
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(false);
        }
        socket.set_read_timeout(Some(left))?;
        match socket.recv(&mut ack) {
            Ok(4) if ack[..4] == number.to_be_bytes() => return Ok(true),
            Ok(_) => continue, // an old acknowledgement, or noise
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                return Ok(false);
            }
            Err(error) => return Err(error),
        }
    }
}

/// The receiving side's state.
#[derive(Debug, Default)]
pub struct Receiver {
    expected: u32,
}

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
        Receiver::default()
    }

    /// Handles one datagram.
    pub fn accept(&mut self, datagram: &[u8]) -> Accepted {
        let Some((number, message)) = datagram.split_first_chunk::<4>() else {
            return Accepted { deliver: None, ack: None };
        };
        let (deliver, ack) = match u32::from_be_bytes(*number).cmp(&self.expected) {
            Ordering::Equal => {
                self.expected += 1;
                (Some(message.to_vec()), Some(*number))
            }
            // A copy we delivered already: its acknowledgement was lost.
            Ordering::Less => (None, Some(*number)),
            // Stop-and-wait never sends ahead: this is not our sender's.
            Ordering::Greater => (None, None),
        };
        Accepted { deliver, ack }
    }
}
