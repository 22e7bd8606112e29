//! `rapt sweep FILE --set PATH=VALUES ...`: a what-if grid.

use std::io::Write;

use anyhow::{Context, Result};

use super::output::{Destination, FileTarget, check_target, write_output};
use super::run::{Progress, cancel_flag, load_source};
use crate::Exit;
use crate::cli::{SweepArgs, SweepFormat};
use crate::error::{stopped, usage};
use rapt::plan::sweep::{self, Axis, SweepError};
use rapt::report::sweep as render;
use rapt::sim::{Model, SimError};

/// Runs `rapt sweep`.
pub fn run(args: &SweepArgs) -> Result<Exit> {
    let axes: Vec<Axis> = match args.sets.iter().map(|s| sweep::parse_set(s)).collect() {
        Ok(a) => a,
        Err(e) => return Err(usage(format!("--set {e}"))),
    };
    for (i, a) in axes.iter().enumerate() {
        if axes[..i].iter().any(|b| b.path == a.path) {
            return Err(usage(format!("--set {} is given twice", a.path)));
        }
    }
    let destination = Destination::from_arg(args.output.as_deref());
    let target = match &destination {
        Destination::File(p) => check_target(p, &[args.file.as_path()], args.force)?,
        Destination::Directory(d) => {
            return Err(usage(format!(
                "--output {}: sweep writes one file; name a file, not a directory",
                d.display()
            )));
        }
        Destination::Stdout => FileTarget::Stdout,
    };

    let source = load_source(&args.file, args.quiet)?;
    let (name, text) = (source.name, source.text);
    let base = match sweep::document(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return Ok(Exit::InvalidInput);
        }
    };
    for path in sweep::swept_uncertain_inputs(&base, &axes) {
        if !args.quiet {
            eprintln!(
                "note: {path} is an uncertain input of {name}; each point fixes it at the point's value instead of drawing it from its range"
            );
        }
    }
    let points = match sweep::points(&name, &base, &axes) {
        Ok(p) => p,
        Err(e @ SweepError::TooLarge(_)) => return Err(usage(e)),
        Err(e @ SweepError::Path { .. }) => {
            return Err(usage(format!("{name}: --set {e}")));
        }
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return Ok(Exit::InvalidInput);
        }
    };

    let opts = args.run.options(None);
    // Points run in parallel, up to one per thread: judged by the costliest point.
    let threads = args
        .run
        .threads
        .map_or_else(rayon::current_num_threads, usize::from);
    let models: Vec<Model> = points
        .iter()
        .map(|(_, loaded)| Model::from_scenario(&loaded.scenario))
        .collect();
    let costliest = models
        .iter()
        .max_by_key(|m| rapt::sim::estimate(m, &opts).bytes());
    let threads = match costliest {
        Some(m) => {
            match super::budget::Budget::of(&args.run, args.quiet).admit(
                &name,
                m,
                &opts,
                threads.min(models.len()),
            ) {
                Ok(o) => o.threads.unwrap_or(threads),
                Err(code) => return Err(stopped(code)),
            }
        }
        None => threads,
    };
    let total: u64 = models
        .iter()
        .map(|m| u64::from(args.run.replications.unwrap_or(m.replications)))
        .sum();
    drop(models);
    let progress = Progress::new(total, args.quiet, "sweeping");
    let answer = sweep::run(
        &axes,
        points,
        &opts,
        threads,
        &|| progress.tick(),
        cancel_flag(),
    );
    progress.finish();
    let answer = match answer {
        Ok(a) => a,
        Err(SimError::Interrupted) => {
            eprintln!("interrupted; no output was written");
            return Ok(Exit::Interrupted);
        }
        Err(e) => return Err(e).context("simulation failed"),
    };
    // The terminal's width only on standard output.
    let mut layout = super::output::screen_layout();
    if !matches!(target, super::output::FileTarget::Stdout) {
        layout.width = None;
    }
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            SweepFormat::Csv => render::write_csv(&answer, args.csv.style(), w),
            SweepFormat::Table => render::write_table(&answer, layout, w),
            SweepFormat::Json => render::write_json(&answer, w),
        }
    };
    write_output(&target, write)?;
    if let Some(p) = target.shown()
        && !args.quiet
    {
        eprintln!("wrote {} points to {}", answer.points.len(), p.display());
    }
    Ok(Exit::Success)
}
