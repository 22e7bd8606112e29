//! What every simulating command shares: reading and checking a scenario, the memory budget
//! and progress bar around a run, the cancel flag.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::budget::Budget;
use super::print_findings;
use crate::Exit;
use crate::error::{stopped, usage};
use rapt::plan::service;
use rapt::scenario;
use rapt::sim::{Model, SimError, SimOptions, SimResult, simulate};

/// Runs the simulation behind a progress bar (one step per replication). A signal becomes
/// exit 128 + its number and a chart day outside the horizon a usage error, each with its
/// message on stderr.
pub fn run_simulation(
    model: &Model,
    opts: &SimOptions,
    budget: &Budget,
    label: &str,
    message: &str,
) -> Result<SimResult> {
    let opts = budget.admit(label, model, opts, 1).map_err(stopped)?;
    let reps = u64::from(opts.replications.unwrap_or(model.replications));
    let progress = Progress::new(reps, budget.quiet, message);
    let result = simulate(model, &opts, &|| progress.tick(), cancel_flag());
    progress.finish();
    match result {
        Ok(r) => Ok(r),
        Err(SimError::Interrupted) => {
            eprintln!("interrupted; no output was written");
            Err(stopped(Exit::Interrupted))
        }
        Err(e @ SimError::DayOutsideHorizon { .. }) => Err(usage(e)),
        Err(e) => Err(e).context("simulation failed"),
    }
}

/// A scenario file simulated and judged against its service level.
pub struct Simulated {
    /// The scenario.
    pub loaded: scenario::LoadedScenario,
    /// The results.
    pub result: SimResult,
    /// The verdict, if the scenario sets a service level.
    pub verdict: Option<service::Verdict>,
}

/// Loads, simulates and judges a scenario file (see [`load`] and [`run_simulation`]).
pub fn simulate_file(
    path: &std::path::Path,
    opts: &SimOptions,
    budget: &Budget,
    message: &str,
) -> Result<Simulated> {
    let loaded = load(path, budget.quiet)?;
    let model = Model::from_scenario(&loaded.scenario);
    let label = path.display().to_string();
    let result = run_simulation(&model, opts, budget, &label, message)?;
    let verdict = loaded
        .scenario
        .service_level
        .as_ref()
        .map(|sl| service::evaluate(&result, sl));
    Ok(Simulated {
        loaded,
        result,
        verdict,
    })
}

impl Simulated {
    /// The run to show and its verdict: the N−1 run when there is one, else this one.
    pub fn shown<'a>(
        &'a self,
        failover: Option<&'a rapt::plan::failover::NMinusOne>,
    ) -> (&'a SimResult, Option<&'a rapt::plan::service::Verdict>) {
        match failover {
            Some(n) => (&n.result, n.verdict.as_ref()),
            None => (&self.result, self.verdict.as_ref()),
        }
    }
}

/// The N−1 case of `pool` after the normal run, when asked for.
pub fn failover(
    simulated: &Simulated,
    pool: Option<&str>,
    duration: rapt::units::Duration,
    opts: &SimOptions,
) -> Result<Option<rapt::plan::failover::NMinusOne>> {
    use rapt::plan::failover::{FailoverError, n_minus_one};
    let Some(pool) = pool else {
        return Ok(None);
    };
    if duration.secs().is_nan() || duration.secs() <= 0.0 {
        return Err(usage(format!(
            "--outage-duration {duration}: an outage lasts more than 0"
        )));
    }
    match n_minus_one(
        &simulated.loaded.scenario,
        &simulated.result,
        pool,
        duration,
        opts,
        cancel_flag(),
    ) {
        Ok(n) => Ok(Some(n)),
        Err(FailoverError::Sim(SimError::Interrupted)) => {
            eprintln!("interrupted; no output was written");
            Err(stopped(Exit::Interrupted))
        }
        Err(FailoverError::Sim(e)) => Err(e).context("simulation failed"),
        Err(e @ FailoverError::NotApplicable(_)) => Err(usage(e)),
    }
}

/// Set by SIGINT (Ctrl-C), SIGTERM or SIGHUP; every long loop polls it (see
/// [`super::interrupt`]).
pub fn cancel_flag() -> &'static Arc<AtomicBool> {
    super::interrupt::flag()
}

/// A progress bar on stderr that appears only once a run has taken longer than a moment,
/// and never when stderr is not a terminal or `--quiet` is given.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A bar for `total` steps.
    pub fn new(total: u64, quiet: bool, message: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} [{elapsed}<{eta}]")
        {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        Progress {
            bar,
            started: Instant::now(),
            enabled: !quiet && std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// One step done.
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > Duration::from_millis(400)
        {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A checked scenario with the name and text it was read from.
pub struct Source {
    /// The decoded, valid scenario.
    pub loaded: scenario::LoadedScenario,
    /// The file's name for messages (`<stdin>` for `-`).
    pub name: String,
    /// The text as read.
    pub text: String,
}

/// Reads and checks a scenario; prints its findings (warnings only when not quiet). An
/// invalid or unreadable file gives exit 3 (invalid input) after its findings are printed.
pub fn load_source(path: &std::path::Path, quiet: bool) -> Result<Source> {
    let (checked, source) = match scenario::read_source(path) {
        Ok((name, text)) => (scenario::check_str(&name, &text), Some((name, text))),
        Err(d) => (
            scenario::Checked {
                diagnostics: vec![*d],
                loaded: None,
            },
            None,
        ),
    };
    if checked.has_errors() {
        print_findings(&checked.diagnostics);
        eprintln!("{}: invalid; nothing was simulated", path.display());
        return Err(stopped(Exit::InvalidInput));
    }
    if !quiet {
        print_findings(&checked.diagnostics);
    }
    match (checked.loaded, source) {
        (Some(loaded), Some((name, text))) => Ok(Source { loaded, name, text }),
        _ => Err(stopped(Exit::InvalidInput)),
    }
}

/// [`load_source`] for commands that need only the scenario.
pub fn load(path: &std::path::Path, quiet: bool) -> Result<scenario::LoadedScenario> {
    Ok(load_source(path, quiet)?.loaded)
}
