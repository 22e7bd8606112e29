//! Monte Carlo: replications in parallel, aggregated in replication order (the result types
//! are in [`super::results`]).

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::scenario::Quantile;
use crate::stats::Stat;
use crate::units::Date;

use super::aggregate::{Aggregator, CurveAcc, RepDays};
use super::days::{DayMetric, busiest_day, worst_day};
pub use super::error::SimError;
use super::model::Model;
use super::results::{
    CurveChoice, DayStats, FirstBind, GroupChain, PoolInfo, PoolSummary, SimResult, Summary,
};
use super::reuse::{DayReuse, KeptDay, MAX_REUSE_BYTES};
use super::rollout::{Constraint, run_rollout};
use super::stationary::{StationaryRun, simulate_stationary};
use super::window::{Window, WorstDay};
use super::workday::{Buffers, CurveRecord, DayOutcome, PoolDay, run_workday};
use super::workers::Workers;

/// How to run a simulation.
#[derive(Clone, Debug, Default)]
pub struct SimOptions {
    /// Replications (default: the scenario's).
    pub replications: Option<u32>,
    /// Seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// Day whose load curve to record (default: the worst blocking day, else the busiest day).
    pub curve_day: Option<Date>,
    /// Days judged, replacing the scenario's service-level window; a missing end is the
    /// horizon's (default: the scenario's window, else the whole horizon).
    pub window: Option<crate::scenario::JudgedWindow>,
    /// Quantile worst days are chosen at (default: the scenario's service level's, else P95).
    pub quantile: Option<Quantile>,
    /// Run the rollouts only: no workday is simulated, so every session figure is empty.
    /// For questions that read only rollout figures (enabled staff, remote workers).
    pub rollout_only: bool,
    /// Draw no load curve (`SimResult::curve` is `None`): for outputs and questions that read
    /// none. Every other figure is the same.
    pub skip_curve: bool,
    /// Workdays of a reference run that this run may take instead of simulating them (see
    /// [`super::reuse`]): the caller vouches that this run differs from the reference only by
    /// a smaller capacity of the reference's pool. Every figure is the same as without.
    pub reuse: Option<std::sync::Arc<DayReuse>>,
}

/// Workdays taken from a reference run (for the test that reuse happens at all).
#[cfg(test)]
pub(super) static DAYS_TAKEN: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// What a replication does with reference days: take them, keep its own, or neither.
#[derive(Clone, Copy)]
pub(super) enum Reuse<'a> {
    None,
    Take(&'a DayReuse),
    Keep,
}

/// Workdays simulated in one go on one thread: a run of consecutive workdays whose sessions
/// carry over midnight (groups with shifts), else a single workday. Days before a chain's
/// last day whose logins are not simulated (`peak_day` with shifts) run for their carry-over
/// only. Chains are independent given the rollout, so they run in parallel, and they are the
/// unit a shard takes ([`super::shard`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Chain {
    pub(super) first: usize,
    pub(super) last: usize,
}

/// Whether day `day`'s logins are simulated (or would be, with any pool users).
fn logins(model: &Model, only_day: Option<usize>, day: usize) -> bool {
    model.workday[day] && only_day.is_none_or(|o| o == day)
}

/// The chains of one replication, in day order (the same for every replication: the
/// calendar is no uncertain input).
pub(super) fn chains(model: &Model, only_day: Option<usize>) -> Vec<Chain> {
    if model.slots.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Chain> = Vec::new();
    for day in (0..model.days).filter(|&d| logins(model, only_day, d)) {
        match out.last_mut() {
            Some(c) if model.carry_over && c.last + 1 == day => c.last = day,
            _ => out.push(Chain {
                first: if model.carry_over {
                    model.chain_start(day)
                } else {
                    day
                },
                last: day,
            }),
        }
    }
    out
}

/// Day `day`'s outcome before the rollout's chains run: a placeholder (nothing allocated) for
/// a day a chain will simulate and fill in, else the day as it stays, every pool at zero.
pub(super) fn blank_day(model: &Model, only_day: Option<usize>, day: usize) -> DayOutcome {
    if logins(model, only_day, day) && !model.slots.is_empty() {
        DayOutcome::default()
    } else {
        DayOutcome {
            pools: vec![PoolDay::default(); model.pools.len()],
            ..Default::default()
        }
    }
}

/// One replication's rollout: every day's rollout figures, and empty workdays where the
/// chains will put theirs.
pub(super) fn rollout_part(
    base: &Model,
    seed: u64,
    rep: u64,
    only_day: Option<usize>,
    keep: bool,
    cancel: &AtomicBool,
) -> Result<RepDays, SimError> {
    // With uncertain inputs, the replication runs on its own draw of them.
    let variant = base.variant(seed, rep);
    let model = variant.as_ref().map_or(base, |v| &v.0);
    let mut out = RepDays {
        enabled: Vec::with_capacity(model.days),
        demand: Vec::with_capacity(model.days),
        remote: Vec::with_capacity(model.days),
        bottleneck: Vec::with_capacity(model.days),
        first_bind: [None; 8],
        target_met: Vec::with_capacity(model.days),
        days: Vec::with_capacity(model.days),
        curve: None,
        variant: None,
        kept: Vec::new(),
    };
    let mut failure = None;
    run_rollout(model, seed, rep, |day, r| {
        if failure.is_some() || cancel.load(Ordering::Relaxed) {
            return;
        }
        out.enabled.push(r.enabled.clone());
        out.demand.push(r.demand);
        out.remote.push(r.remote.clone());
        out.bottleneck.push(r.bottleneck());
        for (i, &held) in r.held_back.iter().enumerate() {
            if held > 0 && out.first_bind[i].is_none() {
                out.first_bind[i] = Some(day);
            }
        }
        out.target_met.push(r.target_met);
        let outcome = blank_day(model, only_day, day);
        // A day no chain simulates is checked here, as it stays.
        if !outcome.pools.is_empty()
            && let Err(e) = check_conservation(
                model,
                day,
                logins(model, only_day, day),
                &outcome,
                &r.remote,
            )
        {
            failure = Some(e);
        }
        out.days.push(outcome);
    });
    if cancel.load(Ordering::Relaxed) {
        return Err(SimError::Interrupted);
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if keep {
        out.kept = (0..model.days).map(|_| None).collect();
    }
    out.variant = variant.map(|(m, draws)| Box::new((m, draws)));
    Ok(out)
}

/// What a chain gives its replication: the outcomes of its simulated days in day order, the
/// load curve if it holds the recorded day, and its days kept for reuse.
#[derive(Default)]
pub(super) struct ChainDays {
    pub(super) days: Vec<DayOutcome>,
    pub(super) curve: Option<CurveRecord>,
    pub(super) kept: Vec<Option<KeptDay>>,
}

/// Where chain `c`'s simulated days go in its replication's days.
pub(super) fn simulated_days(
    model: &Model,
    only_day: Option<usize>,
    c: Chain,
) -> impl Iterator<Item = usize> {
    (c.first..=c.last).filter(move |&d| logins(model, only_day, d))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn run_chain(
    model: &Model,
    seed: u64,
    rep: u64,
    chain: Chain,
    only_day: Option<usize>,
    remote: &[Vec<u64>],
    record_day: Option<usize>,
    reuse: Reuse,
    cancel: &AtomicBool,
) -> Result<ChainDays, SimError> {
    if cancel.load(Ordering::Relaxed) {
        return Err(SimError::Interrupted);
    }
    let mut out = ChainDays::default();
    Buffers::with_thread_buffers(|buf| {
        // Whether the last day was taken from the reference: with shifts, a day may be taken
        // only if the night before it was too (or was not simulated), so its carry-over is
        // the same.
        let mut last_taken: Option<usize> = None;
        for (day, remote_day) in remote
            .iter()
            .enumerate()
            .take(chain.last + 1)
            .skip(chain.first)
        {
            if !logins(model, only_day, day) {
                // The night before the one day simulated: for its carry-over only.
                run_workday(model, seed, rep, day, remote_day, buf, None);
                continue;
            }
            let taken = match reuse {
                Reuse::Take(from)
                    if model.plain
                        && record_day != Some(day)
                        && (!model.carry_over
                            || day == 0
                            || buf.carry_day() != Some(day - 1)
                            || last_taken == Some(day - 1)) =>
                {
                    from.usable(seed, rep, day, model.pools[from.pool].admit_limit(day))
                }
                _ => None,
            };
            let outcome = if let Some(kept) = taken {
                #[cfg(test)]
                DAYS_TAKEN.fetch_add(1, Ordering::Relaxed);
                if model.carry_over {
                    buf.set_carried(day, &kept.carry);
                }
                last_taken = Some(day);
                kept.outcome.clone()
            } else if record_day == Some(day) {
                let mut c = new_curve(model);
                let o = run_workday(model, seed, rep, day, remote_day, buf, Some(&mut c));
                out.curve = Some(c);
                o
            } else {
                run_workday(model, seed, rep, day, remote_day, buf, None)
            };
            check_conservation(model, day, true, &outcome, remote_day)?;
            if matches!(reuse, Reuse::Keep) {
                out.kept.push(Some(KeptDay {
                    outcome: outcome.clone(),
                    carry: if model.carry_over {
                        buf.carried()
                    } else {
                        Vec::new()
                    },
                }));
            }
            out.days.push(outcome);
        }
        Ok(out)
    })
}

/// Conservation over every day of a replication put together from a run's parts.
pub(super) fn check_days(
    model: &Model,
    only_day: Option<usize>,
    r: &RepDays,
) -> Result<(), SimError> {
    for (day, (o, remote)) in r.days.iter().zip(&r.remote).enumerate() {
        check_conservation(model, day, logins(model, only_day, day), o, remote)?;
    }
    Ok(())
}

/// Puts a chain's days into its replication.
pub(super) fn place(
    model: &Model,
    only_day: Option<usize>,
    chain: Chain,
    rep: &mut RepDays,
    c: ChainDays,
) {
    let mut kept = c.kept.into_iter();
    for (day, outcome) in simulated_days(model, only_day, chain).zip(c.days) {
        rep.days[day] = outcome;
        if let Some(k) = kept.next() {
            rep.kept[day] = k;
        }
    }
    if c.curve.is_some() {
        rep.curve = c.curve;
    }
}

/// Runs replications `reps` (rollouts, then every chain of every replication in parallel)
/// and returns them in replication order.
fn run_batch(
    model: &Model,
    seed: u64,
    reps: std::ops::Range<u64>,
    prep: &Prepared,
    reuse: Reuse,
    cancel: &AtomicBool,
) -> Result<Vec<RepDays>, SimError> {
    let keep = matches!(reuse, Reuse::Keep);
    let (chains, only_day, record_day) = (&prep.chains, prep.only_day, prep.record_day);
    prep.pool.install(|| {
        let mut outs: Vec<RepDays> = reps
            .clone()
            .into_par_iter()
            .map(|r| rollout_part(model, seed, r, only_day, keep, cancel))
            .collect::<Result<Vec<_>, _>>()?;
        let items: Vec<(usize, Chain)> = (0..outs.len())
            .flat_map(|i| chains.iter().map(move |&c| (i, c)))
            .collect();
        let done: Vec<Result<ChainDays, SimError>> = items
            .par_iter()
            .map(|&(i, c)| {
                let o = &outs[i];
                let m = o.variant.as_ref().map_or(model, |v| &v.0);
                run_chain(
                    m,
                    seed,
                    reps.start + i as u64,
                    c,
                    only_day,
                    &o.remote,
                    record_day,
                    reuse,
                    cancel,
                )
            })
            .collect();
        for (&(i, c), d) in items.iter().zip(done) {
            place(model, only_day, c, &mut outs[i], d?);
        }
        Ok(outs)
    })
}

/// The workday with the most remote workers (mean over replications; ties go to the earliest),
/// from the rollouts alone.
fn peak_remote_day(
    model: &Model,
    seed: u64,
    reps: u32,
    pool: &Workers,
    cancel: &AtomicBool,
) -> Result<Option<usize>, SimError> {
    // Sums are exact in any order, so replications fold as they finish: memory is one vector
    // of days per thread, not per replication.
    let totals: Vec<u128> = pool.install(|| {
        (0..u64::from(reps))
            .into_par_iter()
            .map(|r| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(SimError::Interrupted);
                }
                let mut per_day = vec![0u128; model.days];
                let model = &*model.for_replication(seed, r);
                run_rollout(model, seed, r, |day, d| {
                    per_day[day] = d.remote.iter().map(|&n| u128::from(n)).sum();
                });
                Ok(per_day)
            })
            .try_reduce(
                || vec![0u128; model.days],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                    Ok(a)
                },
            )
    })?;
    Ok((0..model.days)
        .filter(|&d| model.workday[d])
        .map(|d| (d, totals[d]))
        .fold(None::<(usize, u128)>, |best, (d, v)| match best {
            Some((_, bv)) if bv >= v => best,
            _ => Some((d, v)),
        })
        .map(|(d, _)| d))
}

/// Conservation laws that must hold in every run.
fn check_conservation(
    model: &Model,
    day: usize,
    logins: bool,
    o: &DayOutcome,
    remote: &[u64],
) -> Result<(), SimError> {
    for (pi, p) in o.pools.iter().enumerate() {
        let users: u64 = model
            .slots
            .iter()
            .zip(remote)
            .filter(|(s, _)| s.pool == pi)
            .map(|(_, r)| r)
            .sum();
        let fail = |detail: String| SimError::Conservation {
            date: model.date(day),
            pool: model.pools[pi].name.clone(),
            detail,
        };
        if p.attempts != p.admitted + p.blocked {
            return Err(fail(format!(
                "attempts {} ≠ admitted {} + blocked {}",
                p.attempts, p.admitted, p.blocked
            )));
        }
        if logins && p.users != users {
            return Err(fail(format!(
                "{} users logged in but {} worked remotely",
                p.users, users
            )));
        }
        // Every user's first try and every interrupted session's reconnect ends admitted or
        // given up.
        let interrupted = p.dropped + p.timed_out + p.paused;
        if p.users + interrupted != p.admitted + p.gave_up {
            return Err(fail(format!(
                "users {} + interrupted {interrupted} ≠ admitted {} + gave up {}",
                p.users, p.admitted, p.gave_up
            )));
        }
        let reconnected = p.reconnect_attempts - p.reconnect_blocked;
        if interrupted != reconnected + p.reconnect_gave_up {
            return Err(fail(format!(
                "interrupted {interrupted} ≠ reconnected {reconnected} + gave up reconnecting {}",
                p.reconnect_gave_up
            )));
        }
        if p.peak_sessions > model.pools[pi].admit_limit(day) {
            return Err(fail(format!("peak {} above capacity", p.peak_sessions)));
        }
    }
    Ok(())
}

/// Runs the simulation. `progress` is called once per finished replication; `cancel` stops
/// the run early with [`SimError::Interrupted`].
pub fn simulate(
    model: &Model,
    opts: &SimOptions,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<SimResult, SimError> {
    run(model, opts, progress, cancel, None).map(|(r, _)| r)
}

/// Runs the simulation and keeps its workdays for reuse by runs at smaller capacities of
/// `pool` ([`SimOptions::reuse`]); `None` when the model cannot reuse days (see
/// [`super::reuse`]) or they would take more than [`MAX_REUSE_BYTES`].
pub fn simulate_keeping_days(
    model: &Model,
    opts: &SimOptions,
    pool: usize,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<(SimResult, Option<DayReuse>), SimError> {
    run(model, opts, progress, cancel, Some(pool))
}

/// What every workday run settles before its first replication.
pub(super) struct Prepared {
    pub(super) reps: u32,
    pub(super) seed: u64,
    pub(super) pool: Workers,
    window: Window,
    quantile: Quantile,
    /// The one day whose logins are simulated (`peak_day`; `usize::MAX` for rollouts only).
    pub(super) only_day: Option<usize>,
    /// The day whose load curve is recorded in the main pass.
    pub(super) record_day: Option<usize>,
    /// Workdays whose logins are simulated.
    workdays: usize,
    pub(super) chains: Vec<Chain>,
}

/// Checks the options against the model and settles the run's days: the login day of a
/// `peak_day` model (a pass of rollouts), the recorded day, the chains. `None` for a
/// stationary model (see [`simulate_stationary`]).
pub(super) fn prepare(
    model: &Model,
    opts: &SimOptions,
    cancel: &AtomicBool,
) -> Result<Prepared, SimError> {
    let reps = opts.replications.unwrap_or(model.replications).max(1);
    let seed = opts.seed.unwrap_or(model.seed);
    // Everyone who could work remotely, as a bound on a thread's workday buffers.
    let staff: u64 = model.groups.iter().map(|g| g.headcount).sum();
    let small = staff.saturating_mul(super::workday::BYTES_PER_REMOTE_WORKER)
        <= super::workers::KEPT_BUFFER_BYTES;
    let pool = Workers::new(opts.threads, small)?;
    let (start, end) = (model.start, model.date(model.days - 1));
    if let Some(day) = opts.curve_day
        && model.day_of(day).is_none()
    {
        return Err(SimError::DayOutsideHorizon { day, start, end });
    }
    let window = opts.window.map_or(model.window, |w| Window {
        from: w.from.unwrap_or(start),
        to: w.to.unwrap_or(end),
    });
    if window.from < start || window.to > end || window.from > window.to {
        return Err(SimError::WindowOutsideHorizon {
            from: window.from,
            to: window.to,
            start,
            end,
        });
    }
    let quantile = opts.quantile.unwrap_or(model.quantile);
    if model.stationary.is_some() {
        return Ok(Prepared {
            reps,
            seed,
            pool,
            window,
            quantile,
            only_day: None,
            record_day: None,
            workdays: 0,
            chains: Vec::new(),
        });
    }
    // When the reported day is known before the run (given, or the only workday), its curve is
    // recorded in the same pass; otherwise a second pass re-runs just that day.
    // With `login_simulation: peak_day`, a cheap first pass runs the rollouts alone to find the
    // workday with the most remote workers; only that day's logins are then simulated.
    let only_day = match model.login_simulation {
        // No day is the login day: every workday's logins are skipped.
        _ if opts.rollout_only => Some(usize::MAX),
        crate::scenario::LoginSimulation::EveryWorkday => None,
        crate::scenario::LoginSimulation::PeakDay => {
            peak_remote_day(model, seed, reps, &pool, cancel)?
        }
    };
    let workdays: Vec<usize> = (0..model.days)
        .filter(|&d| logins(model, only_day, d))
        .collect();
    let record_day = opts
        .curve_day
        .and_then(|d| model.day_of(d))
        .or(match workdays.as_slice() {
            [only] => Some(*only),
            _ => None,
        })
        .filter(|_| !opts.skip_curve);
    Ok(Prepared {
        reps,
        seed,
        pool,
        window,
        quantile,
        only_day,
        record_day,
        workdays: workdays.len(),
        chains: chains(model, only_day),
    })
}

fn run(
    model: &Model,
    opts: &SimOptions,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
    keep_for: Option<usize>,
) -> Result<(SimResult, Option<DayReuse>), SimError> {
    let prep = prepare(model, opts, cancel)?;
    if let Some(st_model) = model.stationary.as_ref() {
        return simulate_stationary(
            model,
            st_model,
            StationaryRun {
                reps: prep.reps,
                seed: prep.seed,
                window: prep.window,
                quantile: prep.quantile,
                pools_info: pools_info(model),
                paths: model.paths.iter().map(|p| p.name.clone()).collect(),
                path_pools: model.paths.iter().map(|p| p.pool).collect(),
            },
            &prep.pool,
            progress,
            cancel,
        )
        .map(|r| (r, None));
    }
    let (reps, seed) = (prep.reps, prep.seed);
    // Replications run in parallel a batch at a time and are folded in replication order, so
    // memory holds one batch, and results do not depend on the thread count.
    let mut agg = Aggregator::new(model, reps, prep.only_day, prep.record_day);
    let keep_for = keep_for.filter(|&p| {
        let per_day =
            size_of::<Option<KeptDay>>() + model.pools.len() * size_of::<super::workday::PoolDay>();
        p < model.pools.len()
            && model.plain
            && (u64::from(reps) * prep.workdays as u64).saturating_mul(per_day as u64)
                <= MAX_REUSE_BYTES
    });
    let reuse = match (&opts.reuse, keep_for) {
        (_, Some(_)) => Reuse::Keep,
        (Some(from), None) => Reuse::Take(from),
        (None, None) => Reuse::None,
    };
    let mut kept: Vec<Vec<Option<KeptDay>>> = Vec::new();
    let mut kept_bytes = 0u64;
    let batch_len = batch_size(prep.pool.threads());
    for batch in (0..u64::from(reps)).step_by(batch_len) {
        let end = (batch + batch_len as u64).min(u64::from(reps));
        let outs = run_batch(model, seed, batch..end, &prep, reuse, cancel)?;
        for mut r in outs {
            progress();
            let m = r.variant.as_ref().map_or(model, |v| &v.0);
            agg.add(m, &r);
            if keep_for.is_some() && kept_bytes <= MAX_REUSE_BYTES {
                // The carried sessions count too (the estimate above could not see them).
                kept_bytes += r
                    .kept
                    .iter()
                    .flatten()
                    .map(|k| 16 * k.carry.len() as u64)
                    .sum::<u64>();
                kept.push(std::mem::take(&mut r.kept));
                if kept_bytes > MAX_REUSE_BYTES {
                    kept = Vec::new();
                }
            }
        }
    }
    let keep_for = keep_for.filter(|_| kept_bytes <= MAX_REUSE_BYTES);
    let kept = keep_for.map(|pool| DayReuse {
        pool,
        seed,
        days: kept,
    });
    Ok((finish(model, opts, &prep, agg, cancel)?, kept))
}

fn pools_info(model: &Model) -> Vec<PoolInfo> {
    model
        .pools
        .iter()
        .map(|p| PoolInfo {
            name: p.name.clone(),
            kind: p.kind,
        })
        .collect()
}

/// The result of a run whose replications are all folded into `agg`: the timeline, the
/// summary, the chart day and its curve (recorded in the main pass, or by a second pass now).
pub(super) fn finish(
    model: &Model,
    opts: &SimOptions,
    prep: &Prepared,
    mut agg: Aggregator,
    cancel: &AtomicBool,
) -> Result<SimResult, SimError> {
    let (reps, seed, window, quantile) = (prep.reps, prep.seed, prep.window, prep.quantile);
    let timeline = agg.timeline(model);
    let summary = summarise(model, &agg, &timeline, window, quantile);
    let busiest_index = summary.busiest_day.and_then(|d| model.day_of(d));
    // The chart day: the one asked for, else the worst blocking day of any pool, else the
    // busiest day.
    let worst_blocking = summary
        .pools
        .iter()
        .filter_map(|p| p.worst_blocking.map(|w| (p.name.clone(), w)))
        .filter(|(_, w)| w.stat.mean > 0.0 || w.value > 0.0)
        .fold(None::<(String, WorstDay)>, |best, (name, w)| match best {
            Some((_, b)) if b.value > w.value || (b.value == w.value && b.date <= w.date) => best,
            _ => Some((name, w)),
        });
    let (curve_day, why) = match (opts.curve_day.and_then(|d| model.day_of(d)), worst_blocking) {
        (Some(d), _) => (Some(d), CurveChoice::Requested),
        (None, Some((pool, w))) => (
            model.day_of(w.date),
            CurveChoice::WorstBlocking {
                pool,
                value: w.value,
            },
        ),
        (None, None) => (busiest_index, CurveChoice::Busiest),
    };

    let curve = match curve_day {
        _ if opts.skip_curve => None,
        Some(day) if model.workday[day] && prep.record_day == Some(day) => {
            agg.curve.as_ref().map(|c| c.finish(model, why))
        }
        Some(day) if model.workday[day] && !opts.rollout_only => {
            Some(record_curve(model, seed, reps, day, &prep.pool, cancel)?.finish(model, why))
        }
        _ => None,
    };

    Ok(SimResult {
        scenario: model.name.clone(),
        seed,
        replications: reps,
        pools: pools_info(model),
        paths: model.paths.iter().map(|p| p.name.clone()).collect(),
        path_pools: model.paths.iter().map(|p| p.pool).collect(),
        summary,
        timeline,
        curve,
        stationary: None,
        replay: agg.replay(model),
        uncertain: agg.samples.take(),
    })
}

/// The summary over the judged days: the busiest day, each pool's worst days and totals, what
/// bound first, when the enablement target was met.
fn summarise(
    model: &Model,
    agg: &Aggregator,
    timeline: &[DayStats],
    window: Window,
    quantile: Quantile,
) -> Summary {
    let busiest = busiest_day(timeline, window).map(|d| d.date);
    let busiest_index = busiest.and_then(|d| model.day_of(d));
    let worst = |metric, pi| worst_day(timeline, window, metric, pi, quantile);
    let summary_pools: Vec<PoolSummary> = model
        .pools
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let judged = || super::days::judged_days(timeline, window).map(|d| &d.pools[pi]);
            PoolSummary {
                name: p.name.clone(),
                capacity_busiest: busiest_index.map_or(0, |d| p.admit_limit(d)),
                peak_sessions_busiest: busiest_index
                    .map_or_else(Stat::default, |d| timeline[d].pools[pi].peak_sessions),
                worst_blocking: worst(DayMetric::BlockingProbability, pi),
                worst_occupancy: worst(DayMetric::Occupancy, pi),
                worst_bandwidth_utilisation: worst(DayMetric::BandwidthUtilisation, pi),
                blocked_attempts_total: judged().map(|d| d.blocked_attempts.mean).sum(),
                gave_up_total: judged().map(|d| d.gave_up.mean).sum(),
                days_with_blocking: judged().filter(|d| d.blocked_attempts.mean > 0.0).count()
                    as u32,
                interruptions: model.interrupts(p).then(|| {
                    let sum = |f: fn(&super::results::Interruptions) -> f64| {
                        judged()
                            .filter_map(|d| d.interruptions.as_ref())
                            .map(f)
                            .sum()
                    };
                    super::results::InterruptionTotals {
                        dropped: sum(|o| o.dropped.mean),
                        timed_out: sum(|o| o.timed_out.mean),
                        paused: sum(|o| o.paused.mean),
                        reconnect_blocked: sum(|o| o.reconnect_blocked.mean),
                        reconnect_gave_up: sum(|o| o.reconnect_gave_up.mean),
                    }
                }),
            }
        })
        .collect();
    let mut first_binds: Vec<FirstBind> = Constraint::ALL
        .iter()
        .filter_map(|&c| {
            let days = &agg.first_bind[c.index()];
            let share = days.share();
            if share == 0.0 {
                return None;
            }
            let med = days.quantile(0.5);
            Some(FirstBind {
                constraint: c,
                date: med.is_finite().then(|| model.date(med as usize)),
                share_of_replications: share,
            })
        })
        .collect();
    // What ran out first comes first; constraints that bound in too few replications to date
    // go last.
    first_binds.sort_by_key(|f| (f.date.is_none(), f.date));
    let target_med = agg.target_met.quantile(0.5);

    Summary {
        window,
        quantile,
        busiest_day: busiest,
        remote_workers_busiest: busiest_index
            .map_or_else(Stat::default, |d| timeline[d].remote_workers),
        first_binds,
        target_met: target_med
            .is_finite()
            .then(|| model.date(target_med as usize)),
        pools: summary_pools,
        worst_login_delay: worst_day(timeline, window, DayMetric::LoginDelayMax, 0, quantile),
        staff_chain: staff_chain(model, busiest_index.unwrap_or(model.days.saturating_sub(1))),
    }
}

/// The chain of shares behind each group's staff at home, on day `day` (see [`StaffChain`]).
fn staff_chain(model: &Model, day: usize) -> Option<super::results::StaffChain> {
    let phase = &model.phases[*model.phase_of_day.get(day)?];
    let date = model.date(day);
    // Phases in force before the day: the staff their targets enabled stay enabled.
    let mut earlier: Vec<usize> = model.phase_of_day[..day].to_vec();
    earlier.sort_unstable();
    earlier.dedup();
    let enabled_at_start = model.enabled_at_start();
    let groups = model
        .groups
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let enable_target = phase.enable_target[gi];
            let remote_share = phase.share_on(gi, date.weekday());
            let target_staff = model.enable_goal(phase, gi);
            let enabled_at_start = enabled_at_start[gi];
            let enabled_by_earlier_phases = earlier
                .iter()
                .map(|&p| model.enable_goal(&model.phases[p], gi))
                .max()
                .unwrap_or(0);
            let enabled_goal = target_staff
                .max(enabled_at_start)
                .max(enabled_by_earlier_phases);
            GroupChain {
                group: g.name.clone(),
                headcount: g.headcount,
                remote_suitable: g.suitable_share,
                suitable: g.suitable,
                enable_target,
                target_staff,
                enabled_at_start,
                enabled_by_earlier_phases,
                enabled_goal,
                remote_share,
                at_home: enabled_goal as f64 * remote_share,
                demand: g.suitable as f64 * remote_share,
            }
        })
        .collect();
    Some(super::results::StaffChain {
        date,
        phase: phase.name.clone(),
        groups,
    })
}

/// Replications run in parallel between two folds: a few per thread, so memory holds a few
/// replications' day records per thread; results do not depend on it.
pub(super) fn batch_size(threads: usize) -> usize {
    (4 * threads.max(1)).min(64)
}

/// The load curve of a day chosen after the run (the worst blocking day or the busiest day): each replication's rollout is
/// re-run up to that day and the day's logins replayed with a recorder. The streams are keyed
/// by replication and day, so this is the same day the main pass simulated.
fn record_curve(
    model: &Model,
    seed: u64,
    reps: u32,
    day: usize,
    pool: &Workers,
    cancel: &AtomicBool,
) -> Result<CurveAcc, SimError> {
    let mut acc = CurveAcc::new(day, reps);
    let batch_len = batch_size(pool.threads());
    for batch in (0..u64::from(reps)).step_by(batch_len) {
        let end = (batch + batch_len as u64).min(u64::from(reps));
        let curves: Vec<CurveRecord> = pool.install(|| {
            (batch..end)
                .into_par_iter()
                .map(|r| {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(SimError::Interrupted);
                    }
                    let mut remote = Vec::new();
                    let model = &*model.for_replication(seed, r);
                    // With shifts, the nights before the day carry sessions into it: replay
                    // the run of workdays leading up to it, as the main pass ran them.
                    let first = if model.carry_over {
                        model.chain_start(day)
                    } else {
                        day
                    };
                    Buffers::with_thread_buffers(|buf| {
                        run_rollout(model, seed, r, |d, out| {
                            if d == day {
                                remote = out.remote.clone();
                            } else if (first..day).contains(&d) {
                                run_workday(model, seed, r, d, &out.remote, buf, None);
                            }
                        });
                        let mut c = new_curve(model);
                        run_workday(model, seed, r, day, &remote, buf, Some(&mut c));
                        Ok(c)
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })?;
        for c in &curves {
            acc.add(c);
        }
    }
    Ok(acc)
}

fn new_curve(model: &Model) -> CurveRecord {
    super::workday::new_curve(model.pools.len(), model.interval_secs)
}
