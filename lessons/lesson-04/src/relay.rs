//! A relay that loses and reorders datagrams on purpose, by a script.
//!
//! UDP may lose datagrams, deliver them out of order, or deliver one twice.
//! On loopback it almost never does, so you never see it — until your
//! program meets a real network. This relay makes it happen, and happen the
//! same way every time: it sits between a client and the server, forwards
//! datagrams both ways, and follows a [`Plan`] that says, by number, which
//! datagram to drop and which to hold back until the next one has passed.
//!
//! ```text
//!   client ──#1 #2 #3 #4──▶ relay ──#1 #4 #3──▶ server      drop 2, hold 3
//!          ◀───────────── relay ◀────────────
//! ```
//!
//! No randomness and no timers decide anything: what happens to a datagram
//! depends only on its number in its direction. Tests use it to show loss
//! and reordering; the stop-and-wait exercise must deliver through it.
//!
//! It serves one client: the last address that sent it a datagram, other
//! than the server itself. It is a teaching tool, written with blocking std
//! calls on a thread of its own, so that blocking and async code can use it.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use lesson_support::Log;

use crate::DATAGRAM_BUFFER;

/// What happens to one datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Sent on at once.
    Forward,
    /// Thrown away.
    Drop,
    /// Kept until the next datagram in the same direction is forwarded, then
    /// sent right after it: the two arrive swapped.
    Hold,
}

/// The fate of each datagram in one direction, by number (the first is 1).
/// Datagrams the script does not mention get the default: [`Fate::Forward`]
/// unless [`Script::drop_all`] was called.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    fates: BTreeMap<u64, Fate>,
    drop_the_rest: bool,
}

impl Script {
    /// Forwards everything.
    pub fn new() -> Script {
        Script::default()
    }

    /// Drops datagram number `n`.
    pub fn drop(mut self, n: u64) -> Script {
        self.fates.insert(n, Fate::Drop);
        self
    }

    /// Holds datagram number `n` until the next one forwarded has passed.
    pub fn hold(mut self, n: u64) -> Script {
        self.fates.insert(n, Fate::Hold);
        self
    }

    /// Drops every datagram the script does not otherwise mention.
    pub fn drop_all(mut self) -> Script {
        self.drop_the_rest = true;
        self
    }

    /// The fate of datagram number `n`.
    pub fn fate(&self, n: u64) -> Fate {
        let default = match self.drop_the_rest {
            true => Fate::Drop,
            false => Fate::Forward,
        };
        self.fates.get(&n).copied().unwrap_or(default)
    }
}

/// Reads a script such as `drop 2, hold 3` (or `drop all`).
impl FromStr for Script {
    type Err = String;

    fn from_str(text: &str) -> Result<Script, String> {
        let mut script = Script::new();
        for step in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            script = match step.split_whitespace().collect::<Vec<_>>()[..] {
                ["drop", "all"] => script.drop_all(),
                ["drop", n] => script.drop(number(n)?),
                ["hold", n] => script.hold(number(n)?),
                _ => return Err(format!("`{step}`: expected `drop N`, `hold N` or `drop all`")),
            };
        }
        Ok(script)
    }
}

fn number(text: &str) -> Result<u64, String> {
    match text.parse() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{text}` is not a datagram number (1, 2, …)")),
    }
}

/// The scripts for both directions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Datagrams from the client to the server.
    pub to_server: Script,
    /// Datagrams from the server back to the client.
    pub to_client: Script,
}

/// Which way a datagram goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    ToServer,
    ToClient,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::ToServer => "client→server",
            Direction::ToClient => "server→client",
        })
    }
}

/// One direction's state: how many datagrams so far, and the one held back.
#[derive(Debug, Default)]
struct Lane {
    count: u64,
    held: Option<(u64, Vec<u8>)>,
}

/// A running relay. Dropping it stops it.
#[derive(Debug)]
pub struct Relay {
    /// Where clients send their datagrams (127.0.0.1, a free port).
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// How often the relay's thread looks at its stop flag while idle.
const STOP_POLL: Duration = Duration::from_millis(100);

impl Relay {
    /// Starts a relay on 127.0.0.1 (a free port) to `server`, following
    /// `plan` and logging what it does to each datagram.
    pub fn start(server: SocketAddr, plan: Plan, log: Log) -> io::Result<Relay> {
        Relay::start_on((Ipv4Addr::LOCALHOST, 0).into(), server, plan, log)
    }

    /// [`Relay::start`] on the address `listen`.
    pub fn start_on(
        listen: SocketAddr,
        server: SocketAddr,
        plan: Plan,
        log: Log,
    ) -> io::Result<Relay> {
        let socket = UdpSocket::bind(listen)?;
        socket.set_read_timeout(Some(STOP_POLL))?;
        let addr = socket.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = thread::Builder::new()
            .name("relay".into())
            .spawn(move || relay(socket, server, plan, log, stopping))?;
        Ok(Relay { addr, stop, thread: Some(thread) })
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

// ANCHOR: relay
/// The relay's loop: one socket faces both sides. A datagram from the server
/// goes to the client; one from anybody else goes to the server, and its
/// sender becomes the client.
fn relay(socket: UdpSocket, server: SocketAddr, plan: Plan, log: Log, stop: Arc<AtomicBool>) {
    let mut client = None;
    let (mut to_server, mut to_client) = (Lane::default(), Lane::default());
    let mut buffer = vec![0; DATAGRAM_BUFFER];
    while !stop.load(Ordering::SeqCst) {
        let Ok((n, from)) = socket.recv_from(&mut buffer) else {
            continue; // the read timeout (or an error): look at `stop`
        };
        let datagram = buffer[..n].to_vec();
        let (direction, lane, script, to) = if from == server {
            let Some(client) = client else { continue };
            (Direction::ToClient, &mut to_client, &plan.to_client, client)
        } else {
            client = Some(from);
            (Direction::ToServer, &mut to_server, &plan.to_server, server)
        };
        lane.count += 1;
        let number = lane.count;
        let send = |number: u64, bytes: &[u8], how: &str| {
            log.line(format!("relay: {direction} #{number} {how}"));
            let _ = socket.send_to(bytes, to);
        };
        match script.fate(number) {
            Fate::Drop => log.line(format!("relay: {direction} #{number} dropped")),
            Fate::Hold => {
                log.line(format!("relay: {direction} #{number} held back"));
                if let Some((earlier, bytes)) = lane.held.replace((number, datagram)) {
                    send(earlier, &bytes, "forwarded late");
                }
            }
            Fate::Forward => {
                send(number, &datagram, "forwarded");
                if let Some((earlier, bytes)) = lane.held.take() {
                    send(earlier, &bytes, "forwarded late");
                }
            }
        }
    }
}
// ANCHOR_END: relay
