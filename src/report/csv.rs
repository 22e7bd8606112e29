//! CSV: one header row, ISO dates, `.` decimals, one row per (day, pool) or (interval, pool).
//!
//! Timeline columns (stable): `date, workday, phase, pool, capacity, licences, enabled,
//! enabled_on_pool, remote_demand, remote_workers_mean, remote_workers_p50,
//! remote_workers_p95, peak_sessions_mean, peak_sessions_p50, peak_sessions_p95,
//! peak_utilisation_mean, peak_utilisation_p95, attempts_mean, blocked_attempts_mean,
//! gave_up_mean, blocking_probability_mean, blocking_probability_p95,
//! worst_login_delay_secs_p95, bottleneck, logins_simulated`.
//!
//! Workday columns (stable): `date, pool, interval_start, capacity, logins_mean,
//! active_mean, active_p5, active_p95, blocked_mean, bandwidth_mbps_mean,
//! login_delay_secs_mean`.

use std::io::{self, Write};

use super::format::clock;
use super::{Exporter, ReportInput};

/// A CSV error as the I/O error underneath (so a closed pipe stays recognisable as one).
pub fn io_error(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The per-day timeline.
pub struct TimelineCsv;
/// The chosen day's load curve.
pub struct WorkdayCsv;

/// Timeline header.
pub const TIMELINE_COLUMNS: [&str; 25] = [
    "date",
    "workday",
    "phase",
    "pool",
    "capacity",
    "licences",
    "enabled",
    "enabled_on_pool",
    "remote_demand",
    "remote_workers_mean",
    "remote_workers_p50",
    "remote_workers_p95",
    "peak_sessions_mean",
    "peak_sessions_p50",
    "peak_sessions_p95",
    "peak_utilisation_mean",
    "peak_utilisation_p95",
    "attempts_mean",
    "blocked_attempts_mean",
    "gave_up_mean",
    "blocking_probability_mean",
    "blocking_probability_p95",
    "worst_login_delay_secs_p95",
    "bottleneck",
    "logins_simulated",
];

/// Workday header.
pub const WORKDAY_COLUMNS: [&str; 11] = [
    "date",
    "pool",
    "interval_start",
    "capacity",
    "logins_mean",
    "active_mean",
    "active_p5",
    "active_p95",
    "blocked_mean",
    "bandwidth_mbps_mean",
    "login_delay_secs_mean",
];

/// A number with up to 6 decimals and no trailing zeros (stable across platforms).
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

impl Exporter for TimelineCsv {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let r = input.result;
        let mut w = csv::Writer::from_writer(out);
        w.write_record(TIMELINE_COLUMNS).map_err(io_error)?;
        for day in &r.timeline {
            for (pi, (p, info)) in day.pools.iter().zip(&r.pools).enumerate() {
                let enabled_on_pool: f64 = day
                    .enabled_by_path
                    .iter()
                    .zip(&r.path_pools)
                    .filter(|(_, pool)| **pool == pi)
                    .map(|(v, _)| v)
                    .sum();
                let rec = [
                    day.date.to_string(),
                    day.workday.to_string(),
                    day.phase.clone(),
                    info.name.clone(),
                    p.capacity.to_string(),
                    p.licences.map(|l| l.to_string()).unwrap_or_default(),
                    num(day.enabled.mean),
                    num(enabled_on_pool),
                    num(day.remote_demand.mean),
                    num(day.remote_workers.mean),
                    num(day.remote_workers.p50),
                    num(day.remote_workers.p95),
                    num(p.peak_sessions.mean),
                    num(p.peak_sessions.p50),
                    num(p.peak_sessions.p95),
                    p.peak_utilisation.map(|u| num(u.mean)).unwrap_or_default(),
                    p.peak_utilisation.map(|u| num(u.p95)).unwrap_or_default(),
                    num(p.attempts.mean),
                    num(p.blocked_attempts.mean),
                    num(p.gave_up.mean),
                    num(p.blocking_probability.mean),
                    num(p.blocking_probability.p95),
                    num(day.worst_login_delay.p95),
                    day.bottleneck
                        .map(|b| b.label().to_string())
                        .unwrap_or_default(),
                    day.logins_simulated.to_string(),
                ];
                w.write_record(&rec).map_err(io_error)?;
            }
        }
        w.flush()
    }
}

impl Exporter for WorkdayCsv {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(WORKDAY_COLUMNS).map_err(io_error)?;
        if let Some(c) = &input.result.curve {
            for p in &c.pools {
                for pt in &p.points {
                    let rec = [
                        c.date.to_string(),
                        p.name.clone(),
                        clock(pt.start_secs),
                        p.capacity.to_string(),
                        num(pt.logins),
                        num(pt.active_mean),
                        num(pt.active_p5),
                        num(pt.active_p95),
                        num(pt.blocked),
                        num(pt.bandwidth_bps / 1e6),
                        num(pt.login_delay_secs),
                    ];
                    w.write_record(&rec).map_err(io_error)?;
                }
            }
        }
        w.flush()
    }
}
