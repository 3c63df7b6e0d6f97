//! Test plumbing: start a server mode on a free port with its log captured,
//! talk to it with a real UDP client over loopback, stop it, read its log.
#![allow(dead_code)] // each test file uses its own part of this

use std::net::{Ipv4Addr, SocketAddr};

use lesson_04::{Config, DATAGRAM_BUFFER, asynchronous, blocking, with_socket2};
pub use lesson_support::testing::Running;
use lesson_support::testing::{ANY_LOOPBACK_PORT, PATIENCE, Serving};
use lesson_support::{Lang, Log, Mode};
use tokio::net::UdpSocket;

/// Starts the server `mode` on 127.0.0.1, port 0, with the usual 64 KiB buffer.
pub async fn start(mode: Mode, lang: Lang) -> Running {
    start_with_buffer(mode, lang, DATAGRAM_BUFFER).await
}

/// Starts the server `mode` on 127.0.0.1, port 0, receiving into `buffer`
/// bytes, and waits until it listens. Its log comes back with the ports
/// redacted (see [`redact`]).
pub async fn start_with_buffer(mode: Mode, lang: Lang, buffer: usize) -> Running {
    let (log, transcript) = Log::capture();
    let config = Config { lang, buffer, log: log.clone() };
    let (addr, serving) = match mode {
        Mode::Async => {
            let socket = UdpSocket::bind(ANY_LOOPBACK_PORT).await.unwrap();
            let addr = socket.local_addr().unwrap();
            (addr, Serving::spawn(|stop| asynchronous::run(socket, config, stop)))
        }
        Mode::Socket2 => {
            let socket = with_socket2::socket(ANY_LOOPBACK_PORT, &log).unwrap();
            let addr = socket.local_addr().unwrap();
            (addr, Serving::spawn(|stop| with_socket2::run(socket, config, stop)))
        }
        Mode::Blocking => {
            let socket = std::net::UdpSocket::bind(ANY_LOOPBACK_PORT).unwrap();
            let addr = socket.local_addr().unwrap();
            (addr, Serving::spawn_blocking(|stop| blocking::run(socket, config, stop)))
        }
        Mode::Client => panic!("the client is not a server"),
    };
    Running::listening(addr, transcript, serving).await.redacting(redact)
}

/// Replaces the server's port with `[PORT]`, and any other port that ends
/// a line (a client's, chosen by the system) with `[CLIENT-PORT]`.
pub fn redact(text: &str, server_port: u16) -> String {
    text.lines()
        .map(|line| {
            let Some((rest, port)) = line.rsplit_once(':') else {
                return format!("{line}\n");
            };
            match port.parse::<u16>() {
                Ok(port) if port == server_port => format!("{rest}:[PORT]\n"),
                Ok(_) => format!("{rest}:[CLIENT-PORT]\n"),
                Err(_) => format!("{line}\n"),
            }
        })
        .collect()
}

/// A test client: a real UDP socket on 127.0.0.1, every wait bounded.
pub struct Client {
    pub socket: UdpSocket,
}

impl Client {
    /// A client socket on a free port, connected to `server`.
    pub async fn new(server: SocketAddr) -> Client {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        socket.connect(server).await.unwrap();
        Client { socket }
    }

    /// Sends one datagram.
    pub async fn send(&self, bytes: &[u8]) {
        let sent = self.socket.send(bytes).await.unwrap();
        assert_eq!(sent, bytes.len(), "a datagram is sent whole or not at all");
    }

    /// Receives one datagram (lossily decoded).
    pub async fn recv(&self) -> String {
        let mut buffer = vec![0; DATAGRAM_BUFFER];
        let n = tokio::time::timeout(PATIENCE, self.socket.recv(&mut buffer))
            .await
            .expect("no reply in time")
            .unwrap();
        String::from_utf8_lossy(&buffer[..n]).into_owned()
    }

    /// Sends one datagram and receives the reply.
    pub async fn ask(&self, bytes: &[u8]) -> String {
        self.send(bytes).await;
        self.recv().await
    }
}
