//! # Exercise 3: stop-and-wait
//! Book: lesson-04, "Exercise 3: stop-and-wait"

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use lesson_04::relay::{Plan, Relay, Script};
use lesson_support::Log;
use lesson_support::conversation::Conversation;

use crate::answer::{Accepted, Receiver, send_reliably};
use crate::sockets::{PATIENCE, udp};

/// A receiving peer on its own thread: `answer` decides what to do with every
/// datagram, and its acknowledgements are sent back.
struct Peer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Seen>,
}

/// What a peer saw, once stopped.
struct Seen {
    /// The messages it delivered, as text.
    delivered: Vec<String>,
    /// How many datagrams reached it.
    datagrams: u32,
}

fn start_peer(mut answer: impl FnMut(&[u8]) -> Accepted + Send + 'static) -> Peer {
    let socket = udp();
    // The peer looks at `stop` this often while no datagram comes.
    socket.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let addr = socket.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    // Started on the check's thread, so the transcript takes the check's name.
    let talk = Conversation::new();
    let thread = thread::spawn(move || {
        let mut seen = Seen { delivered: Vec::new(), datagrams: 0 };
        let mut buffer = [0; 2048];
        while !stopping.load(Ordering::SeqCst) {
            let Ok((n, from)) = socket.recv_from(&mut buffer) else {
                continue;
            };
            seen.datagrams += 1;
            talk.received_datagram("peer", &buffer[..n]);
            let accepted = answer(&buffer[..n]);
            if let Some(message) = accepted.deliver.as_deref() {
                talk.note("peer", format!("delivers {:?}", text(message)));
            }
            seen.delivered.extend(accepted.deliver.as_deref().map(text));
            if let Some(ack) = accepted.ack {
                talk.sent_datagram("peer", &ack);
                socket.send_to(&ack, from).unwrap();
            }
        }
        seen
    });
    Peer { addr, stop, thread }
}

impl Peer {
    fn stop(self) -> Seen {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().unwrap()
    }
}

/// Bytes that are text, shown as text.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What `Receiver::accept` decided, readably: the message delivered, as
/// text, and the number acknowledged.
fn decided(accepted: Accepted) -> (Option<String>, Option<u32>) {
    (accepted.deliver.as_deref().map(text), accepted.ack.map(u32::from_be_bytes))
}

/// A data datagram: the number, then the message.
fn data(number: u32, message: &[u8]) -> Vec<u8> {
    [&number.to_be_bytes()[..], message].concat()
}

/// Sends `messages` through a relay following `plan` to a peer running your
/// `Receiver`; returns what `send_reliably` returned and what was delivered.
fn through_relay(
    plan: Plan,
    messages: &[&[u8]],
    timeout: Duration,
    max_retries: u32,
) -> (io::Result<u32>, Vec<String>) {
    let mut receiver = Receiver::new();
    let peer = start_peer(move |datagram| receiver.accept(datagram));
    let (log, _unread) = Log::capture();
    let relay = Relay::start(peer.addr, plan, log).unwrap();
    let sender = udp();
    sender.connect(relay.addr).unwrap();
    let sent = send_reliably(&sender, messages, timeout, max_retries);
    drop(relay);
    (sent, peer.stop().delivered)
}

const MESSAGES: [&[u8]; 5] = [b"one", b"two", b"three", b"four", b""];
const TEXTS: [&str; 5] = ["one", "two", "three", "four", ""];

#[test]
fn the_receiver_delivers_once_and_acknowledges_every_copy() {
    let mut receiver = Receiver::new();
    let mut accept = |number: u32, message: &[u8]| decided(receiver.accept(&data(number, message)));
    assert_eq!(accept(0, b"a"), (Some("a".into()), Some(0)));
    // Its acknowledgement was lost, so it comes again: acknowledge, do not deliver.
    assert_eq!(accept(0, b"a"), (None, Some(0)));
    assert_eq!(accept(1, b""), (Some("".into()), Some(1)));
    // A number ahead of the one expected is not from a stop-and-wait sender.
    assert_eq!(accept(3, b"ahead"), (None, None));
    assert_eq!(accept(2, b"c"), (Some("c".into()), Some(2)));
    assert_eq!(accept(0, b"a"), (None, Some(0)));
}

#[test]
fn the_receiver_ignores_datagrams_too_short_for_a_number() {
    let mut receiver = Receiver::new();
    for short in [&b""[..], b"\0", b"\0\0\0"] {
        assert_eq!(decided(receiver.accept(short)), (None, None), "{short:?}");
    }
    assert_eq!(decided(receiver.accept(&data(0, b"a"))), (Some("a".into()), Some(0)));
}

#[test]
fn a_perfect_link_delivers_everything() {
    let (sent, delivered) =
        through_relay(Plan::default(), &MESSAGES, Duration::from_millis(500), 10);
    sent.unwrap();
    assert_eq!(delivered, TEXTS);
}

#[test]
fn loss_and_reordering_both_ways_still_deliver_everything_once_in_order() {
    let plan = Plan {
        // The 2nd datagram is lost; the 4th overtaken by its own retransmission.
        to_server: Script::new().drop(2).hold(4),
        // The 3rd acknowledgement is lost.
        to_client: Script::new().drop(3),
    };
    let (sent, delivered) = through_relay(plan, &MESSAGES, Duration::from_millis(200), 10);
    let retransmissions = sent.unwrap();
    assert_eq!(delivered, TEXTS);
    assert!(
        retransmissions >= 2,
        "two datagrams never arrived in time, yet {retransmissions} retransmissions"
    );
}

#[test]
fn a_late_old_acknowledgement_is_not_taken_for_the_new_one() {
    let plan = Plan {
        // The first copy of message 1 is lost...
        to_server: Script::new().drop(3),
        // ...while a late copy of acknowledgement 0 arrives just then.
        to_client: Script::new().hold(1),
    };
    let (sent, delivered) = through_relay(plan, &MESSAGES, Duration::from_millis(200), 10);
    sent.unwrap();
    assert_eq!(delivered, TEXTS);
}

#[test]
fn the_count_is_every_copy_sent_beyond_the_first() {
    // A peer that ignores the first copy of messages 1 and 3, and acknowledges
    // everything else: at least two retransmissions, maybe more if the machine
    // is slow. The count must match what reached the peer, whatever it is.
    let mut copies: HashMap<u32, u32> = HashMap::new();
    let peer = start_peer(move |datagram| {
        let Some((number, _)) = datagram.split_first_chunk::<4>() else {
            return Accepted { deliver: None, ack: None };
        };
        let number = u32::from_be_bytes(*number);
        let copy = copies.entry(number).and_modify(|n| *n += 1).or_insert(1);
        let ignored = matches!(number, 1 | 3) && *copy == 1;
        let ack = (!ignored).then_some(number.to_be_bytes());
        Accepted { deliver: None, ack }
    });
    let sender = udp();
    sender.connect(peer.addr).unwrap();
    let retransmissions = send_reliably(&sender, &MESSAGES, Duration::from_millis(100), 10);
    let seen = peer.stop();
    let retransmissions = retransmissions.unwrap();
    let messages = MESSAGES.len() as u32;
    assert!(seen.datagrams >= messages + 2, "only {} datagrams reached the peer", seen.datagrams);
    assert_eq!(
        retransmissions,
        seen.datagrams - messages,
        "{} datagrams carried {messages} messages",
        seen.datagrams
    );
}

#[test]
fn with_every_datagram_lost_the_sender_gives_up_after_max_retries() {
    for max_retries in [1, 0, 4] {
        // A peer that never answers; what reaches it stays in its queue.
        let black_hole = udp();
        let sender = udp();
        sender.connect(black_hole.local_addr().unwrap()).unwrap();
        // On a thread, so that a sender that never gives up fails the check
        // instead of hanging it.
        let (done, outcome) = mpsc::channel();
        thread::spawn(move || {
            let sent = send_reliably(&sender, &[b"lost"], Duration::from_millis(20), max_retries);
            done.send(sent).unwrap();
        });
        let sent = outcome.recv_timeout(PATIENCE).expect("send_reliably never gave up");
        let error = sent.expect_err("nothing was acknowledged");
        assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");

        black_hole.set_nonblocking(true).unwrap();
        let mut buffer = [0; 64];
        let mut copies = 0;
        // Bounded: a sender that has given up sends no more.
        for _ in 0..100 {
            let Ok(n) = black_hole.recv(&mut buffer) else { break };
            assert_eq!(text(&buffer[..n]), text(&data(0, b"lost")));
            copies += 1;
        }
        assert_eq!(copies, max_retries + 1, "copies sent with max_retries = {max_retries}");
    }
}

#[test]
fn no_messages_means_nothing_sent() {
    let black_hole = udp();
    let sender = udp();
    sender.connect(black_hole.local_addr().unwrap()).unwrap();
    assert_eq!(send_reliably(&sender, &[], Duration::from_millis(20), 3).unwrap(), 0);
    // A datagram sent before the marker would be received before it.
    sender.send(b"marker").unwrap();
    let mut buffer = [0; 64];
    let n = black_hole.recv(&mut buffer).unwrap();
    assert_eq!(text(&buffer[..n]), "marker", "a datagram was sent for no message");
}

#[test]
fn a_socket_error_is_returned_not_retried() {
    // Nobody listens at this address: the kernel answers the first datagram
    // with ICMP "port unreachable", and the next receive fails with it.
    let nobody = udp();
    let address = nobody.local_addr().unwrap();
    drop(nobody);
    let sender = udp();
    sender.connect(address).unwrap();
    let error = send_reliably(&sender, &[b"anyone?"], Duration::from_secs(5), 3)
        .expect_err("nobody acknowledged");
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused, "{error}");
}
