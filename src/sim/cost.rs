//! What a run will cost, estimated from the model before any work: remote-worker-days to
//! simulate and memory, shared and per worker thread. The edge warns or refuses with it and
//! lowers the thread count when memory, not cores, is the bound.
//!
//! Each structure's share is computed beside the structure (`Aggregator::bytes_bound`,
//! `RepDays::bytes_bound`, [`crate::stats::Acc::heap_bytes_after`],
//! [`super::workday::BYTES_PER_REMOTE_WORKER`]); this module adds them up for one run.

use serde::Serialize;

use super::aggregate::{Aggregator, RepDays};
use super::model::Model;
use super::rollout::run_rollout;
use super::runner::{SimOptions, batch_size};
use super::stationary::StationaryOutcome;
use super::workday::{BYTES_PER_REMOTE_WORKER, CurveRecord};
use crate::scenario::LoginSimulation;
use crate::stats::Stat;

/// Memory of the program itself, the parsed scenario and the model, before any run.
const BASE_BYTES: u64 = 16 << 20;

/// The estimated cost of one run, before it starts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostEstimate {
    /// Replications.
    pub replications: u32,
    /// Days whose logins are simulated in each replication.
    pub simulated_days: u64,
    /// Remote workers summed over the simulated days of one replication (from the first
    /// replication's rollout; others differ by chance).
    pub remote_worker_days: u64,
    /// Remote workers on the busiest day, with a margin: the first replication's busiest day
    /// plus 10% and 1,000, at most every remote-suitable or already enabled person. One
    /// thread's workday buffers are sized for it.
    pub remote_workers_max: u64,
    /// Worker threads the run would keep busy (never more than its replications' chains of
    /// workdays).
    pub threads: usize,
    /// Bytes independent of the thread count: the program and model, the accumulators over
    /// replications and the result.
    pub shared_bytes: u64,
    /// Bytes each worker thread adds: its workday buffers and the day records of the
    /// replications it has in flight.
    pub per_thread_bytes: u64,
}

impl CostEstimate {
    /// Remote-worker-days over all replications: the work of the login simulation.
    pub fn work(&self) -> u128 {
        u128::from(self.remote_worker_days) * u128::from(self.replications)
    }

    /// Peak bytes with `threads` worker threads.
    pub fn bytes_with(&self, threads: usize) -> u64 {
        self.shared_bytes
            .saturating_add(self.per_thread_bytes.saturating_mul(threads as u64))
    }

    /// Peak bytes with the threads it would use.
    pub fn bytes(&self) -> u64 {
        self.bytes_with(self.threads)
    }

    /// The most threads (at most [`CostEstimate::threads`]) that keep the run within `limit`
    /// bytes, or `None` if even one thread does not.
    pub fn threads_within(&self, limit: u64) -> Option<usize> {
        if self.bytes_with(1) > limit {
            return None;
        }
        let spare = limit - self.shared_bytes;
        let fit = (spare / self.per_thread_bytes.max(1)).max(1);
        Some(self.threads.min(usize::try_from(fit).unwrap_or(usize::MAX)))
    }
}

/// Estimates a run of `model` with `opts` without running it (one rollout, no logins).
pub fn estimate(model: &Model, opts: &SimOptions) -> CostEstimate {
    let reps = opts.replications.unwrap_or(model.replications).max(1);
    // Each chain of workdays is a task of its own, so even one replication keeps as many
    // threads busy as it has chains (a `peak_day` run simulates one).
    let chains = match model.login_simulation {
        LoginSimulation::EveryWorkday if model.stationary.is_none() => {
            super::runner::chains(model, None).len().max(1)
        }
        _ => 1,
    };
    let threads = opts
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .clamp(1, (reps as usize).saturating_mul(chains));
    let reps_in_flight = batch_size(threads).min(reps as usize) as u64;
    let in_flight_per_thread = reps_in_flight.div_ceil(threads as u64);

    if let Some(st) = model.stationary.as_ref() {
        let capacity = model.pools.get(st.pool).map_or(0, |p| p.admit_limit(0));
        let tracked = match &st.sources {
            Some((n, idle))
                if !matches!(idle, crate::scenario::sampler::Sampler::Exponential(_)) =>
            {
                *n
            }
            _ => 0,
        };
        // A heap entry per tracked source or busy line, with room for growth.
        let per_thread = 2 * (24 * tracked + 16 * capacity);
        return CostEstimate {
            replications: reps,
            simulated_days: 0,
            remote_worker_days: 0,
            remote_workers_max: 0,
            threads,
            shared_bytes: BASE_BYTES + u64::from(reps) * size_of::<StationaryOutcome>() as u64,
            per_thread_bytes: per_thread,
        };
    }

    // The first replication's rollout: how many work remotely on the days that are simulated.
    let mut remote_by_day = vec![0u64; model.days];
    run_rollout(model, opts.seed.unwrap_or(model.seed), 0, |day, d| {
        remote_by_day[day] = d.remote.iter().sum();
    });
    let workdays = (0..model.days).filter(|&d| model.workday[d]);
    let (simulated_days, remote_worker_days) = match model.login_simulation {
        LoginSimulation::EveryWorkday => {
            workdays.fold((0, 0), |(n, sum), d| (n + 1, sum + remote_by_day[d]))
        }
        LoginSimulation::PeakDay => (
            u64::from(model.workday.iter().any(|&w| w)),
            workdays.map(|d| remote_by_day[d]).max().unwrap_or(0),
        ),
    };
    let suitable: u64 = model
        .groups
        .iter()
        .zip(model.enabled_at_start())
        .map(|(g, enabled)| g.suitable.max(enabled))
        .sum();
    // Other replications' rollouts differ by chance (attendance, delivery lead times): the
    // first replication's busiest day with a margin, never more than everyone who could.
    let first_peak = remote_by_day.iter().copied().max().unwrap_or(0);
    let remote_workers_max = suitable.min(first_peak + first_peak / 10 + 1000);

    // A curve is recorded in the main pass or in a second pass; either way one accumulator.
    let curve = !model.slots.is_empty();
    let result = model.days as u64
        * (size_of::<super::DayStats>() as u64
            + 8 * model.paths.len() as u64
            + model.pools.len() as u64 * size_of::<super::PoolDayStats>() as u64)
        + CurveRecord::cells(model) * 8 * size_of::<Stat>() as u64;
    let accumulators = Aggregator::bytes_bound(model, reps, curve);
    // The allocator's own share: measured 1% over the accumulators on the 64-pool ten-year
    // file at 1,000 replications; 5% leaves room for other allocators.
    let allocator = accumulators / 20;
    let shared = BASE_BYTES
        + accumulators
        + allocator
        // The result, and as much again for rendering it.
        + 2 * result;
    let per_thread = BYTES_PER_REMOTE_WORKER * remote_workers_max
        + CurveRecord::cells(model) * 7 * 8
        + in_flight_per_thread * RepDays::bytes_bound(model, false);
    CostEstimate {
        replications: reps,
        simulated_days,
        remote_worker_days,
        remote_workers_max,
        threads,
        shared_bytes: shared,
        per_thread_bytes: per_thread,
    }
}
