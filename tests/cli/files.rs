//! Outputs on special files and the file-system fault suite: FIFOs and device nodes are written
//! as streams and stay what they are, links are followed (never replaced), a full device, a
//! read-only or missing directory, odd inputs and an input spelt as an output each end with a
//! clear message and an exit status, never a panic or a hang.

#![cfg(unix)]

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{rapt, root, run};

fn storm() -> String {
    root()
        .join("scenarios/bench/login-storm.yaml")
        .display()
        .to_string()
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn tool(name: &str, args: &[&str]) -> bool {
    Command::new(name)
        .args(args)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn mkfifo(path: &Path) {
    assert!(tool("mkfifo", &[&s(path)]), "mkfifo {}", path.display());
}

/// Reads a FIFO to its end on a thread; the text arrives on the channel.
fn reader(path: &Path) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Ok(mut f) = File::open(&path) {
            let _ = f.read_to_string(&mut text);
        }
        let _ = tx.send(text);
    });
    rx
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Temporary files or directories rapt left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".rapt-"))
        .collect()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn output_to_a_fifo_streams_into_it_and_leaves_it_a_fifo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("results.pipe");
    mkfifo(&fifo);
    let storm = storm();
    let f = s(&fifo);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "simulate", &storm, "-n", "1", "-q", "--format", "csv", "-o", &f,
            ],
            "date,",
        ),
        // --force changes nothing for a FIFO: it is written to, not replaced.
        (
            vec![
                "simulate", &storm, "-n", "1", "-q", "--format", "json", "-o", &f, "--force",
            ],
            "{",
        ),
        (
            vec![
                "sweep",
                &storm,
                "-n",
                "1",
                "-q",
                "--set",
                "pools.vpn.tunnels=1000,2000",
                "-o",
                &f,
            ],
            "pools.vpn.tunnels",
        ),
        (
            vec!["report", &storm, "-n", "1", "-q", "-o", &f, "--force"],
            "<!DOCTYPE html>",
        ),
    ];
    for (args, start) in cases {
        let rx = reader(&fifo);
        let r = run(rapt().args(&args));
        assert_eq!(r.code, 0, "{args:?}\n{}", r.both());
        let text = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("{args:?}: the reader got no end of file"));
        assert!(text.starts_with(start), "{args:?}: {:.200}", text);
        let kind = std::fs::symlink_metadata(&fifo).expect("fifo").file_type();
        assert!(kind.is_fifo(), "{args:?}: the FIFO was replaced");
        assert_eq!(names(dir.path()), ["results.pipe"], "{args:?}");
    }
}

#[test]
fn output_to_a_device_node_leaves_it_a_node() {
    let dir = tempfile::tempdir().expect("tempdir");
    let node = dir.path().join("null");
    // A character device like /dev/null where mknod is permitted (root), else a FIFO.
    let device = tool("mknod", &[&s(&node), "c", "1", "3"]);
    if !device {
        eprintln!("note: mknod not permitted here; testing a FIFO in place of a device node");
        mkfifo(&node);
    }
    let n = s(&node);
    let storm = storm();
    for args in [
        vec!["simulate", &storm, "-n", "1", "-q", "-o", &n, "--force"],
        vec!["simulate", &storm, "-n", "1", "-q", "-o", &n],
        vec![
            "sweep",
            &storm,
            "-n",
            "1",
            "-q",
            "--set",
            "pools.vpn.tunnels=1000",
            "-o",
            &n,
            "--force",
        ],
        vec!["report", &storm, "-n", "1", "-q", "-o", &n, "--force"],
    ] {
        let rx = (!device).then(|| reader(&node));
        let r = run(rapt().args(&args));
        assert_eq!(r.code, 0, "{args:?}\n{}", r.both());
        if let Some(rx) = rx {
            rx.recv_timeout(Duration::from_secs(30))
                .expect("the reader got no end of file");
        }
        let kind = std::fs::symlink_metadata(&node).expect("node").file_type();
        assert!(
            if device {
                kind.is_char_device()
            } else {
                kind.is_fifo()
            },
            "{args:?}: the node was replaced by {kind:?}"
        );
        assert_eq!(names(dir.path()), ["null"], "{args:?}");
    }
}

#[test]
fn a_link_to_a_file_stays_a_link_and_bad_links_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real.csv");
    let link = dir.path().join("link.csv");
    std::fs::write(&real, "old\n").expect("write");
    std::os::unix::fs::symlink("real.csv", &link).expect("symlink");
    let storm = storm();
    let l = s(&link);
    let base = ["simulate", &storm, "-n", "1", "-q", "--format", "csv", "-o"];
    // Without --force the file behind the link is not touched.
    let refused = run(rapt().args(base).arg(&l));
    assert_eq!(refused.code, 1, "{}", refused.both());
    assert!(refused.stderr.contains("--force"), "{}", refused.both());
    assert_eq!(std::fs::read_to_string(&real).expect("real"), "old\n");
    // With it the target is replaced and the link stays a link to it.
    let forced = run(rapt().args(base).arg(&l).arg("--force"));
    assert_eq!(forced.code, 0, "{}", forced.both());
    let meta = std::fs::symlink_metadata(&link).expect("link");
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert_eq!(
        std::fs::read_link(&link).expect("read link"),
        Path::new("real.csv")
    );
    assert!(
        std::fs::read_to_string(&real)
            .expect("real")
            .starts_with("date,")
    );
    assert!(leftovers(dir.path()).is_empty());

    // A link to nothing is refused, and nothing is created behind it.
    let dangling = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink("nowhere.csv", &dangling).expect("symlink");
    let r = run(rapt().args(base).arg(s(&dangling)).arg("--force"));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("does not exist"), "{}", r.both());
    assert!(!dir.path().join("nowhere.csv").exists());
    assert!(
        std::fs::symlink_metadata(&dangling)
            .expect("dangling")
            .file_type()
            .is_symlink()
    );

    // A loop of links is refused with the system's reason.
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::os::unix::fs::symlink("b.csv", &a).expect("symlink");
    std::os::unix::fs::symlink("a.csv", &b).expect("symlink");
    let r = run(rapt().args(base).arg(s(&a)).arg("--force"));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("symbolic link"), "{}", r.both());
    assert!(
        std::fs::symlink_metadata(&a)
            .expect("a")
            .file_type()
            .is_symlink()
    );

    // A link to a directory is the directory: the bundle goes into its target, the link stays.
    let real_dir = dir.path().join("bundle");
    std::fs::create_dir(&real_dir).expect("mkdir");
    let dir_link = dir.path().join("bundle-link");
    std::os::unix::fs::symlink("bundle", &dir_link).expect("symlink");
    let r = run(rapt().args(["simulate", &storm, "-n", "1", "-q", "-o", &s(&dir_link)]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        std::fs::symlink_metadata(&dir_link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        names(&real_dir),
        ["summary.json", "timeline.csv", "workday.csv"]
    );
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn sockets_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sock = dir.path().join("s.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).expect("bind");
    let r = run(rapt().args([
        "simulate",
        &storm(),
        "-n",
        "1",
        "-q",
        "-o",
        &s(&sock),
        "--force",
    ]));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("socket"), "{}", r.both());
    assert!(
        std::fs::symlink_metadata(&sock)
            .expect("socket")
            .file_type()
            .is_socket()
    );
}

/// Runs the binary with stdout or stderr on a file, returning the status code and stderr.
fn with_stream(args: &[&str], dir: &Path, stdout_full: bool) -> (Option<i32>, String) {
    let full = || {
        Stdio::from(
            File::options()
                .write(true)
                .open("/dev/full")
                .expect("/dev/full"),
        )
    };
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("rapt"));
    cmd.args(args).current_dir(dir).stdin(Stdio::null());
    if stdout_full {
        cmd.stdout(full()).stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::null()).stderr(full());
    }
    let out = cmd.output().expect("start rapt");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_command_with_stdout_or_stderr_on_a_full_device_exits_with_a_code() {
    if !Path::new("/dev/full").exists() {
        eprintln!("note: no /dev/full here; skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let storm = storm();
    let stuttgart = s(&root().join("scenarios/stuttgart-2020.yaml"));
    let commands: Vec<Vec<&str>> = vec![
        vec!["simulate", &storm, "-n", "1"],
        vec!["simulate", &storm, "-n", "1", "--format", "csv"],
        vec!["validate", &stuttgart],
        vec![
            "sweep",
            &storm,
            "-n",
            "1",
            "--set",
            "pools.vpn.tunnels=1000,2000",
        ],
        vec![
            "size",
            &storm,
            "--pool",
            "vpn",
            "--max-blocking",
            "1%",
            "-n",
            "1",
        ],
        vec!["replay", &stuttgart, "-n", "1"],
        vec!["compare", &storm, &storm, "-n", "1"],
        vec!["report", &storm, "-n", "1", "-o", "-"],
        vec!["erlang", "b", "--servers", "12", "--load", "10"],
        vec!["schema"],
        vec!["init", "new.yaml"],
        vec!["--help"],
    ];
    for args in &commands {
        let _ = std::fs::remove_file(dir.path().join("new.yaml"));
        let (code, err) = with_stream(args, dir.path(), true);
        assert_eq!(
            code,
            Some(74),
            "{args:?} with stdout on /dev/full: stderr:\n{err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        if args[0] != "--help" {
            assert!(
                err.contains("standard output") && err.contains("No space left"),
                "{args:?}: {err}"
            );
        }
        let _ = std::fs::remove_file(dir.path().join("new.yaml"));
        let (code, _) = with_stream(args, dir.path(), false);
        assert_eq!(code, Some(0), "{args:?} with stderr on /dev/full");
    }
    // Usage errors keep their status when the message cannot be written.
    let (code, _) = with_stream(&["simulate"], dir.path(), false);
    assert_eq!(code, Some(2));
    // An output file on a full device: the I/O status, nothing left behind.
    let r = run(rapt().args(["simulate", &storm, "-n", "1", "-q", "-o", "/dev/full"]));
    assert_eq!(r.code, 74, "{}", r.both());
    assert!(r.stderr.contains("/dev/full"), "{}", r.both());
}

#[test]
fn init_writes_atomically_and_a_retry_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    if cfg!(debug_assertions) {
        // A write that fails part-way (as on a full disk) leaves no file, not even an empty one.
        let r = run(rapt()
            .current_dir(dir.path())
            .env("RAPT_FAULT", "fail:file")
            .args(["init", "a.yaml"]));
        assert_eq!(r.code, 74, "{}", r.both());
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }
    let r = run(rapt().current_dir(dir.path()).args(["init", "a.yaml"]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.yaml")).expect("a.yaml"),
        rapt::scenario::STARTER
    );
    assert_eq!(names(dir.path()), ["a.yaml"]);
    // Nothing is written through a link, even one to nothing.
    std::os::unix::fs::symlink("elsewhere.yaml", dir.path().join("l.yaml")).expect("symlink");
    let r = run(rapt().current_dir(dir.path()).args(["init", "l.yaml"]));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(!dir.path().join("elsewhere.yaml").exists());
}

/// A directory no file can be created in: a read-only one for other users; for root, who may
/// write anywhere, /sys where it refuses (else the test is skipped).
fn read_only_dir(scratch: &Path) -> Option<PathBuf> {
    if !is_root() {
        let d = scratch.join("ro");
        std::fs::create_dir(&d).expect("mkdir");
        assert!(tool("chmod", &["0555", &s(&d)]));
        return Some(d);
    }
    let sys = Path::new("/sys");
    if sys.is_dir() && File::create(sys.join("rapt-probe")).is_err() {
        return Some(sys.to_path_buf());
    }
    eprintln!("note: running as root with a writable /sys; read-only directory case skipped");
    None
}

#[test]
fn read_only_and_missing_directories_fail_clearly_before_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let storm = storm();
    if let Some(ro) = read_only_dir(dir.path()) {
        for args in [
            vec![
                "simulate".to_string(),
                storm.clone(),
                "-q".into(),
                "--format".into(),
                "csv".into(),
                "-o".into(),
                s(&ro.join("out.csv")),
            ],
            vec![
                "simulate".into(),
                storm.clone(),
                "-q".into(),
                "-o".into(),
                format!("{}/", s(&ro.join("bundle"))),
            ],
            vec![
                "sweep".into(),
                storm.clone(),
                "-q".into(),
                "--set".into(),
                "pools.vpn.tunnels=1000".into(),
                "-o".into(),
                s(&ro.join("grid.csv")),
            ],
            vec!["init".into(), s(&ro.join("new.yaml"))],
        ] {
            let r = run(rapt().args(&args));
            assert_eq!(r.code, 74, "{args:?}\n{}", r.both());
            assert!(
                r.stderr.contains("cannot create") && r.stderr.contains(&s(&ro)),
                "{args:?}\n{}",
                r.both()
            );
        }
    }
    let missing = dir.path().join("missing");
    let r = run(rapt().args([
        "simulate",
        &storm,
        "-q",
        "--format",
        "csv",
        "-o",
        &s(&missing.join("out.csv")),
    ]));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("does not exist"), "{}", r.both());
    let r = run(rapt().args([
        "simulate",
        &storm,
        "-q",
        "-o",
        &format!("{}/", s(&missing.join("bundle"))),
    ]));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("does not exist"), "{}", r.both());
    let r = run(rapt().args(["init", &s(&missing.join("new.yaml"))]));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("does not exist"), "{}", r.both());
    assert!(!missing.exists());
}

#[test]
fn a_fifo_as_input_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("scenario.pipe");
    mkfifo(&fifo);
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let _ = std::fs::write(&path, rapt::scenario::STARTER);
    });
    // `run` has a time limit: a hang fails the test.
    let r = run(rapt().args(["validate", &s(&fifo)]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.contains("valid (0 errors"), "{}", r.both());
    writer.join().expect("writer");
}

#[test]
fn a_directory_or_a_loop_of_links_as_input_fails_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
    std::os::unix::fs::symlink("b.yaml", &a).expect("symlink");
    std::os::unix::fs::symlink("a.yaml", &b).expect("symlink");
    for (input, reason) in [(s(dir.path()), "is a directory"), (s(&a), "symbolic links")] {
        for command in ["validate", "simulate"] {
            let r = run(rapt().args([command, &input]));
            assert_eq!(r.code, 3, "{command} {input}\n{}", r.both());
            assert!(
                r.stderr.contains(reason) || r.stdout.contains(reason),
                "{}",
                r.both()
            );
        }
    }
}

#[test]
fn an_input_is_never_an_output_however_spelt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenario = dir.path().join("s.yaml");
    std::fs::copy(storm(), &scenario).expect("copy");
    let original = std::fs::read(&scenario).expect("read");
    std::os::unix::fs::symlink("s.yaml", dir.path().join("link.yaml")).expect("symlink");
    std::fs::hard_link(&scenario, dir.path().join("hard.yaml")).expect("hard link");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    let cases = [
        ("s.yaml", "./s.yaml"),
        ("./s.yaml", "s.yaml"),
        ("s.yaml", "sub/../s.yaml"),
        ("link.yaml", "s.yaml"),
        ("s.yaml", "link.yaml"),
        ("hard.yaml", "s.yaml"),
    ];
    for (input, output) in cases {
        for command in [
            vec!["simulate", input, "-n", "1", "-q", "--format", "csv"],
            vec![
                "sweep",
                input,
                "-n",
                "1",
                "-q",
                "--set",
                "pools.vpn.tunnels=1000",
            ],
            vec!["report", input, "-n", "1", "-q"],
        ] {
            let r = run(rapt()
                .current_dir(dir.path())
                .args(&command)
                .args(["-o", output, "--force"]));
            assert_eq!(r.code, 1, "{command:?} -o {output}\n{}", r.both());
            assert!(r.stderr.contains("input scenario"), "{}", r.both());
        }
        assert_eq!(std::fs::read(&scenario).expect("read"), original);
    }
    assert!(
        std::fs::symlink_metadata(dir.path().join("link.yaml"))
            .expect("link")
            .file_type()
            .is_symlink()
    );
}

/// Bytes a terminal would act on: C0 controls but tab, line feed and carriage return; DEL; and
/// C1 controls (as UTF-8).
fn terminal_controls(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.chars()
        .filter(|&c| {
            let u = u32::from(c);
            (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
                || u == 0x7F
                || (0x80..=0x9F).contains(&u)
        })
        .map(|c| format!("{:#x}", u32::from(c)))
        .collect()
}

#[test]
fn control_characters_in_names_never_reach_a_terminal_or_an_svg() {
    // A window-title escape, a bell, a screen clear and an 8-bit CSI in one pool name.
    let evil = r#""rds\e]0;pwned\a\e[2J\x9b31m""#;
    let text = crate::common::starter_with(&[
        (
            "token: software, pool: rds }",
            &format!("token: software, pool: {evil} }}"),
        ),
        ("  rds:\n", &format!("  {evil}:\n")),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evil.yaml");
    std::fs::write(&file, text).unwrap();
    let shown = r"rds\u001b]0;pwned\u0007\u001b[2J\u009b31m";

    let validate = run(rapt().arg("validate").arg(&file));
    assert_eq!(validate.code, 0, "{}", validate.both());
    assert!(validate.stdout.contains(shown), "{}", validate.both());
    let table = run(rapt().args(["simulate", "-n", "2"]).arg(&file));
    assert_eq!(table.code, 0, "{}", table.both());
    assert!(table.stdout.contains(shown), "{}", table.both());
    let csv = run(rapt()
        .args(["simulate", "-n", "2", "--format", "csv"])
        .arg(&file));
    let json = run(rapt()
        .args(["simulate", "-n", "2", "--format", "json"])
        .arg(&file));
    for (what, r) in [
        ("validate", &validate),
        ("table", &table),
        ("csv", &csv),
        ("json", &json),
    ] {
        assert_eq!(
            terminal_controls(r.stdout.as_bytes()),
            Vec::<String>::new(),
            "{what} stdout"
        );
        assert_eq!(
            terminal_controls(r.stderr.as_bytes()),
            Vec::<String>::new(),
            "{what} stderr"
        );
    }
    // JSON keeps the real name, escaped as JSON does.
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(
        doc["pools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "rds\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m"),
        "{}",
        json.stdout
    );

    // Drawings and the report: XML allows no C0 controls.
    let plots = dir.path().join("plots");
    let plot = run(rapt()
        .args(["simulate", "-n", "2", "-q", "--plot"])
        .arg(&plots)
        .arg(&file));
    assert_eq!(plot.code, 0, "{}", plot.both());
    let report = dir.path().join("report.html");
    let html = run(rapt()
        .args(["report", "-n", "2", "-o"])
        .arg(&report)
        .arg(&file));
    assert_eq!(html.code, 0, "{}", html.both());
    let mut drawn = vec![report];
    drawn.extend(
        std::fs::read_dir(&plots)
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    assert!(drawn.len() > 3, "{drawn:?}");
    for path in drawn {
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            terminal_controls(&bytes),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
}
