//! The rollouts alone, without workdays: what planning the rollout's resources needs to know
//! (is the enable target met by a date, how many are enabled each day), at a fraction
//! of a full run's cost.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::error::SimError;
use super::model::Model;
use super::rollout::{Constraint, run_rollout};
use super::runner::SimOptions;
use super::workers::Workers;

/// What the rollouts say about one day, over replications.
#[derive(Clone, Debug, PartialEq)]
pub struct RolloutProbe {
    /// Per day: share of replications in which every enable target is met.
    pub met_share: Vec<f64>,
    /// Mean enabled staff on every day (all groups and paths).
    pub enabled: Vec<f64>,
    /// Mean enabled staff per (group, path) slot on the day asked.
    pub enabled_by_slot: Vec<f64>,
    /// Per constraint: mean staff it held back on the day asked.
    pub held_back: [f64; 8],
}

impl RolloutProbe {
    /// Share of replications meeting every enable target on `day` (0 past the horizon).
    pub fn met_on(&self, day: usize) -> f64 {
        self.met_share.get(day).copied().unwrap_or(0.0)
    }

    /// The constraint that held back the most on the day asked, if any did.
    pub fn bottleneck(&self) -> Option<Constraint> {
        let (i, v) = self
            .held_back
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
        (*v > 0.0).then(|| Constraint::ALL[i])
    }
}

#[derive(Clone)]
struct Sums {
    met: Vec<u64>,
    enabled: Vec<u128>,
    by_slot: Vec<u128>,
    held_back: [u128; 8],
}

impl Sums {
    fn new(model: &Model) -> Sums {
        Sums {
            met: vec![0; model.days],
            enabled: vec![0; model.days],
            by_slot: vec![0; model.slots.len()],
            held_back: [0; 8],
        }
    }

    fn fold(mut self, o: Sums) -> Sums {
        self.met.iter_mut().zip(&o.met).for_each(|(a, b)| *a += b);
        self.enabled
            .iter_mut()
            .zip(&o.enabled)
            .for_each(|(a, b)| *a += b);
        self.by_slot
            .iter_mut()
            .zip(&o.by_slot)
            .for_each(|(a, b)| *a += b);
        for i in 0..8 {
            self.held_back[i] += o.held_back[i];
        }
        self
    }
}

/// Runs the rollouts of every replication (same seeds as a full run) and reports on day `by`.
/// Sums are exact integers, so the answer does not depend on the thread count.
pub fn probe_rollout(
    model: &Model,
    opts: &SimOptions,
    by: usize,
    cancel: &AtomicBool,
) -> Result<RolloutProbe, SimError> {
    let reps = opts.replications.unwrap_or(model.replications);
    let seed = opts.seed.unwrap_or(model.seed);
    // Rollouts alone hold no workday buffers: the pool may be kept.
    let workers = Workers::new(opts.threads, true)?;
    let by = by.min(model.days.saturating_sub(1));
    let sums = workers.install(|| {
        (0..u64::from(reps))
            .into_par_iter()
            .map(|r| {
                if cancel.load(Ordering::Relaxed) {
                    return Err(SimError::Interrupted);
                }
                let mut s = Sums::new(model);
                let model = &*model.for_replication(seed, r);
                run_rollout(model, seed, r, |day, d| {
                    s.enabled[day] = d.enabled.iter().map(|&n| u128::from(n)).sum();
                    s.met[day] = u64::from(d.target_met);
                    if day == by {
                        for (a, &e) in s.by_slot.iter_mut().zip(&d.enabled) {
                            *a = u128::from(e);
                        }
                        for (a, &h) in s.held_back.iter_mut().zip(&d.held_back) {
                            *a = u128::from(h);
                        }
                    }
                });
                Ok(s)
            })
            .try_reduce(|| Sums::new(model), |a, b| Ok(a.fold(b)))
    })?;
    let n = f64::from(reps.max(1));
    let mean = |v: u128| v as f64 / n;
    Ok(RolloutProbe {
        met_share: sums.met.into_iter().map(|m| m as f64 / n).collect(),
        enabled: sums.enabled.into_iter().map(mean).collect(),
        enabled_by_slot: sums.by_slot.into_iter().map(mean).collect(),
        held_back: sums.held_back.map(mean),
    })
}
