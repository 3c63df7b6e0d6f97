//! Test plumbing: start a server mode on a free port with its log captured,
//! talk to it with a real client over loopback, stop it, read its log.
#![allow(dead_code)] // each test file uses its own part of this

use std::net::SocketAddr;
use std::time::Duration;

use lesson_03::{Config, asynchronous, blocking, with_socket2};
pub use lesson_support::testing::Running;
use lesson_support::testing::{ANY_LOOPBACK_PORT, PATIENCE, Serving, captured_log};
use lesson_support::{Lang, Mode};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// How to start a server under test.
#[derive(Clone, Copy, Debug)]
pub struct Setup {
    pub lang: Lang,
    pub max_clients: usize,
    pub idle_timeout: Duration,
    pub grace: Duration,
    /// Gives every accepted socket the smallest send buffer Linux allows
    /// (accepted sockets inherit it from the listener), so that a client
    /// that does not read blocks the server's next sizeable write.
    pub small_send_buffer: bool,
}

impl Setup {
    pub fn new(lang: Lang, max_clients: usize) -> Setup {
        Setup {
            lang,
            max_clients,
            idle_timeout: lesson_03::DEFAULT_IDLE_TIMEOUT,
            grace: lesson_03::DEFAULT_GRACE,
            small_send_buffer: false,
        }
    }
}

/// Starts the server `mode` on 127.0.0.1, port 0, and waits until it listens.
pub async fn start(mode: Mode, lang: Lang, max_clients: usize) -> Running {
    start_with(mode, Setup::new(lang, max_clients)).await
}

/// [`start`], with every setting chosen.
pub async fn start_with(mode: Mode, setup: Setup) -> Running {
    let (log, transcript) = captured_log(setup.lang);
    let config = Config {
        max_clients: setup.max_clients,
        idle_timeout: setup.idle_timeout,
        grace: setup.grace,
        ..Config::new(setup.lang, log.clone())
    };
    let shrink = |listener: socket2::SockRef<'_>| {
        if setup.small_send_buffer {
            listener.set_send_buffer_size(1).unwrap(); // Linux rounds it up
        }
    };
    let (addr, serving) = match mode {
        Mode::Async => {
            let listener = tokio::net::TcpListener::bind(ANY_LOOPBACK_PORT).await.unwrap();
            shrink((&listener).into());
            let addr = listener.local_addr().unwrap();
            (addr, Serving::spawn(|stop| asynchronous::run(listener, config, stop)))
        }
        Mode::Socket2 => {
            let listener = with_socket2::listener(ANY_LOOPBACK_PORT, &log).unwrap();
            shrink((&listener).into());
            let addr = listener.local_addr().unwrap();
            (addr, Serving::spawn(|stop| with_socket2::run(listener, config, stop)))
        }
        Mode::Blocking => {
            let listener = std::net::TcpListener::bind(ANY_LOOPBACK_PORT).unwrap();
            shrink((&listener).into());
            let addr = listener.local_addr().unwrap();
            (addr, Serving::spawn_blocking(|stop| blocking::run(listener, config, stop)))
        }
        Mode::Client => panic!("the client is not a server"),
    };
    Running::listening(addr, transcript, serving).await
}

/// A test client: a real TCP connection, every wait bounded by [`PATIENCE`].
pub struct Client {
    stream: BufReader<TcpStream>,
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).await.unwrap();
        Client { stream: BufReader::new(stream) }
    }

    /// Connects and reads the greeting line.
    pub async fn greeted(addr: SocketAddr) -> Client {
        let mut client = Client::connect(addr).await;
        let greeting = client.line().await;
        assert!(greeting.ends_with('\n'), "no greeting line: {greeting:?}");
        client
    }

    /// The socket itself, for options such as linger.
    pub fn socket(&self) -> &TcpStream {
        self.stream.get_ref()
    }

    /// Writes `bytes` in one write.
    pub async fn send(&mut self, bytes: &[u8]) {
        self.stream.get_mut().write_all(bytes).await.unwrap();
    }

    /// Reads up to and including the next `\n` (lossily decoded).
    pub async fn line(&mut self) -> String {
        let mut line = Vec::new();
        let read = self.stream.read_until(b'\n', &mut line);
        tokio::time::timeout(PATIENCE, read).await.expect("no line in time").unwrap();
        String::from_utf8_lossy(&line).into_owned()
    }

    /// Reads exactly as many bytes as `expected` has, and returns them.
    pub async fn exactly(&mut self, expected: &str) -> String {
        let mut bytes = vec![0; expected.len()];
        let read = self.stream.read_exact(&mut bytes);
        tokio::time::timeout(PATIENCE, read).await.expect("no reply in time").unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Half-closes (sends FIN) and reads what is left until the server closes.
    pub async fn finish(mut self) -> String {
        self.stream.get_mut().shutdown().await.unwrap();
        self.until_closed().await
    }

    /// Reads, without sending anything, until the server closes.
    pub async fn until_closed(mut self) -> String {
        let mut rest = Vec::new();
        let read = self.stream.read_to_end(&mut rest);
        tokio::time::timeout(PATIENCE, read).await.expect("the server did not close").unwrap();
        String::from_utf8_lossy(&rest).into_owned()
    }
}
