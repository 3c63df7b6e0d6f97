//! The socket.io server's whole transcript — its log, and every packet two
//! clients received — for one conversation over WebSocket: both join, one
//! says something, both leave. What a socket.io packet looks like on the
//! wire is here too: engine.io's open packet, socket.io's connect, an event.

mod socketio_support;

use lesson_02::messages;
use lesson_support::Lang;
use socketio_support::{Running, Sio, http, redact_sids, start};

async fn conversation(lang: Lang) -> String {
    let mut running: Running = start(lang).await;
    let mut wire = Vec::new();
    let (mut alice, open) = Sio::open(running.addr).await;
    wire.push(format!("alice < {}", redact_sids(&open)));
    alice.send("40").await;
    wire.push("alice > 40".to_string());
    wire.push(format!("alice < {}", redact_sids(&alice.next_text().await)));
    let mut bob = Sio::join(running.addr).await;
    running.wait_for_lines(messages::new_client(lang), 2).await;

    let said = r#"42["chat message","hello 你好"]"#;
    alice.send(said).await;
    wire.push(format!("alice > {said}"));
    wire.push(format!("alice < {}", alice.next_text().await));
    wire.push(format!("bob   < {}", bob.next_text().await));

    // socket.io's disconnect packet, then the WebSocket closes.
    alice.send("41").await;
    wire.push("alice > 41".to_string());
    drop(alice);
    drop(bob);
    running.wait_for_lines(messages::client_disconnected(lang), 2).await;
    let log = running.stop().await;
    format!("--- server log ---\n{log}--- on the wire ---\n{}\n", wire.join("\n"))
}

#[tokio::test]
async fn in_english() {
    insta::assert_snapshot!(conversation(Lang::En).await);
}

#[tokio::test]
async fn in_the_articles_chinese() {
    insta::assert_snapshot!(conversation(Lang::Zh).await);
}

/// The same conversation over long-polling, request by request, as
/// socket.io-client starts every connection (it then moves to WebSocket).
#[tokio::test]
async fn long_polling_on_the_wire() {
    let mut running = start(Lang::En).await;
    let addr = running.addr;
    let mut wire = Vec::new();
    let (status, open) = http(addr, "GET", "", "").await;
    wire.push(format!("{:<33} -> {status}: {}", "GET", redact_sids(&open)));
    let sid = open.split('"').nth(3).expect("a sid").to_string();
    let session = format!("&sid={sid}");
    // socketioxide pings as soon as a session opens (then every
    // `pingInterval`): the first poll brings the ping, the client answers.
    let exchanges = [
        ("GET", ""),
        ("POST", "3"),
        ("POST", "40"),
        ("GET", ""),
        ("POST", r#"42["chat message","hi"]"#),
        ("GET", ""),
        ("POST", "41"),
    ];
    for (method, body) in exchanges {
        let (status, answer) = http(addr, method, &session, body).await;
        // One response may carry several packets, apart by the record
        // separator 0x1E: shown as ␞.
        let answer = redact_sids(&answer).replace('\u{1e}', "␞");
        wire.push(format!("{method:<4} {body:<28} -> {status}: {answer}"));
    }
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    let log = running.stop().await;
    insta::assert_snapshot!(format!(
        "--- server log ---\n{log}--- on the wire ---\n{}\n",
        wire.join("\n")
    ));
}
