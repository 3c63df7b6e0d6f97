//! For the lessons' tests (feature `testing`):
//! - [`Serving`]: a server mode running inside the test, stopped on demand;
//!   [`Running`]: one on a free loopback port, its log captured;
//! - [`transcript_tests!`](crate::transcript_tests): the tests every
//!   lesson's `transcripts.rs` has, one a server mode;
//! - [`Process`]: a program — a lesson's binary or the article's Node
//!   program — run as a child process, its standard output read line by
//!   line, and stopped with Ctrl-C as a user would; [`lesson`] and
//!   [`node_program`] make the commands, [`printed_while`] and
//!   [`ctrl_c_after`] run one conversation against a server;
//! - [`websocket`] (feature `websocket-testing`): a WebSocket test client;
//! - the checks every lesson's binary passes: [`assert_port_in_use_is_refused`],
//!   [`assert_no_server_is_one_line`], and for a TCP lesson
//!   [`binary_ctrl_c_tests!`](crate::binary_ctrl_c_tests);
//! - [`redis_server`]: a Redis of the test's own, in a [`Scratch`] directory.

use std::future::Future;
use std::io::{self, BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use crate::{Lang, Log, Mode, Transcript};

#[cfg(feature = "websocket-testing")]
pub mod websocket;

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

/// Where a server under test listens: 127.0.0.1, on a port the system
/// chooses (no test needs a fixed port).
pub const ANY_LOOPBACK_PORT: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);

/// The log of a server under test: captured for the test to read, showing
/// clients' text as a lesson run in `lang` shows it by default.
pub fn captured_log(lang: Lang) -> (Log, Transcript) {
    let (log, transcript) = Log::capture();
    (log.showing(lang.show(false)), transcript)
}

/// A server mode running in a test, its log captured: what each lesson's
/// `start` gives back once the server listens.
#[derive(Debug)]
pub struct Running {
    /// Where the server listens.
    pub addr: SocketAddr,
    /// The server's log, as the test reads it.
    pub log: Transcript,
    serving: Serving,
    redact: fn(&str, u16) -> String,
}

impl Running {
    /// The server `serving` on `addr`, once its log has said that it
    /// listens: a line that ends with its port (`… port 8080`, `…:41234`).
    pub async fn listening(addr: SocketAddr, mut log: Transcript, serving: Serving) -> Running {
        let port = addr.port().to_string();
        let says_port =
            |line: &str| line.strip_suffix(&port).is_some_and(|r| r.ends_with([' ', ':']));
        log.wait_until(says_port).await;
        Running { addr, log, serving, redact: redact_port }
    }

    /// The same, with `redact` hiding the ports in the log that
    /// [`Running::stop`] gives back, instead of [`redact_port`].
    pub fn redacting(self, redact: fn(&str, u16) -> String) -> Running {
        Running { redact, ..self }
    }

    /// Stops the server, waits until its `run` returns, and gives back its
    /// whole log, the port redacted.
    pub async fn stop(mut self) -> String {
        self.serving.stop().await;
        (self.redact)(&self.log.text(), self.addr.port())
    }
}

/// Replaces `port` where it ends a line (the listening line) with `[PORT]`.
pub fn redact_port(text: &str, port: u16) -> String {
    let port = format!(" {port}");
    text.lines()
        .map(|line| match line.strip_suffix(&port) {
            Some(rest) => format!("{rest} [PORT]\n"),
            None => format!("{line}\n"),
        })
        .collect()
}

/// Waits at most [`PATIENCE`] for `future`.
pub async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future).await.expect("no answer in time")
}

/// The tests of a lesson's `transcripts.rs`, written once for every lesson:
/// given its `async fn conversation(mode: Mode, lang: Lang) -> String`, the
/// snapshot of each server mode's conversation (`blocking`, `asynchronous`,
/// `socket2`), of the async one in the article's Chinese, and the check
/// that the blocking and async modes say the same in both languages.
#[macro_export]
macro_rules! transcript_tests {
    ($conversation:ident) => {
        #[tokio::test]
        async fn blocking() {
            insta::assert_snapshot!($conversation($crate::Mode::Blocking, $crate::Lang::En).await);
        }

        #[tokio::test]
        async fn asynchronous() {
            insta::assert_snapshot!($conversation($crate::Mode::Async, $crate::Lang::En).await);
        }

        #[tokio::test]
        async fn socket2() {
            insta::assert_snapshot!($conversation($crate::Mode::Socket2, $crate::Lang::En).await);
        }

        #[tokio::test]
        async fn asynchronous_in_the_articles_chinese() {
            insta::assert_snapshot!($conversation($crate::Mode::Async, $crate::Lang::Zh).await);
        }

        #[tokio::test]
        async fn blocking_and_async_say_the_same() {
            for lang in [$crate::Lang::En, $crate::Lang::Zh] {
                assert_eq!(
                    $conversation($crate::Mode::Blocking, lang).await,
                    $conversation($crate::Mode::Async, lang).await
                );
            }
        }
    };
}

/// The Ctrl-C tests of a TCP lesson's binary (lessons 01 and 03), written
/// once: given its `fn ctrl_c_after_one_client(args: &[&str], last: &str)
/// -> String`, which runs the binary with `args`, lets one client talk to it
/// until the server prints `last`, stops it with Ctrl-C and returns the
/// whole transcript, starting with `$heading`:
/// - the snapshots of the async mode, in English and in the article's
///   Chinese on every interface;
/// - that the blocking mode's transcript is the async mode's, and the
///   socket2 mode's starts with the options it set and ends with the
///   server stopping.
#[macro_export]
macro_rules! binary_ctrl_c_tests {
    ($ctrl_c_after_one_client:ident, $heading:expr) => {
        #[test]
        fn the_binary_serves_then_stops_on_ctrl_c() {
            let args = ["--port", "0"];
            insta::assert_snapshot!($ctrl_c_after_one_client(&args, "client disconnected"));
        }

        #[test]
        fn every_server_mode_of_the_binary_stops_on_ctrl_c() {
            let visit = |args: &[&str]| $ctrl_c_after_one_client(args, "client disconnected");
            let async_output = visit(&["--port", "0"]);
            assert_eq!(visit(&["blocking", "--port", "0"]), async_output);
            let socket2_output = visit(&["socket2", "--port", "0"]);
            let options = format!("{}SO_REUSEADDR = true\n", $heading);
            assert!(socket2_output.starts_with(&options), "{socket2_output}");
            assert!(socket2_output.contains("server stopped\n"), "{socket2_output}");
        }

        #[test]
        fn the_binary_in_chinese_on_every_interface() {
            let args = ["--port", "0", "--lang", "zh", "--host", "::"];
            insta::assert_snapshot!($ctrl_c_after_one_client(&args, "客户端断开连接"));
        }
    };
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

/// A lesson's binary (`env!("CARGO_BIN_EXE_lesson-01")`) with `args`, its
/// standard input, output and error piped to the test.
pub fn lesson(binary: &str, args: &[&str]) -> Command {
    let mut command = Command::new(binary);
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

/// The article's program `node/SCRIPT` of the lesson at `manifest_dir`
/// (`env!("CARGO_MANIFEST_DIR")`), on a port the system chooses.
pub fn node_program(manifest_dir: &str, script: &str) -> Command {
    let mut node = Command::new("node");
    node.arg(format!("{manifest_dir}/node/{script}")).arg("0");
    node
}

/// Starts the server `command` (a Rust port or the Node program), runs
/// `converse` against its port, reads its output up to the line `last`, and
/// stops it. Returns what it printed until then, the port shown as `PORT`,
/// and what `converse` returned: up to there the two programs must agree
/// (on Ctrl-C only Rust says more).
pub fn printed_while<T>(
    command: Command,
    converse: impl FnOnce(u16) -> T,
    last: &str,
) -> (String, T) {
    let mut server = Process::start(command);
    let port = server.port();
    let received = converse(port);
    server.wait_for_line(last);
    let printed = server.printed().replace(&port.to_string(), "PORT");
    server.interrupt();
    (printed, received)
}

/// Starts the server `command`, runs `talk` against its port, waits for the
/// line `last`, then stops the server with Ctrl-C, which must end it with
/// exit code 0. Returns everything it printed, its port shown as `[PORT]`
/// where it ends a line, and what `talk` returned.
pub fn ctrl_c_after<T>(command: Command, talk: impl FnOnce(u16) -> T, last: &str) -> (String, T) {
    let mut server = Process::start(command);
    let port = server.port();
    let talked = talk(port);
    server.wait_for_line(last);
    let (code, printed) = server.interrupt();
    assert_eq!(code, Some(0), "Ctrl-C must exit 0; printed: {printed}");
    (printed.replace(&format!(" {port}\n"), " [PORT]\n"), talked)
}

/// Checks that each server mode of `binary`, told to listen on `port` that
/// another socket holds, exits with code 2 and one line that says what to do.
pub fn assert_port_in_use_is_refused(binary: &str, port: u16) {
    let port = port.to_string();
    for mode in ["blocking", "async", "socket2"] {
        let output = lesson(binary, &[mode, "--port", &port]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{mode}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr, format!("error: port {port} is in use — try --port 0\n"), "{mode}");
    }
}

/// Checks that the client mode of `binary`, with no TCP server to talk to,
/// exits with code 2 and one line that says what to do.
pub fn assert_no_server_is_one_line(binary: &str) {
    // Bind, learn a free port, close: nothing listens there now.
    let port = std::net::TcpListener::bind(ANY_LOOPBACK_PORT).unwrap().local_addr().unwrap().port();
    let output = lesson(binary, &["client", "--port", &port.to_string()]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        format!("error: nothing listens on 127.0.0.1:{port} — start the server first\n")
    );
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
