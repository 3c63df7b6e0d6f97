//! The `ws` server with sync tungstenite: blocking calls, one thread per
//! client.
//!
//! Every call here waits: `accept` until a client arrives, `read` until a
//! whole message has come. So each client gets a thread of its own. That is
//! simple to read, and fine for dozens of clients; each thread costs a stack
//! (2 MiB of address space), so it is not how you hold ten thousand.
//!
//! tungstenite's `WebSocket` wraps any `Read + Write`. We give it
//! `&TcpStream` rather than the stream itself, so that the socket stays
//! ours: when the handshake fails, tungstenite's error takes its stream
//! with it, and we still need ours to answer with an HTTP error.
//!
//! Blocking calls cannot be cancelled. To stop, the server shuts down the
//! *reading* side of every client socket: the waiting `read` returns at
//! once, and the writing side is still open for the close frame.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use lesson_support::ACCEPT_BACKOFF;
use tungstenite::handshake::HandshakeError;
use tungstenite::protocol::{CloseFrame, Role};
use tungstenite::{Error, WebSocket};

// The plumbing of lesson 03's `net` server, which this server shares: the
// map of open connections, waking a blocked `accept` to stop, and telling
// a timeout from a failure.
pub use lesson_03::blocking::timed_out;
use lesson_03::blocking::{Clients, lock, wake_on_shutdown};

use crate::{Config, Ending, messages, protocol};

/// Serves clients on `listener` until a message arrives on `shutdown`.
pub fn run(listener: TcpListener, config: Config, shutdown: Receiver<()>) -> io::Result<()> {
    run_with(listener, config, shutdown, |stream, config, stopping| {
        serve_client(stream, config, stopping)
    })
}

/// [`run`], serving each client's socket with `serve` on a thread of its own
/// (lesson-02's chat serves its clients with this accept loop). `serve`
/// gets the shared socket, so that it can hand it to other threads, and
/// `stopping`, which is set before the server wakes it to stop.
pub fn run_with<S>(
    listener: TcpListener,
    config: Config,
    shutdown: Receiver<()>,
    serve: S,
) -> io::Result<()>
where
    S: Fn(&Arc<TcpStream>, &Config, &AtomicBool) -> Ending + Clone + Send + 'static,
{
    let lang = config.lang;
    config.log.line(messages::listening(lang, listener.local_addr()?.port()));

    let listener = Arc::new(listener);
    let stopping = Arc::new(AtomicBool::new(false));
    wake_on_shutdown(shutdown, Arc::clone(&stopping), Arc::clone(&listener))?;

    // ANCHOR: accept
    let clients: Clients = Arc::default();
    // Every client thread holds a clone of `alive`; once all are dropped,
    // `all_gone` says so. That is how stopping waits, with a time limit.
    let (alive, all_gone) = mpsc::channel::<()>();
    let mut threads = Vec::new();
    for id in 0_u64.. {
        let accepted = listener.accept();
        if stopping.load(Ordering::SeqCst) {
            break; // `accept` was woken up to stop
        }
        let stream = match accepted {
            Ok((stream, _peer)) => Arc::new(stream),
            Err(error) => {
                // Usually "too many open files": wait, then try again.
                config.log.line(messages::accept_error(lang, &error, ACCEPT_BACKOFF));
                thread::sleep(ACCEPT_BACKOFF);
                continue;
            }
        };
        let mut open = lock(&clients);
        if open.len() >= config.max_clients {
            config.log.line(messages::client_rejected(lang, config.max_clients));
            refuse(&stream, protocol::BUSY);
            continue;
        }
        let spawned = thread::Builder::new().spawn({
            let (config, clients, stream) = (config.clone(), Arc::clone(&clients), stream.clone());
            let (stopping, alive, serve) = (Arc::clone(&stopping), alive.clone(), serve.clone());
            move || {
                let ending = serve(&stream, &config, &stopping);
                lock(&clients).remove(&id); // the next client may come in
                config.report(&ending);
                drop(alive);
            }
        });
        match spawned {
            Ok(thread) => {
                open.insert(id, stream);
                threads.push(thread);
            }
            // Out of threads: this client is refused, the others go on.
            Err(error) => {
                config.log.line(messages::no_thread(lang, &error));
                refuse(&stream, protocol::BUSY);
            }
        }
        drop(open);
        threads.retain(|thread| !thread.is_finished());
    }
    // ANCHOR_END: accept

    // ANCHOR: shutdown
    let open = lock(&clients);
    config.log.line(messages::shutting_down(lang, open.len()));
    for stream in open.values() {
        // The waiting `read` returns; the thread sees `stopping` and sends
        // its client a close frame on the side still open.
        let _ = stream.shutdown(Shutdown::Read);
    }
    drop(open);
    drop(alive);
    if let Err(mpsc::RecvTimeoutError::Timeout) = all_gone.recv_timeout(config.grace) {
        // A client that reads nothing can block our close frame for ever.
        let open = lock(&clients);
        config.log.line(messages::cut_off(lang, open.len()));
        for stream in open.values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
    for thread in threads {
        let _ = thread.join();
    }
    config.log.line(messages::stopped(lang));
    Ok(())
    // ANCHOR_END: shutdown
}

/// Answers a client with an HTTP error and lets it go, without ever waiting
/// on it: the write goes into an empty send buffer or not at all.
fn refuse(mut stream: &TcpStream, response: &str) {
    let _ = stream.set_nonblocking(true).and_then(|()| stream.write(response.as_bytes()));
    let _ = stream.shutdown(Shutdown::Write);
}

// ANCHOR: serve_client
/// One client's whole life: the handshake, a reply per message, until the
/// close handshake, a broken rule, the idle timeout, or a failure.
fn serve_client(stream: &TcpStream, config: &Config, stopping: &AtomicBool) -> Ending {
    let mut ws = match handshake(stream, stream, config) {
        Ok(ws) => ws,
        Err(ending) => return ending,
    };
    let (lang, log) = (config.lang, &config.log);
    log.line(messages::new_client(lang));

    loop {
        // Blocks this thread until a whole message has come. Pings are
        // answered, and a close frame too, inside `read`.
        let message = match ws.read() {
            Ok(message) => message,
            // The client closed, we answered, and tungstenite saw the end.
            Err(Error::ConnectionClosed) => return Ending::Closed,
            Err(error) => return end_with(&mut ws, error, config, stopping),
        };
        let Some(text) = protocol::text_of(&message) else { continue };
        log.line(messages::received(lang, &text));
        if let Err(error) = ws.send(config.reply(&message, &text)) {
            return end_with(&mut ws, error, config, stopping);
        }
    }
}
/// Sets `stream`'s idle timeouts, then does the WebSocket handshake over
/// `io` (the stream itself, or a wrapper of it); a request that is no
/// handshake is answered with an HTTP error on `stream`.
pub fn handshake<S: Read + Write>(
    stream: &TcpStream,
    io: S,
    config: &Config,
) -> Result<WebSocket<S>, Ending> {
    // A `read` or `write` that waits longer than this fails with `WouldBlock`.
    let timeouts = stream
        .set_read_timeout(Some(config.idle_timeout))
        .and_then(|()| stream.set_write_timeout(Some(config.idle_timeout)));
    if let Err(error) = timeouts {
        return Err(Ending::Failed(error.into()));
    }
    match tungstenite::accept_with_config(io, Some(protocol::websocket_config())) {
        Ok(ws) => Ok(ws),
        Err(HandshakeError::Failure(error)) => {
            refuse(stream, protocol::refusal(&error));
            Err(Ending::NotWebSocket(error))
        }
        // The read timeout ran out in the middle of the handshake.
        Err(HandshakeError::Interrupted(_)) => {
            Err(Ending::Failed(io::Error::from(io::ErrorKind::TimedOut).into()))
        }
    }
}

// ANCHOR_END: serve_client

// ANCHOR: end_with
/// Ends a connection on which `error` happened: with the close frame the
/// error calls for, if any (tungstenite sends none itself).
fn end_with(
    ws: &mut WebSocket<&TcpStream>,
    error: Error,
    config: &Config,
    stopping: &AtomicBool,
) -> Ending {
    // Woken up to stop, or out of time: the error only says how we noticed.
    if stopping.load(Ordering::SeqCst) {
        return close(ws, protocol::shutdown_close(), None, config.grace);
    }
    if matches!(&error, Error::Io(error) if timed_out(error)) {
        return close(ws, protocol::idle_close(), None, config.grace);
    }
    match protocol::close_for(&error) {
        Some(frame) => close(ws, frame, Some(error), config.grace),
        None => Ending::Failed(error),
    }
}

/// Sends `frame`, then waits (at most `grace`) for the client to answer and
/// close its side. Its answer is read as raw bytes and dropped: after a
/// broken rule the stream may be in the middle of a frame, and tungstenite
/// would only find more errors in it. Closing without reading what the
/// client sent would make the kernel reset the connection, and the client
/// might lose our close frame.
///
/// When the server is stopping, `read` has seen the end of input (that is
/// how the thread was woken) and tungstenite counts the connection as
/// finished: it would send nothing more. The writing side is still open, so
/// a fresh `WebSocket` over the same socket sends the close frame.
pub fn close(
    ws: &mut WebSocket<&TcpStream>,
    frame: CloseFrame,
    cause: Option<Error>,
    grace: Duration,
) -> Ending {
    let mut stream = *ws.get_ref();
    // `grace` in all, for writing the close frame and reading the answer:
    // a client that reads nothing cannot hold the thread longer.
    let deadline = Instant::now() + grace;
    let _ = stream.set_write_timeout(Some(grace));
    if ws.can_write() {
        let _ = ws.close(Some(frame.clone()));
    } else {
        let mut fresh = WebSocket::from_raw_socket(stream, Role::Server, None);
        let _ = fresh.close(Some(frame.clone()));
    }
    let _ = stream.shutdown(Shutdown::Write); // the server closes TCP first (RFC 6455 §7.1.1)
    let mut scratch = [0; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut scratch) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Ending::ClosedBy { frame, cause }
}
// ANCHOR_END: end_with
