//! `rapt replay FILE`: published figures against the simulation.

use std::io::Write;

use anyhow::Result;

use super::run::{load, run_simulation};
use crate::Exit;
use crate::cli::{CheckFormat, ReplayArgs};
use rapt::plan::replay::replay;
use rapt::report::replay as render;
use rapt::sim::Model;

/// Runs `rapt replay`.
pub fn run(args: &ReplayArgs) -> Result<Exit> {
    let (file, tol, format, quiet) = (&args.file, args.tolerance, args.format, args.quiet);
    let loaded = load(file, quiet)?;
    if loaded.scenario.observed.is_empty() {
        eprintln!(
            "{}: no `observed` figures to replay; nothing to compare{}",
            file.display(),
            if args.check {
                " (--check fails: no evidence)"
            } else {
                ""
            }
        );
        return Ok(if args.check {
            Exit::Failure
        } else {
            Exit::Success
        });
    }
    let model = Model::from_scenario(&loaded.scenario);
    let label = file.display().to_string();
    let budget = super::budget::Budget::of(&args.run, quiet);
    // Figures of the rollout alone need no workdays.
    let mut opts = args.run.options(None);
    opts.rollout_only = !rapt::plan::replay::needs_workdays(&loaded.scenario);
    let result = run_simulation(&model, &opts, &budget, &label, "replaying")?;
    let answer = replay(&result, tol);
    let mut out = super::stdout();
    match format {
        CheckFormat::Json => render::write_json(&answer, &mut out)?,
        CheckFormat::Github | CheckFormat::Junit | CheckFormat::Sarif => {
            let report = rapt::report::ci::from_replay(&loaded.source, &answer);
            let ci = format.ci().expect("a CI format");
            super::write_ci(&report, ci, "rapt replay", &mut out)?;
        }
        CheckFormat::Table => {
            render::write_table(
                &answer,
                super::output::screen_layout(),
                super::output::terminal().paint,
                &mut out,
            )?;
            if args.sensitivity {
                render::write_sensitivity(&answer, &mut out)?;
            }
        }
    }
    out.flush()?;
    // The check counts the evidence only: holdouts (and that inputs are echoed); a scenario
    // with no holdout has no evidence and fails the check.
    Ok(if args.check && answer.evidence_agrees != Some(true) {
        if answer.evidence_agrees.is_none() && !quiet {
            eprintln!(
                "{}: --check: no holdout figure, so nothing is evidence",
                file.display()
            );
        }
        Exit::Failure
    } else {
        Exit::Success
    })
}
