//! The `net` server with std::net: blocking calls, one thread per client.
//!
//! Every call here waits: `accept` until a client arrives, `read` until
//! bytes come. So each client gets a thread of its own, which waits on that
//! client alone. That is simple to read and fine for dozens of clients;
//! each thread costs a stack (2 MiB of address space by default), so it is
//! not how you serve ten thousand.
//!
//! Blocking calls also cannot be cancelled. To stop, this server wakes its
//! own threads: it shuts down the listening socket, which makes the waiting
//! `accept` fail at once (Linux), and every client socket, which makes the
//! waiting `read` return 0.
//!
//! `TcpListener::bind` asks the kernel for a listen backlog of 128 (std's
//! fixed choice, and so the async mode's too, through mio); the socket2 mode
//! asks for Node's 511. `ss -ltn` shows it, in the Send-Q column.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

use lesson_support::ACCEPT_BACKOFF;
use socket2::SockRef;

use crate::{Config, READ_BUFFER, messages};

/// The open connections, so that stopping can close them. A client's
/// thread and this map share one socket (`Arc`), so a client costs one file
/// descriptor, not two.
pub type Clients = Arc<Mutex<HashMap<u64, Arc<TcpStream>>>>;

/// How a client's connection ended, when nothing failed.
enum Ending {
    /// The client sent FIN (or the server was stopping).
    ClientEnded,
    /// The connection made no progress for the idle timeout.
    Idle,
}

/// Serves clients on `listener` until a message arrives on `shutdown`.
pub fn run(listener: TcpListener, config: Config, shutdown: Receiver<()>) -> io::Result<()> {
    let lang = config.lang;
    config.log.line(messages::listening(lang, listener.local_addr()?.port()));

    let listener = Arc::new(listener);
    let stopping = Arc::new(AtomicBool::new(false));
    wake_on_shutdown(shutdown, Arc::clone(&stopping), Arc::clone(&listener))?;

    // ANCHOR: accept
    let clients: Clients = Arc::default();
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
            refuse(&stream, &messages::busy(lang, config.max_clients));
            continue; // dropping `stream` closes it
        }
        let spawned = thread::Builder::new().spawn({
            let (config, clients, stream) = (config.clone(), Arc::clone(&clients), stream.clone());
            move || {
                let ended = serve_client(&stream, &config);
                lock(&clients).remove(&id); // the next client may come in
                config.log.line(match ended {
                    Ok(Ending::ClientEnded) => messages::client_disconnected(lang).to_string(),
                    Ok(Ending::Idle) => messages::idle_closed(lang, config.idle_timeout),
                    Err(error) => messages::client_error(lang, &error),
                });
            }
        });
        match spawned {
            Ok(thread) => {
                open.insert(id, stream);
                threads.push(thread);
            }
            // Out of threads (or memory for a stack): this client is
            // refused; everyone else goes on being served.
            Err(error) => {
                config.log.line(messages::no_thread(lang, &error));
                refuse(&stream, messages::overloaded(lang));
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
        // Wakes the thread blocked in `read` (it reads 0 bytes) or `write`.
        let _ = stream.shutdown(Shutdown::Both);
    }
    drop(open);
    for thread in threads {
        let _ = thread.join();
    }
    config.log.line(messages::stopped(lang));
    Ok(())
    // ANCHOR_END: shutdown
}

// ANCHOR: wake
/// Waits on another thread for the shutdown message, then wakes the
/// accepting thread, which is blocked in `accept` and cannot be cancelled:
/// shutting down a listening socket makes a waiting `accept` fail at once
/// (on Linux). Unlike connecting to ourselves, it works whatever address we
/// listen on, and however full the backlog is.
pub fn wake_on_shutdown(
    shutdown: Receiver<()>,
    stopping: Arc<AtomicBool>,
    listener: Arc<TcpListener>,
) -> io::Result<()> {
    thread::Builder::new().name("stop".into()).spawn(move || {
        // An error means the sender is gone: then stop too.
        let _ = shutdown.recv();
        stopping.store(true, Ordering::SeqCst);
        let _ = SockRef::from(&*listener).shutdown(Shutdown::Both);
    })?;
    Ok(())
}
// ANCHOR_END: wake

/// Tells a client the server cannot take it on, and lets it go, without
/// ever waiting on it: a client we refuse gets no more of our time.
fn refuse(mut stream: &TcpStream, why: &str) {
    let _ = stream.set_nonblocking(true).and_then(|()| stream.write(why.as_bytes()));
}

// ANCHOR: serve_client
/// One client's whole life: greeting, a reply per chunk, until the client
/// ends, goes idle, or the connection fails (`Err`, for example a reset).
fn serve_client(stream: &TcpStream, config: &Config) -> io::Result<Ending> {
    let (lang, log) = (config.lang, &config.log);
    log.line(messages::new_client(lang));
    // A `read` or `write` that waits longer than this fails with `WouldBlock`.
    stream.set_read_timeout(Some(config.idle_timeout))?;
    stream.set_write_timeout(Some(config.idle_timeout))?;
    let mut stream = stream; // `Read` and `Write` work on `&TcpStream`
    stream.write_all(messages::greeting(lang).as_bytes())?;

    let mut buffer = vec![0; READ_BUFFER];
    let mut reply = Vec::new();
    loop {
        // Blocks this thread, and only this thread, until bytes come.
        let n = match stream.read(&mut buffer) {
            Ok(n) => n,
            Err(error) if timed_out(&error) => {
                let goodbye = messages::idle_goodbye(lang, config.idle_timeout);
                stream.write_all(goodbye.as_bytes())?;
                stream.shutdown(Shutdown::Write)?;
                return Ok(Ending::Idle);
            }
            // A signal (Ctrl-C) interrupted the wait: wait again.
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if n == 0 {
            return Ok(Ending::ClientEnded); // FIN (or the server is stopping)
        }
        let chunk = String::from_utf8_lossy(&buffer[..n]);
        log.line(messages::received(lang, &chunk));
        reply.clear();
        write!(reply, "{}", messages::reply(lang, &chunk))?;
        match stream.write_all(&reply) {
            // The client has not read for the whole idle timeout.
            Err(error) if timed_out(&error) => return Ok(Ending::Idle),
            written => written?,
        }
    }
}
// ANCHOR_END: serve_client

/// Whether a failed `read` or `write` ran out of its timeout.
pub fn timed_out(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// Locks the client map. A thread that panicked while holding it cannot
/// have left it half-changed (every change is one call), so go on.
pub fn lock(clients: &Clients) -> MutexGuard<'_, HashMap<u64, Arc<TcpStream>>> {
    clients.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
