//! Stationary workloads for checking the engine against teletraffic theory: Poisson arrivals
//! (Erlang B) or a finite population of sources (Engset), blocked attempts cleared.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand_distr::{Distribution as _, Exp1};

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::aggregate::ratio;
use super::calendar::Time as T;
use super::error::SimError;
use super::model::Model;
use super::model::StationaryModel;
use super::results::{PoolInfo, PoolSummary, SimResult, StationaryStats, Summary};
use super::rng::{Purpose, stream};
use super::window::Window;
use super::workers::Workers;
use crate::scenario::Quantile;
use crate::scenario::sampler::Sampler;
use crate::stats::Stat;

/// One replication of a stationary workload.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StationaryOutcome {
    /// Arrivals counted after the warm-up.
    pub attempts: u64,
    /// Of these, blocked.
    pub blocked: u64,
    /// Of these, admitted.
    pub admitted: u64,
    /// Most concurrent sessions after the warm-up.
    pub peak_sessions: u64,
    /// Time-average of busy servers after the warm-up (carried traffic, erlang).
    pub carried: f64,
}

/// One attempt, counted if `measured`: admitted while a line is free (`admit` queues its
/// departure), else blocked and cleared.
fn attempt(
    measured: bool,
    capacity: u64,
    busy: &mut u64,
    out: &mut StationaryOutcome,
    admit: impl FnOnce(),
) {
    if measured {
        out.attempts += 1;
    }
    if *busy < capacity {
        *busy += 1;
        admit();
        if measured {
            out.admitted += 1;
            out.peak_sessions = out.peak_sessions.max(*busy);
        }
    } else if measured {
        out.blocked += 1;
    }
}

/// Runs one replication of the model's stationary workload (if it has one).
pub fn run_stationary(model: &Model, seed: u64, replication: u64) -> Option<StationaryOutcome> {
    let st = model.stationary.as_ref()?;
    let capacity = model.pools.get(st.pool)?.admit_limit(0);
    let mut arrivals = stream(seed, Purpose::Arrivals, replication, 0);
    let mut holding = stream(seed, Purpose::Sessions, replication, 0);
    let end = st.warmup + st.duration;
    let mut out = StationaryOutcome::default();
    let mut busy: u64 = 0;
    let mut area = 0.0;
    let mut last = st.warmup;
    let account = |now: f64, busy: u64, area: &mut f64, last: &mut f64| {
        if now > st.warmup {
            let from = last.max(st.warmup);
            *area += busy as f64 * (now.min(end) - from).max(0.0);
            *last = now.min(end);
        }
    };
    match (st.rate, &st.sources) {
        (Some(rate), _) => {
            let mut departures: BinaryHeap<Reverse<T>> = BinaryHeap::new();
            let mut t = 0.0;
            loop {
                let gap: f64 = Exp1.sample(&mut arrivals);
                t += gap / rate;
                if t >= end {
                    break;
                }
                while let Some(&Reverse(T(d))) = departures.peek() {
                    if d > t {
                        break;
                    }
                    departures.pop();
                    account(d, busy, &mut area, &mut last);
                    busy -= 1;
                }
                account(t, busy, &mut area, &mut last);
                attempt(t >= st.warmup, capacity, &mut busy, &mut out, || {
                    departures.push(Reverse(T(t + st.holding.sample(&mut holding))));
                });
            }
            account(end, busy, &mut area, &mut last);
        }
        (None, Some((sources, Sampler::Exponential(mean_idle)))) => {
            // Exponential idle times are memoryless, so the idle sources together attempt as
            // one Poisson stream at (idle sources) / (mean idle time), redrawn after every
            // event: memory holds the busy sessions only, never one entry per source.
            let mut departures: BinaryHeap<Reverse<T>> = BinaryHeap::new();
            let mut t = 0.0;
            loop {
                let idle_sources = sources - busy;
                let next_attempt = if idle_sources > 0 && *mean_idle > 0.0 {
                    let gap: f64 = Exp1.sample(&mut arrivals);
                    t + gap * mean_idle / idle_sources as f64
                } else {
                    f64::INFINITY
                };
                let next_departure = departures.peek().map_or(f64::INFINITY, |r| (r.0).0);
                if next_departure <= next_attempt {
                    if next_departure >= end {
                        break;
                    }
                    departures.pop();
                    t = next_departure;
                    account(t, busy, &mut area, &mut last);
                    busy -= 1;
                    continue;
                }
                if next_attempt >= end {
                    break;
                }
                t = next_attempt;
                account(t, busy, &mut area, &mut last);
                attempt(t >= st.warmup, capacity, &mut busy, &mut out, || {
                    departures.push(Reverse(T(t + st.holding.sample(&mut holding))));
                });
            }
            account(end, busy, &mut area, &mut last);
        }
        (None, Some((sources, idle))) => {
            // Each source: idle → attempt; admitted → busy → idle; blocked → idle again.
            // Events: (time, source, is_departure).
            let mut events: BinaryHeap<Reverse<(T, u64, bool)>> = BinaryHeap::new();
            for s in 0..*sources {
                events.push(Reverse((T(idle.sample(&mut arrivals)), s, false)));
            }
            while let Some(Reverse((T(t), s, is_departure))) = events.pop() {
                if t >= end {
                    break;
                }
                account(t, busy, &mut area, &mut last);
                if is_departure {
                    busy -= 1;
                    events.push(Reverse((T(t + idle.sample(&mut arrivals)), s, false)));
                    continue;
                }
                let measured = t >= st.warmup;
                if measured {
                    out.attempts += 1;
                }
                if busy < capacity {
                    busy += 1;
                    events.push(Reverse((T(t + st.holding.sample(&mut holding)), s, true)));
                    if measured {
                        out.admitted += 1;
                        out.peak_sessions = out.peak_sessions.max(busy);
                    }
                } else {
                    if measured {
                        out.blocked += 1;
                    }
                    events.push(Reverse((T(t + idle.sample(&mut arrivals)), s, false)));
                }
            }
            account(end, busy, &mut area, &mut last);
        }
        _ => return None,
    }
    out.carried = if st.duration > 0.0 {
        area / st.duration
    } else {
        0.0
    };
    Some(out)
}

/// What a stationary run reports besides its outcomes.
pub(super) struct StationaryRun {
    pub(super) reps: u32,
    pub(super) seed: u64,
    pub(super) window: Window,
    pub(super) quantile: Quantile,
    pub(super) pools_info: Vec<PoolInfo>,
    pub(super) paths: Vec<String>,
    pub(super) path_pools: Vec<usize>,
}

/// Runs a stationary workload's replications in parallel and summarises them against the
/// closed form of its kind (Erlang B for Poisson arrivals, Engset for a finite population).
pub(super) fn simulate_stationary(
    model: &Model,
    st_model: &StationaryModel,
    run: StationaryRun,
    pool: &Workers,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<SimResult, SimError> {
    let StationaryRun {
        reps,
        seed,
        window,
        quantile,
        pools_info,
        paths,
        path_pools,
    } = run;
    let outcomes: Vec<StationaryOutcome> = pool.install(|| {
        (0..reps as u64)
            .into_par_iter()
            .map(|r| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(SimError::Interrupted);
                }
                let o = run_stationary(model, seed, r).unwrap_or_default();
                progress();
                Ok(o)
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    let st = st_model.pool;
    let capacity = model.pools.get(st).map_or(0, |p| p.admit_limit(0));
    let hold = st_model.holding.mean();
    let (offered, theory) = match (st_model.rate, &st_model.sources) {
        (Some(rate), _) => {
            let a = rate * hold;
            (a, crate::erlang::erlang_b(capacity, a).ok())
        }
        (None, Some((n, idle))) => {
            let beta = hold / idle.mean();
            (beta, crate::erlang::engset(capacity, *n, beta).ok())
        }
        _ => (0.0, None),
    };
    let col = |f: &dyn Fn(&StationaryOutcome) -> f64| {
        Stat::from_values(&outcomes.iter().map(f).collect::<Vec<_>>())
    };
    let stationary = StationaryStats {
        capacity,
        blocking_probability: col(&|o| ratio(o.blocked, o.attempts)),
        carried_erlang: col(&|o| o.carried),
        attempts: col(&|o| o.attempts as f64),
        peak_sessions: col(&|o| o.peak_sessions as f64),
        theory: if st_model.rate.is_some() {
            "erlang_b"
        } else {
            "engset"
        },
        offered_erlang: offered,
        theory_blocking: theory,
    };
    let pool_summary = PoolSummary {
        name: model
            .pools
            .get(st)
            .map_or_else(String::new, |p| p.name.clone()),
        capacity_busiest: capacity,
        peak_sessions_busiest: stationary.peak_sessions,
        worst_blocking: None,
        worst_occupancy: None,
        worst_bandwidth_utilisation: None,
        blocked_attempts_total: col(&|o| o.blocked as f64).mean,
        gave_up_total: col(&|o| o.blocked as f64).mean,
        days_with_blocking: 0,
        interruptions: None,
    };
    Ok(SimResult {
        scenario: model.name.clone(),
        seed,
        replications: reps,
        pools: pools_info,
        paths,
        path_pools,
        summary: Summary {
            window,
            quantile,
            busiest_day: None,
            remote_workers_busiest: Stat::default(),
            first_binds: Vec::new(),
            target_met: None,
            pools: vec![pool_summary],
            worst_login_delay: None,
            staff_chain: None,
        },
        timeline: Vec::new(),
        curve: None,
        stationary: Some(stationary),
        replay: Vec::new(),
        uncertain: None,
    })
}
