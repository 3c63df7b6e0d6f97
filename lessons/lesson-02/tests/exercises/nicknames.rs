//! # Exercise 2: nicknames
//! Book: lesson-02-by-hand, "Exercise 2: nicknames"

use serde_json::{Value, json};

use crate::answer::{EmptyName, Nicknames};

/// A notice as JSON, so that the order of its fields does not matter.
fn notice(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

#[test]
fn joining_names_the_client_and_tells_the_room() {
    let mut names = Nicknames::new();
    let joined = names.join(1, "ann").unwrap();
    assert_eq!(notice(&joined), json!({"event": "joined", "data": "ann"}));
    assert_eq!(names.name(1), Some("ann"));
    assert_eq!(names.name(2), None);
}

#[test]
fn the_name_is_trimmed_and_an_empty_one_refused() {
    let mut names = Nicknames::new();
    assert_eq!(notice(&names.join(1, "  bob\t").unwrap())["data"], "bob");
    assert_eq!(names.join(2, " \n "), Err(EmptyName));
    assert_eq!(names.join(3, ""), Err(EmptyName));
    assert_eq!(names.name(2), None);
    // A refused name changes nothing for a client that had one.
    assert_eq!(names.join(1, "   "), Err(EmptyName));
    assert_eq!(names.name(1), Some("bob"));
}

#[test]
fn a_taken_name_gets_the_first_free_number_from_two() {
    let mut names = Nicknames::new();
    names.join(1, "ann").unwrap();
    assert_eq!(notice(&names.join(2, "ann").unwrap())["data"], "ann-2");
    assert_eq!(notice(&names.join(3, " ann ").unwrap())["data"], "ann-3");
    // Names differ by case: `Ann` is free.
    assert_eq!(notice(&names.join(4, "Ann").unwrap())["data"], "Ann");
    // Someone asked for `cleo-2` itself: `cleo`'s second comer skips it.
    names.join(5, "cleo-2").unwrap();
    names.join(6, "cleo").unwrap();
    assert_eq!(notice(&names.join(7, "cleo").unwrap())["data"], "cleo-3");
}

#[test]
fn leaving_frees_the_name_and_tells_the_room() {
    let mut names = Nicknames::new();
    names.join(1, "ann").unwrap();
    names.join(2, "ann").unwrap();
    let left = names.leave(1).unwrap();
    assert_eq!(notice(&left), json!({"event": "left", "data": "ann"}));
    assert_eq!(names.name(1), None);
    assert_eq!(names.leave(1), None);
    // The first free name is `ann` again; `ann-2` is still taken.
    assert_eq!(notice(&names.join(3, "ann").unwrap())["data"], "ann");
    let left = names.leave(2).unwrap();
    assert_eq!(notice(&left)["data"], "ann-2");
}

#[test]
fn a_client_without_a_name_leaves_silently() {
    let mut names = Nicknames::new();
    assert_eq!(names.leave(9), None);
}

#[test]
fn joining_again_renames_and_frees_the_old_name() {
    let mut names = Nicknames::new();
    names.join(1, "ann").unwrap();
    assert_eq!(notice(&names.join(1, "annie").unwrap())["data"], "annie");
    assert_eq!(names.name(1), Some("annie"));
    assert_eq!(notice(&names.join(2, "ann").unwrap())["data"], "ann");
    // Joining again under the same name keeps it, without a number.
    assert_eq!(notice(&names.join(1, "annie").unwrap())["data"], "annie");
}

#[test]
fn a_name_with_quotes_makes_valid_json() {
    let mut names = Nicknames::new();
    let joined = names.join(1, r#"the "real" ann"#).unwrap();
    assert_eq!(notice(&joined)["data"], r#"the "real" ann"#);
}
