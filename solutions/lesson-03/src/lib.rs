//! Reference solutions to the lesson-03 exercises, checked by the same tests
//! as your own (`lessons/lesson-03/tests/exercises/`). Each file solves the
//! stub of the same name in `lessons/lesson-03/src/exercises/`.

pub mod abortive_close;
pub mod half_close;
pub mod line_framing;
pub mod socket_options;
