//! What an exercise check said and heard, for `cargo exercises` (feature
//! `testing`).
//!
//! A check that talks to the learner's code over a socket records its side of
//! the conversation: wrap the check's end in [`Conversation::wrap`] (or call
//! [`Conversation::sent`], [`Conversation::received`], [`Conversation::note`]
//! where a wrapper does not fit). When the last handle is dropped — at the end
//! of the check, or while it unwinds from a failed assertion — the transcript
//! is written to `$EXERCISE_TRANSCRIPTS/NAME.txt`, NAME being the check's
//! name, if that variable is set. `cargo exercises` sets it: it shows the
//! transcript under a failing check, and `cargo exercises compare` runs the
//! same checks against the reference solution and puts the two side by side.
//!
//! Bytes that follow each other in one direction are merged into one line, so
//! a transcript says what was sent and received, not how the kernel happened
//! to cut it into reads: a correct answer gives the reference's transcript.

use std::cell::RefCell;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, Weak};

/// The environment variable naming the directory transcripts are written to.
pub const TRANSCRIPTS: &str = "EXERCISE_TRANSCRIPTS";

/// How many bytes of one line of a transcript are shown; the rest is counted.
const SHOWN: usize = 120;

thread_local! {
    /// The conversation of the check on this thread, while one is alive.
    static CURRENT: RefCell<Weak<Record>> = const { RefCell::new(Weak::new()) };
}

/// One check's record of a conversation. Clones share it, so a thread the
/// check starts can record too.
#[derive(Debug, Clone)]
pub struct Conversation {
    record: Arc<Record>,
}

#[derive(Debug)]
struct Record {
    /// Where the transcript goes when the last handle is dropped.
    file: Option<PathBuf>,
    events: Mutex<Vec<Event>>,
}

#[derive(Debug)]
enum Event {
    /// `who` sent (`→`) or received (`←`) these bytes: part of a stream,
    /// merged with the bytes before them, or one datagram.
    Bytes { who: String, arrow: &'static str, bytes: Vec<u8>, datagram: bool },
    /// Anything else, in words: an end, an error, a shutdown.
    Note { who: String, what: String },
}

impl Default for Conversation {
    fn default() -> Conversation {
        Conversation::new()
    }
}

impl Conversation {
    /// The conversation of the check running on this thread (libtest names
    /// each test's thread after the test). Called again while the first is
    /// alive, it returns the same one: a check that makes three framers or two
    /// connections gets one transcript, in the order things happened.
    pub fn new() -> Conversation {
        CURRENT.with(|current| {
            if let Some(record) = current.borrow().upgrade() {
                return Conversation { record };
            }
            let file = std::env::var_os(TRANSCRIPTS).map(|dir| {
                let thread = std::thread::current();
                let test = thread.name().unwrap_or("unnamed");
                let name = test.rsplit("::").next().unwrap_or(test);
                PathBuf::from(dir).join(format!("{name}.txt"))
            });
            let record = Arc::new(Record { file, events: Mutex::new(Vec::new()) });
            *current.borrow_mut() = Arc::downgrade(&record);
            Conversation { record }
        })
    }

    /// `who` sent `bytes` on a stream.
    pub fn sent(&self, who: &str, bytes: &[u8]) {
        self.bytes(who, "→", bytes, false);
    }

    /// `who` received `bytes` from a stream.
    pub fn received(&self, who: &str, bytes: &[u8]) {
        self.bytes(who, "←", bytes, false);
    }

    /// `who` sent one datagram.
    pub fn sent_datagram(&self, who: &str, bytes: &[u8]) {
        self.bytes(who, "→", bytes, true);
    }

    /// `who` received one datagram.
    pub fn received_datagram(&self, who: &str, bytes: &[u8]) {
        self.bytes(who, "←", bytes, true);
    }

    /// Something `who` did or saw, in words.
    pub fn note(&self, who: &str, what: impl fmt::Display) {
        self.events().push(Event::Note { who: who.to_owned(), what: what.to_string() });
    }

    /// `stream`, whose reads and writes are recorded as `who`'s.
    pub fn wrap<S>(&self, who: &str, stream: S) -> Recorded<S> {
        Recorded { stream, who: who.to_owned(), conversation: self.clone() }
    }

    /// The transcript so far, one line per event.
    pub fn transcript(&self) -> String {
        self.events().iter().map(|event| format!("{event}\n")).collect()
    }

    fn bytes(&self, who: &str, arrow: &'static str, bytes: &[u8], datagram: bool) {
        let mut events = self.events();
        match events.last_mut() {
            Some(Event::Bytes { who: last, arrow: last_arrow, bytes: held, datagram: false })
                if !datagram && last == who && *last_arrow == arrow =>
            {
                held.extend_from_slice(bytes);
            }
            _ => events.push(Event::Bytes {
                who: who.to_owned(),
                arrow,
                bytes: bytes.to_vec(),
                datagram,
            }),
        }
    }

    fn events(&self) -> std::sync::MutexGuard<'_, Vec<Event>> {
        // A check that panicked while recording still leaves a useful record.
        self.record.events.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        let Some(file) = &self.file else { return };
        let events = self.events.get_mut().unwrap_or_else(PoisonError::into_inner);
        let text: String = events.iter().map(|event| format!("{event}\n")).collect();
        // A conversation made on another thread of the same check is
        // appended, a blank line between. Failing to write must not fail the
        // check.
        let appended = std::fs::OpenOptions::new().create(true).append(true).open(file);
        if let Ok(mut out) = appended {
            let separator = if out.metadata().is_ok_and(|m| m.len() > 0) { "\n" } else { "" };
            let _ = write!(out, "{separator}{text}");
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Bytes { who, arrow, bytes, datagram: false } => {
                write!(f, "{who} {arrow} {}", shown(bytes))
            }
            Event::Bytes { who, arrow, bytes, datagram: true } => {
                write!(f, "{who} {arrow} datagram {}", shown(bytes))
            }
            Event::Note { who, what } => write!(f, "{who}: {what}"),
        }
    }
}

/// Bytes as a quoted string with escapes. Past [`SHOWN`] bytes, the
/// beginning and the end, where two long replies most often differ.
fn shown(bytes: &[u8]) -> String {
    let text = |bytes: &[u8]| format!("{:?}", String::from_utf8_lossy(bytes));
    if bytes.len() <= SHOWN {
        return text(bytes);
    }
    let (head, tail) = (SHOWN * 2 / 3, SHOWN / 3);
    let left_out = bytes.len() - head - tail;
    format!(
        "{} … {left_out} bytes … {} ({} in all)",
        text(&bytes[..head]),
        text(&bytes[bytes.len() - tail..]),
        bytes.len()
    )
}

/// A stream whose reads and writes are recorded in a [`Conversation`].
#[derive(Debug)]
pub struct Recorded<S> {
    stream: S,
    who: String,
    conversation: Conversation,
}

impl<S> Recorded<S> {
    /// The stream, no longer recorded: to hand it to the code under test.
    pub fn into_inner(self) -> S {
        self.stream
    }
}

impl Recorded<TcpStream> {
    /// Shuts down one or both directions, and records it.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        let what = match how {
            Shutdown::Write => "shuts down its writing side (FIN)",
            Shutdown::Read => "shuts down its reading side",
            Shutdown::Both => "shuts down both sides",
        };
        self.conversation.note(&self.who, what);
        self.stream.shutdown(how)
    }
}

impl<S: Read> Read for Recorded<S> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.stream.read(buffer);
        match &read {
            Ok(0) if !buffer.is_empty() => self.conversation.note(&self.who, "reads the end (FIN)"),
            Ok(n) => self.conversation.received(&self.who, &buffer[..*n]),
            Err(error) => self.conversation.note(&self.who, read_error(error)),
        }
        read
    }
}

impl<S: Write> Write for Recorded<S> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.stream.write(bytes);
        match &written {
            Ok(n) => self.conversation.sent(&self.who, &bytes[..*n]),
            Err(error) => self.conversation.note(&self.who, format!("cannot write: {error}")),
        }
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// A failed read in words: a reset is the point of some exercises.
fn read_error(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionReset => "reads a reset (RST)".to_owned(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
            format!("waits in vain: nothing came ({error})")
        }
        _ => format!("cannot read: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_one_way_merge_and_read_as_text() {
        let talk =
            Conversation { record: Arc::new(Record { file: None, events: Mutex::default() }) };
        talk.sent("client", b"hel");
        talk.sent("client", b"lo\n");
        talk.received("client", b"hello\n");
        talk.note("client", "reads the end (FIN)");
        talk.received("client", &[b'x'; 130]);
        talk.sent_datagram("client", b"a");
        talk.sent_datagram("client", b"b");
        let transcript = talk.transcript();
        let lines: Vec<&str> = transcript.lines().collect();
        assert_eq!(
            lines[..3],
            [r#"client → "hello\n""#, r#"client ← "hello\n""#, "client: reads the end (FIN)",]
        );
        let (head, tail) = ("x".repeat(80), "x".repeat(40));
        assert_eq!(lines[3], format!("client ← \"{head}\" … 10 bytes … \"{tail}\" (130 in all)"));
        assert_eq!(lines[4..], [r#"client → datagram "a""#, r#"client → datagram "b""#]);
    }

    #[test]
    fn a_check_that_asks_twice_gets_one_conversation() {
        let first = Conversation::new();
        let second = Conversation::new();
        first.note("a", "one");
        second.note("b", "two");
        assert_eq!(first.transcript(), "a: one\nb: two\n");
        drop((first, second));
        assert_eq!(Conversation::new().transcript(), "", "a new one once the first is gone");
    }

    #[test]
    fn the_transcript_is_written_when_the_last_handle_goes_even_in_a_panic() {
        let dir = std::env::temp_dir().join(format!("conversation-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("check.txt");
        let _ = std::fs::remove_file(&file);
        let record = Record { file: Some(file.clone()), events: Mutex::default() };
        let talk = Conversation { record: Arc::new(record) };
        let other = talk.clone();
        let panicked = std::thread::spawn(move || {
            other.sent("server", b"hi\n");
            panic!("a failed check");
        })
        .join();
        assert!(panicked.is_err());
        assert!(!file.exists(), "written before the last handle went");
        talk.note("client", "gives up");
        drop(talk);
        let written = std::fs::read_to_string(&file).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(written, "server → \"hi\\n\"\nclient: gives up\n");
    }
}
