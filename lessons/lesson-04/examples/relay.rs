//! The lossy relay as a program, to watch loss and reordering by hand:
//!
//! ```sh
//! cargo run -p lesson-04                                   # the server, :41234
//! cargo run -p lesson-04 --example relay -- --drop "drop 2, hold 3"
//! cargo run -p lesson-04 -- client --port 41235            # talk through the relay
//! ```
//!
//! Type `1`, `2`, `3`, `4`: the server logs 1, then nothing for 2 (dropped)
//! and 3 (held back), then 4 and 3. The client prints a reply to `1`, then
//! `no reply within 2s` twice: after `2`, whose datagram was dropped, and
//! after `3`, whose datagram the relay still holds. After `4` it prints one
//! reply. The server answers the late `3` too, and that reply reaches the
//! client's socket just after the one to `4`, but the client reads one reply
//! per line it sends, so the reply to `3` waits in the socket: type `5` and
//! it is printed at once as if it answered `5` (the replies are identical, so
//! nothing shows the mix-up); press Ctrl-D instead and it is never read. The
//! script is the same as in `src/relay.rs`'s tests.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use clap::Parser;
use lesson_04::relay::{Plan, Relay, Script};
use lesson_support::{Log, Show, ctrl_c_blocking};

/// A UDP relay that drops and reorders datagrams by a script.
#[derive(Debug, Parser)]
struct Cli {
    /// Where clients send their datagrams.
    #[arg(long, default_value_t = 41235)]
    port: u16,
    /// The server the relay forwards to.
    #[arg(long, default_value = "127.0.0.1")]
    server_host: IpAddr,
    /// The server's port.
    #[arg(long, default_value_t = lesson_04::DEFAULT_PORT)]
    server_port: u16,
    /// What to do to datagrams towards the server: `drop N`, `hold N`, `drop all`.
    #[arg(long, default_value = "")]
    drop: Script,
    /// The same, for the replies towards the client.
    #[arg(long, default_value = "")]
    drop_replies: Script,
}

fn main() {
    let cli = Cli::parse();
    let server = SocketAddr::new(cli.server_host, cli.server_port);
    let listen = SocketAddr::new(Ipv4Addr::LOCALHOST.into(), cli.port);
    let plan = Plan { to_server: cli.drop, to_client: cli.drop_replies };
    let started = Log::stdout(Show::Escaped).and_then(|log| {
        let relay = Relay::start_on(listen, server, plan, log.clone())?;
        Ok((relay, log, ctrl_c_blocking()?))
    });
    let (relay, log, interrupted) = match started {
        Ok(started) => started,
        Err(error) => {
            eprintln!("error: cannot relay on {listen}: {error}");
            std::process::exit(2);
        }
    };
    log.line(format_args!("relaying {} → {server}; Ctrl-C to stop", relay.addr));
    let _ = interrupted.recv();
    drop(relay);
    log.flush();
}
