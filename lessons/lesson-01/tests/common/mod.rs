//! Test plumbing: start a server mode on a free port with its log captured,
//! talk to it over loopback with a real WebSocket client (tokio-tungstenite)
//! or raw TCP, stop it, read its log.
#![allow(dead_code)] // each test file uses its own part of this

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use lesson_01::{Config, asynchronous, blocking, with_socket2};
use lesson_support::testing::{ANY_LOOPBACK_PORT, Serving};
pub use lesson_support::testing::{Running, bounded};
use lesson_support::{Lang, Log, Mode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tungstenite::Message;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;

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
    let (log, transcript) = Log::capture();
    let log = log.showing(setup.lang.show(false));
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

/// A test client: a real WebSocket connection, every wait bounded.
pub struct Client {
    ws: WebSocketStream<TcpStream>,
}

impl Client {
    /// Connects and completes the handshake.
    pub async fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).await.unwrap();
        let url = format!("ws://{addr}/");
        let (ws, _response) = bounded(tokio_tungstenite::client_async(url, stream)).await.unwrap();
        Client { ws }
    }

    /// The TCP socket underneath, for options such as linger.
    pub fn socket(&self) -> &TcpStream {
        self.ws.get_ref()
    }

    pub async fn send(&mut self, message: Message) {
        bounded(self.ws.send(message)).await.unwrap();
    }

    /// The next message, of any kind.
    pub async fn next(&mut self) -> Message {
        bounded(self.ws.next()).await.expect("the connection ended").unwrap()
    }

    /// Sends `text` and returns the reply's text.
    pub async fn ask(&mut self, text: &str) -> String {
        self.send(Message::text(text)).await;
        self.next().await.into_text().unwrap().to_string()
    }

    /// Reads until the server's close frame, which it returns, then checks
    /// that the connection ends cleanly (no reset, nothing after the close).
    pub async fn closed_by_server(mut self) -> CloseFrame {
        let frame = match self.next().await {
            Message::Close(Some(frame)) => frame,
            other => panic!("not a close frame: {other:?}"),
        };
        self.clean_end().await;
        frame
    }

    /// Starts the close handshake with 1000 and returns the server's answer,
    /// once the connection has ended cleanly.
    pub async fn close(mut self) -> CloseFrame {
        let normal = CloseFrame { code: CloseCode::Normal, reason: "".into() };
        bounded(self.ws.close(Some(normal))).await.unwrap();
        self.closed_by_server().await
    }

    /// After the close frames: the stream ends, with no error (no reset).
    pub async fn clean_end(mut self) {
        match bounded(self.ws.next()).await {
            None => {}
            Some(other) => panic!("after the close frame: {other:?}"),
        }
    }
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

/// A message as a transcript shows it: its kind, then its content.
pub fn describe(message: &Message) -> String {
    match message {
        Message::Text(text) => format!("text: {}", text.as_str()),
        Message::Binary(bytes) => format!("binary: {}", String::from_utf8_lossy(bytes)),
        Message::Ping(bytes) => format!("ping: {}", String::from_utf8_lossy(bytes)),
        Message::Pong(bytes) => format!("pong: {}", String::from_utf8_lossy(bytes)),
        Message::Close(Some(frame)) => describe_close(frame),
        Message::Close(None) => "close, no code".into(),
        Message::Frame(frame) => format!("raw frame: {frame:?}"),
    }
}

/// A close frame as a transcript shows it.
pub fn describe_close(frame: &CloseFrame) -> String {
    format!("close {} {:?}", u16::from(frame.code), frame.reason.as_str())
}
