//! The lines every lesson's server says the same. First the article's own,
//! which its `ws`, `socket.io` and `net` programs print alike: a client
//! came, sent something, went. Then the lines about the server's own life:
//! clients refused, accept failing, stopping. The Node programs say none of
//! these (they have no limits and no graceful stop): they are this port's
//! own, in English or Chinese. What a lesson says about its protocol is in
//! that lesson's `messages.rs`.

use std::fmt::Display;
use std::time::Duration;

use crate::{Lang, text};

/// Logged when a client has come (Node's `connection`; for a WebSocket,
/// once its handshake is done).
pub fn new_client(lang: Lang) -> &'static str {
    lang.pick("new client connected", "新客户端连接")
}

/// Logged for each message, or chunk of data, a client sends. A message
/// that ends with its own newline keeps it, and the log adds one more, exactly
/// as `console.log` does in the Node programs. Said for every message, it
/// is not a string but a value that writes itself where it goes: nothing
/// is allocated for it, and only the language in use is formatted.
pub fn received(lang: Lang, message: &str) -> impl Display + '_ {
    text(move |f| match lang {
        Lang::En => write!(f, "received: {message}"),
        Lang::Zh => write!(f, "收到消息: {message}"),
    })
}

/// Logged when a client has gone, however it went (Node's `close`, `end`,
/// socket.io's `disconnect`).
pub fn client_disconnected(lang: Lang) -> &'static str {
    lang.pick("client disconnected", "客户端断开连接")
}

/// Logged when `accept` fails, for example when the process has run out of
/// file descriptors. The server waits a moment and goes on.
pub fn accept_error(lang: Lang, error: &std::io::Error, pause: Duration) -> String {
    lang.pick(
        format!("cannot accept a client: {error}; trying again in {pause:?}"),
        format!("无法接受客户端: {error}; {pause:?} 后重试"),
    )
}

/// Logged when no thread can be made for a client (blocking mode).
pub fn no_thread(lang: Lang, error: &std::io::Error) -> String {
    lang.pick(
        format!("client refused: cannot start a thread for it: {error}"),
        format!("拒绝客户端: 无法为其创建线程: {error}"),
    )
}

/// Logged when a client is turned away.
pub fn client_rejected(lang: Lang, max: usize) -> String {
    lang.pick(
        format!("client rejected: limit of {max} clients reached"),
        format!("拒绝客户端: 已达到 {max} 个客户端的上限"),
    )
}

/// Logged when Ctrl-C arrives.
pub fn shutting_down(lang: Lang, open: usize) -> String {
    lang.pick(
        format!("shutting down: no new clients, closing {open} open connection(s)"),
        format!("正在关闭服务器: 不再接受新客户端, 关闭 {open} 个连接"),
    )
}

/// Logged when clients that would not finish in time were cut off.
pub fn cut_off(lang: Lang, count: usize) -> String {
    lang.pick(
        format!("{count} connection(s) did not finish in time and were cut off"),
        format!("{count} 个连接未能及时结束, 已被强制关闭"),
    )
}

/// Logged last.
pub fn stopped(lang: Lang) -> &'static str {
    lang.pick("server stopped", "服务器已停止")
}
