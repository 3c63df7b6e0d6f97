//! # Exercise 3: acknowledgements
//! Book: lesson-02-by-hand, "Exercise 3: acknowledgements"
//!
//! socket.io lets a client pass a callback with an event; the server calls
//! it, and the client learns that its message arrived, and what became of
//! it. On the wire it is a number: the client numbers the event, and the
//! server answers with the same number. Add that to the envelope.
//!
//! - A client asks for an acknowledgement by adding `"ack": N` to its
//!   envelope, N a whole number from 0 up to `u64::MAX`:
//!   `{"event":"chat message","data":"hi","ack":7}`.
//! - The server answers `{"event":"ack","ack":N,"data":ID}`: the client's
//!   own N, exactly, and `message_id`, the number the server gave the
//!   message (so the client can refer to it later).
//! - No acknowledgement (`None`) when the envelope asks for none: no `ack`,
//!   or an `ack` that is not such a number (`"7"`, `-1`, `1.5`, `null`).
//! - No acknowledgement either for text that is not an envelope: not JSON,
//!   not an object, or without a string `event` (the server closes that
//!   connection anyway).
//!
//! Parse and build the JSON with `serde_json`.
//!
//! Check it with `cargo exercises lesson-02`. Stuck? `cargo exercises hint
//! lesson-02 acknowledgement` gives a first hint, `--more` a precise one.

/// The acknowledgement the server sends for the client's envelope `text`,
/// the server having numbered the message `message_id`; `None` when the
/// client asked for none.
pub fn acknowledge(text: &str, message_id: u64) -> Option<String> {
    todo!("exercise 3: answer the client's ack number")
}
