//! For the lessons' tests (feature `testing`):
//! - [`Serving`]: a server mode running inside the test, stopped on demand;
//! - [`Process`]: a program — a lesson's binary or the article's Node
//!   program — run as a child process, its standard output read line by
//!   line, and stopped with Ctrl-C as a user would.

use std::future::Future;
use std::io::{self, BufRead, BufReader, Read};
use std::pin::Pin;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::Mode;

/// How long a test waits for anything before it fails instead of hanging.
pub const PATIENCE: Duration = crate::PATIENCE;

/// The modes that are servers.
pub const SERVER_MODES: [Mode; 3] = [Mode::Blocking, Mode::Async, Mode::Socket2];

/// The shutdown future handed to an async server's `run`.
pub type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A server's `run` going on in the background of a test.
#[derive(Debug)]
pub struct Serving {
    stop: oneshot::Sender<()>,
    done: oneshot::Receiver<io::Result<()>>,
}

impl Serving {
    /// Runs an async server as a task: `run` gets the shutdown future to pass
    /// on, which resolves when the test calls [`Serving::stop`].
    pub fn spawn<F>(run: impl FnOnce(Shutdown) -> F) -> Serving
    where
        F: Future<Output = io::Result<()>> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel::<()>();
        let (finished, done) = oneshot::channel();
        let server = run(Box::pin(async {
            let _ = stopped.await;
        }));
        tokio::spawn(async move {
            let _ = finished.send(server.await);
        });
        Serving { stop, done }
    }

    /// Runs a blocking server on a thread of its own: `run` gets the
    /// channel on which [`Serving::stop`] sends the shutdown message.
    pub fn spawn_blocking(
        run: impl FnOnce(std::sync::mpsc::Receiver<()>) -> io::Result<()> + Send + 'static,
    ) -> Serving {
        let (stop, stopped) = oneshot::channel::<()>();
        let (finished, done) = oneshot::channel();
        let (stop_blocking, shutdown) = std::sync::mpsc::channel();
        tokio::spawn(async move {
            let _ = stopped.await;
            let _ = stop_blocking.send(());
        });
        std::thread::spawn(move || {
            let _ = finished.send(run(shutdown));
        });
        Serving { stop, done }
    }

    /// Stops the server and waits until its `run` returns. Panics if it does
    /// not return in time or returns an error.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let returned = tokio::time::timeout(PATIENCE, self.done).await;
        returned.expect("the server did not stop").expect("the server's run vanished").unwrap();
    }
}

/// The most lines a test reads while it looks for one line.
const MOST_LINES: usize = 1000;

/// A program running in the background with its standard output captured.
#[derive(Debug)]
pub struct Process {
    child: Child,
    stdout: BufReader<ChildStdout>,
    printed: String,
}

impl Process {
    /// Starts `command` with its standard output piped to the test.
    pub fn start(mut command: Command) -> Process {
        let mut child = command.stdout(Stdio::piped()).spawn().expect("the program starts");
        let stdout = BufReader::new(child.stdout.take().expect("a piped stdout"));
        Process { child, stdout, printed: String::new() }
    }

    /// Reads the next line the program prints. Panics if it exits first.
    pub fn next_line(&mut self) -> String {
        let mut line = String::new();
        let read = self.stdout.read_line(&mut line).expect("stdout is readable");
        assert!(read > 0, "the program ended its output; it printed:\n{}", self.printed);
        self.printed.push_str(&line);
        line
    }

    /// Reads lines until one ends with a port number (`… port 8080` or
    /// `…:41234`, the listening line) and returns it.
    pub fn port(&mut self) -> u16 {
        for _ in 0..MOST_LINES {
            let line = self.next_line();
            let last = line.trim_end().rsplit([' ', ':']).next().unwrap_or_default();
            if let Ok(port) = last.parse() {
                return port;
            }
        }
        panic!("no listening line in:\n{}", self.printed);
    }

    /// Reads lines until one is `expected` (without its newline).
    pub fn wait_for_line(&mut self, expected: &str) {
        for _ in 0..MOST_LINES {
            if self.next_line().trim_end_matches('\n') == expected {
                return;
            }
        }
        panic!("no line {expected:?} in:\n{}", self.printed);
    }

    /// Everything the program has printed so far (that the test has read).
    pub fn printed(&self) -> &str {
        &self.printed
    }

    /// Sends SIGINT (what Ctrl-C sends), reads the rest of the output and
    /// waits for the exit. Returns the exit code and everything printed.
    pub fn interrupt(mut self) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().expect("kill runs");
        assert!(sent.success(), "kill -INT {pid} failed");
        self.stdout.read_to_string(&mut self.printed).expect("stdout is readable");
        let status = self.child.wait().expect("the program can be waited for");
        (status.code(), self.printed)
    }
}

/// Whether `node` can be run. Under CI (`CI=true`) a missing `node` panics:
/// there the tests that compare with the Node programs must not be skipped.
pub fn node_available() -> bool {
    let found =
        Command::new("node").arg("--version").output().is_ok_and(|out| out.status.success());
    if !found && std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("node is missing: .ci/run must install it");
    }
    found
}
