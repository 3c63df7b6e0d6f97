//! Everything the server and the client say, in English or in the article's
//! Chinese.
//!
//! The Chinese strings of the Node program are copied exactly, so that
//! `--lang zh --host 0.0.0.0` prints what `node server.js` prints, byte for
//! byte. The lines the Node program never prints (errors, truncation,
//! shutting down, the client's) are this port's own.

use std::fmt::Display;
use std::net::SocketAddr;
use std::time::Duration;

use lesson_support::{Lang, text};

use crate::node_style;

/// Said last, as in every lesson.
pub use lesson_support::messages::stopped;

/// Logged once the socket is bound: the address and port it really got.
pub fn listening(lang: Lang, local: SocketAddr) -> String {
    let local = node_style(local);
    lang.pick(format!("UDP server listening on {local}"), format!("UDP 服务器正在监听 {local}"))
}

/// Logged for each datagram, with the sender's address and port. An empty
/// datagram gives two spaces in a row, as in the Node program.
/// Said for every datagram, so it formats only the language in use, straight
/// into the log's buffer, allocating nothing.
pub fn received(lang: Lang, message: &str, from: SocketAddr) -> impl Display + '_ {
    let (ip, port) = (from.ip(), from.port()); // `node_style`, without a String
    text(move |f| match lang {
        Lang::En => write!(f, "received: {message} from {ip}:{port}"),
        Lang::Zh => write!(f, "收到消息: {message} 来自 {ip}:{port}"),
    })
}

/// Sent back for every datagram: 17 bytes in English, 22 in Chinese.
pub fn reply(lang: Lang) -> &'static str {
    lang.pick("Hello, UDP client", "你好，UDP 客户端")
}

/// Logged (by the socket2 mode only) when a datagram did not fit the buffer.
pub fn truncated(lang: Lang, buffer: usize) -> String {
    lang.pick(
        format!(
            "  (truncated: the datagram was longer than the {buffer}-byte buffer; the rest is lost)"
        ),
        format!("  (已截断: 数据报超过了 {buffer} 字节的缓冲区, 其余部分已丢失)"),
    )
}

/// Logged when receiving fails. The server goes on.
pub fn receive_error(lang: Lang, error: &std::io::Error) -> String {
    lang.pick(format!("receive error: {error}"), format!("接收错误: {error}"))
}

/// Logged when a reply cannot be sent. The server goes on.
pub fn send_error(lang: Lang, to: SocketAddr, error: &std::io::Error) -> String {
    let to = node_style(to);
    lang.pick(format!("could not reply to {to}: {error}"), format!("无法回复 {to}: {error}"))
}

/// Logged when Ctrl-C arrives.
pub fn shutting_down(lang: Lang) -> &'static str {
    lang.pick("shutting down: no longer receiving", "正在关闭服务器: 不再接收数据报")
}

/// Printed by the client once its socket is ready.
pub fn client_ready(lang: Lang, server: SocketAddr) -> String {
    lang.pick(
        format!("sending to {server}; each line you type is one datagram, Ctrl-D to finish"),
        format!("发送到 {server}; 每输入一行发送一个数据报, Ctrl-D 结束"),
    )
}

/// Printed by the client when no reply came in time.
pub fn no_reply(lang: Lang, waited: Duration) -> String {
    lang.pick(
        format!(
            "no reply within {waited:?}: UDP does not retransmit, so the datagram or its reply may be lost"
        ),
        format!("{waited:?} 内没有回复: UDP 不会重传, 数据报或回复可能已丢失"),
    )
}

/// Printed by the client when the kernel reports that nothing listens there.
pub fn nobody_listens(lang: Lang, server: SocketAddr) -> String {
    lang.pick(
        format!("nothing listens on {server} (the kernel got an ICMP \"port unreachable\")"),
        format!("{server} 上没有程序在监听 (内核收到了 ICMP \"端口不可达\")"),
    )
}
