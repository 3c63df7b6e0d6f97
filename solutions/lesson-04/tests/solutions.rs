//! The lesson-04 exercise checks, run against these solutions: the checks
//! are written once, in `lessons/lesson-04/tests/exercises/`.

use lesson_04_solutions as answer;

#[path = "../../../lessons/lesson-04/tests/exercises/amplification.rs"]
mod amplification;
#[path = "../../../lessons/lesson-04/tests/exercises/sockets.rs"]
mod sockets;
#[path = "../../../lessons/lesson-04/tests/exercises/stop_and_wait.rs"]
mod stop_and_wait;
#[path = "../../../lessons/lesson-04/tests/exercises/truncation.rs"]
mod truncation;
