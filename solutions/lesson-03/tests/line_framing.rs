//! Exercise 1: line framing: the lesson's checks, run against the reference solution.

use lesson_03_solutions::line_framing as answer;

#[path = "../../../lessons/lesson-03/tests/exercises/line_framing.rs"]
mod checks;
// Helpers shared by the exercises: each uses only some of them.
#[allow(dead_code)]
#[path = "../../../lessons/lesson-03/tests/exercises/sockets.rs"]
mod sockets;
