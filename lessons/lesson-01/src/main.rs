//! `cargo run -p lesson-01 -- [MODE] [--host H] [--port P] [--lang en|zh] …`
//!
//! Parses the flags and starts the chosen mode; each mode lives in its own
//! file of the library (see `src/lib.rs`).

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use lesson_01::{Config, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CLIENTS, DEFAULT_PORT, MOST_CLIENTS};
use lesson_01::{asynchronous, blocking, client, with_socket2};
use lesson_support::{Lang, Log, Mode, UserError, mode_parser, run_logging};
use lesson_support::{ctrl_c, ctrl_c_blocking, fit_clients_to_descriptors};

/// The article's `ws` WebSocket server (§1.4): logs every client and
/// message, and answers each message with `server received: MESSAGE`.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// How the server is written (or `client` to talk to one).
    #[arg(default_value = "async", value_parser = mode_parser([
        "sync tungstenite, blocking calls: a thread per client",
        "tokio-tungstenite: a task per client on a few threads (the default)",
        "the listener built with socket2: options set, read back, printed",
        "a WebSocket client: sends the lines you type, prints the replies and the close code",
    ]))]
    mode: Mode,
    /// The address to listen on (or, for `client`, to connect to). Use `::`
    /// to listen on every interface, IPv4 and IPv6, as the Node program does.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The port; 0 lets the system choose a free one (it is printed).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,
    /// The language of the output; `zh` prints the article's exact strings.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Log clients' messages exactly as they came, control characters
    /// included, as the Node program does (the default with `--lang zh`).
    /// Otherwise they are shown escaped, so that no client can forge a line.
    #[arg(long)]
    exact_log: bool,
    /// The most clients served at once; one more gets HTTP 503.
    /// Lowered, with a note, to fit the process's file descriptor limit.
    #[arg(long, default_value_t = DEFAULT_MAX_CLIENTS as u32,
          value_parser = clap::value_parser!(u32).range(1..=MOST_CLIENTS as i64))]
    max_clients: u32,
    /// Seconds a connection may make no progress (no message received, or a
    /// reply left unread) before the server closes it (close code 1000).
    #[arg(long, default_value_t = DEFAULT_IDLE_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    idle_timeout: u64,
    /// Send every message back unchanged (text as text, binary as binary)
    /// instead of `server received: …`, as the Autobahn conformance suite
    /// expects (see scripts/autobahn).
    #[arg(long)]
    echo: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    run_logging(cli.lang.show(cli.exact_log), |log| run(&cli, log))
}

fn run(cli: &Cli, log: Log) -> Result<(), UserError> {
    let addr = SocketAddr::new(cli.host, cli.port);
    let config = || {
        let (max_clients, note) = fit_clients_to_descriptors(cli.max_clients as usize);
        if let Some(note) = note {
            log.line(note);
        }
        let idle_timeout = Duration::from_secs(cli.idle_timeout);
        Config { max_clients, idle_timeout, echo: cli.echo, ..Config::new(cli.lang, log.clone()) }
    };
    let serving = |result: std::io::Result<()>| result.map_err(|e| UserError::other("serving", e));
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
            client::run(addr, stdin, cli.lang, log.clone())
                .await
                .map_err(|e| UserError::connect(addr, e))
        }),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Runtime::new().map_err(|e| UserError::other("starting tokio", e))
}
