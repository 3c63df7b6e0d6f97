//! Exercise 2: noticing truncation: the lesson's checks, run against the reference solution.

use lesson_04_solutions::truncation as answer;

#[path = "../../../lessons/lesson-04/tests/exercises/truncation.rs"]
mod checks;
// Helpers shared by the exercises: each uses only some of them.
#[allow(dead_code)]
#[path = "../../../lessons/lesson-04/tests/exercises/sockets.rs"]
mod sockets;
