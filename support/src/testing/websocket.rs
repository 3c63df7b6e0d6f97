//! The WebSocket client of the lessons' tests (feature `websocket-testing`):
//! a real connection over loopback (tokio-tungstenite), every wait bounded
//! by [`PATIENCE`](super::PATIENCE), and the way a transcript shows what it
//! received.

use std::net::SocketAddr;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tungstenite::Message;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;

use super::bounded;

/// A test client: a real WebSocket connection, every wait bounded.
#[derive(Debug)]
pub struct Client {
    ws: WebSocketStream<TcpStream>,
}

impl Client {
    /// Connects to `addr` and completes the handshake.
    pub async fn connect(addr: SocketAddr) -> Client {
        Client::over(TcpStream::connect(addr).await.unwrap(), addr).await
    }

    /// Completes the handshake over `stream`, a connection to `addr` that
    /// the test has set up its own way.
    pub async fn over(stream: TcpStream, addr: SocketAddr) -> Client {
        let url = format!("ws://{addr}/");
        let (ws, _response) = bounded(tokio_tungstenite::client_async(url, stream)).await.unwrap();
        Client { ws }
    }

    /// The TCP socket underneath, for options such as linger.
    pub fn socket(&self) -> &TcpStream {
        self.ws.get_ref()
    }

    /// Sends one message.
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

    /// After the close frames: reading answers the server's close frame,
    /// and the stream ends, with no error (no reset).
    pub async fn clean_end(mut self) {
        match bounded(self.ws.next()).await {
            None => {}
            Some(other) => panic!("after the close frame: {other:?}"),
        }
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
