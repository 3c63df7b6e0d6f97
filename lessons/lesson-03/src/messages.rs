//! Everything the server says, in English or in the article's Chinese.
//!
//! The Chinese strings of the Node program are copied exactly, so that
//! `--lang zh` prints what `node server.js` prints, byte for byte. The lines
//! the Node program never prints (errors, a busy server, shutting down) are
//! this port's own.

use lesson_support::Lang;

/// Logged once the server listens.
pub fn listening(lang: Lang, port: u16) -> String {
    lang.pick(
        format!("TCP server listening on port {port}"),
        format!("TCP 服务器正在监听端口 {port}"),
    )
}

/// Logged when a client connects.
pub fn new_client(lang: Lang) -> &'static str {
    lang.pick("new client connected", "新客户端连接")
}

/// Written to each client as soon as it connects.
pub fn greeting(lang: Lang) -> &'static str {
    lang.pick("Welcome to the TCP server\n", "欢迎连接到 TCP 服务器\n")
}

/// Logged for each chunk of data. The chunk keeps its own newline, and the
/// log adds one more, exactly as `console.log` does in the Node program.
pub fn received(lang: Lang, chunk: &str) -> String {
    lang.pick(format!("received: {chunk}"), format!("收到消息: {chunk}"))
}

/// Written back for each chunk.
pub fn reply(lang: Lang, chunk: &str) -> String {
    lang.pick(format!("server received: {chunk}"), format!("服务器已收到: {chunk}"))
}

/// Logged when the client ends its side of the connection (Node's `end`).
pub fn client_disconnected(lang: Lang) -> &'static str {
    lang.pick("client disconnected", "客户端断开连接")
}

/// Logged when a connection fails, for example when the client resets it.
/// (The Node program has no `error` handler: there, this crashes the server.)
pub fn client_error(lang: Lang, error: &std::io::Error) -> String {
    lang.pick(format!("client error: {error}"), format!("客户端错误: {error}"))
}

/// Written to a client that arrives when `max` clients are already connected.
pub fn busy(lang: Lang, max: usize) -> String {
    lang.pick(
        format!("server busy: {max} clients already connected, try again later\n"),
        format!("服务器繁忙: 已有 {max} 个客户端连接, 请稍后再试\n"),
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
