//! The WebSocket rules both servers follow, in one place: how big a
//! message may be, which close code answers which failure, what a client
//! that is not speaking WebSocket gets back.
//!
//! tungstenite does most of the protocol itself (masking, fragments, pings
//! answered with pongs, the reply to a close frame). What it leaves to us:
//! when it *returns an error* — a text message that is not UTF-8, a message
//! over the limit, a broken frame — it sends nothing. The peer would just
//! see the connection drop (1006, "abnormal"). RFC 6455 §7.4.1 gives each
//! failure its code, so we send the close frame ourselves.

use std::borrow::Cow;

use tungstenite::Message;
use tungstenite::error::{Error, ProtocolError};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, WebSocketConfig};

/// The largest message (and frame) a client may send: 64 KiB. tungstenite's
/// default is 64 MiB and Node's `ws` allows 100 MiB; an echo server whose
/// log shows at most a kilobyte of each message needs neither. A message is
/// held whole before it is answered, so the limit bounds a client's memory:
/// 512 clients × (64 KiB in + 64 KiB out) is 64 MiB at worst, where the
/// default would allow 64 GiB. A bigger message is refused with close 1009.
pub const MAX_MESSAGE: usize = 64 * 1024;

/// What tungstenite reads into at a time: a buffer allocated for every
/// connection as soon as it opens, and filled with zeros at its first read,
/// idle or not. Its default is 128 KiB, which makes an idle connection cost
/// ~135 KiB. 1 KiB
/// holds a typed message in one read; a bigger one, up to [`MAX_MESSAGE`],
/// gets a buffer of its size once its frame header is read, and is read
/// 1 KiB at a time (a 64 KiB message: 64 reads, no slower to answer as
/// measured by `idle-connections`). Measured on 10 000 idle connections,
/// each KiB here is a KiB per connection: see "What an idle connection
/// costs" in the chapter.
pub const READ_BUFFER: usize = 1024;

// ANCHOR: config
/// The configuration of every server connection.
pub fn websocket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        // We flush after every reply anyway: no need to gather 128 KiB first.
        // (The limit on it, `max_write_buffer_size`, can stay unlimited:
        // each reply is flushed before the next message is read, so the
        // buffer never holds more than one reply.)
        .write_buffer_size(0)
        .max_message_size(Some(MAX_MESSAGE))
        // A single frame is refused as soon as its header announces more,
        // before its payload is read into memory.
        .max_frame_size(Some(MAX_MESSAGE))
}
// ANCHOR_END: config

/// The text of a data message, as Node's `${message}` shows it: text as it
/// is, binary decoded as UTF-8 with U+FFFD for what is not (as `ws` does).
/// `None` for control messages (ping, pong, close), which tungstenite has
/// already answered.
pub fn text_of(message: &Message) -> Option<Cow<'_, str>> {
    match message {
        Message::Text(text) => Some(Cow::Borrowed(text.as_str())),
        Message::Binary(bytes) => Some(String::from_utf8_lossy(bytes)),
        Message::Ping(_) | Message::Pong(_) | Message::Close(_) | Message::Frame(_) => None,
    }
}

// ANCHOR: failure
/// The close frame that answers `error`, when the client broke the
/// protocol; `None` when the connection itself failed (reset, closed),
/// where there is nobody left to tell.
pub fn close_for(error: &Error) -> Option<CloseFrame> {
    let (code, reason) = match error {
        Error::Utf8(_) => (CloseCode::Invalid, "invalid UTF-8"),
        Error::Capacity(_) => (CloseCode::Size, "message over 65536 bytes"),
        // A client that vanished without a close frame is not a violation.
        Error::Protocol(ProtocolError::ResetWithoutClosingHandshake) => return None,
        Error::Protocol(_) => (CloseCode::Protocol, "protocol error"),
        _ => return None,
    };
    Some(CloseFrame { code, reason: reason.into() })
}
// ANCHOR_END: failure

/// The close frame for a client that sent nothing for the idle timeout.
/// 1000 (normal), not 1001 (going away): the server is not going anywhere,
/// the connection is simply done; the reason says why, and a client may
/// reconnect at once.
pub fn idle_close() -> CloseFrame {
    CloseFrame { code: CloseCode::Normal, reason: "idle timeout".into() }
}

/// The close frame every client gets when the server stops: 1001, going
/// away, which tells a client that trying again later may work.
pub fn shutdown_close() -> CloseFrame {
    CloseFrame { code: CloseCode::Away, reason: "server shutting down".into() }
}

// ANCHOR: refusal
/// The HTTP response for a request that is not a WebSocket handshake.
/// tungstenite refuses such a request by returning an error and writing
/// nothing, so a browser pointed at the server would wait for ever. A
/// request that does not ask to upgrade, whatever its method, gets 426
/// Upgrade Required (RFC 7231 §6.5.15), as from Node's `ws`; tungstenite
/// checks the method first, so a `POST` is one of those. A handshake that
/// is malformed gets 400 (RFC 6455 §4.2.1).
pub fn refusal(error: &Error) -> &'static str {
    match error {
        Error::Protocol(
            ProtocolError::WrongHttpMethod
            | ProtocolError::MissingConnectionUpgradeHeader
            | ProtocolError::MissingUpgradeWebSocketHeader
            | ProtocolError::MissingSecWebSocketVersionHeader,
        ) => concat!(
            "HTTP/1.1 426 Upgrade Required\r\n",
            "Upgrade: websocket\r\n",
            "Sec-WebSocket-Version: 13\r\n",
            "Content-Type: text/plain\r\n",
            "Content-Length: 65\r\n",
            "Connection: close\r\n\r\n",
            "This is a WebSocket server: connect to it with a WebSocket client",
        ),
        _ => concat!(
            "HTTP/1.1 400 Bad Request\r\n",
            "Content-Type: text/plain\r\n",
            "Content-Length: 34\r\n",
            "Connection: close\r\n\r\n",
            "This is not a WebSocket handshake.",
        ),
    }
}
// ANCHOR_END: refusal

/// The HTTP response for a client beyond the limit, before any handshake.
pub const BUSY: &str = concat!(
    "HTTP/1.1 503 Service Unavailable\r\n",
    "Retry-After: 1\r\n",
    "Content-Length: 0\r\n",
    "Connection: close\r\n\r\n",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bodies_are_as_long_as_their_headers_say() {
        for error in [
            Error::Protocol(ProtocolError::MissingUpgradeWebSocketHeader),
            Error::Utf8(String::new()),
        ] {
            let response = refusal(&error);
            let (head, body) = response.split_once("\r\n\r\n").unwrap();
            let length =
                head.lines().find_map(|line| line.strip_prefix("Content-Length: ")).unwrap();
            assert_eq!(length.parse::<usize>().unwrap(), body.len(), "{head}");
        }
    }
}
