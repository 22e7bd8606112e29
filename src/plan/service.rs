//! Judging a run against the scenario's service level.

use serde::Serialize;

use crate::scenario::{Quantile, ServiceLevel};
use crate::sim::SimResult;

/// One target checked against one pool (or the whole run, for login delay).
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// What was checked, e.g. `blocking_probability`.
    pub target: String,
    /// Pool, where the target is per pool.
    pub pool: Option<String>,
    /// The simulated value at the service level's quantile.
    pub value: f64,
    /// The limit.
    pub limit: f64,
    /// Whether the value is within the limit.
    pub met: bool,
}

/// The verdict of a run against a service level.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// Quantile over replications the values are taken at.
    pub quantile: Quantile,
    /// Every check.
    pub checks: Vec<Check>,
    /// Whether all checks are met.
    pub met: bool,
}

/// Evaluates the service level on the run's peak day (or the stationary results).
pub fn evaluate(result: &SimResult, level: &ServiceLevel) -> Verdict {
    let q = level.quantile;
    let mut checks = Vec::new();
    for p in &result.summary.pools {
        if let Some(max) = level.max_blocking {
            let value = p.blocking_probability.at(q);
            checks.push(Check {
                target: "blocking_probability".into(),
                pool: Some(p.name.clone()),
                value,
                limit: max.fraction(),
                met: value <= max.fraction(),
            });
        }
        if let (Some(max), Some(u)) = (level.max_utilisation, p.peak_utilisation) {
            let value = u.at(q);
            checks.push(Check {
                target: "peak_utilisation".into(),
                pool: Some(p.name.clone()),
                value,
                limit: max.fraction(),
                met: value <= max.fraction(),
            });
        }
    }
    if let Some(max) = level.max_login_delay {
        let value = result.summary.worst_login_delay.at(q);
        checks.push(Check {
            target: "worst_login_delay_secs".into(),
            pool: None,
            value,
            limit: max.secs(),
            met: value <= max.secs(),
        });
    }
    let met = checks.iter().all(|c| c.met);
    Verdict {
        quantile: q,
        checks,
        met,
    }
}
