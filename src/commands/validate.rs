//! `rapt validate FILE...`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::Exit;
use crate::cli::CheckFormat;
use crate::error::usage;
use rapt::report::findings::{FileSummary, Finding, Report, plural, write_findings, write_json};
use rapt::scenario::{self, Diagnostic, Severity};

/// Checks every file; prints findings (table or JSON) to stdout. The table shows at most
/// [`rapt::report::findings::MAX_SHOWN_FINDINGS`] findings per file and counts the rest; JSON lists every finding.
pub fn run(
    files: &[PathBuf],
    deny_warnings: bool,
    format: CheckFormat,
    quiet: bool,
) -> Result<Exit> {
    let stdin_count = files.iter().filter(|f| f.as_os_str() == "-").count();
    if stdin_count > 1 {
        return Err(usage("`-` (standard input) can be given only once"));
    }
    let mut all: Vec<Diagnostic> = Vec::new();
    // For a CI format: each file's name and its findings.
    let mut per_file: Vec<(String, Vec<Diagnostic>)> = Vec::new();
    let mut summaries = Vec::new();
    let mut failed = false;
    // Buffered: a file can have tens of thousands of findings (each file's part is flushed).
    let mut out = std::io::BufWriter::new(super::stdout());
    let paint = super::output::terminal().paint;
    // A file that cannot be read is invalid input (exit 3); findings are a failed check (1).
    let mut unreadable = false;
    for file in files {
        // Missing, a directory, no permission: the file itself cannot be checked. What it
        // holds (binary, too large, not UTF-8) is a finding like any other. Read once: a
        // FIFO gives its text to one reader only.
        let checked = match scenario::read_source(file) {
            Ok((name, text)) => scenario::check_str(&name, &text),
            Err(d) => {
                unreadable |= scenario::is_unreadable(&d);
                scenario::Checked {
                    diagnostics: vec![*d],
                    loaded: None,
                }
            }
        };
        let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = checked.diagnostics.len() - errors;
        let file_failed = errors > 0 || (deny_warnings && warnings > 0);
        failed |= file_failed;
        let name = if file.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            file.display().to_string()
        };
        if format == CheckFormat::Table {
            write_findings(&mut out, &checked.diagnostics, paint)?;
            if !quiet || file_failed {
                let verdict = if file_failed {
                    paint.bad("invalid")
                } else {
                    paint.good("valid")
                };
                writeln!(
                    out,
                    "{name}: {verdict} ({errors} error{}, {warnings} warning{})",
                    plural(errors),
                    plural(warnings)
                )?;
            }
            out.flush()?;
        }
        if format.ci().is_some() {
            per_file.push((name.clone(), checked.diagnostics.clone()));
        }
        summaries.push(FileSummary {
            file: name,
            valid: !file_failed,
            errors,
            warnings,
        });
        if format == CheckFormat::Json {
            all.extend(checked.diagnostics);
        }
    }
    if let Some(ci) = format.ci() {
        let report = rapt::report::ci::from_validation(
            per_file.iter().map(|(f, d)| (f.as_str(), d.as_slice())),
            deny_warnings,
        );
        super::write_ci(&report, ci, "rapt validate", &mut out)?;
    }
    if format == CheckFormat::Json {
        // Serialized from the findings themselves (no JSON tree of them is built first).
        let findings: Vec<Finding> = all
            .iter()
            .map(|d| Finding {
                diagnostic: d,
                denied: deny_warnings && d.severity == Severity::Warning,
            })
            .collect();
        write_json(
            &Report {
                files: &summaries,
                findings,
            },
            &mut out,
        )?;
    }
    out.flush()?;
    Ok(if unreadable {
        Exit::InvalidInput
    } else if failed {
        Exit::Failure
    } else {
        Exit::Success
    })
}
