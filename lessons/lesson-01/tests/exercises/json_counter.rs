//! # Exercise 1: a JSON protocol with a counter
//! Book: lesson-01, "Exercise 1: a JSON protocol with a counter"

use serde_json::{Value, json};
use tungstenite::{Bytes, Message};

use crate::answer::serve_client;
use crate::common::{Client, describe_close};
use crate::server::serve;

/// Sends `message` and returns the reply, parsed as JSON.
async fn exchange(client: &mut Client, message: Message) -> Value {
    let sent = format!("{message:?}");
    client.send(message).await;
    let reply = match client.next().await {
        Message::Text(text) => text.to_string(),
        other => panic!("the reply to {sent} is not a text message: {other:?}"),
    };
    serde_json::from_str(&reply)
        .unwrap_or_else(|error| panic!("the reply to {sent} is not JSON ({error}): {reply}"))
}

/// Sends `{"text": TEXT}` and returns the reply, parsed.
async fn say(client: &mut Client, text: &str) -> Value {
    exchange(client, Message::text(json!({ "text": text }).to_string())).await
}

#[tokio::test]
async fn each_echo_is_numbered_from_1() {
    let mut server = serve(serve_client);
    let mut client = Client::connect(server.addr).await;
    assert_eq!(say(&mut client, "hello").await, json!({"n": 1, "echo": "hello"}));
    assert_eq!(say(&mut client, "world").await, json!({"n": 2, "echo": "world"}));
    let extra = Message::text(r#"{"text": "", "from": "me"}"#);
    assert_eq!(exchange(&mut client, extra).await, json!({"n": 3, "echo": ""}));
    // The close handshake completes, and then `serve_client` is done.
    assert_eq!(describe_close(&client.close().await), r#"close 1000 """#);
    server.returns_ok().await;
}

#[tokio::test]
async fn every_connection_counts_on_its_own() {
    let server = serve(serve_client);
    let mut first = Client::connect(server.addr).await;
    let mut second = Client::connect(server.addr).await;
    assert_eq!(say(&mut first, "a").await, json!({"n": 1, "echo": "a"}));
    assert_eq!(say(&mut second, "b").await, json!({"n": 1, "echo": "b"}), "a count per client");
    assert_eq!(say(&mut first, "c").await, json!({"n": 2, "echo": "c"}));
    let mut third = Client::connect(server.addr).await;
    assert_eq!(say(&mut third, "d").await, json!({"n": 1, "echo": "d"}), "a count per client");
}

#[tokio::test]
async fn text_that_json_must_escape_comes_back_whole() {
    let server = serve(serve_client);
    let mut client = Client::connect(server.addr).await;
    for text in [r#"she said "hi""#, "back\\slash", "two\nlines\ttab", "你好 \u{1}"] {
        let reply = say(&mut client, text).await;
        assert_eq!(reply["echo"], json!(text), "{reply}");
    }
}

#[tokio::test]
async fn what_is_not_the_protocol_gets_an_error_and_the_connection_stays() {
    let mut server = serve(serve_client);
    let mut client = Client::connect(server.addr).await;
    let wrong = [
        Message::text("hello"),
        Message::text(r#"{"text": "unfinished"#),
        Message::text(r#"{"text": 5}"#),
        Message::text(r#"{"say": "hello"}"#),
        Message::text(r#"["text", "hello"]"#),
        Message::Binary(Bytes::from_static(br#"{"text": "as binary"}"#)),
    ];
    for message in wrong {
        let sent = format!("{message:?}");
        let reply = exchange(&mut client, message).await;
        let Some(object) = reply.as_object() else {
            panic!("the reply to {sent} is not an object: {reply}")
        };
        let only_error = object.len() == 1 && object.get("error").is_some_and(Value::is_string);
        assert!(only_error, "the reply to {sent} must be {{\"error\": \"…\"}}, not {reply}");
    }
    // Errors are not counted: this is the first echo.
    assert_eq!(say(&mut client, "still here").await, json!({"n": 1, "echo": "still here"}));
    assert_eq!(describe_close(&client.close().await), r#"close 1000 """#);
    server.returns_ok().await;
}
