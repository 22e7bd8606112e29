//! `rapt report FILE -o report.html`: one self-contained HTML report.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::output::{Destination, check_target, write_atomic};
use super::simulate::{Progress, cancel_flag, load};
use crate::Exit;
use rapt::plan::service;
use rapt::report::html::Html;
use rapt::report::{Exporter, ReportInput};
use rapt::sim::{Model, SimError, SimOptions, simulate};
use rapt::units::Date;

/// Arguments of `rapt report`, already parsed by clap.
pub struct ReportArgs<'a> {
    /// Scenario file.
    pub file: &'a Path,
    /// Where to write.
    pub output: &'a Path,
    /// Overwrite.
    pub force: bool,
    /// Replications.
    pub replications: Option<u32>,
    /// Seed.
    pub seed: Option<u64>,
    /// Day to chart.
    pub day: Option<&'a str>,
    /// Worker threads.
    pub threads: Option<u16>,
    /// Quiet.
    pub quiet: bool,
}

/// Runs `rapt report`.
pub fn run(args: &ReportArgs<'_>) -> Result<Exit> {
    let curve_day = match args.day.map(Date::parse).transpose() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: --day: {e}");
            return Ok(Exit::Usage);
        }
    };
    let destination = Destination::from_arg(Some(args.output));
    match &destination {
        Destination::File(p) => check_target(p, &[args.file], args.force)?,
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
    let loaded = match load(args.file, args.quiet)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let model = Model::from_scenario(&loaded.scenario);
    let opts = SimOptions {
        replications: args.replications,
        seed: args.seed,
        threads: args.threads.map(usize::from),
        curve_day,
    };
    let progress = Progress::new(
        u64::from(args.replications.unwrap_or(model.replications)),
        args.quiet,
        "simulating",
    );
    let result = simulate(&model, &opts, &|| progress.tick(), cancel_flag());
    progress.finish();
    let result = match result {
        Ok(r) => r,
        Err(SimError::Interrupted) => {
            eprintln!("interrupted; no report was written");
            return Ok(Exit::Interrupted);
        }
        Err(e @ SimError::DayOutsideHorizon { .. }) => {
            eprintln!("error: {e}");
            return Ok(Exit::Usage);
        }
        Err(e) => return Err(e).context("simulation failed"),
    };
    let verdict = loaded
        .scenario
        .service_level
        .as_ref()
        .map(|sl| service::evaluate(&result, sl));
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
