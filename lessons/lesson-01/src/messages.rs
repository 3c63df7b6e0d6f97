//! Everything the server says, in English or in the article's Chinese.
//!
//! The Chinese strings of the Node program are copied exactly, so that
//! `--lang zh` prints what `node ws-server.js` prints, byte for byte. The
//! lines the Node program never prints (why a connection ended, a busy
//! server, shutting down) are this port's own.
//!
//! The two said for every message, [`received`] and [`reply`], are values
//! that write themselves where they go: nothing is allocated for them.

use std::fmt::Display;

use lesson_support::{Lang, text};
use tungstenite::protocol::CloseFrame;

/// The article's lines about its clients (a client came, sent something,
/// went), and the server's lines about its own life: shared by every lesson.
pub use lesson_support::messages::{
    accept_error, client_disconnected, client_rejected, cut_off, new_client, no_thread, received,
    shutting_down, stopped,
};

/// Logged once the server listens.
pub fn listening(lang: Lang, port: u16) -> String {
    lang.pick(
        format!("WebSocket server listening on port {port}"),
        format!("WebSocket 服务器正在监听端口 {port}"),
    )
}

/// Sent back, as a text message, for each message.
pub fn reply(lang: Lang, message: &str) -> impl Display + '_ {
    text(move |f| match lang {
        Lang::En => write!(f, "server received: {message}"),
        Lang::Zh => write!(f, "服务器已收到: {message}"),
    })
}

/// Logged before [`client_disconnected`] when the server closed the
/// connection with `frame` (a broken rule, the idle timeout), and the error
/// that made it, if one did.
pub fn closed_with(lang: Lang, frame: &CloseFrame, cause: Option<&tungstenite::Error>) -> String {
    let code = u16::from(frame.code);
    let reason = &frame.reason;
    let line = lang
        .pick(format!("closing with {code}: {reason}"), format!("关闭连接, 代码 {code}: {reason}"));
    match cause {
        Some(cause) => format!("{line} ({cause})"),
        None => line,
    }
}

/// Logged before [`client_disconnected`] when the connection failed, for
/// example when the client reset it. (Node's `ws` calls that code 1006.)
pub fn connection_failed(lang: Lang, error: &dyn Display) -> String {
    lang.pick(format!("connection failed: {error}"), format!("连接出错: {error}"))
}

/// Logged when a request was not a WebSocket handshake and got an HTTP
/// error instead (`status` is the response's first line).
pub fn not_websocket(lang: Lang, status: &str, error: &dyn Display) -> String {
    lang.pick(
        format!("not a WebSocket handshake ({error}): answered {status}"),
        format!("不是 WebSocket 握手 ({error}): 已回复 {status}"),
    )
}

/// Printed by the client once the handshake is done.
pub fn connected(lang: Lang, url: &str) -> String {
    lang.pick(
        format!("connected to {url}; type lines to send, Ctrl-D to finish"),
        format!("已连接到 {url}; 输入要发送的内容, Ctrl-D 结束"),
    )
}

/// Printed by the client when the server's close frame arrives: its code,
/// and its reason when it gives one.
pub fn server_closed(lang: Lang, frame: Option<&CloseFrame>) -> String {
    let code = match frame {
        None => return lang.pick("the server closed: no code", "服务器关闭了连接: 无代码").into(),
        Some(frame) if frame.reason.is_empty() => u16::from(frame.code).to_string(),
        Some(frame) => format!("{} ({})", u16::from(frame.code), frame.reason),
    };
    lang.pick(
        format!("the server closed with code {code}"),
        format!("服务器关闭了连接, 代码 {code}"),
    )
}
