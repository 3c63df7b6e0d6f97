//! The results: one row per figure, shown as a table, written as CSV, and
//! drawn as an SVG bar chart (by hand: a few rectangles and labels need no
//! plotting library).

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use crate::server::{Style, Target};

/// One figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Which experiment measured it.
    pub experiment: &'static str,
    /// Of which server.
    pub target: Target,
    /// With how many clients (or idle connections).
    pub clients: usize,
    /// What it is.
    pub metric: &'static str,
    /// How much.
    pub value: f64,
    /// In what.
    pub unit: &'static str,
}

impl Row {
    /// A figure.
    pub fn new(
        experiment: &'static str,
        target: Target,
        clients: usize,
        metric: &'static str,
        value: f64,
        unit: &'static str,
    ) -> Row {
        Row { experiment, target, clients, metric, value, unit }
    }
}

/// The rows as a text table: one block per experiment, a column per server.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    for experiment in in_order(rows.iter().map(|row| row.experiment)) {
        let these: Vec<&Row> = rows.iter().filter(|row| row.experiment == experiment).collect();
        let targets = in_order(these.iter().map(|row| row.target));
        let _ = write!(out, "\n{experiment:<50}");
        for target in &targets {
            let _ = write!(out, "{:>16}", target.to_string());
        }
        out.push('\n');
        for (clients, metric, unit) in
            in_order(these.iter().map(|row| (row.clients, row.metric, row.unit)))
        {
            // Throughput and fan-out may be measured at several client counts.
            let label = match experiment {
                "throughput" => format!("{metric}, {clients} clients {unit}"),
                "fan-out" | "fan-out-redis" => format!("{metric}, {clients} listeners {unit}"),
                _ => format!("{metric} {unit}"),
            };
            let _ = write!(out, "{label:<50}");
            for target in &targets {
                let value = these
                    .iter()
                    .find(|row| {
                        row.target == *target && row.clients == clients && row.metric == metric
                    })
                    .map(|row| figure(row.value))
                    .unwrap_or_else(|| "-".into());
                let _ = write!(out, "{value:>16}");
            }
            out.push('\n');
        }
    }
    out
}

/// The distinct values, in the order they first come.
fn in_order<T: PartialEq>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// A figure with as many digits as it deserves.
fn figure(value: f64) -> String {
    match value.abs() {
        v if v >= 1000.0 => format!("{value:.0}"),
        v if v >= 10.0 => format!("{value:.1}"),
        _ => format!("{value:.2}"),
    }
}

/// The rows as CSV, one figure a line.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from("experiment,protocol,server,clients,metric,value,unit\n");
    for row in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            row.experiment,
            row.target.protocol.name(),
            row.target.style.name(),
            row.clients,
            row.metric.trim(),
            row.value,
            row.unit
        );
    }
    out
}

/// The panels of the chart: an experiment's metric each, bars per server.
const PANELS: [(&str, &str, &str); 6] = [
    ("throughput", "messages per second", "messages per second, many clients (more is better)"),
    ("throughput", "server CPU per message", "server CPU per message, µs (less is better)"),
    ("throughput", "p99 round trip", "p99 round trip, many clients, µs (less is better)"),
    ("latency", "p50 round trip", "p50 round trip, one client, µs (less is better)"),
    ("idle", "memory per idle connection", "memory per idle connection, KiB (less is better)"),
    (
        "fan-out",
        "p50 to the last listener",
        "one chat message to every listener, p50, µs (less is better)",
    ),
];

const WIDTH: f64 = 720.0;
const LABEL: f64 = 130.0;
const BAR: f64 = 16.0;

/// The chart, as an SVG document.
pub fn svg(rows: &[Row]) -> String {
    let mut body = String::new();
    let mut y = 10.0;
    for (experiment, metric, title) in PANELS {
        let mut bars: Vec<&Row> = rows
            .iter()
            .filter(|row| row.experiment == experiment && row.metric == metric)
            .collect();
        // Several client counts: the largest shows the most.
        let most = bars.iter().map(|row| row.clients).max().unwrap_or(0);
        bars.retain(|row| row.clients == most);
        if bars.is_empty() {
            continue;
        }
        let largest = bars.iter().map(|row| row.value).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
        let _ = writeln!(body, r#"<text x="0" y="{}" class="title">{title}</text>"#, y + 12.0);
        y += 20.0;
        for row in bars {
            let length = (WIDTH - LABEL - 80.0) * row.value / largest;
            let _ = writeln!(
                body,
                r#"<text x="{}" y="{}" class="label">{}</text><rect x="{LABEL}" y="{y}" width="{length:.1}" height="{}" class="{}"/><text x="{:.1}" y="{}" class="value">{}</text>"#,
                LABEL - 6.0,
                y + 12.0,
                row.target,
                BAR - 3.0,
                row.target.style.name(),
                LABEL + length + 4.0,
                y + 12.0,
                figure(row.value),
            );
            y += BAR;
        }
        y += 12.0;
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y}" width="{WIDTH}" height="{y}" font-family="sans-serif" font-size="12">
<style>.title{{font-weight:bold}} .label{{text-anchor:end}} .blocking{{fill:{}}} .async{{fill:{}}} .node{{fill:{}}}</style>
{body}</svg>
"#,
        colors(Style::Blocking),
        colors(Style::Async),
        colors(Style::Node),
    )
}

/// The colour of a server style's bars.
fn colors(style: Style) -> &'static str {
    match style {
        Style::Blocking => "#4e79a7",
        Style::Async => "#59a14f",
        Style::Node => "#e15759",
    }
}

/// Writes `results.csv`, `chart.svg` and `machine.txt` into `directory`.
pub fn write(directory: &Path, rows: &[Row], machine: &str) -> io::Result<()> {
    std::fs::create_dir_all(directory)?;
    std::fs::write(directory.join("results.csv"), csv(rows))?;
    std::fs::write(directory.join("chart.svg"), svg(rows))?;
    std::fs::write(directory.join("machine.txt"), machine)
}

/// The machine the figures come from: CPU, cores, memory, kernel.
pub fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let memory = read("/proc/meminfo")
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kib| format!("{:.1} GiB", kib as f64 / 1024.0 / 1024.0))
        .unwrap_or_else(|| "unknown".into());
    let kernel = read("/proc/sys/kernel/osrelease");
    format!("{model}, {cores} cores available, {memory} of memory, Linux {}\n", kernel.trim())
}
