//! # Exercise 1: line framing
//! Book: lesson-03, "Exercise 1: line framing"
//!
//! TCP delivers a stream of bytes, not messages: `"hello\n"` may arrive as
//! `"hel"` then `"lo\n"`, and two lines may arrive in one read. The server in
//! this lesson answers each *chunk*, as the Node program does. Fix that:
//! write a framer that you feed chunks as they arrive and that hands back
//! complete lines.
//!
//! - A line ends at `\n`; return it without the `\n`, and without one `\r`
//!   just before it (`"hi\r\n"` gives `"hi"`, `"hi\r\r\n"` gives `"hi\r"`).
//! - Keep the bytes of an unfinished line until the rest arrives. Decode a
//!   line only when it is complete, so a UTF-8 character split across two
//!   chunks survives (invalid UTF-8 becomes U+FFFD, as `from_utf8_lossy` does).
//! - A line longer than `max_line` bytes (not counting its `\r\n`) is an
//!   error, `Err(LineTooLong)`, whether it arrives complete in one chunk or
//!   in pieces. Report it as soon as the framer holds more than `max_line`
//!   bytes of the line, without waiting for a `\n` that may never come: a
//!   client must not make the server buffer without end.
//! - At the limit, a `\r` that ends what the framer holds may be the first
//!   half of a `\r\n`, so it does not count yet. With `max_line` = 5:
//!   `"12345\r"` is not an error (yet); a following `"\n"` completes the
//!   line `"12345"`; any other byte makes the `\r` part of a line of 6
//!   bytes, an error.
//! - After an error the framer is not used again.
//!
//! Add the fields `LineFramer` needs.
//!
//! Check it with `cargo exercises lesson-03`. Stuck? `cargo exercises hint
//! lesson-03 line_framing` gives a first hint, `--more` a precise one.

/// Cuts a byte stream into lines.
#[derive(Debug)]
pub struct LineFramer {}

/// A line went past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTooLong {
    /// The limit the framer was made with.
    pub max_line: usize,
}

impl LineFramer {
    /// A framer that accepts lines of at most `max_line` bytes.
    pub fn new(max_line: usize) -> LineFramer {
        todo!("exercise 1: create the framer")
    }

    /// Takes the next chunk and returns the lines it completes, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<String>, LineTooLong> {
        todo!("exercise 1: split the stream into lines")
    }

    /// How many bytes of an unfinished line the framer holds.
    pub fn pending(&self) -> usize {
        todo!("exercise 1: count the bytes still waiting for their `\\n`")
    }
}
