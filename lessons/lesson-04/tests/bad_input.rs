//! Datagrams a server must survive: empty, the largest there is, invalid
//! UTF-8, and a flood. Every server mode keeps answering and never panics
//! (a panic would end `run` with an error or never end it: `stop` checks).

mod common;

use std::time::Duration;

use common::{Client, Running, start};
use lesson_04::MAX_IPV4_PAYLOAD;
use lesson_support::Lang;
use lesson_support::testing::SERVER_MODES;

/// A well-behaved client still gets its reply.
async fn still_answers(running: &Running) {
    let client = Client::new(running.addr).await;
    assert_eq!(client.ask(b"still there?").await, "Hello, UDP client");
}

#[tokio::test]
async fn an_empty_datagram_is_logged_with_two_spaces_and_answered() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::Zh).await;
        let client = Client::new(running.addr).await;
        assert_eq!(client.ask(b"").await, "你好，UDP 客户端", "{server:?}");
        let port = client.socket.local_addr().unwrap().port();
        running.log.wait_for(&format!("收到消息:  来自 127.0.0.1:{port}")).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn the_largest_datagram_arrives_whole() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        let client = Client::new(running.addr).await;
        let payload = vec![b'x'; MAX_IPV4_PAYLOAD];
        assert_eq!(client.ask(&payload).await, "Hello, UDP client");
        let line = running.log.wait_until(|line| line.starts_with("received: xxx")).await;
        // The log shows the line's beginning and end, and counts the rest.
        let port = client.socket.local_addr().unwrap().port();
        let whole = format!("received: {} from 127.0.0.1:{port}", "x".repeat(MAX_IPV4_PAYLOAD));
        let (head, rest) = line.split_once("[… ").expect("a cut line");
        let (not_shown, tail) = rest.split_once(" bytes not shown …]").unwrap();
        assert!(whole.starts_with(head) && whole.ends_with(tail), "{server:?}: {line}");
        assert_eq!(head.len() + not_shown.parse::<usize>().unwrap() + tail.len(), whole.len());
        still_answers(&running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn invalid_utf8_is_logged_with_replacement_characters() {
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        let client = Client::new(running.addr).await;
        assert_eq!(client.ask(b"\xff\xfeok").await, "Hello, UDP client");
        running.log.wait_until(|line| line.starts_with("received: \u{fffd}\u{fffd}ok from ")).await;
        still_answers(&running).await;
        running.stop().await;
    }
}

#[tokio::test]
async fn a_flood_is_survived_and_the_server_keeps_answering() {
    const FLOOD: usize = 5000;
    for server in SERVER_MODES {
        let running = start(server, Lang::En).await;
        // As fast as the kernel takes them. When the server's receive queue
        // is full the kernel drops the rest: nobody is told, not the sender,
        // not the server. The flooder never reads its replies either.
        let flooder = Client::new(running.addr).await;
        for i in 0..FLOOD {
            flooder.send(format!("flood {i}").as_bytes()).await;
        }
        // A probe may be dropped too while the queue is still full: ask
        // again, a bounded number of times, until a reply comes.
        let probe = Client::new(running.addr).await;
        let mut answered = false;
        let mut buffer = [0; 64];
        for _ in 0..100 {
            probe.send(b"probe").await;
            let wait = probe.socket.recv(&mut buffer);
            if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(200), wait).await {
                assert_eq!(&buffer[..n], b"Hello, UDP client");
                answered = true;
                break;
            }
        }
        assert!(answered, "{server:?} stopped answering after a flood");
        let log = running.stop().await;
        // Some were dropped, unannounced; each that arrived was logged once.
        let mut logged: Vec<usize> = log
            .lines()
            .filter_map(|line| {
                line.strip_prefix("received: flood ")?.split(' ').next()?.parse().ok()
            })
            .collect();
        assert!(!logged.is_empty(), "{server:?}: no flood datagram was logged");
        let arrived = logged.len();
        logged.sort_unstable();
        logged.dedup();
        assert_eq!(logged.len(), arrived, "{server:?}: a datagram was logged twice");
        assert!(logged.iter().all(|&i| i < FLOOD), "{server:?}: logged what was never sent");
        assert!(log.ends_with("server stopped\n"), "{log}");
    }
}
