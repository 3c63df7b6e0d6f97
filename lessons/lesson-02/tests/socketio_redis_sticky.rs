//! Why long-polling needs sticky sessions behind a load balancer, shown with
//! real HTTP requests to two lesson-02 processes on one Redis. An engine.io
//! session lives in the process that opened it; Redis carries broadcasts,
//! not sessions. A long-polling client makes a new HTTP request for every
//! poll and every message; a balancer that sends one of them to the other
//! process gets socket.io's "Session ID unknown". A WebSocket client makes
//! one request and then keeps its connection, which stays wherever the
//! balancer first put it. Needs `redis-server`, as `socketio_redis.rs` says.

mod redis_support;
mod socketio_support;

use lesson_support::testing::redis_available;
use redis_support::{Scratch, chat_on, redis_server, stop};
use socketio_support::{Sio, http, redact_sids};

/// The session id in engine.io's open packet `0{"sid":"…",…}`.
fn sid_of(open: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(&open[1..]).expect("an open packet");
    value["sid"].as_str().expect("a sid").to_owned()
}

#[tokio::test]
async fn a_polling_session_opened_on_one_process_is_unknown_to_the_other() {
    if !redis_available() {
        return;
    }
    let scratch = Scratch::new("redis-sticky");
    let (_redis, url) = redis_server(&scratch);
    let (a, a_addr) = chat_on(&url);
    let (b, b_addr) = chat_on(&url);

    // What socket.io-client does first over long-polling: a GET opens the
    // session on A, a POST joins the chat. The balancer then sends the
    // POST of the first message, and the next poll, to B.
    let (status, open) = http(a_addr, "GET", "", "").await;
    let mut transcript =
        format!("GET to A ?EIO=4&transport=polling\n  {status}\n  {}\n", redact_sids(&open));
    let query = format!("&sid={}", sid_of(&open));
    let steps = [
        ("A", a_addr, "POST", "40"),
        ("B", b_addr, "POST", r#"42["chat message","hi"]"#),
        ("B", b_addr, "GET", ""),
    ];
    for (to, addr, method, body) in steps {
        let (status, answer) = http(addr, method, &query, body).await;
        transcript += &format!("{method} to {to} ?EIO=4&transport=polling&sid=[SID]");
        if !body.is_empty() {
            transcript += &format!(" with {body}");
        }
        transcript += &format!("\n  {status}\n  {answer}\n");
    }
    insta::assert_snapshot!(transcript);

    // A still has the session: the same POST, sent where it belongs, is
    // taken; and B's client gets the message, through Redis.
    let mut on_b = Sio::join(b_addr).await;
    let message = r#"42["chat message","hi"]"#;
    assert_eq!(
        http(a_addr, "POST", &query, message).await,
        ("HTTP/1.1 200 OK".into(), "ok".into())
    );
    assert_eq!(on_b.next_text().await, message);
    drop(on_b);
    stop(a).await;
    stop(b).await;
}
