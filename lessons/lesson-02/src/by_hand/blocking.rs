//! The hand-built chat with sync tungstenite: blocking calls, threads.
//!
//! The accept loop, the client limit, the handshake and the stop are
//! lesson-01's ([`lesson_01::blocking::run_with`]). The chat is where
//! blocking code gets awkward. A client's thread spends its life blocked in
//! `read`, waiting for its client to speak. Meanwhile another client speaks,
//! and this client must be sent that message *now*, not when it next speaks.
//! Who writes it?
//!
//! - Not the speaker's thread: writing into every other client's socket, it
//!   would wait on the slowest one, and so would the whole room.
//! - Not this client's thread: it is blocked in `read`, and a blocking call
//!   cannot wait for two things at once. (It could read with a short
//!   timeout and look at its queue in between: a loop that wakes for
//!   nothing many times a second and delays every message by up to that
//!   timeout.)
//!
//! So each client gets two threads over one socket. Its *reader* blocks in
//! `read` and handles what the client sends; its *writer* blocks on the
//! client's queue ([`super::chat`]) and writes what comes. A TCP socket may
//! be read by one thread while another writes to it; `&TcpStream` is `Read`
//! and `Write` for exactly that.
//!
//! One care remains: tungstenite's reader writes too. `read` answers a ping
//! with a pong and a close frame with a close frame, on the same socket. If
//! its pong and the writer's message were written at the same moment, their
//! bytes could interleave and break both frames. [`Shared`] makes each
//! frame one locked `write_all`, so frames go out whole, one at a time.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::thread;

use lesson_01::blocking::{close, handshake, run_with, timed_out};
use lesson_01::{Ending, protocol};
use tokio::sync::mpsc;
use tungstenite::protocol::{CloseFrame, Role};
use tungstenite::{Error, Message, Utf8Bytes, WebSocket};

use super::chat::{self, Chat, Member};
use crate::{Config, messages};

/// Serves the chat on `listener` until a message arrives on `shutdown`.
pub fn run(listener: TcpListener, config: Config, shutdown: Receiver<()>) -> io::Result<()> {
    let config = super::connection_config(&config);
    let chat = Arc::new(Chat::new(&config));
    serve(listener, config, chat, shutdown)
}

/// [`run`] with the room given (the tests look into it).
pub fn serve(
    listener: TcpListener,
    config: lesson_01::Config,
    chat: Arc<Chat>,
    shutdown: Receiver<()>,
) -> io::Result<()> {
    run_with(listener, config, shutdown, move |stream, config, stopping| {
        serve_client(stream, config, stopping, &chat)
    })
}

// ANCHOR: shared
/// One client's socket as its two threads use it: reads go straight to
/// the socket; each write goes out whole, under the lock, so that frames
/// from the two threads never interleave.
#[derive(Debug)]
struct Shared<'a> {
    socket: &'a TcpStream,
    writing: &'a Mutex<()>,
}

impl Read for Shared<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.socket.read(buf)
    }
}

impl Write for Shared<'_> {
    /// tungstenite hands over whole frames (its write buffer is off), so
    /// writing all of `buf` in one turn writes whole frames.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _turn = self.writing.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.socket.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
// ANCHOR_END: shared

// ANCHOR: serve_client
/// One client in the room: the handshake, then a reader (this thread) and
/// a writer (a thread of its own) until the client leaves.
fn serve_client(
    socket: &Arc<TcpStream>,
    config: &lesson_01::Config,
    stopping: &AtomicBool,
    chat: &Chat,
) -> Ending {
    // Nagle off, as in the async server (see there why).
    let _ = socket.set_nodelay(true);
    let writing = Mutex::new(());
    let shared = || Shared { socket, writing: &writing };
    let mut ws = match handshake(socket, shared(), config) {
        Ok(ws) => ws,
        Err(ending) => return ending,
    };
    let (member, inbox) = Member::new(Some(Arc::clone(socket)));
    let id = chat.join(member);
    // Logged once in the room: from this line on, the client hears the chat.
    config.log.line(messages::new_client(config.lang));
    // A scope, so that the writer may borrow the socket; the scope ends
    // when the writer has stopped.
    let closing = thread::scope(|scope| {
        let writer = thread::Builder::new()
            .name("writer".into())
            .spawn_scoped(scope, || write_queued(inbox, shared(), socket));
        let closing = match writer {
            Ok(writer) => {
                let finish_writing = || {
                    chat.leave(id);
                    let _ = writer.join();
                };
                read_until_done(&mut ws, chat, id, stopping, finish_writing)
            }
            Err(error) => Err(Ending::Failed(error.into())),
        };
        if closing.is_err() {
            // Closed or failed: nothing more may be sent. The writer's next
            // write fails, and it stops.
            let _ = socket.shutdown(Shutdown::Write);
        }
        // Leaving ends the queue: the writer sends what is left and stops.
        chat.leave(id);
        closing
    });
    match closing {
        // The writer has stopped: the close frame is the last frame.
        Ok((frame, cause)) => {
            let mut ws = WebSocket::from_raw_socket(&**socket, Role::Server, None);
            close(&mut ws, frame, cause, config.grace)
        }
        Err(ending) => ending,
    }
}
// ANCHOR_END: serve_client

// ANCHOR: writer
/// The writer: sends each message of the client's queue, until the queue
/// ends (the client left the room) or a write fails.
fn write_queued(mut inbox: mpsc::Receiver<Utf8Bytes>, out: Shared, socket: &TcpStream) {
    let mut ws = WebSocket::from_raw_socket(out, Role::Server, Some(protocol::websocket_config()));
    while let Some(frame) = inbox.blocking_recv() {
        if ws.send(Message::Text(frame)).is_err() {
            // Gone, or it read nothing for the idle timeout (the socket's
            // write timeout): end the connection, which wakes the reader.
            let _ = socket.shutdown(Shutdown::Both);
            return;
        }
    }
}
// ANCHOR_END: writer

/// Why the reader stopped: the close frame to send, and the error that
/// called for it, if one did; or how the connection ended without one.
type Closing = Result<(CloseFrame, Option<Error>), Ending>;

// ANCHOR: reader
/// The reader: handles each message the client sends, until the client
/// closes, breaks a rule, is idle, is dropped, or the server stops. When
/// the client's close frame comes, `finish_writing` lets the writer send
/// what is queued before tungstenite's answer goes out, on the next `read`:
/// a client that says a line and closes hears its own line first.
fn read_until_done(
    ws: &mut WebSocket<Shared>,
    chat: &Chat,
    id: u64,
    stopping: &AtomicBool,
    finish_writing: impl FnOnce(),
) -> Closing {
    let mut finish_writing = Some(finish_writing);
    loop {
        let error = match ws.read() {
            Ok(Message::Close(_)) => {
                if let Some(finish) = finish_writing.take() {
                    finish();
                }
                continue;
            }
            Ok(message) => match chat.on_message(&message) {
                Some(frame) => return Ok((frame, None)),
                None => continue,
            },
            // The client closed, we answered, and tungstenite saw the end.
            Err(Error::ConnectionClosed) => return Err(Ending::Closed),
            Err(error) => error,
        };
        // Woken up on purpose, or out of time: the error only says how we
        // noticed.
        if stopping.load(Ordering::SeqCst) {
            return Ok((protocol::shutdown_close(), None));
        }
        if !chat.is_member(id) {
            return Ok((chat::behind_close(), None));
        }
        if matches!(&error, Error::Io(error) if timed_out(error)) {
            return Ok((protocol::idle_close(), None));
        }
        return match protocol::close_for(&error) {
            Some(frame) => Ok((frame, Some(error))),
            None => Err(Ending::Failed(error)),
        };
    }
}
// ANCHOR_END: reader
