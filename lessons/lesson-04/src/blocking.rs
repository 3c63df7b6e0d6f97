//! The `dgram` server with std::net: one socket, one loop, blocking calls.
//!
//! UDP has no connections, so there is nothing to accept and no thread per
//! client: one socket receives every client's datagrams, in the order they
//! arrive, and `send_to` answers each at the address it came from. One
//! thread is enough, as one event loop is enough for Node.
//!
//! A blocking `recv_from` cannot be cancelled. A common trick to wake it —
//! sending the socket a datagram — would not be reliable: when the queue is full
//! (a flood), the kernel drops the wake-up datagram like any other, and the
//! server would never stop. So this server waits with a read timeout
//! instead, and looks at the shutdown channel each time the wait ends.

use std::io;
use std::net::UdpSocket;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use crate::{Config, messages};

/// How often the server looks at the shutdown channel while no datagram
/// comes. Stopping takes at most this long; waiting costs nothing.
pub const SHUTDOWN_POLL: Duration = Duration::from_millis(200);

/// Answers datagrams on `socket` until a message arrives on `shutdown`.
pub fn run(socket: UdpSocket, config: Config, shutdown: Receiver<()>) -> io::Result<()> {
    let lang = config.lang;
    config.log.line(messages::listening(lang, socket.local_addr()?));
    socket.set_read_timeout(Some(SHUTDOWN_POLL))?;

    // ANCHOR: recv
    let mut buffer = vec![0; config.buffer];
    loop {
        // A message, or a sender that is gone, both mean "stop".
        if !matches!(shutdown.try_recv(), Err(TryRecvError::Empty)) {
            break;
        }
        // One call, one whole datagram (cut to fit `buffer`, silently).
        let (n, from) = match socket.recv_from(&mut buffer) {
            Ok(received) => received,
            // The read timeout: no datagram yet; look at `shutdown` again.
            // Or a signal (Ctrl-C) arrived while waiting: a call with a
            // timeout is not restarted after a signal (`man 7 signal`).
            Err(e) if is_wake_up(&e) => continue,
            Err(error) => {
                config.log.line(messages::receive_error(lang, &error));
                continue;
            }
        };
        let message = String::from_utf8_lossy(&buffer[..n]);
        config.log.line(messages::received(lang, &message, from));
        // `send_to` only hands the datagram to the kernel: it succeeds
        // whether or not anyone is there to receive it.
        if let Err(error) = socket.send_to(messages::reply(lang).as_bytes(), from) {
            config.log.line(messages::send_error(lang, from, &error));
        }
    }
    // ANCHOR_END: recv

    config.log.line(messages::shutting_down(lang));
    config.log.line(messages::stopped(lang));
    Ok(())
}

/// Whether a failed `recv_from` only means "nothing yet, look again".
fn is_wake_up(error: &io::Error) -> bool {
    use io::ErrorKind::{Interrupted, TimedOut, WouldBlock};
    matches!(error.kind(), WouldBlock | TimedOut | Interrupted)
}
