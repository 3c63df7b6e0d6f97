//! The servers at their limits: silent clients, clients that never read,
//! clients that try to forge the log, replies stuck when the server stops.
//! Every server mode keeps serving everyone else, and says what it did.

mod common;

use std::time::Duration;

use common::{Client, Setup, start_with};
use lesson_03::messages;
use lesson_support::log::{LINE_LIMIT, TAIL_SHOWN};
use lesson_support::testing::SERVER_MODES;
use lesson_support::{Lang, Mode};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpSocket, TcpStream};

/// Short enough that the tests need not wait long, long enough that on a
/// busy machine the third client still arrives while the first two are open.
const IDLE: Duration = Duration::from_secs(2);

#[tokio::test]
async fn silent_clients_are_closed_when_idle_and_make_room_for_others() {
    for server in SERVER_MODES {
        let setup = Setup { idle_timeout: IDLE, ..Setup::new(Lang::En, 2) };
        let mut running = start_with(server, setup).await;
        let first = Client::greeted(running.addr).await;
        let second = Client::greeted(running.addr).await;
        // Both places are taken by clients that say nothing.
        let mut third = Client::connect(running.addr).await;
        assert_eq!(third.line().await, messages::busy(Lang::En, 2), "{server:?}");

        // Each is told why, and closed; then a new client is served.
        let goodbye = messages::idle_goodbye(Lang::En, IDLE);
        for silent in [first, second] {
            assert_eq!(silent.until_closed().await, goodbye, "{server:?}");
        }
        for _ in 0..2 {
            running.log.wait_for(&messages::idle_closed(Lang::En, IDLE)).await;
        }
        let mut fourth = Client::greeted(running.addr).await;
        fourth.send(b"my turn\n").await;
        assert_eq!(fourth.line().await, "server received: my turn\n", "{server:?}");
        running.stop().await;
    }
}

/// A client that sends 64 KiB and never reads the reply: with the smallest
/// buffers on both sides, the server's reply cannot be written.
async fn client_that_never_reads(addr: std::net::SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(1).unwrap(); // Linux rounds it up to its least
    let mut stream = socket.connect(addr).await.unwrap();
    stream.write_all(&vec![b'x'; 64 * 1024]).await.unwrap();
    stream
}

#[tokio::test]
async fn a_client_that_never_reads_is_closed_when_idle() {
    for server in SERVER_MODES {
        let setup =
            Setup { idle_timeout: IDLE, small_send_buffer: true, ..Setup::new(Lang::En, 8) };
        let mut running = start_with(server, setup).await;
        let _stuck = client_that_never_reads(running.addr).await;
        running.log.wait_for(&messages::idle_closed(Lang::En, IDLE)).await;
        let mut other = Client::greeted(running.addr).await;
        other.send(b"hello\n").await;
        assert_eq!(other.line().await, "server received: hello\n", "{server:?}");
        running.stop().await;
    }
}

#[tokio::test]
async fn a_reply_stuck_when_the_server_stops_is_cut_off_after_the_grace() {
    // The blocking server needs no grace: shutting a socket down wakes a
    // stuck `write` as it does a `read`.
    for server in [Mode::Async, Mode::Socket2] {
        let setup = Setup {
            grace: Duration::from_millis(100),
            small_send_buffer: true,
            ..Setup::new(Lang::En, 8)
        };
        let mut running = start_with(server, setup).await;
        let _stuck = client_that_never_reads(running.addr).await;
        // Logged before the reply is written: from here on the task is
        // writing a reply of kilobytes into a few kilobytes of buffers that
        // nobody empties, for ever.
        let first = running.log.wait_until(|line| line.starts_with("received: x")).await;
        let chunk = whole_length(&first) - "received: ".len();
        // Its reply cannot fit in the ~6 KiB of buffers between the two.
        assert!(chunk >= 16 * 1024, "a chunk of {chunk} bytes: too short to get stuck");
        let log = running.stop().await;
        assert!(log.contains(&messages::cut_off(Lang::En, 1)), "{server:?}: {log}");
        assert!(log.ends_with("server stopped\n"), "{log}");
    }
}

#[tokio::test]
async fn no_client_can_forge_a_log_line_or_drive_the_terminal() {
    let forged = b"hi\nserver stopped\n\x1b[2J\x1b]0;owned\x07";
    for (lang, logged) in [
        // English (the default): one line, control characters escaped.
        (Lang::En, "received: hi\\nserver stopped\\n\\u{1b}[2J\\u{1b}]0;owned\\u{7}".to_string()),
        // The article's Chinese: the bytes as Node prints them, for comparison.
        (Lang::Zh, format!("收到消息: {}", String::from_utf8_lossy(forged))),
    ] {
        for server in SERVER_MODES {
            let mut running = start_with(server, Setup::new(lang, 8)).await;
            let mut client = Client::greeted(running.addr).await;
            client.send(forged).await;
            client
                .exactly(&messages::reply(lang, &String::from_utf8_lossy(forged)).to_string())
                .await;
            assert_eq!(running.log.wait_until(|line| line.contains("hi")).await, logged);
            running.stop().await;
        }
    }
}

/// How long a logged line was before the log cut it, from its note.
fn whole_length(line: &str) -> usize {
    let Some((head, rest)) = line.split_once("[… ") else { return line.len() };
    let (not_shown, tail) = rest.split_once(" bytes not shown …]").expect("the note's end");
    assert!(head.len() <= LINE_LIMIT - TAIL_SHOWN && tail.len() <= TAIL_SHOWN, "{line}");
    head.len() + not_shown.parse::<usize>().expect("a count") + tail.len()
}

#[tokio::test]
async fn a_long_chunk_makes_one_log_line_of_at_most_a_kilobyte() {
    for server in SERVER_MODES {
        let mut running = start_with(server, Setup::new(Lang::En, 8)).await;
        let mut client = Client::greeted(running.addr).await;
        // Invalid UTF-8: each byte becomes U+FFFD, three bytes, in the log.
        client.send(&[0xff; 16 * 1024]).await;
        let line = running.log.wait_until(|line| line.starts_with("received: ")).await;
        assert!(line.contains("bytes not shown"), "{server:?}: not cut: {line}");
        let shown_of_chunk = whole_length(&line) - "received: ".len();
        assert_eq!(shown_of_chunk % "\u{fffd}".len(), 0, "{line}");
        drop(client.finish().await);
        running.stop().await;
    }
}
