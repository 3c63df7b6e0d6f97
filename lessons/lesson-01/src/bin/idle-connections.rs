//! What an idle WebSocket connection costs a server, measured:
//!
//! ```text
//! cargo build --release -p lesson-01
//! target/release/idle-connections                 async, blocking, and Node's ws if node runs
//! target/release/idle-connections async --count 20000
//! ```
//!
//! For each server it starts the server as a child process on a free port,
//! reads the server's resident memory (`VmRSS` in `/proc/PID/status`), opens
//! `--count` WebSocket connections and completes each handshake, sends one
//! ping on each and waits for its pong (so the server has read from every
//! connection, as it would from a client that said hello and then fell
//! silent), reads the memory again, and prints the difference per
//! connection. Then a quick echo check, so that a smaller memory is not
//! bought with a server that no longer answers: 50 clients exchange 64-byte
//! messages, and 100 messages of 64 KiB (the documented limit) go through.
//!
//! It is a program, not a test: memory and time depend on the machine.
//! (`tests/idle_connections.rs` only checks that it runs and prints sane
//! figures.) Measure a release build: a debug build's figures say little.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use futures_util::{SinkExt, StreamExt, stream};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::WebSocketStream;
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Bytes, Message};

/// Opens many idle WebSocket connections to a server and prints what each
/// costs the server in memory; then checks that the server still answers.
#[derive(Debug, Parser)]
struct Cli {
    /// The servers to measure, one after the other [default: async,
    /// blocking, and node when `node` runs].
    #[arg(value_enum)]
    servers: Vec<Server>,
    /// Connections to open [default: 10000; 1000 for blocking, whose
    /// thread per client makes more a test of the machine].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    count: Option<u32>,
    /// Before falling silent, each connection also sends one message of
    /// this many bytes and reads the reply (0: only the ping). Shows what a
    /// connection keeps of the buffers a big message needed.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=BIG as i64))]
    first_message: u32,
}

/// A server to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Server {
    /// lesson-01's tokio-tungstenite server.
    Async,
    /// lesson-01's thread per client, sync tungstenite.
    Blocking,
    /// lesson-01's async server on a socket2 listener.
    Socket2,
    /// the article's program, on the npm package `ws` (lessons/lesson-01/node).
    Node,
}

/// Handshakes in flight at once: more than a listen backlog of 128 (the
/// blocking server's) would only make the kernel drop connection requests.
const CONNECTING_AT_ONCE: usize = 64;
/// Descriptors this program keeps for itself besides one per connection.
const SPARE_DESCRIPTORS: u64 = 64;
/// How long any one step may take before the program gives up.
const PATIENCE: Duration = Duration::from_secs(60);
/// The echo check: clients, round trips each, and message size.
const ECHO_CLIENTS: usize = 50;
const ECHO_ROUNDS: usize = 200;
const ECHO_SIZE: usize = 64;
/// The documented message limit (`protocol::MAX_MESSAGE`): it must go
/// through, and not too slowly with a small read buffer.
const BIG: usize = lesson_01::protocol::MAX_MESSAGE;
const BIG_ROUNDS: usize = 100;

type Ws = WebSocketStream<TcpStream>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cfg!(debug_assertions) {
        println!("(a debug build: measure with --release for figures worth comparing)");
    }
    let servers = match cli.servers.is_empty() {
        false => cli.servers.clone(),
        true if node_runs() => vec![Server::Async, Server::Blocking, Server::Node],
        true => {
            println!("(node does not run here: measuring the Rust servers only)");
            vec![Server::Async, Server::Blocking]
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(format!("starting tokio: {error}")),
    };
    for server in servers {
        let wanted = cli.count.map_or(default_count(server), |count| count as usize);
        let count = fit_to_descriptors(wanted);
        if let Err(error) = runtime.block_on(measure(server, count, cli.first_message as usize)) {
            return fail(format!("{server:?}: {error}"));
        }
    }
    ExitCode::SUCCESS
}

fn fail(error: String) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(2)
}

fn default_count(server: Server) -> usize {
    match server {
        Server::Blocking => 1_000,
        _ => 10_000,
    }
}

/// Each connection holds a descriptor here and one in the server (which
/// inherits this process's limit): raises the soft limit to the hard one,
/// and lowers `count`, saying so, if it does not fit.
fn fit_to_descriptors(count: usize) -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let room = usize::try_from(limit.saturating_sub(SPARE_DESCRIPTORS)).unwrap_or(usize::MAX);
    if room < count {
        println!(
            "only {limit} file descriptors may be open: {room} connections, not {count} \
             (raise the hard limit: ulimit -Hn, or prlimit)"
        );
    }
    count.min(room).max(1)
}

fn node_runs() -> bool {
    Command::new("node").arg("--version").output().is_ok_and(|output| output.status.success())
}

/// Runs the whole measurement against one server.
async fn measure(server: Server, count: usize, first_message: usize) -> Result<(), String> {
    let mut child = Started::start(server, count)?;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, child.port));
    let after_what = match first_message {
        0 => String::new(),
        size => format!(", each after one message of {size} B"),
    };
    println!("\n{} — {count} idle connections{after_what}", child.name);

    let before = rss_kib(child.pid())?;
    let started = Instant::now();
    let idle = open_idle(addr, count, first_message).await?;
    let took = started.elapsed();
    let after = rss_kib(child.pid())?;
    let per_connection = (after.saturating_sub(before)) as f64 / count as f64;
    println!(
        "  server VmRSS: {} before, {} with {count} connections (opened in {:.1} s)",
        mib(before),
        mib(after),
        took.as_secs_f64()
    );
    println!("  per idle connection: {per_connection:.1} KiB");

    let (round_trips, took) = echo_round_trips(addr).await?;
    println!(
        "  echo beside them: {:.0} round trips/s ({ECHO_CLIENTS} clients × {ECHO_ROUNDS} \
         round trips of {ECHO_SIZE} B in {:.2} s)",
        round_trips as f64 / took.as_secs_f64(),
        took.as_secs_f64(),
    );
    let (reply, took) = big_messages(addr).await?;
    println!(
        "  largest messages: {:.1} ms per round trip ({BIG_ROUNDS} of {BIG} B one after the \
         other, each answered with {reply} B)",
        took.as_secs_f64() * 1000.0 / BIG_ROUNDS as f64
    );

    // The server goes first, so the TIME_WAIT sockets are its own and not
    // this machine's ephemeral ports, which the next server needs.
    child.kill();
    drop(idle);
    Ok(())
}

/// A server started as a child process, listening.
struct Started {
    child: Child,
    port: u16,
    name: String,
}

impl Started {
    fn start(server: Server, count: usize) -> Result<Started, String> {
        let mut command = match server {
            Server::Node => {
                let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("node/ws-server.js");
                let mut command = Command::new("node");
                command.arg(script).arg("0");
                command
            }
            _ => {
                let mut command = Command::new(lesson_binary()?);
                let mode = format!("{server:?}").to_lowercase();
                let max_clients = (count + ECHO_CLIENTS + 1).to_string();
                // Room for the echo check too; and no client closed for silence.
                command.args([&mode, "--port", "0", "--max-clients", &max_clients]);
                command.args(["--idle-timeout", "86400"]);
                command
            }
        };
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| format!("starting {command:?}: {error}"))?;
        let stdout = child.stdout.take().ok_or("no standard output")?;
        let name = match server {
            Server::Node => format!("node ws-server.js (ws 8.23, Node {})", node_version()),
            _ => format!("lesson-01 {server:?}").to_lowercase(),
        };
        let mut started = Started { child, port: 0, name };
        started.port = listening_port(stdout)?;
        Ok(started)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        self.kill();
    }
}

/// lesson-01's own binary, built beside this one by `cargo build -p lesson-01`.
fn lesson_binary() -> Result<PathBuf, String> {
    let here = std::env::current_exe().map_err(|error| error.to_string())?;
    let binary = here.with_file_name("lesson-01");
    match binary.exists() {
        true => Ok(binary),
        false => Err(format!(
            "{} is missing: build it first (cargo build --release -p lesson-01)",
            binary.display()
        )),
    }
}

fn node_version() -> String {
    let output = Command::new("node").arg("--version").output();
    output
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .unwrap_or_default()
}

/// Reads the server's output on a thread of its own until the listening
/// line, whose last word is the port; then goes on reading (and dropping)
/// it, so that the server never waits on a full pipe.
fn listening_port(stdout: std::process::ChildStdout) -> Result<u16, String> {
    let (sender, port) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sender = Some(sender);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            let listening = line.contains("listening on port") || line.contains("正在监听端口");
            if listening && let Some(sender) = sender.take() {
                let last = line.rsplit(' ').next().unwrap_or_default();
                let _ = sender.send(last.parse::<u16>());
            }
        }
    });
    match port.recv_timeout(PATIENCE) {
        Ok(Ok(port)) => Ok(port),
        Ok(Err(error)) => Err(format!("a listening line without a port: {error}")),
        Err(_) => Err("the server printed no listening line".into()),
    }
}

// ANCHOR: rss
/// The process's resident memory, in KiB: `VmRSS` in `/proc/PID/status`.
fn rss_kib(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|error| format!("reading the server's memory: {error}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS line in /proc/PID/status".into())
}
// ANCHOR_END: rss

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// The client side holds many connections too: a small read buffer each.
fn client_config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(4096).write_buffer_size(0)
}

/// Opens `count` connections, each handshake complete, one ping answered
/// and, if `first_message` is not 0, one message of that size; a few at a
/// time.
async fn open_idle(
    addr: SocketAddr,
    count: usize,
    first_message: usize,
) -> Result<Vec<Ws>, String> {
    let message = "x".repeat(first_message);
    let connections = stream::iter(0..count)
        .map(|_| async {
            let mut ws = connect(addr).await?;
            ws.send(Message::Ping(Bytes::from_static(b"hello")))
                .await
                .map_err(|e| e.to_string())?;
            match ws.next().await {
                Some(Ok(Message::Pong(_))) => {}
                other => return Err(format!("a ping answered with {other:?}")),
            }
            if !message.is_empty() {
                ask(&mut ws, &message).await?;
            }
            Ok(ws)
        })
        .buffer_unordered(CONNECTING_AT_ONCE)
        .collect::<Vec<Result<Ws, String>>>();
    let opened = timeout(PATIENCE * 10, connections).await.map_err(|_| "opening took too long")?;
    opened.into_iter().collect()
}

async fn connect(addr: SocketAddr) -> Result<Ws, String> {
    let handshake = async {
        let stream = TcpStream::connect(addr).await.map_err(|e| format!("connecting: {e}"))?;
        let url = format!("ws://{addr}/");
        let (ws, _response) =
            tokio_tungstenite::client_async_with_config(url, stream, Some(client_config()))
                .await
                .map_err(|e| format!("the handshake: {e}"))?;
        Ok(ws)
    };
    timeout(PATIENCE, handshake).await.map_err(|_| "no handshake in time".to_string())?
}

/// [`ECHO_CLIENTS`] clients, each sending [`ECHO_ROUNDS`] messages one after
/// the other, waiting for each reply; returns the round trips and the time.
async fn echo_round_trips(addr: SocketAddr) -> Result<(usize, Duration), String> {
    let mut clients = Vec::new();
    for _ in 0..ECHO_CLIENTS {
        clients.push(connect(addr).await?);
    }
    let started = Instant::now();
    let talking = clients.into_iter().map(|mut ws| async move {
        let message = "x".repeat(ECHO_SIZE);
        for _ in 0..ECHO_ROUNDS {
            ask(&mut ws, &message).await?;
        }
        Ok::<_, String>(())
    });
    let all = futures_util::future::join_all(talking);
    let results = timeout(PATIENCE, all).await.map_err(|_| "the echo check took too long")?;
    results.into_iter().collect::<Result<(), String>>()?;
    Ok((ECHO_CLIENTS * ECHO_ROUNDS, started.elapsed()))
}

/// Sends [`BIG_ROUNDS`] messages of the documented limit, one after the
/// other; returns the length of the last reply, and the time.
async fn big_messages(addr: SocketAddr) -> Result<(usize, Duration), String> {
    let mut ws = connect(addr).await?;
    let message = "x".repeat(BIG);
    let started = Instant::now();
    let mut reply = 0;
    for _ in 0..BIG_ROUNDS {
        reply = ask(&mut ws, &message).await?;
    }
    Ok((reply, started.elapsed()))
}

/// Sends `text`, waits for a text reply, returns its length.
async fn ask(ws: &mut Ws, text: &str) -> Result<usize, String> {
    let exchange = async {
        ws.send(Message::text(text)).await.map_err(|e| e.to_string())?;
        match ws.next().await {
            Some(Ok(Message::Text(reply))) => Ok(reply.len()),
            other => Err(format!("not a text reply: {other:?}")),
        }
    };
    timeout(PATIENCE, exchange).await.map_err(|_| "no reply in time".to_string())?
}
