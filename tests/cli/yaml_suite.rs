//! The official YAML test suite (`tests/yaml-test-suite/`, see its README) through `validate`:
//! every input as a whole file, as the text of a block scalar inside a valid scenario, after a
//! valid scenario and before one. Nothing may panic; invalid YAML is never a valid scenario;
//! every finding is placed inside its file; any text fits in a block scalar.

use std::path::{Path, PathBuf};

use crate::common::{rapt, root, run};

/// Inputs the vendored suite holds (see `tests/yaml-test-suite/README.md`).
const INPUTS: usize = 402;
/// Of these, marked invalid YAML (an `error` file beside `in.yaml`).
const INVALID: usize = 94;

struct Case {
    id: String,
    text: Vec<u8>,
    invalid_yaml: bool,
}

fn cases() -> Vec<Case> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "in.yaml") {
                out.push(p);
            }
        }
    }
    let suite = root().join("tests/yaml-test-suite");
    let mut inputs = Vec::new();
    walk(&suite, &mut inputs);
    inputs
        .into_iter()
        .map(|p| {
            let dir = p.parent().unwrap();
            Case {
                id: dir.strip_prefix(&suite).unwrap().display().to_string(),
                text: std::fs::read(&p).unwrap(),
                invalid_yaml: dir.join("error").exists(),
            }
        })
        .collect()
}

/// A valid scenario (the starter).
fn starter() -> String {
    rapt::scenario::STARTER.to_string()
}

/// Writes one file per case, validates them all in one run, and returns per case whether it
/// was valid, checking the run and every finding on the way.
fn validate_all(dir: &Path, name: &str, files: &[(String, Vec<u8>)]) -> Vec<bool> {
    let paths: Vec<PathBuf> = files
        .iter()
        .enumerate()
        .map(|(i, (_, bytes))| {
            let p = dir.join(format!("{name}-{i}.yaml"));
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect();
    let r = run(rapt().args(["validate", "--format", "json"]).args(&paths));
    assert!(
        matches!(r.code, 0 | 1),
        "{name}: exit {}\n{}",
        r.code,
        r.stderr
    );
    let doc: serde_json::Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{name}: JSON: {e}\n{}", r.stdout));
    let reported = doc["files"].as_array().unwrap();
    assert_eq!(reported.len(), paths.len(), "{name}: one entry per file");
    let lines_of: std::collections::HashMap<String, usize> = paths
        .iter()
        .zip(files)
        .map(|(p, (_, b))| (p.display().to_string(), b.split(|&c| c == b'\n').count()))
        .collect();
    for f in doc["findings"].as_array().unwrap() {
        let file = f["file"].as_str().unwrap();
        let lines = *lines_of
            .get(file)
            .unwrap_or_else(|| panic!("{name}: a finding names an unknown file {file}"));
        if let Some(line) = f["line"].as_u64() {
            let column = f["column"].as_u64().unwrap_or(0);
            assert!(
                line >= 1 && line as usize <= lines && column >= 1,
                "{name}: finding outside {file} ({lines} lines): {f}"
            );
        }
        assert!(!f["message"].as_str().unwrap().is_empty(), "{name}: {f}");
    }
    reported
        .iter()
        .zip(&paths)
        .map(|(f, p)| {
            assert_eq!(f["file"].as_str().unwrap(), p.display().to_string());
            f["valid"].as_bool().unwrap()
        })
        .collect()
}

#[test]
fn the_yaml_test_suite_runs_through_validate_in_four_placements() {
    let cases = cases();
    assert_eq!(
        cases.len(),
        INPUTS,
        "inputs lost or added: update the README too"
    );
    assert_eq!(cases.iter().filter(|c| c.invalid_yaml).count(), INVALID);
    let dir = tempfile::tempdir().unwrap();
    let base = starter();
    let description =
        "  description: What happens if we send every suitable employee home on Monday?\n";
    assert_eq!(base.matches(description).count(), 1);

    // The whole file: none is a scenario, and invalid YAML is never accepted.
    let whole: Vec<(String, Vec<u8>)> = cases
        .iter()
        .map(|c| (c.id.clone(), c.text.clone()))
        .collect();
    let valid = validate_all(dir.path(), "whole", &whole);
    for (c, v) in cases.iter().zip(&valid) {
        assert!(!v, "{}: accepted as a scenario", c.id);
    }

    // As the text of a block scalar with an explicit indentation: any text fits, so every
    // scenario stays valid (tabs, odd indentation, comments, document markers and all).
    let block: Vec<(String, Vec<u8>)> = cases
        .iter()
        .map(|c| {
            let mut indented = Vec::new();
            for line in c.text.split(|&b| b == b'\n') {
                indented.extend_from_slice(b"    ");
                indented.extend_from_slice(line);
                indented.push(b'\n');
            }
            let at = base.find(description).unwrap();
            let mut text = base.as_bytes()[..at].to_vec();
            text.extend_from_slice(b"  description: |2\n");
            text.extend_from_slice(&indented);
            text.extend_from_slice(&base.as_bytes()[at + description.len()..]);
            (c.id.clone(), text)
        })
        .collect();
    let valid = validate_all(dir.path(), "block", &block);
    for (c, v) in cases.iter().zip(&valid) {
        assert!(
            v,
            "{}: as a block scalar, the scenario became invalid",
            c.id
        );
    }

    // After and before a valid scenario: invalid YAML stays invalid.
    for (name, before) in [("after", false), ("before", true)] {
        let files: Vec<(String, Vec<u8>)> = cases
            .iter()
            .map(|c| {
                let text = if before {
                    [c.text.as_slice(), b"\n", base.as_bytes()].concat()
                } else {
                    [base.as_bytes(), c.text.as_slice()].concat()
                };
                (c.id.clone(), text)
            })
            .collect();
        let valid = validate_all(dir.path(), name, &files);
        for (c, v) in cases.iter().zip(&valid) {
            assert!(
                !(c.invalid_yaml && *v),
                "{}: invalid YAML {name} a scenario was accepted",
                c.id
            );
        }
    }
}
