//! Exercise 3: acknowledgements.

use serde_json::{Value, json};

/// The acknowledgement the server sends for the client's envelope `text`,
/// the server having numbered the message `message_id`; `None` when the
/// client asked for none.
pub fn acknowledge(text: &str, message_id: u64) -> Option<String> {
    let envelope: Value = serde_json::from_str(text).ok()?;
    // Only an envelope: an object with a string `event`.
    envelope.get("event")?.as_str()?;
    // `as_u64` is `None` for negatives, fractions and anything not a number,
    // and keeps every `u64` exact (no trip through `f64`).
    let ack = envelope.get("ack")?.as_u64()?;
    Some(json!({"event": "ack", "ack": ack, "data": message_id}).to_string())
}
