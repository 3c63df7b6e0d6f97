//! Exercise 2: nicknames: your answer and its checks, one test target of
//! their own (see `Cargo.toml`). Run it with `cargo exercises lesson-02`.

// The stub ignores its parameters until you write it.
#[allow(unused_variables)]
#[path = "../exercises/nicknames.rs"]
mod answer;
#[path = "exercises/nicknames.rs"]
mod checks;
