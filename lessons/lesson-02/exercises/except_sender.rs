//! # Exercise 1: everyone but the sender
//! Book: lesson-02-by-hand, "Exercise 1: everyone but the sender"
//!
//! The article's chat sends every message to every client, the sender too
//! (`io.emit`). socket.io's other broadcast, `socket.broadcast.emit`, sends
//! it to everyone *except* the sender: the sender's own screen already
//! shows what it typed. Write that fan-out.
//!
//! - `members` are the ids of the clients in the room, in the order the
//!   room keeps them; `sender` is the id of the client that spoke.
//! - Return one delivery per member other than the sender, in the room's
//!   order: the member's id and the text message it is sent, the
//!   `chat message` envelope of `text` (build it with
//!   `lesson_02::by_hand::envelope::chat_message`).
//! - A sender that is not in the room (it has just left) excludes nobody.
//! - A room with only the sender sends nothing.
//!
//! Check it with `cargo exercises lesson-02`. Stuck? `cargo exercises hint
//! lesson-02 except_sender` gives a first hint, `--more` a precise one.

/// The deliveries of `text`, said by `sender`, to everyone else in the room.
pub fn fan_out(members: &[u64], sender: u64, text: &str) -> Vec<(u64, String)> {
    todo!("exercise 1: send to every member but the sender")
}
