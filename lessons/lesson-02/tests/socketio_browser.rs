//! The browser chat: two pages of Debian's headless Chromium, driven by
//! `node/browser-chat.js` (puppeteer-core), chat through the real binary.
//! Needs `node`, the book check's npm packages and `chromium`; outside CI a
//! missing one skips the test, under CI (`CI=true`) it fails it.

use std::path::Path;
use std::process::Command;

use lesson_support::testing::{Process, node_available, skip};

const CHROMIUM: &str = "/usr/bin/chromium";

fn tools_available() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.into());
    let puppeteer =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../tools/book-check/node_modules/puppeteer-core");
    node_available()
        && (Path::new(&chromium).exists()
            || skip("chromium", "chromium is missing: ./scripts/test-all installs it"))
        && (Path::new(puppeteer).exists()
            || skip(
                "puppeteer-core",
                "tools/book-check/node_modules is missing: ./scripts/test-all runs npm ci there",
            ))
}

#[test]
fn a_message_typed_in_one_page_appears_in_both() {
    if !tools_available() {
        return;
    }
    let mut server = Command::new(env!("CARGO_BIN_EXE_lesson-02"));
    server.args(["--port", "0"]);
    let mut server = Process::start(server);
    let port = server.port();

    let mut browser = Command::new("node");
    browser.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/node/browser-chat.js"));
    browser.args([&format!("http://127.0.0.1:{port}/"), "hello <b>from</b> page 1"]);
    let (code, printed) = Process::start(browser).finish();
    assert_eq!(code, Some(0), "the browser run failed:\n{printed}");
    // The markup stays text, in both pages; the sender's input is emptied.
    let shown = r#"{"status":"connected","messages":["hello <b>from</b> page 1"],"input":""}"#;
    assert_eq!(printed, format!("page 1: {shown}\npage 2: {shown}\n"));

    server.wait_for_line("received: hello <b>from</b> page 1");
    let (code, _) = server.interrupt();
    assert_eq!(code, Some(0));
}
