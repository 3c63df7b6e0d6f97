//! Exercise 3: closing with a reset: the lesson's checks, run against the reference solution.

use lesson_03_solutions::abortive_close as answer;

#[path = "../../../lessons/lesson-03/tests/exercises/abortive_close.rs"]
mod checks;
// Helpers shared by the exercises: each uses only some of them.
#[allow(dead_code)]
#[path = "../../../lessons/lesson-03/tests/exercises/sockets.rs"]
mod sockets;
