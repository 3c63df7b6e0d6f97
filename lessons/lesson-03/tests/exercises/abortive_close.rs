//! # Exercise 3: closing with a reset
//! Book: lesson-03, "Exercise 3: closing with a reset"

use std::io::{ErrorKind, Read, Write};

use lesson_support::conversation::Conversation;

use crate::answer::close_with_reset;
use crate::sockets::connected_pair;

#[test]
fn the_peer_sees_a_reset_not_an_end() {
    let (client, server) = connected_pair();
    let talk = Conversation::new();
    let mut client = talk.wrap("client", client);
    talk.note("server", "calls close_with_reset");
    close_with_reset(server).unwrap();
    let mut buffer = [0; 16];
    match client.read(&mut buffer) {
        Err(error) => assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}"),
        Ok(0) => panic!("the client read an end (FIN): the close was graceful, not a reset"),
        Ok(n) => panic!("the client read {n} unexpected bytes"),
    }
}

#[test]
fn unread_data_does_not_stop_the_reset() {
    let (client, server) = connected_pair();
    let talk = Conversation::new();
    let mut client = talk.wrap("client", client);
    let mut server = talk.wrap("server", server);
    server.write_all(b"this will be thrown away").unwrap();
    talk.note("server", "calls close_with_reset");
    close_with_reset(server.into_inner()).unwrap();
    // The reset overtakes the data: the read fails at once or after the data
    // already delivered, but the stream never ends gracefully.
    let mut received = Vec::new();
    let error = match client.read_to_end(&mut received) {
        Err(error) => error,
        Ok(n) => panic!("the client read {n} bytes, then an end (FIN): the close was graceful"),
    };
    assert_eq!(error.kind(), ErrorKind::ConnectionReset, "{error}");
}
