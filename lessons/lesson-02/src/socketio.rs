//! The article's chat on socketioxide, a socket.io server for Rust.
//!
//! socket.io is two protocols stacked on HTTP. engine.io, underneath, keeps
//! one session alive however it can: HTTP long-polling first (a GET that the
//! server holds until it has something to say, a POST per message from the
//! client), then a WebSocket when the client can open one; it also sends the
//! heartbeat (ping and pong) that finds dead clients. socket.io, on top, adds
//! named events (`42["chat message","hi"]`), namespaces, rooms and
//! acknowledgements. socketioxide speaks both, as a hyper service: this file
//! accepts TCP connections and hands each to hyper, which hands every request
//! under `/socket.io/` to socketioxide and every other one to [`page`].
//!
//! What the Node program leaves out, and this file adds: a limit on clients,
//! on new sessions ([`admission`]), on message size and on the time a
//! request may take, a heartbeat tuned by `--idle-timeout`, and a stop that
//! says goodbye to every client.

pub mod admission;
pub mod page;
pub mod redis_driver;

use std::future::{Future, Ready, ready};
use std::io;
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use socketioxide::adapter::{Adapter, LocalAdapter};
use socketioxide::extract::{SocketRef, TryData};
use socketioxide::handler::ConnectHandler;
use socketioxide::{BroadcastError, ParserConfig, SocketIo, SocketIoBuilder};
use socketioxide_core::adapter::DefinedAdapter;
use socketioxide_redis::{CustomRedisAdapter, RedisAdapterConfig, RedisAdapterCtr};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::timeout;

use crate::{Config, messages};
use lesson_support::ACCEPT_BACKOFF;
use redis_driver::{Health, ReconnectingDriver};

/// How many packets may wait to be sent to one client. A client that does
/// not read fills its queue; then what is sent to it is dropped (socketioxide
/// returns an error for that client alone) and the others go on receiving.
pub const CLIENT_QUEUE: usize = 128;

/// The TCP connections one chat client may hold at once: a long-polling
/// client keeps a GET waiting for news and opens another for each POST.
pub const CONNECTIONS_PER_CLIENT: usize = 2;

/// The socket.io server, ready to serve: what [`chat`] builds. `A` is the
/// adapter that `io.emit` goes through: socketioxide's [`LocalAdapter`]
/// (this process's clients) or [`RedisAdapter`] (every process's clients).
pub struct Server<A: Adapter = LocalAdapter> {
    /// socket.io under `/socket.io/`, the page elsewhere: hand it requests.
    pub service: Service<A>,
    /// socket.io's `io`: the handle that broadcasts and, at the end, closes.
    pub io: SocketIo<A>,
    /// How many clients are in the chat, kept by the handlers.
    pub clients: watch::Receiver<usize>,
    relay: tokio::task::JoinHandle<()>,
}

impl<A: Adapter> std::fmt::Debug for Server<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("clients", &*self.clients.borrow()).finish_non_exhaustive()
    }
}

/// socketioxide's service, with [`page::Page`] for the other paths.
pub type Service<A = LocalAdapter> = socketioxide::service::SocketIoService<page::Page, A>;

// ANCHOR: io
/// Builds the socket.io server on `builder` (which has chosen the adapter):
/// its settings, and the chat's handlers on the main namespace `/`. Call it
/// inside the runtime: it starts the relay, which follows `redis`, the
/// driver's health (never changing without Redis). Also returns the
/// adapter's start for `/`: nothing for the local adapter; for Redis, the
/// subscriptions, to await before serving.
pub fn chat<A: Adapter + DefinedAdapter>(
    config: &Config,
    builder: SocketIoBuilder<A>,
    redis: Health,
) -> (Server<A>, A::InitRes) {
    let heartbeat = config.idle_timeout / 2;
    let (service, io) = builder
        // A client that stops answering pings is dropped after at most
        // `ping_interval + ping_timeout`: the whole idle timeout.
        .ping_interval(heartbeat)
        .ping_timeout(heartbeat)
        // A client that opens a session but never joins the chat.
        .connect_timeout(config.idle_timeout)
        // The largest message, whether it comes in an HTTP POST (long
        // polling) or a WebSocket message.
        .max_payload(config.max_message as u64)
        .ws_max_message_size(config.max_message)
        .max_buffer_size(CLIENT_QUEUE)
        // A message may carry binary attachments, sent as WebSocket messages
        // of their own after it: bounded in size, and in how long the server
        // waits for them (checked when the client's next packet arrives).
        .with_parser(
            ParserConfig::common()
                .max_incoming_binary_buf_size(config.max_message)
                .packet_completion_timeout(config.idle_timeout),
        )
        .build_with_inner_svc(page::Page);
    let (to_relay, relay) = relay(io.clone(), config.clone(), redis);
    let (clients_sender, clients) = watch::channel(0);
    let chat = Chat { config: config.clone(), to_relay, clients: Arc::new(clients_sender) };
    let full = {
        let chat = chat.clone();
        move || refuse_when_full(chat.clone())
    };
    let started = io.ns("/", (move |socket: SocketRef<A>| chat.join(&socket)).with(full));
    (Server { service, io, clients, relay }, started)
}
// ANCHOR_END: io

/// What the handlers share.
#[derive(Clone, Debug)]
struct Chat {
    config: Config,
    /// The relay's queue: messages to broadcast.
    to_relay: mpsc::Sender<Option<Value>>,
    /// How many clients are in the chat.
    clients: Arc<watch::Sender<usize>>,
}

// ANCHOR: handlers
impl Chat {
    /// `io.on('connection', …)`: a client has joined the chat.
    ///
    /// socketioxide calls a handler at once, in the order packets arrive,
    /// and then runs the future it returns as a task of its own; tasks may
    /// run in any order. So these handlers do their work in the call itself
    /// and return a future with nothing left to do: the listeners are in
    /// place before the client's first message is read, and messages are
    /// logged and queued for the relay in the order they came.
    fn join<A: Adapter>(&self, socket: &SocketRef<A>) -> Ready<()> {
        let (lang, log) = (self.config.lang, &self.config.log);
        log.line(messages::new_client(lang));
        self.clients.send_modify(|clients| *clients += 1);

        let chat = self.clone();
        socket.on("chat message", move |TryData(msg): TryData<Value>| {
            // Only the first argument counts, as in Node; none is `undefined`.
            let msg = msg.ok();
            chat.config.log.line(messages::received(lang, &js_text(msg.as_ref())));
            if chat.to_relay.try_send(msg).is_err() {
                chat.config.log.line(messages::dropped(lang));
            }
            ready(())
        });

        let chat = self.clone();
        socket.on_disconnect(move || {
            chat.config.log.line(messages::client_disconnected(lang));
            chat.clients.send_modify(|clients| *clients -= 1);
            ready(())
        });
        ready(())
    }
}
// ANCHOR_END: handlers

/// A middleware run before [`Chat::join`]: with `max_clients` already in the
/// chat, the client gets a `connect_error` saying so (and socket.io-client
/// gives up rather than retrying at once).
async fn refuse_when_full(chat: Chat) -> Result<(), &'static str> {
    let Config { lang, max_clients, .. } = chat.config;
    if *chat.clients.borrow() < max_clients {
        return Ok(());
    }
    chat.config.log.line(messages::client_rejected(lang, max_clients));
    Err(messages::server_full(lang))
}

// ANCHOR: relay
/// How many messages may wait for the relay. Broadcasting only puts each
/// message in every client's queue, so the relay falls behind only when
/// messages come faster than it can copy them; beyond this, they are dropped.
pub const RELAY_QUEUE: usize = 1024;

/// Starts the one task that broadcasts: `io.emit('chat message', msg)` for
/// each message, in the order the handlers queued them. (An `io.emit` in
/// each handler's own task could overtake another.) `io.emit` goes through
/// socketioxide's adapter: the local one reaches this process's clients; the
/// Redis one first publishes the message for the other processes to emit.
///
/// The Redis adapter gives up on the whole emit when the publish fails,
/// this process's own clients included: then the relay sends the message to
/// them itself (`io.local()`), and says once that Redis is lost. Until the
/// driver's health says Redis answers again, messages go only to this
/// process's clients, without trying Redis first: each try could wait for
/// the publish timeout, and the messages behind it too. The relay does not
/// poll Redis itself; the driver `PING`s it, once a second at most, and the
/// relay says once that Redis is back when the health changes.
fn relay<A: Adapter>(
    io: SocketIo<A>,
    config: Config,
    mut redis: Health,
) -> (mpsc::Sender<Option<Value>>, tokio::task::JoinHandle<()>) {
    let (to_relay, mut queued) = mpsc::channel(RELAY_QUEUE);
    let lang = config.lang;
    let task = tokio::spawn(async move {
        // Whether this process has said that Redis is lost, and not yet
        // that it is back.
        let mut lost = false;
        loop {
            tokio::select! {
                msg = queued.recv() => {
                    let Some(msg) = msg else { break };
                    // `null` for a missing argument, as JSON.stringify writes
                    // it. A client whose queue is full misses this message;
                    // the others do not wait for it.
                    let reached_all = !lost
                        && match io.emit("chat message", &msg).await {
                            Err(BroadcastError::Adapter(error)) => {
                                lost = true;
                                config.log.line(messages::redis_lost(lang, &error));
                                false
                            }
                            _ => true,
                        };
                    if !reached_all {
                        let _ = io.local().emit("chat message", &msg).await;
                    }
                }
                // Never, without Redis: nothing sends on that channel.
                Ok(()) = redis.changed() => match (lost, &*redis.borrow_and_update()) {
                    (false, Some(why)) => {
                        lost = true;
                        config.log.line(messages::redis_lost(lang, why));
                    }
                    (true, None) => {
                        lost = false;
                        config.log.line(messages::redis_back(lang));
                    }
                    _ => {}
                },
            }
        }
    });
    (to_relay, task)
}
// ANCHOR_END: relay

/// The text JavaScript's `${msg}` makes of a message, so that the log reads
/// as Node's does: a string as it is, `null`, `true`, `42`, an array's items
/// joined by commas (with `null` as nothing), `[object Object]`, and
/// `undefined` when there was no argument at all.
pub fn js_text(value: Option<&Value>) -> String {
    match value {
        None => "undefined".into(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Object(_)) => "[object Object]".into(),
        Some(Value::Array(items)) => {
            let item = |value: &Value| match value {
                Value::Null => String::new(),
                value => js_text(Some(value)),
            };
            items.iter().map(item).collect::<Vec<_>>().join(",")
        }
        Some(other) => other.to_string(), // null, booleans, numbers
    }
}

/// Serves the chat on `listener` until `shutdown` resolves.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let (_, no_redis) = watch::channel(None);
    let (server, ()) = chat(&config, SocketIoBuilder::new(), no_redis);
    serve(listener, config, server, shutdown).await
}

// ANCHOR: redis
/// Connects to the Redis server at `url`: what [`run_on_redis`] needs. The
/// adapter reads Redis's pub/sub messages as RESP3 pushes, so RESP3 is asked
/// for unless the URL chooses a protocol itself.
pub async fn connect_redis(url: &str) -> redis::RedisResult<ReconnectingDriver> {
    let url = match (url.contains("protocol="), url.contains('?')) {
        (true, _) => url.to_owned(),
        (false, true) => format!("{url}&protocol=resp3"),
        (false, false) => format!("{url}?protocol=resp3"),
    };
    ReconnectingDriver::connect(redis::Client::open(url)?).await
}

/// socketioxide's Redis adapter, on our reconnecting driver.
pub type RedisAdapter<E> = CustomRedisAdapter<E, ReconnectingDriver>;

/// Serves the chat as [`run`] does, but every `io.emit` also reaches the
/// clients of every other process joined to the same Redis: the adapter
/// publishes it on a Redis channel that they all subscribe to.
pub async fn run_on_redis(
    listener: TcpListener,
    config: Config,
    redis: ReconnectingDriver,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let health = redis.health();
    let adapter = RedisAdapterCtr::new_with_driver(redis, RedisAdapterConfig::default());
    let builder = SocketIoBuilder::new().with_adapter::<RedisAdapter<_>>(adapter);
    let (server, subscribed) = chat(&config, builder, health);
    subscribed.await.map_err(|error| io::Error::other(format!("subscribing on Redis: {error}")))?;
    serve(listener, config, server, shutdown).await
}
// ANCHOR_END: redis

// ANCHOR: accept
/// Serves `server` on `listener` until `shutdown` resolves.
async fn serve<A: Adapter>(
    listener: TcpListener,
    config: Config,
    server: Server<A>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let lang = config.lang;
    let Server { service, io, mut clients, relay } = server;
    let service = admission::Admission::new(service, &config);
    config.log.line(messages::listening(lang, listener.local_addr()?.port()));

    // The chat's own limit is in `refuse_when_full`; this one keeps the
    // descriptors bounded whatever the clients do.
    let most_connections = config.max_clients * CONNECTIONS_PER_CLIENT;
    let permits = Arc::new(Semaphore::new(most_connections));
    let (stop_sender, stop) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);

    loop {
        tokio::select! {
            () = &mut shutdown => break,
            Some(_finished) = connections.join_next() => {}
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(connection) => connection,
                    Err(error) => {
                        config.log.line(messages::accept_error(lang, &error, ACCEPT_BACKOFF));
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                };
                let Ok(permit) = permits.clone().try_acquire_owned() else {
                    config.log.line(messages::client_rejected(lang, config.max_clients));
                    continue; // dropping the stream closes it
                };
                // Nagle off, as the hand-built chat does (see
                // `by_hand::asynchronous`) and as Node's socket.io does: a
                // broadcast to a client that only listens would otherwise wait
                // for that client's delayed ACK, up to 40 ms.
                let _ = stream.set_nodelay(true);
                let service = service.clone();
                let stop = stop.clone();
                let config = config.clone();
                connections.spawn(async move {
                    serve_http(stream, service, stop, config).await;
                    drop(permit);
                });
            }
        }
    }
    // ANCHOR_END: accept

    // ANCHOR: shutdown
    drop(listener);
    config.log.line(messages::shutting_down(lang, *clients.borrow()));
    // Every client is told goodbye with socket.io's disconnect packet (`41`),
    // and its `disconnect` handler runs, as a task: wait for them all, so
    // that every goodbye is logged. (`io.close()` alone would skip the
    // handlers: it takes the namespaces away before their sockets close.)
    for socket in io.sockets() {
        let _ = socket.disconnect();
    }
    let goodbyes = clients.wait_for(|clients| *clients == 0);
    if timeout(config.grace, goodbyes).await.is_err() {
        config.log.line(messages::cut_off(lang, *clients.borrow()));
    }
    // Then every engine.io session: its close packet (`1`), then the end of
    // its WebSocket or of its long poll.
    let _ = timeout(config.grace, io.close()).await;
    relay.abort();
    // Then the HTTP connections still open are closed as they go idle.
    let _ = stop_sender.send(true);
    let all_finished = async { while connections.join_next().await.is_some() {} };
    if timeout(config.grace, all_finished).await.is_err() {
        config.log.line(messages::cut_off(lang, connections.len()));
        connections.shutdown().await;
    }
    config.log.line(messages::stopped(lang));
    Ok(())
    // ANCHOR_END: shutdown
}

/// What serves each HTTP request: socketioxide, behind the admission of new
/// sessions.
type Front<A> = admission::Admission<Service<A>>;

/// One TCP connection: HTTP/1.1 requests, one after another, each given to
/// socketioxide or the page; or one request upgraded to a WebSocket, after
/// which socketioxide owns the connection and this returns.
async fn serve_http<A: Adapter>(
    stream: TcpStream,
    service: Front<A>,
    mut stop: watch::Receiver<bool>,
    Config { grace, idle_timeout: idle, .. }: Config,
) {
    // A connection that sends no complete request in time is closed: without
    // this, hyper waits for ever, and a few hundred mute connections would
    // hold every permit.
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(idle)
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = stop.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = timeout(grace, connection).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::js_text;
    use serde_json::json;

    #[test]
    fn messages_are_logged_as_javascript_writes_them() {
        let cases = [
            (json!("hi"), "hi"),
            (json!(null), "null"),
            (json!(true), "true"),
            (json!(42), "42"),
            (json!(1.5), "1.5"),
            (json!([1, null, "a", [2, 3]]), "1,,a,2,3"),
            (json!({"a": 1}), "[object Object]"),
        ];
        for (value, text) in cases {
            assert_eq!(js_text(Some(&value)), text, "{value}");
        }
        assert_eq!(js_text(None), "undefined");
    }
}
