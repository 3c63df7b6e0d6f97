//! The lines every lesson's server says about its own life, the same in each
//! lesson: clients refused, accept failing, stopping. The Node programs say
//! none of these (they have no limits and no graceful stop): they are this
//! port's own, in English or Chinese. What a lesson says about its protocol
//! is in that lesson's `messages.rs`.

use std::time::Duration;

use crate::Lang;

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
