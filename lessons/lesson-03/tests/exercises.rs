//! The checks for your lesson-03 exercises. They fail until you solve the
//! exercises, so `cargo test` leaves them out: run `cargo exercises lesson-03`.
//! The same checks run against the reference solutions (`solutions/lesson-03`).

use lesson_03::exercises as answer;

#[path = "exercises/abortive_close.rs"]
mod abortive_close;
#[path = "exercises/half_close.rs"]
mod half_close;
#[path = "exercises/line_framing.rs"]
mod line_framing;
#[path = "exercises/socket_options.rs"]
mod socket_options;
#[path = "exercises/sockets.rs"]
mod sockets;
