//! Runs one exercise's test target and reads what libtest and the compiler say.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::layout::Exercise;

/// How many lines of the compiler's first error are shown.
const ERROR_LINES: usize = 15;

/// Where and how to run cargo.
#[derive(Debug)]
pub struct Workspace {
    /// The workspace root to build (the learner's, or a pristine copy).
    pub root: PathBuf,
    /// Where cargo builds.
    pub target_dir: PathBuf,
}

/// How an exercise went.
#[derive(Debug)]
pub enum Outcome {
    /// Its target did not build: the compiler's first error.
    DoesNotCompile(String),
    /// Its checks ran.
    Ran(Vec<Check>),
    /// It built, but its checks did not finish: what cargo said.
    Broken(String),
}

/// How one check went.
#[derive(Debug, PartialEq, Eq)]
pub struct Check {
    /// The test's name without its module: `a_line_split_over_two_chunks_comes_out_once`.
    pub name: String,
    pub passed: bool,
    /// The panics it printed, in order (a check that spawns a thread may see two).
    pub panics: Vec<Panic>,
}

/// One panic: where, and what it said.
#[derive(Debug, PartialEq, Eq)]
pub struct Panic {
    /// `lessons/lesson-03/tests/exercises/line_framing.rs:52:5`.
    pub location: String,
    /// The message, lines joined by `\n`.
    pub message: String,
}

/// Whose code an exercise's checks run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The learner's file: `lessons/LESSON/exercises/NAME.rs`.
    Yours,
    /// The reference solution: `solutions/LESSON/src/NAME.rs`.
    Reference,
}

/// The transcript each check recorded, by check name.
pub type Transcripts = BTreeMap<String, String>;

impl Workspace {
    /// Builds the exercise's stub with its checks, and runs them.
    pub fn run(&self, exercise: &Exercise) -> Result<Outcome, String> {
        Ok(self.run_recorded(exercise, Side::Yours)?.0)
    }

    /// Runs the exercise's checks against one side, and collects the
    /// conversations they record (`lesson_support::conversation`).
    pub fn run_recorded(
        &self,
        exercise: &Exercise,
        side: Side,
    ) -> Result<(Outcome, Transcripts), String> {
        let (package, label) = match side {
            Side::Yours => (exercise.lesson.clone(), "yours"),
            Side::Reference => (format!("{}-solutions", exercise.lesson), "reference"),
        };
        let dir = self
            .target_dir
            .join("exercises/transcripts")
            .join(label)
            .join(&exercise.lesson)
            .join(&exercise.name);
        // Last run's transcripts must not pass for this run's.
        match std::fs::remove_dir_all(&dir) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(format!("cannot empty {}: {error}", dir.display()));
            }
            _ => {}
        }
        std::fs::create_dir_all(&dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .current_dir(&self.root)
            .arg("test")
            .arg("--manifest-path")
            .arg(self.root.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&self.target_dir)
            .args(["--color", "never", "--package", &package])
            .args(["--test", &exercise.name, "--", "--test-threads", "4"])
            // A backtrace would follow every failure, cut off; the panic's
            // location and message are what a learner needs.
            .env("RUST_BACKTRACE", "0")
            .env_remove("RUST_LIB_BACKTRACE")
            .env(TRANSCRIPTS, &dir)
            .output()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let outcome = if stdout.lines().any(|line| line.starts_with("test result:")) {
            Outcome::Ran(parse(&stdout))
        } else if stderr.contains("error: could not compile") {
            Outcome::DoesNotCompile(first_error(&stderr))
        } else {
            // Built, but the test binary died before its summary (an abort, a
            // stack overflow), or cargo itself failed.
            Outcome::Broken(tail(&stderr))
        };
        Ok((outcome, transcripts(&dir)))
    }
}

/// The variable `lesson_support::conversation` reads: where each check
/// writes its transcript, as `CHECK.txt`.
const TRANSCRIPTS: &str = "EXERCISE_TRANSCRIPTS";

/// The transcripts in `dir`, by check name.
fn transcripts(dir: &Path) -> Transcripts {
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    entries
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?.strip_suffix(".txt")?.to_owned();
            Some((name, std::fs::read_to_string(entry.path()).ok()?))
        })
        .collect()
}

/// The compiler's first error, from `error…` to the blank line after it; or
/// the end of what cargo said, if it has no such error.
pub fn first_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().position(|line| {
        line.starts_with("error") && !line.starts_with("error: could not compile")
    });
    match start {
        Some(start) => lines[start..]
            .iter()
            .take_while(|line| !line.trim().is_empty())
            .take(ERROR_LINES)
            .map(|line| match line.split_once("--> ") {
                Some((arrow, location)) => format!("{arrow}--> {}", tidy(location)),
                None => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        None => tail(stderr),
    }
}

/// The last lines cargo wrote.
fn tail(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    lines[lines.len().saturating_sub(ERROR_LINES)..].join("\n")
}

/// Reads libtest's plain output: `test MODULE::NAME ... ok|FAILED`, then a
/// `---- MODULE::NAME stdout ----` section for every failure.
pub fn parse(stdout: &str) -> Vec<Check> {
    let mut sections: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut current = None;
    for line in stdout.lines() {
        if let Some(name) = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name);
        } else if line == "failures:" || line.starts_with("test result:") {
            current = None;
        } else if let Some(name) = current {
            sections.entry(name).or_default().push(line);
        }
    }

    let mut checks = Vec::new();
    for line in stdout.lines() {
        let Some((name, outcome)) =
            line.strip_prefix("test ").and_then(|rest| rest.split_once(" ... "))
        else {
            continue;
        };
        checks.push(Check {
            name: name.rsplit("::").next().unwrap_or(name).to_owned(),
            passed: outcome == "ok",
            panics: panics(sections.get(name).map(Vec::as_slice).unwrap_or_default()),
        });
    }
    checks
}

/// The panics in a failed test's output:
/// `thread 'NAME' panicked at FILE:LINE:COL:` then the message's lines.
fn panics(section: &[&str]) -> Vec<Panic> {
    let mut panics: Vec<Panic> = Vec::new();
    let mut in_message = false;
    for line in section {
        // `thread 'NAME' panicked at …`; newer Rust adds the thread's id:
        // `thread 'NAME' (ID) panicked at …`.
        if let Some(location) = line
            .strip_prefix("thread '")
            .and_then(|rest| rest.split_once(" panicked at "))
            .and_then(|(_, at)| at.strip_suffix(':'))
        {
            panics.push(Panic { location: tidy(location), message: String::new() });
            in_message = true;
        } else if line.starts_with("note: ") || line.starts_with("stack backtrace:") {
            in_message = false;
        } else if in_message {
            let panic = panics.last_mut().expect("a message follows its panic line");
            if !panic.message.is_empty() {
                panic.message.push('\n');
            }
            panic.message.push_str(line);
        }
    }
    for panic in &mut panics {
        panic.message = panic.message.trim_end().to_owned();
    }
    panics
}

/// `lessons/lesson-03/tests/../exercises/x.rs:3:9` (how rustc names a module
/// file reached by `#[path]`) as `lessons/lesson-03/exercises/x.rs:3:9`.
fn tidy(location: &str) -> String {
    let mut path = PathBuf::new();
    for component in Path::new(location).components() {
        match component {
            Component::ParentDir if path.file_name().is_some() => {
                path.pop();
            }
            other => path.push(other),
        }
    }
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "
running 3 tests
test checks::passes ... ok
test checks::todo ... FAILED
test checks::two_panics ... FAILED

failures:

---- checks::todo stdout ----

thread 'checks::todo' (15095) panicked at lessons/lesson-03/tests/../exercises/x.rs:40:9:
not yet implemented: exercise 1
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- checks::two_panics stdout ----

thread '<unnamed>' panicked at lessons/lesson-03/tests/../exercises/x.rs:9:5:
first
thread 'checks::two_panics' panicked at lessons/lesson-03/tests/exercises/x.rs:20:5:
assertion `left == right` failed: the message
  left: \"a\"
 right: \"b\"


failures:
    checks::todo
    checks::two_panics

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out
";

    #[test]
    fn results_panics_locations_and_messages_are_read() {
        let checks = parse(OUTPUT);
        let summary: Vec<(&str, bool, usize)> =
            checks.iter().map(|c| (c.name.as_str(), c.passed, c.panics.len())).collect();
        assert_eq!(summary, [("passes", true, 0), ("todo", false, 1), ("two_panics", false, 2)]);
        assert_eq!(
            checks[1].panics[0],
            Panic {
                location: "lessons/lesson-03/exercises/x.rs:40:9".into(),
                message: "not yet implemented: exercise 1".into(),
            }
        );
        assert_eq!(checks[2].panics[0].message, "first");
        assert_eq!(checks[2].panics[1].location, "lessons/lesson-03/tests/exercises/x.rs:20:5");
        assert_eq!(
            checks[2].panics[1].message,
            "assertion `left == right` failed: the message\n  left: \"a\"\n right: \"b\""
        );
    }

    #[test]
    fn the_first_compiler_error_is_kept_whole_and_alone() {
        let stderr = "   Compiling lesson-03 v0.1.0\n\
            error[E0063]: missing field `pending` in initializer of `LineFramer`\n  \
            --> lessons/lesson-03/tests/../exercises/line_framing.rs:49:9\n   |\n\n\
            error[E0599]: the second\n\n\
            error: could not compile `lesson-03` (test \"line_framing\") due to 2 previous errors\n";
        let error = first_error(stderr);
        assert!(error.starts_with("error[E0063]: missing field `pending`"), "{error}");
        assert!(
            error.contains("  --> lessons/lesson-03/exercises/line_framing.rs:49:9\n"),
            "{error}"
        );
        assert!(error.ends_with("   |"), "{error}");
        assert_eq!(
            first_error("a\nerror: could not compile `x`\n"),
            "a\nerror: could not compile `x`"
        );
    }

    #[test]
    fn paths_through_path_attributes_are_tidied() {
        assert_eq!(tidy("a/b/tests/../../../c/d.rs:1:2"), "c/d.rs:1:2");
        assert_eq!(tidy("a/tests/exercises/x.rs:3:4"), "a/tests/exercises/x.rs:3:4");
    }
}
