//! The real binary, as a user runs it: its output, Ctrl-C, and its errors.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Command, Stdio};

use lesson_support::testing::{self, PATIENCE, Process, ctrl_c_after, root_available};
use lesson_support::testing::{assert_no_server_is_one_line, assert_port_in_use_is_refused};

const LESSON: &str = env!("CARGO_BIN_EXE_lesson-03");

fn lesson(args: &[&str]) -> Command {
    testing::lesson(LESSON, args)
}

fn talk(port: u16, line: &[u8]) -> String {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(line).unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut received = String::new();
    stream.read_to_string(&mut received).unwrap();
    received
}

fn ctrl_c_after_one_client(args: &[&str], disconnected: &str) -> String {
    let one_line = |port| talk(port, "hello 你好\n".as_bytes());
    let (printed, received) = ctrl_c_after(lesson(args), one_line, disconnected);
    format!("--- stdout ---\n{printed}--- client received ---\n{received}")
}

lesson_support::binary_ctrl_c_tests!(ctrl_c_after_one_client, "--- stdout ---\n");

#[test]
fn the_client_mode_of_the_binary() {
    let mut server = Process::start(lesson(&["--port", "0"]));
    let port = server.port();
    let mut client = lesson(&["client", "--port", &port.to_string()]).spawn().unwrap();
    client.stdin.take().unwrap().write_all(b"one\n").unwrap(); // dropped: end of input
    let output = client.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    server.wait_for_line("client disconnected");
    assert_eq!(server.interrupt().0, Some(0));
    let shown = String::from_utf8(output.stdout).unwrap().replace(&port.to_string(), "[PORT]");
    insta::assert_snapshot!(shown);
}

#[test]
fn a_port_in_use_is_one_clear_line_and_exit_code_2() {
    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    assert_port_in_use_is_refused(LESSON, taken.local_addr().unwrap().port());
}

#[test]
fn a_client_with_no_server_is_one_clear_line() {
    assert_no_server_is_one_line(LESSON);
}

#[test]
fn a_bad_flag_is_a_usage_error_not_a_backtrace() {
    let output = lesson(&["--lang", "fr"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: invalid value 'fr' for '--lang <LANG>'"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn help_lists_every_mode() {
    let output = lesson(&["--help"]).output().unwrap();
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn absurd_limits_are_refused_when_parsing() {
    for args in [
        ["--max-clients", "0"],
        ["--max-clients", "1000000000000"],
        ["--idle-timeout", "0"],
        ["--idle-timeout", "-5"],
    ] {
        let output = lesson(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_blocking_server_stops_even_where_it_cannot_connect_to_itself() {
    // A TCP listener may bind a multicast address, which nobody can connect
    // to: waking `accept` by connecting to ourselves would not work here.
    let mut server = Process::start(lesson(&["blocking", "--host", "224.0.0.1", "--port", "0"]));
    server.port();
    let (code, printed) = server.interrupt();
    assert_eq!(code, Some(0), "{printed}");
    assert!(printed.ends_with("server stopped\n"), "{printed}");
}

#[test]
fn the_client_limit_fits_the_file_descriptor_limit() {
    for mode in ["blocking", "async", "socket2"] {
        // 64 descriptors, soft and hard: the server cannot raise the limit,
        // so it serves 64 - 32 reserved = 32 clients, and refuses the next
        // politely instead of failing to accept it.
        let mut command = Command::new("prlimit");
        command.args(["--nofile=64:64", LESSON, mode, "--port", "0"]);
        command.stdout(Stdio::piped());
        let mut server = Process::start(command);
        let port = server.port();
        assert!(server.printed().contains("serving at most 32 clients, not 512"), "{mode}");
        let clients: Vec<TcpStream> = (0..32)
            .map(|_| {
                let mut client = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
                client.set_read_timeout(Some(PATIENCE)).unwrap();
                let mut greeting = [0; 26];
                client.read_exact(&mut greeting).unwrap();
                client
            })
            .collect();
        let busy = talk(port, b"");
        assert_eq!(busy, "server busy: 32 clients already connected, try again later\n", "{mode}");
        drop(clients);
        let (code, printed) = server.interrupt();
        assert_eq!(code, Some(0), "{mode}: {printed}");
        assert!(!printed.contains("cannot accept"), "{mode}: {printed}");
    }
}

#[test]
fn a_stalled_standard_output_stops_neither_serving_nor_ctrl_c() {
    let mut child = lesson(&["--port", "0"]).spawn().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut listening = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut listening).unwrap();
    let port: u16 = listening.trim_end().rsplit(' ').next().unwrap().parse().unwrap();
    // From here on nobody reads the server's output. Each exchange makes a
    // log line of a kilobyte: far more than the pipe and the log hold.
    let mut client = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut greeting = [0; 26];
    client.read_exact(&mut greeting).unwrap();
    let line = [b'x'; 1000];
    let mut reply = vec![0; "server received: ".len() + line.len()];
    for _ in 0..1000 {
        client.write_all(&line).unwrap();
        client.read_exact(&mut reply).expect("the server answers though nobody reads its log");
    }
    let stop = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(stop.success());
    let (exited, status) = std::sync::mpsc::channel();
    std::thread::spawn(move || exited.send(child.wait()));
    let status = status.recv_timeout(PATIENCE).expect("Ctrl-C must stop it").unwrap();
    assert_eq!(status.code(), Some(0));
    // What it had written before its output stalled is still there, whole
    // lines in order; the rest was dropped (how many, the log says when a
    // reader catches up: see support's log tests).
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(rest.starts_with("new client connected\nreceived: xxx"), "{}", &rest[..80]);
    assert!(rest.len() < 1000 * line.len(), "the whole log arrived: nothing was dropped");
}

#[test]
fn the_blocking_server_refuses_a_client_it_has_no_thread_for_and_serves_the_others() {
    // The limit on threads (RLIMIT_NPROC) counts every process of a user, so
    // it can be set tightly only for a user that runs nothing else: `nobody`,
    // which only root can become.
    if !root_available() {
        return;
    }
    // Six threads for the user: the server's main, log, Ctrl-C and stop
    // threads, and two clients. The third client's thread cannot be made.
    let mut command = Command::new("prlimit");
    command.args(["--nproc=6:6", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]);
    command.args([LESSON, "blocking", "--port", "0"]);
    let mut server = Process::start(command);
    let port = server.port();
    let greeted = |port| {
        let mut client = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
        client.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut greeting = [0; 26];
        client.read_exact(&mut greeting).unwrap();
        assert_eq!(&greeting, b"Welcome to the TCP server\n");
        client
    };
    let mut first = greeted(port);
    let _second = greeted(port);
    let refused = talk(port, b"");
    assert_eq!(refused, "server busy: no room for another client just now, try again later\n");
    server.wait_for_line(
        "client refused: cannot start a thread for it: Resource temporarily unavailable (os error 11)",
    );
    // The server goes on serving the clients it has.
    first.write_all(b"still there?\n").unwrap();
    let mut reply = [0; 30];
    first.read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"server received: still there?\n");
    let (code, printed) = server.interrupt();
    assert_eq!(code, Some(0), "{printed}");
}
