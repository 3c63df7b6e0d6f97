//! The browser page (`page/index.html`) in Debian's headless Chromium,
//! against the real binary: `browser/drive-page.js` opens the page from
//! file://, clicks and types as a learner would, and prints the page's log;
//! these tests assert what the page shows. Needs `node`, `/usr/bin/chromium`
//! and the repository's puppeteer-core (see
//! [`lesson_support::testing::browser_available`]); under CI (`CI=true`) a
//! missing one fails the test instead of skipping it.

use std::net::{Ipv4Addr, TcpListener};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use lesson_support::testing::{Process, browser_available};

/// Starting Chromium can take seconds on a loaded machine; each of the
/// driver's own steps is bounded by less than this.
const PATIENCE: Duration = Duration::from_secs(40);

fn server(args: &[&str]) -> Process {
    let mut server = Command::new(env!("CARGO_BIN_EXE_lesson-01"));
    server.args(["--port", "0"]).args(args);
    Process::start(server).with_patience(PATIENCE)
}

/// One browser at a time: starting Chromium takes a core, and several at
/// once on a small machine would make every step slow.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// Waits for the browser to be free. A test that failed while holding it
/// poisons it, which says nothing about the browser: go on.
fn one_browser() -> MutexGuard<'static, ()> {
    ONE_BROWSER.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts the driver on the page pointed at `port`, doing `steps`.
fn page(port: u16, steps: &[&str]) -> Process {
    let mut driver = Command::new("node");
    driver
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/browser/drive-page.js"))
        .arg(format!("port={port}"))
        .args(steps)
        .stderr(Stdio::inherit());
    Process::start(driver).with_patience(PATIENCE)
}

/// Waits for the driver to finish its steps; returns what the page showed,
/// with the port replaced by `PORT`.
fn shown(page: Process, port: u16) -> String {
    let (code, printed) = page.finish();
    assert_eq!(code, Some(0), "the driver failed; the page showed:\n{printed}");
    printed.replace(&format!(":{port}/"), ":PORT/")
}

#[test]
fn the_page_talks_to_every_server_mode_and_shows_close_1000() {
    if !browser_available() {
        return;
    }
    let _browser = one_browser();
    for mode in ["blocking", "async", "socket2"] {
        let mut server = server(&[mode]);
        let port = server.port();
        let steps = [
            "connect",
            "wait:open",
            "send:hello 你好",
            "wait:received",
            "disconnect",
            "wait:close",
        ];
        assert_eq!(
            shown(page(port, &steps), port),
            "open: ws://127.0.0.1:PORT/\n\
             sent: hello 你好\n\
             received: server received: hello 你好\n\
             close: code 1000, reason \"\"\n",
            "{mode}"
        );
        server.wait_for_line("client disconnected");
        let (code, log) = server.interrupt();
        assert_eq!(code, Some(0), "{mode}: {log}");
        assert!(log.contains("received: hello 你好\n"), "{mode}: {log}");
    }
}

#[test]
fn the_page_shows_an_error_and_1006_when_no_server_listens() {
    if !browser_available() {
        return;
    }
    let _browser = one_browser();
    // A port that was free a moment ago, and has nobody listening now.
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port();
    assert_eq!(
        shown(page(port, &["connect", "wait:close"]), port),
        "error: the connection failed\nclose: code 1006, reason \"\"\n"
    );
}

#[test]
fn the_page_shows_the_server_stopping_mid_conversation() {
    if !browser_available() {
        return;
    }
    let _browser = one_browser();
    let mut server = server(&[]);
    let port = server.port();
    let mut page =
        page(port, &["connect", "wait:open", "send:anyone?", "wait:received", "wait:close"]);
    page.wait_for_line("received: server received: anyone?");
    // Ctrl-C while the page is connected: the page must see the close frame.
    let (code, _log) = server.interrupt();
    assert_eq!(code, Some(0));
    assert_eq!(
        shown(page, port),
        "open: ws://127.0.0.1:PORT/\n\
         sent: anyone?\n\
         received: server received: anyone?\n\
         close: code 1001, reason \"server shutting down\"\n"
    );
}

#[test]
fn the_page_gets_a_reply_at_the_size_limit_and_close_1009_one_byte_over() {
    if !browser_available() {
        return;
    }
    let _browser = one_browser();
    let mut server = server(&[]);
    let port = server.port();
    let limit = lesson_01::protocol::MAX_MESSAGE;
    let (at_limit, over) = (format!("send-long:{limit}"), format!("send-long:{}", limit + 1));
    let steps = ["connect", "wait:open", &at_limit, "wait:received", &over, "wait:close"];
    let reply = "server received: ".len() + limit;
    assert_eq!(
        shown(page(port, &steps), port),
        format!(
            "open: ws://127.0.0.1:PORT/\n\
             sent: {limit} characters\n\
             received: {reply} characters\n\
             sent: {} characters\n\
             close: code 1009, reason \"message over 65536 bytes\"\n",
            limit + 1
        )
    );
    server.wait_for_line("client disconnected");
    assert_eq!(server.interrupt().0, Some(0));
}
