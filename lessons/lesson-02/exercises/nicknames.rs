//! # Exercise 2: nicknames
//! Book: lesson-02-by-hand, "Exercise 2: nicknames"
//!
//! In the article's chat nobody has a name: every line is anonymous. Keep
//! the room's nicknames, and write the notices the room sends when someone
//! joins or leaves, so that every client can show "ann joined".
//!
//! - `join(id, wanted)` gives client `id` the nickname `wanted`, with the
//!   whitespace at both of its ends trimmed. A name with nothing left after
//!   trimming is refused: `Err(EmptyName)`, and nothing changes.
//! - Two clients never share a name (compared exactly, case included).
//!   When the name is taken, the client gets the first free one of
//!   `NAME-2`, `NAME-3`, … (`ann`, then `ann-2`, then `ann-3`).
//! - `join` returns the notice for the room, the envelope
//!   `{"event":"joined","data":NAME}` with the name given.
//! - A client that joins again changes its name: its old name is free
//!   again, as if it had left first.
//! - `leave(id)` frees the client's name and returns the notice
//!   `{"event":"left","data":NAME}`; `None` for a client without a name.
//! - `name(id)` is the client's current name, if it has one.
//!
//! Add the fields `Nicknames` needs. Build the notices with `serde_json`.
//!
//! Check it with `cargo exercises lesson-02`. Stuck? `cargo exercises hint
//! lesson-02 nicknames` gives a first hint, `--more` a precise one.

/// The room's nicknames, one per client.
#[derive(Debug, Default)]
pub struct Nicknames {}

/// A nickname that is empty once trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyName;

impl Nicknames {
    /// A room where nobody has a name yet.
    pub fn new() -> Nicknames {
        todo!("exercise 2: create the register")
    }

    /// Names client `id`, and returns the `joined` notice.
    pub fn join(&mut self, id: u64, wanted: &str) -> Result<String, EmptyName> {
        todo!("exercise 2: give the client a free name")
    }

    /// Forgets client `id`'s name, and returns the `left` notice.
    pub fn leave(&mut self, id: u64) -> Option<String> {
        todo!("exercise 2: free the client's name")
    }

    /// Client `id`'s name.
    pub fn name(&self, id: u64) -> Option<&str> {
        todo!("exercise 2: look the name up")
    }
}
