//! The `rapt` binary: parses arguments, calls the library, maps outcomes to exit codes.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Command, Format, Opts};
use rapt::scenario::{self, Diagnostic, Severity};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// Everything worked and every check passed.
    Success = 0,
    /// Invalid input or a failed check.
    Failure = 1,
    /// The command line was wrong.
    Usage = 2,
}

fn main() -> ExitCode {
    let opts = match Opts::try_parse() {
        Ok(o) => o,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Success
            };
            let _ = e.print();
            return ExitCode::from(code as u8);
        }
    };
    match run(opts) {
        Ok(code) => ExitCode::from(code as u8),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(Exit::Failure as u8)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(opts: Opts) -> Result<Exit> {
    match opts.command {
        Command::Validate {
            files,
            deny_warnings,
            format,
            quiet,
        } => validate(&files, deny_warnings, format, quiet),
        Command::Schema => {
            let schema = scenario::json_schema();
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &schema)?;
            writeln!(out)?;
            Ok(Exit::Success)
        }
        Command::Init { path } => init(&path),
    }
}

fn validate(
    files: &[std::path::PathBuf],
    deny_warnings: bool,
    format: Format,
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
    let mut out = std::io::stdout().lock();
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
        if format == Format::Table {
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
    if format == Format::Json {
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

fn init(path: &std::path::Path) -> Result<Exit> {
    use std::fs::OpenOptions;
    let file = OpenOptions::new().write(true).create_new(true).open(path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; rapt init never overwrites a file (choose another path)",
                path.display()
            );
            return Ok(Exit::Failure);
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(scenario::STARTER.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "wrote {}; edit it, then run `rapt validate {}`",
        path.display(),
        path.display()
    );
    Ok(Exit::Success)
}
