//! # Exercise 3: a rate limit
//! Book: lesson-01, "Exercise 3: a rate limit"

use std::time::Duration;

use tungstenite::{Bytes, Message};

use crate::answer::serve_client;
use crate::common::{Client, describe, describe_close};
use crate::server::{Server, serve};

const MAX: u32 = 3;

/// Longer than any check: every message of a check falls in one window.
const FOREVER: Duration = Duration::from_secs(3600);

fn start(window: Duration) -> Server {
    serve(move |ws| serve_client(ws, MAX, window))
}

/// Sends `count` messages, and checks each echo.
async fn up_to_the_limit(client: &mut Client, name: &str, count: u32) {
    for i in 1..=count {
        let text = format!("{name} {i}");
        client.send(Message::text(text.as_str())).await;
        let answer = describe(&client.next().await);
        assert_eq!(
            answer,
            format!("text: server received: {text}"),
            "message {i} of {count}, within the limit"
        );
    }
}

/// Sends one message over the limit: the answer must be close 1008.
async fn over_the_limit(mut client: Client) {
    client.send(Message::text("one too many")).await;
    // `closed_by_server` also checks that the connection then ends cleanly,
    // without a reset.
    let frame = client.closed_by_server().await;
    assert_eq!(describe_close(&frame), r#"close 1008 "rate limit""#, "message {}", MAX + 1);
}

#[tokio::test]
async fn max_messages_are_answered_and_the_next_gets_close_1008() {
    let mut server = start(FOREVER);
    let mut client = Client::connect(server.addr).await;
    up_to_the_limit(&mut client, "text", MAX).await;
    over_the_limit(client).await;
    server.returns_ok().await;
}

#[tokio::test]
async fn binary_messages_count_and_pings_do_not() {
    let server = start(FOREVER);
    let mut client = Client::connect(server.addr).await;
    client.send(Message::Ping(Bytes::from_static(b"not counted"))).await;
    assert_eq!(describe(&client.next().await), "pong: not counted");
    client.send(Message::Binary(Bytes::from_static(b"bytes"))).await;
    assert_eq!(describe(&client.next().await), "text: server received: bytes");
    up_to_the_limit(&mut client, "after the ping", MAX - 1).await;
    over_the_limit(client).await;
}

#[tokio::test]
async fn every_client_has_its_own_limit() {
    let server = start(FOREVER);
    let mut first = Client::connect(server.addr).await;
    let mut second = Client::connect(server.addr).await;
    up_to_the_limit(&mut first, "first", MAX).await;
    up_to_the_limit(&mut second, "second", MAX).await;
    over_the_limit(first).await;
    over_the_limit(second).await;
}

#[tokio::test]
async fn a_new_window_opens_once_the_last_has_passed() {
    // Long enough that the `MAX + 1` messages of the second window arrive
    // within it, however busy the machine; this check waits it out once.
    let window = Duration::from_secs(1);
    let mut server = start(window);
    let mut client = Client::connect(server.addr).await;
    up_to_the_limit(&mut client, "early", MAX).await;
    // The first window opened when the server got the first message, before
    // its echo came back here: a whole window after the last echo, it has
    // passed, whatever the delays. (This wait is the rule being checked,
    // not a guess at how long the server takes.)
    tokio::time::sleep(window).await;
    up_to_the_limit(&mut client, "later", MAX).await;
    over_the_limit(client).await;
    server.returns_ok().await;
}

#[tokio::test]
async fn a_client_that_closes_first_gets_its_close_answered() {
    let mut server = start(FOREVER);
    let mut client = Client::connect(server.addr).await;
    assert_eq!(client.ask("hello").await, "server received: hello");
    assert_eq!(describe_close(&client.close().await), r#"close 1000 """#);
    server.returns_ok().await;
}
