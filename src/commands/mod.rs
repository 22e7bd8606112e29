//! The commands: each turns its arguments into library calls and writes the results.

pub mod compare;
pub mod erlang;
pub mod output;
pub mod replay;
pub mod report;
pub mod simulate;
pub mod size;
pub mod sweep;
pub mod validate;

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::Exit;
use rapt::scenario;

/// Whether an error is a closed pipe (`rapt … | head`), which ends quietly with status 0.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// `rapt schema`.
pub fn schema() -> Result<Exit> {
    let schema = scenario::json_schema();
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &schema)?;
    writeln!(out)?;
    out.flush()?;
    Ok(Exit::Success)
}

/// `rapt init PATH`.
pub fn init(path: &Path) -> Result<Exit> {
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

/// A table for standard output: box drawing on a terminal, Markdown-style ASCII in pipes and
/// files.
pub fn stdout_table() -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        t.load_style(comfy_table::presets::ASCII_MARKDOWN);
    }
    t
}

/// Prints findings to stderr (for commands whose product is not the findings).
pub fn print_findings(findings: &[scenario::Diagnostic]) {
    for d in findings {
        eprintln!("{}\n", d.render());
    }
}
