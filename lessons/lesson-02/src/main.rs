//! `cargo run -p lesson-02 -- [MODE] [--host H] [--port P] [--lang en|zh] …`
//!
//! Parses the flags and starts the chosen mode; each mode lives in its own
//! file of the library (see `src/lib.rs`).

use std::process::ExitCode;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, ValueEnum};
use lesson_02::by_hand;
use lesson_02::socketio;
use lesson_02::{Config, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CLIENTS, DEFAULT_PORT};
use lesson_support::{Flags, Log, UserError, ctrl_c, ctrl_c_blocking, default_port};
use lesson_support::{fit_clients_to_descriptors, idle_timeout_parser, max_clients_parser};
use lesson_support::{run_logging, runtime, serving};

/// The article's socket.io chat (§1.4): every `chat message` a client sends
/// is logged and sent to every client, the sender too.
#[derive(Debug, Parser)]
#[command(version, mut_arg("port", default_port(DEFAULT_PORT)))]
struct Cli {
    /// How the server is written (or `client` to talk to one).
    #[arg(value_enum, default_value_t = Mode::Socketio)]
    mode: Mode,
    #[command(flatten)]
    flags: Flags,
    /// The most chat clients at once; one more is refused (socket.io mode:
    /// a `connect_error` saying the server is full). Lowered, with a note,
    /// to fit the process's file descriptor limit.
    #[arg(long, default_value_t = DEFAULT_MAX_CLIENTS, value_parser = max_clients_parser())]
    max_clients: usize,
    /// Seconds a client may show no sign of life before it is dropped. In
    /// socket.io mode, the heartbeat: a ping every half of it, a pong
    /// awaited for the other half.
    #[arg(long, default_value_t = DEFAULT_IDLE_TIMEOUT.as_secs(),
          value_parser = idle_timeout_parser(2))]
    idle_timeout: u64,
    /// socket.io mode only: join every lesson-02 server on this Redis
    /// (e.g. `redis://127.0.0.1:6379`) into one chat, through socketioxide's
    /// Redis adapter. Each server still takes its own clients.
    #[arg(long, value_name = "URL")]
    redis: Option<String>,
}

/// The ways of writing the chat. socketioxide has no blocking server, so
/// the blocking, async and socket2 modes are the same chat built by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// socket.io on socketioxide: the article's program, for socket.io
    /// clients and the browser page at / (the default)
    Socketio,
    /// by hand on plain WebSockets, sync tungstenite: a thread per client
    Blocking,
    /// by hand on plain WebSockets, tokio-tungstenite: a task per client
    Async,
    /// the async hand-built chat on a listener built with socket2: options
    /// set, read back, printed
    Socket2,
    /// a terminal client of the hand-built chat: sends the lines you type,
    /// prints every message of the chat
    Client,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.redis.is_some() && cli.mode != Mode::Socketio {
        // Only socketioxide has an adapter to put Redis under; the hand-built
        // chats broadcast over their own list of clients.
        Cli::command()
            .error(ErrorKind::ArgumentConflict, "--redis applies only to the socketio mode")
            .exit();
    }
    run_logging(cli.flags.show(), |log| run(&cli, log))
}

fn run(cli: &Cli, log: Log) -> Result<(), UserError> {
    let (addr, lang) = (cli.flags.addr(), cli.flags.lang);
    let config = || {
        let wanted = cli.max_clients * socketio::CONNECTIONS_PER_CLIENT;
        let connections = fit_clients_to_descriptors(wanted, &log);
        let max_clients = (connections / socketio::CONNECTIONS_PER_CLIENT).max(1);
        let idle_timeout = Duration::from_secs(cli.idle_timeout);
        Config { max_clients, idle_timeout, ..Config::new(lang, log.clone()) }
    };
    match cli.mode {
        Mode::Socketio => runtime()?.block_on(async {
            let listener =
                tokio::net::TcpListener::bind(addr).await.map_err(|e| UserError::bind(addr, e))?;
            match &cli.redis {
                None => serving(socketio::run(listener, config(), ctrl_c()).await),
                Some(url) => {
                    let redis = socketio::connect_redis(url).await.map_err(|error| {
                        UserError::other(
                            &format!("connecting to Redis at {url}"),
                            // One line: some of redis's errors span several.
                            std::io::Error::other(format!(
                                "{} — {}",
                                error.to_string().lines().collect::<Vec<_>>().join("; "),
                                redis_advice(&error)
                            )),
                        )
                    })?;
                    let chat = socketio::run_on_redis(listener, config(), redis, ctrl_c());
                    serving(chat.await)
                }
            }
        }),
        Mode::Blocking => {
            let listener =
                std::net::TcpListener::bind(addr).map_err(|e| UserError::bind(addr, e))?;
            let shutdown = ctrl_c_blocking().map_err(|e| UserError::other("handling Ctrl-C", e))?;
            serving(by_hand::blocking::run(listener, config(), shutdown))
        }
        Mode::Async => runtime()?.block_on(async {
            let listener =
                tokio::net::TcpListener::bind(addr).await.map_err(|e| UserError::bind(addr, e))?;
            serving(by_hand::asynchronous::run(listener, config(), ctrl_c()).await)
        }),
        Mode::Socket2 => runtime()?.block_on(async {
            let listener = by_hand::with_socket2::listener(addr, &log)
                .map_err(|e| UserError::bind(addr, e))?;
            serving(by_hand::with_socket2::run(listener, config(), ctrl_c()).await)
        }),
        Mode::Client => runtime()?.block_on(async {
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            by_hand::client::run(addr, stdin, lang, log.clone())
                .await
                .map_err(|e| UserError::connect(addr, e))
        }),
    }
}

/// What to do about a Redis that could not be joined, by what went wrong:
/// a URL that does not parse, nothing listening, something listening that
/// does not answer, or something that answers, but not as a Redis server of version 6 or later (the first
/// to speak RESP3, which the adapter's subscriptions need).
fn redis_advice(error: &redis::RedisError) -> &'static str {
    if error.is_timeout() {
        return "something took the connection but gave no answer in time: is Redis busy or stopped?";
    }
    match error.kind() {
        redis::ErrorKind::InvalidClientConfig => {
            "not a Redis URL: write redis://HOST:PORT, or redis+unix:///PATH for a Unix socket"
        }
        redis::ErrorKind::Io => {
            "start one with `redis-server` (Debian, Ubuntu: `apt-get install redis-server`)"
        }
        _ => "what answers there is not a Redis server of version 6 or later",
    }
}
