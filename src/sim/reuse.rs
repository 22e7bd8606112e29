//! Workdays of a reference run reused by runs that differ from it only by a smaller capacity
//! of one pool (a sizing search's points).
//!
//! A workday on which that pool turned no attempt away, with at most `c` sessions at its peak,
//! is the same day — every draw, every admission, every figure — in a run whose pool admits
//! `c`: no attempt ever found it full, so nothing that follows from a refusal (a retry through
//! the shared authentication service, a user giving up) happens in either. Such a day is taken
//! from the reference instead of simulated again. This holds when the pool's limit is the same
//! all day (no outages, no CPU or logon limits: a plain model) and when the rollout, and so who
//! works remotely, is the same in both runs (the caller's part: the lever must not change it).

use super::model::Model;
use super::workday::DayOutcome;
use crate::scenario::LicenceModel;

/// The workdays of one run, per replication, for reuse at smaller capacities of `pool`.
#[derive(Debug)]
pub struct DayReuse {
    pub(super) pool: usize,
    pub(super) seed: u64,
    /// `[replication][day]`; `None` for days without logins.
    pub(super) days: Vec<Vec<Option<KeptDay>>>,
}

/// A workday as the reference run saw it, with the sessions it carried past midnight.
#[derive(Clone, Debug)]
pub(super) struct KeptDay {
    pub(super) outcome: DayOutcome,
    pub(super) carry: Vec<(f64, super::model::SessionKey)>,
}

/// Most bytes a reference's kept days may hold; a larger run keeps none (its points are then
/// simulated in full, as without reuse).
pub const MAX_REUSE_BYTES: u64 = 256 << 20;

impl DayReuse {
    /// The reference day of replication `rep`, if a run of `seed` in which `pool` admits
    /// `limit` sessions that day would see the same day.
    pub(super) fn usable(&self, seed: u64, rep: u64, day: usize, limit: u64) -> Option<&KeptDay> {
        if seed != self.seed {
            return None;
        }
        let kept = self.days.get(rep as usize)?.get(day)?.as_ref()?;
        let p = kept.outcome.pools.get(self.pool)?;
        (p.blocked == 0 && p.peak_sessions <= limit).then_some(kept)
    }

    /// Workdays the reference holds.
    pub fn days_kept(&self) -> usize {
        self.days.iter().map(|r| r.iter().flatten().count()).sum()
    }
}

/// Whether runs of `a` and `b` differ only by the capacity of pool `pool` (its sessions per
/// day, throughput, concurrent licences), so either may take the other's workdays: the same
/// staff, rollout, logins, services and other pools, and a model that can take days at all.
pub fn only_capacity_differs(a: &Model, b: &Model, pool: usize) -> bool {
    let (Some(pa), Some(pb)) = (a.pools.get(pool), b.pools.get(pool)) else {
        return false;
    };
    // What an adjustment does cannot be compared (it would be made again on each draw).
    let comparable = a.plain
        && b.plain
        && pa.licence_model == pb.licence_model
        && a.adjustments.is_empty()
        && b.adjustments.is_empty();
    if !comparable {
        return false;
    }
    let uncertain = match (&a.uncertain, &b.uncertain) {
        (None, None) => true,
        (Some(x), Some(y)) => x.same_but_capacity(y, &pa.name),
        _ => false,
    };
    let blank = |m: &Model| {
        let mut m = m.clone();
        let p = &mut m.pools[pool];
        p.sessions.clear();
        p.throughput_bps = None;
        if p.licence_model == LicenceModel::Concurrent {
            p.licences = None;
        }
        m.uncertain = None;
        format!("{m:?}")
    };
    uncertain && blank(a) == blank(b)
}
