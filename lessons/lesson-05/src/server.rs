//! The servers under test: the lessons' real binaries (and, with
//! `--with-node`, the Node programs), each started as a child process on
//! port 0, so that what the kernel says about the process — its CPU time,
//! its resident memory — is about the server alone.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// What the server speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// lesson-03, the `net` server.
    Tcp,
    /// lesson-04, the `dgram` server.
    Udp,
    /// lesson-01, the `ws` server.
    WebSocket,
    /// lesson-02's socket.io chat (socketioxide, or Node's `socket.io`),
    /// spoken over WebSocket only.
    SocketIo,
    /// lesson-02's chat built by hand on plain WebSockets: a JSON envelope.
    Chat,
}

impl Protocol {
    /// Every protocol, in the order the table shows them.
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::WebSocket];

    /// The chats, which broadcast instead of echoing: measured by fan-out.
    pub const CHATS: [Protocol; 2] = [Protocol::SocketIo, Protocol::Chat];

    /// The short name used on the command line and in the results.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::WebSocket => "ws",
            Protocol::SocketIo => "socketio",
            Protocol::Chat => "chat",
        }
    }

    /// Whether a client holds a connection (and the server state for it).
    pub fn has_connections(self) -> bool {
        self != Protocol::Udp
    }

    fn lesson(self) -> &'static str {
        match self {
            Protocol::Tcp => "lesson-03",
            Protocol::Udp => "lesson-04",
            Protocol::WebSocket => "lesson-01",
            Protocol::SocketIo | Protocol::Chat => "lesson-02",
        }
    }

    fn node_program(self) -> &'static str {
        match self {
            Protocol::Tcp => "net-server.js",
            Protocol::Udp => "dgram-server.js",
            Protocol::WebSocket => "ws-server.js",
            // The hand-built chat has no Node original: fan-out never plans
            // it with Node, and the socket.io program is the nearest.
            Protocol::SocketIo | Protocol::Chat => "chat-server.js",
        }
    }

    /// The lesson binary's mode for a Rust `style`: the socket.io chat is
    /// one async mode of its own.
    fn mode(self, style: Style) -> &'static str {
        match self {
            Protocol::SocketIo => "socketio",
            _ => style.name(),
        }
    }
}

/// How the server is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// The lesson's `blocking` mode: a thread per client (one loop for UDP).
    Blocking,
    /// The lesson's `async` mode: a tokio task per client.
    Async,
    /// The article's Node program.
    Node,
}

impl Style {
    /// The short name used on the command line and in the results.
    pub fn name(self) -> &'static str {
        match self {
            Style::Blocking => "blocking",
            Style::Async => "async",
            Style::Node => "node",
        }
    }
}

/// One server to measure: a protocol written in a style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// What it speaks.
    pub protocol: Protocol,
    /// How it is written.
    pub style: Style,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.protocol.name(), self.style.name())
    }
}

/// Where the programs are: the lessons' binaries, and the repository (for
/// the Node programs).
#[derive(Clone, Debug)]
pub struct Programs {
    /// The directory holding `lesson-01` to `lesson-04`.
    pub binaries: PathBuf,
    /// The workspace's root directory.
    pub repository: PathBuf,
}

impl Programs {
    /// The lessons' binaries of this build's profile (release when this
    /// program is built with `--release`), built first with cargo when cargo
    /// is at hand — so a changed lesson is measured as it is now, not as it
    /// was when last built.
    pub fn build() -> io::Result<Programs> {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let repository = repository.canonicalize().unwrap_or(repository);
        let binaries = binary_directory()?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build.current_dir(&repository).args(["build", "--quiet", "--bins"]);
        for lesson in LESSONS {
            build.args(["-p", lesson]);
        }
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        match build.status() {
            Ok(status) if status.success() => {}
            Ok(status) => return Err(io::Error::other(format!("building the lessons: {status}"))),
            // No cargo here: use the binaries as they are, if they exist.
            Err(_) => {}
        }
        for lesson in LESSONS {
            let binary = binaries.join(lesson);
            if !binary.exists() {
                return Err(io::Error::other(format!(
                    "{} not found: run `cargo build --release -p {lesson}`",
                    binary.display(),
                )));
            }
        }
        Ok(Programs { binaries, repository })
    }

    /// Why the Node programs cannot run here, if they cannot: no `node`, or
    /// no `ws` package beside the WebSocket program, or no `socket.io`
    /// beside the chat.
    pub fn node_missing(&self) -> Option<String> {
        let node = Command::new("node").arg("--version").output();
        if !node.is_ok_and(|output| output.status.success()) {
            return Some("node is not installed (Debian: apt-get install nodejs npm)".into());
        }
        for (lesson, package) in [("lesson-01", "ws"), ("lesson-02", "socket.io")] {
            let folder = format!("lessons/{lesson}/node");
            if !self.repository.join(&folder).join("node_modules").join(package).exists() {
                return Some(format!(
                    "the npm package {package} is missing: run `npm ci` in {folder}"
                ));
            }
        }
        None
    }
}

/// The lessons whose servers are measured.
const LESSONS: [&str; 4] = ["lesson-01", "lesson-02", "lesson-03", "lesson-04"];

/// Where cargo put this program, and so the lessons' binaries: the
/// directory of the executable, or its parent for a test (`deps/`).
fn binary_directory() -> io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let directory = exe.parent().ok_or_else(|| io::Error::other("no directory"))?;
    Ok(match directory.file_name() {
        Some(name) if name == "deps" => directory.parent().unwrap_or(directory).to_path_buf(),
        _ => directory.to_path_buf(),
    })
}

/// A server running as a child process.
#[derive(Debug)]
pub struct Server {
    child: Child,
    /// Where it listens, on loopback.
    pub addr: SocketAddr,
}

/// CPU time a process has used so far, from `/proc/PID/stat`.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuTime {
    /// Time running the program's own code.
    pub user: Duration,
    /// Time the kernel spent on the program's behalf (system calls).
    pub system: Duration,
}

impl CpuTime {
    /// The time used since `earlier`.
    pub fn since(self, earlier: CpuTime) -> CpuTime {
        CpuTime {
            user: self.user.saturating_sub(earlier.user),
            system: self.system.saturating_sub(earlier.system),
        }
    }

    /// User and system together.
    pub fn total(self) -> Duration {
        self.user + self.system
    }

    /// This and `other` together: the CPU of several processes.
    pub fn plus(self, other: CpuTime) -> CpuTime {
        CpuTime { user: self.user + other.user, system: self.system + other.system }
    }
}

impl Server {
    /// Starts `target` on port 0 with the article's strings (`--lang zh`, so
    /// Rust and Node send the same bytes), room for `clients` connections,
    /// and waits for the line that says which port it got.
    pub fn start(programs: &Programs, target: Target, clients: usize) -> io::Result<Server> {
        Server::start_with(programs, target, clients, &[])
    }

    /// [`Server::start`], with `extra` arguments for a lesson binary (such
    /// as lesson-02's `--redis URL`).
    pub fn start_with(
        programs: &Programs,
        target: Target,
        clients: usize,
        extra: &[&str],
    ) -> io::Result<Server> {
        let mut command = match target.style {
            Style::Node => {
                let lesson = programs.repository.join("lessons").join(target.protocol.lesson());
                let mut command = Command::new("node");
                command.arg(lesson.join("node").join(target.protocol.node_program())).arg("0");
                command
            }
            Style::Blocking | Style::Async => {
                let mut command = Command::new(programs.binaries.join(target.protocol.lesson()));
                command.args([target.protocol.mode(target.style), "--port", "0", "--lang", "zh"]);
                if target.protocol.has_connections() {
                    // The one being measured plus the few the experiment opens around it.
                    command.arg("--max-clients").arg((clients + 16).to_string());
                }
                command.args(extra);
                command
            }
        };
        let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).spawn()?;
        let stdout = child.stdout.take().ok_or_else(|| io::Error::other("no stdout"))?;
        match read_port(stdout) {
            Ok(port) => Ok(Server { child, addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)) }),
            Err(error) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(io::Error::other(format!("starting {target}: {error}")))
            }
        }
    }

    /// The CPU time the server has used so far.
    pub fn cpu(&self) -> io::Result<CpuTime> {
        cpu_of(&format!("/proc/{}/stat", self.child.id()))
    }

    /// The server's resident memory now, in bytes.
    pub fn rss(&self) -> io::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kib = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .ok_or_else(|| io::Error::other("no VmRSS in /proc/PID/status"))?;
        Ok(kib * 1024)
    }

    /// The process id, for `perf record -p`.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Only our own child, by its id. The figures are taken; how it stops
        // is not measured, so it is not asked politely.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `redis-server` of our own for lesson-02's chats to share: on a Unix
/// socket in a directory of its own (`--port 0` turns TCP off, so no port
/// is taken), without persistence; stopped by its PID, its directory
/// removed, when dropped.
#[derive(Debug)]
pub struct Redis {
    child: Child,
    directory: PathBuf,
    /// What lesson-02's `--redis` takes: `redis+unix://PATH`.
    pub url: String,
}

impl Redis {
    /// Whether `redis-server` can be run here.
    pub fn available() -> bool {
        Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    /// Starts it, and waits until it says it accepts connections.
    pub fn start() -> io::Result<Redis> {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let nth = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let directory =
            std::env::temp_dir().join(format!("lesson-05-redis-{}-{nth}", std::process::id()));
        std::fs::create_dir_all(&directory)?;
        let socket = directory.join("redis.sock");
        let mut command = Command::new("redis-server");
        command.args(["--port", "0", "--save", "", "--appendonly", "no", "--unixsocket"]);
        command.arg(&socket).arg("--dir").arg(&directory);
        let child = command.stdin(Stdio::null()).stdout(Stdio::piped()).spawn()?;
        let url = format!("redis+unix://{}", socket.display());
        let mut redis = Redis { child, directory, url };
        let stdout = redis.child.stdout.take();
        let mut reader = BufReader::new(stdout.ok_or_else(|| io::Error::other("no stdout"))?);
        // Redis 7.0 says "The server is now ready to accept connections at
        // PATH", 7.2 and later "Ready to accept connections unix"; its banner
        // and notes come first.
        let mut line = String::new();
        for _ in 0..100 {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            if line.to_lowercase().contains("ready to accept connections") {
                std::thread::spawn(move || drain(reader));
                return Ok(redis);
            }
        }
        Err(io::Error::other(format!(
            "redis-server did not get ready (last line: {:?})",
            line.trim_end()
        )))
    }

    /// The CPU time Redis has used so far.
    pub fn cpu(&self) -> io::Result<CpuTime> {
        cpu_of(&format!("/proc/{}/stat", self.child.id()))
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// The CPU time this program (the load generator) has used so far.
pub fn own_cpu() -> io::Result<CpuTime> {
    cpu_of("/proc/self/stat")
}

// ANCHOR: cpu
/// Reads fields 14 and 15 (utime, stime) of a `/proc/…/stat` file, in clock
/// ticks of 1/100 s (Linux's USER_HZ on every architecture it runs on).
fn cpu_of(path: &str) -> io::Result<CpuTime> {
    let stat = std::fs::read_to_string(path)?;
    // The name, field 2, is in parentheses and may hold spaces: count after it.
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |field: usize| -> io::Result<Duration> {
        let value = fields.get(field - 3).and_then(|text| text.parse::<u64>().ok());
        let value = value.ok_or_else(|| io::Error::other(format!("no field {field} in {path}")))?;
        Ok(Duration::from_millis(value * 10))
    };
    Ok(CpuTime { user: ticks(14)?, system: ticks(15)? })
}
// ANCHOR_END: cpu

/// Reads the server's output until the line that ends with its port, then
/// leaves a thread reading (and dropping) the rest: a server whose log pipe
/// is not read would soon stop, or drop its lines.
fn read_port(stdout: ChildStdout) -> io::Result<u16> {
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    // A few notes may come first (a lowered client limit, say); a listening
    // line always comes within the first handful.
    for _ in 0..8 {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let digits: String =
            line.trim_end().chars().rev().take_while(char::is_ascii_digit).collect();
        if let Ok(port) = digits.chars().rev().collect::<String>().parse::<u16>() {
            std::thread::spawn(move || drain(reader));
            return Ok(port);
        }
    }
    Err(io::Error::other(format!("it printed no port (last line: {:?})", line.trim_end())))
}

fn drain(mut reader: impl Read) {
    let mut sink = vec![0; 64 * 1024];
    while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
}
