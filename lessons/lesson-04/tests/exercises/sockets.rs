//! Sockets for the exercise checks: UDP sockets on loopback, free ports.

use std::net::{Ipv4Addr, UdpSocket};
use std::time::Duration;

/// How long a check waits on a socket before it fails instead of hanging.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A UDP socket on 127.0.0.1, a free port, whose receives give up after
/// [`PATIENCE`].
pub fn udp() -> UdpSocket {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket
}

/// Two sockets connected to each other.
pub fn connected_pair() -> (UdpSocket, UdpSocket) {
    let (a, b) = (udp(), udp());
    a.connect(b.local_addr().unwrap()).unwrap();
    b.connect(a.local_addr().unwrap()).unwrap();
    (a, b)
}
