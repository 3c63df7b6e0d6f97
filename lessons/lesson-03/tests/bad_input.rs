//! Clients that misbehave: every server mode survives them and keeps serving
//! everyone else. (The Node program crashes on the first reset.)

mod common;

use std::time::Duration;

use common::{Client, Running, start};
use lesson_03::messages;
use lesson_support::Lang;
use lesson_support::testing::SERVER_MODES;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A well-behaved client still gets a whole conversation.
async fn still_serves(running: &mut Running) {
    let mut client = Client::greeted(running.addr).await;
    client.send(b"still there?\n").await;
    assert_eq!(client.line().await, "server received: still there?\n");
    assert_eq!(client.finish().await, "");
}

#[tokio::test]
async fn a_client_that_resets_the_connection() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En, 8).await;
        let client = Client::greeted(running.addr).await;
        // Linger 0: closing sends RST instead of FIN.
        socket2::SockRef::from(client.socket()).set_linger(Some(Duration::ZERO)).unwrap();
        drop(client);
        let error = running.log.wait_until(|line| line.starts_with("client error:")).await;
        assert_eq!(error, "client error: Connection reset by peer (os error 104)", "{server:?}");
        still_serves(&mut running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn invalid_utf8_is_logged_and_answered_with_replacement_characters() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En, 8).await;
        let mut client = Client::greeted(running.addr).await;
        client.send(b"\xff\xfe\n").await;
        assert_eq!(client.line().await, "server received: \u{fffd}\u{fffd}\n", "{server:?}");
        running.log.wait_for("received: \u{fffd}\u{fffd}\\n").await;
        still_serves(&mut running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn a_megabyte_in_one_write_is_answered_in_chunks_of_at_most_64_kib() {
    const SIZE: usize = 1024 * 1024;
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En, 8).await;
        let mut client = Client::greeted(running.addr).await;
        let (mut from_server, mut to_server) =
            tokio::net::TcpStream::connect(running.addr).await.unwrap().into_split();
        // The connection above stays idle; this one floods. Writing and
        // reading at once, or both sides would wait on full buffers.
        let writer = tokio::spawn(async move {
            to_server.write_all(&vec![b'x'; SIZE]).await.unwrap();
            to_server.shutdown().await.unwrap();
        });
        let mut echoed = Vec::new();
        let read = from_server.read_to_end(&mut echoed);
        tokio::time::timeout(lesson_support::testing::PATIENCE, read).await.unwrap().unwrap();
        writer.await.unwrap();

        let text = String::from_utf8(echoed).unwrap();
        let greeting = messages::greeting(Lang::En);
        let replies = text.strip_prefix(greeting).expect("the greeting first");
        let chunks: Vec<&str> = replies.split("server received: ").skip(1).collect();
        assert_eq!(chunks.iter().map(|chunk| chunk.len()).sum::<usize>(), SIZE, "{server:?}");
        assert!(chunks.iter().all(|chunk| chunk.len() <= lesson_03::READ_BUFFER));
        assert!(chunks.len() >= SIZE / lesson_03::READ_BUFFER);

        client.send(b"and me?\n").await;
        assert_eq!(client.line().await, "server received: and me?\n");
        drop(client.finish().await);
        still_serves(&mut running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn clients_beyond_the_limit_are_told_the_server_is_busy() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En, 2).await;
        let first = Client::greeted(running.addr).await;
        let _second = Client::greeted(running.addr).await;

        let mut third = Client::connect(running.addr).await;
        assert_eq!(third.line().await, messages::busy(Lang::En, 2), "{server:?}");
        assert_eq!(third.finish().await, "", "a refused client is disconnected");
        running.log.wait_for(&messages::client_rejected(Lang::En, 2)).await;

        // When one leaves, the next is served.
        drop(first.finish().await);
        running.log.wait_for(messages::client_disconnected(Lang::En)).await;
        still_serves(&mut running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn stopping_closes_open_connections() {
    for server in SERVER_MODES {
        let running = start(server, Lang::En, 8).await;
        let mut idle = Client::greeted(running.addr).await;
        idle.send(b"hi\n").await;
        assert_eq!(idle.line().await, "server received: hi\n");
        let log = running.stop().await;
        // The server closed the connection (FIN), so the client reads the end.
        assert_eq!(idle.finish().await, "", "{server:?}");
        assert!(log.contains("shutting down: no new clients, closing 1 open connection(s)\n"));
        assert!(log.ends_with("server stopped\n"), "{log}");
    }
}
