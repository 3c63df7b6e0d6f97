//! Does socketioxide's Redis adapter speak the protocol of Node's
//! `@socket.io/redis-adapter`? Run both on one Redis and see: what Node's
//! adapter subscribes to and publishes for the chat message lesson-02 was
//! seen publishing (`socketio_redis_wire.rs`), and whether a message crosses
//! from a Rust server's clients to a Node server's, or back. It does not, in
//! either direction. Needs `node` (with `node/package-lock.json` installed)
//! and `redis-server`; under CI a missing one fails the tests.

mod redis_support;
mod socketio_support;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;

use lesson_support::testing::{Process, node_available, redis_available};
use redis_support::wire::{Monitor, Spy, connection, numsub};
use redis_support::{Scratch, chat_on, redis_server, stop};
use socketio_support::Sio;

/// `node/chat-server-redis.js`, the article's chat on Node's Redis
/// adapter, on the Redis at `url`. Returns it once it listens, which it
/// does after its subscriptions, with its address.
fn node_chat_on(url: &str) -> (Process, SocketAddr) {
    let mut node = Command::new("node");
    node.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/node/chat-server-redis.js")).args(["0", url]);
    let mut node = Process::start(node);
    let port = node.port();
    (node, (Ipv4Addr::LOCALHOST, port).into())
}

/// The chat packet of `msg` (JSON), as both servers send it.
fn chat(msg: &str) -> String {
    format!(r#"42["chat message",{msg}]"#)
}

#[tokio::test]
async fn what_nodes_adapter_asks_of_redis_and_publishes_for_one_chat_message() {
    if !(node_available() && redis_available()) {
        return;
    }
    let scratch = Scratch::new("redis-node-publish");
    let (_redis, url) = redis_server(&scratch);
    let mut redis = connection(&url).await;
    let mut monitor = Monitor::on(&url).await;
    let (node, node_addr) = node_chat_on(&url);
    let at_start = monitor.until_now(&mut redis).await;

    let mut client = Sio::join(node_addr).await;
    let mut spy = Spy::on(&url).await;
    client.chat(r#""hi""#).await;
    assert_eq!(client.next_text().await, chat(r#""hi""#));
    // Node's adapter sends its PUBLISH before it emits to its own clients,
    // but does not wait for Redis's answer: the spy's wait covers that.
    let published = spy.next().await;

    let value: serde_json::Value = rmp_serde::from_slice(&published.payload).unwrap();
    let uid = value[0].as_str().expect("the uid of the sending process first");
    // Node's client library sends its commands in lower case; the PING is
    // the script's own (see the script).
    let mut text = String::from("what Node's adapter subscribes to as it starts (MONITOR):\n");
    for command in at_start.iter().filter(|command| command.to_uppercase().contains("SUBSCRIBE")) {
        text += &format!("  {}\n", command.replace(uid, "[UID]"));
    }
    text += "what a subscriber to every channel (PSUBSCRIBE *) receives for one chat message:\n";
    text += &published.describe(&[], &[(uid, "[UID]")]);
    insta::assert_snapshot!(text);

    assert_eq!(published.channel, "socket.io#/#");
    drop(client);
    drop(node); // killed by its drop: the Node program has no clean stop
}

/// Two Rust servers (A, B) and two Node servers (N, M) on one Redis, a
/// client on each. A message from a Rust client reaches the other Rust
/// server's client and no Node client; one from a Node client reaches the
/// other Node server's client and no Rust client.
///
/// "No" is checked without waiting a while: once both first messages have
/// reached the far server of their own language (so both are published),
/// each language sends a second one, and every client's next packet must be
/// its own language's second message. Redis sends one subscriber the
/// messages of all its channels in the order they were published, so a
/// first message of the other language that had crossed would come first.
#[tokio::test]
async fn a_message_does_not_cross_between_rust_and_node_servers_on_one_redis() {
    if !(node_available() && redis_available()) {
        return;
    }
    let scratch = Scratch::new("redis-node-cross");
    let (_redis, url) = redis_server(&scratch);
    let (a, a_addr) = chat_on(&url);
    let (b, b_addr) = chat_on(&url);
    let (n, n_addr) = node_chat_on(&url);
    let (m, m_addr) = node_chat_on(&url);
    let mut clients = Vec::new();
    for addr in [a_addr, b_addr, n_addr, m_addr] {
        clients.push(Sio::join(addr).await);
    }
    let [rust_a, rust_b, node_n, node_m] = &mut clients[..] else { unreachable!() };

    // Each one subscribes to the channel socketioxide counts servers on:
    // a Rust server that asks how many answers to wait for counts Node's.
    assert_eq!(numsub(&mut connection(&url).await, "socket.io-request#/#").await, 4);

    rust_a.chat(r#""from Rust""#).await;
    for client in [&mut *rust_a, &mut *rust_b] {
        assert_eq!(client.next_text().await, chat(r#""from Rust""#));
    }
    node_n.chat(r#""from Node""#).await;
    for client in [&mut *node_n, &mut *node_m] {
        assert_eq!(client.next_text().await, chat(r#""from Node""#));
    }
    // The second messages: each is the next packet of every client of its
    // own language, so neither first message crossed over.
    rust_b.chat(r#""Rust again""#).await;
    node_m.chat(r#""Node again""#).await;
    for client in [&mut *rust_a, &mut *rust_b] {
        assert_eq!(
            client.next_text().await,
            chat(r#""Rust again""#),
            "a Node message reached Rust"
        );
    }
    for client in [&mut *node_n, &mut *node_m] {
        assert_eq!(
            client.next_text().await,
            chat(r#""Node again""#),
            "a Rust message reached Node"
        );
    }

    drop(clients);
    // The Rust servers shrugged off Node's messages: they stop cleanly, and
    // each logged only its own client's message.
    for (server, own) in [(a, "received: from Rust"), (b, "received: Rust again")] {
        let printed = stop(server).await;
        assert_eq!(printed.matches("received: ").count(), 1, "{printed}");
        assert!(printed.contains(own), "{printed}");
    }
    drop((n, m));
}
