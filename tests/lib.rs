//! No library: this package only holds the workspace-wide checks (`book.rs`,
//! `test_all.rs`).
