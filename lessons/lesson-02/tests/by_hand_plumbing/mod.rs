//! Test plumbing for the hand-built chat: start a mode on a free loopback
//! port with its log captured and its room in the test's hands, talk to it
//! with real WebSocket clients that speak the envelope, stop it, read its
//! log.
#![allow(dead_code)] // each test file uses its own part of this

use std::net::SocketAddr;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use lesson_02::by_hand::chat::Chat;
use lesson_02::by_hand::{asynchronous, blocking, envelope, with_socket2};
use lesson_02::messages;
pub use lesson_support::testing::websocket::describe_close;
use lesson_support::testing::{ANY_LOOPBACK_PORT, Serving, captured_log, websocket};
use lesson_support::{Lang, Mode};
use tokio::net::{TcpSocket, TcpStream};
use tungstenite::Message;
use tungstenite::protocol::CloseFrame;

/// A chat server running on a free loopback port (its address and log are
/// the [`lesson_support::testing::Running`] it derefs to), and its room.
pub struct Running {
    server: lesson_support::testing::Running,
    pub chat: Arc<Chat>,
    lang: Lang,
}

impl Deref for Running {
    type Target = lesson_support::testing::Running;
    fn deref(&self) -> &Self::Target {
        &self.server
    }
}

impl DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.server
    }
}

/// How to start a server under test.
#[derive(Clone, Copy, Debug)]
pub struct Setup {
    pub lang: Lang,
    pub max_clients: usize,
    pub idle_timeout: Duration,
}

impl Setup {
    pub fn new(lang: Lang) -> Setup {
        Setup { lang, max_clients: 8, idle_timeout: Duration::from_secs(60) }
    }
}

/// Starts the chat in `mode` on 127.0.0.1, port 0, and waits until it listens.
pub async fn start(mode: Mode, lang: Lang) -> Running {
    start_with(mode, Setup::new(lang)).await
}

/// [`start`], with every setting chosen.
pub async fn start_with(mode: Mode, setup: Setup) -> Running {
    let (log, transcript) = captured_log(setup.lang);
    let config = lesson_01::Config {
        max_clients: setup.max_clients,
        idle_timeout: setup.idle_timeout,
        ..lesson_01::Config::new(setup.lang, log.clone())
    };
    let chat = Arc::new(Chat::new(&config));
    let room = Arc::clone(&chat);
    let (addr, serving) = match mode {
        Mode::Async => {
            let listener = tokio::net::TcpListener::bind(ANY_LOOPBACK_PORT).await.unwrap();
            let addr = listener.local_addr().unwrap();
            let run = |stop| asynchronous::serve(listener, config, room, stop, |_| {});
            (addr, Serving::spawn(run))
        }
        Mode::Socket2 => {
            let listener = with_socket2::listener(ANY_LOOPBACK_PORT, &log).unwrap();
            let addr = listener.local_addr().unwrap();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let on_accept = lesson_01::with_socket2::tune_and_log(log.clone());
            let run = |stop| asynchronous::serve(listener, config, room, stop, on_accept);
            (addr, Serving::spawn(run))
        }
        Mode::Blocking => {
            let listener = std::net::TcpListener::bind(ANY_LOOPBACK_PORT).unwrap();
            let addr = listener.local_addr().unwrap();
            (addr, Serving::spawn_blocking(|stop| blocking::serve(listener, config, room, stop)))
        }
        Mode::Client => panic!("the client is not a server"),
    };
    let server = lesson_support::testing::Running::listening(addr, transcript, serving).await;
    Running { server, chat, lang: setup.lang }
}

impl Running {
    /// Stops the server, waits until `run` returns, and gives back its whole
    /// log with the port replaced by `[PORT]`.
    pub async fn stop(self) -> String {
        self.server.stop().await
    }

    /// Connects a client and waits until the server has put it in the room
    /// (its "new client" line), so that it hears whatever is said next.
    pub async fn join(&mut self) -> Client {
        let client = Client::connect(self.addr).await;
        self.server.log.wait_for(messages::new_client(self.lang)).await;
        client
    }
}

/// A chat client: lessons 01 and 02's WebSocket test client (which it
/// derefs to), that also speaks the chat's envelope.
pub struct Client {
    ws: websocket::Client,
}

impl Deref for Client {
    type Target = websocket::Client;
    fn deref(&self) -> &Self::Target {
        &self.ws
    }
}

impl DerefMut for Client {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.ws
    }
}

impl Client {
    /// Connects and completes the handshake.
    pub async fn connect(addr: SocketAddr) -> Client {
        Client::over(TcpStream::connect(addr).await.unwrap(), addr).await
    }

    /// Connects with a receive buffer of `bytes` asked for: a client whose
    /// window fills fast once it stops reading.
    pub async fn connect_small(addr: SocketAddr, bytes: u32) -> Client {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(bytes).unwrap();
        Client::over(socket.connect(addr).await.unwrap(), addr).await
    }

    async fn over(stream: TcpStream, addr: SocketAddr) -> Client {
        // Each message goes out at once, not after the last one's ACK.
        stream.set_nodelay(true).unwrap();
        Client { ws: websocket::Client::over(stream, addr).await }
    }

    /// Sends `text` as a `chat message`.
    pub async fn say(&mut self, text: &str) {
        self.send(Message::text(envelope::chat_message(text))).await;
    }

    /// The text of the next `chat message`; panics on anything else.
    pub async fn hear(&mut self) -> String {
        let message = self.next().await;
        let Message::Text(text) = &message else { panic!("not a text message: {message:?}") };
        match envelope::parse(text.as_str()) {
            Ok(envelope::Event::Chat(text)) => text,
            other => panic!("not a chat message: {other:?}"),
        }
    }

    /// See [`websocket::Client::closed_by_server`].
    pub async fn closed_by_server(self) -> CloseFrame {
        self.ws.closed_by_server().await
    }

    /// See [`websocket::Client::close`].
    pub async fn close(self) -> CloseFrame {
        self.ws.close().await
    }

    /// See [`websocket::Client::clean_end`].
    pub async fn clean_end(self) {
        self.ws.clean_end().await
    }
}
