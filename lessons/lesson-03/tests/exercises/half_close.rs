//! # Exercise 4: honouring a half-close
//! Book: lesson-03, "Exercise 4: honouring a half-close"

use std::io::{Read, Write};
use std::net::Shutdown;
use std::thread;

use lesson_support::conversation::Conversation;

use crate::answer::echo_until_end;
use crate::sockets::connected_pair;

#[test]
fn replies_arrive_after_the_client_half_closes() {
    let (client, server) = connected_pair();
    let mut client = Conversation::new().wrap("client", client);
    let serving = thread::spawn(move || echo_until_end(server));
    client.write_all(b"hello\n").unwrap();
    client.write_all(b"world\n").unwrap();
    client.shutdown(Shutdown::Write).unwrap();

    let mut received = String::new();
    client.read_to_string(&mut received).unwrap();
    assert_eq!(received, "hello\nworld\nbye after 12 bytes\n");
    assert_eq!(serving.join().unwrap().unwrap(), 12);
}

#[test]
fn each_chunk_is_echoed_before_the_client_half_closes() {
    // This client waits for each echo before it sends more, and half-closes
    // only at the end: a server that reads everything before it echoes never
    // answers it.
    let (client, server) = connected_pair();
    let mut client = Conversation::new().wrap("client", client);
    let serving = thread::spawn(move || echo_until_end(server));
    for line in ["hello\n", "world\n"] {
        client.write_all(line.as_bytes()).unwrap();
        let mut echo = vec![0; line.len()];
        client.read_exact(&mut echo).expect("no echo before the client's FIN: echo as you read");
        assert_eq!(String::from_utf8_lossy(&echo), line);
    }
    client.shutdown(Shutdown::Write).unwrap();

    let mut rest = String::new();
    client.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "bye after 12 bytes\n");
    assert_eq!(serving.join().unwrap().unwrap(), 12);
}

#[test]
fn a_client_that_sends_nothing_still_gets_its_goodbye() {
    let (client, server) = connected_pair();
    let mut client = Conversation::new().wrap("client", client);
    let serving = thread::spawn(move || echo_until_end(server));
    client.shutdown(Shutdown::Write).unwrap();

    let mut received = String::new();
    client.read_to_string(&mut received).unwrap();
    assert_eq!(received, "bye after 0 bytes\n");
    assert_eq!(serving.join().unwrap().unwrap(), 0);
}

#[test]
fn a_megabyte_echoes_back_whole() {
    const SIZE: usize = 1024 * 1024;
    let (client, server) = connected_pair();
    let talk = Conversation::new();
    let serving = thread::spawn(move || echo_until_end(server));
    // Write and read at once: a client that only wrote would fill both
    // directions' buffers and wait forever for a server waiting on it. The
    // writing is not recorded byte by byte: its interleaving with the reads
    // changes from run to run.
    let mut writer = client.try_clone().unwrap();
    talk.note(
        "client",
        format!("sends {SIZE} bytes while it reads, then shuts down its writing side"),
    );
    let mut client = talk.wrap("client", client);
    let sending = thread::spawn(move || {
        let payload: Vec<u8> = (0..SIZE).map(|i| (i % 251) as u8).collect();
        writer.write_all(&payload).unwrap();
        writer.shutdown(Shutdown::Write).unwrap();
        payload
    });
    let mut received = Vec::new();
    client.read_to_end(&mut received).unwrap();
    let payload = sending.join().unwrap();

    assert_eq!(received.len(), SIZE + "bye after 1048576 bytes\n".len());
    assert!(received.starts_with(&payload), "the echo differs from what was sent");
    let tail = String::from_utf8_lossy(&received[received.len().saturating_sub(24)..]);
    assert_eq!(tail, "bye after 1048576 bytes\n");
    assert_eq!(serving.join().unwrap().unwrap(), SIZE as u64);
}
