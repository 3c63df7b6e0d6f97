//! Test plumbing: start a server mode on a free port with its log captured,
//! talk to it over loopback with a real WebSocket client (tokio-tungstenite)
//! or raw TCP, stop it, read its log.
#![allow(dead_code, unused_imports)] // each test file uses its own part of this

use std::net::SocketAddr;
use std::time::Duration;

use lesson_01::{Config, asynchronous, blocking, with_socket2};
pub use lesson_support::testing::websocket::{Client, describe, describe_close};
use lesson_support::testing::{ANY_LOOPBACK_PORT, Serving, captured_log};
pub use lesson_support::testing::{Running, bounded};
use lesson_support::{Lang, Mode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How to start a server under test.
#[derive(Clone, Copy, Debug)]
pub struct Setup {
    pub lang: Lang,
    pub max_clients: usize,
    pub idle_timeout: Duration,
    pub echo: bool,
}

impl Setup {
    pub fn new(lang: Lang) -> Setup {
        Setup { lang, max_clients: 8, idle_timeout: lesson_01::DEFAULT_IDLE_TIMEOUT, echo: false }
    }
}

/// Starts the server `mode` on 127.0.0.1, port 0, and waits until it listens.
pub async fn start(mode: Mode, lang: Lang) -> Running {
    start_with(mode, Setup::new(lang)).await
}

/// [`start`], with every setting chosen.
pub async fn start_with(mode: Mode, setup: Setup) -> Running {
    let (log, transcript) = captured_log(setup.lang);
    let config = Config {
        max_clients: setup.max_clients,
        idle_timeout: setup.idle_timeout,
        echo: setup.echo,
        ..Config::new(setup.lang, log.clone())
    };
    let (addr, serving) = match mode {
        Mode::Async => {
            let listener = tokio::net::TcpListener::bind(ANY_LOOPBACK_PORT).await.unwrap();
            let addr = listener.local_addr().unwrap();
            (addr, Serving::spawn(|stop| asynchronous::run(listener, config, stop)))
        }
        Mode::Socket2 => {
            let listener = with_socket2::listener(ANY_LOOPBACK_PORT, &log).unwrap();
            let addr = listener.local_addr().unwrap();
            (addr, Serving::spawn(|stop| with_socket2::run(listener, config, stop)))
        }
        Mode::Blocking => {
            let listener = std::net::TcpListener::bind(ANY_LOOPBACK_PORT).unwrap();
            let addr = listener.local_addr().unwrap();
            (addr, Serving::spawn_blocking(|stop| blocking::run(listener, config, stop)))
        }
        Mode::Client => panic!("the client is not a server"),
    };
    Running::listening(addr, transcript, serving).await
}

/// A raw TCP client, for the bytes a WebSocket client would never send.
pub struct Raw {
    pub stream: TcpStream,
}

impl Raw {
    pub async fn connect(addr: SocketAddr) -> Raw {
        Raw { stream: TcpStream::connect(addr).await.unwrap() }
    }

    pub async fn send(&mut self, bytes: &[u8]) {
        bounded(self.stream.write_all(bytes)).await.unwrap();
    }

    /// Reads until the server closes, and returns all it sent.
    pub async fn until_closed(mut self) -> Vec<u8> {
        let mut received = Vec::new();
        bounded(self.stream.read_to_end(&mut received)).await.unwrap();
        received
    }
}
