//! `rapt validate FILE...`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use super::{plural, write_findings};
use crate::Exit;
use crate::cli::FindingsFormat;
use rapt::scenario::{self, Diagnostic, Severity};
use serde::Serialize;

/// The JSON output: a summary per file, and every finding of every file.
#[derive(Serialize)]
struct Report<'a> {
    files: &'a [serde_json::Value],
    findings: Vec<Finding<'a>>,
}

/// One finding in the JSON output: the diagnostic's fields, then `denied: true` for a warning
/// that fails its file under `--deny-warnings`.
#[derive(Serialize)]
struct Finding<'a> {
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    denied: bool,
}

/// Checks every file; prints findings (table or JSON) to stdout. The table shows at most
/// [`super::MAX_SHOWN_FINDINGS`] findings per file and counts the rest; JSON lists every finding.
pub fn run(
    files: &[PathBuf],
    deny_warnings: bool,
    format: FindingsFormat,
    quiet: bool,
) -> Result<Exit> {
    let stdin_count = files.iter().filter(|f| f.as_os_str() == "-").count();
    if stdin_count > 1 {
        eprintln!("error: `-` (standard input) can be given only once");
        return Ok(Exit::Usage);
    }
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut summaries = Vec::new();
    let mut failed = false;
    // Buffered: a file can have tens of thousands of findings (each file's part is flushed).
    let mut out = std::io::BufWriter::new(super::stdout());
    for file in files {
        let checked = scenario::check_file(file);
        let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = checked.diagnostics.len() - errors;
        let file_failed = errors > 0 || (deny_warnings && warnings > 0);
        failed |= file_failed;
        let name = if file.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            file.display().to_string()
        };
        if format == FindingsFormat::Table {
            write_findings(&mut out, &checked.diagnostics)?;
            if !quiet || file_failed {
                let verdict = if file_failed { "invalid" } else { "valid" };
                writeln!(
                    out,
                    "{name}: {verdict} ({errors} error{}, {warnings} warning{})",
                    plural(errors),
                    plural(warnings)
                )?;
            }
            out.flush()?;
        }
        summaries.push(serde_json::json!({
            "file": name, "valid": !file_failed, "errors": errors, "warnings": warnings,
        }));
        if format == FindingsFormat::Json {
            all.extend(checked.diagnostics);
        }
    }
    if format == FindingsFormat::Json {
        // Serialized from the findings themselves (no JSON tree of them is built first).
        let findings: Vec<Finding> = all
            .iter()
            .map(|d| Finding {
                diagnostic: d,
                denied: deny_warnings && d.severity == Severity::Warning,
            })
            .collect();
        serde_json::to_writer_pretty(
            &mut out,
            &Report {
                files: &summaries,
                findings,
            },
        )?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if failed { Exit::Failure } else { Exit::Success })
}
