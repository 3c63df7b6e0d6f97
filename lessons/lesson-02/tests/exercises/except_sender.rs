//! # Exercise 1: everyone but the sender
//! Book: lesson-02-by-hand, "Exercise 1: everyone but the sender"

use lesson_02::by_hand::envelope::chat_message;

use crate::answer::fan_out;

#[test]
fn everyone_but_the_sender_gets_the_message_in_the_rooms_order() {
    let deliveries = fan_out(&[4, 1, 7, 2], 7, "hi");
    let expected: Vec<(u64, String)> =
        [4, 1, 2].into_iter().map(|id| (id, chat_message("hi"))).collect();
    assert_eq!(deliveries, expected);
}

#[test]
fn the_message_is_a_chat_message_envelope_of_the_text() {
    let deliveries = fan_out(&[1, 2], 1, "你好 \"quoted\"");
    assert_eq!(deliveries, [(2, r#"{"event":"chat message","data":"你好 \"quoted\""}"#.into())]);
}

#[test]
fn a_sender_that_left_excludes_nobody() {
    let deliveries = fan_out(&[3, 5], 9, "bye");
    assert_eq!(deliveries, [(3, chat_message("bye")), (5, chat_message("bye"))]);
}

#[test]
fn a_sender_alone_in_the_room_sends_nothing() {
    assert_eq!(fan_out(&[8], 8, "anyone?"), []);
}

#[test]
fn the_first_and_the_last_member_can_be_the_sender() {
    let ids = |deliveries: Vec<(u64, String)>| -> Vec<u64> {
        deliveries.into_iter().map(|(id, _)| id).collect()
    };
    assert_eq!(ids(fan_out(&[1, 2, 3], 1, "x")), [2, 3]);
    assert_eq!(ids(fan_out(&[1, 2, 3], 3, "x")), [1, 2]);
}
