//! The lesson-03 exercise checks, run against these solutions: the checks
//! are written once, in `lessons/lesson-03/tests/exercises/`.

use lesson_03_solutions as answer;

#[path = "../../../lessons/lesson-03/tests/exercises/abortive_close.rs"]
mod abortive_close;
#[path = "../../../lessons/lesson-03/tests/exercises/half_close.rs"]
mod half_close;
#[path = "../../../lessons/lesson-03/tests/exercises/line_framing.rs"]
mod line_framing;
#[path = "../../../lessons/lesson-03/tests/exercises/socket_options.rs"]
mod socket_options;
#[path = "../../../lessons/lesson-03/tests/exercises/sockets.rs"]
mod sockets;
