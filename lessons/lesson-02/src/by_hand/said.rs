//! The lines only the hand-built chat logs, in English or Chinese; the
//! lines both chats log (a client came, a message, a client left) are in
//! [`crate::messages`]. The Node program prints none of these: its
//! socket.io keeps unknown events and slow clients to itself.

use lesson_support::Lang;

/// Logged when a client sent an event the chat does not know. The name is
/// the client's text: the log shows it escaped, like any client text.
pub fn ignored(lang: Lang, event: &str) -> String {
    lang.pick(format!("ignored the unknown event {event:?}"), format!("忽略未知事件 {event:?}"))
}

/// Logged when a client fell `queued` messages behind and was dropped.
pub fn dropped(lang: Lang, queued: usize) -> String {
    lang.pick(
        format!("dropping a client that left {queued} messages unread"),
        format!("断开一个 {queued} 条消息未读的客户端"),
    )
}
