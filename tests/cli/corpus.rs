//! The broken-scenario corpus: every file of `tests/corpus/invalid/` must fail with exactly the
//! findings `EXPECTED.tsv` lists, each at its line and column, with its field path and the key
//! part of its message and expectation.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{invalid_dir, json, rapt, run};

/// One expected finding (a row of `EXPECTED.tsv`).
#[derive(Debug, Clone)]
struct Expected {
    file: String,
    exit: i32,
    severity: String,
    /// `(line, column)`, or `None` for a finding about the whole file.
    location: Option<(u64, u64)>,
    path: Option<String>,
    expect: String,
    /// Line of the manifest, for failure messages.
    row: usize,
}

impl Expected {
    /// The start of the rendered finding: `SEVERITY: FILE:LINE:COLUMN: PATH: `.
    fn prefix(&self) -> String {
        let location = match self.location {
            Some((l, c)) => format!(":{l}:{c}"),
            None => String::new(),
        };
        let path = match &self.path {
            Some(p) => format!("{p}: "),
            None => String::new(),
        };
        format!("{}: {}{location}: {path}", self.severity, self.file)
    }
}

/// The manifest's rows, grouped by file (in file order).
fn manifest() -> BTreeMap<String, Vec<Expected>> {
    let path = invalid_dir().join("EXPECTED.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut by_file: BTreeMap<String, Vec<Expected>> = BTreeMap::new();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        let row = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols.len(),
            6,
            "EXPECTED.tsv:{row}: expected 6 tab-separated columns, found {}: {line:?}",
            cols.len()
        );
        if !header_seen {
            assert_eq!(
                cols,
                ["file", "exit", "severity", "location", "path", "expect"],
                "EXPECTED.tsv:{row}: header"
            );
            header_seen = true;
            continue;
        }
        let location = match cols[3] {
            "-" => None,
            loc => {
                let (l, c) = loc
                    .split_once(':')
                    .unwrap_or_else(|| panic!("EXPECTED.tsv:{row}: location {loc:?}"));
                Some((l.parse().unwrap(), c.parse().unwrap()))
            }
        };
        assert!(
            matches!(cols[2], "error" | "warning"),
            "EXPECTED.tsv:{row}: severity {:?}",
            cols[2]
        );
        assert!(
            !cols[5].trim().is_empty(),
            "EXPECTED.tsv:{row}: the expectation text is empty"
        );
        let expected = Expected {
            file: cols[0].to_string(),
            exit: cols[1]
                .parse()
                .unwrap_or_else(|_| panic!("EXPECTED.tsv:{row}: exit code {:?}", cols[1])),
            severity: cols[2].to_string(),
            location,
            path: (cols[4] != "-").then(|| cols[4].to_string()),
            expect: cols[5].to_string(),
            row,
        };
        by_file
            .entry(expected.file.clone())
            .or_default()
            .push(expected);
    }
    assert!(header_seen, "EXPECTED.tsv has no header row");
    by_file
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[test]
fn manifest_lists_every_corpus_file_and_nothing_else() {
    let listed: BTreeSet<String> = manifest().into_keys().collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(invalid_dir())
        .expect("corpus directory")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "EXPECTED.tsv")
        .collect();
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "corpus files without expectations: {unlisted:?}; expectations without files: {missing:?}"
    );
    assert!(
        on_disk.len() >= 30,
        "the corpus should hold at least 30 files, has {}",
        on_disk.len()
    );
}

#[test]
fn every_corpus_file_fails_with_its_located_findings() {
    let mut failures = Vec::new();
    for (file, rows) in manifest() {
        let exit = rows[0].exit;
        for r in &rows {
            assert_eq!(
                r.exit, exit,
                "EXPECTED.tsv:{}: exit code differs from the file's other rows",
                r.row
            );
        }
        let out = run(rapt()
            .current_dir(invalid_dir())
            .args(["validate", file.as_str()]));
        let mut problems = Vec::new();
        if out.code != exit {
            problems.push(format!("exit code {} instead of {exit}", out.code));
        }
        for r in &rows {
            let prefix = r.prefix();
            let hit = out
                .stdout
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(&r.expect));
            if !hit {
                problems.push(format!(
                    "EXPECTED.tsv:{}: no finding starting `{prefix}` containing `{}`",
                    r.row, r.expect
                ));
            }
        }
        // Exactly the listed findings: no more, no fewer.
        let errors = rows.iter().filter(|r| r.severity == "error").count();
        let warnings = rows.len() - errors;
        let verdict = if exit == 0 { "valid" } else { "invalid" };
        let summary = format!(
            "{file}: {verdict} ({}, {})",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
        if !out.stdout.lines().any(|l| l == summary) {
            problems.push(format!("no summary line `{summary}`"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{file}:\n  {}\n{}",
                problems.join("\n  "),
                out.both()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus file(s) did not fail as expected:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The same expectations, read from `--format json` for all files in one run: each finding is a
/// record with its own line, column and path.
#[test]
fn json_findings_of_the_corpus_match_the_manifest() {
    let manifest = manifest();
    let files: Vec<&String> = manifest.keys().collect();
    let out = run(rapt()
        .current_dir(invalid_dir())
        .args(["validate", "--format", "json"])
        .args(&files));
    assert_eq!(out.code, 1, "{}", out.both());
    let doc = json(&out);
    let findings = doc["findings"].as_array().expect("findings array");
    let mut failures = Vec::new();
    for (file, rows) in &manifest {
        let of_file: Vec<&serde_json::Value> = findings
            .iter()
            .filter(|f| f["file"].as_str() == Some(file))
            .collect();
        if of_file.len() != rows.len() {
            failures.push(format!(
                "{file}: {} findings instead of {}",
                of_file.len(),
                rows.len()
            ));
        }
        for r in rows {
            let found = of_file.iter().any(|f| {
                let text = match f["expected"].as_str() {
                    Some(e) => format!("{}; expected {e}", f["message"].as_str().unwrap_or("")),
                    None => f["message"].as_str().unwrap_or("").to_string(),
                };
                f["severity"].as_str() == Some(r.severity.as_str())
                    && f["line"].as_u64() == r.location.map(|l| l.0)
                    && f["column"].as_u64() == r.location.map(|l| l.1)
                    && f["path"].as_str() == r.path.as_deref()
                    && text.contains(&r.expect)
            });
            if !found {
                failures.push(format!(
                    "EXPECTED.tsv:{}: no JSON finding for {file} at {:?} {:?} containing `{}`",
                    r.row, r.location, r.path, r.expect
                ));
            }
        }
    }
    let summaries = doc["files"].as_array().expect("files array");
    assert_eq!(summaries.len(), manifest.len());
    for s in summaries {
        assert_eq!(s["valid"], false, "{s}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
