//! The commands: each turns its arguments into library calls and writes the results.

pub mod budget;
pub mod calibrate;
pub mod compare;
pub mod erlang;
pub mod interrupt;
pub mod merge;
pub mod output;
pub mod plan;
pub mod replay;
pub mod report;
pub mod results;
pub mod run;
pub mod simulate;
pub mod size;
pub mod sweep;
pub mod validate;

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::Exit;
use rapt::scenario;

pub use output::stdout;

/// Whether an error is a closed pipe (`rapt … | head`), which ends quietly with status 0.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// Writes a check for a CI system in the format asked (`command` names the run in the
/// summary line and the JUnit root).
pub fn write_ci(
    report: &rapt::report::ci::CiReport,
    format: crate::cli::CiFormat,
    command: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use crate::cli::CiFormat;
    use rapt::report::ci;
    match format {
        CiFormat::Github => ci::write_github(report, command, out),
        CiFormat::Junit => ci::write_junit(report, command, out),
        CiFormat::Sarif => ci::write_sarif(report, out),
    }
}

/// `rapt schema`.
pub fn schema() -> Result<Exit> {
    let schema = scenario::json_schema();
    let mut out = stdout();
    serde_json::to_writer_pretty(&mut out, &schema)?;
    writeln!(out)?;
    out.flush()?;
    Ok(Exit::Success)
}

/// `rapt completions SHELL`: the completion script, from the command line's own definition.
pub fn completions(shell: clap_complete::Shell) -> Result<Exit> {
    let mut out = stdout();
    let mut cmd = <crate::cli::Opts as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut cmd, "rapt", &mut out);
    out.flush()?;
    Ok(Exit::Success)
}

/// `rapt man`: the manual page in roff, the subcommands' help included.
pub fn man() -> Result<Exit> {
    let cmd = <crate::cli::Opts as clap::CommandFactory>::command();
    let mut out = stdout();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    // One section per command, with its own options, so `man rapt` holds every flag.
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        writeln!(out, ".SH \"RAPT {}\"", name.to_uppercase())?;
        let page = clap_mangen::Man::new(sub.clone().name(format!("rapt {name}")));
        page.render_synopsis_section(&mut out)?;
        page.render_description_section(&mut out)?;
        page.render_options_section(&mut out)?;
    }
    man.render_subcommands_section(&mut out)?;
    man.render_version_section(&mut out)?;
    man.render_authors_section(&mut out)?;
    out.flush()?;
    Ok(Exit::Success)
}

/// `rapt init PATH` (`-`: printed): written to a temporary file beside PATH and renamed into
/// place only if PATH is still free, so a full disk or a signal leaves no file (not even an empty one) and
/// nothing is ever overwritten.
pub fn init(path: &Path) -> Result<Exit> {
    let refuse = || {
        eprintln!(
            "error: {} already exists; rapt init never overwrites a file (choose another path)",
            path.display()
        );
        Ok(Exit::Failure)
    };
    if path.as_os_str() == "-" {
        let mut out = stdout();
        out.write_all(scenario::STARTER.as_bytes())?;
        out.flush()?;
        return Ok(Exit::Success);
    }
    if std::fs::symlink_metadata(path).is_ok() {
        return refuse();
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        eprintln!(
            "error: cannot create {}: the directory {} does not exist",
            path.display(),
            dir.display()
        );
        return Ok(Exit::Failure);
    }
    if !output::create_new(path, scenario::STARTER.as_bytes())? {
        return refuse();
    }
    let mut out = stdout();
    writeln!(
        out,
        "wrote {}; edit it, then run `rapt validate {}`\n\
         (editors complete and check it once its schema is beside it: \
         rapt schema > {})",
        path.display(),
        path.display(),
        path.with_file_name("scenario.schema.json").display()
    )
    .and_then(|()| out.flush())
    .with_context(|| format!("{} was written", path.display()))?;
    Ok(Exit::Success)
}

/// Prints findings to stderr (for commands whose product is not the findings), at most
/// [`rapt::report::findings::MAX_SHOWN_FINDINGS`] per file.
pub fn print_findings(findings: &[scenario::Diagnostic]) {
    // Findings quote names from the file, which may hold control characters.
    let mut err =
        rapt::report::printable::Printable::new(std::io::BufWriter::new(std::io::stderr().lock()));
    // Nothing useful can be done when standard error is gone.
    let _ = rapt::report::findings::write_findings(&mut err, findings, Default::default())
        .and_then(|()| err.flush());
}
