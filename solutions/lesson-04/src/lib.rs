//! Reference solutions to the lesson-04 exercises. Each file solves the stub
//! of the same name in `lessons/lesson-04/exercises/`, and `tests/NAME.rs`
//! runs it through that exercise's checks (`lessons/lesson-04/tests/exercises/`),
//! the same checks as your own answer.

pub mod amplification;
pub mod stop_and_wait;
pub mod truncation;
