//! Each mode's whole transcript — the server's log and what the client
//! received — for one conversation: connect, one line, end.

mod common;

use common::{Client, start};
use lesson_03::messages;
use lesson_support::{Lang, Mode};

async fn conversation(mode: Mode, lang: Lang) -> String {
    let mut running = start(mode, lang, 8).await;
    let mut client = Client::connect(running.addr).await;
    let greeting = client.line().await;
    client.send("hello 你好\n".as_bytes()).await;
    let reply = client.line().await;
    let rest = client.finish().await;
    running.log.wait_for(messages::client_disconnected(lang)).await;
    let log = running.stop().await;
    format!("--- server log ---\n{log}--- client received ---\n{greeting}{reply}{rest}")
}

lesson_support::transcript_tests!(conversation);

#[tokio::test]
async fn client_mode() {
    let running = start(Mode::Async, Lang::En, 8).await;
    let addr = running.addr;
    let (log, mut printed) = lesson_support::Log::capture();
    let input: &[u8] = b"hello\n";
    lesson_03::client::run(addr, input, Lang::En, log).await.unwrap();
    let server_log = running.stop().await;
    let printed = printed.text().replace(&addr.to_string(), "127.0.0.1:[PORT]");
    insta::assert_snapshot!(format!(
        "--- server log ---\n{server_log}--- client mode printed ---\n{printed}"
    ));
}
