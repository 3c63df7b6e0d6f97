//! Exercise 1: line framing: your answer and its checks, one test target of their
//! own (see `Cargo.toml`). Run it with `cargo exercises lesson-03`.

// The stub ignores its parameters until you write it.
#[allow(unused_variables)]
#[path = "../exercises/line_framing.rs"]
mod answer;
#[path = "exercises/line_framing.rs"]
mod checks;
// Helpers shared by the exercises: each uses only some of them.
#[allow(dead_code)]
#[path = "exercises/sockets.rs"]
mod sockets;
