//! What socketioxide's Redis adapter asks of Redis and publishes on it,
//! captured from a real `redis-server` while lesson-02 processes chat on it:
//! the commands a process sends when it starts and for one chat message
//! (`MONITOR`), who listens on which channel (`PUBSUB`), and the message
//! itself (a pattern subscription), decoded field by field and in hex. The
//! chapter shows these snapshots. Needs `redis-server`, as
//! `socketio_redis.rs` says.

mod redis_support;
mod socketio_support;

use lesson_support::testing::redis_available;
use redis_support::wire::{Monitor, RUST_FIELDS, Spy, connection, numsub, pubsub};
use redis_support::{Scratch, chat_on, redis_server, stop};
use socketio_support::Sio;

/// The channel every socketioxide-redis process of namespace `/` listens
/// on for requests to all: the one it counts subscribers of.
const REQUESTS: &str = "socket.io-request#/#";

/// The uid a process puts in the names of its own channels
/// (`socket.io-response#/#UID#`).
fn uid_in(channels: &[String]) -> String {
    let own = channels.iter().find_map(|channel| channel.strip_prefix("socket.io-response#/#"));
    own.and_then(|rest| rest.strip_suffix('#')).expect("a response channel").to_owned()
}

#[tokio::test]
async fn what_a_process_asks_of_redis_when_it_starts() {
    if !redis_available() {
        return;
    }
    let scratch = Scratch::new("redis-start");
    let (_redis, url) = redis_server(&scratch);
    let mut redis = connection(&url).await;
    let mut monitor = Monitor::on(&url).await;

    // `chat_on` returns once the process listens, which it does only after
    // its subscriptions are confirmed.
    let (a, _) = chat_on(&url);
    let commands = monitor.until_now(&mut redis).await;
    let mut channels: Vec<String> = pubsub(&mut redis, &["CHANNELS"]).await;
    channels.sort();
    let patterns: u64 = pubsub(&mut redis, &["NUMPAT"]).await;
    let with_one = numsub(&mut redis, REQUESTS).await;
    let (b, _) = chat_on(&url);
    let with_two = numsub(&mut redis, REQUESTS).await;

    let uid = uid_in(&channels);
    let mut text = String::from("commands one lesson-02 process sends as it starts (MONITOR):\n");
    for command in commands {
        text += &format!("  {command}\n");
    }
    text += "PUBSUB CHANNELS (the channels someone subscribes to):\n";
    for channel in &channels {
        text += &format!("  {channel}\n");
    }
    text += &format!("PUBSUB NUMPAT (pattern subscriptions): {patterns}\n");
    text += &format!(
        "PUBSUB NUMSUB {REQUESTS}: {with_one}; after a second process starts: {with_two}\n"
    );
    insta::assert_snapshot!(text.replace(&uid, "[UID]"));

    // The counts themselves, whatever the snapshot says: one subscriber
    // per process; no pattern (the spy below is the test's, not theirs).
    assert_eq!((with_one, with_two, patterns), (1, 2, 0));
    stop(a).await;
    stop(b).await;
}

#[tokio::test]
async fn what_a_process_publishes_for_one_chat_message() {
    if !redis_available() {
        return;
    }
    let scratch = Scratch::new("redis-publish");
    let (_redis, url) = redis_server(&scratch);
    let (a, a_addr) = chat_on(&url);
    let mut client = Sio::join(a_addr).await;
    let mut redis = connection(&url).await;
    let mut spy = Spy::on(&url).await;
    let mut monitor = Monitor::on(&url).await;

    client.chat(r#""hi""#).await;
    // The adapter publishes before it emits to this process's clients:
    // once the sender has its copy, the message is on Redis.
    assert_eq!(client.next_text().await, r#"42["chat message","hi"]"#);
    let commands = monitor.until_now(&mut redis).await;
    let published = spy.next().await;

    let value: serde_json::Value = rmp_serde::from_slice(&published.payload).unwrap();
    let (uid, request) = (value[0].as_str().unwrap(), value[1].as_str().unwrap());
    let random = [(uid, "[UID]"), (request, "[REQUEST]")];
    let mut text = String::from("commands lesson-02 sends for one chat message (MONITOR):\n");
    for command in commands {
        let mut command = command;
        for (id, name) in random {
            command = command.replace(id, name);
        }
        text += &format!("  {command}\n");
    }
    text += "what a subscriber to every channel (PSUBSCRIBE *) receives:\n";
    text += &published.describe(RUST_FIELDS, &random);
    insta::assert_snapshot!(text);

    assert_eq!(published.channel, REQUESTS);
    drop(client);
    stop(a).await;
}
