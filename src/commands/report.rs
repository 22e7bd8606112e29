//! `rapt report FILE -o report.html`: one self-contained HTML report.

use std::io::Write;

use anyhow::Result;

use super::output::{Destination, check_target, write_atomic};
use super::simulate::{Simulated, simulate_file};
use crate::Exit;
use crate::cli::ReportArgs;
use rapt::report::html::Html;
use rapt::report::{Exporter, ReportInput};
use rapt::units::Date;

/// Runs `rapt report`.
pub fn run(args: &ReportArgs) -> Result<Exit> {
    let curve_day = match args.day.as_deref().map(Date::parse).transpose() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: --day: {e}");
            return Ok(Exit::Usage);
        }
    };
    let destination = Destination::from_arg(Some(args.output.as_path()));
    match &destination {
        Destination::File(p) => check_target(p, &[args.file.as_path()], args.force)?,
        Destination::Directory(d) => {
            eprintln!(
                "error: --output {}: name the report file, e.g. {}/report.html",
                d.display(),
                d.display()
            );
            return Ok(Exit::Usage);
        }
        Destination::Stdout => {}
    }
    let Simulated {
        loaded,
        result,
        verdict,
    } = match simulate_file(
        &args.file,
        &args.run.options(curve_day),
        args.quiet,
        "simulating",
    )? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let input = ReportInput {
        result: &result,
        verdict: verdict.as_ref(),
    };
    let html = Html {
        scenario: &loaded.scenario,
    };
    match &destination {
        Destination::File(p) => {
            write_atomic(p, |w| html.write(&input, w))?;
            if !args.quiet {
                eprintln!("wrote {}", p.display());
            }
        }
        _ => {
            let mut out = std::io::stdout().lock();
            html.write(&input, &mut out)?;
            out.flush()?;
        }
    }
    Ok(Exit::Success)
}
