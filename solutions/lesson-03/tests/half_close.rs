//! Exercise 4: honouring a half-close: the lesson's checks, run against the reference solution.

use lesson_03_solutions::half_close as answer;

#[path = "../../../lessons/lesson-03/tests/exercises/half_close.rs"]
mod checks;
// Helpers shared by the exercises: each uses only some of them.
#[allow(dead_code)]
#[path = "../../../lessons/lesson-03/tests/exercises/sockets.rs"]
mod sockets;
