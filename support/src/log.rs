//! The log: where a server's lines go, and the three promises it keeps.
//!
//! 1. **It never blocks serving or stopping.** A server that writes to a
//!    terminal or a pipe waits whenever the reader is slow; if nobody reads
//!    the pipe at all, `println!` waits forever, and with it every client
//!    and Ctrl-C. So lines go into a bounded buffer, and one thread of the
//!    log's own writes the buffer out, many lines in one `write`. When the
//!    buffer is full, a line is dropped and counted, and the count is
//!    logged as soon as there is room again.
//! 2. **It is bounded.** One line shows at most [`LINE_LIMIT`] bytes (and
//!    a note): its beginning and its last [`TAIL_SHOWN`] bytes, with a note
//!    in the middle of how much was left out. A client that sends 64 KiB does not
//!    make 64 KiB of log.
//! 3. **No client can forge a line.** By default control characters are
//!    shown escaped (`\n`, `\u{1b}`), so a client cannot end a line early
//!    and write a fake `server stopped`, nor send escape codes to your
//!    terminal. [`Show::Exact`] keeps the bytes as they came, which the
//!    Node programs do, for a side-by-side comparison.

use std::fmt::{self, Display, Write as _};
use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::mpsc;

/// The most bytes one log line shows; the rest is left out, and counted.
pub const LINE_LIMIT: usize = 1024;

/// The most bytes waiting to be written before lines are dropped.
pub const BUFFER_LIMIT: usize = 256 * 1024;

/// How long the writer lets lines gather once the first one is waiting.
/// Under load this turns a `write` (and a wake-up) per line into one per
/// few hundred lines: at 30 000 lines a second, writing each as it came cost
/// the server more CPU than answering its clients. A person reading the log
/// cannot see a delay of 2 ms.
const LINGER: Duration = Duration::from_millis(2);

/// How long [`Log::flush`] waits for the writer to make progress before it
/// gives up on a reader that does not read.
const FLUSH_PATIENCE: Duration = Duration::from_secs(1);

/// How a line shows the control characters it contains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Show {
    /// `\n`, `\t`, `\u{1b}`…: a client cannot break or forge a line.
    #[default]
    Escaped,
    /// The bytes as they came, as the Node programs print them.
    Exact,
}

/// Where log lines go. Cloning is cheap; every clone writes to the same place.
#[derive(Clone, Debug)]
pub struct Log {
    sink: Sink,
    show: Show,
}

#[derive(Clone, Debug)]
enum Sink {
    Buffered(Arc<Buffered>),
    Capture(mpsc::UnboundedSender<String>),
}

impl Log {
    /// Lines go to standard output, as `console.log` does in Node, written
    /// by a thread of the log's own so that a slow reader slows nobody.
    pub fn stdout(show: Show) -> io::Result<Log> {
        Log::to_writer(io::stdout(), show)
    }

    /// Lines go to `out`, written by a thread of the log's own.
    pub fn to_writer(out: impl Write + Send + 'static, show: Show) -> io::Result<Log> {
        let buffered = Arc::new(Buffered::default());
        let writer = Arc::clone(&buffered);
        std::thread::Builder::new().name("log".into()).spawn(move || writer.write_out(out))?;
        Ok(Log { sink: Sink::Buffered(buffered), show })
    }

    /// Lines go to the returned [`Transcript`], for tests, shown escaped.
    pub fn capture() -> (Log, Transcript) {
        let (sender, receiver) = mpsc::unbounded_channel();
        let transcript = Transcript { receiver, seen: Vec::new(), returned: 0 };
        (Log { sink: Sink::Capture(sender), show: Show::Escaped }, transcript)
    }

    /// The same log, showing control characters as `show` says.
    pub fn showing(self, show: Show) -> Log {
        Log { show, ..self }
    }

    /// Writes one line. Like `console.log`, it adds a newline, even when
    /// the text already ends with one. Never waits for the reader.
    pub fn line(&self, text: impl Display) {
        match &self.sink {
            Sink::Buffered(buffered) => buffered.push(text, self.show),
            // A test that stopped listening is not the server's problem.
            Sink::Capture(sender) => {
                let mut line = Vec::new();
                format_line(&mut line, &mut String::new(), text, self.show);
                line.pop(); // the newline: a transcript holds lines
                let _ = sender.send(String::from_utf8_lossy(&line).into_owned());
            }
        }
    }

    /// Waits until every line logged so far is written, as long as the
    /// reader keeps reading: a reader that takes nothing for a second is
    /// given up on, so that stopping never hangs on a stalled output.
    pub fn flush(&self) {
        if let Sink::Buffered(buffered) = &self.sink {
            buffered.flush();
        }
    }
}

/// The lines waiting for the writer thread, and what it is doing.
#[derive(Debug, Default)]
struct Buffered {
    state: Mutex<State>,
    /// Signalled when there is something to write.
    filled: Condvar,
    /// Signalled when the writer has written a batch.
    written: Condvar,
}

#[derive(Debug, Default)]
struct State {
    pending: Vec<u8>,
    /// Room to format a line in before it goes into `pending`.
    scratch: String,
    /// Lines dropped since the last notice about it.
    dropped: u64,
    /// Batches written so far, to tell progress from a stall.
    batches: u64,
    /// Whether the writer holds a batch it has not finished writing.
    writing: bool,
    /// Whether the writer sleeps, waiting for lines. Only then is it woken:
    /// waking costs a system call, and a busy writer will come back anyway.
    idle: bool,
    /// Whether someone waits in [`Log::flush`]: the writer then writes at
    /// once, without lingering.
    flushing: bool,
}

impl Buffered {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a panic elsewhere; the bytes are fine.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn push(&self, text: impl Display, show: Show) {
        let mut state = self.lock();
        // The longest a line can be, once escaped and cut, with its ending.
        let longest = LINE_LIMIT + 64;
        if state.dropped > 0 && state.pending.len() + 2 * longest <= BUFFER_LIMIT {
            state.note_dropped();
        }
        if state.pending.len() + longest > BUFFER_LIMIT {
            state.dropped += 1;
            return;
        }
        let State { pending, scratch, .. } = &mut *state;
        format_line(pending, scratch, text, show);
        if std::mem::take(&mut state.idle) {
            drop(state);
            self.filled.notify_one();
        }
    }

    /// The writer thread: once a line is waiting, lets more gather for
    /// [`LINGER`], then takes everything pending at once and writes it in one
    /// go, so a burst of lines costs one system call, not one each.
    fn write_out(&self, mut out: impl Write) {
        let mut batch = Vec::new();
        loop {
            let mut state = self.lock();
            while state.pending.is_empty() {
                state.idle = true;
                state = self.filled.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if !state.flushing {
                // Lines pushed meanwhile do not wake us (we are not idle);
                // only a flush does, to cut the wait short.
                state = self
                    .filled
                    .wait_timeout(state, LINGER)
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .0;
            }
            std::mem::swap(&mut batch, &mut state.pending);
            state.writing = true;
            drop(state);
            // An output that has gone away (`| head -1`) is not an error for
            // the server: the lines are thrown away and it goes on.
            let _ = out.write_all(&batch).and_then(|()| out.flush());
            batch.clear();
            let mut state = self.lock();
            state.writing = false;
            state.batches += 1;
            drop(state);
            self.written.notify_all();
        }
    }

    fn flush(&self) {
        let mut state = self.lock();
        if state.dropped > 0 {
            state.note_dropped();
        }
        state.idle = false;
        state.flushing = true;
        self.filled.notify_one(); // wakes the writer, sleeping or lingering
        while !state.pending.is_empty() || state.writing {
            let before = state.batches;
            let (next, _) = self
                .written
                .wait_timeout(state, FLUSH_PATIENCE)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state = next;
            if state.batches == before {
                break; // no progress: the reader has stalled
            }
        }
        state.flushing = false;
    }
}

impl State {
    fn note_dropped(&mut self) {
        let dropped = std::mem::take(&mut self.dropped);
        let notice =
            format_args!("[log: {dropped} line(s) dropped: the output was not read fast enough]");
        format_line(&mut self.pending, &mut self.scratch, notice, Show::Escaped);
    }
}

/// How many bytes of the end of a cut line are still shown: where a line
/// ends with who sent it (`… from 127.0.0.1:53211`), that part stays.
pub const TAIL_SHOWN: usize = 64;

/// Appends `text` to `out` as one line: escaped as `show` says, cut in the
/// middle when it is longer than [`LINE_LIMIT`], with a note of how much was
/// left out, and `\n`. `scratch` is room to format in, reused between lines.
pub(crate) fn format_line(out: &mut Vec<u8>, scratch: &mut String, text: impl Display, show: Show) {
    scratch.clear();
    let _ = write!(Escaping { out: scratch, show }, "{text}");
    if scratch.len() <= LINE_LIMIT {
        out.extend_from_slice(scratch.as_bytes());
    } else {
        let head = scratch.floor_char_boundary(LINE_LIMIT - TAIL_SHOWN);
        let tail = scratch.ceil_char_boundary(scratch.len() - TAIL_SHOWN);
        out.extend_from_slice(&scratch.as_bytes()[..head]);
        let _ = write!(out, "[… {} bytes not shown …]", tail - head);
        out.extend_from_slice(&scratch.as_bytes()[tail..]);
    }
    out.push(b'\n');
}

/// Writes text through, with control characters escaped if `show` says so.
struct Escaping<'a> {
    out: &'a mut String,
    show: Show,
}

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if self.show == Show::Exact || !text.contains(char::is_control) {
            self.out.push_str(text); // the usual case
            return Ok(());
        }
        for ch in text.chars() {
            match ch.is_control() {
                true => write!(self.out, "{}", ch.escape_debug())?,
                false => self.out.push(ch),
            }
        }
        Ok(())
    }
}

/// The log lines of a server under test, in order.
#[derive(Debug)]
pub struct Transcript {
    receiver: mpsc::UnboundedReceiver<String>,
    seen: Vec<String>,
    /// How many lines of `seen` the waits have gone past.
    returned: usize,
}

/// How long a test waits for a log line before it gives up. A bound against
/// hanging forever, not a way to synchronise: tests wait for the line itself.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

impl Transcript {
    /// Waits for the next line equal to `expected`, and returns it. Panics
    /// if it does not come within 20 seconds or the log closes.
    pub async fn wait_for(&mut self, expected: &str) -> String {
        self.wait_until(|line| line == expected).await
    }

    /// Waits for the next line for which `wanted` is true: a line after the
    /// one the previous wait returned. So waiting twice for `received: hi`
    /// waits for a second such line, not the first one again.
    pub async fn wait_until(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        loop {
            if let Some(offset) = self.seen[self.returned..].iter().position(|line| wanted(line)) {
                self.returned += offset + 1;
                return self.seen[self.returned - 1].clone();
            }
            match tokio::time::timeout(PATIENCE, self.receiver.recv()).await {
                Ok(Some(line)) => self.seen.push(line),
                Ok(None) => panic!("the log closed; lines so far: {:#?}", self.seen),
                Err(_) => {
                    panic!("no such line within {PATIENCE:?}; lines so far: {:#?}", self.seen)
                }
            }
        }
    }

    /// Every line logged so far, in order, one per line.
    pub fn text(&mut self) -> String {
        while let Ok(line) = self.receiver.try_recv() {
            self.seen.push(line);
        }
        self.seen.iter().map(|line| format!("{line}\n")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, show: Show) -> String {
        let mut out = Vec::new();
        format_line(&mut out, &mut String::new(), text, show);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn control_characters_are_escaped_unless_exact_is_asked_for() {
        let forged = "hi\nserver stopped\n\u{1b}[2J";
        assert_eq!(shown(forged, Show::Escaped), "hi\\nserver stopped\\n\\u{1b}[2J\n");
        assert_eq!(shown(forged, Show::Exact), format!("{forged}\n"));
        assert_eq!(shown("tab\tand 你好", Show::Escaped), "tab\\tand 你好\n");
    }

    #[test]
    fn a_long_line_is_cut_in_the_middle_and_says_how_much_is_left_out() {
        let long = format!("received: {} from 127.0.0.1:4242", "é".repeat(5000));
        let line = shown(&long, Show::Exact);
        let (head, rest) = line.split_once("[… ").unwrap();
        let (note, tail) = rest.split_once(" …]").unwrap();
        assert!(head.starts_with("received: éé") && head.len() <= LINE_LIMIT - TAIL_SHOWN);
        assert!(tail.ends_with("é from 127.0.0.1:4242\n") && tail.len() <= TAIL_SHOWN + 1);
        let visible = head.len() + tail.len() - 1;
        assert_eq!(note, format!("{} bytes not shown", long.len() - visible));
        // Escapes count towards the limit: a line of newlines shows as `\n`s.
        let newlines = shown(&"\n".repeat(LINE_LIMIT), Show::Escaped);
        assert!(newlines.starts_with(&"\\n".repeat(400)), "{newlines}");
        assert!(newlines.contains(&format!("[… {} bytes not shown …]", 2 * LINE_LIMIT - 1024)));
    }

    #[test]
    fn a_reader_that_never_reads_costs_lines_not_progress() {
        const LINES: usize = 2000;
        let (mut reader, writer) = io::pipe().unwrap();
        let log = Log::to_writer(writer, Show::Escaped).unwrap();
        // Far more than the pipe (64 KiB) and the buffer hold together: if
        // logging waited for the reader, this would never finish.
        let (finished, logged) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for _ in 0..LINES {
                log.line("x".repeat(999));
            }
            log.flush(); // gives up: nothing is read
            finished.send(()).unwrap();
        });
        logged.recv_timeout(PATIENCE).expect("logging waited for a reader that never reads");

        // Now read: every line was either written, or counted in a notice.
        let counts = |text: &str| {
            let written = text.lines().filter(|line| *line == "x".repeat(999)).count();
            let dropped: usize = text
                .lines()
                .filter_map(|line| {
                    line.strip_prefix("[log: ")?.split_once(" ")?.0.parse::<usize>().ok()
                })
                .sum();
            (written, dropped)
        };
        let mut text = String::new();
        let mut chunk = [0; 64 * 1024];
        while counts(&text).0 + counts(&text).1 < LINES {
            let n = io::Read::read(&mut reader, &mut chunk).unwrap();
            assert!(n > 0, "the output ended with lines neither written nor counted:\n{text}");
            text.push_str(std::str::from_utf8(&chunk[..n]).unwrap());
        }
        let (written, dropped) = counts(&text);
        assert!(dropped > 0 && written > 0, "{written} written, {dropped} dropped");
        assert_eq!(written + dropped, LINES, "every line is written or counted");
    }

    #[tokio::test]
    async fn waiting_twice_for_the_same_line_waits_for_a_second_one() {
        let (log, mut transcript) = Log::capture();
        log.line("received: hi");
        log.line("something else");
        assert_eq!(transcript.wait_for("received: hi").await, "received: hi");
        // Polled once: with no second line yet, it is not ready.
        let again = tokio::time::timeout(Duration::ZERO, transcript.wait_for("received: hi"));
        assert!(again.await.is_err(), "the first line was matched again");
        log.line("received: hi");
        assert_eq!(transcript.wait_for("received: hi").await, "received: hi");
        assert_eq!(transcript.text(), "received: hi\nsomething else\nreceived: hi\n");
    }

    #[test]
    fn a_line_exactly_at_the_limit_is_whole() {
        let line = "x".repeat(LINE_LIMIT);
        assert_eq!(shown(&line, Show::Escaped), format!("{line}\n"));
        let line = format!("{line}y");
        assert!(shown(&line, Show::Escaped).contains("[… 1 bytes not shown …]"));
    }
}
