//! Pipes and signals: `rapt … | head` ends quietly with status 0, and Ctrl-C stops a long run
//! promptly with status 130, leaving no output file, whole or partial.

#![cfg(unix)]

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::root;

fn bin() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("rapt"))
}

/// Waits for the child up to a limit; kills it and fails if it does not end.
fn wait_for(mut child: Child, limit: Duration, what: &str) -> (i32, String) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            return (status.code().unwrap_or(-1), err);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn closed_pipe_ends_quietly_with_status_0() {
    let stuttgart = root().join("scenarios/stuttgart-2020.yaml");
    let storm = root().join("scenarios/bench/login-storm.yaml");
    let s = stuttgart.display().to_string();
    let st = storm.display().to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["simulate", &s, "-n", "2", "--format", "csv"],
        vec!["simulate", &s, "-n", "2", "--format", "json"],
        vec!["simulate", &s, "-n", "2"],
        vec![
            "sweep",
            &st,
            "-n",
            "1",
            "--set",
            "pools.vpn.tunnels=1..2000:1",
        ],
    ];
    for args in cases {
        let mut child = bin()
            .args(&args)
            .arg("-q")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rapt");
        // Read a little, as `head -3` would, then close the pipe.
        let mut out = child.stdout.take().expect("stdout");
        let mut first = [0u8; 256];
        let n = out.read(&mut first).expect("read");
        assert!(n > 0, "{args:?}: printed nothing");
        drop(out);
        let (code, err) = wait_for(child, Duration::from_secs(60), &format!("{args:?}"));
        assert_eq!(code, 0, "{args:?}: stderr:\n{err}");
        assert!(!err.contains("error"), "{args:?}: stderr:\n{err}");
    }
}

#[test]
fn ctrl_c_stops_promptly_with_130_and_leaves_no_file() {
    let stuttgart = root()
        .join("scenarios/stuttgart-2020.yaml")
        .display()
        .to_string();
    let storm = root()
        .join("scenarios/bench/login-storm.yaml")
        .display()
        .to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.csv");
    let o = out.display().to_string();
    // Each of these would run for minutes.
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "simulate", &stuttgart, "-n", "100000", "--format", "csv", "-o", &o,
        ],
        vec![
            "sweep",
            &storm,
            "-n",
            "2000",
            "--set",
            "pools.vpn.tunnels=1000..9000:1000",
            "-o",
            &o,
        ],
        vec![
            "size",
            &stuttgart,
            "--pool",
            "vpn",
            "--max-blocking",
            "1%",
            "-n",
            "5000",
        ],
        vec!["replay", &stuttgart, "-n", "100000"],
        vec!["report", &stuttgart, "-n", "100000", "-o", &o],
    ];
    for args in cases {
        let child = bin()
            .args(&args)
            .arg("-q")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rapt");
        std::thread::sleep(Duration::from_millis(700));
        let status = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let sent = Instant::now();
        let (code, err) = wait_for(child, Duration::from_secs(20), &format!("{args:?}"));
        assert_eq!(code, 130, "{args:?}: stderr:\n{err}");
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "{args:?}: took {:?} to stop",
            sent.elapsed()
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert!(left.is_empty(), "{args:?}: files left behind: {left:?}");
    }
}
