//! Findings of `validate` (and of every command that reads a scenario) for people and for
//! machines.

use std::io::{self, Write};

use serde::Serialize;

use crate::scenario::Diagnostic;

/// How one file fared.
#[derive(Clone, Debug, Serialize)]
pub struct FileSummary {
    /// The file as named (`<stdin>` for standard input).
    pub file: String,
    /// Whether it passed (no errors; no warnings under `--deny-warnings`).
    pub valid: bool,
    /// Errors found.
    pub errors: usize,
    /// Warnings found.
    pub warnings: usize,
}

/// The JSON output: a summary per file, and every finding of every file.
#[derive(Serialize)]
pub struct Report<'a> {
    /// One summary per file, in the order given.
    pub files: &'a [FileSummary],
    /// Every finding of every file.
    pub findings: Vec<Finding<'a>>,
}

/// One finding in the JSON output: the diagnostic's fields, then `denied: true` for a warning
/// that fails its file under `--deny-warnings`.
#[derive(Serialize)]
pub struct Finding<'a> {
    /// The finding.
    #[serde(flatten)]
    pub diagnostic: &'a Diagnostic,
    /// A warning that fails its file under `--deny-warnings`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub denied: bool,
}

/// Most findings of one file printed as text; the rest are counted in one line (`rapt validate
/// --format json` lists them all).
pub const MAX_SHOWN_FINDINGS: usize = 100;

/// Writes findings for a person, at most [`MAX_SHOWN_FINDINGS`] per file: each is followed by a
/// blank line, and a file with more ends with one line counting the findings not shown.
pub fn write_findings(
    out: &mut dyn Write,
    findings: &[Diagnostic],
    paint: super::format::Paint,
) -> io::Result<()> {
    for file in findings.chunk_by(|a, b| a.file == b.file) {
        let (shown, hidden) = file.split_at(file.len().min(MAX_SHOWN_FINDINGS));
        for d in shown {
            let label = match d.severity {
                crate::scenario::Severity::Error => paint.bad(d.label()),
                crate::scenario::Severity::Warning => paint.warn(d.label()),
            };
            writeln!(out, "{}\n", d.render_labelled(&label))?;
        }
        if let Some(first) = hidden.first() {
            let errors = hidden.iter().filter(|d| d.is_error()).count();
            let warnings = hidden.len() - errors;
            writeln!(
                out,
                "… and {} more finding{} in {} ({errors} error{}, {warnings} warning{}); `rapt validate --format json` lists them all\n",
                hidden.len(),
                plural(hidden.len()),
                first.file,
                plural(errors),
                plural(warnings),
            )?;
        }
    }
    Ok(())
}

/// `"s"` unless there is exactly one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The report as pretty JSON.
pub fn write_json(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}
