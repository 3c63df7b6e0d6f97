//! Exercise 3: stop-and-wait: the lesson's checks, run against the reference solution.

use lesson_04_solutions::stop_and_wait as answer;

#[path = "../../../lessons/lesson-04/tests/exercises/stop_and_wait.rs"]
mod checks;
// Helpers shared by the exercises: each uses only some of them.
#[allow(dead_code)]
#[path = "../../../lessons/lesson-04/tests/exercises/sockets.rs"]
mod sockets;
