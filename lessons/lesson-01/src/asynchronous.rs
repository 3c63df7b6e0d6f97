//! The `ws` server with tokio-tungstenite: one task per client.
//!
//! This is the closest thing to the Node program: many connections, a few
//! threads, each task giving its thread away while it waits (`.await`).
//! tokio-tungstenite is tungstenite driven by tokio: the same protocol
//! code, with `WebSocketStream` as a `Stream` of messages (read with
//! `next`) and a `Sink` (written with `send`).
//!
//! What the Node program leaves out, and this file adds: a close frame with
//! the right code for every broken rule (Node's `ws` crashes the whole
//! server on invalid UTF-8), an HTTP error for a client that is not a
//! WebSocket, a limit on clients, an idle timeout, and a stop that sends
//! every client a close frame.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{FutureExt as _, SinkExt, StreamExt};
use lesson_support::ACCEPT_BACKOFF;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout, timeout_at};
use tokio_tungstenite::WebSocketStream;
use tungstenite::Error;
use tungstenite::protocol::CloseFrame;

use crate::{Config, Ending, messages, protocol};

/// Serves clients on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    run_with(listener, config, shutdown, |_stream| {}).await
}

/// [`run`], calling `on_accept` on every new connection before serving it.
/// The socket2 mode uses it to set options on each accepted socket.
pub async fn run_with(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
    on_accept: impl Fn(&TcpStream),
) -> io::Result<()> {
    let serve = |stream, config, stop| async move { serve_client(stream, &config, stop).await };
    serve_with(listener, config, shutdown, on_accept, serve).await
}

/// [`run_with`], serving each client with `serve` in a task of its own
/// (lesson-02's chat serves its clients with this accept loop). `serve`
/// gets the socket, a copy of the configuration, and the stop signal,
/// which turns `true` when the server stops.
pub async fn serve_with<S, F>(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
    on_accept: impl Fn(&TcpStream),
    serve: S,
) -> io::Result<()>
where
    S: Fn(TcpStream, Config, watch::Receiver<bool>) -> F,
    F: Future<Output = Ending> + Send + 'static,
{
    let lang = config.lang;
    config.log.line(messages::listening(lang, listener.local_addr()?.port()));

    // ANCHOR: accept
    // One permit per client; a client that gets none is turned away.
    let permits = Arc::new(Semaphore::new(config.max_clients));
    // Every connection task watches this; `true` means "stop".
    let (stop_sender, stop) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);

    loop {
        tokio::select! {
            () = &mut shutdown => break,
            // Collect finished tasks as we go, so the set does not grow.
            Some(_finished) = connections.join_next() => {}
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(connection) => connection,
                    Err(error) => {
                        // Usually "too many open files": wait, then try again.
                        config.log.line(messages::accept_error(lang, &error, ACCEPT_BACKOFF));
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                };
                let Ok(permit) = permits.clone().try_acquire_owned() else {
                    config.log.line(messages::client_rejected(lang, config.max_clients));
                    // `try_write` never waits: a client we refuse gets no
                    // more of our time than one write into an empty buffer.
                    let _ = stream.try_write(protocol::BUSY.as_bytes());
                    continue;
                };
                on_accept(&stream);
                let config = config.clone();
                let serving = serve(stream, config.clone(), stop.clone());
                // `map`, not `async move { serving.await; … }`: that async
                // block would hold the future twice, as the value it captured
                // and in its own state, and every idle task would carry both
                // (measured: 6.6 KiB per idle connection against 4.4 KiB).
                connections.spawn(serving.map(move |ending| {
                    drop(permit); // the next client may come in
                    config.report(&ending);
                }));
            }
        }
    }
    // ANCHOR_END: accept

    // ANCHOR: shutdown
    drop(listener); // new clients are now refused by the kernel
    let open = config.max_clients - permits.available_permits();
    config.log.line(messages::shutting_down(lang, open));
    let _ = stop_sender.send(true);
    // Each task sends its close frame and waits at most `grace` for the
    // answer; a little more here covers a task stuck writing a reply.
    let all_finished = async { while connections.join_next().await.is_some() {} };
    if timeout(config.grace * 2, all_finished).await.is_err() {
        config.log.line(messages::cut_off(lang, connections.len()));
        connections.shutdown().await;
    }
    config.log.line(messages::stopped(lang));
    Ok(())
    // ANCHOR_END: shutdown
}

// ANCHOR: serve_client
/// One client's whole life: the handshake, a reply per message, until the
/// close handshake, a broken rule, the idle timeout, the server stopping, or
/// a failure.
async fn serve_client(stream: TcpStream, config: &Config, stop: watch::Receiver<bool>) -> Ending {
    accept_websocket(stream, config, async |ws| talk(ws, config, stop).await).await
}

/// A reply per message, until the close handshake, a broken rule, the idle
/// timeout, the server stopping, or a failure.
async fn talk(
    mut ws: WebSocketStream<&mut TcpStream>,
    config: &Config,
    mut stop: watch::Receiver<bool>,
) -> Ending {
    let idle = config.idle_timeout;
    let (lang, log) = (config.lang, &config.log);
    log.line(messages::new_client(lang));

    loop {
        let next = tokio::select! {
            next = timeout(idle, ws.next()) => next,
            _ = stop.changed() => return close(ws, protocol::shutdown_close(), None, config.grace).await,
        };
        let message = match next {
            Ok(Some(Ok(message))) => message,
            // The client closed, we answered, and tokio-tungstenite saw the end.
            Ok(None) => return Ending::Closed,
            Ok(Some(Err(error))) => return end_with(ws, error, config.grace).await,
            Err(_elapsed) => return close(ws, protocol::idle_close(), None, config.grace).await,
        };
        let Some(text) = protocol::text_of(&message) else { continue };
        log.line(messages::received(lang, &text));
        let reply = config.reply(&message, &text);
        // A client that never reads would make this wait for ever.
        match timeout(idle, ws.send(reply)).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => return end_with(ws, error, config.grace).await,
            Err(_elapsed) => return close(ws, protocol::idle_close(), None, config.grace).await,
        }
    }
}
/// Does the WebSocket handshake on `stream` within the idle timeout, then
/// hands the WebSocket to `serve`; a request that is no handshake is
/// answered with an HTTP error instead. (lesson-02's chat uses it too.)
pub async fn accept_websocket(
    mut stream: TcpStream,
    config: &Config,
    serve: impl AsyncFnOnce(WebSocketStream<&mut TcpStream>) -> Ending,
) -> Ending {
    let idle = config.idle_timeout;
    // ANCHOR: handshake
    // `&mut stream`, not `stream`: if the handshake fails, tungstenite's
    // error takes its stream away, and we still need ours to answer.
    // `Box::pin`: a task is as big as its biggest `.await`, and the
    // handshake's state (1.3 KiB) would otherwise stay in every idle task
    // for ever; boxed, it is freed once the handshake is done.
    let handshake = Box::pin(tokio_tungstenite::accept_async_with_config(
        &mut stream,
        Some(protocol::websocket_config()),
    ));
    // ANCHOR_END: handshake
    match timeout(idle, handshake).await {
        Ok(Ok(ws)) => serve(ws).await,
        Ok(Err(error)) => {
            let _ = timeout(idle, stream.write_all(protocol::refusal(&error).as_bytes())).await;
            Ending::NotWebSocket(error)
        }
        Err(elapsed) => Ending::Failed(io::Error::from(elapsed).into()),
    }
}

// ANCHOR_END: serve_client

// ANCHOR: end_with
/// Ends a connection on which `error` happened: with the close frame the
/// error calls for, if any (tungstenite sends none itself).
pub async fn end_with(
    ws: WebSocketStream<&mut TcpStream>,
    error: Error,
    grace: Duration,
) -> Ending {
    match protocol::close_for(&error) {
        Some(frame) => close(ws, frame, Some(error), grace).await,
        None => Ending::Failed(error),
    }
}

/// Sends `frame`, then waits (at most `grace`) for the client to answer and
/// close its side. Its answer is read as raw bytes and dropped: after a
/// broken rule the stream may be in the middle of a frame, and tungstenite
/// would only find more errors in it. Closing without reading what the
/// client sent would make the kernel reset the connection, and the client
/// might lose our close frame.
///
/// Boxed, like the handshake, and with its scratch buffer on the heap: this
/// runs once, at the end, and its state inline would make every idle task
/// bigger (a `[0; 4096]` here once cost each idle connection 4 KiB).
pub fn close(
    mut ws: WebSocketStream<&mut TcpStream>,
    frame: CloseFrame,
    cause: Option<Error>,
    grace: Duration,
) -> Pin<Box<dyn Future<Output = Ending> + Send + '_>> {
    Box::pin(async move {
        let deadline = Instant::now() + grace;
        let _ = timeout_at(deadline, ws.close(Some(frame.clone()))).await;
        let stream = ws.get_mut();
        let drain = async {
            // The server closes TCP first (RFC 6455 §7.1.1).
            stream.shutdown().await?;
            let mut scratch = vec![0; 4096];
            while stream.read(&mut scratch).await? > 0 {}
            io::Result::Ok(())
        };
        let _ = timeout_at(deadline, drain).await;
        Ending::ClosedBy { frame, cause }
    })
}
// ANCHOR_END: end_with
