//! # Exercise 3: stop-and-wait
//! Book: lesson-04, "Exercise 3: stop-and-wait"

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use lesson_04::relay::{Plan, Relay, Script};
use lesson_support::Log;

use crate::answer::stop_and_wait::{Accepted, Receiver, send_reliably};
use crate::sockets::udp;

/// A receiving peer on its own thread: `Receiver::accept` on every datagram,
/// acknowledgements sent back. Returns what it delivered, once stopped.
struct Peer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<Vec<u8>>>,
}

fn start_peer(mut receiver: Receiver) -> Peer {
    let socket = udp();
    // The peer looks at `stop` this often while no datagram comes.
    socket.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let addr = socket.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let thread = thread::spawn(move || {
        let mut delivered = Vec::new();
        let mut buffer = [0; 2048];
        while !stopping.load(Ordering::SeqCst) {
            let Ok((n, from)) = socket.recv_from(&mut buffer) else {
                continue;
            };
            let accepted = receiver.accept(&buffer[..n]);
            delivered.extend(accepted.deliver);
            if let Some(ack) = accepted.ack {
                socket.send_to(&ack, from).unwrap();
            }
        }
        delivered
    });
    Peer { addr, stop, thread }
}

/// Sends `messages` through a relay following `plan`; returns what
/// `send_reliably` returned and what the receiver delivered.
fn through_relay(
    plan: Plan,
    messages: &[&[u8]],
    timeout: Duration,
    max_retries: u32,
) -> (io::Result<u32>, Vec<Vec<u8>>) {
    let peer = start_peer(Receiver::new());
    let (log, _unread) = Log::capture();
    let relay = Relay::start(peer.addr, plan, log).unwrap();
    let sender = udp();
    sender.connect(relay.addr).unwrap();
    let sent = send_reliably(&sender, messages, timeout, max_retries);
    drop(relay);
    peer.stop.store(true, Ordering::SeqCst);
    (sent, peer.thread.join().unwrap())
}

const MESSAGES: [&[u8]; 5] = [b"one", b"two", b"three", b"four", b""];

#[test]
fn the_receiver_delivers_once_and_acknowledges_every_copy() {
    let mut receiver = Receiver::new();
    let data = |number: u32, message: &[u8]| [&number.to_be_bytes()[..], message].concat();
    let accept = |receiver: &mut Receiver, number: u32, message: &[u8]| {
        receiver.accept(&data(number, message))
    };
    assert_eq!(
        accept(&mut receiver, 0, b"a"),
        Accepted { deliver: Some(b"a".to_vec()), ack: Some([0, 0, 0, 0]) }
    );
    // Its acknowledgement was lost, so it comes again: acknowledge, do not deliver.
    assert_eq!(accept(&mut receiver, 0, b"a"), Accepted { deliver: None, ack: Some([0, 0, 0, 0]) });
    assert_eq!(
        accept(&mut receiver, 1, b""),
        Accepted { deliver: Some(Vec::new()), ack: Some([0, 0, 0, 1]) }
    );
    assert_eq!(receiver.accept(b"\0\0\x01"), Accepted { deliver: None, ack: None });
    assert_eq!(accept(&mut receiver, 2, b"c").deliver, Some(b"c".to_vec()));
}

#[test]
fn a_perfect_link_delivers_everything() {
    let (sent, delivered) =
        through_relay(Plan::default(), &MESSAGES, Duration::from_millis(500), 10);
    sent.unwrap();
    assert_eq!(delivered, MESSAGES);
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
    assert_eq!(delivered, MESSAGES);
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
    assert_eq!(delivered, MESSAGES);
}

#[test]
fn with_every_datagram_lost_the_sender_gives_up() {
    let plan = Plan { to_server: Script::new().drop_all(), to_client: Script::new() };
    let (sent, delivered) = through_relay(plan, &MESSAGES, Duration::from_millis(50), 3);
    let error = sent.expect_err("nothing was acknowledged");
    assert_eq!(error.kind(), io::ErrorKind::TimedOut, "{error}");
    assert!(delivered.is_empty());
}
