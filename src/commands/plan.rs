//! `rapt plan FILE`: the order list — every resource sized together, with dates and costs.

use std::io::{IsTerminal, Write};

use anyhow::{Context, Result, bail};

use super::output::{Destination, FileTarget, check_target, write_output};
use super::run::{cancel_flag, load};
use crate::Exit;
use crate::cli::{PlanArgs, ResultFormat};
use crate::error::{stopped, usage};
use rapt::plan::orders::{PlanError, PlanQuestion, emitted_yaml, plan};
use rapt::report::plan as render;
use rapt::sim::{Model, SimError};

/// Runs `rapt plan`.
pub fn run(args: &PlanArgs) -> Result<Exit> {
    let emit = match args
        .emit_scenario
        .as_deref()
        .map(|p| Destination::from_arg(Some(p)))
    {
        None => None,
        Some(Destination::File(p)) => Some(check_target(&p, &[args.file.as_path()], args.force)?),
        Some(Destination::Stdout) => Some(FileTarget::Stdout),
        Some(Destination::Directory(d)) => {
            return Err(usage(format!(
                "--emit-scenario {}: name the file, e.g. {}/planned.yaml",
                d.display(),
                d.display()
            )));
        }
    };
    if matches!(emit, Some(FileTarget::Stdout)) {
        return Err(usage(
            "--emit-scenario -: standard output carries the plan; name a file",
        ));
    }
    let loaded = load(&args.file, args.quiet)?;
    let scenario = &loaded.scenario;
    let model = Model::from_scenario(scenario);
    if let Some(by) = args.by
        && model.day_of(by).is_none()
    {
        return Err(usage(format!(
            "--by {by}: outside the scenario's horizon ({} to {})",
            model.start,
            model.date(model.days - 1)
        )));
    }
    let question = PlanQuestion {
        by: args.by,
        target: args.target,
        window: args.run.window,
    };
    // Evaluations run one after another; each costs at most what the scenario costs.
    let label = args.file.display().to_string();
    let opts = super::budget::Budget::of(&args.run, args.quiet)
        .admit(&label, &model, &args.run.options(None), 1)
        .map_err(stopped)?;
    if !args.quiet && std::io::stderr().is_terminal() {
        eprintln!("planning {label} …");
    }
    let answer = match plan(scenario, &question, &opts, cancel_flag()) {
        Ok(a) => a,
        Err(PlanError::Sim(SimError::Interrupted)) => return Ok(Exit::Interrupted),
        Err(PlanError::Sim(e)) => return Err(e.into()),
        Err(e @ PlanError::NotApplicable(_)) => return Err(usage(e)),
    };
    if let Some(target) = &emit {
        let yaml = emitted_yaml(&answer).map_err(anyhow::Error::msg)?;
        // What is emitted must load as the scenario the plan simulated.
        let checked = rapt::scenario::check_str("planned scenario", &yaml);
        if checked.has_errors() {
            let first = checked.diagnostics.iter().find(|d| d.is_error());
            bail!(
                "the planned scenario does not validate (a bug in rapt): {}",
                first.map_or(String::new(), |d| d.message.clone())
            );
        }
        write_output(target, |w| w.write_all(yaml.as_bytes()))
            .context("cannot write the planned scenario")?;
        if let Some(p) = target.shown()
            && !args.quiet
        {
            eprintln!("wrote {}", p.display());
        }
    }
    let mut out = super::stdout();
    match args.format {
        ResultFormat::Table => render::write_table(
            &answer,
            super::output::screen_layout(),
            args.verbose,
            super::output::terminal().paint,
            &mut out,
        )?,
        ResultFormat::Csv => render::write_csv(&answer, args.csv.style(), &mut out)?,
        ResultFormat::Json => render::write_json(&answer, &mut out)?,
        ResultFormat::Github | ResultFormat::Junit | ResultFormat::Sarif => {
            let report = rapt::report::ci::from_plan(&loaded.source, &answer);
            let ci = args.format.ci().expect("a CI format");
            super::write_ci(&report, ci, "rapt plan", &mut out)?;
        }
    }
    out.flush()?;
    Ok(if answer.feasible {
        Exit::Success
    } else {
        Exit::Failure
    })
}
