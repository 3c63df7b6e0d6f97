//! `scripts/test-all` sets itself up before it builds anything: what is
//! missing it installs, or names with the command that installs it. These
//! tests run the script in a scratch repository, as a user who is not root,
//! with installing turned off, and with a PATH on which we choose the tools:
//! the machine's own commands, minus the tools under test, plus stand-ins
//! that print a version and write down every call. So they need no network,
//! and they see whether the script started a build.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The tools the tests hide or replace; every other command on the PATH is
/// kept, so the script finds bash, git and coreutils.
const REPLACED: [&str; 9] = [
    "cargo",
    "rustc",
    "rustfmt",
    "cargo-clippy",
    "mdbook",
    "node",
    "npm",
    "chromium",
    "redis-server",
];

/// A scratch repository holding the script, one committed lockfile, and a
/// PATH made of the machine's commands and the stand-ins we add.
struct Scratch {
    dir: TempDir,
}

impl Scratch {
    /// With the Rust toolchain present (as stand-ins) and nothing else.
    fn new() -> Scratch {
        let scratch = Scratch { dir: tempfile::tempdir().unwrap() };
        let repo = scratch.repo();
        fs::create_dir_all(repo.join("scripts")).unwrap();
        let script = repo.join("scripts/test-all");
        fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/test-all"), &script)
            .unwrap();
        let web = repo.join("lessons/lesson-03/web");
        fs::create_dir_all(&web).unwrap();
        fs::write(web.join("package-lock.json"), "{}\n").unwrap();
        for args in [&["init", "-q"][..], &["add", "."]] {
            let status = Command::new("git").args(args).current_dir(&repo).status().unwrap();
            assert!(status.success(), "git {args:?}");
        }

        fs::create_dir_all(scratch.bin()).unwrap();
        fs::create_dir_all(scratch.dir.path().join("cargo-home")).unwrap();
        scratch.link_machine_commands();
        scratch.add("cargo", "cargo 1.95.0 (stand-in)");
        scratch.add("rustc", "rustc 1.95.0 (stand-in)");
        scratch.add("rustfmt", "rustfmt 1.8.0-stable (stand-in)");
        scratch.add("cargo-clippy", "clippy 0.1.95 (stand-in)");
        scratch
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    fn calls(&self) -> PathBuf {
        self.dir.path().join("calls")
    }

    /// Links every command of the test's own PATH, first one of a name wins,
    /// except the ones we replace.
    fn link_machine_commands(&self) {
        let path = std::env::var_os("PATH").unwrap();
        for dir in std::env::split_paths(&path) {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let link = self.bin().join(&name);
                let executable = entry
                    .metadata()
                    .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0);
                if executable
                    && !REPLACED.iter().any(|replaced| name == *replaced)
                    && !link.exists()
                {
                    symlink(entry.path(), link).unwrap();
                }
            }
        }
    }

    /// Puts a stand-in for `tool` on the PATH: it prints `version` and
    /// writes down how it was called and where.
    fn add(&self, tool: &str, version: &str) {
        let calls = self.calls();
        let stand_in = format!(
            "#!/bin/sh\nprintf '%s %s (in %s)\\n' {tool} \"$*\" \"$PWD\" >> '{}'\necho '{version}'\n",
            calls.display()
        );
        let path = self.bin().join(tool);
        fs::write(&path, stand_in).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Runs the script as a user who is not root, installing nothing.
    fn run(&self, args: &[&str], ci: bool) -> Run {
        let mut command = Command::new(self.repo().join("scripts/test-all"));
        command
            .args(args)
            .env("PATH", self.bin())
            .env("CARGO_HOME", self.dir.path().join("cargo-home"))
            .env("TEST_ALL_AS_USER", "1")
            .env("TEST_ALL_NO_INSTALL", "1")
            .env_remove("CI");
        if ci {
            command.env("CI", "true");
        }
        let output = command.output().unwrap();
        let calls = fs::read_to_string(self.calls()).unwrap_or_default();
        Run { output, calls }
    }
}

/// What a run of the script printed, and which stand-ins it called how.
struct Run {
    output: Output,
    calls: String,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The line of standard error that starts with `label`, if any.
    fn error_line(&self, label: &str) -> Option<String> {
        self.stderr().lines().find(|line| line.trim_start().starts_with(label)).map(str::to_owned)
    }

    /// Fails if a stand-in of the Rust toolchain was asked for anything but
    /// its version: that would be a build, a lint or a test.
    fn assert_nothing_built(&self) {
        for call in self.calls.lines() {
            let args = call.split(" (in ").next().unwrap();
            let builds = ["cargo ", "rustc ", "rustfmt ", "cargo-clippy "]
                .iter()
                .any(|tool| args.starts_with(tool) && !args.ends_with(" --version"));
            assert!(!builds, "the script started a build: {call}\n{}", self.stdout());
        }
    }
}

#[test]
fn a_missing_tool_is_named_with_its_install_command_and_nothing_is_built() {
    let scratch = Scratch::new();
    let run = scratch.run(&[], false);

    assert_eq!(run.code(), Some(1), "stdout:\n{}\nstderr:\n{}", run.stdout(), run.stderr());
    let mdbook = run.error_line("mdBook:").expect("mdBook is named");
    assert!(mdbook.ends_with("cargo install mdbook --locked --version '^0.5'"), "{mdbook}");
    let node = run.error_line("Node.js:").expect("Node.js is named");
    assert!(node.ends_with("sudo apt-get install nodejs"), "{node}");
    // npm, because a package-lock.json is committed.
    let npm = run.error_line("npm:").expect("npm is named");
    assert!(npm.ends_with("sudo apt-get install npm"), "{npm}");
    // Chromium, for the book's page check.
    let chromium = run.error_line("Chromium:").expect("Chromium is named");
    assert!(chromium.ends_with("sudo apt-get install chromium"), "{chromium}");
    // Redis, for lesson-02's servers joined through it.
    let redis = run.error_line("Redis:").expect("Redis is named");
    assert!(redis.ends_with("sudo apt-get install redis-server"), "{redis}");
    assert!(run.stderr().starts_with("\nerror: missing tools"), "{}", run.stderr());
    // What it found comes first, the toolchain's versions among it.
    assert!(run.stdout().contains("rustc 1.95.0 (stand-in)"), "{}", run.stdout());
    run.assert_nothing_built();
}

#[test]
fn an_mdbook_other_than_0_5_is_named_too() {
    let scratch = Scratch::new();
    scratch.add("node", "v20.20.2");
    scratch.add("npm", "10.8.2");
    scratch.add("mdbook", "mdbook v0.4.52");
    let run = scratch.run(&[], false);

    assert_eq!(run.code(), Some(1), "stdout:\n{}\nstderr:\n{}", run.stdout(), run.stderr());
    assert!(run.error_line("mdBook:").is_some(), "{}", run.stderr());
    assert!(run.error_line("Node.js:").is_none(), "{}", run.stderr());
    assert!(run.stdout().contains("mdbook v0.4.52: not the version wanted"), "{}", run.stdout());
    run.assert_nothing_built();
}

#[test]
fn with_every_tool_there_the_set_up_passes_and_runs_npm_ci_where_a_lockfile_is() {
    let scratch = Scratch::new();
    scratch.add("node", "v20.20.2");
    scratch.add("npm", "10.8.2");
    scratch.add("mdbook", "mdbook v0.5.4");
    scratch.add("chromium", "Chromium 142.0.7444.175 built on Debian");
    scratch.add("redis-server", "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0");
    let run = scratch.run(&["--setup-only"], false);

    assert_eq!(run.code(), Some(0), "stdout:\n{}\nstderr:\n{}", run.stdout(), run.stderr());
    let web = scratch.repo().join("lessons/lesson-03/web").canonicalize().unwrap();
    let npm_ci = format!("npm ci --no-audit --no-fund (in {})", web.display());
    assert!(run.calls.lines().any(|call| call == npm_ci), "no {npm_ci:?} in:\n{}", run.calls);
    for shown in
        ["mdbook v0.5.4", "v20.20.2", "Chromium 142.0.7444.175 built on Debian", "v=7.0.15"]
    {
        assert!(run.stdout().contains(shown), "no {shown:?} in:\n{}", run.stdout());
    }
    run.assert_nothing_built();
}

#[test]
fn one_lesson_needs_only_its_own_tools() {
    let scratch = Scratch::new();
    scratch.add("node", "v20.20.2");
    scratch.add("npm", "10.8.2");
    // No mdBook: only the whole suite builds the book.
    let run = scratch.run(&["lesson-03", "--setup-only"], false);
    assert_eq!(run.code(), Some(0), "stdout:\n{}\nstderr:\n{}", run.stdout(), run.stderr());

    let unknown = scratch.run(&["lesson-99"], false);
    assert_eq!(unknown.code(), Some(2), "{}", unknown.stderr());
    assert!(unknown.stderr().contains("no lesson lesson-99 in the table"), "{}", unknown.stderr());
}

#[test]
fn outside_ci_missing_system_tools_may_be_skipped_but_not_under_ci() {
    let scratch = Scratch::new();
    scratch.add("mdbook", "mdbook v0.5.4");
    let outside = scratch.run(&["--skip-missing", "--setup-only"], false);
    assert_eq!(outside.code(), Some(0), "{}\n{}", outside.stdout(), outside.stderr());
    assert!(outside.stdout().contains("lessons/lesson-03/web: not installed, npm is missing"));

    let refused = scratch.run(&["--skip-missing"], true);
    assert_eq!(refused.code(), Some(2), "{}", refused.stderr());
    assert!(refused.stderr().contains("refused under CI"), "{}", refused.stderr());
    // Under CI the list of missing tools offers no way round it.
    let under_ci = scratch.run(&[], true);
    assert_eq!(under_ci.code(), Some(1), "{}", under_ci.stderr());
    assert!(under_ci.error_line("Node.js:").is_some(), "{}", under_ci.stderr());
    assert!(!under_ci.stderr().contains("--skip-missing"), "{}", under_ci.stderr());
    for run in [outside, refused, under_ci] {
        run.assert_nothing_built();
    }
}
