//! `rapt simulate FILE`.

use anyhow::Result;

use super::results::{targets, write};
use super::run::{failover, simulate_file};
use crate::Exit;
use crate::cli::SimulateArgs;
use rapt::report::ReportInput;

/// Runs `rapt simulate`.
pub fn run(args: &SimulateArgs) -> Result<Exit> {
    // Refuse a bad target before spending time on the run.
    let targets = targets(args)?;
    let mut opts = args.run.options(args.day);
    opts.skip_curve = !targets.need_curve(args.format);
    let simulated = simulate_file(
        &args.file,
        &opts,
        &super::budget::Budget::of(&args.run, args.quiet),
        "simulating",
    )?;
    let failover = failover(
        &simulated,
        args.fail_unit.as_deref(),
        args.outage_duration,
        &opts,
    )?;
    let loaded = &simulated.loaded;
    // With --fail-unit, the run shown is the one with the unit lost.
    let (result, verdict) = simulated.shown(failover.as_ref());
    let input = ReportInput {
        result,
        verdict,
        plan: None,
        failover: failover.as_ref(),
    };

    write(
        args,
        targets,
        &input,
        loaded.scenario.service_level.as_ref(),
    )?;
    if args.fail_on_breach {
        match &verdict {
            Some(v) if !v.met => {
                if !args.quiet {
                    eprintln!(
                        "service level {}",
                        if v.judged() {
                            "breached"
                        } else {
                            "not judged: no day in the window"
                        }
                    );
                }
                return Ok(Exit::Failure);
            }
            None => {
                eprintln!("error: --fail-on-breach needs a service_level in the scenario");
                return Ok(Exit::Failure);
            }
            _ => {}
        }
    }
    Ok(Exit::Success)
}
