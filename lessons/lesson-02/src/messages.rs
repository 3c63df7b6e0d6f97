//! Everything the chat servers say, in English or in the article's Chinese,
//! for the socket.io server and the hand-built one alike.
//!
//! The Chinese strings of the Node program are copied exactly, so that
//! `--lang zh` prints what `node chat-server.js` prints, byte for byte. The
//! lines the Node program never prints (a full server, shutting down) are
//! this port's own.

use std::fmt::Display;

use lesson_support::{Lang, text};

/// The article's lines about its clients (a client came, sent something,
/// went), and the server's lines about its own life: shared by every lesson.
pub use lesson_support::messages::{
    accept_error, client_disconnected, client_rejected, cut_off, new_client, no_thread, received,
    shutting_down, stopped,
};

/// Logged once the server listens. The Node program prints it right after
/// `require('socket.io')(3000)`, which has started listening by then.
pub fn listening(lang: Lang, port: u16) -> String {
    lang.pick(
        format!("Socket.IO server listening on port {port}"),
        format!("Socket.IO 服务器正在监听端口 {port}"),
    )
}

/// What a client turned away for the client limit is told, in socket.io's
/// `connect_error` (the client library hands it to `connect_error`
/// listeners as `err.message`).
pub fn server_full(lang: Lang) -> &'static str {
    lang.pick("server full", "服务器已满")
}

/// Logged when a message is dropped because the server cannot broadcast as
/// fast as messages come in.
pub fn dropped(lang: Lang) -> &'static str {
    lang.pick("overloaded: a message was dropped", "服务器过载: 丢弃了一条消息")
}

/// Logged once when the Redis that joins the servers fails: from then on
/// this server's messages reach only its own clients, until [`redis_back`].
pub fn redis_lost(lang: Lang, error: &dyn Display) -> impl Display + '_ {
    text(move |f| match lang {
        Lang::En => write!(
            f,
            "lost Redis ({error}): messages now reach only this server's clients, until it is back"
        ),
        Lang::Zh => {
            write!(f, "与 Redis 的连接已断开 ({error}): 在恢复之前, 消息只发给本服务器的客户端")
        }
    })
}

/// Logged once when Redis answers again after [`redis_lost`]: messages
/// reach the clients of every server again.
pub fn redis_back(lang: Lang) -> &'static str {
    lang.pick(
        "Redis is back: messages reach every server's clients again",
        "Redis 已恢复: 消息重新发给所有服务器的客户端",
    )
}
