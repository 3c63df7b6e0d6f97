//! Exercise 1: no amplification: the lesson's checks, run against the reference solution.

use lesson_04_solutions::amplification as answer;

#[path = "../../../lessons/lesson-04/tests/exercises/amplification.rs"]
mod checks;
