//! Exercise 1: a JSON protocol with a counter: the lesson's checks, run against the reference solution.

use lesson_01_solutions::json_counter as answer;

#[path = "../../../lessons/lesson-01/tests/exercises/json_counter.rs"]
mod checks;
#[path = "../../../lessons/lesson-01/tests/common/mod.rs"]
mod common;
#[path = "../../../lessons/lesson-01/tests/exercises/server.rs"]
mod server;
