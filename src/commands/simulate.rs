//! `rapt simulate FILE`, and `rapt simulate FILE --shard K/N -o PART`.

use std::io::IsTerminal;

use anyhow::{Context, Result};

use super::output::{FileTarget, check_target, commit, stage_file};
use super::results::{targets, write_judged};
use super::run::{Progress, cancel_flag, failover, load_source, simulate_file};
use crate::Exit;
use crate::cli::SimulateArgs;
use crate::error::{stopped, usage};
use rapt::report::ReportInput;
use rapt::sim::shard::{PartError, PartHeader, Shard, simulate_part};
use rapt::sim::{Model, SimError};

/// Runs `rapt simulate`.
pub fn run(args: &SimulateArgs) -> Result<Exit> {
    if let Some(shard) = args.shard {
        return run_shard(args, shard);
    }
    // Refuse a bad target before spending time on the run.
    let targets = targets(&args.out, &[args.file.as_path()])?;
    let mut opts = args.run.options(args.day);
    opts.skip_curve = !targets.need_curve(args.out.format);
    let simulated = simulate_file(
        &args.file,
        &opts,
        &super::budget::Budget::of(&args.run, args.out.quiet),
        "simulating",
    )?;
    let failover = failover(
        &simulated,
        args.fail_unit.as_deref(),
        args.outage_duration,
        &opts,
    )?;
    if let Some(day) = args.day
        && !args.out.quiet
        && !opts.skip_curve
        && simulated.result.curve.is_none()
        && simulated.result.stationary.is_none()
    {
        eprintln!(
            "note: --day {day} is no workday of this scenario (a weekend, a public holiday or a \
             day off), so there is no workday curve to show"
        );
    }
    let loaded = &simulated.loaded;
    // With --fail-unit, the run shown is the one with the unit lost.
    let (result, verdict) = simulated.shown(failover.as_ref());
    let input = ReportInput {
        result,
        verdict,
        plan: None,
        failover: failover.as_ref(),
    };

    write_judged(&args.out, targets, &input, loaded)
}

/// One shard of a run, written as a partial result for `rapt merge`.
fn run_shard(args: &SimulateArgs, shard: Shard) -> Result<Exit> {
    let Some(output) = args.out.output.as_deref() else {
        return Err(usage(format!(
            "--shard {shard} writes a partial result for `rapt merge`: give -o FILE"
        )));
    };
    let target = check_target(output, &[args.file.as_path()], args.out.force)?;
    if matches!(target, FileTarget::Stdout) && std::io::stdout().is_terminal() {
        return Err(usage(
            "a partial result is binary: write it to a file (-o FILE) or a pipe, not a terminal",
        ));
    }
    let source = load_source(&args.file, args.out.quiet)?;
    let model = Model::from_scenario(&source.loaded.scenario);
    let budget = super::budget::Budget::of(&args.run, args.out.quiet);
    let label = args.file.display().to_string();
    let opts = budget
        .admit(&label, &model, &args.run.options(args.day), 1)
        .map_err(stopped)?;
    let header = PartHeader {
        rapt_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: source.name,
        scenario_text: source.text,
        replications: 0,
        seed: 0,
        curve_day: args.day.map(|d| d.to_string()),
        window: args
            .run
            .window
            .map(|w| (w.from.map(|d| d.to_string()), w.to.map(|d| d.to_string()))),
        shard,
        items: 0,
    };
    let reps = u64::from(opts.replications.unwrap_or(model.replications));
    let progress = Progress::new(reps, args.out.quiet, &format!("shard {shard}"));
    let mut failure = None;
    let mut simulate = |w: &mut dyn std::io::Write| {
        simulate_part(
            &model,
            &opts,
            &header,
            w,
            &|| progress.tick(),
            cancel_flag(),
        )
        .map_err(|e| match e {
            PartError::Io(e) => e,
            other => {
                let message = other.to_string();
                failure = Some(other);
                std::io::Error::other(message)
            }
        })
    };
    let written = match &target {
        FileTarget::Replace {
            shown,
            path,
            existing,
        } => stage_file(path, shown, existing.as_ref(), &mut simulate)
            .and_then(|staged| commit(vec![staged], Vec::new())),
        stream => super::output::write_output(stream, &mut simulate),
    };
    progress.finish();
    match (failure, written) {
        (Some(PartError::Sim(SimError::Interrupted)), _) => {
            eprintln!("interrupted; no output was written");
            Err(stopped(Exit::Interrupted))
        }
        (Some(e @ PartError::Stationary), _) => Err(usage(e)),
        (Some(PartError::Sim(e @ SimError::DayOutsideHorizon { .. })), _) => Err(usage(e)),
        (Some(e), _) => Err(e).context("simulation failed"),
        (None, Err(e)) => Err(e),
        (None, Ok(())) => {
            if !args.out.quiet
                && let Some(p) = target.shown()
            {
                eprintln!(
                    "wrote shard {shard} of {} to {}; `rapt merge` folds the parts",
                    args.file.display(),
                    p.display()
                );
            }
            Ok(Exit::Success)
        }
    }
}
