//! The `net` server with std::net: blocking calls, one thread per client.
//!
//! Every call here waits: `accept` until a client arrives, `read` until
//! bytes come. So each client gets a thread of its own, which waits on that
//! client alone. That is simple to read and fine for dozens of clients;
//! each thread costs a stack (2 MiB of address space by default), so it is
//! not how you serve ten thousand.
//!
//! Blocking calls also cannot be cancelled. To stop, this server wakes its
//! own threads: it connects to itself to wake `accept`, and shuts down every
//! client socket to wake the `read` that is waiting on it.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::thread;

use crate::{Config, READ_BUFFER, messages};

/// The open connections, so that stopping can close them. Each entry is a
/// second handle (`try_clone`) to a socket that a client thread reads.
type Clients = Arc<Mutex<HashMap<u64, TcpStream>>>;

/// Serves clients on `listener` until a message arrives on `shutdown`.
pub fn run(listener: TcpListener, config: Config, shutdown: Receiver<()>) -> io::Result<()> {
    let lang = config.lang;
    let local = listener.local_addr()?;
    config.log.line(messages::listening(lang, local.port()));

    let stopping = Arc::new(AtomicBool::new(false));
    wake_on_shutdown(shutdown, Arc::clone(&stopping), local);

    // ANCHOR: accept
    let clients: Clients = Arc::default();
    let mut threads = Vec::new();
    for (id, accepted) in (0_u64..).zip(listener.incoming()) {
        if stopping.load(Ordering::SeqCst) {
            break; // this was the wake-up call, not a client
        }
        let mut stream = match accepted {
            Ok(stream) => stream,
            Err(error) => {
                config.log.line(messages::client_error(lang, &error));
                continue;
            }
        };
        let mut open = clients.lock().unwrap();
        if open.len() >= config.max_clients {
            config.log.line(messages::client_rejected(lang, config.max_clients));
            let _ = stream.write_all(messages::busy(lang, config.max_clients).as_bytes());
            continue; // dropping `stream` closes it
        }
        open.insert(id, stream.try_clone()?);
        drop(open);

        let config = config.clone();
        let clients = Arc::clone(&clients);
        threads.push(thread::spawn(move || {
            let ended = serve_client(stream, &config);
            clients.lock().unwrap().remove(&id); // the next client may come in
            config.log.line(match ended {
                Ok(()) => messages::client_disconnected(lang).to_string(),
                Err(error) => messages::client_error(lang, &error),
            });
        }));
        threads.retain(|thread| !thread.is_finished());
    }
    // ANCHOR_END: accept

    // ANCHOR: shutdown
    drop(listener);
    let open = clients.lock().unwrap();
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
/// accepting thread, which is blocked in `accept` and cannot be interrupted,
/// by connecting to it.
fn wake_on_shutdown(shutdown: Receiver<()>, stopping: Arc<AtomicBool>, local: SocketAddr) {
    thread::spawn(move || {
        // An error means the sender is gone: then stop too.
        let _ = shutdown.recv();
        stopping.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(reachable(local));
    });
}

/// The address to connect to for reaching a listener bound to `local`:
/// "any address" (0.0.0.0 or ::) is where one listens, not a destination.
fn reachable(local: SocketAddr) -> SocketAddr {
    let mut target = local;
    if local.ip().is_unspecified() {
        target.set_ip(match local {
            SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
        });
    }
    target
}
// ANCHOR_END: wake

// ANCHOR: serve_client
/// One client's whole life: greeting, a reply per chunk, until the client
/// ends (`Ok`) or the connection fails (`Err`, for example a reset).
fn serve_client(mut stream: TcpStream, config: &Config) -> io::Result<()> {
    let (lang, log) = (config.lang, &config.log);
    log.line(messages::new_client(lang));
    stream.write_all(messages::greeting(lang).as_bytes())?;

    let mut buffer = vec![0; READ_BUFFER];
    loop {
        // Blocks this thread, and only this thread, until bytes come.
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            return Ok(()); // the client sent FIN (or the server is stopping)
        }
        let chunk = String::from_utf8_lossy(&buffer[..n]);
        log.line(messages::received(lang, &chunk));
        stream.write_all(messages::reply(lang, &chunk).as_bytes())?;
    }
}
// ANCHOR_END: serve_client
