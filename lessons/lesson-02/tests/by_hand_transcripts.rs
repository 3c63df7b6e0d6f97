//! Each hand-built mode's whole transcript — the server's log and what each
//! client received — for one conversation: two clients join, each says
//! something and both hear it (the sender too), one sends an event the chat
//! does not know, then both leave.

mod by_hand_plumbing;

use by_hand_plumbing::{Client, describe_close, start};
use lesson_02::messages;
use lesson_support::{Lang, Mode};
use tungstenite::Message;

async fn conversation(mode: Mode, lang: Lang) -> String {
    let mut running = start(mode, lang).await;
    let (mut ann, mut bob) =
        (Client::connect(running.addr).await, Client::connect(running.addr).await);
    // Both are in the room once the server has logged both.
    for _ in 0..2 {
        running.log.wait_for(messages::new_client(lang)).await;
    }
    let mut heard = Vec::new();
    ann.say("hello").await;
    heard.push(format!("ann: {}  bob: {}", ann.hear().await, bob.hear().await));
    bob.say("你好 \"ann\"").await;
    heard.push(format!("ann: {}  bob: {}", ann.hear().await, bob.hear().await));
    // Ignored: nobody hears anything until the next chat message.
    ann.send(Message::text(r#"{"event":"typing","data":true}"#)).await;
    ann.say("bye").await;
    heard.push(format!("ann: {}  bob: {}", ann.hear().await, bob.hear().await));
    heard.push(format!("ann: {}", describe_close(&ann.close().await)));
    running.log.wait_for(messages::client_disconnected(lang)).await;
    heard.push(format!("bob: {}", describe_close(&bob.close().await)));
    running.log.wait_for(messages::client_disconnected(lang)).await;
    let log = running.stop().await;
    format!("--- server log ---\n{log}--- clients heard ---\n{}\n", heard.join("\n"))
}

lesson_support::transcript_tests!(conversation);

#[tokio::test]
async fn client_mode() {
    let mut running = start(Mode::Async, Lang::En).await;
    let addr = running.addr;
    // Someone already in the room hears what the client mode says.
    let mut listener = Client::connect(addr).await;
    running.log.wait_for(messages::new_client(Lang::En)).await;
    let (log, mut printed) = lesson_support::Log::capture();
    let input: &[u8] = "hello\n你好\n".as_bytes();
    lesson_02::by_hand::client::run(addr, input, Lang::En, log).await.unwrap();
    let heard = [listener.hear().await, listener.hear().await];
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    let closed = describe_close(&listener.close().await);
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    let server_log = running.stop().await;
    let printed = printed.text().replace(&addr.port().to_string(), "[PORT]");
    insta::assert_snapshot!(format!(
        "--- server log ---\n{server_log}--- client mode printed ---\n{printed}\
         --- another client heard ---\n{}\n{closed}\n",
        heard.join("\n")
    ));
}
