//! The real binary, as a user runs it: its output, Ctrl-C, and its errors.

use std::io::Write;
use std::net::{Ipv4Addr, UdpSocket};
use std::process::Command;

use lesson_support::testing::{self, PATIENCE, Process, assert_port_in_use_is_refused};

const LESSON: &str = env!("CARGO_BIN_EXE_lesson-04");

fn lesson(args: &[&str]) -> Command {
    testing::lesson(LESSON, args)
}

/// Sends one datagram to `port` and returns the reply and the client's port.
fn ask(port: u16, datagram: &[u8]) -> (String, u16) {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket.connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    socket.send(datagram).unwrap();
    let mut buffer = [0; 1024];
    let n = socket.recv(&mut buffer).unwrap();
    let reply = String::from_utf8_lossy(&buffer[..n]).into_owned();
    (reply, socket.local_addr().unwrap().port())
}

/// One datagram, then Ctrl-C: what the binary printed and what was received.
fn ctrl_c_after_one_datagram(args: &[&str]) -> String {
    let mut server = Process::start(lesson(args));
    let port = server.port();
    let (reply, client_port) = ask(port, "hello 你好".as_bytes());
    server.next_line(); // the datagram's log line
    let (code, printed) = server.interrupt();
    assert_eq!(code, Some(0), "Ctrl-C must exit 0; printed: {printed}");
    let printed = printed
        .replace(&format!(":{port}\n"), ":[PORT]\n")
        .replace(&format!(":{client_port}\n"), ":[CLIENT-PORT]\n");
    format!("--- stdout ---\n{printed}--- client received ---\n{reply}\n")
}

#[test]
fn the_binary_serves_then_stops_on_ctrl_c() {
    insta::assert_snapshot!(ctrl_c_after_one_datagram(&["--port", "0"]));
}

#[test]
fn every_server_mode_of_the_binary_stops_on_ctrl_c() {
    let async_output = ctrl_c_after_one_datagram(&["--port", "0"]);
    assert_eq!(ctrl_c_after_one_datagram(&["blocking", "--port", "0"]), async_output);
    let socket2_output = ctrl_c_after_one_datagram(&["socket2", "--port", "0"]);
    assert!(
        socket2_output.starts_with(
            "--- stdout ---\nSO_REUSEADDR = false (left off: see the comment)\nSO_BROADCAST = true\n"
        ),
        "{socket2_output}"
    );
    assert!(socket2_output.ends_with(&async_output["--- stdout ---\n".len()..]));
}

#[test]
fn the_binary_in_chinese_on_every_interface() {
    let args = ["--port", "0", "--lang", "zh", "--host", "0.0.0.0"];
    insta::assert_snapshot!(ctrl_c_after_one_datagram(&args));
}

#[test]
fn the_client_mode_of_the_binary() {
    let mut server = Process::start(lesson(&["--port", "0"]));
    let port = server.port();
    let mut client = lesson(&["client", "--port", &port.to_string()]).spawn().unwrap();
    // Dropped at the end of the statement: the end of input.
    client.stdin.take().unwrap().write_all(b"one\ntwo\n").unwrap();
    let output = client.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    server.next_line();
    server.next_line();
    assert_eq!(server.interrupt().0, Some(0));
    let shown = String::from_utf8(output.stdout).unwrap().replace(&port.to_string(), "[PORT]");
    insta::assert_snapshot!(shown);
}

#[test]
fn a_port_in_use_is_one_clear_line_and_exit_code_2() {
    let taken = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    assert_port_in_use_is_refused(LESSON, taken.local_addr().unwrap().port());
}

#[test]
fn a_second_socket2_server_on_the_same_port_is_refused_not_silently_sharing() {
    // Were SO_REUSEADDR set, both copies would bind, and the second would
    // receive the first one's datagrams (see udp_promises.rs).
    let mut first = Process::start(lesson(&["socket2", "--port", "0"]));
    let port = first.port().to_string();
    let second = Process::start(lesson(&["socket2", "--port", &port]));
    let (code, printed) = second.finish();
    assert_eq!(code, Some(2), "the second server ran; it printed:\n{printed}");
    assert_eq!(first.interrupt().0, Some(0));
}

#[test]
fn a_bad_flag_is_a_usage_error_not_a_backtrace() {
    for args in [["--lang", "fr"], ["--buffer", "0"]] {
        let output = lesson(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: invalid value"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn help_lists_every_mode() {
    let output = lesson(&["--help"]).output().unwrap();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}
