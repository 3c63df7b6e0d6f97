//! Lesson 05: measuring the lessons. The article compares WebSocket, TCP and
//! UDP in a table of words; this program puts numbers in it, on your machine.
//!
//! It starts the lessons' servers (and, with `--with-node`, the article's
//! Node programs) as child processes on port 0, drives them with a load
//! generator of its own over loopback, and reads what each server cost from
//! the kernel (`/proc/PID/stat`, `/proc/PID/status`).
//!
//! | concept                                             | file              |
//! | --------------------------------------------------- | ----------------- |
//! | starting a server, reading its CPU time and memory  | [`server`]        |
//! | one client, counting every byte it sends and reads  | [`client`]        |
//! | a chat member: socket.io or the hand-built envelope | [`client`]        |
//! | latency, throughput, bytes, handshakes, idle memory | [`experiments`]   |
//! | fan-out: one chat message to many listeners         | [`experiments`]   |
//! | a `redis-server` of its own, for fan-out across it  | [`server`]        |
//! | the table, the CSV and the SVG chart                | [`report`]        |

pub mod client;
pub mod experiments;
pub mod report;
pub mod server;
