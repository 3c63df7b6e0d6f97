//! The protocol done right, in every server mode, by real clients over
//! loopback: each broken rule gets its close code, and the server keeps
//! serving everyone else. (The Node program crashes on invalid UTF-8.)

mod common;

use std::time::Duration;

use common::{Client, Raw, Running, Setup, describe, describe_close, start, start_with};
use lesson_01::messages;
use lesson_01::protocol::MAX_MESSAGE;
use lesson_support::Lang;
use lesson_support::testing::SERVER_MODES;
use tungstenite::protocol::frame::Frame;
use tungstenite::protocol::frame::coding::{Data, OpCode};
use tungstenite::{Bytes, Message};

/// A well-behaved client still gets a whole conversation.
async fn still_serves(running: &Running) {
    let mut client = Client::connect(running.addr).await;
    assert_eq!(client.ask("still there?").await, "server received: still there?");
    assert_eq!(describe_close(&client.close().await), r#"close 1000 """#);
}

/// Waits for the log lines that end a connection the server closed: one
/// that starts with `why` (the cause may follow), then the disconnect.
async fn wait_for_closing(running: &mut Running, why: &str) {
    running.log.wait_until(|line| line.starts_with(why)).await;
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
}

#[tokio::test]
async fn a_ping_is_answered_with_a_pong() {
    for server in SERVER_MODES {
        let running = start(server, Lang::En).await;
        let mut client = Client::connect(running.addr).await;
        client.send(Message::Ping(Bytes::from_static(b"ping 1"))).await;
        assert_eq!(describe(&client.next().await), "pong: ping 1", "{server:?}");
        client.close().await;
        running.stop().await;
    }
}

#[tokio::test]
async fn the_close_handshake_completes_with_1000_both_ways() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        let client = Client::connect(running.addr).await;
        // `close` also checks that the connection then ends without an error:
        // the server kept reading after the close frame, as it must.
        assert_eq!(describe_close(&client.close().await), r#"close 1000 """#, "{server:?}");
        running.log.wait_for(messages::client_disconnected(Lang::En)).await;
        let log = running.stop().await;
        assert!(!log.contains("closing with") && !log.contains("failed"), "{server:?}: {log}");
    }
}

#[tokio::test]
async fn invalid_utf8_in_a_text_message_gets_close_1007_and_the_others_are_still_served() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        let mut bystander = Client::connect(running.addr).await;
        let mut client = Client::connect(running.addr).await;
        let not_utf8 =
            Frame::message(Bytes::from_static(b"\xff\xfe"), OpCode::Data(Data::Text), true);
        client.send(Message::Frame(not_utf8)).await;
        let frame = client.closed_by_server().await;
        assert_eq!(describe_close(&frame), r#"close 1007 "invalid UTF-8""#);
        wait_for_closing(&mut running, "closing with 1007: invalid UTF-8").await;
        assert_eq!(bystander.ask("and me?").await, "server received: and me?", "{server:?}");
        bystander.close().await;
        still_serves(&running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn a_message_at_the_limit_is_answered_and_one_byte_more_gets_close_1009() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        let mut client = Client::connect(running.addr).await;
        let reply = client.ask(&"x".repeat(MAX_MESSAGE)).await;
        assert_eq!(reply.len(), "server received: ".len() + MAX_MESSAGE, "{server:?}");

        client.send(Message::text("x".repeat(MAX_MESSAGE + 1))).await;
        let frame = client.closed_by_server().await;
        assert_eq!(describe_close(&frame), r#"close 1009 "message over 65536 bytes""#);
        wait_for_closing(&mut running, "closing with 1009: message over 65536 bytes").await;
        still_serves(&running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn a_message_over_the_limit_in_small_fragments_gets_close_1009_too() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        let mut client = Client::connect(running.addr).await;
        let half = Bytes::from(vec![b'x'; MAX_MESSAGE / 2 + 1]);
        client
            .send(Message::Frame(Frame::message(half.clone(), OpCode::Data(Data::Text), false)))
            .await;
        let last = Frame::message(half, OpCode::Data(Data::Continue), true);
        client.send(Message::Frame(last)).await;
        let frame = client.closed_by_server().await;
        assert_eq!(describe_close(&frame), r#"close 1009 "message over 65536 bytes""#);
        wait_for_closing(&mut running, "closing with 1009: message over 65536 bytes").await;
        running.stop().await;
    }
}

#[tokio::test]
async fn a_connection_reset_is_logged_as_a_disconnect() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        let mut client = Client::connect(running.addr).await;
        assert_eq!(client.ask("hi").await, "server received: hi");
        // Linger 0: closing sends RST instead of FIN, and no close frame.
        socket2::SockRef::from(client.socket()).set_linger(Some(Duration::ZERO)).unwrap();
        drop(client);
        let failed = running.log.wait_until(|line| line.starts_with("connection failed")).await;
        assert!(
            failed.ends_with("Connection reset by peer (os error 104)"),
            "{server:?}: {failed}"
        );
        running.log.wait_for(messages::client_disconnected(Lang::En)).await;
        still_serves(&running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn a_plain_http_request_gets_426_and_a_malformed_handshake_400() {
    const UPGRADE: &str = "HTTP/1.1 426 Upgrade Required\r\n";
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        for (request, status) in [
            ("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", UPGRADE),
            ("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n", UPGRADE),
            (
                // A handshake without its Sec-WebSocket-Key.
                "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n\
                 Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n",
                "HTTP/1.1 400 Bad Request\r\n",
            ),
        ] {
            let mut raw = Raw::connect(running.addr).await;
            raw.send(request.as_bytes()).await;
            let response = String::from_utf8(raw.until_closed().await).unwrap();
            assert!(response.starts_with(status), "{server:?}: {response}");
            let logged = running.log.wait_until(|line| line.starts_with("not a WebSocket")).await;
            assert!(logged.ends_with(&format!("answered {}", status.trim_end())), "{logged}");
        }
        still_serves(&running).await;
        let log = running.stop().await;
        // A request that never became a WebSocket is no client: Node logs nothing.
        assert_eq!(log.matches("new client connected").count(), 1, "{server:?}: {log}");
    }
}

/// Long enough that a loaded machine still completes a handshake within
/// it (two tests wait this long in every mode); short
/// enough that the tests need not wait long.
const IDLE: Duration = Duration::from_secs(2);

#[tokio::test]
async fn an_idle_client_is_closed_with_1000_and_a_reason() {
    for server in SERVER_MODES {
        let setup = Setup { idle_timeout: IDLE, ..Setup::new(Lang::En) };
        let mut running = start_with(server, setup).await;
        let silent = Client::connect(running.addr).await;
        let frame = silent.closed_by_server().await;
        assert_eq!(describe_close(&frame), r#"close 1000 "idle timeout""#, "{server:?}");
        wait_for_closing(&mut running, "closing with 1000: idle timeout").await;
        running.stop().await;
    }
}

#[tokio::test]
async fn a_connection_that_never_completes_the_handshake_is_dropped_when_idle() {
    for server in SERVER_MODES {
        let setup = Setup { idle_timeout: IDLE, ..Setup::new(Lang::En) };
        let mut running = start_with(server, setup).await;
        let mut raw = Raw::connect(running.addr).await;
        raw.send(b"GET / HTTP/1.1\r\n").await; // and nothing more
        raw.until_closed().await;
        running.log.wait_until(|line| line.starts_with("connection failed")).await;
        still_serves(&running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn stopping_sends_every_open_client_close_1001() {
    for server in SERVER_MODES {
        let running = start(server, Lang::En).await;
        let mut talking = Client::connect(running.addr).await;
        assert_eq!(talking.ask("hi").await, "server received: hi");
        let silent = Client::connect(running.addr).await;
        // The clients read while the server stops: it waits for their answers.
        let (log, talking, silent) =
            tokio::join!(running.stop(), talking.closed_by_server(), silent.closed_by_server());
        for frame in [talking, silent] {
            assert_eq!(
                describe_close(&frame),
                r#"close 1001 "server shutting down""#,
                "{server:?}"
            );
        }
        assert!(log.contains("closing 2 open connection(s)\n"), "{server:?}: {log}");
        assert!(log.ends_with("server stopped\n"), "{log}");
        assert!(!log.contains("cut off"), "{server:?}: {log}");
    }
}

#[tokio::test]
async fn clients_beyond_the_limit_get_http_503() {
    for server in SERVER_MODES {
        let setup = Setup { max_clients: 1, ..Setup::new(Lang::En) };
        let mut running = start_with(server, setup).await;
        let first = Client::connect(running.addr).await;
        let refused = Raw::connect(running.addr).await.until_closed().await;
        let refused = String::from_utf8(refused).unwrap();
        assert!(
            refused.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
            "{server:?}: {refused}"
        );
        running.log.wait_for(&messages::client_rejected(Lang::En, 1)).await;
        // When the first leaves, the next is served.
        first.close().await;
        running.log.wait_for(messages::client_disconnected(Lang::En)).await;
        still_serves(&running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn with_echo_every_message_comes_back_unchanged_text_as_text_binary_as_binary() {
    for server in SERVER_MODES {
        let setup = Setup { echo: true, ..Setup::new(Lang::En) };
        let mut running = start_with(server, setup).await;
        let mut client = Client::connect(running.addr).await;
        let not_utf8 = Bytes::from_static(b"\x00\xff binary");
        for message in [Message::text("héllo 你好"), Message::Binary(not_utf8)] {
            client.send(message.clone()).await;
            assert_eq!(client.next().await, message, "{server:?}");
        }
        assert_eq!(describe_close(&client.close().await), r#"close 1000 """#);
        // The log is the same as without --echo: only the answer differs.
        running.log.wait_for("received: héllo 你好").await;
        running.stop().await;
    }
}
