//! Plumbing shared by every lesson, kept out of the lessons so that each
//! lesson's files show only the networking they teach.
//!
//! - [`Mode`] and [`Lang`]: the values of the flags every lesson has.
//! - [`Log`]: where a server's log lines go — standard output when you run a
//!   lesson, a [`Transcript`] when a test runs it.
//! - [`ctrl_c`] and [`ctrl_c_blocking`]: the shutdown signal, for async and
//!   blocking servers.
//! - [`exit_with`]: one clear error line and exit code 2, never a backtrace.
//! - `testing` (feature `testing`): running a program under test.

#[cfg(feature = "testing")]
pub mod testing;

use std::fmt;
use std::future::Future;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

/// The ways of writing each lesson; `--help` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// std::net with blocking calls; threads for concurrency.
    Blocking,
    /// tokio: async tasks on a few threads (the default).
    Async,
    /// the socket built by hand with socket2: options set, read back, printed.
    Socket2,
    /// a client that talks to the server, so you need no other tool.
    Client,
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
}

/// Where log lines go. Cloning is cheap; every clone writes to the same place.
#[derive(Clone, Debug)]
pub struct Log(Sink);

#[derive(Clone, Debug)]
enum Sink {
    Stdout,
    Capture(mpsc::UnboundedSender<String>),
}

impl Log {
    /// Lines go to standard output, as `console.log` does in Node.
    pub fn stdout() -> Log {
        Log(Sink::Stdout)
    }

    /// Lines go to the returned [`Transcript`], for tests.
    pub fn capture() -> (Log, Transcript) {
        let (sender, receiver) = mpsc::unbounded_channel();
        (Log(Sink::Capture(sender)), Transcript { receiver, seen: Vec::new() })
    }

    /// Writes one line. Like `console.log`, it adds a newline, even when
    /// the text already ends with one.
    pub fn line(&self, text: impl Into<String>) {
        let text = text.into();
        match &self.0 {
            // Unlike `println!`, this does not panic when standard output
            // has gone away (`cargo run … | head -1`): the server goes on.
            Sink::Stdout => {
                let _ = writeln!(io::stdout().lock(), "{text}");
            }
            // A test that stopped listening is not the server's problem.
            Sink::Capture(sender) => {
                let _ = sender.send(text);
            }
        }
    }
}

/// The log lines of a server under test, in order.
#[derive(Debug)]
pub struct Transcript {
    receiver: mpsc::UnboundedReceiver<String>,
    seen: Vec<String>,
}

/// How long a test waits for a log line before it gives up. A bound against
/// hanging forever, not a way to synchronise: tests wait for the line itself.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

impl Transcript {
    /// Waits until a line equal to `expected` has been logged, and returns
    /// it. Panics if it does not come within 20 seconds or the log closes.
    pub async fn wait_for(&mut self, expected: &str) -> String {
        self.wait_until(|line| line == expected).await
    }

    /// Waits until a line for which `wanted` is true has been logged.
    pub async fn wait_until(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        if let Some(line) = self.seen.iter().find(|line| wanted(line)) {
            return line.clone();
        }
        let waiting = async {
            while let Some(line) = self.receiver.recv().await {
                self.seen.push(line.clone());
                if wanted(&line) {
                    return Some(line);
                }
            }
            None
        };
        match tokio::time::timeout(PATIENCE, waiting).await {
            Ok(Some(line)) => line,
            Ok(None) => panic!("the log closed; lines so far: {:#?}", self.seen),
            Err(_) => panic!("no such line within {PATIENCE:?}; lines so far: {:#?}", self.seen),
        }
    }

    /// Every line logged so far, in order, one per line.
    pub fn text(&mut self) -> String {
        while let Ok(line) = self.receiver.try_recv() {
            self.seen.push(line);
        }
        self.seen.iter().map(|line| format!("{line}\n")).collect()
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
pub fn ctrl_c_blocking() -> std::sync::mpsc::Receiver<()> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("a one-thread runtime for the Ctrl-C handler");
    let interrupted = {
        let _inside = runtime.enter();
        ctrl_c()
    };
    std::thread::spawn(move || {
        runtime.block_on(interrupted);
        let _ = sender.send(());
    });
    receiver
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
