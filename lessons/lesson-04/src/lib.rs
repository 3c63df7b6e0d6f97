//! Lesson 04: the article's `dgram` UDP server, rebuilt in Rust.
//!
//! ```javascript
//! const server = dgram.createSocket('udp4');
//! server.on('listening', () => {
//!   const address = server.address();
//!   console.log(`UDP server listening on ${address.address}:${address.port}`);
//! });
//! server.on('message', (msg, rinfo) => {
//!   console.log(`received: ${msg} from ${rinfo.address}:${rinfo.port}`);
//!   server.send('Hello, UDP client', rinfo.port, rinfo.address);
//! });
//! server.bind(41234);
//! ```
//!
//! | concept                                        | file                 |
//! | ---------------------------------------------- | -------------------- |
//! | one socket, a blocking `recv_from` loop        | [`blocking`]         |
//! | the same loop with tokio                       | [`asynchronous`]     |
//! | building the socket yourself; truncation flag  | [`with_socket2`]     |
//! | a client: one datagram per line, a timeout     | [`client`]           |
//! | a relay that loses and reorders, on purpose    | [`relay`], `examples/relay.rs` |
//! | what the server says, in two languages         | [`messages`]         |
//! | your exercises                                 | `exercises/`, not in this library |

pub mod asynchronous;
pub mod blocking;
pub mod client;
pub mod messages;
pub mod relay;
pub mod with_socket2;

use lesson_support::{Lang, Log};

/// The article's port.
pub const DEFAULT_PORT: u16 = 41234;

/// The buffer each `recv_from` receives into. A datagram longer than the
/// buffer is cut to fit and the rest is thrown away, without an error: so the
/// buffer is made large enough for the largest UDP payload there is (65507
/// bytes over IPv4, 65527 over IPv6). Node's `dgram` does the same.
pub const DATAGRAM_BUFFER: usize = 64 * 1024;

/// The largest payload one IPv4 UDP datagram can carry: the 16-bit IP
/// length field allows 65535 bytes, minus 20 for the IP header and 8 for
/// the UDP header. Sending one byte more fails with EMSGSIZE.
pub const MAX_IPV4_PAYLOAD: usize = 65535 - 20 - 8;

/// What every server mode needs to know.
#[derive(Clone, Debug)]
pub struct Config {
    /// The language of the log lines and of the reply.
    pub lang: Lang,
    /// The size of the receive buffer, in bytes: [`DATAGRAM_BUFFER`] unless
    /// you want to watch datagrams being truncated (`--buffer 8`).
    pub buffer: usize,
    /// Where log lines go.
    pub log: Log,
}

/// How Node prints an address in `rinfo.address + ':' + rinfo.port`: no
/// brackets around an IPv6 address, unlike Rust's `SocketAddr` display.
pub fn node_style(addr: std::net::SocketAddr) -> String {
    format!("{}:{}", addr.ip(), addr.port())
}
