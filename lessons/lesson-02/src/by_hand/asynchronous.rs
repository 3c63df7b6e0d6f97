//! The hand-built chat with tokio-tungstenite: one task per client.
//!
//! The accept loop, the client limit, the handshake and the stop are
//! lesson-01's ([`lesson_01::asynchronous::serve_with`]): a chat server
//! accepts WebSocket clients exactly as an echo server does. What is new is
//! the middle of a client's life. A task can wait for several things at
//! once, so each client's task waits, in one `select!`, for whichever comes
//! first: a message from its client, a message in its queue to send to its
//! client, the idle deadline, or the server stopping. Reading and writing
//! never block each other, because nothing blocks: a task that waits gives
//! its thread away.
//!
//! Why a queue per client ([`tokio::sync::mpsc`]) and not one
//! [`tokio::sync::broadcast`] channel for the room: a broadcast channel has
//! one bounded ring of messages for everyone, and a receiver that falls a
//! ring behind *skips* what it missed (`RecvError::Lagged`), silently, the
//! next time it reads. A queue per client lets the room see a full queue at
//! the moment it happens and drop that client with a close frame that says
//! why (see [`super::chat`]). It is also the same design as the blocking
//! server, so the two behave alike.

use std::future::Future;
use std::io;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use lesson_01::Ending;
use lesson_01::asynchronous::{accept_websocket, close, end_with, serve_with};
use lesson_01::protocol;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until, timeout};
use tokio_tungstenite::WebSocketStream;
use tungstenite::Message;

use super::chat::{self, Chat, Member};
use crate::{Config, messages};

/// Serves the chat on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let config = super::connection_config(&config);
    let chat = Arc::new(Chat::new(&config));
    serve(listener, config, chat, shutdown, |_stream| {}).await
}

/// [`run`] with the room given (the tests look into it), calling
/// `on_accept` on every new connection (the socket2 mode sets options).
pub async fn serve(
    listener: TcpListener,
    config: lesson_01::Config,
    chat: Arc<Chat>,
    shutdown: impl Future<Output = ()>,
    on_accept: impl Fn(&TcpStream),
) -> io::Result<()> {
    let serve_client = move |stream, config: lesson_01::Config, stop| {
        let chat = Arc::clone(&chat);
        async move {
            accept_websocket(stream, &config, async |ws| talk(ws, &chat, &config, stop).await).await
        }
    };
    let on_accept = move |stream: &TcpStream| {
        // A chat writes to clients that are not writing to it. With Nagle's
        // algorithm on, a message to a client that only listens waits for
        // the ACK of the one before, which that client delays (up to 40 ms
        // on Linux): every other message comes late. Node's `ws` turns
        // Nagle off on every socket; so does this chat.
        let _ = stream.set_nodelay(true);
        on_accept(stream);
    };
    serve_with(listener, config, shutdown, on_accept, serve_client).await
}

// ANCHOR: talk
/// One client in the room, from the handshake until it leaves.
async fn talk(
    mut ws: WebSocketStream<&mut TcpStream>,
    chat: &Chat,
    config: &lesson_01::Config,
    mut stop: watch::Receiver<bool>,
) -> Ending {
    let (member, mut inbox) = Member::new(None);
    let id = chat.join(member);
    // Logged once in the room: from this line on, the client hears the chat.
    config.log.line(messages::new_client(config.lang));
    let grace = config.grace;
    // Only what the client sends counts as a sign of life: the chat's own
    // traffic to it does not.
    let mut deadline = Instant::now() + config.idle_timeout;
    let ending = loop {
        tokio::select! {
            // In this order: what is queued for the client goes out before
            // the client's next message is read, so a client that sends a
            // line and then closes still gets its own line back first.
            biased;
            _ = stop.changed() => break close(ws, protocol::shutdown_close(), None, grace).await,
            () = sleep_until(deadline) => break close(ws, protocol::idle_close(), None, grace).await,
            queued = inbox.recv() => match queued {
                Some(frame) => match timeout(config.idle_timeout, ws.send(Message::Text(frame))).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => break end_with(ws, error, grace).await,
                    // The client has read nothing for the idle timeout.
                    Err(_elapsed) => break close(ws, protocol::idle_close(), None, grace).await,
                },
                // The room dropped us (nobody else ends our queue), and
                // everything queued before that has been sent.
                None => break close(ws, chat::behind_close(), None, grace).await,
            },
            incoming = ws.next() => match incoming {
                Some(Ok(message)) => {
                    deadline = Instant::now() + config.idle_timeout;
                    if let Some(frame) = chat.on_message(&message) {
                        break close(ws, frame, None, grace).await;
                    }
                }
                // The client closed, we answered, and tokio-tungstenite saw the end.
                None => break Ending::Closed,
                Some(Err(error)) => break end_with(ws, error, grace).await,
            },
        }
    };
    chat.leave(id);
    ending
}
// ANCHOR_END: talk
