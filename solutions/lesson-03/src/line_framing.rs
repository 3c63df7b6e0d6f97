//! Exercise 1: line framing — solution.

/// Cuts a byte stream into lines.
#[derive(Debug)]
pub struct LineFramer {
    max_line: usize,
    /// The bytes of the line not finished yet.
    pending: Vec<u8>,
}

/// A line went past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTooLong {
    /// The limit the framer was made with.
    pub max_line: usize,
}

impl LineFramer {
    /// A framer that accepts lines of at most `max_line` bytes.
    pub fn new(max_line: usize) -> LineFramer {
        LineFramer { max_line, pending: Vec::new() }
    }

    /// Takes the next chunk and returns the lines it completes, in order.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<String>, LineTooLong> {
        self.pending.extend_from_slice(chunk);
        let mut lines = Vec::new();
        while let Some(end) = self.pending.iter().position(|&byte| byte == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = line.strip_suffix(b"\n").unwrap_or(&line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() > self.max_line {
                return Err(LineTooLong { max_line: self.max_line });
            }
            lines.push(String::from_utf8_lossy(line).into_owned());
        }
        // A `\r` may still be followed by its `\n`: allow one byte for it.
        let unfinished = self.pending.strip_suffix(b"\r").unwrap_or(&self.pending);
        if unfinished.len() > self.max_line {
            return Err(LineTooLong { max_line: self.max_line });
        }
        Ok(lines)
    }

    /// How many bytes of an unfinished line the framer holds.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }
}
