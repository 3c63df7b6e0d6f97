//! # Exercise 1: no amplification
//! Book: lesson-04, "Exercise 1: no amplification"
//!
//! UDP never checks that a datagram's source address is real: anyone can
//! send a datagram that claims to come from someone else, and the server's
//! reply goes to that someone. The Node server answers even an empty,
//! 0-byte datagram with a 22-byte greeting. An attacker who sends it many
//! small datagrams with a victim's address as their source makes it send the
//! victim more bytes than the attacker spent: an *amplification* attack.
//!
//! Write the reply policy that stops this: reply with the greeting
//! (`lesson_04::messages::reply(lang)`, as bytes) only when the datagram received was
//! at least as long as the greeting; otherwise, do not reply at all. Then a
//! reply is never longer than the request that caused it.
//!
//! Check it with `cargo exercises lesson-04`. Stuck? `cargo exercises hint
//! lesson-04 amplification` gives a first hint, `--more` a precise one.

use lesson_support::Lang;

/// The reply to a datagram of `received` bytes, or `None` for no reply.
/// Never longer than `received`.
pub fn reply_for(received: &[u8], lang: Lang) -> Option<Vec<u8>> {
    todo!("exercise 1: reply only when the reply is no longer than the request")
}
