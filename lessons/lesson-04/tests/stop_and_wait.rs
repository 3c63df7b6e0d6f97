//! Exercise 3: stop-and-wait: your answer and its checks, one test target of their
//! own (see `Cargo.toml`). Run it with `cargo exercises lesson-04`.

// The stub ignores its parameters until you write it.
#[allow(unused_variables)]
#[path = "../exercises/stop_and_wait.rs"]
mod answer;
#[path = "exercises/stop_and_wait.rs"]
mod checks;
// Helpers shared by the exercises: each uses only some of them.
#[allow(dead_code)]
#[path = "exercises/sockets.rs"]
mod sockets;
