//! `rapt simulate FILE`.

use anyhow::Result;

use super::results::{targets, write};
use super::run::{Simulated, simulate_file};
use crate::Exit;
use crate::cli::SimulateArgs;
use rapt::report::ReportInput;

/// Runs `rapt simulate`.
pub fn run(args: &SimulateArgs) -> Result<Exit> {
    // Refuse a bad target before spending time on the run.
    let targets = targets(args)?;
    let Simulated {
        loaded,
        result,
        verdict,
    } = simulate_file(
        &args.file,
        &args.run.options(args.day),
        &super::budget::Budget::of(&args.run, args.quiet),
        "simulating",
    )?;
    let input = ReportInput {
        result: &result,
        verdict: verdict.as_ref(),
        plan: None,
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
