//! # Exercise 3: closing with a reset
//! Book: lesson-03, "Exercise 3: closing with a reset"
//!
//! Dropping a `TcpStream` closes it gracefully: the kernel sends what is
//! still buffered, then a FIN, and the peer reads 0 bytes — Node's `end`.
//! An *abortive* close sends a RST instead: buffered data is thrown away and
//! the peer's next read fails with "connection reset by peer" — what crashes
//! the Node `net` server, and what lesson-03's servers survive.
//!
//! Close `stream` with a reset. The trick is the `SO_LINGER` option with a
//! timeout of zero: then `close` resets instead of saying goodbye.
//!
//! Check it with `cargo exercises lesson-03`. Stuck? `cargo exercises hint
//! lesson-03 abortive_close` gives a first hint, `--more` a precise one.

use std::io;
use std::net::TcpStream;

/// Closes `stream` so that the peer sees a reset, not an end.
pub fn close_with_reset(stream: TcpStream) -> io::Result<()> {
    todo!("exercise 3: set SO_LINGER to zero, then close")
}
