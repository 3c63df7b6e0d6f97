//! The experiments. Each starts a fresh server, measures one thing, and
//! stops it. Every loop is bounded twice: by a duration and by a count.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::time::{Duration, Instant};

use crate::client::{ChatClient, Client, Traffic};
use crate::report::Row;
use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};

use crate::server::{CpuTime, Programs, Protocol, Redis, Server, Target, own_cpu};

/// The message every client sends: 64 bytes of text.
pub const MESSAGE: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// How long, and how much, an experiment may run.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Stop after this long…
    pub duration: Duration,
    /// …or after this many round trips per client, whichever comes first.
    pub round_trips: u64,
}

/// Told how far an experiment has come, from 0 to 1, to show progress.
pub type Progress<'a> = &'a mut dyn FnMut(f64);

/// What a load of clients, each with one request in flight, got done.
#[derive(Clone, Debug)]
pub struct Load {
    /// The server measured.
    pub target: Target,
    /// Clients at once.
    pub clients: usize,
    /// Replies received.
    pub replies: u64,
    /// Requests whose reply never came (UDP only).
    pub lost: u64,
    /// How long the clients ran.
    pub elapsed: Duration,
    /// Round-trip times: the median and the 99th percentile.
    pub p50: Duration,
    /// See `p50`.
    pub p99: Duration,
    /// CPU the server used meanwhile.
    pub server_cpu: CpuTime,
    /// The server's resident memory at the end.
    pub server_rss: u64,
    /// CPU the load generator (this process) used meanwhile.
    pub generator_cpu: CpuTime,
}

impl Load {
    /// Replies per second.
    pub fn rate(&self) -> f64 {
        self.replies as f64 / self.elapsed.as_secs_f64()
    }

    /// The server's CPU time per reply, user and system, in microseconds.
    pub fn server_us_per_message(&self) -> (f64, f64) {
        let per = |time: Duration| time.as_secs_f64() * 1e6 / self.replies.max(1) as f64;
        (per(self.server_cpu.user), per(self.server_cpu.system))
    }

    /// The results as rows of the table.
    pub fn rows(&self, experiment: &'static str) -> Vec<Row> {
        let (user, system) = self.server_us_per_message();
        let row = |metric, value, unit| {
            Row::new(experiment, self.target, self.clients, metric, value, unit)
        };
        let mut rows = vec![
            row("messages per second", self.rate(), "msg/s"),
            row("p50 round trip", micros(self.p50), "µs"),
            row("p99 round trip", micros(self.p99), "µs"),
            row("server CPU per message", user + system, "µs"),
            row("  of which user", user, "µs"),
            row("  of which kernel", system, "µs"),
            row("server RSS", self.server_rss as f64 / 1e6, "MB"),
            row(
                "load generator CPU",
                100.0 * self.generator_cpu.total().as_secs_f64() / self.elapsed.as_secs_f64(),
                "% of a core",
            ),
        ];
        if self.lost > 0 {
            rows.push(row("replies lost", self.lost as f64, "datagrams"));
        }
        rows
    }
}

/// `clients` clients, each sending [`MESSAGE`] and waiting for the reply,
/// over and over, within `limits`. With one client this is the latency
/// experiment; with many, the throughput experiment.
pub fn load(
    programs: &Programs,
    target: Target,
    clients: usize,
    limits: Limits,
    progress: Progress,
) -> io::Result<Load> {
    let server = Server::start(programs, target, clients)?;
    let connected: Vec<Client> = (0..clients)
        .map(|_| Client::connect(target.protocol, server.addr))
        .collect::<io::Result<_>>()?;
    let stop = Arc::new(AtomicBool::new(false));
    // Everyone starts together, once every client is connected.
    let start = Arc::new(Barrier::new(clients + 1));
    let workers: Vec<_> = connected
        .into_iter()
        .map(|client| {
            let (stop, start) = (Arc::clone(&stop), Arc::clone(&start));
            std::thread::spawn(move || run_client(client, limits.round_trips, &stop, &start))
        })
        .collect();

    start.wait();
    let (began, server_before, own_before) = (Instant::now(), server.cpu()?, own_cpu()?);
    // The clients stop themselves after their round trips; this stops them
    // at the deadline, showing progress meanwhile.
    while began.elapsed() < limits.duration && !workers.iter().all(|w| w.is_finished()) {
        progress(began.elapsed().as_secs_f64() / limits.duration.as_secs_f64());
        std::thread::sleep(Duration::from_millis(50).min(limits.duration));
    }
    stop.store(true, Ordering::Relaxed);
    let mut samples = Vec::new();
    let mut lost = 0;
    for worker in workers {
        let (times, lost_here) =
            worker.join().map_err(|_| io::Error::other("a client thread panicked"))??;
        samples.extend(times);
        lost += lost_here;
    }
    let elapsed = began.elapsed();
    let (server_cpu, generator_cpu) =
        (server.cpu()?.since(server_before), own_cpu()?.since(own_before));
    samples.sort_unstable();
    Ok(Load {
        target,
        clients,
        replies: samples.len() as u64,
        lost,
        elapsed,
        p50: percentile(&samples, 50.0),
        p99: percentile(&samples, 99.0),
        server_cpu,
        server_rss: server.rss()?,
        generator_cpu,
    })
}

/// One client's loop: its round-trip times, and how many replies never came.
fn run_client(
    mut client: Client,
    round_trips: u64,
    stop: &AtomicBool,
    start: &Barrier,
) -> io::Result<(Vec<Duration>, u64)> {
    let mut times = Vec::new();
    let mut lost = 0;
    start.wait();
    for _ in 0..round_trips {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let sent = Instant::now();
        match client.round_trip(MESSAGE)? {
            Some(_reply) => times.push(sent.elapsed()),
            None => lost += 1,
        }
    }
    Ok((times, lost))
}

/// The time below which `percent` % of the sorted `samples` lie.
fn percentile(samples: &[Duration], percent: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let rank = (percent / 100.0 * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

fn micros(time: Duration) -> f64 {
    time.as_secs_f64() * 1e6
}

/// What a protocol puts on the wire, counted from real traffic.
#[derive(Clone, Debug)]
pub struct Wire {
    /// The server measured.
    pub target: Target,
    /// Bytes exchanged before the first message could be sent.
    pub handshake: Traffic,
    /// Bytes the client wrote per message (payload: [`MESSAGE`]'s length).
    pub sent_per_message: f64,
    /// Bytes the client read per reply.
    pub received_per_reply: f64,
    /// Of those, the reply's own text.
    pub reply_payload: usize,
}

impl Wire {
    /// The results as rows of the table.
    pub fn rows(&self) -> Vec<Row> {
        let row = |metric, value, unit| Row::new("bytes", self.target, 1, metric, value, unit);
        vec![
            row("handshake, client to server", self.handshake.sent as f64, "B"),
            row("handshake, server to client", self.handshake.received as f64, "B"),
            row("message payload", MESSAGE.len() as f64, "B"),
            row("message on the wire", self.sent_per_message, "B"),
            row("reply payload", self.reply_payload as f64, "B"),
            row("reply on the wire", self.received_per_reply, "B"),
        ]
    }
}

/// Sends `round_trips` messages on one connection and counts the bytes.
pub fn bytes_on_the_wire(
    programs: &Programs,
    target: Target,
    round_trips: u64,
) -> io::Result<Wire> {
    let server = Server::start(programs, target, 1)?;
    let mut client = Client::connect(target.protocol, server.addr)?;
    let handshake = client.traffic();
    let mut reply_payload = 0;
    let mut replies = 0;
    for _ in 0..round_trips.max(1) {
        if let Some(reply) = client.round_trip(MESSAGE)? {
            reply_payload = reply;
            replies += 1;
        }
    }
    let traffic = client.traffic();
    let per = |total: u64, before: u64| (total - before) as f64 / replies.max(1) as f64;
    Ok(Wire {
        target,
        handshake,
        sent_per_message: per(traffic.sent, handshake.sent),
        received_per_reply: per(traffic.received, handshake.received),
        reply_payload,
    })
}

/// The cost of starting a conversation: connecting (and, for WebSocket, the
/// HTTP upgrade), then the first round trip.
#[derive(Clone, Debug)]
pub struct Start {
    /// The server measured.
    pub target: Target,
    /// Conversations started.
    pub conversations: usize,
    /// Median time until the client may send (connected, greeted, upgraded).
    pub ready: Duration,
    /// Median time until the first reply.
    pub first_reply: Duration,
}

impl Start {
    /// Round trips before the first reply: a fact of each protocol.
    pub fn round_trips(&self) -> u32 {
        match self.target.protocol {
            Protocol::Udp => 1,                        // the datagram and its answer
            Protocol::Tcp => 2,                        // SYN / SYN-ACK, then the message
            Protocol::WebSocket | Protocol::Chat => 3, // SYN / SYN-ACK, the HTTP upgrade, the message
            Protocol::SocketIo => 4, // and socket.io's join (`40`) before the first event
        }
    }

    /// The results as rows of the table.
    pub fn rows(&self) -> Vec<Row> {
        let row = |metric, value, unit| Row::new("start", self.target, 1, metric, value, unit);
        vec![
            row("round trips to the first reply", f64::from(self.round_trips()), ""),
            row("p50 ready to send", micros(self.ready), "µs"),
            row("p50 first reply", micros(self.first_reply), "µs"),
        ]
    }
}

/// Starts conversations one after another, each a new connection (a new
/// socket for UDP), until `limits` say stop.
pub fn starting(
    programs: &Programs,
    target: Target,
    limits: Limits,
    progress: Progress,
) -> io::Result<Start> {
    let server = Server::start(programs, target, 1)?;
    let began = Instant::now();
    let (mut ready, mut first_reply) = (Vec::new(), Vec::new());
    for _ in 0..limits.round_trips.max(1) {
        if began.elapsed() >= limits.duration && !ready.is_empty() {
            break;
        }
        progress(began.elapsed().as_secs_f64() / limits.duration.as_secs_f64());
        let started = Instant::now();
        let mut client = Client::connect(target.protocol, server.addr)?;
        ready.push(started.elapsed());
        if client.round_trip(MESSAGE)?.is_some() {
            first_reply.push(started.elapsed());
        }
    }
    ready.sort_unstable();
    first_reply.sort_unstable();
    Ok(Start {
        target,
        conversations: ready.len(),
        ready: percentile(&ready, 50.0),
        first_reply: percentile(&first_reply, 50.0),
    })
}

/// What idle connections cost the server.
#[derive(Clone, Debug)]
pub struct Idle {
    /// The server measured.
    pub target: Target,
    /// Idle connections held.
    pub connections: usize,
    /// The server's resident memory with one connection, then with all.
    pub rss_before: u64,
    /// See `rss_before`.
    pub rss_after: u64,
}

impl Idle {
    /// Resident memory per idle connection, in bytes.
    pub fn per_connection(&self) -> f64 {
        self.rss_after.saturating_sub(self.rss_before) as f64 / self.connections.max(1) as f64
    }

    /// The results as rows of the table.
    pub fn rows(&self) -> Vec<Row> {
        let row = |metric, value, unit| {
            Row::new("idle", self.target, self.connections, metric, value, unit)
        };
        vec![
            row("memory per idle connection", self.per_connection() / 1024.0, "KiB"),
            row("server RSS with them all", self.rss_after as f64 / 1e6, "MB"),
        ]
    }
}

/// Opens `count` connections that then say nothing, and reads the server's
/// resident memory before and after. One connection is opened first and
/// kept, so that what the first one sets up once (a thread pool, say) is
/// not charged to all the others.
pub fn idle(
    programs: &Programs,
    target: Target,
    count: usize,
    progress: Progress,
) -> io::Result<Idle> {
    room_for(count)?;
    let server = Server::start(programs, target, count + 1)?;
    let mut held = vec![Client::connect(target.protocol, server.addr)?];
    let rss_before = server.rss()?;
    for opened in 0..count {
        if opened % 100 == 0 {
            progress(opened as f64 / count as f64);
        }
        // Connected means the server has taken it: greeted it, or upgraded it.
        held.push(Client::connect(target.protocol, server.addr)?);
    }
    Ok(Idle { target, connections: count, rss_before, rss_after: server.rss()? })
}

/// Raises this process's open-file limit for `count` connections, each a
/// descriptor here. (The servers raise their own: the lessons fit their
/// client limit to it, and Node's libuv raises it at start.)
fn room_for(count: usize) -> io::Result<()> {
    let wanted = count as u64 + 64;
    let limit = rlimit::increase_nofile_limit(wanted)?;
    if limit < wanted {
        return Err(io::Error::other(format!(
            "{count} connections need {wanted} open files, but this process may open only {limit} (raise the limit with ulimit -n)"
        )));
    }
    Ok(())
}

/// Where a fan-out's chat runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chats {
    /// One chat process: the sender and the listeners on it.
    One,
    /// Two lesson-02 socket.io processes on a Redis of their own: the
    /// sender on A, the listeners on B, so every message crosses Redis.
    TwoOnRedis,
}

impl Chats {
    /// The experiment's name in the results.
    pub fn experiment(self) -> &'static str {
        match self {
            Chats::One => "fan-out",
            Chats::TwoOnRedis => "fan-out-redis",
        }
    }
}

/// How long one chat message took to reach a room full of listeners.
#[derive(Clone, Debug)]
pub struct FanOut {
    /// The chat measured.
    pub target: Target,
    /// In one process, or two on Redis.
    pub chats: Chats,
    /// Listeners in the room (the sender is one more).
    pub listeners: usize,
    /// Messages sent, one at a time.
    pub rounds: usize,
    /// Time from sending to the last listener's read: median and 99th percentile.
    pub last_p50: Duration,
    /// See `last_p50`.
    pub last_p99: Duration,
    /// Time from sending to the first listener's read: median and 99th percentile.
    pub first_p50: Duration,
    /// See `first_p50`.
    pub first_p99: Duration,
    /// CPU the chat server used for all the rounds (both, across Redis).
    pub server_cpu: CpuTime,
    /// CPU Redis used for all the rounds, across Redis.
    pub redis_cpu: Option<CpuTime>,
    /// The server's resident memory at the end (the listeners' one).
    pub server_rss: u64,
    /// CPU the load generator used for all the rounds.
    pub generator_cpu: CpuTime,
}

impl FanOut {
    /// The results as rows of the table.
    pub fn rows(&self) -> Vec<Row> {
        let row = |metric, value, unit| {
            Row::new(self.chats.experiment(), self.target, self.listeners, metric, value, unit)
        };
        let per_message = |time: Duration| micros(time) / self.rounds.max(1) as f64;
        let mut rows = vec![
            row("p50 to the last listener", micros(self.last_p50), "µs"),
            row("p99 to the last listener", micros(self.last_p99), "µs"),
            row("p50 to the first listener", micros(self.first_p50), "µs"),
            row("p99 to the first listener", micros(self.first_p99), "µs"),
            row("server CPU per message", per_message(self.server_cpu.total()), "µs"),
            // As for throughput: how much of it is the kernel's, one write
            // per listener, which every server pays whatever its language.
            row("  of which user", per_message(self.server_cpu.user), "µs"),
            row("  of which kernel", per_message(self.server_cpu.system), "µs"),
            row("server RSS", self.server_rss as f64 / 1e6, "MB"),
            row("load generator CPU per message", per_message(self.generator_cpu.total()), "µs"),
        ];
        if let Some(redis) = self.redis_cpu {
            rows.insert(7, row("Redis CPU per message", per_message(redis.total()), "µs"));
        }
        rows
    }
}

/// Joins `listeners` clients to a chat, and one sender; then sends `rounds`
/// chat messages one at a time, each once every listener has read the one
/// before, and times each from just before it is sent to the first and the
/// last listener's read.
///
/// A thread reads up to [`LISTENERS_PER_THREAD`] listeners: their sockets
/// are non-blocking and wait together in one epoll set (a thread each cost
/// the load generator more CPU per message than the servers it measured).
/// So a listener's time includes the reads of the others before it in its
/// thread.
pub fn fan_out(
    programs: &Programs,
    target: Target,
    chats: Chats,
    listeners: usize,
    rounds: usize,
    progress: Progress,
) -> io::Result<FanOut> {
    room_for(listeners + 1)?;
    // Across Redis: the listeners' process B and the sender's A.
    let redis = match chats {
        Chats::One => None,
        Chats::TwoOnRedis => Some(Redis::start()?),
    };
    let extra: Vec<&str> = redis.iter().flat_map(|redis| ["--redis", redis.url.as_str()]).collect();
    let server = Server::start_with(programs, target, listeners + 1, &extra)?;
    let sender_server = match chats {
        Chats::One => None,
        Chats::TwoOnRedis => Some(Server::start_with(programs, target, 1, &extra)?),
    };
    let mut room = Vec::with_capacity(listeners);
    for joined in 0..listeners {
        if joined % 50 == 0 {
            progress(0.5 * joined as f64 / listeners as f64);
        }
        room.push(ChatClient::join(target.protocol, server.addr)?);
    }
    let (arrivals, arrived) = mpsc::channel();
    let mut readers = Vec::new();
    while !room.is_empty() {
        let rest = room.split_off(room.len().min(LISTENERS_PER_THREAD));
        readers.push(listen(room, rounds, arrivals.clone())?);
        room = rest;
    }
    drop(arrivals); // the readers hold theirs: when they all stop, `recv` says so
    let mut sender =
        ChatClient::join(target.protocol, sender_server.as_ref().unwrap_or(&server).addr)?;
    let servers_cpu = || -> io::Result<CpuTime> {
        let other = sender_server.as_ref().map_or(Ok(CpuTime::default()), Server::cpu)?;
        Ok(server.cpu()?.plus(other))
    };
    let redis_cpu = || redis.as_ref().map(Redis::cpu).transpose();
    let (server_before, redis_before, own_before) = (servers_cpu()?, redis_cpu()?, own_cpu()?);
    let (mut first, mut last) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        progress(0.5 + 0.5 * round as f64 / rounds as f64);
        let sent = Instant::now();
        sender.say(&round_text(round))?;
        let (mut earliest, mut latest) = (None::<Instant>, None::<Instant>);
        for _ in 0..readers.len() {
            match arrived.recv_timeout(crate::client::CHAT_PATIENCE) {
                Ok((first, last)) => {
                    earliest = Some(earliest.map_or(first, |e| e.min(first)));
                    latest = Some(latest.map_or(last, |l| l.max(last)));
                }
                // A reading thread has stopped: its error says why.
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(io::Error::other(format!(
                        "round {round}: a listener got nothing in time"
                    )));
                }
            }
        }
        if let (Some(earliest), Some(latest)) = (earliest, latest) {
            first.push(earliest - sent);
            last.push(latest - sent);
        }
        // The chat sends the sender its own message too: read it, so that
        // nothing piles up, and answer the heartbeat on the way.
        sender.next_chat_message()?;
    }
    let (server_cpu, generator_cpu) =
        (servers_cpu()?.since(server_before), own_cpu()?.since(own_before));
    let redis_cpu = redis_cpu()?.zip(redis_before).map(|(now, before)| now.since(before));
    for reader in readers {
        reader.join().map_err(|_| io::Error::other("a listeners' thread panicked"))??;
    }
    first.sort_unstable();
    last.sort_unstable();
    Ok(FanOut {
        target,
        chats,
        listeners,
        rounds,
        last_p50: percentile(&last, 50.0),
        last_p99: percentile(&last, 99.0),
        first_p50: percentile(&first, 50.0),
        first_p99: percentile(&first, 99.0),
        server_cpu,
        redis_cpu,
        server_rss: server.rss()?,
        generator_cpu,
    })
}

/// Round `round`'s chat message: each its own, so that a late copy of the
/// one before is told apart.
fn round_text(round: usize) -> String {
    format!("{round:04}{}", &MESSAGE[4..])
}

/// Listeners a reading thread waits on at most. With one thread for a
/// thousand, which reads for milliseconds each round, the first listener's
/// p50 was 1.2–10 ms in three runs; with ten threads, 0.8–1.8 ms, for the
/// same CPU. (A thread that used much CPU lately is, we think, made to wait
/// by the kernel's fair scheduler while the server's threads run.)
const LISTENERS_PER_THREAD: usize = 100;

/// Reads `rounds` chat messages from every one of `room`, in one thread
/// that waits on all their sockets at once, and sends, for each round, when
/// the first and the last listener read it: one wake-up of the sender's
/// thread a round, not one a listener.
fn listen(
    mut room: Vec<ChatClient>,
    rounds: usize,
    arrivals: mpsc::Sender<(Instant, Instant)>,
) -> io::Result<std::thread::JoinHandle<io::Result<()>>> {
    let mut poll = Poll::new()?;
    for (index, listener) in room.iter_mut().enumerate() {
        let fd = listener.nonblocking()?;
        poll.registry().register(&mut SourceFd(&fd), Token(index), Interest::READABLE)?;
    }
    Ok(std::thread::spawn(move || {
        let mut events = Events::with_capacity(1024);
        let listeners = room.len();
        let (mut round, mut expected) = (0, round_text(0));
        let (mut read, mut earliest) = (0, None);
        while round < rounds {
            poll.poll(&mut events, Some(crate::client::CHAT_PATIENCE))?;
            if events.is_empty() {
                return Err(io::Error::other(format!("round {round}: no listener got anything")));
            }
            for event in &events {
                // Edge-triggered, yet one read is enough: a listener gets
                // the next message only once every listener has read this
                // one, so nothing can wait behind it but a heartbeat, which
                // the next round's read answers on its way.
                let listener = &mut room[event.token().0];
                if let Some(said) = listener.poll_chat_message()? {
                    let at = Instant::now();
                    if said != expected {
                        return Err(io::Error::other(format!(
                            "round {round}: a listener got {said:?}"
                        )));
                    }
                    let first = *earliest.get_or_insert(at);
                    read += 1;
                    if read == listeners {
                        if arrivals.send((first, at)).is_err() {
                            return Ok(()); // the experiment has given up
                        }
                        round += 1;
                        (expected, read, earliest) = (round_text(round), 0, None);
                    }
                }
            }
        }
        Ok(())
    }))
}
