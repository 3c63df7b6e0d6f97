//! The lossy relay as a program, to watch loss and reordering by hand:
//!
//! ```sh
//! cargo run -p lesson-04                                   # the server, :41234
//! cargo run -p lesson-04 --example relay -- --drop "drop 2, hold 3"
//! cargo run -p lesson-04 -- client --port 41235            # talk through the relay
//! ```
//!
//! Type `1`, `2`, `3`, `4`: the server logs 1, then nothing for 2 (dropped)
//! and 3 (held back), then 4 and 3. The client waits in vain for the reply to
//! `2`, and says so. The script is the same as in `src/relay.rs`'s tests.

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
