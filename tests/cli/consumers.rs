//! rapt's files read by the programs users read them with, not by rapt's own parsers: pandas
//! in German settings for the spreadsheet CSV.
//!
//! These run Python with the packages in `tests/requirements.txt`. Where they are missing the
//! tests say so and pass, except when `RAPT_REQUIRE_CONSUMERS` is set (`.ci/run` installs the
//! packages and sets it), where a missing package fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{rapt, root, run};

/// A Python that imports every module named, or `None` (with a note) where there is none and
/// the consumers are not required.
pub fn python_with(modules: &[&str]) -> Option<PathBuf> {
    let python = PathBuf::from(std::env::var("RAPT_PYTHON").unwrap_or_else(|_| "python3".into()));
    let probe = Command::new(&python)
        .args(["-c", &format!("import {}", modules.join(", "))])
        .output();
    if probe.is_ok_and(|o| o.status.success()) {
        return Some(python);
    }
    let message = format!(
        "no python3 with {} (pip install -r tests/requirements.txt)",
        modules.join(", ")
    );
    assert!(
        std::env::var_os("RAPT_REQUIRE_CONSUMERS").is_none(),
        "RAPT_REQUIRE_CONSUMERS is set but there is {message}"
    );
    eprintln!("skipped: {message}");
    None
}

/// Runs a Python script with arguments; fails the test with its output unless it succeeds.
pub fn python(python: &Path, script: &str, args: &[&Path]) -> String {
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("start python");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "python failed:\n{text}");
    text
}

/// pandas reads the German file (`sep=';'`, `decimal=','`, BOM) into exactly the frame it
/// reads from the default file: same columns, same types, same values, every column.
const ROUND_TRIP: &str = r#"
import sys, pandas as pd
german, plain = sys.argv[1], sys.argv[2]
raw = open(german, 'rb').read()
assert raw.startswith(b'\xef\xbb\xbf'), 'no byte-order mark'
de = pd.read_csv(german, sep=';', decimal=',', encoding='utf-8-sig')
en = pd.read_csv(plain)
assert list(de.columns) == list(en.columns), (list(de.columns), list(en.columns))
assert len(de) == len(en) and len(de) > 0, (len(de), len(en))
numeric = 0
for c in en.columns:
    assert de[c].dtype == en[c].dtype, (c, de[c].dtype, en[c].dtype)
    pd.testing.assert_series_equal(de[c], en[c], check_exact=True, obj=c)
    numeric += pd.api.types.is_numeric_dtype(en[c]) and not pd.api.types.is_bool_dtype(en[c])
fractions = sum(1 for c in en.columns if en[c].dtype.kind == 'f' and (en[c].dropna() % 1 != 0).any())
print(f'{len(en.columns)} columns, {numeric} numeric, {fractions} with fractions, {len(en)} rows')
"#;

fn round_trip(python_bin: &Path, german: &Path, plain: &Path, at_least_fractions: usize) {
    let said = python(python_bin, ROUND_TRIP, &[german, plain]);
    let fractions: usize = said
        .split(" with fractions")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected report: {said}"));
    assert!(
        fractions >= at_least_fractions,
        "{}: only {fractions} columns with fractions; the test would not see a decimal comma \
         read wrongly: {said}",
        german.display()
    );
}

#[test]
fn german_csv_round_trips_through_pandas() {
    let Some(py) = python_with(&["pandas"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let munich = root().join("scenarios/munich-2020.yaml");
    // simulate: the directory set (timeline and workday) with each style.
    for (name, extra) in [("plain", &[][..]), ("de", &["--excel-de"][..])] {
        let r = run(rapt()
            .arg("simulate")
            .arg(&munich)
            .args(["-n", "4", "-q", "--output-dir"])
            .arg(dir.path().join(name))
            .args(extra));
        assert_eq!(r.code, 0, "{}", r.both());
    }
    for file in ["timeline.csv", "workday.csv"] {
        round_trip(
            &py,
            &dir.path().join("de").join(file),
            &dir.path().join("plain").join(file),
            5,
        );
    }
    // sweep: key figures per point, shares among them.
    for (name, extra) in [
        ("sweep-plain.csv", &[][..]),
        (
            "sweep-de.csv",
            &["--csv-delimiter", ";", "--decimal-comma", "--bom"][..],
        ),
    ] {
        let r = run(rapt()
            .arg("sweep")
            .arg(&munich)
            .args([
                "--set",
                "pools.vpn.tunnels=3000,4500",
                "-n",
                "3",
                "-q",
                "-o",
            ])
            .arg(dir.path().join(name))
            .args(extra));
        assert_eq!(r.code, 0, "{}", r.both());
    }
    round_trip(
        &py,
        &dir.path().join("sweep-de.csv"),
        &dir.path().join("sweep-plain.csv"),
        1,
    );
    // plan: the order list, costs to the cent.
    for (name, extra) in [
        ("plan-plain.csv", &[][..]),
        ("plan-de.csv", &["--excel-de"][..]),
    ] {
        let r = run(rapt()
            .arg("plan")
            .arg(&munich)
            .args(["--format", "csv", "-n", "3", "-q"])
            .args(extra));
        assert!(r.code <= 1, "{}", r.both());
        std::fs::write(dir.path().join(name), &r.stdout).expect("write");
    }
    round_trip(
        &py,
        &dir.path().join("plan-de.csv"),
        &dir.path().join("plan-plain.csv"),
        0,
    );
}
