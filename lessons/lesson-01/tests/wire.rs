//! What goes over the wire, captured from the real server by a raw TCP
//! client that writes every byte itself: the HTTP Upgrade handshake, the
//! `Sec-WebSocket-Accept` header computed independently, frames taken apart
//! field by field, and what a server does with a frame that is not masked.
//! The chapter includes these snapshots whole.

mod common;

use common::{Raw, bounded, start};
use data_encoding::BASE64;
use lesson_01::messages;
use lesson_support::testing::SERVER_MODES;
use lesson_support::{Lang, Mode};
use sha1::{Digest, Sha1};
use tokio::io::AsyncReadExt;

/// The key of RFC 6455's own example (§1.3), so that the accept is the RFC's.
const RFC_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
/// The masking key of RFC 6455's examples (§5.7).
const RFC_MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

// ANCHOR: accept
/// What every WebSocket server appends to the client's key (RFC 6455 §1.3).
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The `Sec-WebSocket-Accept` that answers `key`: the SHA-1 of the key and
/// the GUID, in base64. It proves the server read this handshake (a cache
/// replaying an old answer would carry another key's accept).
fn accept_for(key: &str) -> String {
    BASE64.encode(&Sha1::digest(format!("{key}{GUID}")))
}
// ANCHOR_END: accept

/// The handshake a client writes, with `key`, to `port`.
fn upgrade_request(port: u16, key: &str) -> String {
    format!(
        "GET / HTTP/1.1\r\n\
         Host: 127.0.0.1:{port}\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n"
    )
}

/// Reads the server's HTTP response to the handshake, up to the empty line
/// that ends it, and not a byte further (frames may follow).
async fn read_response(raw: &mut Raw) -> String {
    let mut response = Vec::new();
    while !response.ends_with(b"\r\n\r\n") {
        assert!(response.len() < 4096, "no end to the response: {response:?}");
        response.push(bounded(raw.stream.read_u8()).await.unwrap());
    }
    String::from_utf8(response).unwrap()
}

/// Connects and completes the handshake with `key`; returns the client and
/// the server's response.
async fn handshake(port: u16, key: &str) -> (Raw, String) {
    let mut raw = Raw::connect(([127, 0, 0, 1], port).into()).await;
    raw.send(upgrade_request(port, key).as_bytes()).await;
    let response = read_response(&mut raw).await;
    (raw, response)
}

/// HTTP text as it is on the wire: each line with its `\r\n` shown.
fn show_http(text: &str, port: u16) -> String {
    text.split_inclusive("\r\n")
        .map(|line| format!("{}\\r\\n\n", line.trim_end_matches("\r\n")))
        .collect::<String>()
        .replace(&format!(":{port}\\r"), ":[PORT]\\r")
}

/// The value of header `name` in an HTTP response.
fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    response.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

// ANCHOR: masked
/// A frame as a client must send it: FIN set, the payload XORed with the
/// masking key, byte `i` with `key[i % 4]`.
fn client_frame(opcode: u8, payload: &[u8], key: [u8; 4]) -> Vec<u8> {
    let mut frame = vec![0x80 | opcode];
    match payload.len() {
        short @ 0..=125 => frame.push(0x80 | short as u8),
        medium @ 126..=0xffff => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(medium as u16).to_be_bytes());
        }
        long => {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&(long as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(&key);
    frame.extend(payload.iter().enumerate().map(|(i, byte)| byte ^ key[i % 4]));
    frame
}
// ANCHOR_END: masked

/// A frame's header, read from its first bytes.
struct Header {
    /// Bytes before the payload: 2, the extended length, the masking key.
    length: usize,
    /// How many bytes the extended payload length takes: 0, 2 or 8.
    extended: usize,
    payload: usize,
    mask: Option<[u8; 4]>,
}

/// The header at the start of `bytes`, or how many bytes are still needed
/// to know it.
fn parse_header(bytes: &[u8]) -> Result<Header, usize> {
    let extended = match bytes.get(1).ok_or_else(|| 2 - bytes.len())? & 0x7f {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    let masked = bytes[1] & 0x80 != 0;
    let length = 2 + extended + if masked { 4 } else { 0 };
    if bytes.len() < length {
        return Err(length - bytes.len());
    }
    let payload = match extended {
        0 => usize::from(bytes[1] & 0x7f),
        _ => bytes[2..2 + extended].iter().fold(0, |n, byte| n << 8 | usize::from(*byte)),
    };
    let mask = masked.then(|| bytes[length - 4..length].try_into().unwrap());
    Ok(Header { length, extended, payload, mask })
}

/// Reads one whole frame, as raw bytes.
async fn read_frame(raw: &mut Raw) -> Vec<u8> {
    let mut frame = Vec::new();
    let header = loop {
        match parse_header(&frame) {
            Ok(header) => break header,
            Err(missing) => {
                let start = frame.len();
                frame.resize(start + missing, 0);
                bounded(raw.stream.read_exact(&mut frame[start..])).await.unwrap();
            }
        }
    };
    let start = frame.len();
    frame.resize(start + header.payload, 0);
    bounded(raw.stream.read_exact(&mut frame[start..])).await.unwrap();
    frame
}

/// Bytes in hex; past `most`, only how many more there are.
fn hex(bytes: &[u8], most: usize) -> String {
    let mut shown: Vec<String> = bytes.iter().take(most).map(|b| format!("{b:02x}")).collect();
    if bytes.len() > most {
        shown.push(format!("… ({} more)", bytes.len() - most));
    }
    shown.join(" ")
}

/// One frame taken apart: a line per field, its bytes, then what they say.
fn decode(frame: &[u8]) -> String {
    let header = parse_header(frame).expect("a whole frame");
    let (first, second) = (frame[0], frame[1]);
    let opcode = first & 0x0f;
    let kind = match opcode {
        0x0 => "continuation",
        0x1 => "text",
        0x2 => "binary",
        0x8 => "close",
        0x9 => "ping",
        0xa => "pong",
        _ => "reserved",
    };
    let field = |bytes: &[u8], most, what: String| format!("  {:<28} {what}\n", hex(bytes, most));
    let mut lines = format!("{}\n", hex(frame, 12));
    let (fin, rsv) = (first >> 7, (first >> 4) & 0b111);
    lines +=
        &field(&frame[..1], 1, format!("FIN {fin}, RSV {rsv:03b}, opcode {opcode:#x} ({kind})"));
    let (mask_bit, length) = (second >> 7, second & 0x7f);
    let length_says = match header.extended {
        0 => format!("payload length {length}"),
        n => format!("payload length {length}: the length is in the next {n} bytes"),
    };
    lines += &field(&frame[1..2], 1, format!("MASK {mask_bit}, {length_says}"));
    if header.extended > 0 {
        let bytes = &frame[2..2 + header.extended];
        lines += &field(bytes, 8, format!("extended payload length: {}", header.payload));
    }
    let raw_payload = &frame[header.length..];
    let mut payload = raw_payload.to_vec();
    let mut unmasking = String::new();
    let masking = match header.mask {
        Some(key) => {
            lines += &field(&key, 4, "masking key".into());
            payload.iter_mut().enumerate().for_each(|(i, byte)| *byte ^= key[i % 4]);
            // Spelled out where it fits on a line: byte i XOR key[i % 4].
            if payload.len() <= 5 {
                let steps = raw_payload.iter().zip(key.iter().cycle()).zip(&payload);
                let steps: Vec<_> = steps
                    .map(|((byte, key), plain)| format!("{byte:02x}^{key:02x}={plain:02x}"))
                    .collect();
                unmasking = format!("  {:<28} unmasking: {}\n", "", steps.join(" "));
            }
            "masked; unmasked"
        }
        None => "not masked",
    };
    let says = match opcode {
        0x8 if payload.len() >= 2 => format!(
            "code {}, reason {:?}",
            u16::from_be_bytes([payload[0], payload[1]]),
            String::from_utf8_lossy(&payload[2..])
        ),
        _ if payload.len() > 40 => format!("{} bytes", payload.len()),
        _ => format!("{:?}", String::from_utf8_lossy(&payload)),
    };
    lines + &field(raw_payload, 5, format!("payload, {masking}: {says}")) + &unmasking
}

#[test]
fn the_accept_is_the_sha1_of_key_and_guid_in_base64() {
    // RFC 6455 §1.3 gives this pair; the second is another known one.
    assert_eq!(accept_for(RFC_KEY), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assert_eq!(accept_for("x3JJHMbDL1EzLkh9GBhXDw=="), "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

#[tokio::test]
async fn every_mode_answers_the_handshake_with_the_accept_for_its_key() {
    for mode in SERVER_MODES {
        let running = start(mode, Lang::En).await;
        // Two keys: the server computes the accept, it does not recite one.
        for key in [RFC_KEY, "AAECAwQFBgcICQoLDA0ODw=="] {
            let (raw, response) = handshake(running.addr.port(), key).await;
            assert!(response.starts_with("HTTP/1.1 101 Switching Protocols\r\n"), "{response}");
            assert_eq!(header(&response, "Sec-WebSocket-Accept"), Some(&*accept_for(key)));
            drop(raw);
        }
        running.stop().await;
    }
}

#[tokio::test]
async fn the_handshake_and_frames_byte_for_byte() {
    let mut running = start(Mode::Async, Lang::En).await;
    let port = running.addr.port();
    let (mut raw, response) = handshake(port, RFC_KEY).await;
    let sent = show_http(&upgrade_request(port, RFC_KEY), port);
    let answered = show_http(&response, port);
    let exchange =
        format!("--- the client sent ---\n{sent}--- the server answered ---\n{answered}");
    insta::assert_snapshot!("handshake", exchange);

    let mut frames = String::new();
    let mut exchange = |what: &str, sent: &[u8], answer: &[u8]| {
        frames += &format!("--- {what}: the client sent ---\n{}", decode(sent));
        frames += &format!("--- the server answered ---\n{}", decode(answer));
    };
    let hello = client_frame(0x1, b"hello", RFC_MASK);
    raw.send(&hello).await;
    let reply = read_frame(&mut raw).await;
    exchange("a text message", &hello, &reply);

    // 200 bytes do not fit in 7 bits: the length takes 2 more bytes.
    let long = client_frame(0x1, &[b'x'; 200], RFC_MASK);
    raw.send(&long).await;
    let reply = read_frame(&mut raw).await;
    exchange("200 bytes", &long, &reply);

    let close = client_frame(0x8, &1000_u16.to_be_bytes(), RFC_MASK);
    raw.send(&close).await;
    let answer = read_frame(&mut raw).await;
    exchange("the close handshake", &close, &answer);
    assert!(raw.until_closed().await.is_empty(), "nothing after the close frame");
    insta::assert_snapshot!("frames", frames);
    running.log.wait_for(messages::client_disconnected(Lang::En)).await;
    running.stop().await;
}

#[tokio::test]
async fn an_unmasked_frame_from_a_client_gets_close_1002() {
    let mut transcripts = Vec::new();
    for mode in SERVER_MODES {
        let mut running = start(mode, Lang::En).await;
        let (mut raw, _response) = handshake(running.addr.port(), RFC_KEY).await;
        // "hello" as a server would send it: MASK 0, no key, plain payload.
        let unmasked = [&[0x81, 0x05][..], b"hello"].concat();
        raw.send(&unmasked).await;
        let answer = read_frame(&mut raw).await;
        // The server closed its side after its close frame; nothing follows.
        assert!(raw.until_closed().await.is_empty(), "{mode:?}");
        running.log.wait_for(messages::client_disconnected(Lang::En)).await;
        let log = running.stop().await;
        // The client's lines only: the socket2 mode prints its options first.
        let start = log.find("new client connected").unwrap();
        let end = log.find("client disconnected\n").unwrap() + "client disconnected\n".len();
        let log = &log[start..end];
        transcripts.push(format!(
            "--- the client sent ---\n{}--- the server answered ---\n{}--- the server logged ---\n{log}",
            decode(&unmasked),
            decode(&answer)
        ));
    }
    assert!(transcripts.iter().all(|transcript| *transcript == transcripts[0]), "{transcripts:#?}");
    insta::assert_snapshot!(transcripts[0]);
}
