//! `cargo exercises --verify`, for the README's test command: the exercises
//! as committed are complete (task, checks, two hints, a solution, no stray
//! parts) and every check fails on its stub because of the stub's `todo!()`.
//! A check that passes on a stub cannot tell a solved exercise from an
//! unsolved one. And every check passes on the reference solution, which
//! `cargo exercises solution` shows and `compare` runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::TODO_PANIC;
use crate::hints::{self, STAGES};
use crate::layout::{self, Exercise, Heading};
use crate::run::{Outcome, Side, Workspace};
use crate::stubs;

/// Where, under the target directory, the committed tree is extracted.
const PRISTINE: &str = "exercises-verify";

/// `only`: the lessons whose stubs are run (all when empty); the structure
/// of every lesson is checked either way, since it costs no build.
pub fn verify(root: &Path, target_dir: &Path, only: &[&str]) -> bool {
    let workspace = match pristine(root, target_dir) {
        Ok((workspace, commit)) => {
            println!(
                "checking the exercises as committed in {commit}, from a clean copy in {}",
                workspace.root.display()
            );
            println!("(your uncommitted changes, solved exercises included, are not looked at)");
            workspace
        }
        Err(why) => {
            println!("{why}: checking the exercise files as they are in {}", root.display());
            Workspace { root: root.to_owned(), target_dir: target_dir.to_owned() }
        }
    };
    let mut good = true;
    let lessons = match layout::lessons(&workspace.root) {
        Ok(lessons) => lessons,
        Err(message) => {
            println!("  ✗ {message}");
            return false;
        }
    };
    for problem in structure(&workspace.root, &lessons) {
        println!("  ✗ {problem}");
        good = false;
    }
    let mut count = 0;
    for lesson in lessons.iter().filter(|lesson| only.is_empty() || only.contains(&lesson.as_str()))
    {
        for exercise in layout::exercises(&workspace.root, lesson) {
            good &= stub_fails(&workspace, &exercise);
            good &= solution_passes(&workspace, &exercise);
            count += 1;
        }
    }
    match good {
        true => {
            println!(
                "verified: {count} exercises, each complete, every check failing on its stub \
                 and passing on its solution"
            )
        }
        false => println!("not verified: see the ✗ lines above"),
    }
    good
}

/// The committed tree (`git archive`), extracted under the target directory,
/// and the commit's short name; or why there is none.
fn pristine(root: &Path, target_dir: &Path) -> Result<(Workspace, String), String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let output = Command::new("git")
            .current_dir(root)
            .args(args)
            .stderr(Stdio::null())
            .output()
            .map_err(|error| format!("git cannot be run ({error})"))?;
        match output.status.success() {
            true => Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned()),
            false => Err(format!("{} is not a git checkout with a commit", root.display())),
        }
    };
    let commit = git(&["rev-parse", "--short", "HEAD"])?;
    let full_commit = git(&["rev-parse", "HEAD"])?;
    // The workspace may be a subdirectory of the repository.
    let prefix = git(&["rev-parse", "--show-prefix"])?;

    let tree = target_dir.join(PRISTINE).join("HEAD");
    // Its own target directory: cargo names what it builds from paths relative
    // to the workspace, so the copy's builds would pass for the learner's in a
    // shared one, and each would be taken for the other's, fresh.
    let copy_target = target_dir.join(PRISTINE).join("target");
    let workspace = Workspace { root: tree.clone(), target_dir: copy_target };
    // Which commit the copy holds. The same one again is not extracted again,
    // so cargo finds it built.
    let marker = target_dir.join(PRISTINE).join("HEAD.commit");
    if std::fs::read_to_string(&marker).is_ok_and(|held| held == full_commit) {
        return Ok((workspace, commit));
    }
    match std::fs::remove_dir_all(&tree) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(format!("cannot empty {}: {error}", tree.display())),
    }
    std::fs::create_dir_all(&tree)
        .map_err(|error| format!("cannot create {}: {error}", tree.display()))?;
    let mut archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", &format!("HEAD:{prefix}")])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("git archive cannot be run ({error})"))?;
    // `-m`: every file gets the time of extraction, not its commit's. Cargo
    // rebuilds what is newer than its last build; an older commit checked out
    // after a newer one must not pass for built.
    let extracted = Command::new("tar")
        .args(["-x", "-m", "-C"])
        .arg(&tree)
        .stdin(archive.stdout.take().expect("piped"))
        .status()
        .map_err(|error| format!("tar cannot be run ({error})"))?;
    let archived = archive.wait().map_err(|error| format!("git archive failed ({error})"))?;
    if !archived.success() || !extracted.success() {
        return Err(format!("the commit could not be extracted to {}", tree.display()));
    }
    std::fs::write(&marker, &full_commit)
        .map_err(|error| format!("cannot write {}: {error}", marker.display()))?;
    Ok((workspace, commit))
}

/// Every missing or stray part of every lesson's exercises.
pub fn structure(root: &Path, lessons: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for lesson in lessons {
        let exercises = layout::exercises(root, lesson);
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        let hints_file = layout::hints_file(lesson);
        let hints = match std::fs::read_to_string(root.join(&hints_file)) {
            Ok(text) => hints::parse(&text),
            Err(error) => {
                problems.push(format!("{}: {error}", hints_file.display()));
                hints::Hints::new()
            }
        };
        if exercises.is_empty() {
            problems.push(format!("{lesson}: an exercises/ directory without exercises"));
        }
        for exercise in &exercises {
            problems.extend(incomplete(root, exercise, &hints));
        }
        problems.extend(stubs::problems(root, lesson, &exercises));

        // Parts whose exercise has no stub.
        let stray =
            |kind: &str, path: PathBuf| format!("{}: {kind} without a stub", path.display());
        let lesson_dir = layout::lesson_dir(lesson);
        for name in layout::rust_files(&root.join(&lesson_dir).join("tests/exercises")) {
            let checks = lesson_dir.join("tests/exercises").join(format!("{name}.rs"));
            // Helpers (sockets.rs) have no title; checks do.
            if !names.contains(&name.as_str()) && Heading::of(root, &checks).title.is_some() {
                problems.push(stray("checks", checks));
            }
        }
        for name in layout::rust_files(&root.join(&lesson_dir).join("tests")) {
            let target = lesson_dir.join("tests").join(format!("{name}.rs"));
            let text = std::fs::read_to_string(root.join(&target)).unwrap_or_default();
            if !names.contains(&name.as_str()) && text.contains("mod answer;") {
                problems.push(stray("an exercise's test target", target));
            }
        }
        let solutions = layout::solutions_dir(lesson);
        for (dir, kind) in [("src", "a solution"), ("tests", "a solution's test target")] {
            for name in layout::rust_files(&root.join(&solutions).join(dir)) {
                if name != "lib" && !names.contains(&name.as_str()) {
                    problems.push(stray(kind, solutions.join(dir).join(format!("{name}.rs"))));
                }
            }
        }
        for name in hints.keys().filter(|name| !names.contains(&name.as_str())) {
            problems
                .push(format!("{}: hints for `{name}`, which has no stub", hints_file.display()));
        }
        let listed = std::fs::read_dir(root.join(&lesson_dir).join("exercises"));
        for entry in listed.into_iter().flatten().flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if !file.ends_with(".rs") && file != "hints.md" && file != "stubs.lock" {
                let path = lesson_dir.join("exercises").join(file);
                problems.push(format!("{}: not an exercise", path.display()));
            }
        }
    }
    // Solutions of a lesson that has no exercises.
    for entry in std::fs::read_dir(root.join("solutions")).into_iter().flatten().flatten() {
        let lesson = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !lessons.contains(&lesson) {
            problems.push(format!("solutions/{lesson}: solutions of a lesson without exercises"));
        }
    }
    problems
}

/// What `exercise` lacks: a task comment, checks, two hints, a solution.
fn incomplete(root: &Path, exercise: &Exercise, hints: &hints::Hints) -> Vec<String> {
    let mut problems = Vec::new();
    let id = exercise.id();
    let stub = std::fs::read_to_string(root.join(exercise.stub())).unwrap_or_default();
    let heading = Heading::parse(&stub);
    let task_lines = stub
        .lines()
        .map_while(|line| line.strip_prefix("//!"))
        .filter(|line| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with("# ") && !line.starts_with("Book: ")
        })
        .count();
    if heading.title.is_none() || heading.book.is_none() || task_lines < 3 {
        problems.push(format!(
            "{id}: the stub needs a task comment: `//! # Exercise N: …`, `//! Book: …`, then the task"
        ));
    }
    let checks = Heading::of(root, &exercise.checks());
    if checks.title.is_none() || checks.book.is_none() {
        problems.push(format!(
            "{id}: {} needs `//! # Exercise N: …` and `//! Book: …` at its top",
            exercise.checks().display()
        ));
    } else if checks != heading {
        problems.push(format!(
            "{id}: the stub's title and book line differ from its checks' (the book links by title)"
        ));
    }
    match exercise.book_link() {
        Some(link) if link.exists(root) => {}
        Some(link) => problems.push(format!(
            "{id}: the book line names {link}, and {} has no heading \"{}\"",
            link.file.display(),
            link.heading
        )),
        None if checks.book.is_some() => problems.push(format!(
            "{id}: the book line must read `Book: CHAPTER, \"HEADING\"`, not `{}`",
            exercise.book
        )),
        None => {}
    }
    match hints.get(&exercise.name) {
        Some(stages) if stages.len() == STAGES && stages.iter().all(|s| !s.is_empty()) => {}
        _ => problems.push(format!(
            "{id}: {} needs `## {}` with {STAGES} hints, `### 1` and `### 2`",
            layout::hints_file(&exercise.lesson).display(),
            exercise.name
        )),
    }
    let manifest = layout::lesson_dir(&exercise.lesson).join("Cargo.toml");
    let declared = std::fs::read_to_string(root.join(&manifest))
        .is_ok_and(|text| text.contains(&format!("name = \"{}\"", exercise.name)));
    for (part, path) in [
        ("checks", exercise.checks()),
        ("test target", exercise.target()),
        ("solution", exercise.solution()),
        ("solution's test target", exercise.solution_target()),
    ] {
        if !root.join(&path).is_file() {
            problems.push(format!("{id}: no {part} ({})", path.display()));
        }
    }
    if !declared {
        problems.push(format!(
            "{id}: {} declares no `[[test]]` named `{}`",
            manifest.display(),
            exercise.name
        ));
    }
    problems
}

/// Whether every check of `exercise` fails on its stub, by the stub's `todo!()`.
fn stub_fails(workspace: &Workspace, exercise: &Exercise) -> bool {
    let id = exercise.id();
    let checks = match workspace.run(exercise) {
        Ok(Outcome::Ran(checks)) => checks,
        Ok(Outcome::DoesNotCompile(error)) => {
            println!("  ✗ {id}: the stub does not compile:\n{}", indent(&error, 6));
            return false;
        }
        Ok(Outcome::Broken(said)) => {
            println!("  ✗ {id}: the checks did not finish:\n{}", indent(&said, 6));
            return false;
        }
        Err(message) => {
            println!("  ✗ {id}: {message}");
            return false;
        }
    };
    if checks.is_empty() {
        println!("  ✗ {id}: no checks");
        return false;
    }
    let wrong: Vec<_> = checks
        .iter()
        .filter(|check| {
            check.passed || !check.panics.iter().any(|panic| panic.message.starts_with(TODO_PANIC))
        })
        .collect();
    if wrong.is_empty() {
        println!("  ✓ {id}: all {} checks fail on the stub, by its todo!()", checks.len());
        return true;
    }
    for check in wrong {
        let why = match check.passed {
            true => "passes on the stub: it cannot tell solved from unsolved".to_owned(),
            false => format!(
                "fails on the stub, but not by its todo!(): {}",
                check.panics.first().map_or("no panic", |panic| panic.message.as_str())
            ),
        };
        println!("  ✗ {id} {}: {why}", check.name);
    }
    false
}

/// Whether every check of `exercise` passes on its reference solution.
fn solution_passes(workspace: &Workspace, exercise: &Exercise) -> bool {
    let id = exercise.id();
    match workspace.run_recorded(exercise, Side::Reference) {
        Ok((Outcome::Ran(checks), _)) if !checks.is_empty() && checks.iter().all(|c| c.passed) => {
            println!("  ✓ {id}: all {} checks pass on the reference solution", checks.len());
            true
        }
        Ok((Outcome::Ran(checks), _)) => {
            for check in checks.iter().filter(|check| !check.passed) {
                let said = check.panics.first().map_or("no panic", |panic| panic.message.as_str());
                println!("  ✗ {id} {}: fails on the reference solution: {said}", check.name);
            }
            false
        }
        Ok((Outcome::DoesNotCompile(said) | Outcome::Broken(said), _)) => {
            println!(
                "  ✗ {id}: the reference solution's checks did not run:\n{}",
                indent(&said, 6)
            );
            false
        }
        Err(message) => {
            println!("  ✗ {id}: {message}");
            false
        }
    }
}

/// `text`, every line indented by `by` spaces.
pub fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|line| format!("{pad}{line}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` (path, contents) under a new directory of its own.
    fn fixture(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("check-exercises-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        root
    }

    const STUB: &str = "//! # Exercise 1: a\n//! Book: lesson-01, \"Exercise 1: a\"\n//!\n//! Do\n//! this\n//! well.\n";
    const CHECKS: &str = "//! # Exercise 1: a\n//! Book: lesson-01, \"Exercise 1: a\"\n";
    const HINTS: &str = "## a\n### 1\nidea\n### 2\nstep\n";
    const MANIFEST: &str = "[[test]]\nname = \"a\"\n";

    fn complete() -> Vec<(&'static str, &'static str)> {
        // Leaked: a fixture lives as long as the test anyway.
        let lock: &'static str = format!("# ids\na {}\n", stubs::blob_id(STUB.as_bytes())).leak();
        vec![
            ("lessons/lesson-01/exercises/a.rs", STUB),
            ("lessons/lesson-01/exercises/stubs.lock", lock),
            (
                "book/src/lesson-01.md",
                "# Lesson 01\n\n```\n### Exercise 9: z\n```\n### Exercise 1: a\n",
            ),
            ("lessons/lesson-01/exercises/hints.md", HINTS),
            ("lessons/lesson-01/tests/exercises/a.rs", CHECKS),
            ("lessons/lesson-01/tests/exercises/sockets.rs", "//! Helpers.\n"),
            ("lessons/lesson-01/tests/a.rs", "mod answer;\n"),
            ("lessons/lesson-01/Cargo.toml", MANIFEST),
            ("solutions/lesson-01/src/lib.rs", "pub mod a;\n"),
            ("solutions/lesson-01/src/a.rs", ""),
            ("solutions/lesson-01/tests/a.rs", ""),
        ]
    }

    fn problems(name: &str, files: &[(&str, &str)]) -> Vec<String> {
        let root = fixture(name, files);
        let problems = structure(&root, &layout::lessons(&root).unwrap());
        std::fs::remove_dir_all(&root).unwrap();
        problems
    }

    #[test]
    fn a_complete_exercise_has_no_problem() {
        assert_eq!(problems("complete", &complete()), Vec::<String>::new());
    }

    #[test]
    fn missing_parts_are_named() {
        let mut files = complete();
        files.retain(|(path, _)| !path.starts_with("solutions/") && !path.ends_with("hints.md"));
        files.push(("lessons/lesson-01/exercises/hints.md", "## a\n### 1\nidea only\n"));
        let found = problems("missing", &files);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].contains("needs `## a` with 2 hints"), "{found:#?}");
        assert!(found[1].contains("no solution (solutions/lesson-01/src/a.rs)"), "{found:#?}");
        assert!(found[2].contains("no solution's test target"), "{found:#?}");
    }

    #[test]
    fn a_stub_without_its_task_is_named() {
        let mut files = complete();
        files[0].1 =
            "//! # Exercise 1: a\n//! Book: lesson-01, \"Exercise 1: a\"\n\npub fn a() {}\n";
        let found = problems("task", &files);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[1].contains("the stub of a has changed"), "{found:#?}");
        assert!(found[0].starts_with("lesson-01/a: the stub needs a task comment"), "{found:#?}");
    }

    #[test]
    fn a_changed_stub_a_missing_lock_line_and_a_missing_book_section_are_named() {
        let mut files = complete();
        files[0].1 = "//! # Exercise 1: a\n//! Book: lesson-01, \"Exercise 1: a\"\n//!\n//! Do\n//! this\n//! better.\n";
        files[2].1 = "# Lesson 01\n\n### Exercise 1: b\n";
        let found = problems("lock", &files);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("lesson-01/a: the book line names book/src/lesson-01.md#exercise-1-a, and book/src/lesson-01.md has no heading \"Exercise 1: a\""), "{found:#?}");
        let id = stubs::blob_id(files[0].1.as_bytes());
        assert_eq!(
            found[1],
            format!(
                "lessons/lesson-01/exercises/stubs.lock: the stub of a has changed: write `a {id}`"
            )
        );
        files[1].1 = "";
        let found = problems("no-lock", &files);
        assert!(
            found.contains(&format!(
                "lessons/lesson-01/exercises/stubs.lock: no line for a: write `a {id}`"
            )),
            "{found:#?}"
        );
    }

    #[test]
    fn parts_without_a_stub_are_strays() {
        let mut files = complete();
        files.extend([
            ("lessons/lesson-01/tests/exercises/b.rs", "//! # Exercise 2: b\n"),
            ("lessons/lesson-01/tests/b.rs", "mod answer;\n"),
            ("lessons/lesson-01/exercises/notes.txt", ""),
            ("solutions/lesson-01/src/b.rs", ""),
            ("solutions/lesson-01/tests/b.rs", ""),
            ("solutions/lesson-02/src/lib.rs", ""),
        ]);
        files[3].1 = "## a\n### 1\nidea\n### 2\nstep\n## b\n### 1\nx\n";
        let found = problems("strays", &files);
        let expected = [
            "lessons/lesson-01/tests/exercises/b.rs: checks without a stub",
            "lessons/lesson-01/tests/b.rs: an exercise's test target without a stub",
            "solutions/lesson-01/src/b.rs: a solution without a stub",
            "solutions/lesson-01/tests/b.rs: a solution's test target without a stub",
            "lessons/lesson-01/exercises/hints.md: hints for `b`, which has no stub",
            "lessons/lesson-01/exercises/notes.txt: not an exercise",
            "solutions/lesson-02: solutions of a lesson without exercises",
        ];
        assert_eq!(found, expected);
    }
}
