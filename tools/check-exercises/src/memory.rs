//! What the tool remembers between runs: how many times in a row each
//! exercise has failed, by its stable id (`lesson-03/line_framing`), so that
//! renumbering the exercises loses nothing. It lives in the target directory:
//! losing it (`cargo clean`) costs only a hint suggested later.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// After this many failing runs in a row, the tool suggests the first hint;
/// after twice as many, the second.
pub const STUCK: u32 = 3;

/// Failing runs in a row, by exercise id.
#[derive(Debug)]
pub struct Memory {
    file: PathBuf,
    failures: BTreeMap<String, u32>,
}

impl Memory {
    pub fn load(target_dir: &Path) -> Memory {
        let file = target_dir.join("exercises").join("failures.txt");
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let failures = text
            .lines()
            .filter_map(|line| line.split_once(' '))
            .filter_map(|(id, count)| Some((id.to_owned(), count.parse().ok()?)))
            .collect();
        Memory { file, failures }
    }

    /// Records a run of exercise `id`, and returns its failing runs in a row.
    pub fn record(&mut self, id: &str, passed: bool) -> u32 {
        let count = match passed {
            true => 0,
            false => self.failures(id) + 1,
        };
        self.failures.insert(id.to_owned(), count);
        self.save();
        count
    }

    /// Forgets exercise `id` (after a reset).
    pub fn forget(&mut self, id: &str) {
        self.failures.remove(id);
        self.save();
    }

    pub fn failures(&self, id: &str) -> u32 {
        self.failures.get(id).copied().unwrap_or(0)
    }

    /// Not remembering is no reason to fail a check: errors are ignored.
    fn save(&self) {
        let text: String = self
            .failures
            .iter()
            .filter(|(_, count)| **count > 0)
            .map(|(id, count)| format!("{id} {count}\n"))
            .collect();
        if let Some(dir) = self.file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(&self.file, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_in_a_row_survive_a_reload_and_a_pass_clears_them() {
        let dir =
            std::env::temp_dir().join(format!("check-exercises-memory-{}", std::process::id()));
        let mut memory = Memory::load(&dir);
        assert_eq!(memory.record("lesson-01/a", false), 1);
        assert_eq!(memory.record("lesson-01/a", false), 2);
        assert_eq!(memory.record("lesson-01/b", false), 1);
        let mut memory = Memory::load(&dir);
        assert_eq!(memory.failures("lesson-01/a"), 2);
        assert_eq!(memory.record("lesson-01/a", true), 0);
        memory.forget("lesson-01/b");
        let memory = Memory::load(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((memory.failures("lesson-01/a"), memory.failures("lesson-01/b")), (0, 0));
    }
}
