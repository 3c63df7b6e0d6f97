//! The benchmark program `idle-connections` runs against every server it
//! knows and prints its figures. What the figures are is not asserted:
//! memory and time depend on the machine (the chapter gives them for one).

use std::process::Command;

use lesson_support::testing::node_available;

/// The number that follows `label` on a line of `printed`, for each such line.
fn figures(printed: &str, label: &str) -> Vec<f64> {
    printed
        .lines()
        .filter_map(|line| line.split_once(label))
        .map(|(_, rest)| {
            let number = rest.split_whitespace().next().unwrap_or_default();
            number.parse().unwrap_or_else(|_| panic!("no number after {label:?} in {rest:?}"))
        })
        .collect()
}

#[test]
fn the_benchmark_measures_each_server_and_prints_sane_figures() {
    let mut servers = vec!["async", "blocking", "socket2"];
    if node_available() {
        servers.push("node");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_idle-connections"))
        .args(&servers)
        .args(["--count", "50"])
        .output()
        .unwrap();
    let printed = String::from_utf8(output.stdout).unwrap();
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{printed}{errors}");

    assert_eq!(printed.matches("— 50 idle connections\n").count(), servers.len(), "{printed}");
    // Memory can only be read as a figure of at least 0 (a server may even
    // give some back); the rates must be there, and positive.
    for per_connection in figures(&printed, "per idle connection:") {
        assert!(per_connection.is_finite() && per_connection >= 0.0, "{printed}");
    }
    for label in ["echo beside them:", "largest messages:"] {
        let rates = figures(&printed, label);
        assert_eq!(rates.len(), servers.len(), "{label} {printed}");
        assert!(rates.iter().all(|rate| *rate > 0.0), "{label} {printed}");
    }
    // Every server answered the largest message allowed, whole.
    let answered = printed.matches("of 65536 B one after the other, each answered with 655");
    assert_eq!(answered.count(), servers.len(), "{printed}");
}
