//! Lesson 02: the article's socket.io chat, rebuilt in Rust.
//!
//! ```javascript
//! const io = require('socket.io')(3000);
//! io.on('connection', (socket) => {
//!   console.log('new client connected');
//!   socket.on('chat message', (msg) => {
//!     console.log(`received: ${msg}`);
//!     io.emit('chat message', msg); // to every client, the sender too
//!   });
//!   socket.on('disconnect', () => console.log('client disconnected'));
//! });
//! console.log('Socket.IO server listening on port 3000');
//! ```
//!
//! | concept                                             | file           |
//! | --------------------------------------------------- | -------------- |
//! | the socket.io server on socketioxide (the default)  | [`socketio`]   |
//! | the page and the client script beside `/socket.io/` | [`socketio::page`] |
//! | a bound on new sessions: a handshake flood          | [`socketio::admission`] |
//! | several processes on one Redis, reconnecting        | [`socketio::redis_driver`] |
//! | the same chat by hand on plain WebSockets           | [`by_hand`]    |
//! | what the servers say, in two languages              | [`messages`]   |

pub mod by_hand;
pub mod messages;
pub mod socketio;

use std::time::Duration;

use lesson_support::{Lang, Log};

/// The article's port.
pub const DEFAULT_PORT: u16 = 3000;

/// How many chat clients a server serves at once unless told otherwise.
/// (Node's socket.io has no limit: it accepts until the process runs out of
/// file descriptors.)
pub const DEFAULT_MAX_CLIENTS: usize = 512;

/// How long a client may show no sign of life before the server drops it.
/// In socket.io's terms it is the heartbeat: the server pings every half of
/// it and waits the other half for the pong, so 50 s is close to socket.io's
/// own 25 s + 20 s.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// The largest message a client may send, in bytes: socket.io's own default
/// (`maxHttpBufferSize`, 1 MB). A bigger one closes that client's connection.
pub const DEFAULT_MAX_MESSAGE: usize = 1_000_000;

/// Once stopping, how long clients get to be told goodbye before their
/// connections are cut.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(5);

/// What every server mode needs to know.
#[derive(Clone, Debug)]
pub struct Config {
    /// The language of the log lines.
    pub lang: Lang,
    /// At most this many clients at once.
    pub max_clients: usize,
    /// Drop a client that shows no sign of life for this long.
    pub idle_timeout: Duration,
    /// The largest message accepted, in bytes.
    pub max_message: usize,
    /// Once stopping, how long clients may take to be closed.
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
            max_message: DEFAULT_MAX_MESSAGE,
            grace: DEFAULT_GRACE,
            log,
        }
    }
}
