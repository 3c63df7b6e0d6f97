//! # Exercise 1: line framing
//! Book: lesson-03, "Exercise 1: line framing"

use std::io::Write;
use std::thread;

use lesson_support::conversation::Conversation;

use crate::answer::{self, LineTooLong};
use crate::sockets::connected_pair;

/// Your framer, every call and its answer recorded, so that `cargo exercises`
/// shows what it was fed and what it gave back.
struct LineFramer {
    framer: answer::LineFramer,
    talk: Conversation,
}

impl LineFramer {
    fn new(max_line: usize) -> LineFramer {
        let talk = Conversation::new();
        talk.note("framer", format!("new({max_line})"));
        LineFramer { framer: answer::LineFramer::new(max_line), talk }
    }

    fn push(&mut self, chunk: &[u8]) -> Result<Vec<String>, LineTooLong> {
        let lines = self.framer.push(chunk);
        let chunk = String::from_utf8_lossy(chunk);
        self.talk.note("framer", format!("push({chunk:?}) gives {lines:?}"));
        lines
    }

    fn pending(&self) -> usize {
        let pending = self.framer.pending();
        self.talk.note("framer", format!("pending() gives {pending}"));
        pending
    }
}

#[test]
fn a_line_split_over_two_chunks_comes_out_once() {
    let mut framer = LineFramer::new(100);
    assert_eq!(framer.push(b"hel").unwrap(), Vec::<String>::new());
    assert_eq!(framer.pending(), 3);
    assert_eq!(framer.push(b"lo\n").unwrap(), ["hello"]);
    assert_eq!(framer.pending(), 0);
}

#[test]
fn two_lines_in_one_chunk_come_out_as_two() {
    let mut framer = LineFramer::new(100);
    assert_eq!(framer.push(b"one\ntwo\nthr").unwrap(), ["one", "two"]);
    assert_eq!(framer.pending(), 3);
    assert_eq!(framer.push(b"ee\n").unwrap(), ["three"]);
}

#[test]
fn crlf_and_empty_lines() {
    let mut framer = LineFramer::new(100);
    assert_eq!(framer.push(b"hi\r\n\n\r\n").unwrap(), ["hi", "", ""]);
}

#[test]
fn a_character_split_across_chunks_survives() {
    let mut framer = LineFramer::new(100);
    let bytes = "é\n".as_bytes();
    assert_eq!(framer.push(&bytes[..1]).unwrap(), Vec::<String>::new());
    assert_eq!(framer.push(&bytes[1..]).unwrap(), ["é"]);
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    let mut framer = LineFramer::new(100);
    assert_eq!(framer.push(b"a\xffb\n").unwrap(), ["a\u{fffd}b"]);
}

#[test]
fn a_line_at_the_limit_is_fine_one_past_it_is_not() {
    let mut framer = LineFramer::new(5);
    assert_eq!(framer.push(b"12345\r\n").unwrap(), ["12345"]);
    assert_eq!(framer.push(b"123").unwrap(), Vec::<String>::new());
    assert_eq!(framer.push(b"456"), Err(LineTooLong { max_line: 5 }));
}

#[test]
fn a_complete_line_past_the_limit_is_refused() {
    let mut framer = LineFramer::new(5);
    assert_eq!(framer.push(b"1234567\n"), Err(LineTooLong { max_line: 5 }));
    let mut framer = LineFramer::new(5);
    assert_eq!(framer.push(b"ok\n123456\r\nok\n"), Err(LineTooLong { max_line: 5 }));
}

#[test]
fn the_limit_is_per_line_not_per_chunk() {
    let mut framer = LineFramer::new(5);
    assert_eq!(framer.push(b"ab\ncd\r\nef\n12345").unwrap(), ["ab", "cd", "ef"]);
    assert_eq!(framer.pending(), 5, "a pending line exactly at the limit is fine");
    assert_eq!(framer.push(b"\n").unwrap(), ["12345"]);
}

#[test]
fn a_cr_at_the_limit_waits_for_the_next_byte() {
    let mut framer = LineFramer::new(5);
    assert_eq!(framer.push(b"12345\r").unwrap(), Vec::<String>::new(), "it may be a \\r\\n");
    assert_eq!(framer.pending(), 6);
    assert_eq!(framer.push(b"\n").unwrap(), ["12345"]);

    let mut framer = LineFramer::new(5);
    assert_eq!(framer.push(b"12345\r").unwrap(), Vec::<String>::new(), "it may be a \\r\\n");
    assert_eq!(framer.push(b"x"), Err(LineTooLong { max_line: 5 }), "the \\r was part of the line");

    let mut framer = LineFramer::new(5);
    let error = Err(LineTooLong { max_line: 5 });
    assert_eq!(framer.push(b"12345\r\r"), error, "only the last \\r may be half of a \\r\\n");
    let mut framer = LineFramer::new(5);
    assert_eq!(framer.push(b"12345\r\r\n"), error, "only one \\r is taken off a line");
}

#[test]
fn a_limit_of_zero_allows_only_empty_lines() {
    let mut framer = LineFramer::new(0);
    assert_eq!(framer.push(b"\n\r\n").unwrap(), ["", ""]);
    assert_eq!(framer.push(b"").unwrap(), Vec::<String>::new());
    assert_eq!(framer.pending(), 0);
    assert_eq!(framer.push(b"x"), Err(LineTooLong { max_line: 0 }));
}

#[test]
fn an_endless_line_is_refused_before_its_end() {
    let mut framer = LineFramer::new(1024);
    let chunk = [b'x'; 512];
    let mut refused = false;
    for _ in 0..3 {
        if framer.push(&chunk).is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused, "1536 bytes without a newline must exceed a limit of 1024");
}

#[test]
fn lines_from_a_real_socket_come_out_whole_however_they_were_cut() {
    let (mut client, server) = connected_pair();
    let writer = thread::spawn(move || {
        for piece in ["hel", "lo\nwor", "ld\n", "", "bye\n"] {
            client.write_all(piece.as_bytes()).unwrap();
        }
    });
    // How the reads cut the stream changes from run to run: the framer's
    // calls are not recorded one by one, and the client writes on its own
    // thread, unrecorded, so that the transcript does not depend on them.
    let mut framer = answer::LineFramer::new(100);
    let mut lines = Vec::new();
    let mut buffer = [0; 4];
    let talk = Conversation::new();
    let mut server = talk.wrap("server", server);
    while lines.len() < 3 {
        let n = std::io::Read::read(&mut server, &mut buffer).unwrap();
        assert!(n > 0, "the client closed before sending three lines");
        lines.extend(framer.push(&buffer[..n]).unwrap());
    }
    talk.note("framer", format!("gives the lines {lines:?}"));
    writer.join().unwrap();
    assert_eq!(lines, ["hello", "world", "bye"]);
}
