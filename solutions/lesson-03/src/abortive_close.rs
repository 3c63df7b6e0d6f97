//! Exercise 3: closing with a reset — solution.

use std::io;
use std::net::TcpStream;
use std::time::Duration;

use socket2::SockRef;

/// Closes `stream` so that the peer sees a reset, not an end.
pub fn close_with_reset(stream: TcpStream) -> io::Result<()> {
    // Linger on, for zero seconds: `close` discards what is unsent and
    // sends RST.
    SockRef::from(&stream).set_linger(Some(Duration::ZERO))?;
    drop(stream);
    Ok(())
}
