//! Test plumbing: start a server mode on a free port with its log captured,
//! talk to it with a real UDP client over loopback, stop it, read its log.
#![allow(dead_code)] // each test file uses its own part of this

use std::net::{Ipv4Addr, SocketAddr};

use lesson_04::{Config, DATAGRAM_BUFFER, asynchronous, blocking, with_socket2};
use lesson_support::testing::{PATIENCE, Serving};
use lesson_support::{Lang, Log, Mode, Transcript};
use tokio::net::UdpSocket;

/// A server running on a free loopback port.
pub struct Running {
    pub addr: SocketAddr,
    pub log: Transcript,
    serving: Serving,
}

/// Starts the server `mode` on 127.0.0.1, port 0, with the usual 64 KiB buffer.
pub async fn start(mode: Mode, lang: Lang) -> Running {
    start_with_buffer(mode, lang, DATAGRAM_BUFFER).await
}

/// Starts the server `mode` on 127.0.0.1, port 0, receiving into `buffer`
/// bytes, and waits until it listens.
pub async fn start_with_buffer(mode: Mode, lang: Lang, buffer: usize) -> Running {
    let (log, mut transcript) = Log::capture();
    let config = Config { lang, buffer, log: log.clone() };
    let any_port = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let (addr, serving) = match mode {
        Mode::Async => {
            let socket = UdpSocket::bind(any_port).await.unwrap();
            let addr = socket.local_addr().unwrap();
            (addr, Serving::spawn(|stop| asynchronous::run(socket, config, stop)))
        }
        Mode::Socket2 => {
            let socket = with_socket2::socket(any_port, &log).unwrap();
            let addr = socket.local_addr().unwrap();
            (addr, Serving::spawn(|stop| with_socket2::run(socket, config, stop)))
        }
        Mode::Blocking => {
            let socket = std::net::UdpSocket::bind(any_port).unwrap();
            let addr = socket.local_addr().unwrap();
            (addr, Serving::spawn_blocking(|stop| blocking::run(socket, config, stop)))
        }
        Mode::Client => panic!("the client is not a server"),
    };
    transcript.wait_until(|line| line.ends_with(&format!(":{}", addr.port()))).await;
    Running { addr, log: transcript, serving }
}

impl Running {
    /// Stops the server, waits until `run` returns, and gives back its whole
    /// log, ports redacted (see [`redact`]).
    pub async fn stop(mut self) -> String {
        self.serving.stop().await;
        redact(&self.log.text(), self.addr.port())
    }
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
