//! Exercise 2: nicknames: the lesson's checks, run against the reference solution.

use lesson_02_solutions::nicknames as answer;

#[path = "../../../lessons/lesson-02/tests/exercises/nicknames.rs"]
mod checks;
