//! `cargo run -p lesson-03 -- [MODE] [--host H] [--port P] [--lang en|zh]`
//!
//! Parses the flags and starts the chosen mode; each mode lives in its own
//! file of the library (see `src/lib.rs`).

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;
use lesson_03::{Config, DEFAULT_MAX_CLIENTS, DEFAULT_PORT};
use lesson_03::{asynchronous, blocking, client, with_socket2};
use lesson_support::{Lang, Log, Mode, UserError, ctrl_c, ctrl_c_blocking, exit_with};

/// The article's `net` TCP server (§2.3): greets each client and answers
/// every chunk of data with `server received: CHUNK`.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// How the server is written (or `client` to talk to one).
    #[arg(value_enum, default_value_t = Mode::Async)]
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
    /// The most clients served at once; one more is told the server is busy.
    #[arg(long, default_value_t = DEFAULT_MAX_CLIENTS)]
    max_clients: usize,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let addr = SocketAddr::new(cli.host, cli.port);
    let config = Config { lang: cli.lang, max_clients: cli.max_clients, log: Log::stdout() };
    let serving = |result: std::io::Result<()>| result.map_err(|e| UserError::other("serving", e));
    exit_with(match cli.mode {
        Mode::Blocking => std::net::TcpListener::bind(addr)
            .map_err(|e| UserError::bind(addr, e))
            .and_then(|listener| serving(blocking::run(listener, config, ctrl_c_blocking()))),
        Mode::Async => runtime().block_on(async {
            let listener =
                tokio::net::TcpListener::bind(addr).await.map_err(|e| UserError::bind(addr, e))?;
            serving(asynchronous::run(listener, config, ctrl_c()).await)
        }),
        Mode::Socket2 => runtime().block_on(async {
            let listener =
                with_socket2::listener(addr, &config.log).map_err(|e| UserError::bind(addr, e))?;
            serving(with_socket2::run(listener, config, ctrl_c()).await)
        }),
        Mode::Client => runtime().block_on(async {
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            client::run(addr, stdin, cli.lang, config.log)
                .await
                .map_err(|e| UserError::connect(addr, e))
        }),
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("a tokio runtime")
}
