//! Test plumbing for the socket.io server: start it on a free port with its
//! log captured, talk to it the way socket.io-client does over WebSocket,
//! packet by packet (engine.io and socket.io packets are WebSocket text
//! messages), stop it, read its log.
#![allow(dead_code)] // each test file uses its own part of this

use std::net::{Ipv4Addr, SocketAddr};

use futures_util::{SinkExt, StreamExt};
use lesson_02::{Config, socketio};
use lesson_support::testing::{PATIENCE, Serving};
use lesson_support::{Lang, Log, Transcript};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tungstenite::Message;

/// A server running on a free loopback port.
pub struct Running {
    pub addr: SocketAddr,
    pub log: Transcript,
    serving: Serving,
}

/// Starts the socket.io server on 127.0.0.1, port 0, with the defaults, and
/// waits until it listens.
pub async fn start(lang: Lang) -> Running {
    start_with(lang, |config| config).await
}

/// [`start`], with the settings `adjust` makes of the defaults.
pub async fn start_with(lang: Lang, adjust: impl FnOnce(Config) -> Config) -> Running {
    let (log, mut transcript) = Log::capture();
    let log = log.showing(lang.show(false));
    let config = adjust(Config::new(lang, log));
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = Serving::spawn(|stop| socketio::run(listener, config, stop));
    transcript.wait_until(|line| line.ends_with(&format!(" {}", addr.port()))).await;
    Running { addr, log: transcript, serving }
}

impl Running {
    /// Stops the server, waits until `run` returns, and gives back its whole
    /// log with the port replaced by `[PORT]`.
    pub async fn stop(mut self) -> String {
        self.serving.stop().await;
        let port = format!(" {}", self.addr.port());
        self.log
            .text()
            .lines()
            .map(|line| match line.strip_suffix(&port) {
                Some(rest) => format!("{rest} [PORT]\n"),
                None => format!("{line}\n"),
            })
            .collect()
    }

    /// Waits for `count` more log lines equal to `line`.
    pub async fn wait_for_lines(&mut self, line: &str, count: usize) {
        for _ in 0..count {
            self.log.wait_for(line).await;
        }
    }
}

/// Waits at most [`PATIENCE`] for `future`.
pub async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future).await.expect("no answer in time")
}

/// A socket.io client over WebSocket only, written packet by packet: what
/// socket.io-client does with `transports: ['websocket']`.
pub struct Sio {
    ws: WebSocketStream<TcpStream>,
}

/// The engine.io handshake path, protocol 4, straight to WebSocket.
pub const WEBSOCKET_PATH: &str = "/socket.io/?EIO=4&transport=websocket";

impl Sio {
    /// Opens the WebSocket and reads engine.io's open packet
    /// (`0{"sid":…}`), which it returns.
    pub async fn open(addr: SocketAddr) -> (Sio, String) {
        let stream = TcpStream::connect(addr).await.unwrap();
        let url = format!("ws://{addr}{WEBSOCKET_PATH}");
        let (ws, _response) = bounded(tokio_tungstenite::client_async(url, stream)).await.unwrap();
        let mut sio = Sio { ws };
        let open = sio.next_text().await;
        assert!(open.starts_with("0{"), "not an open packet: {open}");
        (sio, open)
    }

    /// Opens and joins the main namespace (`40`, answered `40{"sid":…}`).
    pub async fn join(addr: SocketAddr) -> Sio {
        let (mut sio, _open) = Sio::open(addr).await;
        sio.send("40").await;
        let joined = sio.next_text().await;
        assert!(joined.starts_with("40{"), "not a connect packet: {joined}");
        sio
    }

    /// Sends one packet as a WebSocket text message.
    pub async fn send(&mut self, packet: &str) {
        bounded(self.ws.send(Message::text(packet))).await.unwrap();
    }

    /// Sends any WebSocket message.
    pub async fn send_message(&mut self, message: Message) {
        bounded(self.ws.send(message)).await.unwrap();
    }

    /// Sends `42["chat message",MSG]`, `msg` being JSON.
    pub async fn chat(&mut self, msg: &str) {
        self.send(&format!(r#"42["chat message",{msg}]"#)).await;
    }

    /// The next packet the server sends, answering its pings (`2` → `3`) as
    /// socket.io-client does.
    pub async fn next_text(&mut self) -> String {
        loop {
            match self.next().await {
                Some(Message::Text(text)) if text.as_str() == "2" => self.send("3").await,
                Some(Message::Text(text)) => return text.to_string(),
                other => panic!("not a text message: {other:?}"),
            }
        }
    }

    /// The next WebSocket message, or `None` when the connection has ended.
    pub async fn next(&mut self) -> Option<Message> {
        match bounded(self.ws.next()).await {
            Some(Ok(message)) => Some(message),
            Some(Err(_)) | None => None,
        }
    }

    /// Reads until the connection ends; returns every text packet the
    /// server sent on the way, and the close frame's code, if a close frame
    /// with a code came.
    /// Pings (`2`) are left out, and not answered: a client that reads only
    /// this is dead to the heartbeat.
    pub async fn until_closed(mut self) -> (Vec<String>, Option<u16>) {
        let mut packets = Vec::new();
        // Bounded: a server that never closes fails `bounded` in `next`.
        loop {
            match self.next().await {
                Some(Message::Text(text)) if text.as_str() == "2" => {}
                Some(Message::Text(text)) => packets.push(text.to_string()),
                Some(Message::Close(Some(frame))) => return (packets, Some(frame.code.into())),
                Some(Message::Close(None)) | None => return (packets, None),
                Some(_) => {}
            }
        }
    }
}

impl Sio {
    /// Reads until the packet `wanted` comes (returns no close code) or the
    /// connection ends (returns the close code, if a close frame came); and
    /// every text packet received on the way.
    pub async fn until_closed_or(&mut self, wanted: &str) -> (Vec<String>, Option<Option<u16>>) {
        let mut packets = Vec::new();
        loop {
            match self.next().await {
                Some(Message::Text(text)) if text.as_str() == wanted => return (packets, None),
                Some(Message::Text(text)) if text.as_str() == "2" => self.send("3").await,
                Some(Message::Text(text)) => packets.push(text.to_string()),
                Some(Message::Close(frame)) => {
                    return (packets, Some(frame.map(|frame| u16::from(frame.code))));
                }
                Some(_) => {}
                None => return (packets, Some(None)),
            }
        }
    }
}

/// One HTTP/1.1 request on a connection of its own; returns the response's
/// status line and body.
pub async fn http(addr: SocketAddr, method: &str, query: &str, body: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} /socket.io/?EIO=4&transport=polling{query} HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    bounded(stream.read_to_string(&mut response)).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
    (head.lines().next().unwrap_or_default().to_string(), body.to_string())
}

/// Replaces every engine.io / socket.io session id (`"sid":"…"`) with `[SID]`.
pub fn redact_sids(packet: &str) -> String {
    let mut out = String::new();
    let mut rest = packet;
    while let Some(at) = rest.find(r#""sid":""#) {
        let (before, after) = rest.split_at(at + r#""sid":""#.len());
        out.push_str(before);
        out.push_str("[SID]");
        rest = &after[after.find('"').unwrap_or(after.len())..];
    }
    out.push_str(rest);
    out
}
