//! Aggregation of replications as a stream: each replication's days are folded into
//! accumulators in replication order and then dropped, so memory holds one batch of
//! replications, never all of them (see [`crate::stats::Acc`] for the bounded quantiles).

use crate::stats::{Acc, Stat};

use super::model::Model;
use super::results::{
    Curve, CurveChoice, CurvePoint, CurvePool, DayStats, PoolDayStats, ReplayRow, UncertainSamples,
};
use super::rollout::Constraint;
use super::workday::{CurveRecord, DayOutcome};

/// A day index per replication, or "never": exact quantiles from counts, memory by days.
#[derive(Clone, Debug)]
pub(super) struct DayHistogram {
    counts: Vec<u64>,
    never: u64,
}

impl DayHistogram {
    fn new(days: usize) -> DayHistogram {
        DayHistogram {
            counts: vec![0; days],
            never: 0,
        }
    }

    fn push(&mut self, day: Option<usize>) {
        match day.and_then(|d| self.counts.get_mut(d)) {
            Some(c) => *c += 1,
            None => self.never += 1,
        }
    }

    fn n(&self) -> u64 {
        self.counts.iter().sum::<u64>() + self.never
    }

    /// Share of replications with a day.
    pub(super) fn share(&self) -> f64 {
        let n = self.n();
        if n == 0 {
            0.0
        } else {
            (n - self.never) as f64 / n as f64
        }
    }

    fn at_rank(&self, rank: u64) -> f64 {
        let mut seen = 0;
        for (d, &c) in self.counts.iter().enumerate() {
            seen += c;
            if rank < seen {
                return d as f64;
            }
        }
        f64::INFINITY
    }

    /// The quantile as [`crate::stats::quantile`] computes it over the days, "never" being
    /// infinite (so an infinite or undefined result means "not within the horizon").
    pub(super) fn quantile(&self, q: f64) -> f64 {
        match self.n() {
            0 => 0.0,
            1 => self.at_rank(0),
            n => {
                let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
                let lo = pos.floor() as u64;
                let hi = pos.ceil() as u64;
                let (a, b) = (self.at_rank(lo), self.at_rank(hi));
                a + (b - a) * (pos - lo as f64)
            }
        }
    }
}

struct PoolAcc {
    peak: Acc,
    attempts: Acc,
    blocked: Acc,
    gave_up: Acc,
    blocking: Acc,
    utilisation: Option<Acc>,
    /// Sessions dropped, timed out and paused, blocked reconnects, reconnects given up: pools
    /// whose sessions can be interrupted only.
    interruptions: Option<[Acc; 5]>,
}

struct DayAcc {
    enabled_by_path: Vec<f64>,
    pools: Vec<PoolAcc>,
    bottleneck: [usize; 8],
    enabled: Acc,
    demand: Acc,
    remote: Acc,
    delay_max: Acc,
    delay_mean: Acc,
    target_met: usize,
}

/// A workday's load curve accumulated over replications.
pub(super) struct CurveAcc {
    day: usize,
    /// Replications it will be fed (its accumulators are sized for them).
    reps: u64,
    n: usize,
    intervals: usize,
    logins: Vec<f64>,
    active_start: Vec<Acc>,
    active_max: Vec<Acc>,
    blocked: Vec<f64>,
    bandwidth: Vec<f64>,
    delay_sum: Vec<f64>,
    delay_max: Vec<f64>,
}

impl CurveAcc {
    /// Bytes a curve over `reps` replications holds at most: per pool and interval, two
    /// accumulators and six sums.
    pub(super) fn bytes_bound(model: &Model, reps: u32) -> u64 {
        let acc = size_of::<Acc>() as u64 + Acc::heap_bytes_after(u64::from(reps));
        CurveRecord::cells(model) * (2 * acc + 6 * 8)
    }

    pub(super) fn new(day: usize, reps: u32) -> CurveAcc {
        CurveAcc {
            day,
            reps: u64::from(reps),
            n: 0,
            intervals: 0,
            logins: Vec::new(),
            active_start: Vec::new(),
            active_max: Vec::new(),
            blocked: Vec::new(),
            bandwidth: Vec::new(),
            delay_sum: Vec::new(),
            delay_max: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, c: &CurveRecord) {
        let len = c.active.len();
        if self.n == 0 {
            self.intervals = c.intervals;
            self.logins = vec![0.0; len];
            self.active_start = (0..len).map(|_| Acc::for_replications(self.reps)).collect();
            self.active_max = (0..len).map(|_| Acc::for_replications(self.reps)).collect();
            self.blocked = vec![0.0; len];
            self.bandwidth = vec![0.0; len];
            self.delay_sum = vec![0.0; len];
            self.delay_max = vec![0.0; len];
        }
        self.n += 1;
        for i in 0..len {
            self.logins[i] += c.logins[i];
            self.active_start[i].push(c.active_start[i]);
            self.active_max[i].push(c.active[i]);
            self.blocked[i] += c.blocked[i];
            self.bandwidth[i] += c.bandwidth[i];
            self.delay_sum[i] += c.delay_sum[i];
            self.delay_max[i] += c.delay_max[i];
        }
    }

    pub(super) fn finish(&self, model: &Model, why: CurveChoice) -> Curve {
        let n = self.n.max(1) as f64;
        let pools = model
            .pools
            .iter()
            .enumerate()
            .map(|(pi, p)| CurvePool {
                name: p.name.clone(),
                capacity: p.admit_limit(self.day),
                throughput_bps: p.throughput_bps.as_ref().map(|t| t[self.day]),
                points: (0..self.intervals)
                    .map(|k| {
                        let i = pi * self.intervals + k;
                        CurvePoint {
                            start_secs: k as f64 * model.interval_secs,
                            logins: self.logins[i] / n,
                            active_mean: self.active_start[i].mean(),
                            active_p5: self.active_start[i].quantile(0.05),
                            active_p95: self.active_start[i].quantile(0.95),
                            active_max_mean: self.active_max[i].mean(),
                            active_max_p95: self.active_max[i].quantile(0.95),
                            blocked: self.blocked[i] / n,
                            bandwidth_max_bps: self.bandwidth[i] / n,
                            login_delay_mean_secs: if self.logins[i] > 0.0 {
                                self.delay_sum[i] / self.logins[i]
                            } else {
                                0.0
                            },
                            login_delay_max_secs: self.delay_max[i] / n,
                        }
                    })
                    .collect(),
            })
            .collect();
        Curve {
            date: model.date(self.day),
            why,
            interval_secs: model.interval_secs,
            pools,
        }
    }
}

/// Everything reported about the replications, fed one replication at a time.
pub(super) struct Aggregator {
    n: usize,
    only_day: Option<usize>,
    days: Vec<DayAcc>,
    /// First day each constraint held staff back, per replication.
    pub(super) first_bind: Vec<DayHistogram>,
    /// First day the enablement target was met, per replication.
    pub(super) target_met: DayHistogram,
    replay: Vec<Acc>,
    /// With uncertain inputs: each replication's draws and observed figures, in order.
    pub(super) samples: Option<UncertainSamples>,
    /// The curve of the day recorded in the main pass, if any.
    pub(super) curve: Option<CurveAcc>,
}

impl Aggregator {
    /// Bytes an aggregator over `reps` replications holds at most (see
    /// [`super::cost::estimate`]): per day, its figures' accumulators and path sums; the day
    /// histograms; the observed figures; the recorded curve, if any.
    pub(super) fn bytes_bound(model: &Model, reps: u32, curve: bool) -> u64 {
        // Accumulators sit inline in their day and pool records; only their values are apart.
        let values = Acc::heap_bytes_after(u64::from(reps));
        let acc = size_of::<Acc>() as u64 + values;
        let days = model.days as u64;
        let pools = model.pools.len() as u64;
        let pool_accs: u64 = model
            .pools
            .iter()
            .map(|p| 5 + u64::from(p.throughput_bps.is_some()) + 5 * u64::from(model.interrupts(p)))
            .sum();
        let per_day = size_of::<DayAcc>() as u64
            + 8 * model.paths.len() as u64
            + pools * size_of::<PoolAcc>() as u64
            + (pool_accs + 5) * values;
        let histograms = 9 * (days * 8 + size_of::<DayHistogram>() as u64);
        let replay = model.observations.len() as u64 * acc;
        let curve = if curve {
            CurveAcc::bytes_bound(model, reps)
        } else {
            0
        };
        let samples = model.uncertain.as_ref().map_or(0, |u| {
            (u.inputs.len() + model.observations.len()) as u64 * u64::from(reps) * 8
        });
        days * per_day + histograms + replay + curve + samples
    }

    pub(super) fn new(
        model: &Model,
        reps: u32,
        only_day: Option<usize>,
        record_day: Option<usize>,
    ) -> Self {
        let acc = || Acc::for_replications(u64::from(reps));
        let days = (0..model.days)
            .map(|_| DayAcc {
                enabled_by_path: vec![0.0; model.paths.len()],
                pools: model
                    .pools
                    .iter()
                    .map(|p| PoolAcc {
                        peak: acc(),
                        attempts: acc(),
                        blocked: acc(),
                        gave_up: acc(),
                        blocking: acc(),
                        utilisation: p.throughput_bps.as_ref().map(|_| acc()),
                        interruptions: model
                            .interrupts(p)
                            .then(|| [acc(), acc(), acc(), acc(), acc()]),
                    })
                    .collect(),
                bottleneck: [0; 8],
                enabled: acc(),
                demand: acc(),
                remote: acc(),
                delay_max: acc(),
                delay_mean: acc(),
                target_met: 0,
            })
            .collect();
        Aggregator {
            n: 0,
            only_day,
            days,
            first_bind: (0..Constraint::ALL.len())
                .map(|_| DayHistogram::new(model.days))
                .collect(),
            target_met: DayHistogram::new(model.days),
            replay: (0..model.observations.len()).map(|_| acc()).collect(),
            samples: model.uncertain.as_ref().map(|u| UncertainSamples {
                inputs: u.inputs.iter().map(|(p, _)| p.clone()).collect(),
                draws: vec![Vec::new(); u.inputs.len()],
                figures: vec![Vec::new(); model.observations.len()],
            }),
            curve: record_day.map(|d| CurveAcc::new(d, reps)),
        }
    }

    /// Folds in the next replication (replications must come in order).
    pub(super) fn add(&mut self, model: &Model, r: &RepDays) {
        self.n += 1;
        for (d, acc) in self.days.iter_mut().enumerate() {
            for (si, slot) in model.slots.iter().enumerate() {
                acc.enabled_by_path[slot.path] += r.enabled[d][si] as f64;
            }
            for (pi, (pa, p)) in acc.pools.iter_mut().zip(&model.pools).enumerate() {
                let o = r.days[d].pools[pi];
                pa.peak.push(o.peak_sessions as f64);
                pa.attempts.push(o.attempts as f64);
                pa.blocked.push(o.blocked as f64);
                pa.gave_up.push(o.gave_up as f64);
                pa.blocking.push(ratio(o.blocked, o.attempts));
                if let Some([dropped, timed_out, paused, blocked, gave_up]) =
                    pa.interruptions.as_mut()
                {
                    dropped.push(o.dropped as f64);
                    timed_out.push(o.timed_out as f64);
                    paused.push(o.paused as f64);
                    blocked.push(o.reconnect_blocked as f64);
                    gave_up.push(o.reconnect_gave_up as f64);
                }
                if let (Some(u), Some(t)) = (pa.utilisation.as_mut(), p.throughput_bps.as_ref()) {
                    let cap = t[d];
                    u.push(if cap > 0.0 { o.peak_bps / cap } else { 0.0 });
                }
            }
            if let Some(b) = r.bottleneck[d] {
                acc.bottleneck[b.index()] += 1;
            }
            acc.enabled.push(r.enabled[d].iter().sum::<u64>() as f64);
            acc.demand.push(r.demand[d] as f64);
            acc.remote.push(r.remote[d].iter().sum::<u64>() as f64);
            acc.delay_max.push(r.days[d].worst_login_delay);
            acc.delay_mean.push(r.days[d].mean_login_delay);
            if r.target_met[d] {
                acc.target_met += 1;
            }
        }
        for (c, h) in self.first_bind.iter_mut().enumerate() {
            h.push(r.first_bind[c]);
        }
        self.target_met.push(r.target_met.iter().position(|&m| m));
        for (i, (o, acc)) in model
            .observations
            .iter()
            .zip(self.replay.iter_mut())
            .enumerate()
        {
            let v = observed_value(model, o, r);
            acc.push(v);
            if let Some(s) = self.samples.as_mut() {
                s.figures[i].push(v);
            }
        }
        if let (Some(s), Some(v)) = (self.samples.as_mut(), r.variant.as_ref()) {
            for (d, x) in s.draws.iter_mut().zip(&v.1) {
                d.push(*x);
            }
        }
        if let (Some(c), Some(rec)) = (self.curve.as_mut(), r.curve.as_ref()) {
            c.add(rec);
        }
    }

    /// Per-day figures.
    pub(super) fn timeline(&self, model: &Model) -> Vec<DayStats> {
        let n = self.n.max(1);
        self.days
            .iter()
            .enumerate()
            .map(|(d, acc)| {
                let pools = acc
                    .pools
                    .iter()
                    .zip(&model.pools)
                    .map(|(pa, p)| {
                        let peak = pa.peak.stat();
                        // The day's limit is the same in every replication, so occupancy's
                        // mean, quantiles and interval are the peak's, scaled.
                        let limit = p.admit_limit(d);
                        let occupancy = if limit > 0 {
                            peak.scaled(1.0 / limit as f64)
                        } else {
                            Stat::default()
                        };
                        PoolDayStats {
                            capacity: limit,
                            licences: p.licences.as_ref().map(|l| l[d]),
                            peak_sessions: peak,
                            attempts: pa.attempts.stat(),
                            blocked_attempts: pa.blocked.stat(),
                            gave_up: pa.gave_up.stat(),
                            blocking_probability: pa.blocking.stat(),
                            occupancy,
                            bandwidth_utilisation: pa.utilisation.as_ref().map(Acc::stat),
                            interruptions: pa.interruptions.as_ref().map(|[d, t, p, b, g]| {
                                super::results::Interruptions {
                                    dropped: d.stat(),
                                    timed_out: t.stat(),
                                    paused: p.stat(),
                                    reconnect_blocked: b.stat(),
                                    reconnect_gave_up: g.stat(),
                                }
                            }),
                        }
                    })
                    .collect();
                let none = n - acc.bottleneck.iter().sum::<usize>();
                let best = acc
                    .bottleneck
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)));
                let bottleneck =
                    best.and_then(|(i, &c)| (c > 0 && c >= none).then(|| Constraint::ALL[i]));
                DayStats {
                    logins_simulated: model.workday[d] && self.only_day.is_none_or(|o| o == d),
                    date: model.date(d),
                    workday: model.workday[d],
                    phase: model
                        .phases
                        .get(model.phase_of_day[d])
                        .map_or_else(String::new, |p| p.name.clone()),
                    enabled_by_path: acc.enabled_by_path.iter().map(|v| v / n as f64).collect(),
                    enabled: acc.enabled.stat(),
                    remote_demand: acc.demand.stat(),
                    remote_workers: acc.remote.stat(),
                    pools,
                    login_delay_max: acc.delay_max.stat(),
                    login_delay_mean: acc.delay_mean.stat(),
                    bottleneck,
                    target_met_share: acc.target_met as f64 / n as f64,
                }
            })
            .collect()
    }

    /// Observed figures against the simulated ones.
    pub(super) fn replay(&self, model: &Model) -> Vec<ReplayRow> {
        model
            .observations
            .iter()
            .zip(&self.replay)
            .map(|(o, acc)| {
                let simulated = acc.stat();
                let observed = o.published.reference(simulated.mean);
                ReplayRow {
                    observed_index: o.index,
                    date: model.date(o.day),
                    metric: o.metric,
                    scope: o.scope.clone(),
                    published: o.published,
                    role: o.role,
                    observed,
                    simulated,
                    p5: acc.quantile(0.05),
                    abs_error: simulated.mean - observed,
                    rel_error: (observed != 0.0).then(|| (simulated.mean - observed) / observed),
                    tolerance: o.tolerance,
                    note: o.note.clone(),
                }
            })
            .collect()
    }
}

/// One replication's figures per day (kept small: a few numbers per day and pool).
pub(super) struct RepDays {
    pub(super) enabled: Vec<Vec<u64>>,
    pub(super) demand: Vec<u64>,
    pub(super) remote: Vec<Vec<u64>>,
    pub(super) bottleneck: Vec<Option<Constraint>>,
    pub(super) first_bind: [Option<usize>; 8],
    pub(super) target_met: Vec<bool>,
    pub(super) days: Vec<DayOutcome>,
    /// The load curve of the day known in advance to be reported, recorded in the same pass.
    pub(super) curve: Option<CurveRecord>,
    /// The replication's own model and draws, when the scenario has uncertain inputs.
    pub(super) variant: Option<Box<(Model, Vec<f64>)>>,
    /// Its workdays kept for reuse (a reference run's), per day.
    pub(super) kept: Vec<Option<super::reuse::KeptDay>>,
}

impl RepDays {
    /// Bytes one replication's day records hold at most, with its curve if `curve`.
    pub(super) fn bytes_bound(model: &Model, curve: bool) -> u64 {
        let slots = model.slots.len() as u64;
        let per_day = 2 * (size_of::<Vec<u64>>() as u64 + 8 * slots)
            + 8
            + size_of::<Option<Constraint>>() as u64
            + 1
            + size_of::<DayOutcome>() as u64
            + model.pools.len() as u64 * size_of::<super::workday::PoolDay>() as u64;
        let curve = if curve {
            CurveRecord::cells(model) * 7 * 8
        } else {
            0
        };
        size_of::<RepDays>() as u64 + model.days as u64 * per_day + curve
    }
}

/// One replication's value of an observed figure.
pub(super) fn observed_value(
    model: &Model,
    o: &super::model::ObservationModel,
    r: &RepDays,
) -> f64 {
    use crate::scenario::Metric;
    let d = o.day;
    let slot_matches = |si: usize| {
        let s = &model.slots[si];
        o.pool.is_none_or(|p| s.pool == p)
            && o.path.is_none_or(|p| s.path == p)
            && o.group.is_none_or(|g| s.group == g)
    };
    let sum = |v: &[u64]| {
        (0..v.len())
            .filter(|&si| slot_matches(si))
            .map(|si| v[si])
            .sum::<u64>() as f64
    };
    match o.metric {
        Metric::EnabledStaff => sum(&r.enabled[d]),
        Metric::RemoteWorkers => sum(&r.remote[d]),
        Metric::EnabledShare => {
            let headcount: u64 = model
                .groups
                .iter()
                .enumerate()
                .filter(|(gi, _)| o.group.is_none_or(|g| g == *gi))
                .map(|(_, g)| g.headcount)
                .sum();
            if headcount > 0 {
                sum(&r.enabled[d]) / headcount as f64
            } else {
                0.0
            }
        }
        Metric::PeakSessions => o
            .pool
            .map_or(0.0, |p| r.days[d].pools[p].peak_sessions as f64),
        Metric::Capacity => o.pool.map_or(0.0, |p| model.pools[p].sessions[d] as f64),
        Metric::Licences => o
            .pool
            .and_then(|p| model.pools[p].licences.as_ref().map(|l| l[d] as f64))
            .unwrap_or(0.0),
    }
}

/// a / b, 0 when b is 0.
pub(super) fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}
