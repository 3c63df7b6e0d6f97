//! The real binary, as a user runs it: its output, Ctrl-C, its errors.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Command, Stdio};

use lesson_support::testing::{self, PATIENCE, Process, ctrl_c_after};
use lesson_support::testing::{assert_no_server_is_one_line, assert_port_in_use_is_refused};

const LESSON: &str = env!("CARGO_BIN_EXE_lesson-01");

fn lesson(args: &[&str]) -> Command {
    testing::lesson(LESSON, args)
}

/// Runs the binary's own client mode against `port` with `input` on its
/// standard input; returns what it printed, the port redacted.
fn client(port: u16, input: &str) -> String {
    let mut client = lesson(&["client", "--port", &port.to_string()]).spawn().unwrap();
    client.stdin.take().unwrap().write_all(input.as_bytes()).unwrap(); // dropped: end of input
    let output = client.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().replace(&port.to_string(), "[PORT]")
}

/// Starts the server with `args`, talks to it with the client mode, stops it
/// with Ctrl-C; returns both outputs.
fn ctrl_c_after_one_client(args: &[&str], disconnected: &str) -> String {
    let talk = |port| client(port, "hello 你好\n");
    let (printed, printed_by_client) = ctrl_c_after(lesson(args), talk, disconnected);
    format!("--- server ---\n{printed}--- client ---\n{printed_by_client}")
}

lesson_support::binary_ctrl_c_tests!(ctrl_c_after_one_client, "--- server ---\n");

#[test]
fn ctrl_c_sends_an_open_client_close_1001() {
    let mut server = Process::start(lesson(&["--port", "0"]));
    let port = server.port();
    // A client mode whose input never ends: it stays connected until the
    // server closes, then prints the code.
    let mut client = lesson(&["client", "--port", &port.to_string()]).spawn().unwrap();
    server.wait_for_line("new client connected");
    let (code, printed) = server.interrupt();
    assert_eq!(code, Some(0), "{printed}");
    drop(client.stdin.take()); // now let the client finish
    let output = client.wait_with_output().unwrap();
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(
        shown.ends_with("the server closed with code 1001 (server shutting down)\n"),
        "{shown}"
    );
}

#[test]
fn a_port_in_use_is_one_clear_line_and_exit_code_2() {
    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    assert_port_in_use_is_refused(LESSON, taken.local_addr().unwrap().port());
}

#[test]
fn a_client_with_no_server_is_one_clear_line() {
    assert_no_server_is_one_line(LESSON);
}

#[test]
fn help_lists_every_mode() {
    let output = lesson(&["--help"]).output().unwrap();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn bad_flags_are_refused_when_parsing() {
    for args in [
        &["--lang", "fr"][..],
        &["websocket"],
        &["--port", "70000"],
        &["--host", "localhost"],
        &["--max-clients", "0"],
        &["--max-clients", "1000000000000"],
        &["--idle-timeout", "0"],
        &["--idle-timeout", "-5"],
    ] {
        let output = lesson(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_client_limit_fits_the_file_descriptor_limit() {
    for mode in ["blocking", "async", "socket2"] {
        // 64 descriptors, soft and hard: the server cannot raise the limit,
        // so it serves 64 - 32 reserved = 32 clients, and answers the next
        // with HTTP 503 instead of failing to accept it.
        let mut command = Command::new("prlimit");
        command.args(["--nofile=64:64", LESSON, mode, "--port", "0"]);
        command.stdout(Stdio::piped());
        let mut server = Process::start(command);
        let port = server.port();
        assert!(server.printed().contains("serving at most 32 clients, not 512"), "{mode}");
        let url = format!("ws://127.0.0.1:{port}/");
        let clients: Vec<_> = (0..32)
            .map(|_| {
                let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
                stream.set_read_timeout(Some(PATIENCE)).unwrap();
                tungstenite::client(url.as_str(), stream).expect("a WebSocket").0
            })
            .collect();
        let mut refused = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        refused.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut response = String::new();
        refused.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), "{mode}: {response}");
        drop(clients);
        let (code, printed) = server.interrupt();
        assert_eq!(code, Some(0), "{mode}: {printed}");
        assert!(!printed.contains("cannot accept"), "{mode}: {printed}");
    }
}
