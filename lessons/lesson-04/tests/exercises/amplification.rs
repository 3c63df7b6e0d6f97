//! # Exercise 1: no amplification
//! Book: lesson-04, "Exercise 1: no amplification"

use lesson_support::Lang;

use crate::answer::reply_for;

#[test]
fn an_empty_datagram_gets_no_reply() {
    assert_eq!(reply_text(b"", Lang::En), None);
    assert_eq!(reply_text(b"", Lang::Zh), None);
}

#[test]
fn a_reply_is_never_longer_than_its_request() {
    for lang in [Lang::En, Lang::Zh] {
        for size in 0..=100 {
            let request = vec![b'x'; size];
            if let Some(reply) = reply_for(&request, lang) {
                assert!(reply.len() <= size, "{lang:?}: {size} bytes in, {} out", reply.len());
            }
        }
    }
}

/// The reply as text, so that a wrong one reads as words, not numbers.
fn reply_text(received: &[u8], lang: Lang) -> Option<String> {
    reply_for(received, lang).map(|reply| String::from_utf8_lossy(&reply).into_owned())
}

#[test]
fn a_request_as_long_as_the_greeting_gets_the_greeting() {
    let en = "Hello, UDP client";
    let zh = "你好，UDP 客户端";
    assert_eq!(en.len(), 17);
    assert_eq!(zh.len(), 22);
    assert_eq!(reply_text(&[0; 17], Lang::En).as_deref(), Some(en));
    assert_eq!(reply_text(&[0; 16], Lang::En), None);
    assert_eq!(reply_text(&[0; 22], Lang::Zh).as_deref(), Some(zh));
    assert_eq!(reply_text(&[0; 21], Lang::Zh), None);
    assert_eq!(reply_text(&[b'x'; 1000], Lang::Zh).as_deref(), Some(zh));
    assert_eq!(reply_text(&[b'x'; 1000], Lang::En).as_deref(), Some(en));
}

#[test]
fn a_spoofed_flood_cannot_be_amplified() {
    // An attacker's budget, spent on datagrams of every small size.
    let requests: Vec<Vec<u8>> = (0..64).map(|size| vec![b'?'; size]).collect();
    let spent: usize = requests.iter().map(Vec::len).sum();
    let victim_gets: usize = requests
        .iter()
        .filter_map(|request| reply_for(request, Lang::Zh))
        .map(|reply| reply.len())
        .sum();
    assert!(victim_gets <= spent, "{spent} bytes sent, {victim_gets} reflected");
}
