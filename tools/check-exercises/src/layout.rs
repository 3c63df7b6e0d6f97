//! Where an exercise's parts live. One exercise, `NAME` of lesson `LESSON`:
//!
//! | part                             | path                                     |
//! | -------------------------------- | ---------------------------------------- |
//! | the stub the learner edits       | `lessons/LESSON/exercises/NAME.rs`       |
//! | its checks (title, book link)    | `lessons/LESSON/tests/exercises/NAME.rs` |
//! | the test target: stub + checks   | `lessons/LESSON/tests/NAME.rs`           |
//! | the hints, two per exercise      | `lessons/LESSON/exercises/hints.md`      |
//! | the stubs' git blob ids          | `lessons/LESSON/exercises/stubs.lock`    |
//! | the book section (from `Book:`)  | `book/src/CHAPTER.md#ANCHOR`             |
//! | the reference solution           | `solutions/LESSON/src/NAME.rs`           |
//! | the test target: solution+checks | `solutions/LESSON/tests/NAME.rs`         |
//!
//! The stubs are what makes an exercise: every other part is found from them.

use std::path::{Path, PathBuf};

/// One exercise of one lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    /// `lesson-03`.
    pub lesson: String,
    /// `line_framing`: the stub's file name, and the test target's name.
    pub name: String,
    /// `Exercise 1: line framing`, from the checks' top comment.
    pub title: String,
    /// `lesson-03, "Exercise 1: line framing"`, from the same comment.
    pub book: String,
}

impl Exercise {
    /// The stub, relative to the workspace root.
    pub fn stub(&self) -> PathBuf {
        lesson_dir(&self.lesson).join("exercises").join(format!("{}.rs", self.name))
    }

    /// The checks, relative to the workspace root.
    pub fn checks(&self) -> PathBuf {
        lesson_dir(&self.lesson).join("tests/exercises").join(format!("{}.rs", self.name))
    }

    /// The test target that builds the stub with its checks.
    pub fn target(&self) -> PathBuf {
        lesson_dir(&self.lesson).join("tests").join(format!("{}.rs", self.name))
    }

    /// The reference solution.
    pub fn solution(&self) -> PathBuf {
        solutions_dir(&self.lesson).join("src").join(format!("{}.rs", self.name))
    }

    /// The test target that builds the solution with the same checks.
    pub fn solution_target(&self) -> PathBuf {
        solutions_dir(&self.lesson).join("tests").join(format!("{}.rs", self.name))
    }

    /// `lesson-03/line_framing`: how the learner names it, and a stable id.
    pub fn id(&self) -> String {
        format!("{}/{}", self.lesson, self.name)
    }

    /// The book section, from the `Book: CHAPTER, "HEADING"` line: the
    /// chapter's file and the heading's anchor, as mdBook makes it. `None`
    /// when the line does not have that form.
    pub fn book_link(&self) -> Option<BookLink> {
        let (chapter, heading) = self.book.split_once(", ")?;
        let heading = heading.strip_prefix('"')?.strip_suffix('"')?;
        Some(BookLink {
            file: Path::new("book/src").join(format!("{chapter}.md")),
            heading: heading.to_owned(),
            anchor: anchor(heading),
        })
    }

    /// Where to read, as the learner is told: the link if there is one.
    pub fn where_to_read(&self) -> String {
        match self.book_link() {
            Some(link) => link.to_string(),
            None => format!("the book, {}", self.book),
        }
    }
}

/// A section of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookLink {
    /// `book/src/lesson-03.md`.
    pub file: PathBuf,
    /// `Exercise 1: line framing`.
    pub heading: String,
    /// `exercise-1-line-framing`.
    pub anchor: String,
}

impl std::fmt::Display for BookLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.file.display(), self.anchor)
    }
}

impl BookLink {
    /// Whether the chapter under `root` has a heading with this anchor.
    pub fn exists(&self, root: &Path) -> bool {
        let text = std::fs::read_to_string(root.join(&self.file)).unwrap_or_default();
        let mut in_code = false;
        text.lines()
            .filter(|line| {
                in_code ^= line.trim_start().starts_with("```");
                !in_code
            })
            .filter_map(|line| line.strip_prefix('#'))
            .map(|line| line.trim_start_matches('#'))
            .filter(|heading| heading.starts_with(' '))
            .any(|heading| anchor(heading.trim()) == self.anchor)
    }
}

/// The anchor mdBook gives a heading: lower case, spaces as `-`, only
/// letters, digits, `-` and `_` kept (mdBook's `normalize_id`).
pub fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c.to_ascii_lowercase()),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

pub fn lesson_dir(lesson: &str) -> PathBuf {
    Path::new("lessons").join(lesson)
}

pub fn solutions_dir(lesson: &str) -> PathBuf {
    Path::new("solutions").join(lesson)
}

/// The hints file of a lesson, relative to the workspace root.
pub fn hints_file(lesson: &str) -> PathBuf {
    lesson_dir(lesson).join("exercises/hints.md")
}

/// The file that names each stub of a lesson by its git blob id.
pub fn stubs_file(lesson: &str) -> PathBuf {
    lesson_dir(lesson).join("exercises/stubs.lock")
}

/// The lessons under `root` that have exercises, sorted.
pub fn lessons(root: &Path) -> Result<Vec<String>, String> {
    let mut lessons: Vec<String> = std::fs::read_dir(root.join("lessons"))
        .map_err(|error| format!("cannot list {}: {error}", root.join("lessons").display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|lesson| root.join(lesson_dir(lesson)).join("exercises").is_dir())
        .collect();
    lessons.sort();
    Ok(lessons)
}

/// The `.rs` file names (without `.rs`) in `dir`, sorted; none if it does not exist.
pub fn rust_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix(".rs").map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// The exercises of `lesson`, in the order of their titles.
pub fn exercises(root: &Path, lesson: &str) -> Vec<Exercise> {
    let mut exercises: Vec<Exercise> = rust_files(&root.join(lesson_dir(lesson)).join("exercises"))
        .into_iter()
        .map(|name| {
            let mut exercise = Exercise {
                lesson: lesson.to_owned(),
                name,
                title: String::new(),
                book: String::new(),
            };
            let heading = Heading::of(root, &exercise.checks());
            exercise.title = heading.title.unwrap_or_else(|| exercise.name.clone());
            exercise.book = heading.book.unwrap_or_else(|| format!("the {lesson} chapter"));
            exercise
        })
        .collect();
    // "Exercise 10" after "Exercise 9": compare the number, then the title.
    exercises.sort_by_key(|exercise| (number(&exercise.title), exercise.title.clone()));
    exercises
}

/// The number in `Exercise 12: …`, or `u32::MAX` to sort a title without one last.
fn number(title: &str) -> u32 {
    let digits: String =
        title.trim_start_matches("Exercise ").chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(u32::MAX)
}

/// The top comment of a checks file (which, unlike the stub, the learner does
/// not edit): `//! # Exercise 1: …` and `//! Book: …`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Heading {
    pub title: Option<String>,
    pub book: Option<String>,
}

impl Heading {
    pub fn of(root: &Path, file: &Path) -> Heading {
        Heading::parse(&std::fs::read_to_string(root.join(file)).unwrap_or_default())
    }

    pub fn parse(text: &str) -> Heading {
        let top = text.lines().map_while(|line| line.strip_prefix("//!")).map(str::trim);
        let mut heading = Heading::default();
        for line in top {
            if let Some(title) = line.strip_prefix("# ") {
                heading.title.get_or_insert_with(|| title.to_owned());
            } else if let Some(book) = line.strip_prefix("Book: ") {
                heading.book.get_or_insert_with(|| book.to_owned());
            }
        }
        heading
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_is_read_from_the_top_comment_only() {
        let text =
            "//! # Exercise 2: b\n//! Book: lesson-09, \"Exercise 2: b\"\n\n//! # not this\n";
        let heading = Heading::parse(text);
        assert_eq!(heading.title.as_deref(), Some("Exercise 2: b"));
        assert_eq!(heading.book.as_deref(), Some("lesson-09, \"Exercise 2: b\""));
        assert_eq!(Heading::parse("use x;\n//! # late\n"), Heading::default());
    }

    #[test]
    fn the_book_line_gives_the_chapter_and_the_anchor_mdbook_makes() {
        let exercise = Exercise {
            lesson: "lesson-03".into(),
            name: "line_framing".into(),
            title: "Exercise 1: line framing".into(),
            book: "lesson-03, \"Exercise 1: line framing\"".into(),
        };
        let link = exercise.book_link().unwrap();
        assert_eq!(link.to_string(), "book/src/lesson-03.md#exercise-1-line-framing");
        assert_eq!(anchor("Exercise 2: `SO_REUSEADDR`, off"), "exercise-2-so_reuseaddr-off");
        let unlinked = Exercise { book: "the lesson-03 chapter".into(), ..exercise };
        assert_eq!(unlinked.book_link(), None);
    }

    #[test]
    fn exercises_sort_by_their_number() {
        let mut titles = ["Exercise 10: j", "Exercise 9: i", "no number", "Exercise 1: a"];
        titles.sort_by_key(|title| number(title));
        assert_eq!(titles, ["Exercise 1: a", "Exercise 9: i", "Exercise 10: j", "no number"]);
    }
}
