//! The Rust port and the Node program, side by side: for the same client,
//! `--lang zh` prints what Node prints, byte for byte, and the client
//! receives the same bytes. Needs `node` on the PATH; under CI (`CI=true`)
//! a missing `node` fails the test instead of skipping it.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpStream};
use std::process::Command;

use lesson_support::testing::{PATIENCE, node_available, node_program, printed_while};

const DISCONNECTED: &str = "客户端断开连接";

/// The conversation: a greeting, a line in two writes, invalid UTF-8, end.
/// Returns what the client received.
fn converse(port: u16) -> Vec<u8> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut received = Vec::new();
    let mut expect = |stream: &mut TcpStream, reply: &str| {
        let mut bytes = vec![0; reply.len()];
        stream.read_exact(&mut bytes).unwrap();
        assert_eq!(String::from_utf8_lossy(&bytes), reply);
        received.extend(bytes);
    };
    expect(&mut stream, "欢迎连接到 TCP 服务器\n");
    for (write, reply) in [
        ("你好 ".as_bytes(), "服务器已收到: 你好 "),
        (b"world\n", "服务器已收到: world\n"),
        (b"\xff\xfe\n", "服务器已收到: \u{fffd}\u{fffd}\n"),
    ] {
        stream.write_all(write).unwrap();
        expect(&mut stream, reply);
    }
    stream.shutdown(Shutdown::Write).unwrap();
    stream.read_to_end(&mut received).unwrap();
    received
}

#[test]
fn rust_prints_and_sends_what_node_does() {
    if !node_available() {
        return;
    }
    let node = node_program(env!("CARGO_MANIFEST_DIR"), "net-server.js");
    let mut rust = Command::new(env!("CARGO_BIN_EXE_lesson-03"));
    rust.args(["--lang", "zh", "--port", "0", "--host", "::"]);

    let (node_printed, node_received) = printed_while(node, converse, DISCONNECTED);
    let (rust_printed, rust_received) = printed_while(rust, converse, DISCONNECTED);
    assert_eq!(rust_printed, node_printed);
    assert_eq!(rust_received, node_received);
    // And what that is, so a change on both sides is still seen:
    insta::assert_snapshot!(node_printed);
}
