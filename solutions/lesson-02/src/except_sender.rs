//! Exercise 1: everyone but the sender.

use lesson_02::by_hand::envelope::chat_message;

/// The deliveries of `text`, said by `sender`, to everyone else in the room.
pub fn fan_out(members: &[u64], sender: u64, text: &str) -> Vec<(u64, String)> {
    // Serialized once, as the room does, and copied for each delivery.
    let message = chat_message(text);
    members.iter().filter(|&&id| id != sender).map(|&id| (id, message.clone())).collect()
}
