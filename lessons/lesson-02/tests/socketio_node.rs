//! The Rust server beside the article's Node program, and npm's
//! `socket.io-client` against both. Needs `node` (and the packages of
//! `node/package-lock.json`, installed by `npm ci` there, which
//! `scripts/test-all` runs); under CI (`CI=true`) a missing `node` fails the
//! test instead of skipping it.

use std::process::Command;

use lesson_support::testing::{Process, node_available, skip};

const DISCONNECTED: &str = "客户端断开连接";

fn node_script(name: &str) -> String {
    format!("{}/node/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn node_server() -> Command {
    let mut node = Command::new("node");
    node.arg(node_script("chat-server.js")).arg("0");
    node
}

fn rust_server() -> Command {
    let mut rust = Command::new(env!("CARGO_BIN_EXE_lesson-02"));
    rust.args(["--port", "0", "--lang", "zh"]);
    rust
}

/// Runs `node/chat-clients.js` against `port`: `count` clients over
/// `transport`, the first sending `messages`. Returns what it printed.
fn chat_clients(port: u16, transport: &str, count: usize, messages: &[&str]) -> String {
    let mut clients = Command::new("node");
    clients.arg(node_script("chat-clients.js"));
    clients.args([&port.to_string(), transport, &count.to_string()]).args(messages);
    let (code, printed) = Process::start(clients).finish();
    assert_eq!(code, Some(0), "the clients failed:\n{printed}");
    printed
}

/// Starts `server`, lets two clients chat over `transport`, and returns the
/// server's log up to the second disconnection (the port redacted), and what
/// the clients printed.
fn chat(server: Command, transport: &str, messages: &[&str]) -> (String, String) {
    let mut server = Process::start(server);
    let port = server.port();
    let clients = chat_clients(port, transport, 2, messages);
    server.wait_for_line(DISCONNECTED);
    server.wait_for_line(DISCONNECTED);
    let log = server.printed().replace(&port.to_string(), "[PORT]");
    drop(server); // stopped by its drop: the Node program has no clean stop
    (log, clients)
}

#[test]
fn the_rust_server_prints_what_the_node_program_prints() {
    if !node_available() {
        return;
    }
    // A string, Chinese, JSON that JavaScript's `${msg}` writes its own way.
    let messages = ["hi", "你好", "42", "[1,null,\"a\"]", "{\"a\":1}", "null", "true"];
    let (node_log, node_clients) = chat(node_server(), "websocket", &messages);
    let (rust_log, rust_clients) = chat(rust_server(), "websocket", &messages);
    assert_eq!(rust_log, node_log);
    assert_eq!(rust_clients, node_clients);
    insta::assert_snapshot!(format!("--- log ---\n{rust_log}--- clients ---\n{rust_clients}"));
}

/// Every client, the sender included, receives every message, in order,
/// whichever way it connects; against the Rust server and, as a check of
/// the test itself, against the Node program.
#[test]
fn socket_io_clients_chat_over_every_transport() {
    if !node_available() {
        return;
    }
    for (name, server) in [("rust", rust_server as fn() -> Command), ("node", node_server)] {
        for (transport, ends_on) in
            [("upgrade", "websocket"), ("websocket", "websocket"), ("polling", "polling")]
        {
            let mut running = Process::start(server());
            let port = running.port();
            let printed = chat_clients(port, transport, 3, &["one", "two", "three"]);
            let expected: String = (0..3)
                .map(|n| {
                    format!("client {n} over {ends_on} received: [\"one\",\"two\",\"three\"]\n")
                })
                .collect();
            assert_eq!(printed, expected, "{name} server, {transport}");
            drop(running);
        }
    }
}

/// The client script the page loads is the pinned npm package's own file.
#[test]
fn the_committed_client_script_is_the_npm_packages() {
    let dist = node_script("node_modules/socket.io-client/dist/socket.io.min.js");
    let Ok(npm) = std::fs::read(&dist) else {
        skip("npm packages", "node/node_modules is missing: ./scripts/test-all runs npm ci there");
        return;
    };
    assert!(
        npm == lesson_02::socketio::page::CLIENT_SCRIPT,
        "page/socket.io.min.js differs from {dist}"
    );
}
