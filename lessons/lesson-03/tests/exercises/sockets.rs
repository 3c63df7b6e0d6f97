//! Sockets for the exercise checks: a connected pair over loopback.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::Duration;

/// How long a check waits on a socket before it fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(20);

/// A client and the server's end of its connection, on a free port.
pub fn connected_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    for stream in [&client, &server] {
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.set_write_timeout(Some(PATIENCE)).unwrap();
    }
    (client, server)
}
