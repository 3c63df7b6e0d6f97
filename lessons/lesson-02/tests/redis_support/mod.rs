//! What the Redis tests share: a `redis-server` of their own, lesson-02
//! processes on it, and clients of each; and what goes through Redis
//! ([`wire`]).
#![allow(dead_code)] // each test file uses its own part of this

pub mod wire;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};

use crate::socketio_support::Sio;
use lesson_support::testing::Process;
pub use lesson_support::testing::Scratch;

pub fn lesson(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lesson-02"));
    command.args(args).stdin(Stdio::null()).stderr(Stdio::piped());
    command
}

/// A `redis-server` of the test's own, on a Unix socket in `scratch` (see
/// [`lesson_support::testing::redis_server`]), stopped by PID when dropped.
/// Returns it with the URL lesson-02 takes.
pub fn redis_server(scratch: &Scratch) -> (Process, String) {
    lesson_support::testing::redis_server(&scratch.0)
}

/// Starts a lesson-02 socket.io server on `redis`; returns it and its address.
pub fn chat_on(redis: &str) -> (Process, SocketAddr) {
    let mut server = Process::start(lesson(&["--port", "0", "--redis", redis]));
    let port = server.port();
    (server, (Ipv4Addr::LOCALHOST, port).into())
}

/// Two lesson-02 processes, A and B, on one Redis, with two clients each:
/// `clients[0]` and `[1]` on A, `[2]` and `[3]` on B.
pub struct TwoChats {
    pub redis: Process,
    pub a: Process,
    pub b: Process,
    pub clients: Vec<Sio>,
    /// A's address, for clients that join later.
    pub a_addr: SocketAddr,
    _scratch: Scratch,
}

pub async fn two_chats(name: &str) -> TwoChats {
    let scratch = Scratch::new(name);
    let (redis, url) = redis_server(&scratch);
    let (a, a_addr) = chat_on(&url);
    let (b, b_addr) = chat_on(&url);
    let mut clients = Vec::new();
    for addr in [a_addr, a_addr, b_addr, b_addr] {
        clients.push(Sio::join(addr).await);
    }
    TwoChats { redis, a, b, clients, a_addr, _scratch: scratch }
}

/// Sends `msg` (JSON) from `clients[from]` and checks that each client of
/// `to` gets it next.
pub async fn say(clients: &mut [Sio], from: usize, msg: &str, to: &[usize]) {
    clients[from].chat(msg).await;
    for &client in to {
        assert_eq!(clients[client].next_text().await, format!(r#"42["chat message",{msg}]"#));
    }
}

/// Stops a chat process with Ctrl-C: it must exit 0 (nothing panicked).
/// Returns its log.
pub async fn stop(server: Process) -> String {
    let (code, printed) = tokio::task::spawn_blocking(|| server.interrupt()).await.unwrap();
    assert_eq!(code, Some(0), "the chat must stop cleanly; printed:\n{printed}");
    printed
}
