//! A lesson's hints file, `lessons/LESSON/exercises/hints.md`:
//!
//! ```markdown
//! ## line_framing
//!
//! ### 1
//!
//! The idea.
//!
//! ### 2
//!
//! The precise step.
//! ```
//!
//! Whatever comes before the first `## ` is for a reader of the file and is
//! not a hint.

use std::collections::BTreeMap;

/// How many stages of hints every exercise has.
pub const STAGES: usize = 2;

/// The hints of each exercise, by exercise name: stage 1 first.
pub type Hints = BTreeMap<String, Vec<String>>;

pub fn parse(text: &str) -> Hints {
    let mut hints = Hints::new();
    // The exercise being read.
    let mut exercise: Option<String> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            let name = name.trim().to_owned();
            hints.entry(name.clone()).or_default();
            exercise = Some(name);
        } else if let Some(stages) = exercise.as_ref().and_then(|name| hints.get_mut(name)) {
            if line.starts_with("### ") {
                stages.push(String::new());
            } else if let Some(stage) = stages.last_mut() {
                stage.push_str(line);
                stage.push('\n');
            }
        }
    }
    for stages in hints.values_mut() {
        for stage in stages.iter_mut() {
            *stage = stage.trim().to_owned();
        }
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_read_in_order_under_their_exercise() {
        let hints = parse(
            "# Hints\n\nintro\n\n## a\n\n### 1\n\nidea\nmore\n\n### 2\n\nstep\n\n## b\n\n### 1\n\nonly\n",
        );
        assert_eq!(hints["a"], ["idea\nmore", "step"]);
        assert_eq!(hints["b"], ["only"]);
        assert_eq!(hints.len(), 2);
    }
}
