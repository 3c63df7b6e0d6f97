//! Bad clients, raw packets: whatever one client sends, the chat keeps
//! working for everyone else. Each test keeps a bystander in the chat and
//! checks, after the bad client is done, that a message still reaches it.

mod socketio_support;

use std::fmt::Write;
use std::time::Duration;

use lesson_02::messages;
use lesson_support::Lang;
use socketio_support::{Running, Sio, bounded, http, start, start_with};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tungstenite::{Bytes, Message};

/// The bystander still chats: it says `msg` and hears it back (after what
/// others said before it).
async fn still_chatting(bystander: &mut Sio, msg: &str) {
    bystander.chat(&format!("{msg:?}")).await;
    let (_before, closed) =
        bystander.until_closed_or(&format!(r#"42["chat message",{msg:?}]"#)).await;
    assert_eq!(closed, None, "the bystander was disconnected");
}

/// What the server does with a client that sends `bad`: every packet that
/// engine.io or socket.io cannot read ends that client's session (socket.io
/// does the same). Returns what the client received before the end.
async fn ended_by(running: &Running, bad: Message) -> String {
    let mut client = Sio::join(running.addr).await;
    client.send_message(bad).await;
    let (packets, close) = client.until_closed().await;
    let close = match close {
        Some(code) => format!("a close frame, code {code}"),
        None => "no close frame".to_string(),
    };
    format!("received {packets:?}, then {close}")
}

#[tokio::test]
async fn malformed_packets_are_survived() {
    let running = start(Lang::En).await;
    let mut bystander = Sio::join(running.addr).await;
    let cases = [
        Message::text("42["),
        Message::text(r#"42"not an array""#),
        Message::text("42[]"),
        Message::text(r#"42[1,"number as event"]"#),
        Message::text("4"),
        Message::text("9"),
        Message::text(""),
        Message::text(r#"4x["chat message","bad type"]"#),
        Message::binary(Bytes::from_static(b"\xff\x00 not engine.io")),
    ];
    let mut report = String::new();
    for bad in cases {
        let shown = format!("{bad:?}");
        let outcome = ended_by(&running, bad).await;
        writeln!(report, "{shown}: {outcome}").unwrap();
        still_chatting(&mut bystander, "still here").await;
    }
    let log = running.stop().await;
    insta::assert_snapshot!(format!("{report}--- server log ---\n{log}"));
}

#[tokio::test]
async fn unknown_events_and_extra_arguments_are_ignored_as_socket_io_does() {
    let mut running = start(Lang::En).await;
    let mut alice = Sio::join(running.addr).await;
    let mut bob = Sio::join(running.addr).await;
    alice.send(r#"42["no such event","x"]"#).await;
    alice.send(r#"42["chat message","first",{"second":2}]"#).await;
    alice.send(r#"42["chat message"]"#).await;
    alice.send(r#"42["chat message",{"a":[1,2]}]"#).await;
    let mut heard = Vec::new();
    for _ in 0..3 {
        heard.push(bob.next_text().await);
    }
    // Only `chat message` is relayed, with its first argument only; none at
    // all is JavaScript's `undefined`, which JSON writes as `null`.
    assert_eq!(
        heard,
        [
            r#"42["chat message","first"]"#,
            r#"42["chat message",null]"#,
            r#"42["chat message",{"a":[1,2]}]"#
        ]
    );
    drop((alice, bob));
    running.wait_for_lines(messages::client_disconnected(Lang::En), 2).await;
    insta::assert_snapshot!(running.stop().await);
}

#[tokio::test]
async fn an_oversized_message_ends_its_senders_session_only() {
    let mut running =
        start_with(Lang::En, |config| lesson_02::Config { max_message: 1000, ..config }).await;
    let mut bystander = Sio::join(running.addr).await;
    let mut big_mouth = Sio::join(running.addr).await;
    big_mouth.chat(&format!("{:?}", "x".repeat(1000))).await;
    // The WebSocket ends, without a close frame (socketioxide sends none).
    assert_eq!(big_mouth.until_closed().await, (vec![], None));
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    // Over long-polling, the POST is refused and the session ends.
    let (_, open) = http(running.addr, "GET", "", "").await;
    let session = format!("&sid={}", open.split('"').nth(3).expect("a sid"));
    assert_eq!(http(running.addr, "POST", &session, "40").await.1, "ok");
    running.log.wait_for(messages::new_client(Lang::En)).await;
    let too_big = format!(r#"42["chat message","{}"]"#, "x".repeat(1000));
    let (status, _) = http(running.addr, "POST", &session, &too_big).await;
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large");
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    still_chatting(&mut bystander, "fits").await;
    // Just under the limit (with the packet's own bytes) still goes through.
    still_chatting(&mut bystander, &"y".repeat(900)).await;
}

#[tokio::test]
async fn silent_and_dead_clients_are_dropped_and_the_chat_goes_on() {
    let idle = Duration::from_secs(2);
    let mut running =
        start_with(Lang::En, |config| lesson_02::Config { idle_timeout: idle, ..config }).await;
    // Connects over TCP and sends nothing at all.
    let mut mute = TcpStream::connect(running.addr).await.unwrap();
    // Opens an engine.io session and never joins the chat.
    let (never_joins, _open) = Sio::open(running.addr).await;
    // Joins, then never answers a ping: as a client whose machine vanished.
    let dead = Sio::join(running.addr).await;
    // Promises a binary attachment and never sends it.
    let mut promises = Sio::join(running.addr).await;
    promises.send(r#"451-["chat message",{"_placeholder":true,"num":0}]"#).await;

    for session in [never_joins, dead, promises] {
        // `until_closed` does not answer pings: the heartbeat ends these.
        let (_packets, close) = session.until_closed().await;
        assert_eq!(close, None, "engine.io ends a dead session without a close frame");
    }
    running.wait_for_lines(messages::client_disconnected(Lang::En), 2).await;
    // The mute connection sent no request in time: closed.
    let mut nothing = Vec::new();
    bounded(mute.read_to_end(&mut nothing)).await.unwrap();
    assert_eq!(nothing, b"");
    let mut alice = Sio::join(running.addr).await;
    let mut bob = Sio::join(running.addr).await;
    alice.chat(r#""still here""#).await;
    assert_eq!(bob.next_text().await, r#"42["chat message","still here"]"#);
}

#[tokio::test]
async fn a_disconnect_storm_leaves_the_others_chatting() {
    const STORM: usize = 100;
    let mut running = start(Lang::En).await;
    let mut bystander = Sio::join(running.addr).await;
    let mut crowd = Vec::new();
    for _ in 0..STORM {
        crowd.push(Sio::join(running.addr).await);
    }
    running.wait_for_lines(messages::new_client(Lang::En), STORM + 1).await;
    // Everyone vanishes at once, without a word: their TCP connections close.
    drop(crowd);
    still_chatting(&mut bystander, "anyone left?").await;
    running.wait_for_lines(messages::client_disconnected(Lang::En), STORM).await;
    still_chatting(&mut bystander, "just me").await;
}

#[tokio::test]
async fn a_full_server_refuses_the_next_client_with_a_connect_error() {
    let running =
        start_with(Lang::En, |config| lesson_02::Config { max_clients: 2, ..config }).await;
    let _first = Sio::join(running.addr).await;
    let _second = Sio::join(running.addr).await;
    let (mut third, _open) = Sio::open(running.addr).await;
    third.send("40").await;
    assert_eq!(third.next_text().await, r#"44{"message":"server full"}"#);
    insta::assert_snapshot!(running.stop().await);
}

#[tokio::test]
async fn a_flood_of_handshakes_is_refused_before_it_fills_the_memory() {
    let config = |config| lesson_02::Config { max_clients: 3, ..config };
    let mut running = start_with(Lang::En, config).await;
    let mut bystander = Sio::join(running.addr).await;
    // Sessions opened and dropped at once: each would live until the
    // connect timeout. The bucket holds two per client, six; the bystander
    // took one.
    for _ in 0..5 {
        let (status, open) = http(running.addr, "GET", "", "").await;
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert!(open.starts_with("0{"), "{open}");
    }
    let (status, _) = http(running.addr, "GET", "", "").await;
    assert_eq!(status, "HTTP/1.1 503 Service Unavailable");
    running.log.wait_for(&messages::client_rejected(Lang::En, 3)).await;
    still_chatting(&mut bystander, "unbothered").await;
}

#[tokio::test]
async fn a_client_that_stops_reading_stalls_nobody() {
    const MESSAGES: usize = 40;
    let running = start(Lang::En).await;
    // Joins, then never reads again: its kernel buffers fill, then its
    // queue of 128 packets, then what is sent to it is dropped.
    let _stalled = Sio::join(running.addr).await;
    let mut alice = Sio::join(running.addr).await;
    let mut bob = Sio::join(running.addr).await;
    let big = format!("{:?}", "z".repeat(400_000));
    let expected = format!(r#"42["chat message",{big}]"#);
    // 40 × 400 kB: far more than the stalled client's socket buffers hold.
    for _ in 0..MESSAGES {
        alice.chat(&big).await;
        assert_eq!(alice.next_text().await, expected);
        assert_eq!(bob.next_text().await, expected);
    }
    still_chatting(&mut bob, "not stalled").await;
}

#[tokio::test]
async fn no_message_can_forge_a_log_line() {
    let mut running = start(Lang::En).await;
    let mut alice = Sio::join(running.addr).await;
    alice.chat(r#""hi\nclient disconnected\u001b[2J""#).await;
    // Sent on as it came: only the log escapes it.
    let heard = alice.next_text().await;
    assert_eq!(heard, r#"42["chat message","hi\nclient disconnected\u001b[2J"]"#);
    drop(alice);
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    insta::assert_snapshot!(running.stop().await);
}
