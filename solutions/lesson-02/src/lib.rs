//! Reference solutions to the lesson-02 exercises. Each file solves the stub
//! of the same name in `lessons/lesson-02/exercises/`, and `tests/NAME.rs`
//! runs it through that exercise's checks (`lessons/lesson-02/tests/exercises/`),
//! the same checks as your own answer.

pub mod acknowledgement;
pub mod except_sender;
pub mod nicknames;
pub mod shared_room;
