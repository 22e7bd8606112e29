//! The days that matter: which days are judged (the window), the busiest day by offered load,
//! and the worst day of each metric.
//!
//! A day is never chosen by carried load: once a pool saturates, its sessions are capped at
//! capacity, so the first saturated day would look like the worst. Worst days are chosen per
//! metric at a quantile over replications; ties go to the earliest day.

use serde::Serialize;

use crate::scenario::Quantile;
use crate::stats::Stat;

use super::results::DayStats;
use super::window::{Window, WorstDay};

/// A figure judged day by day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayMetric {
    /// Blocked attempts / attempts of a pool (per attempt, retries included).
    BlockingProbability,
    /// Peak concurrent sessions / the sessions the pool admits.
    Occupancy,
    /// Peak bandwidth demand / the pool's throughput.
    BandwidthUtilisation,
    /// The longest login delay of the day (waiting for authentication plus its service time).
    LoginDelayMax,
    /// Sessions of a pool dropped by outages of its units.
    Dropped,
}

impl DayMetric {
    /// Whether the figure belongs to one pool (else to the whole organisation).
    pub fn per_pool(self) -> bool {
        !matches!(self, DayMetric::LoginDelayMax)
    }

    /// Stable machine name.
    pub fn key(self) -> &'static str {
        match self {
            DayMetric::BlockingProbability => "blocking_probability",
            DayMetric::Occupancy => "occupancy",
            DayMetric::BandwidthUtilisation => "bandwidth_utilisation",
            DayMetric::LoginDelayMax => "login_delay_max_secs",
            DayMetric::Dropped => "dropped_sessions",
        }
    }

    /// What it is, for people.
    pub fn label(self) -> &'static str {
        match self {
            DayMetric::BlockingProbability => "blocking probability (per attempt)",
            DayMetric::Occupancy => "occupancy (peak sessions / capacity)",
            DayMetric::BandwidthUtilisation => "bandwidth utilisation (peak demand / throughput)",
            DayMetric::LoginDelayMax => "longest login delay",
            DayMetric::Dropped => "sessions dropped by outages",
        }
    }

    /// The figure on one day, for `pool` where it is per pool; `None` where it does not apply
    /// (no throughput given).
    pub fn of(self, day: &DayStats, pool: usize) -> Option<Stat> {
        match self {
            DayMetric::BlockingProbability => day.pools.get(pool).map(|p| p.blocking_probability),
            DayMetric::Occupancy => day.pools.get(pool).map(|p| p.occupancy),
            DayMetric::BandwidthUtilisation => {
                day.pools.get(pool).and_then(|p| p.bandwidth_utilisation)
            }
            DayMetric::LoginDelayMax => Some(day.login_delay_max),
            DayMetric::Dropped => day.pools.get(pool).map(|p| {
                p.interruptions
                    .as_ref()
                    .map_or_else(Stat::default, |o| o.dropped)
            }),
        }
    }
}

/// The days whose logins were simulated and that lie in the window, in date order.
pub fn judged_days<'a>(
    timeline: &'a [DayStats],
    window: Window,
) -> impl Iterator<Item = &'a DayStats> + 'a {
    timeline
        .iter()
        .filter(move |d| d.logins_simulated && window.contains(d.date))
}

/// The judged day with the largest value of `metric` at quantile `q` (ties: the earliest).
pub fn worst_day(
    timeline: &[DayStats],
    window: Window,
    metric: DayMetric,
    pool: usize,
    q: Quantile,
) -> Option<WorstDay> {
    judged_days(timeline, window)
        .filter_map(|d| {
            metric.of(d, pool).map(|stat| WorstDay {
                date: d.date,
                value: stat.at(q),
                stat,
            })
        })
        .fold(None, |best: Option<WorstDay>, w| match best {
            Some(b) if b.value >= w.value => Some(b),
            _ => Some(w),
        })
}

/// The judged day with the most remote workers on average (the most offered load; ties: the
/// earliest).
pub fn busiest_day(timeline: &[DayStats], window: Window) -> Option<&DayStats> {
    judged_days(timeline, window).fold(None, |best: Option<&DayStats>, d| match best {
        Some(b) if b.remote_workers.mean >= d.remote_workers.mean => Some(b),
        _ => Some(d),
    })
}
