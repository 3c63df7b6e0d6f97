//! Several lesson-02 processes, one chat: `--redis URL` puts socketioxide's
//! Redis adapter under `io.emit`. Needs `redis-server` (Debian's package,
//! installed by `scripts/test-all`), and `node` for the npm clients' test;
//! under CI (`CI=true`) a missing one fails the tests that need it instead
//! of skipping them.

mod redis_support;
mod socketio_support;

use std::process::Command;

use lesson_support::testing::{Process, node_available, redis_available};
use redis_support::{
    BACK, Scratch, TwoChats, chat_on, lesson, probe, redis_server, say, say_after, stop,
    stop_after_one_outage, stop_redis, two_chats,
};
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
    stop_redis(redis).await;
}

/// Redis stops mid-chat: each process goes on serving its own clients, and
/// says once (not once per message) that it has lost Redis. Redis comes
/// back: each process says so once, and messages cross again, exactly once
/// each, without restarting either chat. What was said while Redis was away
/// stayed on its own side: Redis pub/sub keeps nothing for later.
#[tokio::test]
async fn when_redis_stops_each_process_keeps_its_own_clients_and_when_it_returns_they_join_again() {
    if !redis_available() {
        return;
    }
    let TwoChats { redis, mut a, mut b, mut clients, a_addr, scratch } =
        two_chats("redis-returns").await;
    say(&mut clients, 0, r#""before""#, &[0, 1, 2, 3]).await;
    stop_redis(redis).await;

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

    // The same Redis, on the same path, as after a restart. Each process
    // finds it by itself, and says so.
    let (redis, _) = redis_server(&scratch);
    a.wait_for_line(BACK);
    b.wait_for_line(BACK);
    let probes = probe(&mut clients, 0, 2, &[]).await;
    let everyone = [0, 1, 2, 3, 4];
    say_after(&mut clients, 0, r#""A and B again""#, &everyone, probes, &[]).await;
    // The next packet each client gets is the next message, from B this
    // time: not a second copy, not a message from while Redis was away.
    say(&mut clients, 2, r#""B and A again""#, &everyone).await;

    for server in [a, b] {
        stop_after_one_outage(server).await;
    }
    drop(clients);
    stop_redis(redis).await;
}

/// One chat process dies at once (SIGKILL: no goodbye to anyone): the other
/// one's clients go on chatting, each message once, and its log says
/// nothing of it: Redis simply stops sending to the dead subscriber.
#[tokio::test]
async fn when_one_process_dies_the_clients_of_the_other_are_unaffected() {
    if !redis_available() {
        return;
    }
    let TwoChats { redis, a, b, mut clients, .. } = two_chats("redis-one-dies").await;
    say(&mut clients, 0, r#""before""#, &[0, 1, 2, 3]).await;
    a.signal("-KILL");
    let (code, _) = tokio::task::spawn_blocking(|| a.finish()).await.unwrap();
    assert_eq!(code, None, "A ends by the signal");

    say(&mut clients, 2, r#""A is gone""#, &[2, 3]).await;
    say(&mut clients, 3, r#""B goes on""#, &[2, 3]).await;
    say(&mut clients, 2, r#""still here""#, &[2, 3]).await;

    drop(clients);
    let printed = stop(b).await;
    let expected = [
        "Socket.IO server listening on port ",
        "new client connected",
        "received: ",
        "client disconnected",
        "shutting down: ",
        "server stopped",
    ];
    for line in printed.lines() {
        assert!(expected.iter().any(|start| line.starts_with(start)), "{line:?} in:\n{printed}");
    }
    stop_redis(redis).await;
}

/// Redis hangs (SIGSTOP: its connections stay open, nothing answers). A
/// publish then never answers: the driver gives up after its timeout, and
/// each process goes on delivering to its own clients, the message whose
/// publish timed out and those after it. When Redis runs again (SIGCONT), it
/// reads what was waiting in its sockets: the timed-out publish may still
/// reach the other process, late; the messages after it were never sent.
#[tokio::test]
async fn when_redis_hangs_each_process_keeps_delivering_to_its_own_clients() {
    if !redis_available() {
        return;
    }
    let TwoChats { redis, mut a, mut b, mut clients, .. } = two_chats("redis-hangs").await;
    say(&mut clients, 0, r#""before""#, &[0, 1, 2, 3]).await;
    redis.signal("-STOP");
    // Resumed however this test ends: a Redis left stopped would keep the
    // test's processes from ever finishing (its drop kills it anyway).
    let resume = Resume(&redis);

    say(&mut clients, 0, r#""A, Redis hung""#, &[0, 1]).await;
    say(&mut clients, 1, r#""A, still hung""#, &[0, 1]).await;
    say(&mut clients, 2, r#""B, Redis hung""#, &[2, 3]).await;
    say(&mut clients, 3, r#""B, still hung""#, &[2, 3]).await;
    drop(resume);

    a.wait_for_line(BACK);
    b.wait_for_line(BACK);
    let late = [r#""A, Redis hung""#, r#""B, Redis hung""#];
    let probes = probe(&mut clients, 0, 2, &late).await;
    let everyone = [0, 1, 2, 3];
    say_after(&mut clients, 0, r#""after the hang""#, &everyone, probes, &late).await;
    say(&mut clients, 2, r#""and again""#, &everyone).await;

    for server in [a, b] {
        stop_after_one_outage(server).await;
    }
    drop(clients);
    stop_redis(redis).await;
}

/// Sends SIGCONT to a stopped Redis when dropped.
struct Resume<'a>(&'a Process);

impl Drop for Resume<'_> {
    fn drop(&mut self) {
        self.0.signal("-CONT");
    }
}

/// npm's `socket.io-client` v4, the client of browsers and Node programs,
/// on both processes: one message from a client of A reaches every client
/// of A and B exactly once, the sender included, over every transport.
#[test]
fn socket_io_clients_on_two_processes_receive_each_message_once() {
    if !redis_available() || !node_available() {
        return;
    }
    let scratch = Scratch::new("redis-npm");
    let (redis, url) = redis_server(&scratch);
    let (a, a_addr) = chat_on(&url);
    let (b, b_addr) = chat_on(&url);
    let ports = format!("{},{}", a_addr.port(), b_addr.port());
    for transport in ["upgrade", "websocket", "polling"] {
        // Clients 0 and 2 on A, 1 and 3 on B; client 0 sends.
        let mut clients = Command::new("node");
        clients.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/node/chat-clients.js"));
        clients.args([&ports, transport, "4", "one", "two"]);
        let (code, printed) = Process::start(clients).finish();
        assert_eq!(code, Some(0), "the clients failed:\n{printed}");
        // A second copy of "one" would come before "two": Redis delivers a
        // channel's messages in order.
        let expected: String = (0..4)
            .map(|n| {
                format!("client {n} over {} received: [\"one\",\"two\"]\n", ends_on(transport))
            })
            .collect();
        assert_eq!(printed, expected, "{transport}");
    }
    // Each process logs what its own clients sent: A two messages a run.
    for (server, received) in [(a, 6), (b, 0)] {
        let (code, printed) = server.interrupt();
        assert_eq!(code, Some(0), "{printed}");
        assert_eq!(printed.matches("received: ").count(), received, "{printed}");
    }
    let (code, _) = redis.interrupt();
    assert_eq!(code, Some(0), "redis-server must stop on SIGINT");
}

/// The transport a socket.io-client ends on.
fn ends_on(transport: &str) -> &str {
    if transport == "polling" { "polling" } else { "websocket" }
}

/// Runs lesson-02 on `url`, where it cannot join Redis: it must refuse
/// before the chat listens, with exit 2 and one line that names the URL.
/// Returns what the line says after the URL.
fn refused(url: &str) -> String {
    let output = lesson(&["--port", "0", "--redis", url]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let prefix = format!("error: connecting to Redis at {url}: ");
    assert!(stderr.starts_with(&prefix), "{stderr}");
    stderr[prefix.len()..].to_owned()
}

/// No Redis where the URL points: the line says what to start.
#[test]
fn without_redis_one_line_says_what_to_start_and_the_exit_code_is_2() {
    let scratch = Scratch::new("no-redis");
    let said = refused(&format!("redis+unix://{}", scratch.0.join("nothing.sock").display()));
    assert!(said.contains("start one with `redis-server`"), "{said}");
    assert!(said.contains("apt-get install redis-server"), "{said}");
}

/// A URL that is not Redis's: the line shows how one is written, and does
/// not send the user to start a Redis that would not help.
#[test]
fn a_url_that_is_not_a_redis_url_is_called_so() {
    // No scheme, another scheme, a port past 65535, nothing: none parses,
    // so nothing is connected to, whatever the ports say.
    for url in ["localhost:6379", "http://127.0.0.1:6379", "redis://127.0.0.1:99999", ""] {
        let said = refused(url);
        assert!(said.ends_with("not a Redis URL: write redis://HOST:PORT, or redis+unix:///PATH for a Unix socket\n"), "{url}: {said}");
    }
}

/// Something listens where the URL points, but it is not Redis (here, a
/// web server's answer): the line says so, on one line, though the error
/// redis gives for it spans several.
#[test]
fn a_server_that_is_not_redis_is_called_so() {
    let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).unwrap();
    let url = format!("redis://{}", listener.local_addr().unwrap());
    let web = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0; 1024];
        let _ = stream.read(&mut request);
        stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n").unwrap();
    });
    let said = refused(&url);
    assert!(
        said.ends_with("what answers there is not a Redis server of version 6 or later\n"),
        "{said}"
    );
    web.join().unwrap();
}

/// Something takes the connection and never answers (a Redis stopped with
/// SIGSTOP looks like this): the chat gives up after its connect timeout,
/// and says that it got no answer, not that nothing is there.
#[test]
fn a_server_that_never_answers_is_called_so() {
    let listener = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).unwrap();
    let said = refused(&format!("redis://{}", listener.local_addr().unwrap()));
    assert!(said.ends_with("gave no answer in time: is Redis busy or stopped?\n"), "{said}");
}

/// The hand-built chats have no adapter: `--redis` is refused for them as
/// a usage error (clap's exit code 2), before anything starts.
#[test]
fn the_hand_built_modes_refuse_redis() {
    for mode in ["blocking", "async", "socket2", "client"] {
        // Refused before any connection: the path need not exist.
        let url = "redis+unix:///nonexistent/redis.sock";
        let output = lesson(&[mode, "--redis", url]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{mode}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: --redis applies only to the socketio mode"), "{stderr}");
    }
}
