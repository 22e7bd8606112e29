//! What a simulation answers: per-day figures, the load curve, the summary over the judged
//! days and the replay of published figures. Plain data, serialised as the JSON output.

use serde::Serialize;

use crate::scenario::{PoolKind, Quantile};
use crate::stats::Stat;
use crate::units::Date;

use super::rollout::Constraint;
use super::window::{Window, WorstDay};

/// Per-pool figures of one day across replications.
#[derive(Clone, Debug, Serialize)]
pub struct PoolDayStats {
    /// Sessions the pool admits that day: its tunnels or lines, or hosts × sessions per host,
    /// capped by its licences where they are concurrent. This is what "capacity" means in
    /// every output (the summary's busiest-day capacity, the curve, occupancy's denominator).
    pub capacity: u64,
    /// Licences that day, if the pool states them (concurrent or named).
    pub licences: Option<u64>,
    /// Peak concurrent sessions.
    pub peak_sessions: Stat,
    /// Login attempts.
    pub attempts: Stat,
    /// Blocked attempts.
    pub blocked_attempts: Stat,
    /// Users who gave up.
    pub gave_up: Stat,
    /// Blocked attempts / attempts (per attempt, retries included).
    pub blocking_probability: Stat,
    /// Peak concurrent sessions / the sessions the pool admits that day.
    pub occupancy: Stat,
    /// Peak bandwidth demand / throughput, if the throughput is known.
    pub bandwidth_utilisation: Option<Stat>,
    /// Sessions interrupted that day and what their reconnects met (pools whose sessions can
    /// be interrupted: outages, a maximum session time, breaks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interruptions: Option<Interruptions>,
}

/// Sessions of a pool interrupted on a day, across replications. Each interrupted user
/// reconnects through authentication (a reconnect attempt, blocked and retried like a login).
#[derive(Clone, Debug, Serialize)]
pub struct Interruptions {
    /// Sessions dropped by an outage (the reconnect burst).
    pub dropped: Stat,
    /// Sessions cut at the pool's maximum session time.
    pub timed_out: Stat,
    /// Sessions ended for a break (their users come back after it).
    pub paused: Stat,
    /// Reconnect attempts blocked.
    pub reconnect_blocked: Stat,
    /// Interrupted users (dropped, timed out or back from a break) who gave up reconnecting.
    pub reconnect_gave_up: Stat,
}

/// One day of the timeline across replications.
#[derive(Clone, Debug, Serialize)]
pub struct DayStats {
    /// Date.
    pub date: Date,
    /// Whether staff work that day.
    pub workday: bool,
    /// Policy phase.
    pub phase: String,
    /// Mean enabled staff per access path.
    pub enabled_by_path: Vec<f64>,
    /// Enabled staff.
    pub enabled: Stat,
    /// Suitable staff who would work remotely under the day's policy.
    pub remote_demand: Stat,
    /// Staff working remotely.
    pub remote_workers: Stat,
    /// Per pool.
    pub pools: Vec<PoolDayStats>,
    /// The day's longest login delay (waiting for authentication plus its service time),
    /// seconds.
    pub login_delay_max: Stat,
    /// The day's mean login delay over attempts, seconds.
    pub login_delay_mean: Stat,
    /// The constraint that held back the most staff, most often across replications.
    pub bottleneck: Option<Constraint>,
    /// Share of replications in which every enable target was met by this day.
    pub target_met_share: f64,
    /// Whether this day's logins were simulated (every workday, or only the peak day with
    /// `run.login_simulation: peak_day`).
    pub logins_simulated: bool,
}

/// A pool's identity.
#[derive(Clone, Debug, Serialize)]
pub struct PoolInfo {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PoolKind,
}

/// One interval of a workday's load curve, per pool.
#[derive(Clone, Debug, Serialize)]
pub struct CurvePoint {
    /// Start of the interval, seconds after midnight.
    pub start_secs: f64,
    /// Login attempts (first attempts and retries) made in the interval, mean over
    /// replications.
    pub logins: f64,
    /// Sessions active at the interval's start, mean over replications.
    pub active_mean: f64,
    /// Sessions active at the interval's start, 5th percentile over replications.
    pub active_p5: f64,
    /// Sessions active at the interval's start, 95th percentile over replications.
    pub active_p95: f64,
    /// Most sessions active at any instant of the interval, mean over replications.
    pub active_max_mean: f64,
    /// Most sessions active at any instant of the interval, 95th percentile over replications.
    pub active_max_p95: f64,
    /// Attempts blocked in the interval, mean over replications.
    pub blocked: f64,
    /// Highest bandwidth demand at any instant of the interval, bit/s, mean over replications.
    pub bandwidth_max_bps: f64,
    /// Login delay of the interval's attempts on this pool, seconds: their mean over every
    /// replication (0 without attempts).
    pub login_delay_mean_secs: f64,
    /// The interval's longest login delay on this pool, seconds, mean over replications.
    pub login_delay_max_secs: f64,
}

/// Why the curve shows the day it shows.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum CurveChoice {
    /// The day was asked for.
    Requested,
    /// The judged day with the highest blocking probability (at the judging quantile) of any
    /// pool.
    WorstBlocking {
        /// The pool.
        pool: String,
        /// Its blocking probability at the quantile.
        value: f64,
    },
    /// No attempt was blocked on any judged day: the day with the most remote workers.
    Busiest,
}

/// The load curve of one day.
#[derive(Clone, Debug, Serialize)]
pub struct Curve {
    /// Date.
    pub date: Date,
    /// Why this day.
    pub why: CurveChoice,
    /// Interval width, seconds.
    pub interval_secs: f64,
    /// Per pool: capacity and points.
    pub pools: Vec<CurvePool>,
}

/// A pool's load curve.
#[derive(Clone, Debug, Serialize)]
pub struct CurvePool {
    /// Pool name.
    pub name: String,
    /// Sessions the pool admits that day (see [`PoolDayStats::capacity`]).
    pub capacity: u64,
    /// Throughput that day, bits per second, if the pool states one.
    pub throughput_bps: Option<f64>,
    /// Points.
    pub points: Vec<CurvePoint>,
}

/// Results of a stationary run across replications.
#[derive(Clone, Debug, Serialize)]
pub struct StationaryStats {
    /// Servers (admission limit).
    pub capacity: u64,
    /// Blocking seen by arrivals.
    pub blocking_probability: Stat,
    /// Carried traffic, erlang.
    pub carried_erlang: Stat,
    /// Attempts.
    pub attempts: Stat,
    /// Peak sessions.
    pub peak_sessions: Stat,
    /// Which closed form applies: `erlang_b` (Poisson arrivals) or `engset` (finite sources).
    pub theory: &'static str,
    /// Offered traffic, erlang (Poisson: rate × mean holding; Engset: per idle source).
    pub offered_erlang: f64,
    /// The closed form's blocking probability (call congestion), if it could be computed.
    pub theory_blocking: Option<f64>,
}

/// Per-pool summary figures over the judged days.
#[derive(Clone, Debug, Serialize)]
pub struct PoolSummary {
    /// Pool name.
    pub name: String,
    /// Sessions the pool admits on the busiest day (see [`PoolDayStats::capacity`]).
    pub capacity_busiest: u64,
    /// Peak concurrent sessions on the busiest day.
    pub peak_sessions_busiest: Stat,
    /// The day of the highest blocking probability (per attempt).
    pub worst_blocking: Option<WorstDay>,
    /// The day of the highest occupancy (peak sessions / capacity).
    pub worst_occupancy: Option<WorstDay>,
    /// The day of the highest bandwidth utilisation, if the throughput is known.
    pub worst_bandwidth_utilisation: Option<WorstDay>,
    /// Blocked attempts over all judged days, mean over replications.
    pub blocked_attempts_total: f64,
    /// Users who gave up (a lost workday each) over all judged days, mean over replications.
    pub gave_up_total: f64,
    /// Judged days on which at least one attempt was blocked in some replication.
    pub days_with_blocking: u32,
    /// Sessions interrupted over all judged days (pools whose sessions can be interrupted):
    /// sums of the daily means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interruptions: Option<InterruptionTotals>,
}

/// Sessions of a pool interrupted over the judged days: sums of the daily means over
/// replications.
#[derive(Clone, Debug, Serialize)]
pub struct InterruptionTotals {
    /// Sessions dropped by outages.
    pub dropped: f64,
    /// Sessions cut at the maximum session time.
    pub timed_out: f64,
    /// Sessions ended for a break.
    pub paused: f64,
    /// Reconnect attempts blocked.
    pub reconnect_blocked: f64,
    /// Interrupted users (dropped, timed out or back from a break) who gave up reconnecting.
    pub reconnect_gave_up: f64,
}

/// First day a constraint held staff back (median over replications in which it did).
#[derive(Clone, Debug, Serialize)]
pub struct FirstBind {
    /// The constraint.
    pub constraint: Constraint,
    /// Median first day, or `None` if it bound in fewer than half the replications.
    pub date: Option<Date>,
    /// Share of replications in which it ever bound.
    pub share_of_replications: f64,
}

/// The headline figures, over the judged days.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// The days judged.
    pub window: Window,
    /// The quantile over replications worst days are chosen at.
    pub quantile: Quantile,
    /// The busiest day: the most remote workers (offered load), mean over replications.
    pub busiest_day: Option<Date>,
    /// Remote workers on the busiest day.
    pub remote_workers_busiest: Stat,
    /// When each constraint first bound, in date order (never-dated ones last).
    pub first_binds: Vec<FirstBind>,
    /// Median day on which every enable target was met (`None`: not met in most replications).
    pub target_met: Option<Date>,
    /// Per pool.
    pub pools: Vec<PoolSummary>,
    /// The day of the longest login delay (seconds).
    pub worst_login_delay: Option<WorstDay>,
    /// How many of each group's staff the policy sends home, on the busiest day (else the last
    /// day): the chain of shares that multiply.
    pub staff_chain: Option<StaffChain>,
}

/// Who ends up at home, as the product of the scenario's shares, per group: headcount ×
/// `remote_suitable` × the phase's `enable_target` × its `remote_share`. The shares multiply
/// (60% suitable and a 60% remote share send 36% of staff home), which this makes visible.
#[derive(Clone, Debug, Serialize)]
pub struct StaffChain {
    /// The day the phase's shares are taken from.
    pub date: Date,
    /// The policy phase in force on it.
    pub phase: String,
    /// One row per staff group.
    pub groups: Vec<GroupChain>,
}

/// Where staff enabled before a phase's own target come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnabledBefore {
    /// Enabled on the run's first day.
    AtStart,
    /// Enabled to meet an earlier phase's target.
    EarlierPhase,
}

/// One group's chain of shares (see [`StaffChain`]).
#[derive(Clone, Debug, Serialize)]
pub struct GroupChain {
    /// The group.
    pub group: String,
    /// Staff.
    pub headcount: u64,
    /// Share whose tasks can be done remotely.
    pub remote_suitable: f64,
    /// Headcount × remote_suitable, rounded: the staff who could work remotely.
    pub suitable: u64,
    /// Share of the suitable staff to enable (0 without onboarding in the phase).
    pub enable_target: f64,
    /// Suitable × enable_target, rounded: the staff the phase's own target asks for.
    pub target_staff: u64,
    /// Staff enabled on the run's first day (the access entries' `enabled`).
    pub enabled_at_start: u64,
    /// The largest target of the phases in force before the day (suitable × their
    /// enable_target, rounded; 0 if none).
    pub enabled_by_earlier_phases: u64,
    /// The staff enabled once the targets are met: suitable × enable_target, rounded, or the
    /// staff enabled at the start or by an earlier phase's target if they are more (onboarding
    /// only adds; nobody is disabled).
    pub enabled_goal: u64,
    /// Share of enabled staff who work remotely on that day.
    pub remote_share: f64,
    /// Enabled goal × remote_share: staff at home once the target is met.
    pub at_home: f64,
    /// Suitable × remote_share: staff the policy would send home if all suitable staff were
    /// enabled (the timeline's remote demand).
    pub demand: f64,
}

impl GroupChain {
    /// What sets the enabled goal when the phase's own target does not: staff enabled at the
    /// start, or an earlier phase's target (whichever is larger; the start on a tie).
    pub fn enabled_before_target(&self) -> Option<EnabledBefore> {
        if self.enabled_goal <= self.target_staff {
            None
        } else if self.enabled_at_start >= self.enabled_by_earlier_phases {
            Some(EnabledBefore::AtStart)
        } else {
            Some(EnabledBefore::EarlierPhase)
        }
    }
}

/// Everything a simulation produces.
#[derive(Clone, Debug, Serialize)]
pub struct SimResult {
    /// Scenario name.
    pub scenario: String,
    /// Seed used.
    pub seed: u64,
    /// Replications run.
    pub replications: u32,
    /// Pools.
    pub pools: Vec<PoolInfo>,
    /// Access path names.
    pub paths: Vec<String>,
    /// Pool index of each access path.
    pub path_pools: Vec<usize>,
    /// Headline figures.
    pub summary: Summary,
    /// Per-day timeline.
    pub timeline: Vec<DayStats>,
    /// Load curve of the chosen day.
    pub curve: Option<Curve>,
    /// Stationary results, for a stationary scenario.
    pub stationary: Option<StationaryStats>,
    /// Every published figure against its simulated value.
    pub replay: Vec<ReplayRow>,
    /// With uncertain inputs: each replication's draws and figures (for sensitivity).
    #[serde(skip)]
    pub uncertain: Option<UncertainSamples>,
}

/// A published figure against the simulation.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayRow {
    /// Its place in the scenario's `observed` list (from 0).
    pub observed_index: usize,
    /// Date of the figure.
    pub date: Date,
    /// What it measures.
    pub metric: crate::scenario::Metric,
    /// Which part of the organisation (pool, path, group), or `all`.
    pub scope: String,
    /// How the figure was published: a value, a bound or a range.
    pub published: crate::scenario::Published,
    /// What the figure is as evidence.
    pub role: crate::scenario::FigureRole,
    /// The value errors are measured from: the published value, the bound, or the nearer end
    /// of a range (its middle when the mean is inside).
    pub observed: f64,
    /// The simulated value across replications.
    pub simulated: Stat,
    /// 5th percentile across replications.
    pub p5: f64,
    /// Simulated mean − `observed`.
    pub abs_error: f64,
    /// (Simulated mean − `observed`) / `observed`; `None` when `observed` is 0.
    pub rel_error: Option<f64>,
    /// Tolerance the scenario states for this figure.
    pub tolerance: Option<f64>,
    /// The scenario's note on the figure.
    pub note: Option<String>,
}

/// With uncertain inputs: what each replication drew and what it gave, in replication order,
/// so the inputs can be ranked by how much each moves each figure.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct UncertainSamples {
    /// The inputs' field paths.
    pub inputs: Vec<String>,
    /// Per input, its draw in each replication.
    pub draws: Vec<Vec<f64>>,
    /// Per observed figure, its value in each replication.
    pub figures: Vec<Vec<f64>>,
}
