//! Each mode's whole transcript — the server's log and what the client
//! received — for one conversation: three datagrams, three replies.

mod common;

use std::time::Duration;

use common::{Client, start};
use lesson_support::testing::PATIENCE;
use lesson_support::{Lang, Log, Mode};

async fn conversation(mode: Mode, lang: Lang) -> String {
    let running = start(mode, lang).await;
    let client = Client::new(running.addr).await;
    let mut received = String::new();
    for datagram in ["hello 你好".as_bytes(), b"", b"bye"] {
        received.push_str(&client.ask(datagram).await);
        received.push('\n');
    }
    // Every reply came after its log line, so the log is complete.
    let log = running.stop().await;
    format!("--- server log ---\n{log}--- client received (one datagram a line) ---\n{received}")
}

lesson_support::transcript_tests!(conversation);

/// Runs the client mode with `input` against `server`, and returns what it
/// printed, with the server's port redacted.
async fn run_client_mode(server: std::net::SocketAddr, input: &[u8], timeout: Duration) -> String {
    let (log, mut printed) = Log::capture();
    lesson_04::client::run(server, input, Lang::En, log, timeout).await.unwrap();
    printed.text().replace(&server.port().to_string(), "[PORT]")
}

#[tokio::test]
async fn client_mode() {
    let running = start(Mode::Async, Lang::En).await;
    let printed = run_client_mode(running.addr, b"hello\n\nbye\n", PATIENCE).await;
    let server_log = running.stop().await;
    insta::assert_snapshot!(format!(
        "--- server log ---\n{server_log}--- client mode printed ---\n{printed}"
    ));
}

#[tokio::test]
async fn client_mode_when_no_reply_comes() {
    // A socket that receives but never answers: the datagram arrives, and no
    // reply ever comes. The client's timeout is what ends each wait.
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = silent.local_addr().unwrap();
    let printed = run_client_mode(addr, b"anyone there?\n", Duration::from_millis(100)).await;
    let mut buffer = [0; 64];
    let (n, _) = silent.recv_from(&mut buffer).await.unwrap();
    assert_eq!(&buffer[..n], b"anyone there?");
    insta::assert_snapshot!(printed);
}

#[tokio::test]
async fn client_mode_when_nothing_listens() {
    // Bind, learn a free port, close: nothing listens there now. The client's
    // socket is connected, so the kernel's ICMP "port unreachable" reaches it.
    let addr = std::net::UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    insta::assert_snapshot!(run_client_mode(addr, b"hello?\n", PATIENCE).await);
}
