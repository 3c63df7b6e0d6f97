//! # Exercise 3: acknowledgements
//! Book: lesson-02-by-hand, "Exercise 3: acknowledgements"

use serde_json::{Value, json};

use crate::answer::acknowledge;

/// The acknowledgement as JSON, so that the order of its fields does not matter.
fn ack(text: &str, message_id: u64) -> Option<Value> {
    acknowledge(text, message_id).map(|text| {
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
    })
}

#[test]
fn an_ack_number_is_answered_with_the_message_id() {
    let asked = r#"{"event":"chat message","data":"hi","ack":7}"#;
    assert_eq!(ack(asked, 42), Some(json!({"event": "ack", "ack": 7, "data": 42})));
}

#[test]
fn zero_and_the_largest_number_are_answered_exactly() {
    let asked = r#"{"event":"chat message","data":"hi","ack":0}"#;
    assert_eq!(ack(asked, 1), Some(json!({"event": "ack", "ack": 0, "data": 1})));
    let largest = format!(r#"{{"event":"chat message","data":"hi","ack":{}}}"#, u64::MAX);
    assert_eq!(
        ack(&largest, u64::MAX),
        Some(json!({"event": "ack", "ack": u64::MAX, "data": u64::MAX}))
    );
    // One less than the largest: a number that went through `f64` comes out rounded.
    let near = format!(r#"{{"event":"chat message","ack":{}}}"#, u64::MAX - 1);
    assert_eq!(ack(&near, 0).unwrap()["ack"], json!(u64::MAX - 1));
}

#[test]
fn any_event_may_ask_and_its_data_does_not_matter() {
    assert_eq!(
        ack(r#"{"event":"typing","ack":3}"#, 9),
        Some(json!({"event": "ack", "ack": 3, "data": 9}))
    );
    assert_eq!(
        ack(r#"{"ack":5,"event":"x","data":[1,2]}"#, 8),
        Some(json!({"event": "ack", "ack": 5, "data": 8}))
    );
}

#[test]
fn no_ack_asked_none_given() {
    assert_eq!(ack(r#"{"event":"chat message","data":"hi"}"#, 1), None);
    for bad in [r#""7""#, "-1", "1.5", "null", "true", "[7]", r#"{"n":7}"#] {
        let text = format!(r#"{{"event":"chat message","data":"hi","ack":{bad}}}"#);
        assert_eq!(ack(&text, 1), None, "{text}");
    }
}

#[test]
fn text_that_is_no_envelope_gets_no_ack() {
    for text in [
        "hello",
        "",
        r#"[{"ack":1}]"#,
        r#"{"ack":1}"#,
        r#"{"event":7,"ack":1}"#,
        r#"{"event":null,"ack":1}"#,
        r#""{\"event\":\"x\",\"ack\":1}""#,
    ] {
        assert_eq!(ack(text, 1), None, "{text}");
    }
}
