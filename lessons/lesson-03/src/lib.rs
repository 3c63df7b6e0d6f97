//! Lesson 03: the article's `net` TCP server, rebuilt in Rust.
//!
//! ```javascript
//! const server = net.createServer((socket) => {
//!   console.log('new client');
//!   socket.write('Welcome to the TCP server\n');
//!   socket.on('data', (data) => {
//!     console.log(`received: ${data.toString()}`);
//!     socket.write(`server received: ${data.toString()}`);
//!   });
//!   socket.on('end', () => console.log('client disconnected'));
//! });
//! server.listen(8080, () => console.log('TCP server listening on port 8080'));
//! ```
//!
//! | concept                                  | file                 |
//! | ---------------------------------------- | -------------------- |
//! | a thread per client, blocking reads      | [`blocking`]         |
//! | a task per client, tokio                 | [`asynchronous`]     |
//! | building the socket yourself, options    | [`with_socket2`]     |
//! | a client: greeting, lines, half-close    | [`client`]           |
//! | what the server says, in two languages   | [`messages`]         |
//! | your exercises                           | `exercises/`, not in this library |

pub mod asynchronous;
pub mod blocking;
pub mod client;
pub mod messages;
pub mod with_socket2;

use std::time::Duration;

use lesson_support::{Lang, Log};

/// The article's port.
pub const DEFAULT_PORT: u16 = 8080;

/// The most bytes one read takes, and so the longest chunk a reply echoes.
/// Node's `net` reads up to 64 KiB at a time too, so a megabyte sent in one
/// write arrives, here as there, as a series of chunks of at most this size.
pub const READ_BUFFER: usize = 64 * 1024;

/// How many clients a server serves at once unless told otherwise. One more
/// is told the server is busy and disconnected. (Node's `net` has no limit
/// unless you set `server.maxConnections`: it serves clients until the
/// process runs out of file descriptors, then fails to accept.) Each client
/// holds one descriptor, so the servers also lower this to fit the
/// process's descriptor limit (see `lesson_support::fit_clients_to_descriptors`).
pub const DEFAULT_MAX_CLIENTS: usize = 512;

/// How long a connection may make no progress — no byte from the client,
/// or a reply the client does not read — before the server closes it.
/// Without it, `max_clients` silent connections would lock everyone else
/// out for ever. (Node's `net` has none unless you call `socket.setTimeout`.)
/// Two minutes leaves a person typing into the client plenty of time.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// How long open connections get to finish the reply they are writing once
/// the server stops, before they are cut off.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(5);

/// What every server mode needs to know.
#[derive(Clone, Debug)]
pub struct Config {
    /// The language of the log lines and of what clients are sent.
    pub lang: Lang,
    /// At most this many clients at once.
    pub max_clients: usize,
    /// Close a connection that makes no progress for this long.
    pub idle_timeout: Duration,
    /// Once stopping, how long a reply being written may still take.
    pub grace: Duration,
    /// Where log lines go.
    pub log: Log,
}

impl Config {
    /// The defaults: the article's behaviour, with this port's limits.
    pub fn new(lang: Lang, log: Log) -> Config {
        Config {
            lang,
            max_clients: DEFAULT_MAX_CLIENTS,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            grace: DEFAULT_GRACE,
            log,
        }
    }
}
