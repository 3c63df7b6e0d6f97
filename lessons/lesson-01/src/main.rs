//! `cargo run -p lesson-01 -- [MODE] [--host H] [--port P] [--lang en|zh] …`
//!
//! Parses the flags and starts the chosen mode; each mode lives in its own
//! file of the library (see `src/lib.rs`).

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lesson_01::{Config, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CLIENTS, DEFAULT_PORT};
use lesson_01::{asynchronous, blocking, client, with_socket2};
use lesson_support::{Flags, Log, Mode, UserError, default_port, mode_parser};
use lesson_support::{ctrl_c, ctrl_c_blocking, fit_clients_to_descriptors};
use lesson_support::{idle_timeout_parser, max_clients_parser, run_logging, runtime, serving};

/// The article's `ws` WebSocket server (§1.4): logs every client and
/// message, and answers each message with `server received: MESSAGE`.
#[derive(Debug, Parser)]
#[command(version, mut_arg("port", default_port(DEFAULT_PORT)))]
struct Cli {
    /// How the server is written (or `client` to talk to one).
    #[arg(default_value = "async", value_parser = mode_parser([
        "sync tungstenite, blocking calls: a thread per client",
        "tokio-tungstenite: a task per client on a few threads (the default)",
        "the listener built with socket2: options set, read back, printed",
        "a WebSocket client: sends the lines you type, prints the replies and the close code",
    ]))]
    mode: Mode,
    #[command(flatten)]
    flags: Flags,
    /// The most clients served at once; one more gets HTTP 503.
    /// Lowered, with a note, to fit the process's file descriptor limit.
    #[arg(long, default_value_t = DEFAULT_MAX_CLIENTS, value_parser = max_clients_parser())]
    max_clients: usize,
    /// Seconds a connection may make no progress (no message received, or a
    /// reply left unread) before the server closes it (close code 1000).
    #[arg(long, default_value_t = DEFAULT_IDLE_TIMEOUT.as_secs(),
          value_parser = idle_timeout_parser(1))]
    idle_timeout: u64,
    /// Send every message back unchanged (text as text, binary as binary)
    /// instead of `server received: …`, as the Autobahn conformance suite
    /// expects (see scripts/autobahn).
    #[arg(long)]
    echo: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    run_logging(cli.flags.show(), |log| run(&cli, log))
}

fn run(cli: &Cli, log: Log) -> Result<(), UserError> {
    let (addr, lang) = (cli.flags.addr(), cli.flags.lang);
    let config = || Config {
        max_clients: fit_clients_to_descriptors(cli.max_clients, &log),
        idle_timeout: Duration::from_secs(cli.idle_timeout),
        echo: cli.echo,
        ..Config::new(lang, log.clone())
    };
    match cli.mode {
        Mode::Blocking => {
            let listener =
                std::net::TcpListener::bind(addr).map_err(|e| UserError::bind(addr, e))?;
            let shutdown = ctrl_c_blocking().map_err(|e| UserError::other("handling Ctrl-C", e))?;
            serving(blocking::run(listener, config(), shutdown))
        }
        Mode::Async => runtime()?.block_on(async {
            let listener =
                tokio::net::TcpListener::bind(addr).await.map_err(|e| UserError::bind(addr, e))?;
            serving(asynchronous::run(listener, config(), ctrl_c()).await)
        }),
        Mode::Socket2 => runtime()?.block_on(async {
            let listener =
                with_socket2::listener(addr, &log).map_err(|e| UserError::bind(addr, e))?;
            serving(with_socket2::run(listener, config(), ctrl_c()).await)
        }),
        Mode::Client => runtime()?.block_on(async {
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            client::run(addr, stdin, lang, log.clone())
                .await
                .map_err(|e| UserError::connect(addr, e))
        }),
    }
}
