//! Exercise 3: a rate limit: the lesson's checks, run against the reference solution.

use lesson_01_solutions::rate_limit as answer;

#[path = "../../../lessons/lesson-01/tests/exercises/rate_limit.rs"]
mod checks;
#[path = "../../../lessons/lesson-01/tests/common/mod.rs"]
mod common;
#[path = "../../../lessons/lesson-01/tests/exercises/server.rs"]
mod server;
