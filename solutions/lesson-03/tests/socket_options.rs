//! Exercise 2: socket options: the lesson's checks, run against the reference solution.

use lesson_03_solutions::socket_options as answer;

#[path = "../../../lessons/lesson-03/tests/exercises/socket_options.rs"]
mod checks;
// Helpers shared by the exercises: each uses only some of them.
#[allow(dead_code)]
#[path = "../../../lessons/lesson-03/tests/exercises/sockets.rs"]
mod sockets;
