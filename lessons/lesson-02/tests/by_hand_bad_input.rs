//! The hand-built chat's worst clients, in every server mode: broken
//! envelopes, binary, unknown events, oversized messages, a client that
//! never speaks, a hundred clients that connect and reset at once. Each is
//! dealt with, and the room keeps working for everyone else.

mod by_hand_plumbing;

use std::time::Duration;

use by_hand_plumbing::{Client, Running, Setup, describe_close, start, start_with};
use lesson_02::by_hand::said;
use lesson_02::messages;
use lesson_support::testing::SERVER_MODES;
use lesson_support::{Lang, Mode};
use tungstenite::{Bytes, Message};

/// Someone in the room says something and hears it back.
async fn still_chats(running: &mut Running, bystander: &mut Client) {
    bystander.say("still here").await;
    assert_eq!(bystander.hear().await, "still here");
    // A newcomer hears the room too.
    let mut newcomer = running.join().await;
    bystander.say("welcome").await;
    assert_eq!(newcomer.hear().await, "welcome");
    assert_eq!(bystander.hear().await, "welcome");
    newcomer.close().await;
}

/// Waits for the server's line about closing with `why`, then for the
/// disconnect line that follows it.
async fn wait_for_closing(running: &mut Running, why: &str) {
    running.log.wait_for(why).await;
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
}

/// A client that sends `message` is closed with `expected` (as a transcript
/// shows a close frame), and the server logs `logged`.
async fn is_closed_for(running: &mut Running, message: Message, expected: &str, logged: &str) {
    let mut client = running.join().await;
    client.send(message).await;
    assert_eq!(describe_close(&client.closed_by_server().await), expected);
    wait_for_closing(running, logged).await;
}

#[tokio::test]
async fn a_broken_envelope_closes_its_client_with_1008_and_nobody_hears_it() {
    for mode in SERVER_MODES {
        let mut running = start(mode, Lang::En).await;
        let mut bystander = running.join().await;
        for (text, reason) in [
            ("hello", "not a chat envelope: expected value at line 1 column 1"),
            (r#"{"data":"x"}"#, "not a chat envelope: missing field `event` at line 1 column 12"),
            (
                r#"{"event":7,"data":"x"}"#,
                "not a chat envelope: invalid type: integer `7`, expected a string at line 1 column 10",
            ),
            (
                r#"{"event":"chat message","data":42}"#,
                "the data of a chat message must be a string",
            ),
            (r#"{"event":"chat message"}"#, "the data of a chat message must be a string"),
        ] {
            let expected = format!("close 1008 {reason:?}");
            let logged = format!("closing with 1008: {reason}");
            is_closed_for(&mut running, Message::text(text), &expected, &logged).await;
        }
        // The first thing the bystander hears is its own line: nothing of
        // the broken envelopes reached the room.
        still_chats(&mut running, &mut bystander).await;
        bystander.close().await;
        running.stop().await;
    }
}

#[tokio::test]
async fn binary_closes_with_1003_and_an_oversized_message_with_1009() {
    for mode in SERVER_MODES {
        let mut running = start(mode, Lang::En).await;
        let mut bystander = running.join().await;
        let binary = Message::binary(Bytes::from_static(b"\x00\x01"));
        let unsupported = "this chat takes text messages only";
        let expected = format!("close 1003 {unsupported:?}");
        is_closed_for(
            &mut running,
            binary,
            &expected,
            &format!("closing with 1003: {unsupported}"),
        )
        .await;
        // One byte over lesson-01's limit, in a perfectly good envelope.
        let huge = lesson_02::by_hand::envelope::chat_message(&"x".repeat(64 * 1024));
        let logged = "closing with 1009: message over 65536 bytes (Space limit exceeded: \
                      Message too long: 65570 > 65536)";
        let expected = r#"close 1009 "message over 65536 bytes""#;
        is_closed_for(&mut running, Message::text(huge), expected, logged).await;
        still_chats(&mut running, &mut bystander).await;
        bystander.close().await;
        running.stop().await;
    }
}

#[tokio::test]
async fn unknown_events_are_ignored_and_logged() {
    for mode in SERVER_MODES {
        let mut running = start(mode, Lang::En).await;
        let mut client = running.join().await;
        for text in [r#"{"event":"typing"}"#, r#"{"event":"join","data":{"room":"x"}}"#] {
            client.send(Message::text(text)).await;
        }
        // The connection stays open, and the next thing heard is a chat message.
        still_chats(&mut running, &mut client).await;
        client.close().await;
        let log = running.stop().await;
        for event in ["typing", "join"] {
            assert!(log.contains(&said::ignored(Lang::En, event)), "{mode:?}: {log}");
        }
    }
}

/// Long enough that a loaded machine still completes a handshake within it;
/// short enough that the test need not wait long.
const IDLE: Duration = Duration::from_secs(2);

#[tokio::test]
async fn a_client_that_never_speaks_is_closed_when_idle() {
    for mode in SERVER_MODES {
        let setup = Setup { idle_timeout: IDLE, ..Setup::new(Lang::En) };
        let mut running = start_with(mode, setup).await;
        let silent = running.join().await;
        let frame = silent.closed_by_server().await;
        assert_eq!(describe_close(&frame), r#"close 1000 "idle timeout""#, "{mode:?}");
        wait_for_closing(&mut running, "closing with 1000: idle timeout").await;
        let mut bystander = running.join().await;
        still_chats(&mut running, &mut bystander).await;
        bystander.close().await;
        running.stop().await;
    }
}

/// How many clients come and reset at once.
const STORM: usize = 100;

#[tokio::test]
async fn a_hundred_clients_that_connect_and_reset_leave_the_room_working() {
    for mode in SERVER_MODES {
        let setup = Setup { max_clients: STORM + 8, ..Setup::new(Lang::En) };
        let mut running = start_with(mode, setup).await;
        let mut bystander = running.join().await;
        let mut storm = Vec::new();
        for _ in 0..STORM {
            storm.push(running.join().await);
        }
        // The bystander speaks while they are all in the room: the message is
        // queued for each of them.
        bystander.say("before").await;
        assert_eq!(bystander.hear().await, "before");
        for client in storm {
            // Linger 0: closing sends RST instead of FIN, and no close frame.
            socket2::SockRef::from(client.socket()).set_linger(Some(Duration::ZERO)).unwrap();
        }
        for _ in 0..STORM {
            running.log.wait_for(messages::client_disconnected(Lang::En)).await;
        }
        still_chats(&mut running, &mut bystander).await;
        bystander.close().await;
        let log = running.stop().await;
        let resets = log.matches("Connection reset by peer").count();
        assert!(resets <= STORM, "{mode:?}: {log}");
        assert_eq!(log.matches(messages::new_client(Lang::En)).count(), STORM + 2, "{mode:?}");
    }
}

#[tokio::test]
async fn stopping_sends_every_member_close_1001() {
    for mode in SERVER_MODES {
        let mut running = start(mode, Lang::En).await;
        let mut talking = running.join().await;
        talking.say("hi").await;
        assert_eq!(talking.hear().await, "hi");
        let silent = running.join().await;
        let (_log, talking, silent) =
            tokio::join!(running.stop(), talking.closed_by_server(), silent.closed_by_server());
        for frame in [talking, silent] {
            assert_eq!(describe_close(&frame), r#"close 1001 "server shutting down""#, "{mode:?}");
        }
    }
}

#[test]
fn every_server_mode_is_tested() {
    assert_eq!(SERVER_MODES, [Mode::Blocking, Mode::Async, Mode::Socket2]);
}
