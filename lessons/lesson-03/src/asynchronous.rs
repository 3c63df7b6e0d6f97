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
//! - an idle timeout, so that silent clients cannot hold every place;
//! - a graceful stop: no new clients, open ones closed, tasks awaited.
//!
//! `tokio::net::TcpListener::bind` asks the kernel for a listen backlog of
//! 128: tokio leaves it to mio, which copies std's value. (The socket2 mode
//! asks for Node's 511; `ss -ltn` shows each in its Send-Q column.)

use std::future::Future;
use std::io;
use std::io::Write as _;
use std::sync::Arc;

use futures_util::FutureExt;
use lesson_support::ACCEPT_BACKOFF;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::timeout;

use crate::{Config, READ_BUFFER, messages};

/// How a client's connection ended, when nothing failed.
enum Ending {
    /// The client sent FIN, or the server was stopping.
    ClientEnded,
    /// The connection made no progress for the idle timeout.
    Idle,
}

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
                        // Usually "too many open files": wait, then try again.
                        config.log.line(messages::accept_error(lang, &error, ACCEPT_BACKOFF));
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
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
                        Ok(Ending::ClientEnded) => messages::client_disconnected(lang).to_string(),
                        Ok(Ending::Idle) => messages::idle_closed(lang, config.idle_timeout),
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
    if timeout(config.grace, all_finished).await.is_err() {
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
/// ends, goes idle, or the connection fails (`Err`, for example a reset:
/// Node has no handler for that and crashes; here only this task ends).
async fn serve_client(
    mut stream: TcpStream,
    config: &Config,
    mut stop: watch::Receiver<bool>,
) -> io::Result<Ending> {
    let (lang, log, idle) = (config.lang, &config.log, config.idle_timeout);
    log.line(messages::new_client(lang));
    stream.write_all(messages::greeting(lang).as_bytes()).await?;

    loop {
        // Wait until bytes have come, holding no buffer meanwhile.
        tokio::select! {
            ready = timeout(idle, stream.readable()) => match ready {
                Ok(ready) => ready?,
                Err(_elapsed) => return say_idle_goodbye(stream, config).await,
            },
            // The server is stopping: say goodbye with a FIN.
            _ = stop.changed() => {
                stream.shutdown().await?;
                return Ok(Ending::ClientEnded);
            }
        };
        // Only now, with bytes to read, is there a buffer: an idle client
        // holds none (64 KiB each would be 640 MB for 10 000 idle clients).
        // `with_capacity` takes room from the allocator without filling it
        // with zeros. `read_buf` is polled once, never waited on: it reads
        // what has come, and a short read tells tokio the socket is empty,
        // so the next `readable` waits for the kernel and the other clients
        // get their turn. (`try_read` does not tell it: a fast client could
        // then keep a thread to itself.) Readiness can be a false alarm — a
        // new socket starts out "ready" — and then the buffer is dropped and
        // the task waits again.
        let mut buffer = Vec::with_capacity(READ_BUFFER);
        let Some(read) = stream.read_buf(&mut buffer).now_or_never() else { continue };
        let n = read?;
        if n == 0 {
            return Ok(Ending::ClientEnded); // the client sent FIN: Node's `end`
        }
        // A chunk is whatever one read returned: not a line, not a message.
        // It is decoded on its own, as Node's `data.toString()` does.
        let chunk = String::from_utf8_lossy(&buffer[..n]);
        log.line(messages::received(lang, &chunk));
        let mut reply = Vec::with_capacity(chunk.len() + 32);
        write!(reply, "{}", messages::reply(lang, &chunk))?;
        // A client that never reads would make this wait for ever.
        match timeout(idle, stream.write_all(&reply)).await {
            Ok(written) => written?,
            Err(_elapsed) => return Ok(Ending::Idle),
        }
    }
}
// ANCHOR_END: serve_client

/// Tells a client that sent nothing for the idle timeout why it is being
/// closed, and closes. `try_write` never waits: if the client does not even
/// read, it simply does not get the line.
async fn say_idle_goodbye(mut stream: TcpStream, config: &Config) -> io::Result<Ending> {
    let _ = stream.try_write(messages::idle_goodbye(config.lang, config.idle_timeout).as_bytes());
    stream.shutdown().await?;
    Ok(Ending::Idle)
}
