//! Your exercises for lesson 03. Each file holds one: a task in its top
//! comment, a function or two that `todo!()` until you write them, and a
//! hint at the bottom.
//!
//! Check your work with `cargo exercises lesson-03`: it runs the tests in
//! `tests/exercises/` and tells you which exercise fails and where to read.
//! Reference solutions are in `solutions/lesson-03/` — try first.
//!
//! The server modes never call these, so `cargo run -p lesson-03` works
//! whether or not you have done them.

// The stubs do not use their parameters yet; your solutions will.
#![allow(unused_variables)]

pub mod abortive_close;
pub mod half_close;
pub mod line_framing;
pub mod socket_options;
