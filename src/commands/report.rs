//! `rapt report FILE -o report.html`: one self-contained HTML report.

use anyhow::Result;

use super::output::{Destination, FileTarget, check_target, write_output};
use super::run::simulate_file;
use crate::Exit;
use crate::cli::ReportArgs;
use crate::error::usage;
use rapt::plan::orders::PlanError;
use rapt::report::html::Html;
use rapt::report::{Exporter, ReportInput};

/// Runs `rapt report`.
pub fn run(args: &ReportArgs) -> Result<Exit> {
    let curve_day = args.day;
    let destination = Destination::from_arg(Some(args.output.as_path()));
    let target = match &destination {
        Destination::File(p) => check_target(p, &[args.file.as_path()], args.force)?,
        Destination::Directory(d) => {
            return Err(usage(format!(
                "--output {}: name the report file, e.g. {}/report.html",
                d.display(),
                d.display()
            )));
        }
        Destination::Stdout => FileTarget::Stdout,
    };
    let opts = args.run.options(curve_day);
    let simulated = simulate_file(
        &args.file,
        &opts,
        &super::budget::Budget::of(&args.run, args.quiet),
        "simulating",
    )?;
    let failover = super::run::failover(
        &simulated,
        args.fail_unit.as_deref(),
        args.outage_duration,
        &opts,
    )?;
    let loaded = &simulated.loaded;
    let (result, verdict) = simulated.shown(failover.as_ref());
    let plan = if args.plan {
        let question = rapt::plan::orders::PlanQuestion {
            by: args.by,
            target: args.target,
            window: args.run.window,
        };
        if let Some(by) = args.by
            && !result.timeline.iter().any(|d| d.date == by)
        {
            return Err(usage(format!("--by {by}: outside the scenario's horizon")));
        }
        let opts = args.run.options(None);
        match rapt::plan::orders::plan(
            &loaded.scenario,
            &question,
            &opts,
            super::run::cancel_flag(),
        ) {
            Ok(a) => Some(a),
            Err(PlanError::Sim(rapt::sim::SimError::Interrupted)) => return Ok(Exit::Interrupted),
            Err(PlanError::Sim(e)) => return Err(e.into()),
            Err(e @ PlanError::NotApplicable(_)) => return Err(usage(e)),
        }
    } else {
        None
    };
    let input = ReportInput {
        result,
        verdict,
        plan: plan.as_ref(),
        failover: failover.as_ref(),
    };
    let html = Html {
        scenario: &loaded.scenario,
        lang: match args.lang {
            crate::cli::ReportLang::En => rapt::report::lang::Lang::En,
            crate::cli::ReportLang::De => rapt::report::lang::Lang::De,
        },
    };
    write_output(&target, |w| html.write(&input, w))?;
    if let Some(p) = target.shown()
        && !args.quiet
    {
        eprintln!("wrote {}", p.display());
    }
    Ok(Exit::Success)
}
