//! The Rust port and the Node program, side by side: for the same
//! datagrams, `--lang zh --host 0.0.0.0` prints what Node prints, byte for
//! byte, and the client receives the same bytes. Needs `node` on the PATH;
//! under CI (`CI=true`) a missing `node` fails the test instead of skipping.

use std::net::{Ipv4Addr, UdpSocket};
use std::process::Command;

use lesson_support::testing::{PATIENCE, Process, node_available, node_program};

/// The datagrams: text, an empty one, invalid UTF-8.
const DATAGRAMS: [&[u8]; 3] = ["你好 world".as_bytes(), b"", b"\xff\xfe"];

/// Runs the server `command`, sends it the datagrams from one client, and
/// returns what it printed (ports redacted) and the replies, then stops it.
fn transcript(command: Command) -> (String, Vec<Vec<u8>>) {
    let mut server = Process::start(command);
    let port = server.port();

    let client = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    client.connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    let mut replies = Vec::new();
    for datagram in DATAGRAMS {
        client.send(datagram).unwrap();
        let mut buffer = [0; 1024];
        let n = client.recv(&mut buffer).unwrap();
        replies.push(buffer[..n].to_vec());
        server.next_line();
    }
    // Up to here the two programs must agree; on Ctrl-C only Rust says more.
    let client_port = client.local_addr().unwrap().port();
    let printed = server
        .printed()
        .replace(&format!(":{port}\n"), ":PORT\n")
        .replace(&format!(":{client_port}\n"), ":CLIENT-PORT\n");
    server.interrupt();
    (printed, replies)
}

#[test]
fn rust_prints_and_sends_what_node_does() {
    if !node_available() {
        return;
    }
    let node = node_program(env!("CARGO_MANIFEST_DIR"), "dgram-server.js");
    let mut rust = Command::new(env!("CARGO_BIN_EXE_lesson-04"));
    rust.args(["--lang", "zh", "--port", "0", "--host", "0.0.0.0"]);

    let (node_printed, node_replies) = transcript(node);
    let (rust_printed, rust_replies) = transcript(rust);
    assert_eq!(rust_printed, node_printed);
    assert_eq!(rust_replies, node_replies);
    assert!(node_replies.iter().all(|reply| reply.len() == 22));
    // And what that is, so a change on both sides is still seen:
    insta::assert_snapshot!(node_printed);
}
