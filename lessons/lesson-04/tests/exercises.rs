//! The checks for your lesson-04 exercises. They fail until you solve the
//! exercises, so `cargo test` leaves them out: run `cargo exercises lesson-04`.
//! The same checks run against the reference solutions (`solutions/lesson-04`).

use lesson_04::exercises as answer;

#[path = "exercises/amplification.rs"]
mod amplification;
#[path = "exercises/sockets.rs"]
mod sockets;
#[path = "exercises/stop_and_wait.rs"]
mod stop_and_wait;
#[path = "exercises/truncation.rs"]
mod truncation;
