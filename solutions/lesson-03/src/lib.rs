//! Reference solutions to the lesson-03 exercises. Each file solves the stub
//! of the same name in `lessons/lesson-03/exercises/`, and `tests/NAME.rs`
//! runs it through that exercise's checks (`lessons/lesson-03/tests/exercises/`),
//! the same checks as your own answer.

pub mod abortive_close;
pub mod half_close;
pub mod line_framing;
pub mod socket_options;
