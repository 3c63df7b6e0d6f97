//! Plumbing shared by every lesson, kept out of the lessons so that each
//! lesson's files show only the networking they teach.
//!
//! - [`Flags`]: the flags every lesson has (`--host`, `--port`, `--lang`,
//!   `--exact-log`); [`Mode`] and [`Lang`]: their values.
//! - [`Log`]: where a server's log lines go — standard output when you run a
//!   lesson, a [`Transcript`] when a test runs it; bounded, never blocking,
//!   unforgeable (see [`log`]).
//! - [`mode_parser`]: the `MODE` argument, with help text true for a lesson.
//! - [`fit_clients_to_descriptors`]: a client limit the process can keep.
//! - [`ctrl_c`] and [`ctrl_c_blocking`]: the shutdown signal, for async and
//!   blocking servers.
//! - [`run_logging`], [`runtime`], [`serving`] and [`exit_with`]: the rest of
//!   a lesson's `main`; one clear error line and exit code 2, never a
//!   backtrace.
//! - `testing` (feature `testing`): running a program under test.
//! - `conversation` (feature `testing`): what an exercise check said and
//!   heard, for `cargo exercises`.

#[cfg(feature = "testing")]
pub mod conversation;
pub mod log;
pub mod messages;
#[cfg(feature = "testing")]
pub mod testing;

pub use log::{Log, Show, Transcript};

use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Arg;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use tokio::signal::unix::{SignalKind, signal};

/// The ways of writing each lesson; `--help` lists them, each lesson in
/// its own words (see [`mode_parser`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// std::net with blocking calls.
    Blocking,
    /// tokio: async tasks on a few threads (the default).
    Async,
    /// the socket built by hand with socket2: options set, read back, printed.
    Socket2,
    /// a client that talks to the server, so you need no other tool.
    Client,
}

impl Mode {
    /// Every mode, in the order `--help` lists them.
    pub const ALL: [Mode; 4] = [Mode::Blocking, Mode::Async, Mode::Socket2, Mode::Client];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Blocking => "blocking",
            Mode::Async => "async",
            Mode::Socket2 => "socket2",
            Mode::Client => "client",
        }
    }
}

/// The parser of a lesson's `MODE` argument: the four mode names, each with
/// the help text that is true for that lesson, given in [`Mode::ALL`]'s order.
pub fn mode_parser(help: [&'static str; 4]) -> impl TypedValueParser<Value = Mode> {
    let values = Mode::ALL
        .into_iter()
        .zip(help)
        .map(|(mode, help)| PossibleValue::new(mode.name()).help(help));
    PossibleValuesParser::new(values)
        .map(|name| Mode::ALL.into_iter().find(|mode| mode.name() == name).unwrap_or(Mode::Async))
}

/// The flags every lesson has, worded for a server of clients' messages:
/// a lesson puts them into its own with `#[command(flatten)]`, gives
/// `--port` its default with [`default_port`], and rewords a flag whose
/// help is not true for it with `mut_arg`, as lesson 04 (UDP) does.
#[derive(Debug, clap::Args)]
pub struct Flags {
    /// The address to listen on (or, for `client`, to connect to). Use `::`
    /// to listen on every interface, IPv4 and IPv6, as the Node program does.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// The port; 0 lets the system choose a free one (it is printed).
    #[arg(long, required = false)] // the default is the lesson's: see default_port
    pub port: u16,
    /// The language of the output; `zh` prints the article's exact strings.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Log clients' messages exactly as they came, control characters
    /// included, as the Node program does (the default with `--lang zh`).
    /// Otherwise they are shown escaped, so that no client can forge a line.
    #[arg(long)]
    pub exact_log: bool,
}

impl Flags {
    /// Where to listen (or, for a client, where to connect).
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }

    /// How the log shows clients' text (see [`Lang::show`]).
    pub fn show(&self) -> Show {
        self.lang.show(self.exact_log)
    }
}

/// Gives `--port` the lesson's port as its default:
/// `#[command(mut_arg("port", default_port(DEFAULT_PORT)))]` on the
/// lesson's flags, which flatten [`Flags`].
pub fn default_port(port: u16) -> impl FnOnce(Arg) -> Arg {
    // clap keeps defaults as `&'static str`; the flags are parsed once.
    let port: &'static str = port.to_string().leak();
    move |arg| arg.default_value(port)
}

/// The largest `--max-clients` a lesson accepts.
pub const MOST_CLIENTS: usize = 100_000;

/// The parser of `--max-clients`: from 1 to [`MOST_CLIENTS`].
pub fn max_clients_parser() -> impl TypedValueParser<Value = usize> {
    clap::value_parser!(u32).range(1..=MOST_CLIENTS as i64).map(|clients| clients as usize)
}

/// The parser of `--idle-timeout`, in seconds: from `least` to a day.
pub fn idle_timeout_parser(least: u64) -> impl TypedValueParser<Value = u64> {
    clap::value_parser!(u64).range(least..=86_400)
}

/// The language of the log lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// the article's exact Chinese strings, to compare with the Node program.
    Zh,
}

impl Lang {
    /// Picks the English or the Chinese text.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// How the log shows clients' text in this language unless told
    /// otherwise: `zh` is for comparing with the Node program byte for byte,
    /// so it shows the bytes exactly; English shows control characters
    /// escaped. `exact` (the `--exact-log` flag) asks for exact bytes in
    /// either language.
    pub fn show(self, exact: bool) -> Show {
        match (self, exact) {
            (Lang::En, false) => Show::Escaped,
            _ => Show::Exact,
        }
    }
}

/// Resolves when the user presses Ctrl-C (SIGINT). Call it inside the
/// runtime *before* the server starts: the handler is installed here, at
/// once, so a Ctrl-C that comes early is not lost (it would kill the process).
pub fn ctrl_c() -> impl Future<Output = ()> {
    let interrupt = signal(SignalKind::interrupt());
    async move {
        match interrupt {
            Ok(mut interrupt) => {
                interrupt.recv().await;
            }
            Err(error) => {
                eprintln!("cannot listen for Ctrl-C ({error}); stop the server with kill");
                std::future::pending::<()>().await;
            }
        }
    }
}

/// For blocking servers: a channel that receives one message when the user
/// presses Ctrl-C. A small thread waits for the signal, so the server's own
/// threads stay plain blocking code. The handler is installed before this
/// returns.
pub fn ctrl_c_blocking() -> io::Result<std::sync::mpsc::Receiver<()>> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
    let interrupted = {
        let _inside = runtime.enter();
        ctrl_c()
    };
    std::thread::Builder::new().name("ctrl-c".into()).spawn(move || {
        runtime.block_on(interrupted);
        let _ = sender.send(());
    })?;
    Ok(receiver)
}

/// How long to wait after `accept` fails before trying again. Failing
/// again at once, in a loop, would burn a core and flood the log.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Descriptors a server keeps for itself: standard input, output and error,
/// the listener, the runtime's epoll and wake-up descriptors, a few spare.
pub const RESERVED_DESCRIPTORS: u64 = 32;

/// Raises this process's limit on open files as far as it may go (the soft
/// limit up to the hard one, as Node does when it starts), then fits
/// `max_clients` under it. Each client holds one descriptor, so a limit the
/// process cannot keep would end in "too many open files" instead of a
/// polite "busy". Returns the limit to use; when it had to be lowered, a
/// line on `log` says so.
pub fn fit_clients_to_descriptors(max_clients: usize, log: &Log) -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX)
        .or_else(|_| rlimit::getrlimit(rlimit::Resource::NOFILE).map(|(soft, _)| soft));
    let Ok(limit) = limit else {
        return max_clients; // unknown: keep the user's word
    };
    let room = usize::try_from(limit.saturating_sub(RESERVED_DESCRIPTORS)).unwrap_or(usize::MAX);
    if room >= max_clients {
        return max_clients;
    }
    let fitted = room.max(1);
    log.line(format!(
        "only {limit} file descriptors may be open: serving at most {fitted} clients, not {max_clients} (raise the limit with ulimit -n)"
    ));
    fitted
}

/// Text that writes itself with `write`, formatted only when it is shown:
/// `text(move |f| match lang { Lang::En => write!(f, …), Lang::Zh => … })`
/// formats one language, into wherever it is displayed, without allocating.
pub fn text<F>(write: F) -> impl fmt::Display
where
    F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result,
{
    struct Text<F>(F);
    impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Text<F> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            (self.0)(f)
        }
    }
    Text(write)
}

/// A failure the user can fix: printed as one line, exit code 2.
#[derive(Debug)]
pub struct UserError(String);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl UserError {
    /// Says why binding `addr` failed, in words that say what to do.
    pub fn bind(addr: SocketAddr, error: io::Error) -> UserError {
        let port = addr.port();
        UserError(match error.kind() {
            io::ErrorKind::AddrInUse => format!("port {port} is in use — try --port 0"),
            io::ErrorKind::AddrNotAvailable => {
                format!("{} is not an address of this machine — try --host 127.0.0.1", addr.ip())
            }
            io::ErrorKind::PermissionDenied => {
                format!("no permission to use port {port} — try a port above 1023, or --port 0")
            }
            _ => format!("cannot listen on {addr}: {error}"),
        })
    }

    /// Says why talking to the server at `addr` failed.
    pub fn connect(addr: SocketAddr, error: io::Error) -> UserError {
        UserError(match error.kind() {
            io::ErrorKind::ConnectionRefused => {
                format!("nothing listens on {addr} — start the server first")
            }
            _ => format!("talking to {addr}: {error}"),
        })
    }

    /// Any other failure, with what was being done.
    pub fn other(doing: &str, error: io::Error) -> UserError {
        UserError(format!("{doing}: {error}"))
    }
}

/// The whole of a lesson's `main` once its flags are parsed: starts the log
/// on standard output, runs `run` with it, writes out what is left of the
/// log (without waiting for a reader that has stalled), and exits as
/// [`exit_with`] says.
pub fn run_logging(show: Show, run: impl FnOnce(Log) -> Result<(), UserError>) -> ExitCode {
    let log = match Log::stdout(show) {
        Ok(log) => log,
        Err(error) => return exit_with(Err(UserError::other("starting the log", error))),
    };
    let result = run(log.clone());
    log.flush();
    exit_with(result)
}

/// A multi-threaded tokio runtime for an async mode.
pub fn runtime() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Runtime::new().map_err(|e| UserError::other("starting tokio", e))
}

/// What a server's `run` returned, as `main` reports it.
pub fn serving(result: io::Result<()>) -> Result<(), UserError> {
    result.map_err(|e| UserError::other("serving", e))
}

/// Ends `main`: exit 0 on success, or print the error on one line and exit 2.
pub fn exit_with(result: Result<(), UserError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
