//! Exercise 1: everyone but the sender: the lesson's checks, run against the reference solution.

use lesson_02_solutions::except_sender as answer;

#[path = "../../../lessons/lesson-02/tests/exercises/except_sender.rs"]
mod checks;
