//! Helpers shared by the test modules: running `rapt`, and where the corpus lives.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// A `rapt` command for the binary under test, with a time limit so a hang fails the test:
/// 60 s for the release build the README tests, ten times that for a debug build (`cargo
/// test`), whose engine runs many times slower.
pub fn rapt() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("rapt");
    cmd.timeout(Duration::from_secs(if cfg!(debug_assertions) {
        600
    } else {
        60
    }));
    cmd
}

/// What a finished `rapt` run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output and standard error, for failure messages.
    pub fn both(&self) -> String {
        format!(
            "exit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs the command to the end. Fails the test if it was killed (no exit code) or panicked:
/// no input, however broken, may make `rapt` panic.
pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("rapt could not be started");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        output.status.code().is_some(),
        "rapt was killed by a signal (or timed out): {cmd:?}\n{}",
        run.both()
    );
    assert!(
        !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
        "rapt panicked: {cmd:?}\n{}",
        run.both()
    );
    run
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The directory of broken scenarios.
pub fn invalid_dir() -> PathBuf {
    root().join("tests/corpus/invalid")
}

/// The directory of scenarios that are valid but have warnings.
pub fn warnings_dir() -> PathBuf {
    root().join("tests/corpus/warnings")
}

/// The starter scenario with each `(old, new)` replacement applied once (`old` must be unique).
pub fn starter_with(edits: &[(&str, &str)]) -> String {
    let mut text = rapt::scenario::STARTER.to_string();
    for (old, new) in edits {
        assert_eq!(
            text.matches(old).count(),
            1,
            "`{old}` must occur exactly once in the starter scenario"
        );
        text = text.replacen(old, new, 1);
    }
    text
}

/// Parses JSON output, failing the test with the output if it is not JSON.
pub fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("output is not JSON ({e}):\n{}", run.both()))
}

/// A small valid scenario whose pool is named `=HYPERLINK(1)` and whose policy phase is named
/// `@phase`: names a spreadsheet would read as formulas (each a warning, not an error).
pub const FORMULA_NAMES: &str = r#"meta: { name: formulas }
run: { start: 2020-03-16, horizon: 2d, seed: 1, replications: 2 }
staff:
  office:
    headcount: 200
    remote_suitable: 100%
    login: { normal: { mean: "08:00", sd: 45min } }
    session: { lognormal: { median: 7h30m, sigma: 0.35 } }
    access: [{ path: portal, enabled: 200 }]
paths:
  portal: { device: existing, token: none, pool: "=HYPERLINK(1)" }
pools:
  "=HYPERLINK(1)": { kind: vpn, tunnels: 150 }
policy:
  "@phase": { from: 2020-03-16, remote_share: 100% }
"#;

/// A shipped scenario's text without its `uncertain` section: the model at its assumed
/// values, which the stories and sizing tests are about.
pub fn assumed_values_text(name: &str) -> String {
    let text = std::fs::read_to_string(root().join("scenarios").join(name)).expect("read");
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("uncertain:") {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.is_empty()) {
            continue;
        }
        skipping = false;
        out.push_str(line);
        out.push('\n');
    }
    assert!(!out.contains("\nuncertain:"), "{name}");
    out
}

/// [`assumed_values_text`] written into `dir`; returns its path.
pub fn assumed_values(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, assumed_values_text(name)).expect("write");
    path.display().to_string()
}
