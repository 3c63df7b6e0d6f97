//! The same chat built by hand on plain WebSockets (the `blocking`, `async`,
//! `socket2` and `client` modes): what socket.io gives you, written out.
//!
//! | concept                                               | file               |
//! | ----------------------------------------------------- | ------------------ |
//! | the protocol: a JSON envelope, an event and its data  | [`envelope`]       |
//! | the room: a bounded queue per client, `io.emit`       | [`chat`]           |
//! | a reader and a writer thread per client               | [`blocking`]       |
//! | a task per client, waiting on its socket and queue    | [`asynchronous`]   |
//! | the async chat on a listener built with socket2       | [`with_socket2`]   |
//! | a terminal client                                     | [`client`]         |
//! | what only the hand-built chat logs                    | [`said`]           |
//!
//! The WebSocket underneath is lesson-01's, reused rather than repeated:
//! its accept loops, handshake, message size limit (64 KiB), close codes
//! for broken rules, idle timeout and stop.

pub mod asynchronous;
pub mod blocking;
pub mod chat;
pub mod client;
pub mod envelope;
pub mod said;
pub mod with_socket2;

use crate::Config;

/// lesson-01's configuration of a WebSocket server, from this lesson's.
/// The message limit is lesson-01's [`lesson_01::protocol::MAX_MESSAGE`],
/// not `config.max_message` (socket.io's 1 MB): a chat line needs no more.
pub fn connection_config(config: &Config) -> lesson_01::Config {
    lesson_01::Config {
        max_clients: config.max_clients,
        idle_timeout: config.idle_timeout,
        grace: config.grace,
        ..lesson_01::Config::new(config.lang, config.log.clone())
    }
}
