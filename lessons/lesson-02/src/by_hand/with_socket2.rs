//! The hand-built async chat on a listener built with socket2.
//!
//! The listener is lesson-03's, made one system call at a time with its
//! options printed; each accepted socket gets lesson-01's WebSocket tuning
//! (Nagle off, read back and logged). A chat is an ordinary TCP server
//! underneath: nothing here is new, which is the point.

use std::future::Future;
use std::io;
use std::sync::Arc;

pub use lesson_03::with_socket2::listener;

use super::asynchronous;
use super::chat::Chat;
use crate::Config;

/// Serves the chat on a listener from [`listener`] until `shutdown`
/// resolves.
pub async fn run(
    listener: std::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let config = super::connection_config(&config);
    let chat = Arc::new(Chat::new(&config));
    let on_accept = lesson_01::with_socket2::tune_and_log(config.log.clone());
    asynchronous::serve(listener, config, chat, shutdown, on_accept).await
}
