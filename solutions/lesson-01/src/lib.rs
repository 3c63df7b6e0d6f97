//! Reference solutions to the lesson-01 exercises. Each file solves the stub
//! of the same name in `lessons/lesson-01/exercises/`, and `tests/NAME.rs`
//! runs it through that exercise's checks (`lessons/lesson-01/tests/exercises/`),
//! the same checks as your own answer.

pub mod json_counter;
pub mod rate_limit;
pub mod server_push;
