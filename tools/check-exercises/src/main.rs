//! `cargo exercises`: the learner's companion. It shows the progress through
//! every lesson's exercises and what to do next; checks one exercise, a
//! lesson's or all, saying for each failure where, what was expected against
//! what happened, and the conversation it had; gives hints in two stages;
//! shows the reference solution once the learner's passes; runs the same
//! conversations against both and shows them side by side; puts one exercise
//! back to its stub; re-checks an exercise whenever it is saved; and, with
//! `--verify`, proves that the committed exercises are complete and that
//! every stub fails.
//!
//! Each exercise is its own test target (see `layout.rs`), run by its own
//! `cargo test`, so one that does not compile hides nothing of the others.

mod compare;
mod hints;
mod layout;
mod memory;
mod run;
mod stubs;
mod verify;

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use layout::Exercise;
use memory::{Memory, STUCK};
use run::{Check, Outcome, Side, Transcripts, Workspace};
use verify::indent;

/// How many failing checks of one exercise are listed.
const SHOWN: usize = 3;

/// What `todo!()` panics with.
pub const TODO_PANIC: &str = "not yet implemented";

/// How many lines of one panic message are shown.
const MESSAGE_LINES: usize = 8;

/// How often `watch` reads the file it watches. Reading a few kilobytes twice
/// a second costs nothing measurable; `notify` 8 would bring six crates new
/// to this workspace (notify, notify-types, inotify, inotify-sys, walkdir,
/// same-file; measured with `cargo tree`) to save it.
const POLL: Duration = Duration::from_millis(500);

/// Overrides the workspace the tool works on: for the tool's own tests.
const ROOT: &str = "CHECK_EXERCISES_ROOT";

const USAGE: &str = "\
usage: cargo exercises                           your progress: every exercise, and what to do next
       cargo exercises LESSON [EXERCISE]         check a lesson's exercises, or one, in detail
       cargo exercises check [LESSON [EXERCISE]] the same; with no lesson, every lesson
       cargo exercises hint LESSON EXERCISE      the first hint: the idea
       cargo exercises hint LESSON EXERCISE --more   the second: the precise step
       cargo exercises compare LESSON EXERCISE   your conversations beside the reference's
       cargo exercises solution LESSON EXERCISE  the reference solution, once yours passes
       cargo exercises reset LESSON EXERCISE [--yes]   your file back to its stub (asks first)
       cargo exercises watch [LESSON [EXERCISE]] check again whenever you save; Ctrl-C stops
       cargo exercises --verify [LESSON…]        for CI: every committed stub is complete and fails

An exercise is LESSON EXERCISE or LESSON/EXERCISE: lesson-03 line_framing, lesson-03/line_framing.";

fn main() -> ExitCode {
    let root = match std::env::var_os(ROOT) {
        Some(root) => PathBuf::from(root),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
    };
    let root = root.canonicalize().unwrap_or(root);
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `lesson-03/line_framing`, the id, works as well as two words.
    let words: Vec<&str> = args
        .iter()
        .flat_map(|arg| match arg.split_once('/') {
            Some((lesson, name)) if lesson.starts_with("lesson-") => vec![lesson, name],
            _ => vec![arg.as_str()],
        })
        .collect();
    let outcome = match words.as_slice() {
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            Ok(true)
        }
        ["--verify", lessons @ ..] if lessons.iter().all(|l| !l.starts_with('-')) => {
            Ok(verify::verify(&root, &target_dir, lessons))
        }
        words => {
            let mut course = Course {
                memory: Memory::load(&target_dir),
                workspace: Workspace { root, target_dir },
                reference: None,
            };
            course.dispatch(words)
        }
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Where a learner stands on one exercise.
#[derive(Debug)]
enum State {
    /// The file is still its stub, byte for byte; nothing was run.
    NotStarted,
    /// It was run: how it went.
    Ran(Outcome),
}

/// One exercise, assessed.
#[derive(Debug)]
struct Assessed {
    state: State,
    /// What the checks recorded, by check name.
    transcripts: Transcripts,
    /// Failing runs in a row, this one included.
    failures: u32,
}

impl Assessed {
    fn started(&self) -> bool {
        !matches!(self.state, State::NotStarted)
    }

    fn done(&self) -> bool {
        matches!(&self.state, State::Ran(Outcome::Ran(checks))
            if !checks.is_empty() && checks.iter().all(|check| check.passed))
    }

    /// One line: the mark, the title, and in a few words how it stands.
    fn summary(&self, exercise: &Exercise) -> String {
        let title = &exercise.title;
        match &self.state {
            State::NotStarted => format!("· {title}: not started"),
            State::Ran(Outcome::Ran(checks)) if self.done() => {
                format!("✓ {title} ({} checks pass)", checks.len())
            }
            State::Ran(Outcome::Ran(checks)) => {
                let failing: Vec<&Check> = checks.iter().filter(|check| !check.passed).collect();
                if failing.len() == checks.len() && failing.iter().all(|check| untouched(check)) {
                    format!("✗ {title}: started; its {} checks still reach a todo!()", checks.len())
                } else {
                    format!("✗ {title}: {} of {} checks fail", failing.len(), checks.len())
                }
            }
            State::Ran(Outcome::DoesNotCompile(_)) => format!("✗ {title}: does not compile"),
            State::Ran(Outcome::Broken(_)) => format!("✗ {title}: its checks did not finish"),
        }
    }
}

#[derive(Debug)]
struct Course {
    workspace: Workspace,
    memory: Memory,
    /// The reference solution's run of the exercise last compared.
    reference: Option<(String, Outcome, Transcripts)>,
}

impl Course {
    fn dispatch(&mut self, words: &[&str]) -> Result<bool, String> {
        let one = |what: &str| format!("{what} takes one exercise: LESSON EXERCISE\n\n{USAGE}");
        match words {
            [] => self.progress(),
            ["check", rest @ ..] if rest.len() <= 2 => {
                self.check(rest.first().copied(), rest.get(1).copied())
            }
            ["hint", lesson, name, stage @ ..] => hint(&self.workspace.root, lesson, name, stage),
            ["solution", lesson, name] => self.solution(lesson, name),
            ["compare", lesson, name] => self.compare(lesson, name),
            ["reset", lesson, name, flags @ ..] if flags.iter().all(|f| *f == "--yes") => {
                self.reset(lesson, name, !flags.is_empty())
            }
            ["watch", rest @ ..] if rest.len() <= 2 => {
                self.watch(rest.first().copied(), rest.get(1).copied())
            }
            ["hint" | "solution" | "compare" | "reset", ..] => Err(one(words[0])),
            [lesson] if !lesson.starts_with('-') => self.check(Some(lesson), None),
            [lesson, name] if !lesson.starts_with('-') && !name.starts_with('-') => {
                self.check(Some(lesson), Some(name))
            }
            _ => Err(format!("unexpected arguments: {}\n\n{USAGE}", words.join(" "))),
        }
    }

    /// Runs `exercise` unless its file is still the stub, and remembers how
    /// it went.
    fn assess(&mut self, exercise: &Exercise) -> Result<Assessed, String> {
        if stubs::untouched(&self.workspace.root, exercise) == Some(true) {
            let failures = self.memory.failures(&exercise.id());
            return Ok(Assessed {
                state: State::NotStarted,
                transcripts: Transcripts::new(),
                failures,
            });
        }
        let (outcome, transcripts) = self.workspace.run_recorded(exercise, Side::Yours)?;
        // Without a line in `stubs.lock` (verify asks for one), a file whose
        // every check stops at a `todo!()` is taken for not started.
        let at_todo = matches!(&outcome, Outcome::Ran(checks)
            if !checks.is_empty() && checks.iter().all(untouched));
        if at_todo && stubs::untouched(&self.workspace.root, exercise).is_none() {
            let failures = self.memory.failures(&exercise.id());
            return Ok(Assessed { state: State::NotStarted, transcripts, failures });
        }
        let mut assessed = Assessed { state: State::Ran(outcome), transcripts, failures: 0 };
        assessed.failures = self.memory.record(&exercise.id(), assessed.done());
        Ok(assessed)
    }

    /// `cargo exercises`: every exercise's state, a bar, and what to do next.
    fn progress(&mut self) -> Result<bool, String> {
        let exercises = select(&self.workspace.root, None, None)?;
        let mut next: Option<(&Exercise, Assessed)> = None;
        let mut done = 0;
        let mut lesson = "";
        for exercise in &exercises {
            if exercise.lesson != lesson {
                lesson = &exercise.lesson;
                println!("{lesson}");
            }
            let assessed = self.assess(exercise)?;
            println!("  {}", assessed.summary(exercise));
            // Next: the first one begun and not done, else the first not begun.
            if assessed.done() {
                done += 1;
            } else if next.as_ref().is_none_or(|(_, first)| assessed.started() && !first.started())
            {
                next = Some((exercise, assessed));
            }
        }
        println!();
        println!("{}", bar(done, exercises.len(), compare::terminal_width()));
        match next {
            Some((exercise, assessed)) => {
                println!("\nnext: {}, {}", exercise.lesson, exercise.title);
                where_to_look(exercise);
                println!(
                    "      check: cargo exercises {} {}   (or: cargo exercises watch)",
                    exercise.lesson, exercise.name
                );
                suggest_hint(exercise, assessed.failures);
                Ok(false)
            }
            None => {
                println!("\nEvery exercise is done. See the reference solutions beside yours:");
                println!("  cargo exercises solution LESSON EXERCISE");
                Ok(true)
            }
        }
    }

    /// `cargo exercises [check] [LESSON [EXERCISE]]`: each exercise in detail.
    fn check(&mut self, lesson: Option<&str>, name: Option<&str>) -> Result<bool, String> {
        let exercises = select(&self.workspace.root, lesson, name)?;
        let mut done = 0;
        let mut current_lesson = "";
        for exercise in &exercises {
            if exercise.lesson != current_lesson {
                current_lesson = &exercise.lesson;
                println!("{current_lesson}");
            }
            let assessed = self.assess(exercise)?;
            done += usize::from(self.show(exercise, &assessed)?);
        }
        println!("{}", bar(done, exercises.len(), compare::terminal_width()));
        Ok(done == exercises.len())
    }

    /// An exercise in detail: its state, where to look, and every failure
    /// with the conversation that led to it. Whether it is done.
    fn show(&mut self, exercise: &Exercise, assessed: &Assessed) -> Result<bool, String> {
        println!("  {}", assessed.summary(exercise));
        if assessed.done() {
            return Ok(true);
        }
        where_to_look(exercise);
        match &assessed.state {
            State::NotStarted => {}
            State::Ran(Outcome::Ran(checks)) => {
                let mut failing: Vec<&Check> =
                    checks.iter().filter(|check| !check.passed).collect();
                // All at the `todo!()`: the summary said so.
                if failing.len() == checks.len() && failing.iter().all(|check| untouched(check)) {
                    failing.clear();
                }
                failing.sort_by(|a, b| a.name.cmp(&b.name));
                let mut conversations = false;
                for check in failing.iter().take(SHOWN) {
                    show_failure(check);
                    if let Some(yours) = assessed.transcripts.get(&check.name) {
                        self.show_conversation(exercise, &check.name, yours)?;
                        conversations = true;
                    }
                }
                if failing.len() > SHOWN {
                    println!("      - and {} more", failing.len() - SHOWN);
                }
                if conversations {
                    println!(
                        "      side by side, every check: cargo exercises compare {} {}",
                        exercise.lesson, exercise.name
                    );
                }
            }
            State::Ran(Outcome::DoesNotCompile(error) | Outcome::Broken(error)) => {
                println!("{}", indent(error, 6));
            }
        }
        suggest_hint(exercise, assessed.failures);
        Ok(false)
    }

    /// The conversation of a failing check, as a diff against the reference
    /// solution's: the lines only yours has (`-`), only the reference has (`+`).
    fn show_conversation(
        &mut self,
        exercise: &Exercise,
        check: &str,
        yours: &str,
    ) -> Result<(), String> {
        let (_, transcripts) = self.reference(exercise)?;
        let yours: Vec<&str> = yours.lines().collect();
        println!("        the conversation (- yours only, + the reference's only):");
        let lines = match transcripts.get(check) {
            Some(theirs) => {
                let theirs: Vec<&str> = theirs.lines().collect();
                compare::diff(&compare::align(&yours, &theirs))
            }
            None => yours.iter().map(|line| format!("  {line}")).collect(),
        };
        println!("{}", indent(&lines.join("\n"), 10));
        Ok(())
    }

    /// The reference solution's run of `exercise`, run once per exercise.
    fn reference(&mut self, exercise: &Exercise) -> Result<(&Outcome, &Transcripts), String> {
        if self.reference.as_ref().is_none_or(|(id, ..)| *id != exercise.id()) {
            let (outcome, transcripts) = self.workspace.run_recorded(exercise, Side::Reference)?;
            self.reference = Some((exercise.id(), outcome, transcripts));
        }
        let (_, outcome, transcripts) = self.reference.as_ref().expect("just run");
        Ok((outcome, transcripts))
    }

    /// `cargo exercises solution LESSON EXERCISE`.
    fn solution(&mut self, lesson: &str, name: &str) -> Result<bool, String> {
        let exercise = select(&self.workspace.root, Some(lesson), Some(name))?.remove(0);
        let assessed = self.assess(&exercise)?;
        if !assessed.done() {
            println!("{}", assessed.summary(&exercise));
            println!("The reference solution is shown once your version passes:");
            println!("most of what an exercise teaches is in the failures you fix on the way.");
            println!("  check:  cargo exercises {lesson} {name}");
            println!("  stuck?  cargo exercises hint {lesson} {name}");
            return Ok(false);
        }
        let file = exercise.solution();
        let text = std::fs::read_to_string(self.workspace.root.join(&file))
            .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        println!("{}", assessed.summary(&exercise));
        println!("Yours passes. The reference solution, {}:\n", file.display());
        println!("{}", text.trim_end());
        println!("\nYours, to compare: {}", exercise.stub().display());
        Ok(true)
    }

    /// `cargo exercises compare LESSON EXERCISE`: each check's conversation
    /// with your code beside its conversation with the reference solution.
    fn compare(&mut self, lesson: &str, name: &str) -> Result<bool, String> {
        let exercise = select(&self.workspace.root, Some(lesson), Some(name))?.remove(0);
        let (yours, transcripts) = self.workspace.run_recorded(&exercise, Side::Yours)?;
        let mine = match &yours {
            Outcome::Ran(checks) => checks,
            Outcome::DoesNotCompile(error) | Outcome::Broken(error) => {
                println!(
                    "{}: yours did not run, so there is nothing to compare yet:",
                    exercise.title
                );
                println!("{}", indent(error, 2));
                return Ok(false);
            }
        };
        let passes = !mine.is_empty() && mine.iter().all(|check| check.passed);
        self.memory.record(&exercise.id(), passes);
        let width = compare::terminal_width();
        let (reference, theirs) = self.reference(&exercise)?;
        let Outcome::Ran(reference) = reference else {
            return Err(format!("the reference solution of {} did not run", exercise.id()));
        };
        println!("{}: your code and the reference solution, the same checks\n", exercise.title);
        let mut silent = Vec::new();
        let mut mine: Vec<&Check> = mine.iter().collect();
        mine.sort_by(|a, b| a.name.cmp(&b.name));
        for check in mine {
            let passed = reference.iter().any(|r| r.name == check.name && r.passed);
            let (Some(yours), Some(theirs)) =
                (transcripts.get(&check.name), theirs.get(&check.name))
            else {
                silent.push((check, passed));
                continue;
            };
            println!("── {}", check.name);
            println!("   yours {} · the reference {}", verdict(check.passed), verdict(passed));
            let yours: Vec<&str> = yours.lines().collect();
            let theirs: Vec<&str> = theirs.lines().collect();
            for line in compare::side_by_side(&compare::align(&yours, &theirs), width) {
                println!("{line}");
            }
            if !check.passed {
                show_failure(check);
            }
            println!();
        }
        if !silent.is_empty() {
            println!("These checks call your code directly and record no conversation:");
            for (check, passed) in silent {
                println!(
                    "  {} — yours {} · the reference {}",
                    check.name,
                    verdict(check.passed),
                    verdict(passed)
                );
                if !check.passed {
                    show_failure(check);
                }
            }
        }
        Ok(passes)
    }

    /// `cargo exercises reset LESSON EXERCISE [--yes]`.
    fn reset(&mut self, lesson: &str, name: &str, yes: bool) -> Result<bool, String> {
        let exercise = select(&self.workspace.root, Some(lesson), Some(name))?.remove(0);
        let file = exercise.stub();
        let path = self.workspace.root.join(&file);
        let stub = stubs::pristine(&self.workspace.root, &exercise)?;
        if std::fs::read(&path).is_ok_and(|now| now == stub) {
            println!("{} is its stub already: nothing to do", file.display());
            return Ok(true);
        }
        if !yes {
            if !std::io::stdin().is_terminal() {
                return Err(format!(
                    "not resetting {} without asking, and there is no terminal to ask on: \
                     add --yes",
                    file.display()
                ));
            }
            println!(
                "This puts {} back to its stub: your version of it is lost, unless you \
                 committed it. No other file is touched.",
                file.display()
            );
            print!("Reset it? [y/N] ");
            std::io::stdout().flush().map_err(|error| error.to_string())?;
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer).map_err(|error| error.to_string())?;
            if !matches!(answer.trim(), "y" | "Y" | "yes") {
                println!("{} is left as it was", file.display());
                return Ok(false);
            }
        }
        std::fs::write(&path, &stub)
            .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
        self.memory.forget(&exercise.id());
        println!("{} is its stub again: {}", file.display(), exercise.title);
        Ok(true)
    }

    /// Where `watch` starts, as the progress's "next": the first exercise
    /// begun and not done, else the first not begun. Only those begun are run.
    fn current(&mut self, exercises: &[Exercise]) -> Result<usize, String> {
        let mut first_new = None;
        for (at, exercise) in exercises.iter().enumerate() {
            if stubs::untouched(&self.workspace.root, exercise) == Some(true) {
                first_new.get_or_insert(at);
            } else if !self.assess(exercise)?.done() {
                return Ok(at);
            }
        }
        Ok(first_new.unwrap_or(exercises.len()))
    }

    /// `cargo exercises watch [LESSON [EXERCISE]]`: checks the exercise now,
    /// then each time its file changes; on to the next once it passes. Ends
    /// when every exercise from there on is done, or at Ctrl-C.
    fn watch(&mut self, lesson: Option<&str>, name: Option<&str>) -> Result<bool, String> {
        let exercises = select(&self.workspace.root, lesson, None)?;
        let mut at = match name {
            Some(name) => select(&self.workspace.root, lesson, Some(name))
                .map(|one| exercises.iter().position(|e| *e == one[0]).unwrap_or(0))?,
            None => self.current(&exercises)?,
        };
        while let Some(exercise) = exercises.get(at) {
            let path = self.workspace.root.join(exercise.stub());
            // Read before the check: a save made while it runs is a change.
            let checked = std::fs::read(&path).unwrap_or_default();
            let assessed = self.assess(exercise)?;
            if self.show(exercise, &assessed)? {
                at += 1;
                continue;
            }
            println!(
                "watching {}: save it to check again (Ctrl-C stops)",
                exercise.stub().display()
            );
            // Compared by content: an editor that saves the same bytes again
            // does not start a run.
            while std::fs::read(&path).unwrap_or_default() == checked {
                std::thread::sleep(POLL);
            }
            println!();
        }
        println!("every exercise from there on is done");
        Ok(true)
    }
}

/// `✓ passes` or `✗ fails`.
fn verdict(passed: bool) -> &'static str {
    match passed {
        true => "✓ passes",
        false => "✗ fails",
    }
}

/// `[██████░░░░] 3 of 7 exercises done (42 %)`, fitted to `width`.
fn bar(done: usize, total: usize, width: usize) -> String {
    let words = format!(
        "{done} of {total} exercises done ({} %)",
        (done * 100).checked_div(total).unwrap_or(100)
    );
    let cells = width.saturating_sub(words.chars().count() + 3).clamp(10, 40);
    let full = (done * cells).checked_div(total).unwrap_or(cells);
    format!("[{}{}] {words}", "█".repeat(full), "░".repeat(cells - full))
}

/// The exercises named: all, a lesson's, or one.
fn select(root: &Path, lesson: Option<&str>, name: Option<&str>) -> Result<Vec<Exercise>, String> {
    let lessons = layout::lessons(root)?;
    let Some(lesson) = lesson else {
        return Ok(lessons.iter().flat_map(|lesson| layout::exercises(root, lesson)).collect());
    };
    if !lessons.iter().any(|known| known == lesson) {
        return Err(format!(
            "{lesson} has no exercises; lessons with exercises: {}",
            lessons.join(", ")
        ));
    }
    let exercises = layout::exercises(root, lesson);
    let Some(name) = name else {
        return Ok(exercises);
    };
    match exercises.iter().find(|exercise| exercise.name == name) {
        Some(exercise) => Ok(vec![exercise.clone()]),
        None => Err(format!(
            "{lesson} has no exercise {name}; it has: {}",
            exercises.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ")
        )),
    }
}

fn where_to_look(exercise: &Exercise) {
    println!("      edit: {}", exercise.stub().display());
    println!("      read: {}", exercise.where_to_read());
}

/// After [`STUCK`] failing runs in a row, the hint to ask for.
fn suggest_hint(exercise: &Exercise, failures: u32) {
    let (lesson, name) = (&exercise.lesson, &exercise.name);
    if failures >= 2 * STUCK {
        println!(
            "      failed {failures} runs in a row: cargo exercises hint {lesson} {name} --more"
        );
    } else if failures >= STUCK {
        println!("      failed {failures} runs in a row: cargo exercises hint {lesson} {name}");
    }
}

/// Whether a check failed first at a `todo!()`.
fn untouched(check: &Check) -> bool {
    check.panics.first().is_some_and(|panic| panic.message.starts_with(TODO_PANIC))
}

/// A failed check: its name, then where it panicked first and what it said.
fn show_failure(check: &Check) {
    println!("      - {}", check.name);
    let Some(panic) = check.panics.first() else {
        println!("        (it failed without a panic message)");
        return;
    };
    println!("        at {}", panic.location);
    let lines: Vec<&str> = panic.message.lines().collect();
    for line in lines.iter().take(MESSAGE_LINES) {
        println!("        {line}");
    }
    if lines.len() > MESSAGE_LINES {
        println!("        … ({} more lines)", lines.len() - MESSAGE_LINES);
    }
}

/// `cargo exercises hint LESSON EXERCISE [1 | 2 | --more]`.
fn hint(root: &Path, lesson: &str, name: &str, stage: &[&str]) -> Result<bool, String> {
    let stage = match stage {
        [] | ["1"] => 1,
        ["2" | "--more"] => 2,
        _ => {
            return Err(format!(
                "a hint is 1 or 2 (or --more), not {}\n\n{USAGE}",
                stage.join(" ")
            ));
        }
    };
    let exercise = select(root, Some(lesson), Some(name))?.remove(0);
    let file = layout::hints_file(lesson);
    let text = std::fs::read_to_string(root.join(&file))
        .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    let hints = hints::parse(&text);
    let text = hints
        .get(name)
        .and_then(|stages| stages.get(stage - 1))
        .ok_or_else(|| format!("{} has no hint {stage} for {name}", file.display()))?;
    println!("{}, hint {stage} of {}:\n", exercise.title, hints::STAGES);
    println!("{}\n", indent(text, 2));
    match stage {
        1 => println!("More precise: cargo exercises hint {lesson} {name} --more"),
        _ => println!(
            "Still stuck? Read {}; then see where your conversations part from the \
             reference's: cargo exercises compare {lesson} {name}",
            exercise.where_to_read()
        ),
    }
    Ok(true)
}
