//! Pipes and signals: `rapt … | head` ends quietly with status 0, and Ctrl-C stops a long run
//! promptly with status 130, leaving no output file, whole or partial.

#![cfg(unix)]

use std::io::Read;
use std::os::unix::fs::FileTypeExt;
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

/// Temporary files or directories rapt left in `dir`.
fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".rapt-"))
        .collect()
}

/// Every file of a directory with its contents, sorted by name.
fn contents(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    v.sort();
    v
}

fn kill(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

#[test]
fn sigterm_and_sighup_stop_like_ctrl_c_with_128_plus_the_signal() {
    let stuttgart = root()
        .join("scenarios/stuttgart-2020.yaml")
        .display()
        .to_string();
    let storm = root()
        .join("scenarios/bench/login-storm.yaml")
        .display()
        .to_string();
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let bundle = format!("{}/bundle/", dir.path().display());
        let file = dir.path().join("out.csv").display().to_string();
        let cases: Vec<Vec<&str>> = vec![
            vec!["simulate", &stuttgart, "-n", "100000", "-o", &bundle],
            vec![
                "sweep",
                &storm,
                "-n",
                "2000",
                "--set",
                "pools.vpn.tunnels=1000..9000:1000",
                "-o",
                &file,
            ],
            vec!["report", &stuttgart, "-n", "100000", "-o", &file],
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
            kill(&child, signal);
            let (status, err) = wait_for(child, Duration::from_secs(20), &format!("{args:?}"));
            assert_eq!(status, code, "SIG{signal} {args:?}: stderr:\n{err}");
            assert!(err.contains("interrupted"), "{err}");
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .expect("read dir")
                .map(|e| e.expect("entry").file_name())
                .collect();
            assert!(
                left.is_empty(),
                "SIG{signal} {args:?}: left behind: {left:?}"
            );
        }
    }
}

/// A directory bundle written once with seed 1, to be overwritten by runs that fail.
fn old_bundle() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Vec<(String, Vec<u8>)>,
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("bundle");
    let storm = root().join("scenarios/bench/login-storm.yaml");
    let status = bin()
        .arg("simulate")
        .arg(&storm)
        .args(["-n", "1", "--seed", "1", "-q", "--plot"])
        .arg(&bundle)
        .arg("-o")
        .arg(format!("{}/", bundle.display()))
        .status()
        .expect("rapt");
    assert!(status.success());
    let old = contents(&bundle);
    assert!(old.iter().any(|(n, _)| n == "workday.csv"));
    assert!(old.iter().any(|(n, _)| n.ends_with(".svg")));
    (dir, bundle, old)
}

fn overwrite(bundle: &std::path::Path, fault: &str) -> Command {
    let mut cmd = bin();
    cmd.arg("simulate")
        .arg(root().join("scenarios/bench/login-storm.yaml"))
        .args(["-n", "2", "--seed", "2", "-q", "--force", "--plot"])
        .arg(bundle)
        .arg("-o")
        .arg(format!("{}/", bundle.display()))
        .env("RAPT_FAULT", fault)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn a_fault_while_writing_a_directory_leaves_the_old_set_whole() {
    if !cfg!(debug_assertions) {
        eprintln!("note: fault injection (RAPT_FAULT) exists in debug builds only; skipped");
        return;
    }
    for fault in ["fail:file", "fail:commit", "fail:aside"] {
        let (dir, bundle, old) = old_bundle();
        let child = overwrite(&bundle, fault).spawn().expect("start rapt");
        let (code, err) = wait_for(child, Duration::from_secs(60), fault);
        assert_eq!(code, 74, "{fault}: stderr:\n{err}");
        assert!(err.contains("injected fault"), "{fault}: {err}");
        assert!(contents(&bundle) == old, "{fault}: the old set changed");
        assert!(
            leftovers(dir.path()).is_empty(),
            "{fault}: {:?}",
            leftovers(dir.path())
        );
    }
    // Without RENAME_EXCHANGE (two renames) the new set replaces the old one whole.
    let (dir, bundle, old) = old_bundle();
    let child = overwrite(&bundle, "none:aside")
        .spawn()
        .expect("start rapt");
    let (code, err) = wait_for(child, Duration::from_secs(60), "none:aside");
    assert_eq!(code, 0, "{err}");
    let new = contents(&bundle);
    assert!(new != old, "the set was not replaced");
    assert_eq!(
        new.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        old.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_signal_while_writing_a_directory_leaves_the_old_set_whole() {
    if !cfg!(debug_assertions) {
        eprintln!("note: fault injection (RAPT_FAULT) exists in debug builds only; skipped");
        return;
    }
    // `pause` holds the writer after the first file (or before the final swap) until the
    // signal arrives.
    for (fault, signal, expected) in [
        ("pause:file", "TERM", 143),
        ("pause:commit", "HUP", 129),
        ("pause:file", "INT", 130),
    ] {
        let (dir, bundle, old) = old_bundle();
        let child = overwrite(&bundle, fault).spawn().expect("start rapt");
        // Wait until the new set is being written beside the old one.
        let started = Instant::now();
        while leftovers(dir.path()).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{fault}: no temporary directory appeared"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        kill(&child, signal);
        let (code, err) = wait_for(child, Duration::from_secs(20), fault);
        assert_eq!(code, expected, "{fault} SIG{signal}: stderr:\n{err}");
        assert!(contents(&bundle) == old, "{fault}: the old set changed");
        assert!(
            leftovers(dir.path()).is_empty(),
            "{fault}: {:?}",
            leftovers(dir.path())
        );
    }
}

#[test]
fn a_signal_ends_a_write_blocked_on_a_fifo_nobody_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("out.pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let child = bin()
        .arg("simulate")
        .arg(root().join("scenarios/bench/login-storm.yaml"))
        .args(["-n", "1", "-q", "-o"])
        .arg(&fifo)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rapt");
    // Long enough for the run to end and rapt to wait for a reader.
    std::thread::sleep(Duration::from_millis(1500));
    kill(&child, "TERM");
    let (code, err) = wait_for(child, Duration::from_secs(15), "blocked on a FIFO");
    assert_eq!(code, 143, "stderr:\n{err}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo()
    );
}
