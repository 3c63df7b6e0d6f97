//! Reference solutions to the lesson-04 exercises, checked by the same tests
//! as your own (`lessons/lesson-04/tests/exercises/`). Each file solves the
//! stub of the same name in `lessons/lesson-04/src/exercises/`.

pub mod amplification;
pub mod stop_and_wait;
pub mod truncation;
