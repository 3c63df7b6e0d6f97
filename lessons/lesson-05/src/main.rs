//! `cargo run -p lesson-05 --release -- [--experiments …] [--duration S] [--clients N,…] [--fan-out N,…] [--idle N] [--with-node] [--book]`
//!
//! Plans the experiments, runs them one by one with a progress line on
//! standard error, prints the table, and writes the CSV and the chart.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use lesson_05::experiments::{self, Chats, Limits};
use lesson_05::report::{self, Row};
use lesson_05::server::{Programs, Protocol, Redis, Style, Target};

/// Measures the lessons' servers — TCP (lesson-03), UDP (lesson-04) and
/// WebSocket (lesson-01), blocking and async, the chats of lesson-02 for
/// fan-out, and the Node originals with `--with-node` — on loopback, and writes a table, a CSV and an SVG chart.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Which experiments to run.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = Experiment::value_variants().to_vec())]
    experiments: Vec<Experiment>,
    /// Which protocols to measure.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Proto::Tcp, Proto::Udp, Proto::Ws])]
    protocols: Vec<Proto>,
    /// Which of the lessons' servers to measure.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Rust::Blocking, Rust::Async])]
    servers: Vec<Rust>,
    /// Seconds each timed measurement runs.
    #[arg(long, default_value_t = 4.0, value_parser = seconds)]
    duration: f64,
    /// Round trips per client at most, whatever the duration.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    round_trips: u64,
    /// The numbers of clients at once for the throughput experiment.
    #[arg(long, value_delimiter = ',', default_values_t = [50], value_parser = clap::value_parser!(u32).range(1..=1000))]
    clients: Vec<u32>,
    /// The numbers of listeners in the chat for the fan-out experiment.
    #[arg(long, value_delimiter = ',', default_values_t = [10, 100, 1000], value_parser = clap::value_parser!(u32).range(1..=10_000))]
    fan_out: Vec<u32>,
    /// How many idle connections the idle experiment opens.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    idle: u32,
    /// Also measure the article's Node programs (needs node, and `npm ci` in
    /// lessons/lesson-01/node and lessons/lesson-02/node).
    #[arg(long)]
    with_node: bool,
    /// Where to write results.csv, chart.svg and machine.txt
    /// [default: target/lesson-05].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write them into the book (book/src/lesson-05/) instead: the
    /// committed figures.
    #[arg(long, conflicts_with = "out")]
    book: bool,
}

/// The experiments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Experiment {
    /// Round-trip time with one client: p50 and p99.
    Latency,
    /// Messages per second with many clients, and the server's CPU per message.
    Throughput,
    /// Bytes on the wire per message and per handshake.
    Bytes,
    /// The cost of starting a conversation: connect, handshake, first reply.
    Start,
    /// Memory per idle connection.
    Idle,
    /// One chat message to many listeners: lesson-02's socket.io and
    /// hand-built chats.
    FanOut,
    /// One chat message from a client of one lesson-02 socket.io process to
    /// the listeners of another, through Redis (needs `redis-server`).
    FanOutRedis,
}

/// The lessons' server modes, as the command line names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Rust {
    /// A thread per client (one loop for UDP).
    Blocking,
    /// A tokio task per client.
    Async,
}

/// The protocols, as the command line names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Proto {
    /// TCP: lesson-03, Node's `net`.
    Tcp,
    /// UDP: lesson-04, Node's `dgram`.
    Udp,
    /// WebSocket: lesson-01, Node's `ws`.
    Ws,
}

impl Proto {
    fn protocol(self) -> Protocol {
        match self {
            Proto::Tcp => Protocol::Tcp,
            Proto::Udp => Protocol::Udp,
            Proto::Ws => Protocol::WebSocket,
        }
    }
}

/// Chat messages per fan-out measurement: enough for a p99 of sorts, few
/// enough that a thousand listeners take seconds, not minutes.
const FAN_OUT_ROUNDS: u64 = 40;

fn seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if (0.01..=3600.0).contains(&s) => Ok(s),
        _ => Err("a number of seconds from 0.01 to 3600".into()),
    }
}

/// One measurement of the plan.
#[derive(Clone, Copy, Debug)]
enum Step {
    Latency(Target),
    Throughput(Target, usize),
    Bytes(Target),
    Start(Target),
    Idle(Target, usize),
    FanOut(Target, Chats, usize),
}

impl Step {
    fn describe(self) -> String {
        match self {
            Step::Latency(target) => format!("latency {target}, 1 client"),
            Step::Throughput(target, clients) => format!("throughput {target}, {clients} clients"),
            Step::Bytes(target) => format!("bytes on the wire, {}", target.protocol.name()),
            Step::Start(target) => format!("starting conversations, {target}"),
            Step::Idle(target, count) => format!("{count} idle connections, {target}"),
            Step::FanOut(target, Chats::One, listeners) => {
                format!("fan-out {target}, {listeners} listeners")
            }
            Step::FanOut(target, Chats::TwoOnRedis, listeners) => {
                format!("fan-out {target} across Redis, {listeners} listeners")
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let programs = match Programs::build() {
        Ok(programs) => programs,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let mut styles: Vec<Style> = cli
        .servers
        .iter()
        .map(|server| match server {
            Rust::Blocking => Style::Blocking,
            Rust::Async => Style::Async,
        })
        .collect();
    if cli.with_node {
        match programs.node_missing() {
            None => styles.push(Style::Node),
            Some(why) => eprintln!("--with-node: {why}; measuring the Rust servers only"),
        }
    }
    let steps = plan(&cli, &styles);
    let limits =
        Limits { duration: Duration::from_secs_f64(cli.duration), round_trips: cli.round_trips };

    let mut rows = Vec::new();
    let mut failed = false;
    for (index, step) in steps.iter().enumerate() {
        let label = format!("[{}/{}] {}", index + 1, steps.len(), step.describe());
        // A bar of 20 steps, redrawn only when it grows.
        let mut shown = None;
        let mut progress = |done: f64| {
            let filled = (done.clamp(0.0, 1.0) * 20.0) as usize;
            if shown != Some(filled) {
                shown = Some(filled);
                eprint!("\r{label} [{}{}]", "#".repeat(filled), " ".repeat(20 - filled));
                let _ = std::io::stderr().flush();
            }
        };
        progress(0.0);
        match run(&programs, *step, limits, &mut progress) {
            Ok(new) => {
                eprintln!("\r{label} done{}", " ".repeat(22));
                rows.extend(new);
            }
            Err(error) => {
                eprintln!("\r{label}: error: {error}");
                failed = true;
            }
        }
    }

    let machine = report::machine();
    print!("{}", report::table(&rows));
    println!("\nmachine: {machine}");
    let directory = match (&cli.book, &cli.out) {
        (true, _) => programs.repository.join("book/src/lesson-05"),
        (false, Some(out)) => out.clone(),
        (false, None) => programs.binaries.parent().unwrap_or(&programs.binaries).join("lesson-05"),
    };
    match report::write(&directory, &rows, &machine) {
        Ok(()) => println!("results: {}", directory.display()),
        Err(error) => {
            eprintln!("error: writing {}: {error}", directory.display());
            failed = true;
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// Every step the command line asks for, in the order the table shows them.
fn plan(cli: &Cli, styles: &[Style]) -> Vec<Step> {
    let protocols: Vec<Protocol> = cli.protocols.iter().map(|p| p.protocol()).collect();
    let targets = |connections_only: bool| {
        protocols
            .iter()
            .filter(move |protocol| !connections_only || protocol.has_connections())
            .flat_map(|&protocol| styles.iter().map(move |&style| Target { protocol, style }))
    };
    let mut steps = Vec::new();
    for experiment in &cli.experiments {
        match experiment {
            Experiment::Latency => steps.extend(targets(false).map(Step::Latency)),
            Experiment::Throughput => {
                for &clients in &cli.clients {
                    steps.extend(targets(false).map(|t| Step::Throughput(t, clients as usize)));
                }
            }
            // The bytes are the protocol's: one server of each is enough.
            Experiment::Bytes => steps.extend(
                protocols
                    .iter()
                    .map(|&protocol| Step::Bytes(Target { protocol, style: Style::Async })),
            ),
            Experiment::Start => steps.extend(targets(false).map(Step::Start)),
            // UDP has no connections to hold: nothing to measure.
            Experiment::Idle => {
                steps.extend(targets(true).map(|t| Step::Idle(t, cli.idle as usize)))
            }
            // The socket.io chat is async (socketioxide) or Node; the
            // hand-built one is blocking or async, and has no Node twin.
            Experiment::FanOut => {
                let chats = styles.iter().flat_map(|&style| {
                    let protocols: &[Protocol] = match style {
                        Style::Blocking => &[Protocol::Chat],
                        Style::Async => &[Protocol::SocketIo, Protocol::Chat],
                        Style::Node => &[Protocol::SocketIo],
                    };
                    protocols.iter().map(move |&protocol| Target { protocol, style })
                });
                let chats: Vec<Target> = chats.collect();
                for &listeners in &cli.fan_out {
                    steps.extend(
                        chats.iter().map(|&t| Step::FanOut(t, Chats::One, listeners as usize)),
                    );
                }
            }
            Experiment::FanOutRedis if !Redis::available() => eprintln!(
                "fan-out-redis: redis-server is not installed (Debian: apt-get install redis-server); skipped"
            ),
            // socketioxide's Redis adapter: the socket.io chat, async only.
            Experiment::FanOutRedis => {
                let target = Target { protocol: Protocol::SocketIo, style: Style::Async };
                steps.extend(
                    cli.fan_out.iter().map(|&listeners| {
                        Step::FanOut(target, Chats::TwoOnRedis, listeners as usize)
                    }),
                );
            }
        }
    }
    steps
}

fn run(
    programs: &Programs,
    step: Step,
    limits: Limits,
    progress: experiments::Progress,
) -> std::io::Result<Vec<Row>> {
    Ok(match step {
        Step::Latency(target) => {
            experiments::load(programs, target, 1, limits, progress)?.rows("latency")
        }
        Step::Throughput(target, clients) => {
            experiments::load(programs, target, clients, limits, progress)?.rows("throughput")
        }
        Step::Bytes(target) => experiments::bytes_on_the_wire(programs, target, 100)?.rows(),
        // A conversation a round trip: a tenth of the round trips allowed is plenty.
        Step::Start(target) => {
            let limits = Limits { round_trips: limits.round_trips.min(2000), ..limits };
            experiments::starting(programs, target, limits, progress)?.rows()
        }
        Step::Idle(target, count) => experiments::idle(programs, target, count, progress)?.rows(),
        Step::FanOut(target, chats, listeners) => {
            let rounds = limits.round_trips.min(FAN_OUT_ROUNDS) as usize;
            experiments::fan_out(programs, target, chats, listeners, rounds, progress)?.rows()
        }
    })
}
