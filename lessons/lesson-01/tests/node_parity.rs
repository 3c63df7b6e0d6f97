//! The Rust port and the Node program, side by side, and the npm `ws`
//! client against every Rust server mode. Needs `node` (and the packages of
//! `node/package-lock.json`, installed by `npm ci` there, which
//! `scripts/test-all` runs); under CI (`CI=true`) a missing `node` fails the
//! test instead of skipping it.

use std::net::{Ipv4Addr, TcpStream};
use std::process::{Command, Stdio};

use lesson_support::testing::{PATIENCE, Process, node_available, node_program, printed_while};
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::Frame;
use tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tungstenite::{Bytes, Message};

const DISCONNECTED: &str = "客户端断开连接";

fn node_script(name: &str) -> String {
    format!("{}/node/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn node_server() -> Command {
    node_program(env!("CARGO_MANIFEST_DIR"), "ws-server.js")
}

fn rust_server(args: &[&str]) -> Command {
    let mut rust = Command::new(env!("CARGO_BIN_EXE_lesson-01"));
    rust.args(["--port", "0"]).args(args);
    rust
}

/// A WebSocket connection (sync tungstenite) to 127.0.0.1:`port`.
fn connect(port: u16) -> tungstenite::WebSocket<TcpStream> {
    let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let (ws, _response) = tungstenite::client(format!("ws://127.0.0.1:{port}/"), stream).unwrap();
    ws
}

/// Reads the next message, and shows it as a transcript line.
fn next(ws: &mut tungstenite::WebSocket<TcpStream>) -> String {
    match ws.read().unwrap() {
        Message::Text(text) => format!("text: {}", text.as_str()),
        Message::Binary(bytes) => format!("binary: {}", String::from_utf8_lossy(&bytes)),
        Message::Pong(bytes) => format!("pong: {}", String::from_utf8_lossy(&bytes)),
        Message::Close(Some(frame)) => {
            format!("close {} {:?}", u16::from(frame.code), frame.reason.as_str())
        }
        other => format!("{other:?}"),
    }
}

/// The conversation: text, binary that is not UTF-8, a ping, then the
/// close handshake. Returns what the client received, a line per message.
fn converse(port: u16) -> String {
    let mut ws = connect(port);
    let mut received = Vec::new();
    for message in [
        Message::text("你好 world"),
        Message::binary(Bytes::from_static(b"bin\xff")),
        Message::Ping(Bytes::from_static(b"are you there?")),
    ] {
        ws.send(message).unwrap();
        received.push(next(&mut ws));
    }
    ws.close(Some(CloseFrame { code: CloseCode::Normal, reason: "".into() })).unwrap();
    received.push(next(&mut ws));
    // The close handshake is complete: the server ends the connection.
    assert!(matches!(ws.read(), Err(tungstenite::Error::ConnectionClosed)));
    received.join("\n")
}

#[test]
fn rust_prints_and_sends_what_node_does() {
    if !node_available() {
        return;
    }
    let (node_printed, node_received) = printed_while(node_server(), converse, DISCONNECTED);
    let rust = rust_server(&["--lang", "zh", "--host", "::"]);
    let (rust_printed, rust_received) = printed_while(rust, converse, DISCONNECTED);
    assert_eq!(rust_printed, node_printed);
    assert_eq!(rust_received, node_received);
    // And what that is, so a change on both sides is still seen:
    insta::assert_snapshot!(format!(
        "--- printed ---\n{node_printed}--- received ---\n{node_received}\n"
    ));
}

/// Sends a text frame that is not UTF-8 and returns the close frame that
/// answers it.
fn send_invalid_utf8(port: u16) -> String {
    let mut ws = connect(port);
    let frame = Frame::message(Bytes::from_static(b"\xff\xfe"), OpCode::Data(Data::Text), true);
    ws.send(Message::Frame(frame)).unwrap();
    next(&mut ws)
}

#[test]
fn both_answer_invalid_utf8_with_1007_but_only_rust_survives_it() {
    if !node_available() {
        return;
    }
    let mut node = node_server();
    node.stderr(Stdio::null()); // its dying stack trace: the exit code says enough
    let mut node = Process::start(node);
    let node_port = node.port();
    let node_close = send_invalid_utf8(node_port);
    // Node's `ws` emits an `error` event the program does not handle: the
    // whole server dies, every other client with it.
    let (node_code, _printed) = node.finish();
    assert_ne!(node_code, Some(0));

    let mut rust = Process::start(rust_server(&["--lang", "zh"]));
    let rust_port = rust.port();
    let rust_close = send_invalid_utf8(rust_port);
    // The same code; Rust also gives a reason.
    assert_eq!(node_close, r#"close 1007 """#);
    assert_eq!(rust_close, r#"close 1007 "invalid UTF-8""#);
    rust.wait_for_line(DISCONNECTED);
    // The Rust server goes on serving.
    let mut ws = connect(rust_port);
    ws.send(Message::text("还在吗")).unwrap();
    assert_eq!(next(&mut ws), "text: 服务器已收到: 还在吗");
    drop(ws); // else stopping would wait for it to answer its close frame
    assert_eq!(rust.interrupt().0, Some(0));
}

/// Runs the npm `ws` client against `port`; returns what it printed.
fn ws_client(port: u16) -> String {
    let mut client = Command::new("node");
    client.arg(node_script("echo-client.js")).arg(port.to_string()).arg("hello 你好");
    client.stderr(Stdio::inherit());
    let (code, printed) = Process::start(client).with_patience(PATIENCE).finish();
    assert_eq!(code, Some(0), "{printed}");
    printed
}

#[test]
fn the_npm_ws_client_talks_to_every_rust_server_mode() {
    if !node_available() {
        return;
    }
    for mode in ["blocking", "async", "socket2"] {
        let mut server = Process::start(rust_server(&[mode]));
        let port = server.port();
        let printed = ws_client(port);
        assert_eq!(
            printed,
            "text: server received: hello 你好\n\
             text: server received: bin\u{fffd}\n\
             pong: are you there?\n\
             close 1000 \"\"\n",
            "{mode}"
        );
        server.wait_for_line("client disconnected");
        let (code, log) = server.interrupt();
        assert_eq!(code, Some(0), "{mode}: {log}");
        assert!(!log.contains("failed") && !log.contains("closing with"), "{mode}: {log}");
    }
}

#[test]
fn the_npm_ws_client_gets_the_same_from_rust_and_from_node() {
    if !node_available() {
        return;
    }
    let from = |command| {
        let mut server = Process::start(command);
        let printed = ws_client(server.port());
        server.wait_for_line(DISCONNECTED);
        server.interrupt();
        printed
    };
    assert_eq!(from(rust_server(&["--lang", "zh"])), from(node_server()));
}

#[test]
fn the_rust_client_talks_to_the_node_server() {
    if !node_available() {
        return;
    }
    let mut node = Process::start(node_server());
    let port = node.port();
    // The client's standard input, from a file: two lines, then its end,
    // which makes the client close with 1000.
    let input = format!("{}/client-input-for-node.txt", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&input, "你好\nsecond line\n").unwrap();
    let mut client = Command::new(env!("CARGO_BIN_EXE_lesson-01"));
    client.args(["client", "--lang", "zh", "--port", &port.to_string()]);
    client.stdin(std::fs::File::open(&input).unwrap());
    let (code, printed) = Process::start(client).with_patience(PATIENCE).finish();
    assert_eq!(code, Some(0), "{printed}");
    node.wait_for_line(DISCONNECTED);
    let (_code, node_printed) = node.interrupt();
    let port = port.to_string();
    let (client, node) = (printed.replace(&port, "PORT"), node_printed.replace(&port, "PORT"));
    assert!(
        client.ends_with("服务器已收到: second line\n服务器关闭了连接, 代码 1000\n"),
        "{client}"
    );
    insta::assert_snapshot!(format!(
        "--- the Rust client printed ---\n{client}--- the Node server printed ---\n{node}"
    ));
}
