//! What UDP does not promise, each shown by a test: datagrams keep their
//! boundaries (that one it does promise), but a datagram may be cut to fit
//! the buffer, may be too large to send at all, may be lost or reordered,
//! and the sender is not told that nobody is listening.

mod common;

use std::io;
use std::net::UdpSocket;

use common::{Client, redact, start, start_with_buffer};
use lesson_04::relay::{Plan, Relay, Script};
use lesson_04::{MAX_IPV4_PAYLOAD, messages};
use lesson_support::testing::{PATIENCE, SERVER_MODES};
use lesson_support::{Lang, Log, Mode};

/// The log lines that report a datagram.
fn received_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| line.starts_with("received: ") || line.starts_with("  (truncated"))
        .collect()
}

#[tokio::test]
async fn datagrams_keep_their_boundaries() {
    // Sent back to back, without waiting for replies: over TCP these could
    // arrive as one chunk (lesson-03). Over UDP, three sends are three
    // datagrams, received as three, however fast they come.
    for server in SERVER_MODES {
        let mut running = start(server, Lang::En).await;
        let client = Client::new(running.addr).await;
        for datagram in [&b"hel"[..], b"lo", b"one\ntwo"] {
            client.send(datagram).await;
        }
        for _ in 0..3 {
            assert_eq!(client.recv().await, "Hello, UDP client");
        }
        running.log.wait_until(|line| line.starts_with("received: one\\ntwo from")).await;
        let log = running.stop().await;
        let three = "received: hel from 127.0.0.1:[CLIENT-PORT]\n\
                     received: lo from 127.0.0.1:[CLIENT-PORT]\n\
                     received: one\\ntwo from 127.0.0.1:[CLIENT-PORT]\n";
        assert!(log.contains(three), "{server:?}: {log}");
    }
}

#[tokio::test]
async fn a_datagram_longer_than_the_buffer_is_cut_and_only_socket2_can_tell() {
    let mut logs = String::new();
    for server in SERVER_MODES {
        let running = start_with_buffer(server, Lang::En, 8).await;
        let client = Client::new(running.addr).await;
        assert_eq!(client.ask(b"0123456789abcdef").await, "Hello, UDP client");
        assert_eq!(client.ask(b"next").await, "Hello, UDP client");
        let log = running.stop().await;
        logs.push_str(&format!("--- {server:?}, an 8-byte buffer ---\n"));
        for line in received_lines(&log) {
            logs.push_str(line);
            logs.push('\n');
        }
    }
    insta::assert_snapshot!(logs);
}

#[test]
fn the_largest_ipv4_datagram_is_65507_bytes() {
    assert_eq!(MAX_IPV4_PAYLOAD, 65507);
    let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
    receiver.set_read_timeout(Some(PATIENCE)).unwrap();
    let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
    sender.connect(receiver.local_addr().unwrap()).unwrap();

    assert_eq!(sender.send(&[b'x'; 65507]).unwrap(), 65507);
    let mut buffer = vec![0; lesson_04::DATAGRAM_BUFFER];
    assert_eq!(receiver.recv(&mut buffer).unwrap(), 65507);

    let error = sender.send(&[b'x'; 65508]).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(90), "EMSGSIZE, got {error}");
    assert_eq!(error.to_string(), "Message too long (os error 90)");
}

#[tokio::test]
async fn nothing_tells_an_unconnected_sender_that_the_server_is_gone() {
    let running = start(Mode::Async, Lang::En).await;
    let server = running.addr;
    running.stop().await; // the port is closed now

    // Something alive, to show what the sockets receive next.
    let alive = UdpSocket::bind("127.0.0.1:0").unwrap();
    let alive_addr = alive.local_addr().unwrap();
    let mut report = String::new();

    // Unconnected, as the Node server's own socket is: `send_to` succeeds,
    // and the kernel's ICMP "port unreachable" is dropped unseen.
    let unconnected = UdpSocket::bind("127.0.0.1:0").unwrap();
    unconnected.set_read_timeout(Some(PATIENCE)).unwrap();
    let sent = unconnected.send_to(b"hello?", server);
    report.push_str(&format!("unconnected send_to the stopped server: {sent:?}\n"));
    alive.send_to(b"from elsewhere", unconnected.local_addr().unwrap()).unwrap();
    let mut buffer = [0; 64];
    let next = unconnected
        .recv_from(&mut buffer)
        .map(|(n, from)| (String::from_utf8_lossy(&buffer[..n]).into_owned(), from == alive_addr));
    report
        .push_str(&format!("unconnected, what it receives next: {next:?} (no error came first)\n"));

    // Connected: the kernel matches the ICMP error to the socket and reports
    // it on the next call. Only on a network that delivers ICMP, and only
    // after the fact: the send itself still succeeded.
    let connected = UdpSocket::bind("127.0.0.1:0").unwrap();
    connected.set_read_timeout(Some(PATIENCE)).unwrap();
    connected.connect(server).unwrap();
    let sent = connected.send(b"hello?");
    report.push_str(&format!("connected send to the stopped server: {sent:?}\n"));
    let next = connected.recv(&mut buffer).map_err(|e| e.kind());
    report.push_str(&format!("connected, what it receives next: {next:?}\n"));
    assert_eq!(next, Err(io::ErrorKind::ConnectionRefused));

    insta::assert_snapshot!(report);
}

#[tokio::test]
async fn a_lossy_relay_drops_the_second_and_swaps_the_third_and_fourth() {
    let mut running = start(Mode::Async, Lang::En).await;
    let (relay_log, mut relay_transcript) = Log::capture();
    let plan = Plan { to_server: "drop 2, hold 3".parse().unwrap(), to_client: Script::new() };
    let relay = Relay::start(running.addr, plan, relay_log).unwrap();
    let client = Client::new(relay.addr).await;
    for datagram in ["1", "2", "3", "4"] {
        client.send(datagram.as_bytes()).await;
    }
    // Three replies: the client cannot know which datagram was lost.
    for _ in 0..3 {
        assert_eq!(client.recv().await, "Hello, UDP client");
    }
    running.log.wait_until(|line| line.starts_with("received: 3 ")).await;
    relay_transcript.wait_for("relay: server→client #3 forwarded").await;
    drop(relay);
    let server_log = running.stop().await;
    // Each direction's lines are in a fixed order; how the two directions
    // interleave depends on timing, so they are shown apart.
    let relay_log = relay_transcript.text();
    let direction = |prefix: &str| -> String {
        relay_log
            .lines()
            .filter(|line| line.starts_with(prefix))
            .map(|line| format!("{line}\n"))
            .collect()
    };
    insta::assert_snapshot!(format!(
        "--- relay, towards the server ---\n{}--- relay, towards the client ---\n{}--- server log ---\n{server_log}",
        direction("relay: client→server"),
        direction("relay: server→client"),
    ));
}

#[tokio::test]
async fn the_node_servers_reply_amplifies_a_tiny_request() {
    let running = start(Mode::Async, Lang::Zh).await;
    let client = Client::new(running.addr).await;
    let reply = client.ask(b"").await;
    assert_eq!(reply, messages::reply(Lang::Zh));
    // 0 bytes in, 22 bytes out: whoever the source address names gets them.
    assert_eq!(reply.len(), 22);
    let log = running.stop().await;
    assert!(log.contains("收到消息:  来自 127.0.0.1:[CLIENT-PORT]\n"), "{log}");
}

#[test]
fn redaction_keeps_the_text_and_hides_the_ports() {
    assert_eq!(
        redact("listening on 127.0.0.1:4000\nfrom 127.0.0.1:5000\nplain\n", 4000),
        "listening on 127.0.0.1:[PORT]\nfrom 127.0.0.1:[CLIENT-PORT]\nplain\n"
    );
}

#[test]
fn a_relay_script_reads_like_a_sentence() {
    use lesson_04::relay::Fate;
    let script: Script = "drop 2, hold 3".parse().unwrap();
    let fates: Vec<Fate> = (1..=4).map(|n| script.fate(n)).collect();
    assert_eq!(fates, [Fate::Forward, Fate::Drop, Fate::Hold, Fate::Forward]);
    let everything: Script = "drop all".parse().unwrap();
    assert_eq!(everything.fate(1_000), Fate::Drop);
    assert_eq!(
        "lose 2".parse::<Script>(),
        Err("`lose 2`: expected `drop N`, `hold N` or `drop all`".to_string())
    );
    assert!("drop 0".parse::<Script>().is_err(), "datagrams are numbered from 1");
}

#[test]
fn with_so_reuseaddr_a_second_socket_takes_the_first_ones_datagrams() {
    // Why the socket2 server leaves SO_REUSEADDR off: two UDP sockets that
    // both set it may bind the same port, and Linux then hands unicast
    // datagrams to the one bound last. Nobody is told.
    let reusable = || {
        let socket =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::DGRAM, None).unwrap();
        socket.set_reuse_address(true).unwrap();
        socket
    };
    let first = reusable();
    first.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)).into()).unwrap();
    let addr = first.local_addr().unwrap();
    let second = reusable();
    second.bind(&addr).expect("SO_REUSEADDR on both: the same port binds twice");
    let (first, second): (UdpSocket, UdpSocket) = (first.into(), second.into());
    for socket in [&first, &second] {
        socket.set_read_timeout(Some(PATIENCE)).unwrap();
    }

    let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
    sender.send_to(b"for the first server", addr.as_socket().unwrap()).unwrap();
    let mut buffer = [0; 64];
    let n = second.recv(&mut buffer).expect("the second socket receives it");
    assert_eq!(&buffer[..n], b"for the first server");
    first.set_nonblocking(true).unwrap();
    assert_eq!(first.recv(&mut buffer).unwrap_err().kind(), io::ErrorKind::WouldBlock);
}
