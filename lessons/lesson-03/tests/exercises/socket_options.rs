//! # Exercise 2: socket options
//! Book: lesson-03, "Exercise 2: socket options"

use std::time::Duration;

use socket2::SockRef;

use crate::answer::{Options, apply, read_back};
use crate::sockets::connected_pair;

#[test]
fn apply_sets_what_the_kernel_then_reports() {
    let (_client, server) = connected_pair();
    let options = Options {
        nodelay: true,
        keepalive_idle: Some(Duration::from_secs(42)),
        recv_buffer: 32 * 1024,
    };
    apply(&server, &options).unwrap();

    // Asked independently of `read_back`:
    let socket = SockRef::from(&server);
    assert!(socket.tcp_nodelay().unwrap());
    assert!(socket.keepalive().unwrap());
    assert_eq!(socket.tcp_keepalive_time().unwrap(), Duration::from_secs(42));
    // Linux doubles the size you ask for (man 7 socket).
    assert_eq!(socket.recv_buffer_size().unwrap(), 64 * 1024);
}

#[test]
fn read_back_reports_the_kernels_values() {
    let (_client, server) = connected_pair();
    let asked = Options {
        nodelay: true,
        keepalive_idle: Some(Duration::from_secs(30)),
        recv_buffer: 16 * 1024,
    };
    apply(&server, &asked).unwrap();
    assert_eq!(read_back(&server).unwrap(), Options { recv_buffer: 32 * 1024, ..asked });
}

#[test]
fn none_turns_keepalive_off_and_false_turns_nagle_back_on() {
    let (_client, server) = connected_pair();
    let on = Options {
        nodelay: true,
        keepalive_idle: Some(Duration::from_secs(10)),
        recv_buffer: 8 * 1024,
    };
    let off = Options { nodelay: false, keepalive_idle: None, recv_buffer: 8 * 1024 };
    apply(&server, &on).unwrap();
    apply(&server, &off).unwrap();

    let socket = SockRef::from(&server);
    assert!(!socket.tcp_nodelay().unwrap());
    assert!(!socket.keepalive().unwrap());
    assert_eq!(read_back(&server).unwrap(), Options { recv_buffer: 16 * 1024, ..off });
}
