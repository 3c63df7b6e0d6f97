//! The pristine stubs: `lessons/LESSON/exercises/stubs.lock` names each stub
//! as committed by its git blob id (what `git hash-object` prints):
//!
//! ```text
//! line_framing 3b18e512dba79e4c8300dd08aeb37f8e728f8dad
//! ```
//!
//! - "Not started" is "the file's blob id is the stub's": compared by
//!   content, so neither a timestamp nor a reformatting editor that saves the
//!   same bytes can fool it.
//! - `reset` takes the stub back out of git's object store
//!   (`git cat-file blob ID`). The learner may commit their work as often as
//!   they like: the commit that brought the stub still holds that blob. A copy
//!   embedded in the tool at build time would not do: cargo rebuilds the tool
//!   whenever it likes, after the learner has edited the stub as well as
//!   before. And a second committed copy of every stub would be one more file
//!   to keep equal to the first.
//! - `--verify` checks that the ids are those of the committed stubs, and
//!   prints the line to write when a maintainer has changed a stub.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use sha1::{Digest, Sha1};

use crate::layout::{self, Exercise};

/// The stubs' blob ids of one lesson, by exercise name.
pub type Ids = BTreeMap<String, String>;

/// The lock of `lesson`: empty if it has none (verify says so).
pub fn ids(root: &Path, lesson: &str) -> Ids {
    let text = std::fs::read_to_string(root.join(layout::stubs_file(lesson))).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once(char::is_whitespace))
        .map(|(name, id)| (name.to_owned(), id.trim().to_owned()))
        .collect()
}

/// The id git gives a file of these bytes: SHA-1 of `blob LEN\0BYTES`.
pub fn blob_id(bytes: &[u8]) -> String {
    let mut hash = Sha1::new();
    hash.update(format!("blob {}\0", bytes.len()).as_bytes());
    hash.update(bytes);
    hash.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Whether the learner's file of `exercise` is still its stub: `None` when
/// the lock does not say (then only running it tells).
pub fn untouched(root: &Path, exercise: &Exercise) -> Option<bool> {
    let id = ids(root, &exercise.lesson).remove(&exercise.name)?;
    let bytes = std::fs::read(root.join(exercise.stub())).ok()?;
    Some(blob_id(&bytes) == id)
}

/// The stub of `exercise` as committed, from git's object store.
pub fn pristine(root: &Path, exercise: &Exercise) -> Result<Vec<u8>, String> {
    let lock = layout::stubs_file(&exercise.lesson);
    let id = ids(root, &exercise.lesson)
        .remove(&exercise.name)
        .ok_or_else(|| format!("{} does not name the stub of {}", lock.display(), exercise.name))?;
    let output = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "blob", &id])
        .stderr(Stdio::null())
        .output()
        .map_err(|error| format!("git cannot be run ({error})"))?;
    // Checked by content too: the lock is only a file, and could lie.
    if !output.status.success() || blob_id(&output.stdout) != id {
        return Err(format!(
            "the stub {id} (named in {}) is not in this repository's history: \
             is this a git clone of the course?",
            lock.display()
        ));
    }
    Ok(output.stdout)
}

/// What is wrong with the lock of `lesson`, given its `exercises` as
/// committed under `root`.
pub fn problems(root: &Path, lesson: &str, exercises: &[Exercise]) -> Vec<String> {
    let lock = layout::stubs_file(lesson);
    let ids = ids(root, lesson);
    let mut problems = Vec::new();
    for exercise in exercises {
        let bytes = std::fs::read(root.join(exercise.stub())).unwrap_or_default();
        let id = blob_id(&bytes);
        match ids.get(&exercise.name) {
            Some(held) if *held == id => {}
            Some(_) => problems.push(format!(
                "{}: the stub of {} has changed: write `{} {id}`",
                lock.display(),
                exercise.name,
                exercise.name
            )),
            None => problems.push(format!(
                "{}: no line for {}: write `{} {id}`",
                lock.display(),
                exercise.name,
                exercise.name
            )),
        }
    }
    for name in ids.keys().filter(|name| !exercises.iter().any(|e| e.name == **name)) {
        problems.push(format!("{}: {name} has no stub", lock.display()));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blob_id_is_gits() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(blob_id(b"hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
        assert_eq!(blob_id(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }
}
