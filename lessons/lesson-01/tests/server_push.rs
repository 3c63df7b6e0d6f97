//! Exercise 2: a push from the server: your answer and its checks,
//! one test target of their own (see `Cargo.toml`). Run it with `cargo
//! exercises lesson-01`.

// The stub ignores its parameters until you write it.
#[allow(unused_variables)]
#[path = "../exercises/server_push.rs"]
mod answer;
#[path = "exercises/server_push.rs"]
mod checks;
mod common;
#[path = "exercises/server.rs"]
mod server;
