//! Checks for CI systems: `--format github|junit|sarif` of `validate`, `simulate`
//! (`--fail-on-breach`), `replay` (`--check`) and `plan`.
//!
//! GitHub annotations are compared line by line with a known file and each one's line is
//! checked against the scenario text; JUnit XML is read by `junitparser` (a JUnit consumer
//! from PyPI); SARIF is validated against the published 2.1.0 schema (`tests/schemas/`) with
//! `jsonschema`. The Python readers are optional outside CI (see `consumers`).

use std::path::Path;

use crate::common::{rapt, root, run};
use crate::consumers::{python, python_with};

const CORPUS_FILES: [&str; 2] = [
    "tests/corpus/invalid/07-type-string-for-number.yaml",
    "tests/corpus/invalid/49-three-semantic-errors.yaml",
];

/// The field a finding names (`staff.office.headcount` → `headcount`, `observed[5]` → `-`).
fn key_of(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    if last.ends_with(']') { "-" } else { last }
}

#[test]
fn github_annotations_match_the_corpus_line_by_line() {
    let r = run(rapt()
        .current_dir(root())
        .args(["validate", "--format", "github"])
        .args(CORPUS_FILES)
        .arg("scenarios/munich-2020.yaml"));
    assert_eq!(r.code, 1, "{}", r.both());
    let expected = std::fs::read_to_string(root().join("tests/corpus/ci/validate.github"))
        .expect("expected annotations");
    let got: Vec<&str> = r.stdout.lines().collect();
    let want: Vec<&str> = expected.lines().collect();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "annotation line {} differs", i + 1);
    }
    assert_eq!(got.len(), want.len(), "{}", r.stdout);
    // Independently of the expected file: each annotation's line holds the field it names.
    for line in got.iter().filter(|l| l.starts_with("::")) {
        let props = &line[line.find(' ').unwrap() + 1..line[2..].find("::").unwrap() + 2];
        let field = |k: &str| {
            props
                .split(',')
                .find_map(|p| p.strip_prefix(&format!("{k}=")))
                .unwrap_or_else(|| panic!("no {k} in {line}"))
        };
        let (file, at): (&str, usize) = (field("file"), field("line").parse().unwrap());
        let message = &line[line[2..].find("::").unwrap() + 4..];
        let path = message.split(": ").next().unwrap();
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let source_line = text.lines().nth(at - 1).unwrap();
        assert!(
            source_line.contains(key_of(path)),
            "{line}\npoints at line {at}: {source_line:?}, which does not hold `{path}`"
        );
    }
}

#[test]
fn simulate_annotates_the_breached_target_and_replay_the_figure() {
    let munich = root().join("scenarios/munich-2020.yaml");
    let r = run(rapt().arg("simulate").arg(&munich).args([
        "-n",
        "3",
        "-q",
        "--format",
        "github",
        "--fail-on-breach",
    ]));
    assert_eq!(r.code, 1, "{}", r.both());
    let errors: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stdout);
    let text = std::fs::read_to_string(&munich).unwrap();
    let at = text
        .lines()
        .position(|l| l.trim_start().starts_with("max_blocking:"))
        .unwrap()
        + 1;
    assert!(
        errors[0].contains(&format!(",line={at},"))
            && errors[0].contains("title=Service level breached [rapt/service-level]")
            && errors[0].contains("::service_level.max_blocking: blocking probability"),
        "{}",
        errors[0]
    );
    assert!(
        r.stdout.ends_with("rapt simulate: 1 of 4 checks failed\n"),
        "{}",
        r.stdout
    );
    // Without --fail-on-breach the same annotations, exit 0.
    let r = run(rapt()
        .arg("simulate")
        .arg(&munich)
        .args(["-n", "3", "-q", "--format", "github"]));
    assert_eq!(r.code, 0, "{}", r.both());

    let thuringia = root().join("scenarios/thuringia.yaml");
    let r = run(rapt()
        .arg("replay")
        .arg(&thuringia)
        .args(["-n", "3", "-q", "--format", "github", "--check"]));
    assert_eq!(r.code, 1, "{}", r.both());
    let text = std::fs::read_to_string(&thuringia).unwrap();
    let error = r.stdout.lines().find(|l| l.starts_with("::error")).unwrap();
    let at: usize = error
        .split(",line=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    let entry: Vec<&str> = text.lines().skip(at - 1).take(6).collect();
    assert!(
        entry[0].trim_start().starts_with("- date: 2021-09-03")
            && entry.iter().any(|l| l.contains("holdout")),
        "{error}\n{entry:?}"
    );
}

/// Reads JUnit XML with junitparser and prints, per suite and case, what it understood.
const JUNIT: &str = r#"
import sys
from junitparser import JUnitXml, Failure, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    print(f"suite {suite.name} tests={suite.tests} failures={suite.failures} skipped={suite.skipped}")
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        types = [r.type for r in case.result if isinstance(r, Failure)]
        print(f"  case {case.name} | {','.join(kinds) or 'passed'} | {','.join(types)}")
"#;

fn junit_of(py: &Path, dir: &Path, name: &str, stdout: &str) -> String {
    let file = dir.join(name);
    std::fs::write(&file, stdout).unwrap();
    python(py, JUNIT, &[&file])
}

#[test]
fn junit_is_read_by_junitparser() {
    let Some(py) = python_with(&["junitparser"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let r = run(rapt()
        .current_dir(root())
        .args(["validate", "--format", "junit"])
        .args(CORPUS_FILES)
        .arg("scenarios/munich-2020.yaml"));
    assert_eq!(r.code, 1, "{}", r.both());
    let read = junit_of(&py, dir.path(), "validate.xml", &r.stdout);
    assert_eq!(
        read,
        "suite rapt validate tests=3 failures=2 skipped=0\n\
         \x20 case tests/corpus/invalid/07-type-string-for-number.yaml | Failure | rapt/field-type\n\
         \x20 case tests/corpus/invalid/49-three-semantic-errors.yaml | Failure | rapt/scenario-meaning\n\
         \x20 case scenarios/munich-2020.yaml | passed | \n"
    );

    let r = run(rapt()
        .current_dir(root())
        .args(["replay", "scenarios/stuttgart-2020.yaml", "-n", "4", "-q"])
        .args(["--format", "junit", "--check"]));
    let read = junit_of(&py, dir.path(), "replay.xml", &r.stdout);
    let cases = read.lines().filter(|l| l.starts_with("  case")).count();
    let observed = std::fs::read_to_string(root().join("scenarios/stuttgart-2020.yaml"))
        .unwrap()
        .lines()
        .skip_while(|l| !l.starts_with("observed:"))
        .filter(|l| l.trim_start().starts_with("- date:"))
        .count();
    assert!(
        observed > 0 && cases == observed,
        "{observed} figures:\n{read}"
    );
    assert!(
        read.lines()
            .filter(|l| l.contains("(calibration)"))
            .all(|l| l.contains("| Skipped |")),
        "{read}"
    );
    assert_eq!(r.code, i32::from(read.contains("| Failure |")), "{read}");

    let r = run(rapt()
        .current_dir(root())
        .args(["simulate", "scenarios/munich-2020.yaml", "-n", "3", "-q"])
        .args(["--format", "junit", "--fail-on-breach"]));
    assert_eq!(r.code, 1, "{}", r.both());
    let read = junit_of(&py, dir.path(), "simulate.xml", &r.stdout);
    assert!(
        read.starts_with(
            "suite rapt simulate scenarios/munich-2020.yaml tests=4 failures=1 skipped=0\n"
        ) && read.contains("| Failure | rapt/service-level"),
        "{read}"
    );

    let r = run(rapt()
        .current_dir(root())
        .args(["plan", "scenarios/munich-2020.yaml", "-n", "3", "-q"])
        .args(["--format", "junit"]));
    let read = junit_of(&py, dir.path(), "plan.xml", &r.stdout);
    let failed = read.contains("| Failure | rapt/plan-infeasible");
    assert!(read.contains("case plan feasible |"), "{read}");
    assert_eq!(r.code, i32::from(failed), "{read}\n{}", r.both());
}

/// Validates each SARIF file against the vendored 2.1.0 schema; prints rule ids and regions.
const SARIF: &str = r#"
import sys, json, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"INVALID {path}: {list(e.path)}: {e.message}")
    run = doc["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for r in run["results"]:
        assert rules[r["ruleIndex"]] == r["ruleId"], r
        loc = r["locations"][0]["physicalLocation"]
        region = loc.get("region", {})
        print(f"{r['ruleId']} {r['level']} {loc['artifactLocation']['uri']}:{region.get('startLine', '-')}:{region.get('startColumn', '-')}")
"#;

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let Some(py) = python_with(&["jsonschema"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut save = |name: &str, stdout: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, stdout).unwrap();
        files.push(p);
    };
    // Every kind of scenario finding: the whole invalid corpus (syntax, types, meaning,
    // empty and binary files), a missing file, standard input.
    let corpus: Vec<String> = std::fs::read_dir(root().join("tests/corpus/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "bin"))
        .map(|p| p.display().to_string())
        .collect();
    let r = run(rapt()
        .args(["validate", "--format", "sarif"])
        .args(&corpus)
        .arg("no such file.yaml"));
    assert_eq!(r.code, 3, "{}", r.both());
    save("validate.sarif", &r.stdout);
    let r = run(rapt()
        .current_dir(root())
        .args(["simulate", "scenarios/munich-2020.yaml", "-n", "3", "-q"])
        .args(["--format", "sarif", "--fail-on-breach"]));
    assert_eq!(r.code, 1, "{}", r.both());
    save("simulate.sarif", &r.stdout);
    let r = run(rapt()
        .current_dir(root())
        .args(["replay", "scenarios/thuringia.yaml", "-n", "3", "-q"])
        .args(["--format", "sarif", "--check"]));
    assert_eq!(r.code, 1, "{}", r.both());
    save("replay.sarif", &r.stdout);
    let schema = root().join("tests/schemas/sarif-schema-2.1.0.json");
    let mut args: Vec<&Path> = vec![&schema];
    args.extend(files.iter().map(|p| p.as_path()));
    let said = python(&py, SARIF, &args);
    assert!(!said.contains("INVALID"), "{said}");
    for rule in [
        "rapt/unreadable-file error no%20such%20file.yaml:-:-",
        "rapt/yaml-syntax error",
        "rapt/field-type error",
        "rapt/scenario-meaning error",
        "rapt/scenario-meaning warning",
        "rapt/service-level error scenarios/munich-2020.yaml:",
        "rapt/replay-figure error scenarios/thuringia.yaml:223:5",
    ] {
        assert!(said.contains(rule), "no `{rule}` in:\n{said}");
    }
    // Every finding of the corpus with a line has its region.
    assert!(
        !said
            .lines()
            .filter(|l| l.contains("/tests/corpus/invalid/")
                && !l.contains("41-empty")
                && !l.contains("42-only-comments")
                && !l.contains("43-binary")
                && !l.contains("44-nul-byte"))
            .any(|l| l.ends_with(":-:-")),
        "{said}"
    );
}
