//! # Exercise 2: noticing truncation
//! Book: lesson-04, "Exercise 2: noticing truncation"

use std::net::UdpSocket;

use lesson_support::conversation::Conversation;

use crate::answer::{Received, recv_noting_truncation};
use crate::sockets::connected_pair;

/// The client sends `datagram`; the server takes it with your function.
fn send(talk: &Conversation, client: &UdpSocket, datagram: &[u8]) {
    talk.sent_datagram("client", datagram);
    client.send(datagram).unwrap();
}

/// Your function, its answer recorded.
fn receive(talk: &Conversation, server: &UdpSocket, buffer: &mut [u8]) -> Received {
    let received = recv_noting_truncation(server, buffer).unwrap();
    let kept = String::from_utf8_lossy(&buffer[..received.len.min(buffer.len())]);
    talk.note(
        "server",
        format!(
            "recv_noting_truncation into {} bytes: len {}, truncated {}, kept {kept:?}",
            buffer.len(),
            received.len,
            received.truncated
        ),
    );
    received
}

#[test]
fn a_datagram_that_fits_is_not_truncated() {
    let (client, server) = connected_pair();
    let talk = Conversation::new();
    send(&talk, &client, b"hello");
    let mut buffer = [0; 16];
    let received = receive(&talk, &server, &mut buffer);
    assert_eq!((received.len, received.truncated), (5, false));
    assert_eq!(received.from, client.local_addr().unwrap());
    assert_eq!(String::from_utf8_lossy(&buffer[..5]), "hello");
}

#[test]
fn a_datagram_exactly_the_size_of_the_buffer_is_not_truncated() {
    let (client, server) = connected_pair();
    let talk = Conversation::new();
    send(&talk, &client, &[7; 16]);
    let mut buffer = [0; 16];
    let received = receive(&talk, &server, &mut buffer);
    assert_eq!((received.len, received.truncated), (16, false));
}

#[test]
fn one_byte_more_is_truncated_and_says_so() {
    let (client, server) = connected_pair();
    let talk = Conversation::new();
    send(&talk, &client, b"0123456789abcdefX");
    let mut buffer = [0; 16];
    let received = receive(&talk, &server, &mut buffer);
    assert_eq!((received.len, received.truncated), (16, true));
    assert_eq!(String::from_utf8_lossy(&buffer), "0123456789abcdef");
}

#[test]
fn an_empty_datagram_is_a_datagram() {
    let (client, server) = connected_pair();
    let talk = Conversation::new();
    send(&talk, &client, b"");
    let mut buffer = [0; 16];
    let received = receive(&talk, &server, &mut buffer);
    assert_eq!((received.len, received.truncated), (0, false));
}

#[test]
fn each_call_takes_exactly_one_datagram() {
    let (client, server) = connected_pair();
    let talk = Conversation::new();
    send(&talk, &client, &[b'a'; 1000]);
    send(&talk, &client, b"next");
    let mut buffer = [0; 8];
    let first = receive(&talk, &server, &mut buffer);
    assert_eq!((first.len, first.truncated), (8, true));
    // The rest of the first datagram is gone, not waiting to be read.
    let second = receive(&talk, &server, &mut buffer);
    assert_eq!((second.len, second.truncated), (4, false));
    assert_eq!(String::from_utf8_lossy(&buffer[..4]), "next");
}
