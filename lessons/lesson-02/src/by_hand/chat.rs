//! The chat room both hand-built servers share: who is in it, and
//! `io.emit` — a message to every member, the sender too.
//!
//! Broadcasting is where a chat differs from an echo server. An echo server
//! writes to the client it is reading from; a chat writes to *every* client
//! whenever *any* client speaks. If the speaker's thread or task wrote to
//! each socket itself, one client that stops reading would stop it: its
//! socket's buffers fill, and the write waits, and everyone else waits
//! behind it.
//!
//! So nobody writes to another client's socket. Each member has a queue
//! of [`QUEUE`] messages, and its own connection (a writer thread, or its
//! task) takes messages off it and writes them. Broadcasting only puts a
//! message in each queue, without ever waiting ([`mpsc::Sender::try_send`]).
//! When a queue is full its client has fallen [`QUEUE`] messages behind:
//! the chat drops it — it leaves the room at once, its connection sends what
//! was queued and then the close frame 1013 ("try again later"). The memory
//! a client can hold on the server is its queue, never more.
//!
//! Why drop rather than skip: a chat that skips silently shows a user a
//! conversation with holes and no sign of them. Closing tells the client,
//! which can reconnect. 1013 rather than 1008 (policy): falling behind is a
//! passing condition — a phone in a tunnel — and reconnecting is the right
//! answer. (socket.io's Node server does neither: it buffers without limit
//! until the heartbeat fails; socketioxide, under `socketio` mode, skips.)

use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Message, Utf8Bytes};

use super::envelope::{self, Event};
use super::said;
use crate::messages;

/// How many messages may wait for one client. 64 is a screenful of chat:
/// a client that is that far behind is not keeping up. With messages of up
/// to 64 KiB, a client holds at most 4 MiB of queue.
pub const QUEUE: usize = 64;

/// One client's place in the room.
#[derive(Debug)]
pub struct Member {
    /// Where the room puts messages for this client.
    queue: mpsc::Sender<Utf8Bytes>,
    /// The blocking server's client socket, to wake its reading thread when
    /// the client is dropped; the async server's task needs no waking (its
    /// queue's end wakes it).
    socket: Option<Arc<TcpStream>>,
}

impl Member {
    /// A member, and the receiving end of its queue.
    pub fn new(socket: Option<Arc<TcpStream>>) -> (Member, mpsc::Receiver<Utf8Bytes>) {
        let (queue, inbox) = mpsc::channel(QUEUE);
        (Member { queue, socket }, inbox)
    }
}

/// The room: every member's queue, under one lock held only to put a
/// message in each queue (which never waits).
#[derive(Debug)]
pub struct Chat {
    members: Mutex<HashMap<u64, Member>>,
    next_id: AtomicU64,
    /// The most messages ever seen waiting in one client's queue: what the
    /// tests read to show that a client that does not read holds a bounded
    /// amount of the server's memory.
    most_queued: AtomicUsize,
    config: lesson_01::Config,
}

impl Chat {
    /// An empty room that logs with `config`.
    pub fn new(config: &lesson_01::Config) -> Chat {
        Chat {
            members: Mutex::default(),
            next_id: AtomicU64::new(0),
            most_queued: AtomicUsize::new(0),
            config: config.clone(),
        }
    }

    /// Adds a member; its id is for [`Chat::leave`] and [`Chat::is_member`].
    pub fn join(&self, member: Member) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, member);
        id
    }

    /// Takes a member out, if it is still in: its queue's sending end is
    /// dropped, so its connection sees the end once the queue is empty.
    pub fn leave(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Whether `id` is still in the room: a member that is not, but did not
    /// leave, was dropped for falling behind.
    pub fn is_member(&self, id: u64) -> bool {
        self.lock().contains_key(&id)
    }

    /// See [`Chat::most_queued`](Chat#structfield.most_queued).
    pub fn most_queued(&self) -> usize {
        self.most_queued.load(Ordering::Relaxed)
    }

    // ANCHOR: broadcast
    /// `io.emit('chat message', text)`: puts the message in every member's
    /// queue, without waiting; drops every member whose queue is full.
    pub fn broadcast(&self, text: &str) {
        // Serialized once; every queue holds the same bytes (a reference
        // count, not a copy).
        let frame = Utf8Bytes::from(envelope::chat_message(text));
        let mut members = self.lock();
        let mut behind = Vec::new();
        for (&id, member) in members.iter() {
            match member.queue.try_send(frame.clone()) {
                Ok(()) => {
                    let queued = QUEUE - member.queue.capacity();
                    self.most_queued.fetch_max(queued, Ordering::Relaxed);
                }
                Err(TrySendError::Full(_)) => behind.push(id),
                // Its connection has ended and is about to leave.
                Err(TrySendError::Closed(_)) => {}
            }
        }
        for id in behind {
            let Some(member) = members.remove(&id) else { continue };
            self.config.log.line(said::dropped(self.config.lang, QUEUE));
            if let Some(socket) = member.socket {
                // The thread blocked reading this client returns from `read`.
                let _ = socket.shutdown(Shutdown::Read);
            }
        }
    }
    // ANCHOR_END: broadcast

    // ANCHOR: on_message
    /// What the server does with a message from a client: a `chat message`
    /// is logged and broadcast, an unknown event logged and ignored. `Some`
    /// is the close frame for a message that breaks the protocol.
    pub fn on_message(&self, message: &Message) -> Option<CloseFrame> {
        let (lang, log) = (self.config.lang, &self.config.log);
        let text = match message {
            Message::Text(text) => text.as_str(),
            Message::Binary(_) => return Some(envelope::binary_close()),
            // Pings were answered by tungstenite; pongs and close frames
            // need nothing from us.
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) | Message::Frame(_) => {
                return None;
            }
        };
        match envelope::parse(text) {
            Ok(Event::Chat(text)) => {
                log.line(messages::received(lang, &text));
                self.broadcast(&text);
                None
            }
            Ok(Event::Unknown(event)) => {
                log.line(said::ignored(lang, &event));
                None
            }
            Err(frame) => Some(frame),
        }
    }
    // ANCHOR_END: on_message

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Member>> {
        // Every change to the map is one call: a thread that panicked while
        // holding the lock cannot have left it half-changed.
        self.members.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The close frame for a client that was dropped for falling behind.
pub fn behind_close() -> CloseFrame {
    CloseFrame { code: CloseCode::Again, reason: format!("{QUEUE} messages unread").into() }
}
