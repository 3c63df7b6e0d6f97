//! `cargo exercises [lesson-NN]` runs a lesson's exercise checks (or every
//! lesson's) and reports each exercise: done, or which checks fail, with the
//! file to edit and the book section to read.
//!
//! `cargo exercises --verify` is for CI: on an untouched tree every check of
//! every exercise must fail, and fail because of the stub's `todo!()`. A check
//! that passes on a stub cannot tell a solved exercise from an unsolved one.
//! (That the reference solutions pass is `cargo test`'s job.)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// How many failing checks of one exercise are listed.
const SHOWN: usize = 3;

/// What `todo!()` panics with.
const STUB_PANIC: &str = "not yet implemented";

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verify = args.iter().any(|arg| arg == "--verify");
    let named: Vec<&String> = args.iter().filter(|arg| !arg.starts_with("--")).collect();
    if args.iter().any(|arg| arg == "--help" || arg == "-h") {
        println!("usage: cargo exercises [lesson-NN]   check your exercises");
        println!("       cargo exercises --verify      check that every untouched stub fails");
        return ExitCode::SUCCESS;
    }

    let lessons = match lessons_with_exercises(&root, &named) {
        Ok(lessons) => lessons,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mut all_good = true;
    for lesson in &lessons {
        let good = match run_checks(&root, lesson) {
            Ok(report) if verify => verify_stubs(lesson, &report),
            Ok(report) => show_progress(&root, lesson, &report),
            Err(message) => {
                eprintln!("{lesson}: {message}");
                false
            }
        };
        all_good &= good;
    }
    if all_good { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// The lessons named, or every lesson that has exercises.
fn lessons_with_exercises(root: &Path, named: &[&String]) -> Result<Vec<String>, String> {
    let has_exercises =
        |lesson: &str| root.join("lessons").join(lesson).join("tests/exercises.rs").is_file();
    if !named.is_empty() {
        return named
            .iter()
            .map(|lesson| match has_exercises(lesson) {
                true => Ok(lesson.to_string()),
                false => Err(format!("{lesson} has no exercises (try lesson-03)")),
            })
            .collect();
    }
    let mut lessons: Vec<String> = std::fs::read_dir(root.join("lessons"))
        .map_err(|error| format!("cannot list lessons/: {error}"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|lesson| has_exercises(lesson))
        .collect();
    lessons.sort();
    Ok(lessons)
}

/// How one check went.
#[derive(Debug)]
struct Check {
    name: String,
    passed: bool,
    /// What the failing check printed: its panic messages.
    output: String,
}

/// The checks of each exercise, by exercise (module) name.
type Report = BTreeMap<String, Vec<Check>>;

/// Builds and runs `cargo test -p LESSON --test exercises`.
fn run_checks(root: &Path, lesson: &str) -> Result<Report, String> {
    println!("running the {lesson} exercise checks…");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["test", "--package", lesson, "--test", "exercises", "--"])
        .args(["--test-threads", "4"])
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = parse(&stdout);
    if report.is_empty() {
        // Nothing ran: the code does not compile. Show cargo's own words.
        return Err(format!(
            "the exercises do not compile yet; cargo says:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(report)
}

/// Reads libtest's plain output: `test MODULE::NAME ... ok|FAILED`, then a
/// `---- MODULE::NAME stdout ----` section for every failure.
fn parse(stdout: &str) -> Report {
    let mut sections: BTreeMap<&str, String> = BTreeMap::new();
    let mut current = None;
    for line in stdout.lines() {
        if let Some(name) = line.strip_prefix("---- ").and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name);
        } else if line == "failures:" || line.starts_with("test result:") {
            current = None;
        } else if let Some(name) = current {
            let section = sections.entry(name).or_default();
            section.push_str(line);
            section.push('\n');
        }
    }

    let mut report = Report::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, outcome)) = rest.split_once(" ... ") else {
            continue;
        };
        let Some((exercise, _)) = name.split_once("::") else {
            continue;
        };
        report.entry(exercise.to_string()).or_default().push(Check {
            name: name.to_string(),
            passed: outcome == "ok",
            output: sections.get(name).cloned().unwrap_or_default(),
        });
    }
    report
}

/// The exercise's stub file, relative to the workspace root.
fn stub_path(lesson: &str, exercise: &str) -> PathBuf {
    Path::new("lessons").join(lesson).join("src/exercises").join(format!("{exercise}.rs"))
}

/// From the top comment of the exercise's checks (which, unlike the stub,
/// the learner does not edit): its title (`# Exercise 1: …`) and the book
/// section to read (`Book: …`).
fn describe(root: &Path, lesson: &str, exercise: &str) -> (String, String) {
    let checks =
        root.join("lessons").join(lesson).join("tests/exercises").join(format!("{exercise}.rs"));
    let text = std::fs::read_to_string(checks).unwrap_or_default();
    let find = |prefix: &str| {
        text.lines().find_map(|line| {
            line.trim_start_matches("//!").trim().strip_prefix(prefix).map(str::to_owned)
        })
    };
    let title = find("# ").unwrap_or_else(|| exercise.to_string());
    let book = find("Book: ").unwrap_or_else(|| format!("the {lesson} chapter"));
    (title, book)
}

/// The learner's view: each exercise done or not, and what to do next.
fn show_progress(root: &Path, lesson: &str, report: &Report) -> bool {
    let mut done = 0;
    let mut exercises: Vec<_> = report.iter().collect();
    exercises.sort_by_key(|(exercise, _)| describe(root, lesson, exercise).0);
    for (exercise, checks) in &exercises {
        let (title, book) = describe(root, lesson, exercise);
        let failing: Vec<&Check> = checks.iter().filter(|check| !check.passed).collect();
        if failing.is_empty() {
            done += 1;
            println!("  ✓ {title} ({} checks pass)", checks.len());
            continue;
        }
        println!("  ✗ {title}: {} of {} checks fail", failing.len(), checks.len());
        println!("      edit: {}", stub_path(lesson, exercise).display());
        println!("      read: the book, {book} (and the hint at the end of the file)");
        for check in failing.iter().take(SHOWN) {
            println!("      - {}: {}", check.name, first_message(&check.output));
        }
        if failing.len() > SHOWN {
            println!("      - and {} more", failing.len() - SHOWN);
        }
    }
    println!("{lesson}: {done} of {} exercises done", exercises.len());
    done == exercises.len()
}

/// The panic message of a failed check, on one line.
fn first_message(output: &str) -> String {
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        if line.contains("panicked at") {
            let message: Vec<&str> =
                lines.take_while(|line| !line.starts_with("note:") && !line.is_empty()).collect();
            return message.join(" ").chars().take(200).collect();
        }
    }
    "failed (run `cargo test -p LESSON --test exercises` to see it all)".to_string()
}

/// CI's view: every check of every exercise fails on the stub, by `todo!()`.
fn verify_stubs(lesson: &str, report: &Report) -> bool {
    let mut good = true;
    for (exercise, checks) in report {
        let wrong: Vec<&Check> = checks
            .iter()
            .filter(|check| check.passed || !check.output.contains(STUB_PANIC))
            .collect();
        if wrong.is_empty() {
            println!(
                "  ✓ {lesson} {exercise}: all {} checks fail on the untouched stub",
                checks.len()
            );
            continue;
        }
        good = false;
        for check in wrong {
            let why = match check.passed {
                true => "passes on the untouched stub: it cannot tell solved from unsolved",
                false => "fails, but not because of the stub's todo!() (or the stub was edited)",
            };
            println!("  ✗ {lesson} {}: {why}", check.name);
        }
    }
    good
}
