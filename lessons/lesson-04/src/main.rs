//! `cargo run -p lesson-04 -- [MODE] [--host H] [--port P] [--lang en|zh] [--buffer N]`
//!
//! Parses the flags and starts the chosen mode; each mode lives in its own
//! file of the library (see `src/lib.rs`).

use std::process::ExitCode;

use clap::Parser;
use lesson_04::{Config, DATAGRAM_BUFFER, DEFAULT_PORT};
use lesson_04::{asynchronous, blocking, client, with_socket2};
use lesson_support::{Flags, Log, Mode, UserError, ctrl_c, ctrl_c_blocking};
use lesson_support::{default_port, mode_parser, run_logging, serving};

/// The article's `dgram` UDP server (§2.3): logs every datagram with its
/// sender's address and answers each with a fixed greeting.
#[derive(Debug, Parser)]
#[command(version, mut_arg("port", default_port(DEFAULT_PORT)))]
#[command(mut_arg("host", |arg| arg.help(
    "The address to bind (or, for `client`, to send to). Use `0.0.0.0` to receive on every \
     IPv4 interface, as the Node program does"
)))]
#[command(mut_arg("exact_log", |arg| arg.help(
    "Log datagrams exactly as they came, control characters included, as the Node program \
     does (the default with `--lang zh`). Otherwise they are shown escaped, so that no sender \
     can forge a log line"
)))]
struct Cli {
    /// How the server is written (or `client` to talk to one). For UDP every
    /// server mode is one socket and one loop: there are no connections to
    /// give threads or tasks to.
    #[arg(default_value = "async", value_parser = mode_parser([
        "std::net, blocking calls: one socket, one loop, no threads",
        "tokio: the same loop, awaiting each datagram (the default)",
        "the socket built with socket2: options printed, truncation noticed",
        "a client: one datagram per line you type, waits for each reply",
    ]))]
    mode: Mode,
    #[command(flatten)]
    flags: Flags,
    /// The receive buffer, in bytes. Longer datagrams are cut to fit: try 8.
    #[arg(long, default_value_t = DATAGRAM_BUFFER as u32, value_parser = clap::value_parser!(u32).range(1..=65536))]
    buffer: u32,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    run_logging(cli.flags.show(), |log| run(&cli, log))
}

fn run(cli: &Cli, log: Log) -> Result<(), UserError> {
    let (addr, lang) = (cli.flags.addr(), cli.flags.lang);
    let config = Config { lang, buffer: cli.buffer as usize, log };
    match cli.mode {
        Mode::Blocking => {
            let socket = std::net::UdpSocket::bind(addr).map_err(|e| UserError::bind(addr, e))?;
            let shutdown = ctrl_c_blocking().map_err(|e| UserError::other("handling Ctrl-C", e))?;
            serving(blocking::run(socket, config, shutdown))
        }
        Mode::Async => runtime()?.block_on(async {
            let socket =
                tokio::net::UdpSocket::bind(addr).await.map_err(|e| UserError::bind(addr, e))?;
            serving(asynchronous::run(socket, config, ctrl_c()).await)
        }),
        Mode::Socket2 => runtime()?.block_on(async {
            let socket =
                with_socket2::socket(addr, &config.log).map_err(|e| UserError::bind(addr, e))?;
            serving(with_socket2::run(socket, config, ctrl_c()).await)
        }),
        Mode::Client => runtime()?.block_on(async {
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            client::run(addr, stdin, lang, config.log, client::REPLY_TIMEOUT)
                .await
                .map_err(|e| UserError::other(&format!("talking to {addr}"), e))
        }),
    }
}

/// One thread: a UDP server is one socket and one loop, so a second worker
/// thread would have nothing to do but be woken for each datagram and go
/// back to sleep (lesson 05 measured that: with one client, the default
/// multi-threaded runtime cost 40 µs of CPU per datagram, this one 17–22).
fn runtime() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| UserError::other("starting tokio", e))
}
