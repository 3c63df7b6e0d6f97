//! The real binary in the hand-built modes, as a user runs it: a client in
//! the chat, the `client` mode speaking to it through standard input, and
//! Ctrl-C closing every client with 1001 and exiting 0.

mod by_hand_plumbing;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};

use by_hand_plumbing::{Client, describe_close};
use lesson_support::testing::Process;

fn lesson(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lesson-02"));
    command.args(args).stdin(Stdio::null()).stderr(Stdio::piped());
    command
}

#[tokio::test]
async fn each_mode_chats_with_the_client_mode_then_stops_on_ctrl_c() {
    for mode in ["blocking", "async", "socket2"] {
        let mut server = Process::start(lesson(&[mode, "--port", "0"]));
        let port = server.port();
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let mut listener = Client::connect(addr).await;
        server.wait_for_line("new client connected");

        // The client mode: two lines on its standard input, then its end.
        let mut client = lesson(&["client", "--port", &port.to_string()]);
        let mut client = client.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        client.stdin.take().unwrap().write_all("hello\n你好\n".as_bytes()).unwrap();
        assert_eq!(listener.hear().await, "hello");
        assert_eq!(listener.hear().await, "你好");
        let output = tokio::task::spawn_blocking(move || client.wait_with_output()).await;
        let output = output.unwrap().unwrap();
        assert_eq!(output.status.code(), Some(0), "{mode}: {output:?}");
        let printed = String::from_utf8(output.stdout).unwrap();
        // It closed right after its last line, and still heard both lines first.
        let heard = "hello\n你好\nthe server closed with code 1000\n";
        assert!(printed.ends_with(heard), "{mode}: {printed}");

        let stopping = tokio::task::spawn_blocking(move || server.interrupt());
        let frame = listener.closed_by_server().await;
        assert_eq!(describe_close(&frame), r#"close 1001 "server shutting down""#, "{mode}");
        let (code, printed) = stopping.await.unwrap();
        assert_eq!(code, Some(0), "{mode}: Ctrl-C must exit 0; printed: {printed}");
        for line in ["received: hello\n", "received: 你好\n", "server stopped\n"] {
            assert!(printed.contains(line), "{mode}: no {line:?} in {printed}");
        }
    }
}
