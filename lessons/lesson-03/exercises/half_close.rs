//! # Exercise 4: honouring a half-close
//! Book: lesson-03, "Exercise 4: honouring a half-close"
//!
//! TCP has two directions, and each side closes its own. A client that has
//! sent everything can shut down its writing side (`shutdown(Write)`, a FIN)
//! and still read the replies. A server that closes as soon as it reads 0
//! bytes may cut those replies off; a correct one finishes first.
//!
//! Write a server for one connection that:
//! - writes every byte it reads straight back, as it arrives (the client may
//!   wait for the echo of what it sent before it sends more);
//! - when the client has finished sending (a read returns 0 bytes), writes
//!   one last line, `bye after N bytes\n`, with N the number of bytes it read;
//! - then shuts down its own writing side, and returns N.
//!
//! Check it with `cargo exercises lesson-03`. Stuck? `cargo exercises hint
//! lesson-03 half_close` gives a first hint, `--more` a precise one.

use std::io;
use std::net::TcpStream;

/// Echoes until the client half-closes, says goodbye, closes, and returns the
/// number of bytes read.
pub fn echo_until_end(stream: TcpStream) -> io::Result<u64> {
    todo!("exercise 4: echo, then say goodbye after the client's FIN")
}
