//! The book holds together: every chapter is in the summary, every
//! `{{#include}}` names a file and anchor that exist, no listing can shift
//! silently, and every internal link reaches a chapter and a heading. mdBook
//! itself would leave a missing include behind silently, and it does not
//! check links.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/src")
}

/// Every chapter file, relative to `book/src`.
fn chapters() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![book_src()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                found.push(path.strip_prefix(book_src()).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// The text between each `open` and the next `close`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        rest = &rest[start + open.len()..];
        let Some(end) = rest.find(close) else { break };
        found.push(&rest[..end]);
        rest = &rest[end..];
    }
    found
}

/// The lines of a chapter outside ``` code blocks (the fences left out too).
fn lines_outside_code_blocks(markdown: &str) -> impl Iterator<Item = &str> {
    let mut in_block = false;
    markdown.lines().filter(move |line| {
        let fence = line.trim_start().starts_with("```");
        in_block ^= fence;
        !fence && !in_block
    })
}

/// The text outside ``` code blocks and `inline code`.
fn prose(markdown: &str) -> String {
    let mut kept = String::new();
    for line in lines_outside_code_blocks(markdown) {
        kept.extend(line.split('`').step_by(2));
        kept.push('\n');
    }
    kept
}

/// The `inline code` spans of a chapter, outside ``` code blocks.
fn code_spans(markdown: &str) -> Vec<&str> {
    lines_outside_code_blocks(markdown)
        .flat_map(|line| line.split('`').skip(1).step_by(2))
        .collect()
}

/// The folders at the root of the repository that a chapter names files in.
/// Not `tests/`: the lessons' chapters name `tests/…` inside the lesson.
const REPO_FOLDERS: [&str; 5] = ["lessons/", "solutions/", "support/", "tools/", "scripts/"];

/// What is wrong with a `PATH` or `PATH::FUNCTION` span that names a file of
/// the repository, if anything. A span with `NN` in it is a pattern
/// (`lessons/lesson-NN/`), not a file.
fn repo_reference_problem(span: &str, root: &Path) -> Option<String> {
    if !REPO_FOLDERS.iter().any(|folder| span.starts_with(folder)) || span.contains("NN") {
        return None;
    }
    let (file, function) = span.split_once("::").unwrap_or((span, ""));
    let Ok(text) = fs::read_to_string(root.join(file)) else {
        return (!root.join(file).is_dir()).then(|| format!("`{span}`: no file {file}"));
    };
    // `fn name(` or, generic, `fn name<`.
    let defined = ["(", "<"].iter().any(|next| text.contains(&format!("fn {function}{next}")));
    (!function.is_empty() && !defined).then(|| format!("`{span}`: no fn {function} in {file}"))
}

/// The ids mdBook gives the headings of a chapter.
fn heading_ids(markdown: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for line in lines_outside_code_blocks(markdown) {
        let Some(heading) = line.strip_prefix('#') else { continue };
        let text = heading.trim_start_matches('#').trim();
        let base: String = text
            .chars()
            .filter_map(|ch| match ch {
                _ if ch.is_alphanumeric() || ch == '_' || ch == '-' => {
                    Some(ch.to_ascii_lowercase())
                }
                _ if ch.is_whitespace() => Some('-'),
                _ => None,
            })
            .collect();
        let mut id = base.clone();
        for n in 1.. {
            if ids.insert(id.clone()) {
                break;
            }
            id = format!("{base}-{n}");
        }
    }
    ids
}

#[test]
fn every_chapter_is_in_the_summary_and_every_summary_entry_exists() {
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).unwrap();
    let listed: BTreeSet<PathBuf> =
        between(&summary, "](", ")").into_iter().map(PathBuf::from).collect();
    for entry in &listed {
        assert!(book_src().join(entry).is_file(), "SUMMARY.md lists {entry:?}, which is missing");
    }
    for chapter in chapters().into_iter().filter(|chapter| chapter != Path::new("SUMMARY.md")) {
        assert!(listed.contains(&chapter), "{chapter:?} is not in SUMMARY.md");
    }
}

/// One `{{#include FILE:SELECTOR}}` in a chapter.
struct Include {
    chapter: PathBuf,
    /// The directive as written, for messages.
    directive: String,
    /// The included file, resolved against the chapter's folder.
    file: PathBuf,
    /// What follows the file name: an anchor, a line range, or nothing.
    selector: String,
}

fn includes() -> Vec<Include> {
    let mut found = Vec::new();
    for chapter in chapters() {
        let text = fs::read_to_string(book_src().join(&chapter)).unwrap();
        let folder = book_src().join(&chapter).parent().unwrap().to_path_buf();
        for directive in between(&text, "{{#", "}}") {
            let Some((_, target)) = directive.split_once(' ') else { continue };
            let (file, selector) = target.trim().split_once(':').unwrap_or((target.trim(), ""));
            found.push(Include {
                chapter: chapter.clone(),
                directive: format!("{{{{#{directive}}}}}"),
                file: folder.join(file),
                selector: selector.to_owned(),
            });
        }
    }
    found
}

fn is_snapshot(file: &Path) -> bool {
    file.extension().is_some_and(|ext| ext == "snap")
}

/// The 1-based number of the first line of an insta snapshot's body: the
/// line after the `---` that closes its header.
fn snapshot_body_start(snapshot: &str) -> Option<usize> {
    let mut lines = snapshot.lines().enumerate();
    if lines.next()?.1 != "---" {
        return None;
    }
    lines.find(|(_, line)| *line == "---").map(|(index, _)| index + 2)
}

/// Why including `snapshot` with `selector` could show the wrong lines, if
/// it could. insta rewrites a snapshot's header when it re-records it, and
/// the header's length varies (`assertion_line`, `info`, `description`), so
/// a line number that is right today can be one off tomorrow while every
/// test stays green. Only one line range cannot drift: the whole body, from
/// the line after the header to the end.
fn snapshot_include_problem(selector: &str, snapshot: &str) -> Option<String> {
    let Some(start) = snapshot_body_start(snapshot) else {
        return Some("is not an insta snapshot (no `---` header)".to_owned());
    };
    let whole_body = format!("{start}:");
    (selector != whole_body).then(|| {
        format!(
            "includes lines `{selector}`, but the body starts at line {start}: include the \
             whole body, `:{whole_body}`, or snapshot only the part the chapter shows"
        )
    })
}

#[test]
fn every_include_names_a_file_and_anchor_that_exist() {
    let mut problems = Vec::new();
    let all = includes();
    for Include { chapter, directive, file, selector } in &all {
        let Ok(included) = fs::read_to_string(file) else {
            problems.push(format!("{chapter:?}: {directive}: no file {file:?}"));
            continue;
        };
        let anchor = selector.split(':').next().unwrap_or("");
        if anchor.is_empty() || is_snapshot(file) {
            continue;
        }
        if anchor.parse::<usize>().is_ok() {
            problems.push(format!(
                "{chapter:?}: {directive}: code is included by anchor, never by line number, \
                 which shifts when the file changes"
            ));
        } else if !included.contains(&format!("ANCHOR: {anchor}\n"))
            || !included.contains(&format!("ANCHOR_END: {anchor}\n"))
        {
            problems.push(format!("{chapter:?}: {directive}: no anchor {anchor:?}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(!all.is_empty(), "the book includes no code at all");
}

#[test]
fn every_snapshot_is_included_whole_from_the_line_after_its_header() {
    let mut problems = Vec::new();
    for Include { chapter, directive, file, selector } in includes() {
        if !is_snapshot(&file) {
            continue;
        }
        let Ok(snapshot) = fs::read_to_string(&file) else { continue };
        if let Some(problem) = snapshot_include_problem(&selector, &snapshot) {
            problems.push(format!("{chapter:?}: {directive} {problem}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_snapshot_include_fails_when_the_header_grows_or_the_range_is_cut() {
    let snapshot = "---\nsource: tests/x.rs\nexpression: x\n---\nfirst\nsecond\n";
    assert_eq!(snapshot_include_problem("5:", snapshot), None);
    let regrown = snapshot.replacen("---\n", "---\nassertion_line: 7\n", 1);
    let problem = snapshot_include_problem("5:", &regrown).expect("a stale line number passes");
    assert!(problem.contains("body starts at line 6"), "{problem}");
    assert!(snapshot_include_problem("5:5", snapshot).is_some(), "a cut range passes");
    assert!(snapshot_include_problem("6:", snapshot).is_some(), "a skipped first line passes");
    assert!(snapshot_include_problem("4:", snapshot).is_some(), "the header's end passes");
    assert!(snapshot_include_problem("", "first\n").is_some(), "a file with no header passes");
}

#[test]
fn every_internal_link_reaches_a_chapter_and_a_heading() {
    let mut problems = Vec::new();
    for chapter in chapters() {
        let text = fs::read_to_string(book_src().join(&chapter)).unwrap();
        for link in between(&prose(&text), "](", ")") {
            let link = link.split_whitespace().next().unwrap_or("");
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
            let target = match file {
                "" => chapter.clone(),
                _ => chapter.parent().unwrap().join(file),
            };
            let Ok(target_text) = fs::read_to_string(book_src().join(&target)) else {
                problems.push(format!("{chapter:?}: link {link} names no file in book/src"));
                continue;
            };
            let inside = book_src().join(&target).canonicalize().unwrap();
            if !inside.starts_with(book_src().canonicalize().unwrap()) {
                problems.push(format!("{chapter:?}: link {link} leaves book/src (broken in HTML)"));
            }
            if !fragment.is_empty() && !heading_ids(&target_text).contains(fragment) {
                problems.push(format!("{chapter:?}: link {link}: no heading #{fragment}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn heading_ids_follow_mdbook() {
    let ids = heading_ids("# Lesson 03: the `net` TCP server\n## Exercises\n### Exercises\n");
    let expected = ["exercises", "exercises-1", "lesson-03-the-net-tcp-server"];
    assert_eq!(ids, expected.into_iter().map(String::from).collect());
}

#[test]
fn every_picture_is_used_and_has_a_title() {
    let all_chapters: String = chapters()
        .iter()
        .map(|chapter| fs::read_to_string(book_src().join(chapter)).unwrap())
        .collect();
    let mut problems = Vec::new();
    for entry in fs::read_dir(book_src().join("images")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let is_svg = path.extension().is_some_and(|ext| ext == "svg");
        // Screen readers announce the title; the alt text in the chapter says the rest.
        if is_svg && !fs::read_to_string(&path).unwrap().contains("<title") {
            problems.push(format!("images/{name} has no <title>"));
        }
        if !all_chapters.contains(&format!("](images/{name})")) {
            problems.push(format!("images/{name} is in no chapter"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_repository_file_and_test_a_chapter_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut problems = Vec::new();
    for chapter in chapters() {
        let text = fs::read_to_string(book_src().join(&chapter)).unwrap();
        for span in code_spans(&text) {
            if let Some(problem) = repo_reference_problem(span, &root) {
                problems.push(format!("{chapter:?}: {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_repository_reference_fails_when_its_file_or_function_is_missing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let check = |span| repo_reference_problem(span, &root);
    assert_eq!(check("support/src/log.rs"), None);
    assert_eq!(check("support/src/log.rs::stdout"), None);
    assert_eq!(check("support/src/"), None, "a folder is a file of the repository");
    assert_eq!(check("lessons/lesson-NN/src/"), None, "a pattern is not a file");
    assert_eq!(check("cargo run -p lesson-03"), None, "not a path");
    assert!(check("support/src/gone.rs").is_some(), "a missing file passes");
    assert!(check("support/src/log.rs::gone").is_some(), "a missing fn passes");
    assert!(check("support/src/log.rs::std").is_some(), "the start of a fn's name passes");
    assert_eq!(code_spans("`a` b `c`\n```\n`d`\n```\n"), ["a", "c"]);
}

/// The rows of the first table after `heading` in `markdown`, without its
/// header and separator lines.
fn table_rows<'a>(markdown: &'a str, heading: &str) -> Vec<&'a str> {
    let after = markdown.split_once(heading).map_or("", |(_, after)| after);
    let table = after.lines().skip_while(|line| !line.starts_with('|'));
    table.take_while(|line| line.starts_with('|')).skip(2).collect()
}

#[test]
fn every_row_of_the_comparison_links_to_what_shows_it() {
    let comparison = fs::read_to_string(book_src().join("comparison.md")).unwrap();
    let rows = table_rows(&comparison, "## The table");
    assert!(rows.len() >= 17, "the comparison's table has {} rows", rows.len());
    let unshown: Vec<&str> = rows
        .into_iter()
        .filter(|row| !row.trim_end_matches('|').rsplit('|').next().unwrap().contains("]("))
        .collect();
    assert!(unshown.is_empty(), "rows whose last cell links nowhere: {unshown:#?}");
}

#[test]
fn every_glossary_entry_links_to_where_the_book_shows_it() {
    let glossary = fs::read_to_string(book_src().join("glossary.md")).unwrap();
    let entries: Vec<&str> = glossary.split("\n## ").skip(1).collect();
    assert!(entries.len() >= 40, "the glossary has {} entries", entries.len());
    let unlinked: Vec<&str> = entries
        .into_iter()
        .filter(|entry| !entry.contains("]("))
        .map(|entry| entry.lines().next().unwrap())
        .collect();
    assert!(unlinked.is_empty(), "glossary entries that link nowhere: {unlinked:?}");
}
