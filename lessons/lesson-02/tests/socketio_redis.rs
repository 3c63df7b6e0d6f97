//! Several lesson-02 processes, one chat: `--redis URL` puts socketioxide's
//! Redis adapter under `io.emit`. Needs `redis-server` (Debian's package,
//! installed by `scripts/test-all`); under CI (`CI=true`) a missing one fails
//! the tests that need it instead of skipping them.

mod redis_support;
mod socketio_support;

use lesson_support::testing::redis_available;
use redis_support::{Scratch, TwoChats, lesson, say, stop, two_chats};
use socketio_support::Sio;

/// One message from a client of A reaches every client of A and of B, the
/// sender included, exactly once: the next chat packet each client gets
/// after it is the one B's client sends next, not a second copy. (Redis
/// delivers a channel's messages in the order they were published, and
/// the second message is published after every client has the first.)
#[tokio::test]
async fn a_message_reaches_the_clients_of_both_processes_exactly_once() {
    if !redis_available() {
        return;
    }
    let TwoChats { redis, a, b, mut clients, .. } = two_chats("redis-chat").await;
    let everyone = [0, 1, 2, 3];
    say(&mut clients, 0, r#""hi from A""#, &everyone).await;
    say(&mut clients, 2, r#""hi from B""#, &everyone).await;

    // Each process logs the messages its own clients sent, only those.
    for (server, own) in [(a, "received: hi from A"), (b, "received: hi from B")] {
        let printed = stop(server).await;
        assert_eq!(printed.matches("received: ").count(), 1, "{printed}");
        assert!(printed.contains(own), "{printed}");
    }
    drop(clients);
    let (code, _) = tokio::task::spawn_blocking(|| redis.interrupt()).await.unwrap();
    assert_eq!(code, Some(0), "redis-server must stop on SIGINT");
}

/// Redis stops mid-chat: each process goes on serving its own clients, and
/// says once (not once per message) that it has lost Redis.
#[tokio::test]
async fn when_redis_stops_each_process_keeps_its_own_clients_and_says_so_once() {
    if !redis_available() {
        return;
    }
    let TwoChats { redis, a, b, mut clients, a_addr, .. } = two_chats("redis-stops").await;
    say(&mut clients, 0, r#""before""#, &[0, 1, 2, 3]).await;
    let (code, _) = tokio::task::spawn_blocking(|| redis.interrupt()).await.unwrap();
    assert_eq!(code, Some(0), "redis-server must stop on SIGINT");

    clients.push(Sio::join(a_addr).await); // [4]: joins A after the loss
    // Two messages at once: the second must not wait on the lost Redis.
    clients[0].chat(r#""A alone""#).await;
    say(&mut clients, 0, r#""A still alone""#, &[]).await;
    for client in [0, 1, 4] {
        for msg in ["A alone", "A still alone"] {
            let expected = format!(r#"42["chat message","{msg}"]"#);
            assert_eq!(clients[client].next_text().await, expected);
        }
    }
    say(&mut clients, 3, r#""B alone""#, &[2, 3]).await;
    say(&mut clients, 2, r#""B still alone""#, &[2, 3]).await;

    for server in [a, b] {
        let printed = stop(server).await;
        assert_eq!(printed.matches("lost Redis").count(), 1, "{printed}");
    }
}

/// No Redis where the URL points: one line saying what to start, exit 2,
/// before the chat listens.
#[test]
fn without_redis_one_line_says_what_to_start_and_the_exit_code_is_2() {
    let scratch = Scratch::new("no-redis");
    let url = format!("redis+unix://{}", scratch.0.join("nothing.sock").display());
    let output = lesson(&["--port", "0", "--redis", &url]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with(&format!("error: connecting to Redis at {url}: ")), "{stderr}");
    assert!(stderr.contains("start one with `redis-server`"), "{stderr}");
    assert!(stderr.contains("apt-get install redis-server"), "{stderr}");
}

/// The hand-built chats have no adapter: `--redis` is refused for them as
/// a usage error (clap's exit code 2), before anything starts.
#[test]
fn the_hand_built_modes_refuse_redis() {
    for mode in ["blocking", "async", "socket2", "client"] {
        let output = lesson(&[mode, "--redis", "redis://127.0.0.1:6379"]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{mode}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: --redis applies only to the socketio mode"), "{stderr}");
    }
}
