//! Exercise 1: a JSON protocol with a counter: your answer and its checks,
//! one test target of their own (see `Cargo.toml`). Run it with `cargo
//! exercises lesson-01`.

// The stub ignores its parameters until you write it.
#[allow(unused_variables)]
#[path = "../exercises/json_counter.rs"]
mod answer;
#[path = "exercises/json_counter.rs"]
mod checks;
mod common;
#[path = "exercises/server.rs"]
mod server;
