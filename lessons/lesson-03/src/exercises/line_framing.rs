//! # Exercise 1: line framing
//! Book: lesson-03, "Exercise 1: line framing"
//!
//! TCP delivers a stream of bytes, not messages: `"hello\n"` may arrive as
//! `"hel"` then `"lo\n"`, and two lines may arrive in one read. The server in
//! this lesson answers each *chunk*, as the Node program does. Fix that:
//! write a framer that you feed chunks as they arrive and that hands back
//! complete lines.
//!
//! - A line ends at `\n`; return it without the `\n`, and without a `\r`
//!   just before it (`"hi\r\n"` gives `"hi"`).
//! - Keep the bytes of an unfinished line until the rest arrives. Decode a
//!   line only when it is complete, so a UTF-8 character split across two
//!   chunks survives (invalid UTF-8 becomes U+FFFD, as `from_utf8_lossy` does).
//! - A line longer than `max_line` bytes (not counting `\r\n`) is an error,
//!   reported as soon as the framer holds more than `max_line` bytes of it:
//!   a client must not make the server buffer without end.
//!
//! Add the fields `LineFramer` needs.

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

// Hint: keep a `Vec<u8>` of pending bytes. On each chunk, append it, then
// repeatedly look for `b'\n'` (`iter().position`), `drain(..=i)` the line
// out, trim the `\r\n`, and decode with `String::from_utf8_lossy`. Check the
// length of what is left against `max_line`.
