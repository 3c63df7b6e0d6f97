//! Lesson 01: the article's `ws` WebSocket server, rebuilt in Rust.
//!
//! ```javascript
//! const wss = new WebSocket.Server({ port: 8080 });
//! wss.on('connection', (ws) => {
//!   console.log('new client connected');
//!   ws.on('message', (message) => {
//!     console.log(`received: ${message}`);
//!     ws.send(`server received: ${message}`);
//!   });
//!   ws.on('close', () => console.log('client disconnected'));
//! });
//! console.log('WebSocket server listening on port 8080');
//! ```
//!
//! | concept                                         | file                 |
//! | ----------------------------------------------- | -------------------- |
//! | a thread per client, sync tungstenite           | [`blocking`]         |
//! | a task per client, tokio-tungstenite            | [`asynchronous`]     |
//! | building the listener yourself, options         | [`with_socket2`]     |
//! | a client: lines out, replies and close code in  | [`client`]           |
//! | the protocol's rules both servers share         | [`protocol`]         |
//! | what the server says, in two languages          | [`messages`]         |
//! | `--echo`, for the Autobahn suite                | [`Config::reply`], `scripts/autobahn` |
//! | what an idle connection costs (a benchmark)     | `src/bin/idle-connections.rs` |

pub mod asynchronous;
pub mod blocking;
pub mod client;
pub mod messages;
pub mod protocol;
pub mod with_socket2;

use std::time::Duration;

use lesson_support::{Lang, Log};
use tungstenite::Message;

/// The article's port.
pub const DEFAULT_PORT: u16 = 8080;

/// How many clients a server serves at once unless told otherwise; one more
/// gets an HTTP 503 instead of a WebSocket. (Node's `ws` has no limit: it
/// accepts until the process runs out of file descriptors.) The servers
/// lower it to fit the descriptor limit too.
pub const DEFAULT_MAX_CLIENTS: usize = 512;

/// How long a connection may make no progress (no frame from the client,
/// or a reply it does not read) before the server closes it with a close
/// frame. (Node's `ws` has none: a silent client stays for ever.)
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// Once stopping, how long a client gets to answer our close frame before
/// its connection is cut.
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
    /// Once closing, how long the client may take to answer.
    pub grace: Duration,
    /// Where log lines go.
    pub log: Log,
    /// Send every message back unchanged (text as text, binary as binary)
    /// instead of `server received: …`: what the Autobahn conformance suite
    /// expects of the server it tests (`--echo`, `scripts/autobahn`).
    pub echo: bool,
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
            echo: false,
        }
    }

    // ANCHOR: reply
    /// The answer to a data message whose text is `text`: the article's
    /// `server received: …` as a text frame, or with [`Config::echo`] the
    /// message itself (a cheap clone: its payload is reference-counted).
    pub fn reply(&self, message: &Message, text: &str) -> Message {
        match self.echo {
            true => message.clone(),
            false => Message::text(messages::reply(self.lang, text).to_string()),
        }
    }
    // ANCHOR_END: reply
}

/// How a client's connection ended; logged by [`Config::report`].
#[derive(Debug)]
pub enum Ending {
    /// The close handshake completed: the client closed, we answered.
    Closed,
    /// We closed the connection with `frame` (a broken rule, the idle
    /// timeout, the server stopping), and waited for the client's answer.
    /// `cause` is the error that broke the rule, if one did.
    ClosedBy { frame: tungstenite::protocol::CloseFrame, cause: Option<tungstenite::Error> },
    /// The connection failed: reset, or dropped without a close frame.
    Failed(tungstenite::Error),
    /// The request was no WebSocket handshake: answered with an HTTP error.
    NotWebSocket(tungstenite::Error),
}

impl Config {
    /// Logs how a client's connection ended. As in Node, every WebSocket
    /// connection ends with "client disconnected", however it ended; before
    /// it, a line says why when it did not end with a clean close.
    pub fn report(&self, ending: &Ending) {
        let (lang, log) = (self.lang, &self.log);
        match ending {
            Ending::Closed => {}
            Ending::ClosedBy { frame, cause } => {
                // Which rule was broken; but not the text of a UTF-8 error,
                // which is the client's own bytes again.
                let cause =
                    cause.as_ref().filter(|cause| !matches!(cause, tungstenite::Error::Utf8(_)));
                log.line(messages::closed_with(lang, frame, cause))
            }
            Ending::Failed(error) => log.line(messages::connection_failed(lang, error)),
            Ending::NotWebSocket(error) => {
                let status = protocol::refusal(error).lines().next().unwrap_or_default();
                log.line(messages::not_websocket(lang, status, error));
                return; // never was a WebSocket client: Node logs nothing
            }
        }
        log.line(messages::client_disconnected(lang));
    }
}
