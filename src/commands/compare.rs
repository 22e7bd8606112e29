//! `rapt compare A B`: key figures of two scenarios side by side.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use super::run::simulate_file;
use crate::Exit;
use crate::cli::{CompareArgs, FindingsFormat, RunArgs};
use rapt::plan::compare::compare;
use rapt::report::compare as render;
use rapt::sim::SimResult;

fn run_one(path: &Path, run: &RunArgs, quiet: bool) -> Result<SimResult> {
    let label = path.display().to_string();
    Ok(simulate_file(
        path,
        &run.options(None),
        &super::budget::Budget::of(run, quiet),
        &label,
    )?
    .result)
}

/// Runs `rapt compare`.
pub fn run(args: &CompareArgs) -> Result<Exit> {
    let (a, b, format) = (args.a.as_path(), args.b.as_path(), args.format);
    if args.run.estimate {
        // Both estimates, then stop: each run's estimate ends it before any work.
        for path in [a, b] {
            match run_one(path, &args.run, args.quiet) {
                Err(e)
                    if e.downcast_ref::<crate::error::Stopped>()
                        .is_some_and(|s| s.0 == Exit::Success) => {}
                Err(e) => return Err(e),
                Ok(_) => {}
            }
        }
        return Ok(Exit::Success);
    }
    let ra = run_one(a, &args.run, args.quiet)?;
    let rb = run_one(b, &args.run, args.quiet)?;
    let answer = compare(
        (&a.display().to_string(), &ra),
        (&b.display().to_string(), &rb),
    );
    let mut out = super::stdout();
    match format {
        FindingsFormat::Json => render::write_json(&answer, &mut out)?,
        FindingsFormat::Table => {
            render::write_table(&answer, super::output::screen_layout(), &mut out)?;
        }
    }
    out.flush()?;
    Ok(Exit::Success)
}
