//! Helpers shared by the test modules: running `rapt`, and where the corpus lives.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

/// A `rapt` command for the binary under test, with a time limit so a hang fails the test.
pub fn rapt() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("rapt");
    cmd.timeout(Duration::from_secs(60));
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
