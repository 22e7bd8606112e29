//! The key figures of a run: what `compare` sets side by side and `sweep` reports per point.

use crate::sim::{SimResult, WorstDay};

/// One key figure.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyFigure {
    /// Stable machine name, usable as a CSV column (`vpn.blocking_p95`).
    pub key: String,
    /// What it is, for people.
    pub label: String,
    /// Its value; `None` where it does not apply (no throughput given, target never met).
    pub value: Option<f64>,
}

fn fig(key: impl Into<String>, label: impl Into<String>, value: Option<f64>) -> KeyFigure {
    KeyFigure {
        key: key.into(),
        label: label.into(),
        value,
    }
}

/// The key figures of a run, in a fixed order (run-wide figures, then per pool). Worst-day
/// figures are taken over the judged days at the run's judging quantile, whose name is part of
/// their key (`vpn.blocking_worst_p95`).
pub fn key_figures(r: &SimResult) -> Vec<KeyFigure> {
    let s = &r.summary;
    let q = s.quantile.label();
    let ql = q.to_lowercase();
    let worst = |w: Option<WorstDay>| w.map(|w| w.value);
    let mut rows = vec![
        fig(
            "remote_workers_busiest_mean",
            "remote workers on the busiest day (mean)",
            Some(s.remote_workers_busiest.mean),
        ),
        fig(
            format!("login_delay_max_worst_{ql}_secs"),
            format!("longest login delay on the worst day, s ({q})"),
            worst(s.worst_login_delay),
        ),
        fig(
            "days_to_remote_target",
            "days until the remote target is met",
            s.target_met
                .and_then(|d| r.timeline.first().map(|f| f.date.days_until(d) as f64)),
        ),
    ];
    if let Some(last) = r.timeline.last() {
        rows.push(fig(
            "enabled_last_day_mean",
            "enabled staff on the last day (mean)",
            Some(last.enabled.mean),
        ));
    }
    for p in &s.pools {
        let n = &p.name;
        rows.extend([
            fig(
                format!("{n}.capacity_busiest"),
                format!("{n}: capacity on the busiest day"),
                Some(p.capacity_busiest as f64),
            ),
            fig(
                format!("{n}.peak_sessions_busiest_p95"),
                format!("{n}: peak sessions on the busiest day (P95)"),
                Some(p.peak_sessions_busiest.p95),
            ),
            fig(
                format!("{n}.blocked_total_mean"),
                format!("{n}: blocked attempts over the judged days (mean)"),
                Some(p.blocked_attempts_total),
            ),
            fig(
                format!("{n}.gave_up_total_mean"),
                format!("{n}: users who gave up over the judged days (mean)"),
                Some(p.gave_up_total),
            ),
            fig(
                format!("{n}.blocking_worst_{ql}"),
                format!("{n}: blocking per attempt on the worst day ({q})"),
                worst(p.worst_blocking),
            ),
            fig(
                format!("{n}.days_with_blocking"),
                format!("{n}: judged days with blocked attempts"),
                Some(f64::from(p.days_with_blocking)),
            ),
            fig(
                format!("{n}.occupancy_worst_{ql}"),
                format!("{n}: occupancy on the worst day ({q})"),
                worst(p.worst_occupancy),
            ),
            fig(
                format!("{n}.bandwidth_utilisation_worst_{ql}"),
                format!("{n}: bandwidth utilisation on the worst day ({q})"),
                worst(p.worst_bandwidth_utilisation),
            ),
        ]);
    }
    if let Some(st) = &r.stationary {
        rows.push(fig(
            "stationary_blocking_mean",
            "stationary blocking probability (mean)",
            Some(st.blocking_probability.mean),
        ));
    }
    rows
}
