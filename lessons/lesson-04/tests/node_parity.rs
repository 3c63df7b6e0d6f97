//! The Rust port and the Node program, side by side: for the same
//! datagrams, `--lang zh --host 0.0.0.0` prints what Node prints, byte for
//! byte, and the client receives the same bytes. Needs `node` on the PATH;
//! under CI (`CI=true`) a missing `node` fails the test instead of skipping.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, UdpSocket};
use std::process::{Command, Stdio};
use std::time::Duration;

const PATIENCE: Duration = Duration::from_secs(20);

/// The datagrams: text, an empty one, invalid UTF-8.
const DATAGRAMS: [&[u8]; 3] = ["你好 world".as_bytes(), b"", b"\xff\xfe"];

/// Runs the server `command`, sends it the datagrams from one client, and
/// returns what it printed (ports redacted) and the replies, then stops it.
fn transcript(mut command: Command) -> (String, Vec<Vec<u8>>) {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    stdout.read_line(&mut printed).unwrap();
    let port: u16 = printed.trim_end().rsplit(':').next().unwrap().parse().unwrap();

    let client = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    client.connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    let mut replies = Vec::new();
    for datagram in DATAGRAMS {
        client.send(datagram).unwrap();
        let mut buffer = [0; 1024];
        let n = client.recv(&mut buffer).unwrap();
        replies.push(buffer[..n].to_vec());
        stdout.read_line(&mut printed).unwrap();
    }
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    assert!(status.unwrap().success());
    child.wait().unwrap();
    let client_port = client.local_addr().unwrap().port();
    let printed = printed
        .replace(&format!(":{port}\n"), ":PORT\n")
        .replace(&format!(":{client_port}\n"), ":CLIENT-PORT\n");
    (printed, replies)
}

fn node_available() -> bool {
    let found = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found && std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("node is missing: .ci/run must install it");
    }
    found
}

#[test]
fn rust_prints_and_sends_what_node_does() {
    if !node_available() {
        eprintln!("skipped: node is not installed");
        return;
    }
    let mut node = Command::new("node");
    node.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/node/dgram-server.js")).arg("0");
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
