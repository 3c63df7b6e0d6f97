//! Each experiment runs briefly, against the real servers, and reports
//! figures that make sense. Not how fast anything is: benchmarks are
//! programs, and a test that asserted a speed would fail on a busy machine.
//! Every loop is bounded by a count of round trips; the duration is only a
//! bound against hanging.

use std::sync::OnceLock;
use std::time::Duration;

use lesson_05::experiments::{self, Chats, Limits, MESSAGE};
use lesson_05::report;
use lesson_05::server::{Programs, Protocol, Style, Target};
use lesson_support::testing::{node_available, redis_available};

const LIMITS: Limits = Limits { duration: Duration::from_secs(60), round_trips: 20 };

/// The lessons' binaries, built once for all the tests.
fn programs() -> &'static Programs {
    static PROGRAMS: OnceLock<Programs> = OnceLock::new();
    PROGRAMS.get_or_init(|| Programs::build().expect("the lessons' binaries"))
}

fn rust_targets() -> impl Iterator<Item = Target> {
    Protocol::ALL.into_iter().flat_map(|protocol| {
        [Style::Blocking, Style::Async].map(|style| Target { protocol, style })
    })
}

#[test]
fn a_load_gets_every_reply_and_reports_sane_figures() {
    for target in rust_targets() {
        let load = experiments::load(programs(), target, 2, LIMITS, &mut |_| {}).unwrap();
        // Loopback loses no datagram at this pace, but UDP promises nothing.
        assert_eq!(load.replies + load.lost, 40, "{target}");
        assert!(load.replies > 0 && load.rate() > 0.0, "{target}: {load:?}");
        assert!(load.p50 > Duration::ZERO && load.p99 >= load.p50, "{target}: {load:?}");
        assert!(load.server_rss > 100_000, "{target}: {load:?}");
        let rows = load.rows("throughput");
        assert!(rows.iter().any(|row| row.metric == "server CPU per message"), "{rows:?}");
    }
}

#[test]
fn bytes_on_the_wire_are_the_payload_plus_what_each_protocol_adds() {
    for protocol in Protocol::ALL {
        let target = Target { protocol, style: Style::Async };
        let wire = experiments::bytes_on_the_wire(programs(), target, 10).unwrap();
        let (sent, received) = (wire.sent_per_message, wire.received_per_reply);
        let reply = wire.reply_payload as f64;
        match protocol {
            // A stream carries the bytes and nothing else; the greeting comes first.
            Protocol::Tcp => {
                assert_eq!((sent, received), (64.0, reply));
                assert_eq!(wire.handshake.sent, 0);
                assert!(wire.handshake.received > 0);
            }
            Protocol::Udp => {
                assert_eq!((sent, received), (64.0, reply));
                assert_eq!((wire.handshake.sent, wire.handshake.received), (0, 0));
            }
            // A client's frame: 2 bytes of header and a 4-byte mask; the
            // server's is unmasked. The HTTP upgrade comes first, both ways.
            Protocol::WebSocket => {
                assert_eq!((sent, received), (64.0 + 6.0, reply + 2.0));
                assert!(wire.handshake.sent > 100 && wire.handshake.received > 100, "{wire:?}");
            }
            Protocol::SocketIo | Protocol::Chat => unreachable!("the chats echo nothing"),
        }
        assert!(wire.reply_payload > MESSAGE.len() / 4, "{wire:?}");
    }
}

#[test]
fn starting_a_conversation_is_timed_to_the_first_reply() {
    for target in rust_targets() {
        let start = experiments::starting(programs(), target, LIMITS, &mut |_| {}).unwrap();
        assert_eq!(start.conversations, 20, "{target}");
        assert!(
            start.first_reply >= start.ready && start.first_reply > Duration::ZERO,
            "{start:?}"
        );
    }
}

#[test]
fn idle_connections_are_held_and_the_memory_read() {
    for target in rust_targets().filter(|target| target.protocol.has_connections()) {
        let idle = experiments::idle(programs(), target, 50, &mut |_| {}).unwrap();
        assert_eq!(idle.connections, 50);
        assert!(idle.rss_before > 100_000 && idle.rss_after >= idle.rss_before, "{idle:?}");
    }
}

#[test]
fn one_chat_message_reaches_every_listener_and_is_timed() {
    let chats = [
        Target { protocol: Protocol::SocketIo, style: Style::Async },
        Target { protocol: Protocol::Chat, style: Style::Blocking },
        Target { protocol: Protocol::Chat, style: Style::Async },
    ];
    for target in chats {
        let fan_out =
            experiments::fan_out(programs(), target, Chats::One, 3, 2, &mut |_| {}).unwrap();
        assert_eq!((fan_out.listeners, fan_out.rounds), (3, 2), "{target}");
        // The first listener reads it no later than the last; both after it left.
        assert!(fan_out.first_p50 > Duration::ZERO, "{target}: {fan_out:?}");
        assert!(fan_out.last_p50 >= fan_out.first_p50, "{target}: {fan_out:?}");
        assert!(fan_out.last_p99 >= fan_out.last_p50, "{target}: {fan_out:?}");
        assert!(fan_out.server_rss > 100_000, "{target}: {fan_out:?}");
        let rows = fan_out.rows();
        assert!(rows.iter().all(|row| row.experiment == "fan-out" && row.clients == 3), "{rows:?}");
    }
}

#[test]
fn a_chat_message_crosses_redis_to_the_other_process_listeners() {
    if !redis_available() {
        return;
    }
    let socketio = Target { protocol: Protocol::SocketIo, style: Style::Async };
    let fan_out =
        experiments::fan_out(programs(), socketio, Chats::TwoOnRedis, 3, 2, &mut |_| {}).unwrap();
    assert!(fan_out.last_p50 >= fan_out.first_p50 && fan_out.first_p50 > Duration::ZERO);
    assert!(fan_out.redis_cpu.is_some(), "{fan_out:?}");
    let rows = fan_out.rows();
    assert!(rows.iter().all(|row| row.experiment == "fan-out-redis"), "{rows:?}");
    assert!(rows.iter().any(|row| row.metric == "Redis CPU per message"), "{rows:?}");
}

#[test]
fn the_node_programs_are_measured_alike() {
    if !node_available() {
        return;
    }
    if let Some(why) = programs().node_missing() {
        panic!("{why}");
    }
    for protocol in Protocol::ALL {
        let target = Target { protocol, style: Style::Node };
        let load = experiments::load(programs(), target, 1, LIMITS, &mut |_| {}).unwrap();
        assert_eq!(load.replies + load.lost, 20, "{target}");
        assert!(load.replies > 0 && load.server_rss > 1_000_000, "{load:?}");
    }
    let socketio = Target { protocol: Protocol::SocketIo, style: Style::Node };
    let fan_out =
        experiments::fan_out(programs(), socketio, Chats::One, 3, 2, &mut |_| {}).unwrap();
    assert!(fan_out.last_p50 >= fan_out.first_p50 && fan_out.first_p50 > Duration::ZERO);
}

#[test]
fn the_report_has_a_column_per_server_and_a_bar_per_figure() {
    let tcp = |style| Target { protocol: Protocol::Tcp, style };
    let rows = [Style::Blocking, Style::Async].map(|style| {
        report::Row::new("throughput", tcp(style), 50, "messages per second", 1000.0, "msg/s")
    });
    let table = report::table(&rows);
    assert!(table.contains("tcp blocking") && table.contains("tcp async"), "{table}");
    assert!(table.contains("messages per second, 50 clients msg/s"), "{table}");
    assert_eq!(report::csv(&rows).lines().count(), 3);
    let svg = report::svg(&rows);
    assert!(svg.starts_with("<svg") && svg.matches("<rect").count() == 2, "{svg}");
}
