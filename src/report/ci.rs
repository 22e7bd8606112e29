//! Checks as CI systems show them: GitHub workflow annotations, JUnit XML and SARIF 2.1.0.
//!
//! Every command with a check (`validate`, `simulate --fail-on-breach`, `replay --check`,
//! `plan`) turns its answer into one [`CiReport`]: test cases, each passed, failed by located
//! findings ([`Diagnostic`]s, filed under a [`FindingKind`] rule), or skipped. The three
//! writers below render that one report; none of them knows which command made it.
//!
//! * [`write_github`]: one `::error` / `::warning` workflow command per finding, with file,
//!   line, column and title, so GitHub shows it on the line that caused it.
//! * [`write_junit`]: one `<testsuite>` per suite, one `<testcase>` per file or figure.
//! * [`write_sarif`]: SARIF 2.1.0, one rule per finding kind, one result per finding with its
//!   region.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::json;

use crate::plan::orders::PlanAnswer;
use crate::plan::replay::ReplayAnswer;
use crate::plan::service::Verdict;
use crate::scenario::{Diagnostic, FigureRole, FindingKind, Published, Severity, SourceMap};
use crate::sim::DayMetric;

/// One check reported to CI: a test case.
#[derive(Clone, Debug)]
pub struct CiCase {
    /// The suite it belongs to (`rapt validate`, `rapt replay FILE`, …).
    pub suite: String,
    /// What was checked: a file, a figure, a service-level target.
    pub name: String,
    /// The file it is about.
    pub file: String,
    /// Findings that fail it; empty when it passed.
    pub failures: Vec<Diagnostic>,
    /// Findings reported without failing it (warnings not denied).
    pub notes: Vec<Diagnostic>,
    /// Why it was not judged, when it was not (a calibration figure is fitted, not tested).
    pub skipped: Option<String>,
}

impl CiCase {
    /// A case about `file`, passed until findings are added.
    pub fn new(suite: impl Into<String>, name: impl Into<String>, file: impl Into<String>) -> Self {
        CiCase {
            suite: suite.into(),
            name: name.into(),
            file: file.into(),
            failures: Vec::new(),
            notes: Vec::new(),
            skipped: None,
        }
    }

    /// Whether the case failed.
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }
}

/// What one command checked, for CI.
#[derive(Clone, Debug, Default)]
pub struct CiReport {
    /// The cases, in the order checked.
    pub cases: Vec<CiCase>,
}

impl CiReport {
    /// Cases that failed.
    pub fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failed()).count()
    }

    /// Cases skipped.
    pub fn skipped(&self) -> usize {
        self.cases.iter().filter(|c| c.skipped.is_some()).count()
    }

    /// Every finding with whether it fails its case, in case order.
    fn findings(&self) -> impl Iterator<Item = (&Diagnostic, bool)> {
        self.cases.iter().flat_map(|c| {
            c.failures
                .iter()
                .map(|d| (d, true))
                .chain(c.notes.iter().map(|d| (d, false)))
        })
    }
}

/// The validation of files: one case per file (suite `rapt validate`), failed by its errors
/// (and its warnings, when `deny_warnings`), with the other warnings as notes.
pub fn from_validation<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [Diagnostic])>,
    deny_warnings: bool,
) -> CiReport {
    let cases = files
        .into_iter()
        .map(|(file, findings)| {
            let mut case = CiCase::new("rapt validate", file, file);
            for d in findings {
                if d.is_error() || deny_warnings {
                    case.failures.push(d.clone());
                } else {
                    case.notes.push(d.clone());
                }
            }
            case
        })
        .collect();
    CiReport { cases }
}

/// The scenario field a service-level target is set by.
fn target_field(metric: DayMetric) -> &'static str {
    match metric {
        DayMetric::BlockingProbability => "service_level.max_blocking",
        DayMetric::BandwidthUtilisation => "service_level.max_utilisation",
        DayMetric::LoginDelayMax => "service_level.max_login_delay",
        DayMetric::Dropped => "service_level.max_dropped",
        DayMetric::Occupancy => "service_level",
    }
}

/// A finding of a check, located at `path` of the scenario.
fn located(source: &SourceMap, kind: FindingKind, path: &str, message: String) -> Diagnostic {
    Diagnostic {
        kind,
        ..source.diagnostic(Severity::Error, path, message, None)
    }
}

/// A run judged against its service level (`simulate --fail-on-breach`, `merge`): one case
/// per target (and pool), failed when some judged day breaches it, located at the target's
/// field; targets that could not be judged are skipped; no service level at all, or no day
/// judged, is one failed case.
pub fn from_verdict(source: &SourceMap, verdict: Option<&Verdict>) -> CiReport {
    let file = source.name();
    let suite = format!("rapt simulate {file}");
    let Some(v) = verdict else {
        let mut case = CiCase::new(&suite, "service level", file);
        case.failures.push(located(
            source,
            FindingKind::ServiceLevel,
            "service_level",
            "the scenario sets no service_level, so nothing can be judged".into(),
        ));
        return CiReport { cases: vec![case] };
    };
    let mut cases = Vec::new();
    for c in &v.checks {
        let field = target_field(c.target);
        let name = match &c.pool {
            Some(pool) => format!(
                "{} of {pool}",
                &field[field.rfind('.').map_or(0, |i| i + 1)..]
            ),
            None => field.trim_start_matches("service_level.").to_string(),
        };
        let mut case = CiCase::new(&suite, name, file);
        if !c.met {
            case.failures.push(located(
                source,
                FindingKind::ServiceLevel,
                field,
                format!(
                    "{} ({} over replications, workdays {} to {})",
                    super::format::check_line(c),
                    v.quantile.label(),
                    v.window.from,
                    v.window.to
                ),
            ));
        }
        cases.push(case);
    }
    for why in &v.not_judged {
        let mut case = CiCase::new(&suite, why.clone(), file);
        case.skipped = Some(why.clone());
        cases.push(case);
    }
    if !v.judged() {
        let mut case = CiCase::new(&suite, "service level judged", file);
        case.failures.push(located(
            source,
            FindingKind::ServiceLevel,
            "service_level.window",
            format!(
                "no simulated workday in the judged window {} to {}",
                v.window.from, v.window.to
            ),
        ));
        cases.push(case);
    }
    CiReport { cases }
}

/// A replay (`replay --check`): one case per published figure, located at its `observed`
/// entry. A holdout outside its tolerance or an input not echoed fails; a calibration target
/// is skipped (it was fitted, so it tests nothing); a scenario without a holdout gets one
/// failed case, since nothing in it is evidence.
pub fn from_replay(source: &SourceMap, answer: &ReplayAnswer) -> CiReport {
    let file = source.name();
    let suite = format!("rapt replay {file}");
    let mut cases = Vec::new();
    for f in &answer.figures {
        let r = &f.row;
        let name = format!(
            "{} {} {} ({})",
            r.date,
            r.metric.label(),
            r.scope,
            r.role.label()
        );
        let mut case = CiCase::new(&suite, name, file);
        match r.role {
            FigureRole::Calibration => {
                case.skipped = Some("a calibration target: fitted, so not evidence".into());
            }
            _ if !f.within_tolerance => {
                let how = match r.published {
                    Published::Value(_) => {
                        format!("outside the tolerance of ±{:.0}%", f.tolerance_used * 100.0)
                    }
                    Published::Range { .. } => "outside the published range".into(),
                    _ => "on the wrong side of the published bound".into(),
                };
                let what = if r.role == FigureRole::Input {
                    "input not echoed"
                } else {
                    "holdout not reproduced"
                };
                case.failures.push(located(
                    source,
                    FindingKind::Replay,
                    &format!("observed[{}]", r.observed_index),
                    format!(
                        "{what}: published {}, simulated mean {} ({}); {how}",
                        super::replay::published(r.published),
                        super::csv::num(r.simulated.mean),
                        r.rel_error.map_or("no relative error".into(), |e| format!(
                            "{:+.1}%",
                            e * 100.0
                        )),
                    ),
                ));
            }
            _ => {}
        }
        cases.push(case);
    }
    if answer.holdouts.figures == 0 {
        let mut case = CiCase::new(&suite, "holdout figures", file);
        case.failures.push(located(
            source,
            FindingKind::Replay,
            "observed",
            "no holdout figure: every figure is an input or a calibration target, so \
             nothing in the scenario is evidence"
                .into(),
        ));
        cases.push(case);
    }
    CiReport { cases }
}

/// A plan: one case, failed with every limit that keeps the plan from its goal.
pub fn from_plan(source: &SourceMap, answer: &PlanAnswer) -> CiReport {
    let file = source.name();
    let mut case = CiCase::new(format!("rapt plan {file}"), "plan feasible", file);
    for limit in &answer.limits {
        case.failures.push(Diagnostic {
            kind: FindingKind::Plan,
            ..Diagnostic::file_error(file, limit.clone())
        });
    }
    if !answer.feasible && case.failures.is_empty() {
        case.failures.push(Diagnostic {
            kind: FindingKind::Plan,
            ..Diagnostic::file_error(file, "no order list meets the goal as asked")
        });
    }
    CiReport { cases: vec![case] }
}

/// A finding's message in one line: what was found, what was expected.
pub fn one_line(d: &Diagnostic) -> String {
    let mut s = String::new();
    if let Some(path) = &d.path {
        let _ = write!(s, "{path}: ");
    }
    s.push_str(&d.message);
    if let Some(expected) = &d.expected {
        let _ = write!(s, "; expected {expected}");
    }
    super::printable::printable(&s).into_owned()
}

/// Escapes a workflow command's message (GitHub's toolkit: `%`, CR, LF).
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (the message's escapes, and `:` and `,`).
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::MESSAGE` per
/// failing finding, `::warning …` per note, then one plain summary line for the log.
pub fn write_github(report: &CiReport, command: &str, out: &mut dyn Write) -> io::Result<()> {
    for (d, fails) in report.findings() {
        let level = if fails { "error" } else { "warning" };
        let mut props = format!("file={}", github_property(&d.file));
        if let Some(line) = d.line {
            let _ = write!(props, ",line={line}");
            if let Some(col) = d.column {
                let _ = write!(props, ",col={col}");
            }
        }
        let _ = write!(
            props,
            ",title={}",
            github_property(&format!("{} [{}]", d.kind.title(), d.kind.rule_id()))
        );
        writeln!(out, "::{level} {props}::{}", github_data(&one_line(d)))?;
    }
    writeln!(
        out,
        "{command}: {} of {} checks failed{}",
        report.failures(),
        report.cases.len(),
        match report.skipped() {
            0 => String::new(),
            n => format!(", {n} skipped"),
        }
    )
}

/// Text for XML element content and attribute values: the five special characters escaped,
/// control characters (which XML 1.0 does not allow) shown as `\uXXXX`.
fn xml(s: &str) -> String {
    super::printable::printable(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// JUnit XML (the schema Jenkins, GitLab and most CI systems read): `<testsuites>`, one
/// `<testsuite>` per suite in order of first appearance, one `<testcase>` per case with a
/// `<failure>` (type = the first finding's rule id, the findings in full as its text), a
/// `<skipped>` with the reason, and warnings in `<system-out>`.
pub fn write_junit(report: &CiReport, command: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut suites: Vec<(&str, Vec<&CiCase>)> = Vec::new();
    for c in &report.cases {
        match suites.iter_mut().find(|(name, _)| *name == c.suite) {
            Some((_, cases)) => cases.push(c),
            None => suites.push((&c.suite, vec![c])),
        }
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{}" tests="{}" failures="{}" errors="0" skipped="{}">"#,
        xml(command),
        report.cases.len(),
        report.failures(),
        report.skipped()
    )?;
    for (name, cases) in &suites {
        let failures = cases.iter().filter(|c| c.failed()).count();
        let skipped = cases.iter().filter(|c| c.skipped.is_some()).count();
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{failures}" errors="0" skipped="{skipped}">"#,
            xml(name),
            cases.len()
        )?;
        for c in cases {
            write!(
                out,
                r#"    <testcase name="{}" classname="{}" file="{}""#,
                xml(&c.name),
                xml(name),
                xml(&c.file)
            )?;
            if let Some(line) = c.failures.first().and_then(|d| d.line) {
                write!(out, r#" line="{line}""#)?;
            }
            if !c.failed() && c.skipped.is_none() && c.notes.is_empty() {
                writeln!(out, "/>")?;
                continue;
            }
            writeln!(out, ">")?;
            if let Some(why) = &c.skipped {
                writeln!(out, r#"      <skipped message="{}"/>"#, xml(why))?;
            }
            if let Some(first) = c.failures.first() {
                let text: Vec<String> = c.failures.iter().map(Diagnostic::render).collect();
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    xml(&one_line(first)),
                    first.kind.rule_id(),
                    xml(&text.join("\n\n"))
                )?;
            }
            if !c.notes.is_empty() {
                let text: Vec<String> = c.notes.iter().map(Diagnostic::render).collect();
                writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    xml(&text.join("\n\n"))
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// A file name as a URI reference: relative to the working directory, or `file://` for an
/// absolute path; `/` separators, every byte outside RFC 3986's unreserved set and `/`
/// percent-encoded.
fn uri(file: &str) -> String {
    // An absolute path becomes a file URI; a relative one stays relative to where rapt ran.
    let mut s = String::from(if std::path::Path::new(file).is_absolute() {
        "file://"
    } else {
        ""
    });
    for b in file.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(b as char);
        } else {
            let _ = write!(s, "%{b:02X}");
        }
    }
    s
}

/// A rule id's name part in the PascalCase SARIF tools show (`rapt/yaml-syntax` → `YamlSyntax`).
fn pascal(id: &str) -> String {
    let name = id.rsplit('/').next().unwrap_or(id);
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect()
}

/// SARIF 2.1.0: one run of the tool `rapt` with every rule ([`FindingKind::ALL`]), one result
/// per finding (`error` when it fails its case, else `warning`) located by file and, where
/// known, line and column.
pub fn write_sarif(report: &CiReport, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<_> = FindingKind::ALL
        .iter()
        .map(|k| {
            json!({
                "id": k.rule_id(),
                "name": pascal(k.rule_id()),
                "shortDescription": { "text": k.title() },
                "fullDescription": { "text": k.description() },
                "defaultConfiguration": {
                    "level": if *k == FindingKind::Meaning { "warning" } else { "error" }
                },
            })
        })
        .collect();
    let results: Vec<_> = report
        .findings()
        .map(|(d, fails)| {
            let index = FindingKind::ALL
                .iter()
                .position(|k| *k == d.kind)
                .unwrap_or(0);
            let mut physical = json!({ "artifactLocation": { "uri": uri(&d.file) } });
            if let Some(line) = d.line.filter(|l| *l > 0) {
                let mut region = json!({ "startLine": line });
                if let Some(col) = d.column.filter(|c| *c > 0) {
                    region["startColumn"] = json!(col);
                }
                if let Some(snippet) = &d.snippet {
                    region["snippet"] = json!({ "text": snippet });
                }
                physical["region"] = region;
            }
            let level = match (fails, d.severity) {
                (true, _) => "error",
                (false, Severity::Warning) => "warning",
                (false, Severity::Error) => "note",
            };
            let mut result = json!({
                "ruleId": d.kind.rule_id(),
                "ruleIndex": index,
                "level": level,
                "message": { "text": one_line(d) },
                "locations": [{ "physicalLocation": physical }],
            });
            if let Some(path) = &d.path {
                result["locations"][0]["logicalLocations"] =
                    json!([{ "fullyQualifiedName": path, "kind": "member" }]);
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            // Columns count characters (code points), as every rapt finding does.
            "columnKind": "unicodeCodePoints",
            "tool": {
                "driver": {
                    "name": "rapt",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(kind: FindingKind, line: Option<u64>) -> Diagnostic {
        Diagnostic {
            kind,
            line,
            column: line.map(|_| 7),
            path: Some("pools.vpn.tunnels".into()),
            expected: Some("a whole number".into()),
            snippet: line.map(|_| "    tunnels: lots".into()),
            ..Diagnostic::file_error("a, b:c%.yaml", "found `lots`\nsecond line")
        }
    }

    #[test]
    fn github_commands_escape_properties_and_data() {
        let mut c = CiCase::new("rapt validate", "x.yaml", "a, b:c%.yaml");
        c.failures.push(finding(FindingKind::Type, Some(12)));
        let report = CiReport { cases: vec![c] };
        let mut out = Vec::new();
        write_github(&report, "rapt validate", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=a%2C b%3Ac%25.yaml,line=12,col=7,title=Field name or value type [rapt/field-type]::\
             pools.vpn.tunnels: found `lots`%0Asecond line; expected a whole number\n\
             rapt validate: 1 of 1 checks failed\n"
        );
    }

    #[test]
    fn junit_counts_and_escapes() {
        let mut failed = CiCase::new("s", "bad <one>", "f.yaml");
        failed.failures.push(finding(FindingKind::Meaning, Some(3)));
        let passed = CiCase::new("s", "good", "f.yaml");
        let mut skipped = CiCase::new("t", "fitted", "f.yaml");
        skipped.skipped = Some("calibration target".into());
        let report = CiReport {
            cases: vec![failed, passed, skipped],
        };
        let mut out = Vec::new();
        write_junit(&report, "rapt replay", &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(
            r#"<testsuites name="rapt replay" tests="3" failures="1" errors="0" skipped="1">"#
        ));
        assert!(
            text.contains(r#"<testsuite name="s" tests="2" failures="1" errors="0" skipped="0">"#)
        );
        assert!(text.contains(r#"name="bad &lt;one&gt;""#));
        assert!(text.contains(r#"type="rapt/scenario-meaning""#));
        assert!(text.contains(r#"<testcase name="good" classname="s" file="f.yaml"/>"#));
        assert!(text.contains(r#"<skipped message="calibration target"/>"#));
    }

    #[test]
    fn sarif_uris_are_percent_encoded() {
        assert_eq!(
            uri("scenarios/munich-2020.yaml"),
            "scenarios/munich-2020.yaml"
        );
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("a b\\ü.yaml"), "a%20b/%C3%BC.yaml");
        if cfg!(unix) {
            assert_eq!(uri("/srv/x y.yaml"), "file:///srv/x%20y.yaml");
        }
    }
}
