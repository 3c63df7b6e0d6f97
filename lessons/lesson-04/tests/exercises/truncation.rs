//! # Exercise 2: noticing truncation
//! Book: lesson-04, "Exercise 2: noticing truncation"

use crate::answer::recv_noting_truncation;
use crate::sockets::connected_pair;

#[test]
fn a_datagram_that_fits_is_not_truncated() {
    let (client, server) = connected_pair();
    client.send(b"hello").unwrap();
    let mut buffer = [0; 16];
    let received = recv_noting_truncation(&server, &mut buffer).unwrap();
    assert_eq!((received.len, received.truncated), (5, false));
    assert_eq!(received.from, client.local_addr().unwrap());
    assert_eq!(String::from_utf8_lossy(&buffer[..5]), "hello");
}

#[test]
fn a_datagram_exactly_the_size_of_the_buffer_is_not_truncated() {
    let (client, server) = connected_pair();
    client.send(&[7; 16]).unwrap();
    let mut buffer = [0; 16];
    let received = recv_noting_truncation(&server, &mut buffer).unwrap();
    assert_eq!((received.len, received.truncated), (16, false));
}

#[test]
fn one_byte_more_is_truncated_and_says_so() {
    let (client, server) = connected_pair();
    client.send(b"0123456789abcdefX").unwrap();
    let mut buffer = [0; 16];
    let received = recv_noting_truncation(&server, &mut buffer).unwrap();
    assert_eq!((received.len, received.truncated), (16, true));
    assert_eq!(String::from_utf8_lossy(&buffer), "0123456789abcdef");
}

#[test]
fn an_empty_datagram_is_a_datagram() {
    let (client, server) = connected_pair();
    client.send(b"").unwrap();
    let mut buffer = [0; 16];
    let received = recv_noting_truncation(&server, &mut buffer).unwrap();
    assert_eq!((received.len, received.truncated), (0, false));
}

#[test]
fn each_call_takes_exactly_one_datagram() {
    let (client, server) = connected_pair();
    client.send(&[b'a'; 1000]).unwrap();
    client.send(b"next").unwrap();
    let mut buffer = [0; 8];
    let first = recv_noting_truncation(&server, &mut buffer).unwrap();
    assert_eq!((first.len, first.truncated), (8, true));
    // The rest of the first datagram is gone, not waiting to be read.
    let second = recv_noting_truncation(&server, &mut buffer).unwrap();
    assert_eq!((second.len, second.truncated), (4, false));
    assert_eq!(String::from_utf8_lossy(&buffer[..4]), "next");
}
