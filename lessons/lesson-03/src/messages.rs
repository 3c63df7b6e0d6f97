//! Everything the server says, in English or in the article's Chinese.
//!
//! The Chinese strings of the Node program are copied exactly, so that
//! `--lang zh` prints what `node server.js` prints, byte for byte. The lines
//! the Node program never prints (errors, a busy server, shutting down) are
//! this port's own.
//!
//! The two that are said for every chunk of data, [`received`] and
//! [`reply`], are not strings but values that write themselves where they
//! go (the log's buffer, a reply buffer): nothing is allocated for them,
//! and only the language in use is formatted.

use std::fmt::Display;
use std::time::Duration;

use lesson_support::{Lang, text};

/// The article's lines about its clients (a client came, sent something,
/// went), and the server's lines about its own life: shared by every lesson.
pub use lesson_support::messages::{
    accept_error, client_disconnected, client_rejected, cut_off, new_client, no_thread, received,
    shutting_down, stopped,
};

/// Logged once the server listens.
pub fn listening(lang: Lang, port: u16) -> String {
    lang.pick(
        format!("TCP server listening on port {port}"),
        format!("TCP 服务器正在监听端口 {port}"),
    )
}

/// Written to each client as soon as it connects.
pub fn greeting(lang: Lang) -> &'static str {
    lang.pick("Welcome to the TCP server\n", "欢迎连接到 TCP 服务器\n")
}

/// Written back for each chunk.
pub fn reply(lang: Lang, chunk: &str) -> impl Display + '_ {
    text(move |f| match lang {
        Lang::En => write!(f, "server received: {chunk}"),
        Lang::Zh => write!(f, "服务器已收到: {chunk}"),
    })
}

/// Logged when a connection fails, for example when the client resets it.
/// (The Node program has no `error` handler: there, this crashes the server.)
pub fn client_error(lang: Lang, error: &std::io::Error) -> String {
    lang.pick(format!("client error: {error}"), format!("客户端错误: {error}"))
}

/// Logged when a connection made no progress for `timeout` and was closed.
pub fn idle_closed(lang: Lang, timeout: Duration) -> String {
    lang.pick(
        format!("closed a connection idle for {timeout:?}"),
        format!("关闭了空闲 {timeout:?} 的连接"),
    )
}

/// Written to a client that sent nothing for `timeout`, before closing.
pub fn idle_goodbye(lang: Lang, timeout: Duration) -> String {
    lang.pick(
        format!("closing: nothing received for {timeout:?}\n"),
        format!("连接关闭: {timeout:?} 内未收到任何数据\n"),
    )
}

/// Written to a client that arrives when `max` clients are already connected.
pub fn busy(lang: Lang, max: usize) -> String {
    lang.pick(
        format!("server busy: {max} clients already connected, try again later\n"),
        format!("服务器繁忙: 已有 {max} 个客户端连接, 请稍后再试\n"),
    )
}

/// Written to a client the server cannot take on for want of resources
/// (blocking mode: no thread could be made for it).
pub fn overloaded(lang: Lang) -> &'static str {
    lang.pick(
        "server busy: no room for another client just now, try again later\n",
        "服务器繁忙: 暂时无法接待更多客户端, 请稍后再试\n",
    )
}

/// Printed by the client once it is connected.
pub fn connected(lang: Lang, addr: std::net::SocketAddr) -> String {
    lang.pick(
        format!("connected to {addr}; type lines to send, Ctrl-D to finish"),
        format!("已连接到 {addr}; 输入要发送的内容, Ctrl-D 结束"),
    )
}

/// Printed by the client when the server has closed its side.
pub fn server_closed(lang: Lang) -> &'static str {
    lang.pick("the server closed the connection", "服务器关闭了连接")
}
