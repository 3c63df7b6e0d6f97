//! Exercise 3: acknowledgements: your answer and its checks, one test target
//! of their own (see `Cargo.toml`). Run it with `cargo exercises lesson-02`.

// The stub ignores its parameters until you write it.
#[allow(unused_variables)]
#[path = "../exercises/acknowledgement.rs"]
mod answer;
#[path = "exercises/acknowledgement.rs"]
mod checks;
