//! Each mode's whole transcript — the server's log and what the client
//! received — for one conversation: connect, a text message, a binary
//! message that is not UTF-8, a ping, the close handshake.

mod common;

use common::{Client, describe, describe_close, start};
use lesson_01::messages;
use lesson_support::{Lang, Mode};
use tungstenite::{Bytes, Message};

async fn conversation(mode: Mode, lang: Lang) -> String {
    let mut running = start(mode, lang).await;
    let mut client = Client::connect(running.addr).await;
    let mut received = Vec::new();
    for message in [
        Message::text("hello 你好"),
        Message::binary(Bytes::from_static(b"bin\xff")),
        Message::Ping(Bytes::from_static(b"are you there?")),
    ] {
        client.send(message).await;
        received.push(describe(&client.next().await));
    }
    received.push(describe_close(&client.close().await));
    running.log.wait_for(messages::client_disconnected(lang)).await;
    let log = running.stop().await;
    format!("--- server log ---\n{log}--- client received ---\n{}\n", received.join("\n"))
}

lesson_support::transcript_tests!(conversation);

#[tokio::test]
async fn client_mode() {
    let running = start(Mode::Async, Lang::En).await;
    let addr = running.addr;
    let (log, mut printed) = lesson_support::Log::capture();
    let input: &[u8] = "hello\n你好\n".as_bytes();
    lesson_01::client::run(addr, input, Lang::En, log).await.unwrap();
    let mut running = running;
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    let server_log = running.stop().await;
    let printed = printed.text().replace(&addr.port().to_string(), "[PORT]");
    insta::assert_snapshot!(format!(
        "--- server log ---\n{server_log}--- client mode printed ---\n{printed}"
    ));
}
