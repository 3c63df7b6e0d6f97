//! Exercise 2: a push from the server: the lesson's checks, run against the reference solution.

use lesson_01_solutions::server_push as answer;

#[path = "../../../lessons/lesson-01/tests/exercises/server_push.rs"]
mod checks;
#[path = "../../../lessons/lesson-01/tests/common/mod.rs"]
mod common;
#[path = "../../../lessons/lesson-01/tests/exercises/server.rs"]
mod server;
