//! What the Redis tests share: a `redis-server` of their own, lesson-02
//! processes on it, and clients of each; and what goes through Redis
//! ([`wire`]).
#![allow(dead_code)] // each test file uses its own part of this

pub mod wire;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};
use std::time::Duration;

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
/// Returns it with the URL lesson-02 takes. Called again once the first has
/// stopped, it starts a new Redis on the same path: the same Redis, back.
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
    /// Where Redis listens: [`redis_server`] on it starts Redis again.
    pub scratch: Scratch,
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
    TwoChats { redis, a, b, clients, a_addr, scratch }
}

/// Sends `msg` (JSON) from `clients[from]` and checks that each client of
/// `to` gets it next.
pub async fn say(clients: &mut [Sio], from: usize, msg: &str, to: &[usize]) {
    clients[from].chat(msg).await;
    for &client in to {
        assert_eq!(clients[client].next_text().await, chat_packet(msg));
    }
}

/// Stops a chat process with Ctrl-C: it must exit 0 (nothing panicked).
/// Returns its log.
pub async fn stop(server: Process) -> String {
    let (code, printed) = tokio::task::spawn_blocking(|| server.interrupt()).await.unwrap();
    assert_eq!(code, Some(0), "the chat must stop cleanly; printed:\n{printed}");
    printed
}

/// Stops a `redis-server` with SIGINT: it must exit 0.
pub async fn stop_redis(redis: Process) {
    let (code, _) = tokio::task::spawn_blocking(|| redis.interrupt()).await.unwrap();
    assert_eq!(code, Some(0), "redis-server must stop on SIGINT");
}

/// Stops a chat process (see [`stop`]) that has lived through one outage of
/// Redis: it must have said once that Redis was lost, and once that it was
/// back, not once per message.
pub async fn stop_after_one_outage(server: Process) {
    let printed = stop(server).await;
    assert_eq!(printed.matches(LOST).count(), 1, "{printed}");
    assert_eq!(printed.matches(BACK).count(), 1, "{printed}");
}

/// What each process logs when its relay loses Redis, and when Redis is back.
pub const LOST: &str = "lost Redis (";
pub const BACK: &str = "Redis is back: messages reach every server's clients again";

/// How many probes [`probe`] may send, and how long it waits for each.
const PROBES: usize = 20;
const PROBE_WAIT: Duration = Duration::from_millis(500);

/// The chat packet of probe number `n`.
fn probe_packet(n: usize) -> String {
    chat_packet(&format!(r#""probe {n}""#))
}

/// Sends probes from `clients[from]` until `clients[to]` receives one (any
/// one: an earlier probe may arrive late), at most [`PROBES`] of them, each
/// waited for at most [`PROBE_WAIT`]; the `late` messages (JSON) may come
/// first, each at most once. Returns how many probes were sent. A loop, not
/// a sleep: it goes on as soon as messages cross, within its bound.
pub async fn probe(clients: &mut [Sio], from: usize, to: usize, late: &[&str]) -> usize {
    let mut late: Vec<String> = late.iter().map(|msg| chat_packet(msg)).collect();
    for sent in 1..=PROBES {
        clients[from].chat(&format!(r#""probe {sent}""#)).await;
        // Bounded: each late message is taken at most once.
        while let Ok(got) = tokio::time::timeout(PROBE_WAIT, clients[to].next_text()).await {
            if (1..=sent).any(|n| got == probe_packet(n)) {
                return sent;
            }
            let Some(at) = late.iter().position(|packet| *packet == got) else {
                panic!("client {to} got {got} (twice, or not expected) while probing");
            };
            late.swap_remove(at);
        }
    }
    panic!("no probe from client {from} reached client {to} in {PROBES} tries");
}

/// The chat packet that carries `msg` (JSON).
fn chat_packet(msg: &str) -> String {
    format!(r#"42["chat message",{msg}]"#)
}

/// Sends `msg` (JSON) from `clients[from]` and checks that each client of
/// `to` gets it, once the packets it may still have before it are read:
/// probes (up to `probes` of them) and the `late` messages (JSON), each of
/// those at most once.
pub async fn say_after(
    clients: &mut [Sio],
    from: usize,
    msg: &str,
    to: &[usize],
    probes: usize,
    late: &[&str],
) {
    clients[from].chat(msg).await;
    let expected = chat_packet(msg);
    let mut may_come: Vec<String> = (1..=probes).map(probe_packet).collect();
    may_come.extend(late.iter().map(|msg| chat_packet(msg)));
    for &client in to {
        let mut left = may_come.clone();
        loop {
            let got = clients[client].next_text().await;
            if got == expected {
                break;
            }
            let Some(at) = left.iter().position(|packet| *packet == got) else {
                panic!("client {client} got {got} (twice, or not expected) before {expected}");
            };
            left.swap_remove(at);
        }
    }
}
