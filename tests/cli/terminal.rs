//! rapt on a real terminal: a pseudo-terminal of a given width (Python's `pty`), so that rapt
//! sees a terminal exactly as in a shell. Tables and text fit the width, verdicts are in
//! colour, `NO_COLOR` and `--color never` turn it off; a pipe gets neither.

use std::path::Path;
use std::process::Command;

use crate::common::{rapt, root, run};
use crate::consumers::python_with;

/// Runs argv on a pseudo-terminal `cols` wide (50 rows) with `env` set; returns what the
/// terminal showed (CR LF as LF) and the exit code.
const ON_A_PTY: &str = r#"
import os, pty, sys, struct, fcntl, termios, subprocess, json
cols = int(sys.argv[1]); env_set = json.loads(sys.argv[2]); argv = sys.argv[3:]
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 50, cols, 0, 0))
env = {k: v for k, v in os.environ.items() if k not in ('COLUMNS', 'NO_COLOR', 'CLICOLOR_FORCE')}
env['TERM'] = 'xterm-256color'
env.update(env_set)
p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
os.close(slave)
chunks = []
while True:
    try:
        data = os.read(master, 65536)
    except OSError:
        break
    if not data:
        break
    chunks.append(data)
code = p.wait()
sys.stdout.buffer.write(b''.join(chunks).replace(b'\r\n', b'\n'))
sys.exit(code)
"#;

fn on_a_pty(python: &Path, cols: u16, env: &str, args: &[&str]) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin!("rapt");
    let out = Command::new(python)
        .arg("-c")
        .arg(ON_A_PTY)
        .arg(cols.to_string())
        .arg(env)
        .arg(bin)
        .args(args)
        .current_dir(root())
        .output()
        .expect("start python");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Text without colour sequences (`ESC [ … m`).
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        let seq = &rest[at..];
        let end = seq.find('m').expect("an escape sequence ends in m");
        assert!(
            seq[1..end].starts_with('[')
                && seq[2..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
            "not a colour sequence: {:?}",
            &seq[..=end]
        );
        rest = &seq[end + 1..];
    }
    out.push_str(rest);
    out
}

fn widest(text: &str) -> (usize, String) {
    text.lines()
        .map(|l| (l.chars().count(), l.to_string()))
        .max_by_key(|(w, _)| *w)
        .unwrap_or_default()
}

#[test]
fn munich_on_an_80_column_terminal_fits_and_shows_the_verdict_in_colour() {
    let Some(py) = python_with(&["pty", "termios", "fcntl"]) else {
        return;
    };
    let args = ["simulate", "scenarios/munich-2020.yaml", "-n", "3", "-q"];
    let (code, shown) = on_a_pty(&py, 80, "{}", &args);
    assert_eq!(code, 0, "{shown}");
    let text = plain(&shown);
    let (w, line) = widest(&text);
    assert!(w <= 80, "a line of {w} columns:\n{line}\n\n{text}");
    // Everything is still there: the verdict, each section, the narrow timeline (text lines
    // may wrap, so words are compared with the line breaks taken out).
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for part in [
        "Summary",
        "Service level",
        "BREACHED",
        "FAIL blocking probability (per attempt) of remote-desktop",
        "Timeline (",
        "one row per pool to fit 80 columns",
        "┆ remote-desktop ┆ 1000 ┆",
        "Workday ",
        "left out to fit 80 columns",
    ] {
        assert!(flat.contains(part), "no {part:?} in:\n{text}");
    }
    assert!(
        shown.contains("\u{1b}[1;31mBREACHED\u{1b}[0m")
            && shown.contains("\u{1b}[1;31mFAIL\u{1b}[0m")
            && shown.contains("\u{1b}[32mok  \u{1b}[0m"),
        "no colour on a terminal:\n{shown}"
    );

    // NO_COLOR and --color never: the same text without colour.
    let (_, no_color) = on_a_pty(&py, 80, r#"{"NO_COLOR": "1"}"#, &args);
    assert!(!no_color.contains('\u{1b}'), "{no_color}");
    assert_eq!(no_color, text);
    let mut never = args.to_vec();
    never.extend(["--color", "never"]);
    let (_, never) = on_a_pty(&py, 80, "{}", &never);
    assert_eq!(never, text);

    // A wide terminal keeps the wide layout; findings of validate are coloured too.
    let (_, wide) = on_a_pty(&py, 250, "{}", &args);
    let wide = plain(&wide);
    assert!(
        wide.contains("remote-desktop peak P50/P95") && !wide.contains("left out"),
        "{wide}"
    );
    // The other commands' tables and text fit too.
    for other in [
        &["replay", "scenarios/stuttgart-2020.yaml", "-n", "3", "-q"][..],
        &[
            "size",
            "scenarios/munich-2020.yaml",
            "--pool",
            "vpn",
            "-n",
            "2",
            "-q",
        ],
        &[
            "sweep",
            "scenarios/munich-2020.yaml",
            "--set",
            "pools.vpn.tunnels=3000,5000",
            "-n",
            "2",
            "-q",
            "--format",
            "table",
        ],
        &["plan", "scenarios/munich-2020.yaml", "-n", "2", "-q"],
    ] {
        let (_, shown) = on_a_pty(&py, 80, "{}", other);
        let text = plain(&shown);
        let (w, line) = widest(&text);
        assert!(
            w <= 80,
            "{other:?}: a line of {w} columns:\n{line}\n\n{text}"
        );
        assert!(text.lines().count() > 3, "{other:?}: {text}");
    }
    let (code, found) = on_a_pty(
        &py,
        80,
        "{}",
        &[
            "validate",
            "tests/corpus/invalid/49-three-semantic-errors.yaml",
        ],
    );
    assert_eq!(code, 1, "{found}");
    assert!(
        found.contains("\u{1b}[1;31merror\u{1b}[0m: tests/corpus")
            && found.contains("\u{1b}[33mwarning\u{1b}[0m: tests/corpus")
            && found.contains("\u{1b}[1;31minvalid\u{1b}[0m"),
        "{found}"
    );
}

#[test]
fn pipes_get_plain_unlimited_text_unless_asked() {
    let munich = root().join("scenarios/munich-2020.yaml");
    let piped = run(rapt().arg("simulate").arg(&munich).args(["-n", "3", "-q"]));
    assert_eq!(piped.code, 0, "{}", piped.both());
    assert!(!piped.stdout.contains('\u{1b}'));
    assert!(widest(&piped.stdout).0 > 120, "the wide layout in a pipe");
    // --width fits a pipe too; --color always colours it; CLICOLOR_FORCE as well.
    let narrow = run(rapt()
        .arg("simulate")
        .arg(&munich)
        .args(["-n", "3", "-q", "--width", "72", "--color", "always"]));
    let text = plain(&narrow.stdout);
    assert!(widest(&text).0 <= 72, "{text}");
    assert!(narrow.stdout.contains("\u{1b}[1;31mFAIL\u{1b}[0m"));
    let forced = run(rapt()
        .arg("simulate")
        .arg(&munich)
        .args(["-n", "3", "-q"])
        .env("CLICOLOR_FORCE", "1"));
    assert!(forced.stdout.contains("\u{1b}[1;31mFAIL\u{1b}[0m"));
    // Never colour in a file, even when asked, and no colour in CSV or JSON.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.txt");
    let r = run(rapt()
        .arg("simulate")
        .arg(&munich)
        .args(["-n", "3", "-q", "--color", "always", "-o"])
        .arg(&file));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(!std::fs::read_to_string(&file).unwrap().contains('\u{1b}'));
    for format in ["csv", "json"] {
        let r = run(rapt()
            .arg("simulate")
            .arg(&munich)
            .args(["-n", "2", "-q", "--color", "always", "--format", format]));
        assert!(!r.stdout.contains('\u{1b}'), "{format}");
    }
    // At 40 columns a column that fits is kept beside the pool names (a wide one leaving does
    // not take the narrow ones with it).
    let tight = run(rapt()
        .arg("simulate")
        .arg(&munich)
        .args(["-n", "2", "-q", "--width", "40"]));
    let tight = plain(&tight.stdout);
    assert!(widest(&tight).0 <= 40, "{tight}");
    assert!(
        tight
            .lines()
            .any(|l| l.starts_with("| remote-desktop ") && l.matches('|').count() >= 3),
        "{tight}"
    );
    // Narrower than 40 columns is refused.
    let r = run(rapt().arg("simulate").arg(&munich).args(["--width", "20"]));
    assert_eq!(r.code, 2, "{}", r.both());
}
