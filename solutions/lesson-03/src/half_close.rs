//! Exercise 4: honouring a half-close — solution.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};

/// Echoes until the client half-closes, says goodbye, closes, and returns the
/// number of bytes read.
pub fn echo_until_end(mut stream: TcpStream) -> io::Result<u64> {
    let mut buffer = [0; 16 * 1024];
    let mut total = 0;
    loop {
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            break; // the client's FIN: it sends no more, but still reads
        }
        stream.write_all(&buffer[..n])?;
        total += n as u64;
    }
    stream.write_all(format!("bye after {total} bytes\n").as_bytes())?;
    stream.shutdown(Shutdown::Write)?;
    Ok(total)
}
