//! Sizing: the least value of one lever (a pool's sessions or licences, the daily hand-out of
//! hardware tokens, the notebook or hardware-token stock, the authentication rate) that meets a
//! service level. [`crate::plan::orders`] sizes every lever together.
//!
//! The search first checks that the upper bound meets the targets at all (that run also
//! measures the offered load), starts from a closed-form estimate (Erlang B for sessions and
//! licences, demand over working days for tokens, the arrival rate for authentication), brackets
//! the answer and bisects. Every value is simulated with the same seed, so all runs share their
//! random numbers (common random numbers): the difference between two neighbouring values is
//! the effect of the lever, not noise.
//!
//! Assumption while sizing sessions: a pool grows by adding units like the ones it has, so its
//! throughput grows in proportion to its sessions (the scenario's throughput per session is
//! kept). Without it, more tunnels could only ever raise bandwidth utilisation.

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::erlang;
use crate::plan::service::{Targets, judge};
use crate::scenario::{LicenceModel, Quantile};
use crate::sim::days::{judged_days, worst_day};
use crate::sim::{
    DayMetric, DayReuse, Model, SimError, SimOptions, SimResult, simulate, simulate_keeping_days,
};
use crate::stats::Stat;
use crate::units::Date;

/// What is being sized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "lever")]
pub enum Lever {
    /// Concurrent sessions of a pool: tunnels, lines, or hosts of a remote-desktop pool.
    Capacity {
        /// Pool index.
        pool: usize,
    },
    /// Concurrent licences of a pool.
    Licences {
        /// Pool index.
        pool: usize,
    },
    /// Hardware tokens handed out per working day.
    TokensPerDay,
    /// Notebooks in stock on the first day (deliveries as planned).
    NotebookStock,
    /// Hardware tokens in stock on the first day (deliveries as planned).
    TokenStock,
    /// Authentications the login service completes per minute.
    AuthPerMinute,
}

/// The service level a value must meet, on every judged day. Targets left `None` are not
/// checked.
#[derive(Clone, Debug, Default)]
pub struct SizeTargets {
    /// Pool whose blocking and utilisation are judged (`None`: every pool).
    pub pool: Option<usize>,
    /// Blocking, bandwidth utilisation and login delay limits.
    pub service: Targets,
    /// Day index by which the enablement target must be met.
    pub enabled_by: Option<usize>,
}

/// The question.
#[derive(Clone, Debug)]
pub struct SizeQuestion {
    /// What to vary.
    pub lever: Lever,
    /// What must hold.
    pub targets: SizeTargets,
    /// Quantile over replications the figures are judged on.
    pub quantile: Quantile,
    /// Largest value to try.
    pub upper_bound: u64,
}

/// The largest value a search tries when the question sets none: enough for every member of
/// staff at once (per host for remote-desktop hosts), or for a stationary workload's sources,
/// or twice the Erlang B servers for a blocking of 10^-6 at its offered load.
pub fn default_bound(model: &Model, lever: Lever) -> u64 {
    let staff: u64 = model.groups.iter().map(|g| g.headcount).sum();
    match lever {
        Lever::Capacity { pool } | Lever::Licences { pool } => {
            let demand = match &model.stationary {
                Some(st) => match (&st.sources, st.rate) {
                    (Some((n, _)), _) => *n,
                    (None, Some(rate)) => {
                        let a = rate * st.holding.mean();
                        erlang::erlang_b_servers_for(a, 1e-6)
                            .unwrap_or(u64::MAX / 4)
                            .saturating_mul(2)
                            .saturating_add(10)
                    }
                    (None, None) => staff,
                },
                None => staff,
            };
            let per = match lever {
                Lever::Capacity { .. } => model.pools[pool].sessions_per_host,
                _ => 1,
            };
            // Room for everyone on the units left up by the pool's largest outage (a random
            // failure takes one unit): capacity is spread evenly over the units.
            let p = &model.pools[pool];
            let units = p.units.unwrap_or(1).max(1);
            let down = p
                .outages
                .iter()
                .map(|o| o.units)
                .chain(p.failures.as_ref().map(|_| 1))
                .max()
                .unwrap_or(0);
            let demand = if down > 0 && down < units {
                demand.saturating_mul(units).div_ceil(units - down)
            } else {
                demand
            };
            demand.div_ceil(per.max(1)).max(1)
        }
        Lever::TokensPerDay | Lever::NotebookStock | Lever::TokenStock => staff.max(1),
        Lever::AuthPerMinute => staff.max(60),
    }
}

/// Errors of a sizing question that cannot be asked of this scenario.
#[derive(Debug, thiserror::Error)]
pub enum SizeError {
    /// The scenario lacks what the lever changes.
    #[error("{0}")]
    NotApplicable(String),
    /// No target was given.
    #[error(
        "no target given: name at least one of max blocking, max utilisation, max login delay or an enablement date"
    )]
    NoTarget,
    /// The simulation failed or was interrupted.
    #[error(transparent)]
    Sim(#[from] SimError),
}

/// A figure on its worst judged day, over the judged pools.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WorstFigure {
    /// The pool it was worst in, for per-pool figures.
    pub pool: Option<String>,
    /// The day (`None` for a stationary run).
    pub date: Option<Date>,
    /// The figure at the judging quantile.
    pub value: f64,
    /// The figure across replications on that day.
    pub stat: Stat,
}

/// One value tried.
#[derive(Clone, Debug, Serialize)]
pub struct SizePoint {
    /// The value of the lever.
    pub value: u64,
    /// Resulting session capacity of the judged pool, for session and licence levers.
    pub sessions: Option<u64>,
    /// Blocking probability per attempt on its worst judged day (worst judged pool).
    pub blocking_probability: WorstFigure,
    /// Bandwidth utilisation on its worst judged day (worst judged pool), if throughput is
    /// known.
    pub bandwidth_utilisation: Option<WorstFigure>,
    /// Longest login delay on its worst judged day, seconds.
    pub login_delay_max_secs: WorstFigure,
    /// Judged days on which some target was breached (a day counts once per target and pool).
    pub breaching_days: u32,
    /// Share of replications that met the enablement target by the date asked, if asked.
    pub enabled_by_share: Option<f64>,
    /// Whether it meets every target.
    pub meets: bool,
}

/// The answer.
#[derive(Clone, Debug, Serialize)]
pub struct SizeAnswer {
    /// What was sized.
    pub lever: Lever,
    /// The least value that meets the service level, if one up to the bound does.
    pub capacity: Option<u64>,
    /// The closed-form starting estimate.
    pub estimate: u64,
    /// The bound searched up to.
    pub upper_bound: u64,
    /// Every value simulated, in the order tried (the bound first).
    pub points: Vec<SizePoint>,
    /// The days judged.
    pub window: crate::sim::Window,
    /// What limited the rollout in the run at the bound, on the date asked (or the busiest day):
    /// when even the bound fails, this is usually why.
    pub bottleneck_at_bound: Option<crate::sim::Constraint>,
}

impl SizeAnswer {
    /// The point of the answer, and of the value one below it, if they were simulated.
    pub fn answer_and_below(&self) -> (Option<&SizePoint>, Option<&SizePoint>) {
        let Some(c) = self.capacity else {
            return (None, None);
        };
        let at = self.points.iter().find(|p| p.value == c);
        let below = c
            .checked_sub(1)
            .and_then(|b| self.points.iter().find(|p| p.value == b));
        (at, below)
    }
}

/// The model with the lever set to `value` (on every replication's draw of the uncertain
/// inputs too).
pub fn with_value(base: &Model, lever: Lever, value: u64) -> Model {
    let mut m = base.clone();
    m.adjust(move |m| set_lever(m, lever, value));
    m
}

fn set_lever(m: &mut Model, lever: Lever, value: u64) {
    match lever {
        Lever::Capacity { pool } => {
            let p = &mut m.pools[pool];
            let sessions = value.saturating_mul(p.sessions_per_host);
            if let Some(t) = p.throughput_bps.as_mut() {
                for (bps, old) in t.iter_mut().zip(&p.sessions) {
                    if *old > 0 {
                        *bps *= sessions as f64 / *old as f64;
                    }
                }
            }
            for s in p.sessions.iter_mut() {
                *s = sessions;
            }
            if let Some(l) = p.licences.as_mut()
                && p.licence_model == LicenceModel::Concurrent
            {
                // Sizing sessions alone: concurrent licences must not be what binds.
                for x in l.iter_mut() {
                    *x = (*x).max(sessions);
                }
            }
        }
        Lever::Licences { pool } => {
            let p = &mut m.pools[pool];
            let days = p.sessions.len();
            p.licences = Some(vec![value; days]);
        }
        Lever::TokensPerDay => {
            if let Some(t) = m.hardware_tokens.as_mut() {
                t.handout_per_day.iter_mut().for_each(|x| *x = value);
            }
        }
        Lever::AuthPerMinute => {
            m.auth_service_secs = Some(vec![60.0 / value.max(1) as f64; m.days]);
        }
        Lever::NotebookStock => {
            if let Some(n) = m.notebooks.as_mut() {
                n.stock = value;
            }
        }
        Lever::TokenStock => {
            if let Some(t) = m.hardware_tokens.as_mut() {
                t.stock = value;
            }
        }
    }
}

fn check_applicable(base: &Model, q: &SizeQuestion) -> Result<(), SizeError> {
    let t = &q.targets;
    if t.service.is_empty() && t.enabled_by.is_none() {
        return Err(SizeError::NoTarget);
    }
    match q.lever {
        Lever::Licences { pool } if base.pools[pool].licences.is_none() => {
            Err(SizeError::NotApplicable(format!(
                "pool `{}` has no licences to size; give it `licences:` first",
                base.pools[pool].name
            )))
        }
        Lever::TokensPerDay if base.hardware_tokens.is_none() => Err(SizeError::NotApplicable(
            "the scenario hands out no hardware tokens (tokens.hardware)".into(),
        )),
        Lever::TokensPerDay if t.enabled_by.is_none() => Err(SizeError::NotApplicable(
            "tokens per day speed up the rollout: say by when with an enablement date".into(),
        )),
        Lever::NotebookStock if base.notebooks.is_none() => Err(SizeError::NotApplicable(
            "the scenario has no notebook stock (devices.notebooks)".into(),
        )),
        Lever::TokenStock if base.hardware_tokens.is_none() => Err(SizeError::NotApplicable(
            "the scenario hands out no hardware tokens (tokens.hardware)".into(),
        )),
        Lever::NotebookStock | Lever::TokenStock if t.enabled_by.is_none() => {
            Err(SizeError::NotApplicable(
                "a stock limits the rollout: say by when with an enablement date".into(),
            ))
        }
        Lever::AuthPerMinute if base.auth_service_secs.is_none() => Err(SizeError::NotApplicable(
            "the scenario models no authentication service (auth.rate)".into(),
        )),
        Lever::AuthPerMinute if t.service.max_login_delay_secs.is_none() => {
            Err(SizeError::NotApplicable(
                "the authentication rate shows in login delay: give a maximum login delay".into(),
            ))
        }
        _ => Ok(()),
    }
}

/// The worst judged day of `metric` over the judged pools (or the stationary figure).
fn worst_figure(
    r: &SimResult,
    metric: DayMetric,
    pool: Option<usize>,
    q: Quantile,
) -> Option<WorstFigure> {
    if let Some(st) = &r.stationary {
        return (metric == DayMetric::BlockingProbability).then(|| WorstFigure {
            pool: r.summary.pools.first().map(|p| p.name.clone()),
            date: None,
            value: st.blocking_probability.at(q),
            stat: st.blocking_probability,
        });
    }
    let pools: Vec<usize> = match (metric.per_pool(), pool) {
        (false, _) => vec![0],
        (true, Some(p)) => vec![p],
        (true, None) => (0..r.pools.len()).collect(),
    };
    pools
        .into_iter()
        .filter_map(|pi| {
            worst_day(&r.timeline, r.summary.window, metric, pi, q).map(|w| WorstFigure {
                pool: metric.per_pool().then(|| r.pools[pi].name.clone()),
                date: Some(w.date),
                value: w.value,
                stat: w.stat,
            })
        })
        .fold(None, |best: Option<WorstFigure>, w| match best {
            Some(b) if b.value >= w.value => Some(b),
            _ => Some(w),
        })
}

/// Judges one run.
fn point(r: &SimResult, model: &Model, q: &SizeQuestion, value: u64) -> SizePoint {
    let t = &q.targets;
    let verdict = (!t.service.is_empty()).then(|| judge(r, &t.service, q.quantile, t.pool));
    let share = t
        .enabled_by
        .map(|d| r.timeline.get(d).map_or(0.0, |day| day.target_met_share));
    let meets = verdict.as_ref().is_none_or(|v| v.met)
        && share.is_none_or(|s| s >= q.quantile.replication_share() - 1e-12);
    let sessions = match q.lever {
        Lever::Capacity { pool } => Some(value.saturating_mul(model.pools[pool].sessions_per_host)),
        Lever::Licences { pool } => Some(
            model.pools[pool]
                .sessions
                .iter()
                .copied()
                .max()
                .unwrap_or(0)
                .min(value),
        ),
        _ => None,
    };
    SizePoint {
        value,
        sessions,
        blocking_probability: worst_figure(r, DayMetric::BlockingProbability, t.pool, q.quantile)
            .unwrap_or_default(),
        bandwidth_utilisation: worst_figure(r, DayMetric::BandwidthUtilisation, t.pool, q.quantile),
        login_delay_max_secs: worst_figure(r, DayMetric::LoginDelayMax, None, q.quantile)
            .unwrap_or_default(),
        breaching_days: verdict.map_or(0, |v| v.checks.iter().map(|c| c.breaching_days).sum()),
        enabled_by_share: share,
        meets,
    }
}

/// The closed-form starting estimate, from the run at the upper bound.
fn estimate(base: &Model, q: &SizeQuestion, probe: &SimResult) -> u64 {
    let ample = q.upper_bound;
    let est = match q.lever {
        Lever::Capacity { pool } | Lever::Licences { pool } => {
            // At the bound nothing is blocked, so the peak carried is the peak offered.
            let offered = match &probe.stationary {
                Some(st) => st.offered_erlang,
                None => judged_days(&probe.timeline, probe.summary.window)
                    .filter_map(|d| d.pools.get(pool))
                    .map(|p| p.peak_sessions.at(q.quantile))
                    .fold(0.0, f64::max),
            };
            let target = q
                .targets
                .service
                .max_blocking
                .unwrap_or(0.01)
                .clamp(1e-9, 0.999_999);
            let sessions = erlang::erlang_b_servers_for(offered.max(0.0), target).unwrap_or(ample);
            let per = match q.lever {
                Lever::Capacity { .. } => base.pools[pool].sessions_per_host,
                _ => 1,
            };
            sessions.div_ceil(per)
        }
        Lever::TokensPerDay => {
            // Staff on hardware-token paths enabled by the date, spread over the working days.
            let day = q
                .targets
                .enabled_by
                .unwrap_or(0)
                .min(base.days.saturating_sub(1));
            let needing: f64 = probe.timeline.get(day).map_or(0.0, |d| {
                base.paths
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.token == crate::scenario::TokenKind::Hardware)
                    .map(|(i, _)| d.enabled_by_path.get(i).copied().unwrap_or(0.0))
                    .sum()
            });
            let workdays = base
                .workday
                .iter()
                .take(day + 1)
                .filter(|w| **w)
                .count()
                .max(1);
            (needing / workdays as f64).ceil() as u64
        }
        Lever::NotebookStock | Lever::TokenStock => {
            // Staff on the paths that need the item enabled by the date, less those enabled on
            // the first day and the deliveries planned by then.
            let day = q
                .targets
                .enabled_by
                .unwrap_or(0)
                .min(base.days.saturating_sub(1));
            let needs = |p: &crate::sim::model::PathModel| match q.lever {
                Lever::NotebookStock => p.device == crate::scenario::DeviceKind::Managed,
                _ => matches!(
                    p.token,
                    crate::scenario::TokenKind::Hardware | crate::scenario::TokenKind::Any
                ),
            };
            let slots = base.slots.iter().filter(|s| needs(&base.paths[s.path]));
            let initially: u64 = slots.map(|s| s.initially_enabled).sum();
            let enabled: f64 = probe.timeline.get(day).map_or(0.0, |d| {
                base.paths
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| needs(p))
                    .map(|(i, _)| d.enabled_by_path.get(i).copied().unwrap_or(0.0))
                    .sum()
            });
            let supply = match q.lever {
                Lever::NotebookStock => base.notebooks.as_ref(),
                _ => base.hardware_tokens.as_ref(),
            };
            let delivered: u64 = supply.map_or(0, |s| {
                s.deliveries
                    .iter()
                    .filter(|(d, _, _)| *d <= day as i64)
                    .map(|(_, q, _)| q)
                    .sum()
            });
            (enabled - initially as f64 - delivered as f64)
                .ceil()
                .max(1.0) as u64
        }
        Lever::AuthPerMinute => {
            // The server must at least keep up with the busiest interval's logins.
            probe.curve.as_ref().map_or(1, |c| {
                let per_interval = (0..c.pools.first().map_or(0, |p| p.points.len()))
                    .map(|i| c.pools.iter().map(|p| p.points[i].logins).sum::<f64>())
                    .fold(0.0, f64::max);
                (per_interval / (c.interval_secs / 60.0)).ceil() as u64
            })
        }
    };
    est.clamp(1, ample.max(1))
}

/// Sizes the lever. `on_point` is called after each simulated value.
pub fn size(
    base: &Model,
    q: &SizeQuestion,
    opts: &SimOptions,
    cancel: &AtomicBool,
    mut on_point: impl FnMut(&SizePoint),
) -> Result<SizeAnswer, SizeError> {
    check_applicable(base, q)?;
    let mut points: Vec<SizePoint> = Vec::new();
    // Points read no load curve; the authentication rate's estimate reads the bound's. A
    // pool's sessions (or concurrent licences) change no rollout, so the bound's workdays on
    // which the pool turned nobody away are the same days at every smaller value: kept once,
    // they are taken instead of simulated again (see `sim::reuse`).
    let reuse_pool = match q.lever {
        Lever::Capacity { pool } => Some(pool),
        Lever::Licences { pool } if base.pools[pool].licence_model == LicenceModel::Concurrent => {
            Some(pool)
        }
        _ => None,
    };
    let mut first = true;
    let mut reference: Option<std::sync::Arc<DayReuse>> = None;
    let mut run = |value: u64, points: &mut Vec<SizePoint>| -> Result<SimResult, SizeError> {
        let m = with_value(base, q.lever, value);
        let opts = SimOptions {
            skip_curve: !(first && q.lever == Lever::AuthPerMinute),
            reuse: reference.clone(),
            ..opts.clone()
        };
        let r = match reuse_pool {
            Some(pool) if first => {
                let (r, kept) = simulate_keeping_days(&m, &opts, pool, &|| {}, cancel)?;
                reference = kept.map(std::sync::Arc::new);
                r
            }
            _ => simulate(&m, &opts, &|| {}, cancel)?,
        };
        first = false;
        let p = point(&r, base, q, value);
        on_point(&p);
        points.push(p);
        Ok(r)
    };
    let ample = q.upper_bound.max(1);
    let probe = run(ample, &mut points)?;
    let estimate = estimate(base, q, &probe);
    let bottleneck = q
        .targets
        .enabled_by
        .or_else(|| probe.summary.busiest_day.and_then(|d| base.day_of(d)))
        .and_then(|d| probe.timeline.get(d))
        .and_then(|d| d.bottleneck);
    let answer = |capacity, points| SizeAnswer {
        lever: q.lever,
        capacity,
        estimate,
        upper_bound: ample,
        points,
        window: probe.summary.window,
        bottleneck_at_bound: bottleneck,
    };
    if !points[0].meets {
        return Ok(answer(None, points));
    }
    let mut eval = |value: u64, points: &mut Vec<SizePoint>| -> Result<bool, SizeError> {
        if let Some(p) = points.iter().find(|p| p.value == value) {
            return Ok(p.meets);
        }
        run(value, points)?;
        Ok(points.last().is_some_and(|p| p.meets))
    };

    // Bracket around the estimate: `lo` fails (or is 0), `hi` meets.
    let (mut lo, mut hi);
    let mut step = (estimate / 20).max(1);
    if eval(estimate, &mut points)? {
        hi = estimate;
        lo = estimate.saturating_sub(step);
        while lo > 0 && eval(lo, &mut points)? {
            hi = lo;
            step = step.saturating_mul(2);
            lo = lo.saturating_sub(step);
        }
    } else {
        lo = estimate;
        hi = estimate.saturating_add(step).min(ample);
        while !eval(hi, &mut points)? {
            lo = hi;
            step = step.saturating_mul(2);
            hi = hi.saturating_add(step).min(ample);
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if eval(mid, &mut points)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // Show the neighbour below the answer even when the bracket reached it from elsewhere.
    if hi > 1 {
        eval(hi - 1, &mut points)?;
    }
    Ok(answer(Some(hi), points))
}

/// The targets of a sizing question as the answer states them.
#[derive(Clone, Debug, Serialize)]
pub struct StatedTargets {
    /// Highest blocking per attempt, a fraction.
    pub max_blocking: Option<f64>,
    /// Highest bandwidth utilisation, a fraction.
    pub max_utilisation: Option<f64>,
    /// Longest login delay, seconds.
    pub max_login_delay_secs: Option<f64>,
    /// Date by which the enablement target must be met.
    pub enabled_by: Option<Date>,
}

/// A sizing question's answer with what produced it: the scenario, the lever and its unit,
/// the quantile, replications and seed, the targets.
#[derive(Clone, Debug, Serialize)]
pub struct SizeReport {
    /// The scenario's name.
    pub scenario: String,
    /// The lever's name: `capacity`, `licences`, `tokens_per_day`, `auth_per_minute`,
    /// `notebooks`, `hardware_tokens`.
    pub lever: &'static str,
    /// The sized pool's name, if the lever is a pool's.
    pub pool: Option<String>,
    /// What the lever's values count: `tunnels`, `hosts`, `sessions`, `licences`, ….
    pub unit: &'static str,
    /// Quantile over replications the targets are judged on.
    pub quantile: Quantile,
    /// Replications per value tried.
    pub replications: u32,
    /// Seed of every value tried (common random numbers).
    pub seed: u64,
    /// The targets.
    pub targets: StatedTargets,
    /// The days judged.
    pub window: crate::sim::Window,
    /// The least value that meets the targets, if one up to the bound does.
    pub capacity: Option<u64>,
    /// The closed-form starting estimate.
    pub estimate: u64,
    /// The bound searched up to.
    pub upper_bound: u64,
    /// What limited the rollout in the run at the bound.
    pub bottleneck_at_bound: Option<crate::sim::Constraint>,
    /// Every value simulated, in the order tried (the bound first).
    pub points: Vec<SizePoint>,
    /// The answer itself (not serialised again: its figures are above).
    #[serde(skip)]
    pub answer: SizeAnswer,
    /// Sessions per host of the sized pool (1 for tunnels and lines).
    #[serde(skip)]
    pub sessions_per_host: u64,
}

impl Lever {
    /// The lever's name in answers.
    pub fn name(self) -> &'static str {
        match self {
            Lever::Capacity { .. } => "capacity",
            Lever::Licences { .. } => "licences",
            Lever::TokensPerDay => "tokens_per_day",
            Lever::AuthPerMinute => "auth_per_minute",
            Lever::NotebookStock => "notebooks",
            Lever::TokenStock => "hardware_tokens",
        }
    }

    /// What the lever's values count in `model`, for people.
    pub fn unit(self, model: &Model) -> &'static str {
        match self {
            Lever::Capacity { pool } => match model.pools[pool].kind {
                crate::scenario::PoolKind::RemoteDesktop => "hosts",
                crate::scenario::PoolKind::Vpn => "tunnels",
                _ => "sessions",
            },
            Lever::Licences { .. } => "licences",
            Lever::TokensPerDay => "tokens per day",
            Lever::AuthPerMinute => "logins per minute",
            Lever::NotebookStock => "notebooks",
            Lever::TokenStock => "hardware tokens",
        }
    }
}

/// Asks [`size`] and states the answer with what produced it.
pub fn ask(
    model: &Model,
    q: &SizeQuestion,
    opts: &SimOptions,
    cancel: &AtomicBool,
    on_point: impl FnMut(&SizePoint),
) -> Result<SizeReport, SizeError> {
    let answer = size(model, q, opts, cancel, on_point)?;
    let pool = match q.lever {
        Lever::Capacity { pool } | Lever::Licences { pool } => Some(pool),
        _ => q.targets.pool,
    };
    Ok(SizeReport {
        scenario: model.name.clone(),
        lever: q.lever.name(),
        pool: pool.map(|p| model.pools[p].name.clone()),
        unit: q.lever.unit(model),
        quantile: q.quantile,
        replications: opts.replications.unwrap_or(model.replications),
        seed: opts.seed.unwrap_or(model.seed),
        targets: StatedTargets {
            max_blocking: q.targets.service.max_blocking,
            max_utilisation: q.targets.service.max_utilisation,
            max_login_delay_secs: q.targets.service.max_login_delay_secs,
            enabled_by: q.targets.enabled_by.map(|d| model.date(d)),
        },
        window: answer.window,
        capacity: answer.capacity,
        estimate: answer.estimate,
        upper_bound: answer.upper_bound,
        bottleneck_at_bound: answer.bottleneck_at_bound,
        points: answer.points.clone(),
        sessions_per_host: pool.map_or(1, |p| model.pools[p].sessions_per_host),
        answer,
    })
}
