//! # Exercise 4: a room across processes
//! Book: lesson-02-by-hand, "Exercise 4: a room across processes"
//!
//! socket.io's rooms let a client hear only part of the chat: a client
//! joins a room, and a message sent to the room reaches only its members.
//! With several processes on one Redis, a room spans them all: its members
//! are wherever their clients connected. Write the handlers of each client
//! that connects, on whichever process; the checks run two socket.io
//! servers on one real Redis, each with socketioxide's Redis adapter and
//! your `on_connect`.
//!
//! - `join` with a room's name (`42["join","red"]`) puts the client in that
//!   room; `leave` with a room's name takes it out. A client may be in
//!   several rooms. Acknowledge both, once done, with the room's name: the
//!   client sends `421["join","red"]` and gets `431["red"]`, and knows from
//!   then on that it is in.
//! - `room message` with a room's name and a text
//!   (`42["room message","red","hi"]`) sends the same two arguments, as
//!   event `room message`, to every member of the room on every process:
//!   the sender too if it is a member, as the article's chat sends every
//!   message to its sender; no one outside the room.
//!
//! socketioxide's handlers are closures that take extractors (`SocketRef`,
//! `Data`, `AckSender`, `SocketIo`) and return a future; see how
//! `lessons/lesson-02/src/socketio.rs` registers the chat's.
//!
//! Check it with `cargo exercises lesson-02`. Stuck? `cargo exercises hint
//! lesson-02 shared_room` gives a first hint, `--more` a precise one.

use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;

/// Registers the handlers of `socket`, a client that has just connected.
pub fn on_connect<A: Adapter>(socket: SocketRef<A>) {
    todo!("exercise 4: join, leave and room message")
}
