//! The N−1 case: the biggest unit of a pool lost at the worst moment of the busiest day.
//!
//! The worst moment is the start of the interval in which the pool's sessions peak on the
//! busiest day (most remote workers; mean over replications of the interval's maximum). The
//! scenario gets one more outage there (`units: 1`, the given duration) and is simulated again
//! on the same seed, so the two runs differ only by the outage and what follows from it.

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::service::{Verdict, evaluate};
use crate::scenario::{Outage, Scenario};
use crate::sim::{Model, SimError, SimOptions, SimResult, simulate};
use crate::units::{Date, Duration};

/// Why the N−1 case cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum FailoverError {
    /// No such pool, or no busiest day.
    #[error("{0}")]
    NotApplicable(String),
    /// The simulation failed or was interrupted.
    #[error(transparent)]
    Sim(#[from] SimError),
}

/// The N−1 case and its outcome.
#[derive(Clone, Debug, Serialize)]
pub struct NMinusOne {
    /// The pool that loses a unit.
    pub pool: String,
    /// The day (the busiest day of the normal run).
    pub date: Date,
    /// When the unit fails, seconds after midnight.
    pub at_secs: f64,
    /// How long it stays down, seconds.
    pub duration_secs: f64,
    /// The pool's units that day.
    pub units: u64,
    /// Whether the lost unit is the whole pool (a pool that states no `units` and is no
    /// remote-desktop farm is one unit: its N−1 case is a total outage).
    pub whole_pool: bool,
    /// Whether the normal run meets the service level (`None`: the scenario sets none).
    pub normal_met: Option<bool>,
    /// Whether the run with the unit lost meets it.
    pub met: Option<bool>,
    /// The run with the unit lost.
    #[serde(skip)]
    pub result: SimResult,
    /// Its verdict.
    #[serde(skip)]
    pub verdict: Option<Verdict>,
}

/// Runs the N−1 case of `pool` after the `normal` run of `scenario` (same options).
pub fn n_minus_one(
    scenario: &Scenario,
    normal: &SimResult,
    pool: &str,
    duration: Duration,
    opts: &SimOptions,
    cancel: &AtomicBool,
) -> Result<NMinusOne, FailoverError> {
    let Some(pi) = scenario.pools.get_index_of(pool) else {
        let known: Vec<&str> = scenario.pools.keys().map(String::as_str).collect();
        return Err(FailoverError::NotApplicable(format!(
            "--fail-unit {pool}: the scenario has no such pool (pools: {})",
            known.join(", ")
        )));
    };
    let date = normal.summary.busiest_day.ok_or_else(|| {
        FailoverError::NotApplicable(
            "--fail-unit: no workday in the window, so no busiest day to fail a unit on".into(),
        )
    })?;
    // The busiest day's curve: the normal run's if it drew that day, else drawn now.
    let drawn;
    let curve = match &normal.curve {
        Some(c) if c.date == date => c,
        _ => {
            let model = Model::from_scenario(scenario);
            let with_curve = SimOptions {
                curve_day: Some(date),
                skip_curve: false,
                ..opts.clone()
            };
            drawn = simulate(&model, &with_curve, &|| {}, cancel)?;
            drawn.curve.as_ref().ok_or_else(|| {
                FailoverError::NotApplicable(format!("--fail-unit: {date} has no workday curve"))
            })?
        }
    };
    let points = &curve.pools[pi].points;
    let at_secs = points
        .iter()
        .fold(None::<(f64, f64)>, |best, p| match best {
            Some((_, m)) if m >= p.active_max_mean => best,
            _ => Some((p.start_secs, p.active_max_mean)),
        })
        .map_or(0.0, |(t, _)| t);
    let mut failed = scenario.clone();
    failed.pools[pi].outages.push(Outage {
        date,
        at: Duration::from_secs(at_secs),
        duration,
        units: 1,
    });
    let model = Model::from_scenario(&failed);
    let day = model.day_of(date).unwrap_or(0);
    let units = model.pools[pi].units_on(day);
    let whole_pool = units == 1;
    // Draw the day of the outage unless another day was asked for.
    let opts = SimOptions {
        curve_day: opts.curve_day.or(Some(date)),
        ..opts.clone()
    };
    let result = simulate(&model, &opts, &|| {}, cancel)?;
    let verdict = failed
        .service_level
        .as_ref()
        .map(|sl| evaluate(&result, sl));
    let normal_met = scenario
        .service_level
        .as_ref()
        .map(|sl| evaluate(normal, sl).met);
    Ok(NMinusOne {
        pool: pool.to_string(),
        date,
        at_secs,
        duration_secs: duration.secs(),
        units,
        whole_pool,
        normal_met,
        met: verdict.as_ref().map(|v| v.met),
        result,
        verdict,
    })
}
