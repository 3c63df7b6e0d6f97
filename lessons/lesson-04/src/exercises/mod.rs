//! Your exercises for lesson 04. Each file holds one: a task in its top
//! comment, a function or two that `todo!()` until you write them, and a
//! hint at the bottom.
//!
//! Check your work with `cargo exercises lesson-04`: it runs the tests in
//! `tests/exercises/` and tells you which exercise fails and where to read.
//! Reference solutions are in `solutions/lesson-04/` — try first.
//!
//! The server modes never call these, so `cargo run -p lesson-04` works
//! whether or not you have done them.

// The stubs do not use their parameters yet; your solutions will.
#![allow(unused_variables)]

pub mod amplification;
pub mod stop_and_wait;
pub mod truncation;
