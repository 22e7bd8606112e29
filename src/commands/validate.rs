//! `rapt validate FILE...`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::Exit;
use crate::cli::FindingsFormat;
use rapt::scenario::{self, Diagnostic, Severity};

/// Checks every file; prints findings (table or JSON) to stdout.
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
    let mut out = super::stdout();
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
            for d in &checked.diagnostics {
                writeln!(out, "{}\n", d.render())?;
            }
            if !quiet || file_failed {
                let verdict = if file_failed { "invalid" } else { "valid" };
                writeln!(
                    out,
                    "{name}: {verdict} ({errors} error{}, {warnings} warning{})",
                    plural(errors),
                    plural(warnings)
                )?;
            }
        }
        summaries.push(serde_json::json!({
            "file": name, "valid": !file_failed, "errors": errors, "warnings": warnings,
        }));
        all.extend(checked.diagnostics);
    }
    if format == FindingsFormat::Json {
        let findings: Vec<serde_json::Value> = all
            .iter()
            .map(|d| {
                let mut v = serde_json::to_value(d).unwrap_or_default();
                if deny_warnings
                    && d.severity == Severity::Warning
                    && let Some(obj) = v.as_object_mut()
                {
                    obj.insert("denied".into(), true.into());
                }
                v
            })
            .collect();
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({ "files": summaries, "findings": findings }),
        )?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if failed { Exit::Failure } else { Exit::Success })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
