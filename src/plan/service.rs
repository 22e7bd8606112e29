//! Judging a run against a service level: every target, per pool, on every simulated workday
//! of the window. The plan meets the level only if every day does.

use serde::Serialize;

use crate::scenario::{Quantile, ServiceLevel};
use crate::sim::days::{judged_days, worst_day};
use crate::sim::{DayMetric, SimResult, Window};
use crate::units::Date;

/// The targets judged, as plain limits (fractions and seconds).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Targets {
    /// Highest blocking probability per attempt.
    pub max_blocking: Option<f64>,
    /// Highest bandwidth utilisation.
    pub max_utilisation: Option<f64>,
    /// Longest login delay, seconds.
    pub max_login_delay_secs: Option<f64>,
    /// Most sessions of one pool dropped by outages on a day.
    pub max_dropped: Option<f64>,
}

impl Targets {
    /// The scenario's targets.
    pub fn of(level: &ServiceLevel) -> Targets {
        Targets {
            max_blocking: level.max_blocking.map(|s| s.fraction()),
            max_utilisation: level.max_utilisation.map(|s| s.fraction()),
            max_login_delay_secs: level.max_login_delay.map(|d| d.secs()),
            max_dropped: level.max_dropped.map(|n| n as f64),
        }
    }

    /// Whether no target is set.
    pub fn is_empty(&self) -> bool {
        self.max_blocking.is_none()
            && self.max_utilisation.is_none()
            && self.max_login_delay_secs.is_none()
            && self.max_dropped.is_none()
    }

    fn each(&self) -> impl Iterator<Item = (DayMetric, f64)> {
        [
            (DayMetric::BlockingProbability, self.max_blocking),
            (DayMetric::BandwidthUtilisation, self.max_utilisation),
            (DayMetric::LoginDelayMax, self.max_login_delay_secs),
            (DayMetric::Dropped, self.max_dropped),
        ]
        .into_iter()
        .filter_map(|(m, l)| l.map(|l| (m, l)))
    }
}

/// One target judged for one pool (or the whole organisation, for login delay) over the
/// window.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// What was judged.
    pub target: DayMetric,
    /// Pool, where the target is per pool.
    pub pool: Option<String>,
    /// The limit (a fraction, or seconds for login delay).
    pub limit: f64,
    /// Whether every judged day is within the limit.
    pub met: bool,
    /// The day of the largest value (ties: the earliest); `None` for a stationary run.
    pub worst_day: Option<Date>,
    /// The largest value over the judged days, at the quantile.
    pub worst_value: f64,
    /// Days judged.
    pub days_judged: u32,
    /// Days above the limit.
    pub breaching_days: u32,
    /// First day above the limit.
    pub first_breach: Option<Date>,
    /// Last day above the limit.
    pub last_breach: Option<Date>,
}

/// The verdict of a run against a service level.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// Quantile over replications the values are taken at.
    pub quantile: Quantile,
    /// The days judged.
    pub window: Window,
    /// Every check.
    pub checks: Vec<Check>,
    /// Targets that could not be judged, and why.
    pub not_judged: Vec<String>,
    /// Whether all checks are met (and at least one day was judged).
    pub met: bool,
}

impl Verdict {
    /// Whether any check judged at least one day.
    pub fn judged(&self) -> bool {
        self.checks.iter().any(|c| c.days_judged > 0)
    }
}

/// Judges a run against the scenario's service level, over the run's window at the level's
/// quantile.
pub fn evaluate(result: &SimResult, level: &ServiceLevel) -> Verdict {
    judge(result, &Targets::of(level), level.quantile, None)
}

/// Judges `targets` at quantile `q` for every pool (or only `pool`), on every simulated workday
/// of the run's window; a stationary run is judged on its one steady state.
pub fn judge(result: &SimResult, targets: &Targets, q: Quantile, pool: Option<usize>) -> Verdict {
    let window = result.summary.window;
    let mut checks = Vec::new();
    let mut not_judged = Vec::new();
    if let Some(st) = &result.stationary {
        if let Some(limit) = targets.max_blocking {
            let value = st.blocking_probability.at(q);
            let met = value <= limit;
            checks.push(Check {
                target: DayMetric::BlockingProbability,
                pool: result.summary.pools.first().map(|p| p.name.clone()),
                limit,
                met,
                worst_day: None,
                worst_value: value,
                days_judged: 1,
                breaching_days: u32::from(!met),
                first_breach: None,
                last_breach: None,
            });
        }
        if targets.max_utilisation.is_some() || targets.max_login_delay_secs.is_some() {
            not_judged.push(
                "a stationary run has no bandwidth or login delay: only blocking is judged".into(),
            );
        }
    } else {
        let days: Vec<_> = judged_days(&result.timeline, window).collect();
        if days.is_empty() {
            not_judged.push(format!(
                "no simulated workday between {} and {}: nothing was judged",
                window.from, window.to
            ));
        }
        for (metric, limit) in targets.each() {
            let pools: Vec<Option<usize>> = if metric.per_pool() {
                (0..result.pools.len())
                    .filter(|&p| pool.is_none_or(|only| only == p))
                    .map(Some)
                    .collect()
            } else {
                vec![None]
            };
            for pi in pools {
                let series: Vec<(Date, f64)> = days
                    .iter()
                    .filter_map(|d| metric.of(d, pi.unwrap_or(0)).map(|s| (d.date, s.at(q))))
                    .collect();
                let name = pi.map(|p| result.pools[p].name.clone());
                if series.is_empty() && !days.is_empty() {
                    not_judged.push(format!(
                        "{} of {}: the pool states no throughput",
                        metric.label(),
                        name.as_deref().unwrap_or("all pools")
                    ));
                    continue;
                }
                let worst = worst_day(&result.timeline, window, metric, pi.unwrap_or(0), q);
                let breaches: Vec<Date> = series
                    .iter()
                    .filter(|(_, v)| *v > limit)
                    .map(|(d, _)| *d)
                    .collect();
                checks.push(Check {
                    target: metric,
                    pool: name,
                    limit,
                    met: breaches.is_empty(),
                    worst_day: worst.map(|w| w.date),
                    worst_value: worst.map_or(0.0, |w| w.value),
                    days_judged: series.len() as u32,
                    breaching_days: breaches.len() as u32,
                    first_breach: breaches.first().copied(),
                    last_breach: breaches.last().copied(),
                });
            }
        }
    }
    let mut verdict = Verdict {
        quantile: q,
        window,
        checks,
        not_judged,
        met: false,
    };
    verdict.met = verdict.judged() && verdict.checks.iter().all(|c| c.met);
    verdict
}
