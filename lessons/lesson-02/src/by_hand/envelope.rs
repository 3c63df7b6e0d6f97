//! The hand-built chat's protocol: one JSON object per WebSocket text
//! message, an event name and its data.
//!
//! ```json
//! {"event": "chat message", "data": "hello"}
//! ```
//!
//! socket.io writes the same thing as `42["chat message","hello"]`: `4` is
//! engine.io's "message", `2` socket.io's "event", then the name and the
//! arguments. An envelope with named fields is easier to read on the wire
//! and in a test, and any JSON library can build it.
//!
//! The rules, and what breaking them costs:
//! - `event` must be a string; `data` is whatever that event expects, and a
//!   `chat message` expects a string. Anything else is a broken envelope:
//!   the server closes the connection with 1008 (policy violation), as
//!   socket.io closes a connection whose packet it cannot decode.
//! - An event the server does not know is ignored (and logged), as
//!   socket.io ignores an event nobody listens to.
//! - Binary messages are not part of the protocol: close 1003 (unsupported
//!   data).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;

/// The one event this chat knows, in both directions.
pub const CHAT_MESSAGE: &str = "chat message";

// ANCHOR: envelope
/// What travels in each text message.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope<'a> {
    /// Which event this is; the server routes on it.
    #[serde(borrow)]
    event: std::borrow::Cow<'a, str>,
    /// The event's payload. Absent is `null`.
    #[serde(default)]
    data: Value,
}

/// An envelope the server understood.
#[derive(Debug, PartialEq)]
pub enum Event {
    /// `chat message` with its text: to be sent to everyone.
    Chat(String),
    /// Any other event, named: ignored.
    Unknown(String),
}

/// Reads one text message. `Err` carries the close frame that answers a
/// broken envelope.
pub fn parse(text: &str) -> Result<Event, CloseFrame> {
    let envelope: Envelope = serde_json::from_str(text).map_err(|error| {
        // serde_json's message names the line and column, never the
        // client's own bytes, so it is safe to send back and to log.
        broken(&format!("not a chat envelope: {error}"))
    })?;
    match (envelope.event.as_ref(), envelope.data) {
        (CHAT_MESSAGE, Value::String(text)) => Ok(Event::Chat(text)),
        (CHAT_MESSAGE, _) => Err(broken("the data of a chat message must be a string")),
        (other, _) => Ok(Event::Unknown(other.to_owned())),
    }
}

/// The text message that carries `text` as a `chat message` to a client.
pub fn chat_message(text: &str) -> String {
    let envelope = Envelope { event: CHAT_MESSAGE.into(), data: Value::from(text) };
    serde_json::to_string(&envelope).expect("a string and a name always serialize")
}
// ANCHOR_END: envelope

/// The close frame for a broken envelope: 1008, with `why` (cut to the 123
/// bytes a close reason may hold).
fn broken(why: &str) -> CloseFrame {
    let mut end = why.len().min(123);
    while !why.is_char_boundary(end) {
        end -= 1;
    }
    CloseFrame { code: CloseCode::Policy, reason: why[..end].to_owned().into() }
}

/// The close frame for a binary message: 1003, this chat speaks text.
pub fn binary_close() -> CloseFrame {
    CloseFrame { code: CloseCode::Unsupported, reason: "this chat takes text messages only".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chat_message_goes_out_as_it_comes_in() {
        let wire = chat_message("hi \"you\" 你好");
        assert_eq!(wire, r#"{"event":"chat message","data":"hi \"you\" 你好"}"#);
        assert_eq!(parse(&wire), Ok(Event::Chat("hi \"you\" 你好".into())));
    }

    #[test]
    fn unknown_events_are_named_whatever_their_data() {
        assert_eq!(parse(r#"{"event":"typing"}"#), Ok(Event::Unknown("typing".into())));
        assert_eq!(parse(r#"{"event":"x","data":[1]}"#), Ok(Event::Unknown("x".into())));
    }

    #[test]
    fn broken_envelopes_are_refused_with_1008_and_a_reason() {
        for text in [
            "hello",
            "",
            "[]",
            r#"{"data":"no event"}"#,
            r#"{"event":7,"data":"x"}"#,
            r#"{"event":"chat message"}"#,
            r#"{"event":"chat message","data":42}"#,
            r#"{"event":"chat message","data":{"text":"x"}}"#,
        ] {
            let frame = parse(text).expect_err(text);
            assert_eq!(frame.code, CloseCode::Policy, "{text}");
            assert!(!frame.reason.is_empty() && frame.reason.len() <= 123, "{text}");
        }
    }

    #[test]
    fn a_long_reason_is_cut_on_a_character_boundary() {
        let frame = broken(&"é".repeat(100));
        assert_eq!(frame.reason.len(), 122);
    }
}
