//! `cargo exercises`: checks a learner's exercises and says, for each, done or
//! which checks fail (where, and what they said), the file to edit and the
//! book section to read; gives hints in two stages; and, with `--verify`,
//! proves that the committed exercises are complete and that every stub fails.
//!
//! Each exercise is its own test target (see `layout.rs`), run by its own
//! `cargo test`, so one that does not compile hides nothing of the others.

mod hints;
mod layout;
mod run;
mod verify;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use layout::Exercise;
use run::{Check, Outcome, Workspace};
use verify::indent;

/// How many failing checks of one exercise are listed.
const SHOWN: usize = 3;

/// What `todo!()` panics with.
pub const TODO_PANIC: &str = "not yet implemented";

/// How many lines of one panic message are shown.
const MESSAGE_LINES: usize = 8;

const USAGE: &str = "\
usage: cargo exercises [LESSON [EXERCISE]]       check your exercises (all, a lesson's, or one)
       cargo exercises hint LESSON EXERCISE      the first hint: the idea
       cargo exercises hint LESSON EXERCISE --more   the second: the precise step
       cargo exercises --verify [LESSON…]        for CI: every committed stub is complete and fails

examples: cargo exercises lesson-03
          cargo exercises lesson-03 line_framing
          cargo exercises hint lesson-03 line_framing";

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match words.as_slice() {
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            Ok(true)
        }
        ["--verify", lessons @ ..] if lessons.iter().all(|l| !l.starts_with('-')) => {
            Ok(verify::verify(&root, &target_dir, lessons))
        }
        ["hint", lesson, exercise, stage @ ..] => hint(&root, lesson, exercise, stage),
        [] => check(&Workspace { root: root.clone(), target_dir }, None, None),
        [lesson] if !lesson.starts_with('-') => {
            // `lesson-03/line_framing`, the id, works as well as two words.
            let (lesson, exercise) =
                lesson.split_once('/').map_or((*lesson, None), |(l, e)| (l, Some(e)));
            check(&Workspace { root: root.clone(), target_dir }, Some(lesson), exercise)
        }
        [lesson, exercise] if !lesson.starts_with('-') && !exercise.starts_with('-') => {
            check(&Workspace { root: root.clone(), target_dir }, Some(lesson), Some(exercise))
        }
        _ => Err(format!("unexpected arguments: {}\n\n{USAGE}", words.join(" "))),
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

/// The learner's view: each exercise done or not, and what to do next.
fn check(workspace: &Workspace, lesson: Option<&str>, name: Option<&str>) -> Result<bool, String> {
    let exercises = select(&workspace.root, lesson, name)?;
    let mut done = 0;
    let mut current_lesson = "";
    for exercise in &exercises {
        if exercise.lesson != current_lesson {
            current_lesson = &exercise.lesson;
            println!("{current_lesson}");
        }
        match workspace.run(exercise)? {
            Outcome::Ran(checks) => {
                let mut failing: Vec<&Check> =
                    checks.iter().filter(|check| !check.passed).collect();
                failing.sort_by(|a, b| a.name.cmp(&b.name));
                if failing.is_empty() && !checks.is_empty() {
                    done += 1;
                    println!("  ✓ {} ({} checks pass)", exercise.title, checks.len());
                    continue;
                }
                if failing.len() == checks.len() && failing.iter().all(|check| untouched(check)) {
                    println!(
                        "  · {}: to do ({} checks stop at a todo!())",
                        exercise.title,
                        checks.len()
                    );
                    where_to_look(exercise);
                    continue;
                }
                println!(
                    "  ✗ {}: {} of {} checks fail",
                    exercise.title,
                    failing.len(),
                    checks.len()
                );
                where_to_look(exercise);
                for check in failing.iter().take(SHOWN) {
                    show_failure(check);
                }
                if failing.len() > SHOWN {
                    println!("      - and {} more", failing.len() - SHOWN);
                }
            }
            Outcome::DoesNotCompile(error) => {
                println!("  ✗ {}: does not compile", exercise.title);
                where_to_look(exercise);
                println!("{}", indent(&error, 6));
            }
            Outcome::Broken(said) => {
                println!("  ✗ {}: its checks did not finish", exercise.title);
                where_to_look(exercise);
                println!("{}", indent(&said, 6));
            }
        }
    }
    println!("{done} of {} exercises done", exercises.len());
    Ok(done == exercises.len())
}

fn where_to_look(exercise: &Exercise) {
    println!("      edit: {}", exercise.stub().display());
    println!("      read: the book, {}", exercise.book);
    println!("      stuck? cargo exercises hint {} {}", exercise.lesson, exercise.name);
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
            "Still stuck? Read the book, {}, then solutions/{lesson}/src/{name}.rs",
            exercise.book
        ),
    }
    Ok(true)
}
