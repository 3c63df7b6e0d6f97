//! Exercise 1: everyone but the sender: your answer and its checks, one test
//! target of their own (see `Cargo.toml`). Run it with `cargo exercises lesson-02`.

// The stub ignores its parameters until you write it.
#[allow(unused_variables)]
#[path = "../exercises/except_sender.rs"]
mod answer;
#[path = "exercises/except_sender.rs"]
mod checks;
