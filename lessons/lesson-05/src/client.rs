//! The load generator's client: plain blocking sockets, one per thread, one
//! request in flight at a time — send a message, wait for the whole reply.
//! Every byte it sends and receives is counted, so the bytes a protocol adds
//! to a message are read off real traffic.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd as _, RawFd};
use std::time::Duration;

use lesson_support::Lang;
use tungstenite::{Message, WebSocket};

use crate::server::Protocol;

/// How long a client waits for a reply before it gives up on it: a lost
/// datagram (UDP promises nothing), or a server that has stopped answering.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(2);

/// A stream that counts the bytes that go through it.
#[derive(Debug)]
pub struct Counted<S> {
    inner: S,
    /// Bytes written so far.
    pub sent: u64,
    /// Bytes read so far.
    pub received: u64,
}

impl<S: Read> Read for Counted<S> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buffer)?;
        self.received += n as u64;
        Ok(n)
    }
}

impl<S: Write> Write for Counted<S> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.sent += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Bytes sent and received so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Bytes the client wrote.
    pub sent: u64,
    /// Bytes the client read.
    pub received: u64,
}

/// One conversation with a server.
#[derive(Debug)]
pub enum Client {
    /// A TCP connection to the `net` server.
    Tcp {
        /// The connection.
        stream: Counted<TcpStream>,
        /// How long the text is that the server puts before each chunk it echoes.
        prefix: usize,
        /// Room for a reply.
        buffer: Vec<u8>,
    },
    /// A UDP socket that talks to the `dgram` server only, and what it counted.
    Udp(UdpSocket, Traffic),
    /// A WebSocket connection to the `ws` server.
    WebSocket(Box<WebSocket<Counted<TcpStream>>>),
}

impl Client {
    /// Starts a conversation: connects, and waits for what the server says
    /// first (the TCP server's greeting, the WebSocket handshake's answer).
    /// For UDP there is nothing to wait for: no datagram is sent.
    pub fn connect(protocol: Protocol, server: SocketAddr) -> io::Result<Client> {
        match protocol {
            Protocol::Tcp => {
                let mut stream = Counted { inner: tcp(server)?, sent: 0, received: 0 };
                // What the lesson's server says (`--lang zh`: the Node program's bytes).
                let mut buffer = vec![0; lesson_03::messages::greeting(Lang::Zh).len()];
                stream.read_exact(&mut buffer)?;
                let prefix = lesson_03::messages::reply(Lang::Zh, "").to_string().len();
                Ok(Client::Tcp { stream, prefix, buffer })
            }
            Protocol::Udp => {
                let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
                socket.connect(server)?;
                socket.set_read_timeout(Some(REPLY_TIMEOUT))?;
                Ok(Client::Udp(socket, Traffic::default()))
            }
            Protocol::WebSocket => {
                let stream = Counted { inner: tcp(server)?, sent: 0, received: 0 };
                let (ws, _response) = tungstenite::client(format!("ws://{server}/"), stream)
                    .map_err(|error| io::Error::other(format!("WebSocket handshake: {error}")))?;
                Ok(Client::WebSocket(Box::new(ws)))
            }
            Protocol::SocketIo | Protocol::Chat => Err(io::Error::other(
                "a chat broadcasts instead of echoing: use ChatClient and the fan-out experiment",
            )),
        }
    }

    /// Sends `message` and waits for its whole reply; returns the length of
    /// the reply's text, or `None` when a datagram's reply did not come
    /// within [`REPLY_TIMEOUT`].
    pub fn round_trip(&mut self, message: &str) -> io::Result<Option<usize>> {
        match self {
            Client::Tcp { stream, prefix, buffer } => {
                stream.write_all(message.as_bytes())?;
                // The reply to one chunk; a small write arrives as one chunk on
                // loopback, so one reply comes back, of a known length.
                buffer.resize(*prefix + message.len(), 0);
                stream.read_exact(buffer)?;
                Ok(Some(buffer.len()))
            }
            Client::Udp(socket, traffic) => {
                traffic.sent += socket.send(message.as_bytes())? as u64;
                let mut reply = [0; 1500];
                match socket.recv(&mut reply) {
                    Ok(n) => {
                        traffic.received += n as u64;
                        Ok(Some(n))
                    }
                    Err(e)
                        if matches!(
                            e.kind(),
                            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                        ) =>
                    {
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
            Client::WebSocket(ws) => {
                ws.send(Message::text(message)).map_err(io::Error::other)?;
                loop {
                    match ws.read().map_err(io::Error::other)? {
                        Message::Text(text) => return Ok(Some(text.len())),
                        _ => continue, // pings and the like: not the reply
                    }
                }
            }
        }
    }

    /// What this client has sent and received so far, on the wire of its
    /// protocol (for WebSocket: frames and handshake, not just payloads).
    pub fn traffic(&self) -> Traffic {
        match self {
            Client::Tcp { stream, .. } => Traffic { sent: stream.sent, received: stream.received },
            Client::Udp(_, traffic) => *traffic,
            Client::WebSocket(ws) => {
                Traffic { sent: ws.get_ref().sent, received: ws.get_ref().received }
            }
        }
    }
}

fn tcp(server: SocketAddr) -> io::Result<TcpStream> {
    let stream = TcpStream::connect(server)?;
    // One small message at a time, each waited for: Nagle would only delay it.
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
    Ok(stream)
}

/// How long a chat listener waits for the next broadcast: long enough for
/// the load generator to connect a thousand others before the first one.
pub const CHAT_PATIENCE: Duration = Duration::from_secs(60);

/// Messages that are not a chat message (socket.io's pings, WebSocket
/// control frames) a chat client will skip before it gives up on one.
const MOST_SKIPPED: usize = 100;

/// A member of lesson-02's chat: socket.io packets over WebSocket (what
/// socket.io-client sends with `transports: ['websocket']`), or the
/// hand-built chat's JSON envelope.
#[derive(Debug)]
pub struct ChatClient {
    ws: WebSocket<TcpStream>,
    protocol: Protocol,
}

impl ChatClient {
    /// Connects and joins: for socket.io, the open packet (`0{"sid":…}`)
    /// then the main namespace (`40`, answered `40{"sid":…}`); the
    /// hand-built chat takes a member as soon as the upgrade is done.
    pub fn join(protocol: Protocol, server: SocketAddr) -> io::Result<ChatClient> {
        let path = match protocol {
            Protocol::SocketIo => "/socket.io/?EIO=4&transport=websocket",
            Protocol::Chat => "/",
            _ => return Err(io::Error::other(format!("{} is not a chat", protocol.name()))),
        };
        let stream = tcp(server)?;
        stream.set_read_timeout(Some(CHAT_PATIENCE))?;
        let (ws, _response) = tungstenite::client(format!("ws://{server}{path}"), stream)
            .map_err(|error| io::Error::other(format!("WebSocket handshake: {error}")))?;
        let mut client = ChatClient { ws, protocol };
        if protocol == Protocol::SocketIo {
            client.expect("0{")?;
            client.send("40")?;
            client.expect("40{")?;
        }
        Ok(client)
    }

    /// Sends `text` as a `chat message`.
    pub fn say(&mut self, text: &str) -> io::Result<()> {
        let packet = match self.protocol {
            Protocol::SocketIo => {
                format!("42{}", serde_json::json!(["chat message", text]))
            }
            _ => lesson_02::by_hand::envelope::chat_message(text),
        };
        self.send(&packet)
    }

    /// The text of the next `chat message` the server sends, waiting for it
    /// at most [`CHAT_PATIENCE`].
    pub fn next_chat_message(&mut self) -> io::Result<String> {
        self.poll_chat_message()?
            .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "no chat message came in time"))
    }

    /// The text of the next `chat message`, or `None` when none has come:
    /// at once on a socket made non-blocking with [`ChatClient::nonblocking`],
    /// after [`CHAT_PATIENCE`] otherwise.
    pub fn poll_chat_message(&mut self) -> io::Result<Option<String>> {
        for _ in 0..MOST_SKIPPED {
            let Some(text) = self.poll_text()? else { return Ok(None) };
            let said = match self.protocol {
                Protocol::SocketIo => text
                    .strip_prefix("42")
                    .and_then(|json| serde_json::from_str::<(String, String)>(json).ok())
                    .filter(|(event, _)| event == "chat message")
                    .map(|(_, said)| said),
                _ => match lesson_02::by_hand::envelope::parse(&text) {
                    Ok(lesson_02::by_hand::envelope::Event::Chat(said)) => Some(said),
                    _ => None,
                },
            };
            if let Some(said) = said {
                return Ok(Some(said));
            }
        }
        Err(io::Error::other(format!("no chat message in {MOST_SKIPPED} messages")))
    }

    /// Makes reads return at once when nothing has come, so that one thread
    /// can wait on many listeners with epoll; returns the socket's descriptor
    /// to register.
    pub fn nonblocking(&mut self) -> io::Result<RawFd> {
        self.ws.get_ref().set_nonblocking(true)?;
        Ok(self.ws.get_ref().as_raw_fd())
    }

    /// The next text message, answering socket.io's pings (`2` → `3`) on
    /// the way, as socket.io-client does; tungstenite answers WebSocket's.
    /// `None` when nothing more has come (a read timeout says the same).
    fn poll_text(&mut self) -> io::Result<Option<String>> {
        for _ in 0..MOST_SKIPPED {
            match self.ws.read() {
                Ok(Message::Text(text)) if self.protocol == Protocol::SocketIo && text == "2" => {
                    self.send("3")?
                }
                Ok(Message::Text(text)) => return Ok(Some(text.to_string())),
                Ok(_) => continue,
                Err(tungstenite::Error::Io(error)) if error.kind() == io::ErrorKind::WouldBlock => {
                    return Ok(None);
                }
                Err(error) => return Err(io::Error::other(error)),
            }
        }
        Err(io::Error::other(format!("no text in {MOST_SKIPPED} messages")))
    }

    fn expect(&mut self, start: &str) -> io::Result<()> {
        let text = self.poll_text()?.unwrap_or_default();
        if text.starts_with(start) {
            Ok(())
        } else {
            Err(io::Error::other(format!("expected {start}…, got {text:?}")))
        }
    }

    fn send(&mut self, text: &str) -> io::Result<()> {
        match self.ws.send(Message::text(text)) {
            Ok(()) => Ok(()),
            // A non-blocking socket that is full: tungstenite keeps the frame
            // and writes it with the next read or send.
            Err(tungstenite::Error::Io(error)) if error.kind() == io::ErrorKind::WouldBlock => {
                Ok(())
            }
            Err(error) => Err(io::Error::other(error)),
        }
    }
}
