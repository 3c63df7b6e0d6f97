//! # Exercise 4: a room across processes
//! Book: lesson-02-by-hand, "Exercise 4: a room across processes"
//!
//! Each check starts a `redis-server` of its own and two socket.io servers
//! on it, A and B, in the test: socketioxide with its Redis adapter, and
//! the answer's `on_connect` for every client. The clients speak socket.io
//! over WebSocket, packet by packet.
//!
//! A check that a client gets nothing it should not does not wait a while:
//! it sends a second message that the client must get, from the same
//! sender through the same Redis, and checks that this one comes next
//! (Redis hands each process the messages in the order they were
//! published). A message that never comes fails the check after a bounded
//! wait.

use std::any::Any;
use std::future::{Ready, ready};
use std::net::{Ipv4Addr, SocketAddr};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use lesson_support::testing::{Process, Scratch, redis_available, redis_server};
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::SocketRef;
use socketioxide_redis::{RedisAdapter, RedisAdapterCtr};
use tokio::net::TcpListener;

use crate::answer::on_connect;
use crate::socketio_support::Sio;

/// A panic of the answer's `on_connect`, kept for the check to raise.
type Caught = Arc<Mutex<Option<Box<dyn Any + Send>>>>;

/// One socket.io server of the two, serving in the test's runtime until
/// dropped.
struct Server {
    addr: SocketAddr,
    caught: Caught,
    serving: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.serving.abort();
    }
}

/// The answer's `on_connect` as socketioxide's connect handler. A panic in
/// it (the stub's `todo!()`, first) is caught and kept, so that the check
/// fails with it at once instead of waiting for a client that never joins.
fn connect_handler<A: Adapter>(caught: Caught) -> impl Fn(SocketRef<A>) -> Ready<()> + Clone {
    move |socket| {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| on_connect(socket))) {
            *caught.lock().unwrap() = Some(panic);
        }
        ready(())
    }
}

impl Server {
    /// A socket.io server on the Redis at `url`, listening on a free port
    /// once its subscriptions are in place.
    async fn on(url: &str) -> Server {
        // The adapter reads Redis's pub/sub messages as RESP3 pushes.
        let redis = redis::Client::open(format!("{url}?protocol=resp3")).unwrap();
        let adapter = RedisAdapterCtr::new_with_redis(&redis).await.unwrap();
        let builder = SocketIo::builder().with_adapter::<RedisAdapter<_>>(adapter);
        let (service, io) = builder.build_svc();
        let caught = Caught::default();
        io.ns("/", connect_handler(caught.clone())).await.expect("subscribed on Redis");
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let serving = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let connection = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service.clone())
                    .with_upgrades();
                tokio::spawn(connection);
            }
        });
        Server { addr, caught, serving }
    }

    /// A client that has joined the chat. socketioxide runs the connect
    /// handler before it sends the client anything, so a panic in it is
    /// known by the time the client has joined.
    async fn client(&self) -> Sio {
        let client = Sio::join(self.addr).await;
        if let Some(panic) = self.caught.lock().unwrap().take() {
            resume_unwind(panic);
        }
        client
    }
}

/// A Redis and two servers on it.
struct Cluster {
    a: Server,
    b: Server,
    _redis: Process,
    _scratch: Scratch,
}

async fn cluster(name: &str) -> Cluster {
    let scratch = Scratch::new(&format!("02-shared-room-{name}"));
    let (redis, url) = redis_server(&scratch.0);
    let (a, b) = (Server::on(&url).await, Server::on(&url).await);
    Cluster { a, b, _redis: redis, _scratch: scratch }
}

/// Sends `event` (`join` or `leave`) for `room`, asking for an
/// acknowledgement, and checks that it comes with the room's name.
async fn ask(client: &mut Sio, event: &str, room: &str) {
    client.send(&format!(r#"421["{event}","{room}"]"#)).await;
    let who = format!("a client that sent `{event}` and waits for its acknowledgement");
    expect(client, format!(r#"431["{room}"]"#), &who).await;
}

async fn join(client: &mut Sio, room: &str) {
    ask(client, "join", room).await;
}

async fn say(client: &mut Sio, room: &str, text: &str) {
    client.send(&heard(room, text)).await;
}

/// The packet of `text` sent to `room`: what a member gets.
fn heard(room: &str, text: &str) -> String {
    format!(r#"42["room message","{room}","{text}"]"#)
}

/// How long a check waits for a packet that must come. Shorter than the
/// client's own patience, to say who went without.
const WAIT: Duration = Duration::from_secs(10);

/// Checks that the next packet `who` gets is `packet`.
async fn expect(client: &mut Sio, packet: String, who: &str) {
    let Ok(got) = tokio::time::timeout(WAIT, client.next_text()).await else {
        panic!("{who} got nothing in {WAIT:?}; it should have got {packet}");
    };
    assert_eq!(got, packet, "what {who} got next");
}

#[tokio::test]
async fn a_message_to_a_room_reaches_its_members_on_both_processes() {
    if !redis_available() {
        return;
    }
    let Cluster { a, b, .. } = &cluster("members").await;
    let (mut on_a, mut on_b, mut sender) = (a.client().await, b.client().await, b.client().await);
    join(&mut on_a, "red").await;
    join(&mut on_b, "red").await;
    say(&mut sender, "red", "hi").await;
    expect(&mut on_b, heard("red", "hi"), "the member on the sender's process").await;
    expect(&mut on_a, heard("red", "hi"), "the member on the other process").await;
}

#[tokio::test]
async fn a_message_to_a_room_reaches_no_one_outside_it() {
    if !redis_available() {
        return;
    }
    let Cluster { a, b, .. } = &cluster("outside").await;
    let (mut red, mut blue, mut sender) = (b.client().await, b.client().await, a.client().await);
    join(&mut red, "red").await;
    join(&mut blue, "blue").await;
    join(&mut sender, "lobby").await;
    say(&mut sender, "red", "for red").await;
    expect(&mut red, heard("red", "for red"), "the member of red, on B").await;
    // The client of B in no room of the message gets the next message, to
    // its own room, first.
    say(&mut sender, "blue", "for blue").await;
    expect(&mut blue, heard("blue", "for blue"), "a client of B in blue only").await;
    // As does the sender, which is not in the room it wrote to.
    say(&mut sender, "lobby", "for the lobby").await;
    expect(&mut sender, heard("lobby", "for the lobby"), "the sender, in the lobby only").await;
}

#[tokio::test]
async fn a_member_gets_its_own_message() {
    if !redis_available() {
        return;
    }
    let Cluster { a, b, .. } = &cluster("own").await;
    let (mut sender, mut other) = (a.client().await, b.client().await);
    join(&mut sender, "red").await;
    join(&mut other, "red").await;
    say(&mut sender, "red", "mine").await;
    expect(&mut other, heard("red", "mine"), "the other member, on B").await;
    expect(&mut sender, heard("red", "mine"), "the sender, a member").await;
}

#[tokio::test]
async fn a_client_that_left_a_room_gets_no_more_of_it() {
    if !redis_available() {
        return;
    }
    let Cluster { a, b, .. } = &cluster("left").await;
    let (mut leaver, mut stays, mut sender) =
        (b.client().await, a.client().await, a.client().await);
    for room in ["red", "blue"] {
        join(&mut leaver, room).await;
    }
    join(&mut stays, "red").await;
    say(&mut sender, "red", "before").await;
    expect(&mut leaver, heard("red", "before"), "the member of red and blue, on B").await;
    expect(&mut stays, heard("red", "before"), "the member of red, on A").await;

    ask(&mut leaver, "leave", "red").await;
    say(&mut sender, "red", "after").await;
    expect(&mut stays, heard("red", "after"), "the member of red, on A").await;
    say(&mut sender, "blue", "still blue").await;
    expect(&mut leaver, heard("blue", "still blue"), "the client that left red for blue").await;
}
