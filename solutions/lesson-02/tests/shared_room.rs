//! Exercise 4: a room across processes: the lesson's checks, run against the reference solution.

use lesson_02_solutions::shared_room as answer;

#[path = "../../../lessons/lesson-02/tests/exercises/shared_room.rs"]
mod checks;
#[path = "../../../lessons/lesson-02/tests/socketio_support/mod.rs"]
mod socketio_support;
