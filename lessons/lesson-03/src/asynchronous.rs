//! The `net` server with tokio: one task per client.
//!
//! This is the closest thing to the Node program. Node runs every callback
//! on one event loop; tokio runs every `async` task on a small pool of
//! threads, and a task that waits for the network (`.await`) gives its
//! thread to another task meanwhile. Thousands of idle clients cost
//! thousands of small tasks, not thousands of threads.
//!
//! What the Node program leaves out, and this file adds:
//! - an `error` path: a client that resets the connection ends its own task,
//!   where it crashes the Node server;
//! - a limit on clients at once, and a polite refusal beyond it;
//! - a graceful stop: no new clients, open ones closed, tasks awaited.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::{Config, READ_BUFFER, messages};

/// How long open connections get to finish once the server stops.
const GRACE: Duration = Duration::from_secs(5);

/// Serves clients on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    run_with(listener, config, shutdown, |_stream| {}).await
}

/// [`run`], calling `on_accept` on every new connection before serving it.
/// The socket2 mode uses it to set options on each accepted socket.
pub async fn run_with(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
    on_accept: impl Fn(&TcpStream),
) -> io::Result<()> {
    let lang = config.lang;
    config.log.line(messages::listening(lang, listener.local_addr()?.port()));

    // ANCHOR: accept
    // One permit per client; a client that gets none is turned away.
    let permits = Arc::new(Semaphore::new(config.max_clients));
    // Every connection task watches this; `true` means "stop".
    let (stop_sender, stop) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);

    loop {
        tokio::select! {
            () = &mut shutdown => break,
            // Collect finished tasks as we go, so the set does not grow.
            Some(_finished) = connections.join_next() => {}
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(connection) => connection,
                    Err(error) => {
                        // Usually "too many open files": wait a moment, go on.
                        config.log.line(messages::client_error(lang, &error));
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let Ok(permit) = permits.clone().try_acquire_owned() else {
                    refuse(&stream, &config);
                    continue;
                };
                on_accept(&stream);
                let config = config.clone();
                let stop = stop.clone();
                connections.spawn(async move {
                    let ended = serve_client(stream, &config, stop).await;
                    drop(permit); // the next client may come in
                    config.log.line(match ended {
                        Ok(()) => messages::client_disconnected(lang).to_string(),
                        Err(error) => messages::client_error(lang, &error),
                    });
                });
            }
        }
    }
    // ANCHOR_END: accept

    // ANCHOR: shutdown
    drop(listener); // new clients are now refused by the kernel
    // Tasks that have ended but not been collected yet hold no permit.
    let open = config.max_clients - permits.available_permits();
    config.log.line(messages::shutting_down(lang, open));
    let _ = stop_sender.send(true);
    let all_finished = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(GRACE, all_finished).await.is_err() {
        // A client that reads nothing can block a reply forever.
        config.log.line(messages::cut_off(lang, connections.len()));
        connections.shutdown().await;
    }
    config.log.line(messages::stopped(lang));
    Ok(())
    // ANCHOR_END: shutdown
}

// ANCHOR: refuse
/// Tells a client beyond the limit that the server is busy, and lets it go.
fn refuse(stream: &TcpStream, config: &Config) {
    config.log.line(messages::client_rejected(config.lang, config.max_clients));
    // `try_write` never waits: a fresh socket's send buffer has room for one
    // line, and a client we are refusing gets no more of our time than that.
    let _ = stream.try_write(messages::busy(config.lang, config.max_clients).as_bytes());
}
// ANCHOR_END: refuse

// ANCHOR: serve_client
/// One client's whole life: greeting, a reply per chunk, until the client
/// ends (`Ok`) or the connection fails (`Err`, for example a reset: Node has
/// no handler for that and crashes; here only this client's task ends).
async fn serve_client(
    mut stream: TcpStream,
    config: &Config,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let (lang, log) = (config.lang, &config.log);
    log.line(messages::new_client(lang));
    stream.write_all(messages::greeting(lang).as_bytes()).await?;

    let mut buffer = vec![0; READ_BUFFER];
    loop {
        let n = tokio::select! {
            read = stream.read(&mut buffer) => read?,
            // The server is stopping: say goodbye with a FIN.
            _ = stop.changed() => return stream.shutdown().await,
        };
        if n == 0 {
            return Ok(()); // the client sent FIN: Node's `end` event
        }
        // A chunk is whatever one read returned: not a line, not a message.
        // It is decoded on its own, as Node's `data.toString()` does.
        let chunk = String::from_utf8_lossy(&buffer[..n]);
        log.line(messages::received(lang, &chunk));
        stream.write_all(messages::reply(lang, &chunk).as_bytes()).await?;
    }
}
// ANCHOR_END: serve_client
