//! Fan-out under pressure: one client stops reading while the others keep
//! chatting. The others hear every message; the one that stopped is dropped
//! once it is [`QUEUE`] messages behind, gets what was queued and then close
//! 1013; and the server never holds more than [`QUEUE`] messages for it.

mod by_hand_plumbing;

use by_hand_plumbing::{Client, describe_close, start};
use lesson_02::by_hand::chat::QUEUE;
use lesson_02::by_hand::{envelope, said};
use lesson_02::messages;
use lesson_support::{Lang, Mode};
use tungstenite::Message;

/// The most messages the talkers send while waiting for the drop: far more
/// than the slow client's queue and socket buffers can hold (each message is
/// 16 KiB; the buffers hold a few MiB).
const MOST_MESSAGES: usize = 5_000;

/// The `i`th message: numbered, so that gaps and reordering show.
fn numbered(i: usize) -> String {
    format!("{i:05} {}", "x".repeat(16 * 1024))
}

async fn a_client_that_stops_reading_is_dropped_and_the_others_hear_everything(mode: Mode) {
    let mut running = start(mode, Lang::En).await;
    // A small receive window: the slow client's socket fills fast.
    let mut slow = Client::connect_small(running.addr, 4096).await;
    let mut ann = Client::connect(running.addr).await;
    let mut bob = Client::connect(running.addr).await;
    for _ in 0..3 {
        running.log.wait_for(messages::new_client(Lang::En)).await;
    }
    let dropped = said::dropped(Lang::En, QUEUE);
    let mut sent = 0;
    while !running.log.text().contains(&dropped) {
        assert!(sent < MOST_MESSAGES, "no client was dropped after {sent} messages");
        let speaker = if sent % 2 == 0 { &mut ann } else { &mut bob };
        speaker.say(&numbered(sent)).await;
        // Both talkers hear every message, in order, the slow one notwithstanding.
        assert_eq!(ann.hear().await, numbered(sent));
        assert_eq!(bob.hear().await, numbered(sent));
        sent += 1;
    }
    assert_eq!(running.log.text().matches(&dropped).count(), 1);
    // The server held at most a queue's worth for the client that did not read.
    assert_eq!(running.chat.most_queued(), QUEUE);

    // The room goes on without it.
    ann.say("still here").await;
    assert_eq!((ann.hear().await, bob.hear().await), ("still here".into(), "still here".into()));

    // The slow client wakes up: it gets what was sent or queued before the
    // drop, in order and without a gap, then the close frame, and nothing
    // said after the drop.
    let mut received = 0;
    let frame = loop {
        assert!(received <= sent, "the slow client got more than was said");
        match slow.next().await {
            Message::Text(text) => {
                let expected = envelope::chat_message(&numbered(received));
                assert!(text.as_str() == expected, "message {received} is not the next one");
                received += 1;
            }
            Message::Close(Some(frame)) => break frame,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert!(received < sent, "the slow client got {received} of {sent}: it was not behind");
    assert_eq!(describe_close(&frame), format!(r#"close 1013 "{QUEUE} messages unread""#));
    slow.clean_end().await;
    running.log.wait_for(&format!("closing with 1013: {QUEUE} messages unread")).await;
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    for client in [ann, bob] {
        assert_eq!(describe_close(&client.close().await), r#"close 1000 """#);
    }
    running.stop().await;
}

#[tokio::test]
async fn blocking() {
    a_client_that_stops_reading_is_dropped_and_the_others_hear_everything(Mode::Blocking).await;
}

#[tokio::test]
async fn asynchronous() {
    a_client_that_stops_reading_is_dropped_and_the_others_hear_everything(Mode::Async).await;
}
