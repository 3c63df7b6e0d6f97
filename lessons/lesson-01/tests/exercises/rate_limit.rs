//! # Exercise 3: a rate limit
//! Book: lesson-01, "Exercise 3: a rate limit"

use std::time::Duration;

use tungstenite::{Bytes, Message};

use crate::answer::serve_client;
use crate::common::{Client, describe_close};
use crate::server::{Server, serve};

const MAX: u32 = 3;

/// Longer than any check: every message of a check falls in one window.
const FOREVER: Duration = Duration::from_secs(3600);

async fn start(window: Duration) -> Server {
    serve(move |ws| serve_client(ws, MAX, window)).await
}

/// Sends `MAX` messages, and checks each echo.
async fn up_to_the_limit(client: &mut Client, name: &str) {
    for i in 1..=MAX {
        let text = format!("{name} {i}");
        let echo = client.ask(&text).await;
        assert_eq!(echo, format!("server received: {text}"), "message {i} of {MAX} in a window");
    }
}

/// Sends one message over the limit: the answer must be close 1008.
async fn over_the_limit(mut client: Client) {
    client.send(Message::text("one too many")).await;
    // `closed_by_server` also checks that the connection then ends cleanly:
    // the server read on after its close frame, until our answer.
    let frame = client.closed_by_server().await;
    assert_eq!(describe_close(&frame), r#"close 1008 "rate limit""#, "message {}", MAX + 1);
}

#[tokio::test]
async fn max_messages_are_answered_and_the_next_gets_close_1008() {
    let mut server = start(FOREVER).await;
    let mut client = Client::connect(server.addr).await;
    up_to_the_limit(&mut client, "text").await;
    over_the_limit(client).await;
    server.returns_ok().await;
}

#[tokio::test]
async fn binary_messages_count_and_are_answered_too() {
    let server = start(FOREVER).await;
    let mut client = Client::connect(server.addr).await;
    client.send(Message::Binary(Bytes::from_static(b"bytes"))).await;
    assert_eq!(client.next().await.into_text().unwrap().as_str(), "server received: bytes");
    client.send(Message::Ping(Bytes::from_static(b"not counted"))).await;
    assert!(client.next().await.is_pong(), "a ping gets a pong");
    for i in 2..=MAX {
        assert_eq!(client.ask(&i.to_string()).await, format!("server received: {i}"));
    }
    over_the_limit(client).await;
}

#[tokio::test]
async fn every_client_has_its_own_limit() {
    let server = start(FOREVER).await;
    let mut first = Client::connect(server.addr).await;
    let mut second = Client::connect(server.addr).await;
    up_to_the_limit(&mut first, "first").await;
    up_to_the_limit(&mut second, "second").await;
    over_the_limit(first).await;
    over_the_limit(second).await;
}

#[tokio::test]
async fn a_new_window_opens_once_the_last_has_passed() {
    // Long enough that the `MAX + 1` messages of the second window arrive
    // within it, however busy the machine; this check waits it out once.
    let window = Duration::from_secs(1);
    let mut server = start(window).await;
    let mut client = Client::connect(server.addr).await;
    up_to_the_limit(&mut client, "early").await;
    // The first window opened when the server got the first message, before
    // its echo came back here: a whole window after the last echo, it has
    // passed, whatever the delays. (This wait is the rule being checked,
    // not a guess at how long the server takes.)
    tokio::time::sleep(window).await;
    up_to_the_limit(&mut client, "later").await;
    over_the_limit(client).await;
    server.returns_ok().await;
}

#[tokio::test]
async fn a_client_that_closes_first_gets_its_close_answered() {
    let mut server = start(FOREVER).await;
    let mut client = Client::connect(server.addr).await;
    assert_eq!(client.ask("hello").await, "server received: hello");
    assert_eq!(describe_close(&client.close().await), r#"close 1000 """#);
    server.returns_ok().await;
}
