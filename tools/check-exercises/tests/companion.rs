//! `cargo exercises` as a learner uses it, on a tiny course of its own
//! (`tests/fixtures/course`: one lesson, two exercises), copied to a fresh
//! directory for each test so that the learner's edits stay there.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a test waits for one line of `watch` before it fails.
const PATIENCE: Duration = Duration::from_secs(120);

const ADD: &str = "lessons/lesson-01/exercises/add.rs";
const ECHO: &str = "lessons/lesson-01/exercises/echo.rs";

/// A copy of the fixture course, removed at the end of the test.
struct Course {
    root: PathBuf,
}

impl Course {
    fn new(name: &str) -> Course {
        let root = std::env::temp_dir()
            .join(format!("check-exercises-course-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course"), &root);
        Course { root }
    }

    /// The tool, run on this course, its standard input empty (no terminal).
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_check-exercises"));
        command
            .args(args)
            .env("CHECK_EXERCISES_ROOT", &self.root)
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .env("CARGO_NET_OFFLINE", "true")
            .env("COLUMNS", "80")
            .stdin(Stdio::null());
        command
    }

    /// Runs the tool: its exit code and what it printed.
    fn run(&self, args: &[&str]) -> (Option<i32>, String) {
        let Output { status, stdout, stderr } = self.command(args).output().unwrap();
        let printed =
            String::from_utf8_lossy(&stdout).into_owned() + &String::from_utf8_lossy(&stderr);
        (status.code(), printed)
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.root.join(file), text).unwrap();
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.root.join(file)).unwrap()
    }

    /// The body of a stub's function replaced by `body`.
    fn answer(&self, file: &str, body: &str) {
        let stub = self.read(file);
        let todo = stub.lines().find(|line| line.contains("todo!(")).unwrap();
        self.write(file, &stub.replace(todo, body));
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .current_dir(&self.root)
            .args(["-c", "user.name=Learner", "-c", "user.email=learner@example.com"])
            .args(args)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
}

impl Drop for Course {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        match entry.file_type().unwrap().is_dir() {
            true => copy(&entry.path(), &target),
            false => drop(std::fs::copy(entry.path(), target).unwrap()),
        }
    }
}

#[test]
fn progress_tells_not_started_failing_and_done_apart_and_names_what_to_do_next() {
    let course = Course::new("progress");
    // Saved again, unchanged: still not started (by content, not by time).
    course.write(ADD, &course.read(ADD));
    let (code, printed) = course.run(&[]);
    assert_eq!(code, Some(1), "{printed}");
    assert!(printed.contains("  · Exercise 1: add: not started\n"), "{printed}");
    assert!(printed.contains("  · Exercise 2: echo: not started\n"), "{printed}");
    assert!(printed.contains("] 0 of 2 exercises done (0 %)\n"), "{printed}");
    let next = "next: lesson-01, Exercise 1: add\n      edit: lessons/lesson-01/exercises/add.rs\n      \
                read: book/src/lesson-01.md#exercise-1-add\n";
    assert!(printed.contains(next), "{printed}");

    course.answer(ADD, "    a + b + 1");
    let (_, printed) = course.run(&[]);
    assert!(printed.contains("  ✗ Exercise 1: add: 1 of 1 checks fail\n"), "{printed}");
    assert!(printed.contains("next: lesson-01, Exercise 1: add\n"), "{printed}");

    course.answer(ECHO, "    todo!(\"started, not done\")");
    course.write(ADD, &course.read(ADD).replace("a + b + 1", "a + b"));
    let (code, printed) = course.run(&[]);
    assert_eq!(code, Some(1), "{printed}");
    assert!(printed.contains("  ✓ Exercise 1: add (1 checks pass)\n"), "{printed}");
    assert!(
        printed.contains("  ✗ Exercise 2: echo: started; its 2 checks still reach a todo!()\n"),
        "{printed}"
    );
    assert!(printed.contains("] 1 of 2 exercises done (50 %)\n"), "{printed}");
    assert!(printed.contains("next: lesson-01, Exercise 2: echo\n"), "{printed}");
}

#[test]
fn a_failing_check_shows_its_conversation_against_the_reference_and_compare_puts_them_side_by_side()
{
    let course = Course::new("compare");
    course.answer(ECHO, "    line.to_uppercase()");
    let (code, printed) = course.run(&["lesson-01", "echo"]);
    assert_eq!(code, Some(1), "{printed}");
    let failure =
        "      - an_empty_line_says_goodbye\n        at lessons/lesson-01/tests/exercises/echo.rs:";
    assert!(printed.contains(failure), "{printed}");
    let diff = "        the conversation (- yours only, + the reference's only):\n            \
                client → \"a\"\n            client ← \"A\"\n            client → \"\"\n          \
                - client ← \"\"\n          + client ← \"bye\"\n";
    assert!(printed.contains(diff), "{printed}");
    assert!(!printed.contains("lines_come_back_in_capitals"), "a passing check is not shown");

    let (code, printed) = course.run(&["compare", "lesson-01/echo"]);
    assert_eq!(code, Some(1), "{printed}");
    for line in printed.lines() {
        assert!(line.chars().count() <= 80, "wider than COLUMNS=80: {line:?}");
    }
    let lines: Vec<&str> = printed.lines().collect();
    let changed = lines.iter().find(|line| line.contains(" | ")).expect("a changed line");
    let (mine, theirs) = changed.split_once(" | ").unwrap();
    assert_eq!((mine.trim(), theirs), ("client ← \"\"", "client ← \"bye\""));
    assert!(
        printed
            .contains("── lines_come_back_in_capitals\n   yours ✓ passes · the reference ✓ passes"),
        "{printed}"
    );
}

#[test]
fn the_solution_is_shown_only_once_yours_passes() {
    let course = Course::new("solution");
    let (code, printed) = course.run(&["solution", "lesson-01", "add"]);
    assert_eq!(code, Some(1), "{printed}");
    assert!(printed.contains("shown once your version passes"), "{printed}");
    assert!(!printed.contains("a + b"), "{printed}");

    course.answer(ADD, "    b + a");
    let (code, printed) = course.run(&["solution", "lesson-01", "add"]);
    assert_eq!(code, Some(0), "{printed}");
    assert!(
        printed.contains("The reference solution, solutions/lesson-01/src/add.rs:"),
        "{printed}"
    );
    assert!(printed.contains("    a + b\n"), "{printed}");
}

#[test]
fn reset_asks_then_puts_back_one_stub_even_after_the_learner_committed() {
    let course = Course::new("reset");
    let stub = course.read(ADD);
    course.git(&["init", "--quiet"]);
    course.git(&["add", "--all"]);
    course.git(&["commit", "--quiet", "--message", "the course"]);
    course.answer(ADD, "    a + b");
    course.answer(ECHO, "    line.to_uppercase()");
    course.git(&["commit", "--quiet", "--all", "--message", "my work"]);
    let (mine, my_echo) = (course.read(ADD), course.read(ECHO));

    // No terminal to ask on, and no --yes: nothing is touched.
    let (code, printed) = course.run(&["reset", "lesson-01", "add"]);
    assert_eq!(code, Some(2), "{printed}");
    assert!(printed.contains("add --yes"), "{printed}");
    assert_eq!(course.read(ADD), mine);

    let (code, printed) = course.run(&["reset", "lesson-01", "add", "--yes"]);
    assert_eq!(code, Some(0), "{printed}");
    assert_eq!(course.read(ADD), stub);
    assert_eq!(course.read(ECHO), my_echo, "only the exercise named is reset");
    let (_, printed) = course.run(&[]);
    assert!(printed.contains("  · Exercise 1: add: not started\n"), "{printed}");
}

#[test]
fn a_hint_is_suggested_once_an_exercise_keeps_failing() {
    let course = Course::new("stuck");
    course.answer(ADD, "    a * b + 1");
    let hint = "failed 3 runs in a row: cargo exercises hint lesson-01 add\n";
    for _ in 0..2 {
        let (_, printed) = course.run(&["lesson-01", "add"]);
        assert!(!printed.contains("runs in a row"), "{printed}");
    }
    let (_, printed) = course.run(&[]);
    assert!(printed.contains(hint), "{printed}");

    let (code, printed) = course.run(&["hint", "lesson-01", "add"]);
    assert_eq!(code, Some(0), "{printed}");
    assert!(printed.contains("Exercise 1: add, hint 1 of 2:\n\n  Think of `+`.\n"), "{printed}");
}

/// `cargo exercises watch`, running; killed when the test ends, however it ends.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watch {
    fn start(course: &Course) -> Watch {
        let mut child = course.command(&["watch"]).stdout(Stdio::piped()).spawn().unwrap();
        let (send, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Watch { child, lines }
    }

    /// Waits for a line that contains `expected`, for at most [`PATIENCE`].
    fn wait_for(&self, expected: &str) {
        let mut printed = Vec::new();
        loop {
            match self.lines.recv_timeout(PATIENCE) {
                Ok(line) if line.contains(expected) => return,
                Ok(line) => printed.push(line),
                Err(error) => panic!("no line with {expected:?} ({error}); printed: {printed:#?}"),
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_checks_again_on_every_save_and_moves_on_to_the_next_exercise() {
    let course = Course::new("watch");
    let mut watch = Watch::start(&course);
    watch.wait_for("watching lessons/lesson-01/exercises/add.rs");
    course.answer(ADD, "    a - b");
    watch.wait_for("✗ Exercise 1: add: 1 of 1 checks fail");
    watch.wait_for("watching lessons/lesson-01/exercises/add.rs");
    course.write(ADD, &course.read(ADD).replace("a - b", "a + b"));
    watch.wait_for("✓ Exercise 1: add");
    watch.wait_for("watching lessons/lesson-01/exercises/echo.rs");
    std::fs::copy(course.root.join("solutions/lesson-01/src/echo.rs"), course.root.join(ECHO))
        .unwrap();
    watch.wait_for("✓ Exercise 2: echo");
    watch.wait_for("every exercise from there on is done");
    // Its output has ended: it exits.
    assert_eq!(watch.lines.recv_timeout(PATIENCE), Err(mpsc::RecvTimeoutError::Disconnected));
    assert!(watch.child.wait().unwrap().success());
}

#[test]
fn watch_starts_at_the_exercise_begun_not_at_the_first_one() {
    let course = Course::new("watch-begun");
    course.answer(ECHO, "    line.to_owned()");
    let watch = Watch::start(&course);
    watch.wait_for("✗ Exercise 2: echo: 2 of 2 checks fail");
    watch.wait_for("watching lessons/lesson-01/exercises/echo.rs");
}

#[test]
fn verify_passes_on_the_course_and_names_a_stub_that_passes_and_a_solution_that_fails() {
    let course = Course::new("verify");
    // Not a git checkout: it checks the files as they are, and says so.
    let (code, printed) = course.run(&["--verify"]);
    assert_eq!(code, Some(0), "{printed}");
    assert!(printed.contains("verified: 2 exercises"), "{printed}");

    course.answer(ADD, "    a + b");
    course.write(
        "solutions/lesson-01/src/echo.rs",
        "pub fn reply(line: &str) -> String {\n    line.to_owned()\n}\n",
    );
    let (code, printed) = course.run(&["--verify"]);
    assert_eq!(code, Some(1), "{printed}");
    let lock = "lessons/lesson-01/exercises/stubs.lock: the stub of add has changed: write `add ";
    assert!(printed.contains(lock), "{printed}");
    assert!(
        printed.contains("✗ lesson-01/add two_and_two_make_four: passes on the stub"),
        "{printed}"
    );
    assert!(
        printed.contains(
            "✗ lesson-01/echo lines_come_back_in_capitals: fails on the reference solution"
        ),
        "{printed}"
    );
}

#[test]
fn an_exercise_missing_from_the_lock_is_still_told_apart_by_its_todo() {
    let course = Course::new("no-lock");
    course.write("lessons/lesson-01/exercises/stubs.lock", "");
    let (_, printed) = course.run(&[]);
    assert!(printed.contains("  · Exercise 1: add: not started\n"), "{printed}");
    course.answer(ADD, "    a + b");
    let (_, printed) = course.run(&[]);
    assert!(printed.contains("  ✓ Exercise 1: add (1 checks pass)\n"), "{printed}");
}
