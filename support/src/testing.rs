//! For the lessons' tests (feature `testing`):
//! - [`Serving`]: a server mode running inside the test, stopped on demand;
//! - [`Process`]: a program — a lesson's binary or the article's Node
//!   program — run as a child process, its standard output read line by
//!   line, and stopped with Ctrl-C as a user would;
//! - [`redis_server`]: a Redis of the test's own, in a [`Scratch`] directory.

use std::future::Future;
use std::io::{self, BufRead, BufReader};
use std::pin::Pin;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use crate::Mode;

/// How long a test waits for anything before it fails instead of hanging.
pub const PATIENCE: Duration = crate::log::PATIENCE;

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
/// Every wait is bounded by [`PATIENCE`]: a program that prints nothing, or
/// ignores Ctrl-C, fails the test instead of hanging it. Dropping a
/// `Process` (a test that panicked, say) kills the program if it still runs.
#[derive(Debug)]
pub struct Process {
    child: Child,
    /// The program's output, line by line, read by a thread of its own.
    lines: mpsc::Receiver<String>,
    printed: String,
    /// How long any one wait may take.
    patience: Duration,
}

impl Process {
    /// Starts `command` with its standard output piped to the test.
    pub fn start(mut command: Command) -> Process {
        let mut child = command.stdout(Stdio::piped()).spawn().expect("the program starts");
        let stdout = child.stdout.take().expect("a piped stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || forward_lines(stdout, sender));
        Process { child, lines, printed: String::new(), patience: PATIENCE }
    }

    /// The same, with every wait bounded by `patience` instead.
    pub fn with_patience(mut self, patience: Duration) -> Process {
        self.patience = patience;
        self
    }

    /// Reads the next line the program prints. Panics if the program ends
    /// its output first, or prints nothing for [`PATIENCE`].
    pub fn next_line(&mut self) -> String {
        match self.lines.recv_timeout(self.patience) {
            Ok(line) => {
                self.printed.push_str(&line);
                line
            }
            Err(RecvTimeoutError::Timeout) => {
                let patience = self.patience;
                panic!("the program printed no line in {patience:?}; so far:\n{}", self.printed)
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the program ended its output; it printed:\n{}", self.printed)
            }
        }
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
    /// Panics if the program has not ended its output in time.
    pub fn interrupt(self) -> (Option<i32>, String) {
        self.signal("-INT");
        self.finish()
    }

    /// Reads the rest of the output and waits for the program to exit by
    /// itself. Returns the exit code and everything printed. Panics if the
    /// program has not ended its output in time.
    pub fn finish(mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + self.patience;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.printed.push_str(&line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    let patience = self.patience;
                    panic!("the program did not end in {patience:?}; it printed:\n{}", self.printed)
                }
            }
        }
        let status = self.child.wait().expect("the program can be waited for");
        (status.code(), std::mem::take(&mut self.printed))
    }

    /// Sends a signal (`-INT`, `-KILL`, `-STOP`, `-CONT`) to the program,
    /// by its process id.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args([signal, &pid]).status().expect("kill runs");
        assert!(sent.success(), "kill {signal} {pid} failed");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // Still running only when a test failed before stopping it.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sends each line of `output` (with its newline) until the output ends.
fn forward_lines(output: ChildStdout, lines: mpsc::Sender<String>) {
    let mut reader = BufReader::new(output);
    loop {
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                if lines.send(String::from_utf8_lossy(&line).into_owned()).is_err() {
                    return;
                }
            }
        }
    }
}

/// Whether `node` can be run. If not, the test that asks skips itself (see
/// [`skip`]); under CI a missing `node` fails it.
pub fn node_available() -> bool {
    let found =
        Command::new("node").arg("--version").output().is_ok_and(|out| out.status.success());
    found || skip("node", "node is missing: ./scripts/test-all installs it")
}

/// Whether a browser test can run: `node`, Chromium (`$CHROMIUM`, else
/// Debian's `/usr/bin/chromium`) and puppeteer-core, which drives it. The
/// repository pins one copy of puppeteer-core, in `tools/book-check` (the
/// book's page check); the lessons' driver programs require it from there,
/// and `scripts/test-all` runs `npm ci` there for every lesson that needs
/// Chromium. Skips as [`skip`] says when one is missing.
pub fn browser_available() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let puppeteer =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/book-check/node_modules/puppeteer-core");
    node_available()
        && (std::path::Path::new(&chromium).exists()
            || skip("chromium", &format!("{chromium} is missing: ./scripts/test-all installs it")))
        && (std::path::Path::new(puppeteer).exists()
            || skip(
                "puppeteer-core",
                "tools/book-check/node_modules is missing: ./scripts/test-all runs npm ci there",
            ))
}

/// Whether `redis-server` can be run (Debian's package `redis-server`,
/// which `scripts/test-all` installs). Skips as [`skip`] says if not.
pub fn redis_available() -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    found || skip("redis-server", "redis-server is missing: ./scripts/test-all installs it")
}

/// A directory of the test's own, under the system's temporary directory,
/// removed when dropped. `name` must differ from every other test's.
#[derive(Debug)]
pub struct Scratch(pub std::path::PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("lesson-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A `redis-server` of the test's own, listening on the Unix socket
/// `dir/redis.sock` only (`--port 0` turns TCP off: a port found free and
/// then handed to Redis could be taken by another test in between; a path of
/// the test's own cannot), with no persistence. Returns it, stopped by PID
/// when dropped, and its URL (`redis+unix://…`, the form the `redis` crate
/// and lesson-02's `--redis` take). Check [`redis_available`] first.
pub fn redis_server(dir: &std::path::Path) -> (Process, String) {
    let socket = dir.join("redis.sock");
    let mut redis = Command::new("redis-server");
    redis.args(["--port", "0", "--save", "", "--appendonly", "no"]);
    redis.arg("--unixsocket").arg(&socket).arg("--dir").arg(dir);
    let mut redis = Process::start(redis);
    // Redis logs this once it accepts connections: Debian 12's 7.0 as "The
    // server is now ready to accept connections at PATH", 7.2 and later as
    // "Ready to accept connections unix".
    for _ in 0..MOST_LINES {
        if redis.next_line().to_lowercase().contains("ready to accept connections") {
            return (redis, format!("redis+unix://{}", socket.display()));
        }
    }
    panic!("redis-server did not get ready:\n{}", redis.printed());
}

/// Whether the tests run as root (user id 0). Tests that must act as
/// another user need it; elsewhere they skip themselves (see [`skip`]).
pub fn root_available() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let root = status.lines().any(|line| line.split_whitespace().take(2).eq(["Uid:", "0"]));
    root || skip("root", "this test needs root: CI runs as root")
}

/// Records that the running test skips itself for want of `what`, and
/// returns `false`. Under CI (`CI=true`) nothing may be skipped: it panics
/// with `why`. `scripts/test-all` names a file in `TEST_ALL_SKIPPED`; each
/// test that skips adds a line to it, which the script counts in its closing
/// summary, loudly.
pub fn skip(what: &str, why: &str) -> bool {
    use std::io::Write;
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{why}; under CI no test is skipped");
    }
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    eprintln!("skipped: {test}: {why}");
    if let Some(log) = std::env::var_os("TEST_ALL_SKIPPED").filter(|log| !log.is_empty()) {
        // One write per line, so that tests skipping at once do not interleave.
        let package = std::env::var("CARGO_PKG_NAME").unwrap_or_default();
        let line = format!("{what} {package}: {test}\n");
        let mut file =
            std::fs::OpenOptions::new().append(true).open(log).expect("TEST_ALL_SKIPPED");
        file.write_all(line.as_bytes()).expect("TEST_ALL_SKIPPED is writable");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A program that prints a line, then ignores Ctrl-C for a minute.
    fn stubborn() -> Process {
        let mut command = Command::new("sh");
        command.args(["-c", "trap '' INT; echo started; exec sleep 60"]);
        Process::start(command).with_patience(Duration::from_millis(300))
    }

    fn is_running(pid: u32) -> bool {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|stat| stat.split(' ').nth(2) == Some("Z"))
    }

    #[test]
    fn a_program_that_ignores_ctrl_c_fails_the_test_and_is_killed() {
        let mut process = stubborn();
        process.wait_for_line("started");
        let pid = process.child.id();
        let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process.interrupt()));
        let message = *failed.expect_err("it must fail, not hang").downcast::<String>().unwrap();
        assert!(message.starts_with("the program did not end in 300ms"), "{message}");
        // The panic dropped the `Process`, which killed and reaped it.
        assert!(!is_running(pid), "the program was left running");
    }

    #[test]
    fn a_program_that_prints_nothing_fails_the_wait_for_a_line() {
        let mut process = stubborn();
        process.wait_for_line("started");
        let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process.next_line()));
        let message = *failed.expect_err("it must fail, not hang").downcast::<String>().unwrap();
        assert!(message.starts_with("the program printed no line in 300ms"), "{message}");
    }
}
