//! Exercise 3: acknowledgements: the lesson's checks, run against the reference solution.

use lesson_02_solutions::acknowledgement as answer;

#[path = "../../../lessons/lesson-02/tests/exercises/acknowledgement.rs"]
mod checks;
