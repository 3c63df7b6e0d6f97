//! TCP is a byte stream: the server answers each chunk a read returns, not
//! each line, exactly as the Node program does. These tests pin that down
//! (the exercises then fix it).

mod common;

use common::{Client, start};
use lesson_03::messages;
use lesson_support::Lang;
use lesson_support::testing::SERVER_MODES;

/// Sends `writes` one at a time, each after the reply to the one before, so
/// that each write is one chunk for the server. Returns the log and replies.
async fn chunks(writes: &[&[u8]]) -> Vec<(String, String)> {
    let mut transcripts = Vec::new();
    for server in SERVER_MODES {
        let running = start(server, Lang::En, 8).await;
        let mut client = Client::greeted(running.addr).await;
        let mut replies = String::new();
        for write in writes {
            client.send(write).await;
            let expected = messages::reply(Lang::En, &String::from_utf8_lossy(write)).to_string();
            replies.push_str(&client.exactly(&expected).await);
        }
        drop(client.finish().await);
        let mut running = running;
        running.log.wait_for(messages::client_disconnected(Lang::En)).await;
        transcripts.push((running.stop().await, replies));
    }
    transcripts
}

/// The log lines that report received data.
fn received_lines(log: &str) -> Vec<&str> {
    log.split_inclusive('\n').filter(|line| line.starts_with("received: ")).collect()
}

#[tokio::test]
async fn a_line_written_in_two_parts_gets_two_replies() {
    for (log, replies) in chunks(&[b"hel", b"lo\n"]).await {
        assert_eq!(replies, "server received: helserver received: lo\n");
        // The log shows the chunk's own newline escaped, as `\n`.
        assert_eq!(received_lines(&log), ["received: hel\n", "received: lo\\n\n"]);
    }
}

#[tokio::test]
async fn two_lines_in_one_write_get_one_reply() {
    for (log, replies) in chunks(&[b"one\ntwo\n"]).await {
        assert_eq!(replies, "server received: one\ntwo\n");
        assert_eq!(received_lines(&log), ["received: one\\ntwo\\n\n"]);
    }
}

#[tokio::test]
async fn a_character_split_across_writes_becomes_two_replacement_characters() {
    let e_acute = "é".as_bytes(); // two bytes: C3 A9
    for (log, replies) in chunks(&[&e_acute[..1], &e_acute[1..]]).await {
        assert_eq!(replies, "server received: \u{fffd}server received: \u{fffd}");
        assert_eq!(received_lines(&log), ["received: \u{fffd}\n", "received: \u{fffd}\n"]);
    }
}

#[tokio::test]
async fn the_chunked_conversation() {
    let (log, replies) = chunks(&[b"hel", b"lo\n", b"one\ntwo\n"]).await.remove(1);
    insta::assert_snapshot!(format!("--- server log ---\n{log}--- client received ---\n{replies}"));
}
