//! The key figures of a run: what `compare` sets side by side and `sweep` writes per point.

use crate::sim::SimResult;

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

/// The key figures of a run, in a fixed order (run-wide figures, then per pool).
pub fn key_figures(r: &SimResult) -> Vec<KeyFigure> {
    let s = &r.summary;
    let mut rows = vec![
        fig(
            "peak_remote_workers_mean",
            "remote workers on the peak day (mean)",
            Some(s.peak_remote_workers.mean),
        ),
        fig(
            "worst_login_delay_p95_secs",
            "worst login delay on the peak day, s (P95)",
            Some(s.worst_login_delay.p95),
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
                format!("{n}.capacity"),
                format!("{n}: capacity on the peak day"),
                Some(p.capacity as f64),
            ),
            fig(
                format!("{n}.peak_sessions_p95"),
                format!("{n}: peak sessions (P95)"),
                Some(p.peak_sessions.p95),
            ),
            fig(
                format!("{n}.blocked_mean"),
                format!("{n}: blocked attempts (mean)"),
                Some(p.blocked_attempts.mean),
            ),
            fig(
                format!("{n}.gave_up_mean"),
                format!("{n}: users who gave up (mean)"),
                Some(p.gave_up.mean),
            ),
            fig(
                format!("{n}.blocking_p95"),
                format!("{n}: blocking probability (P95)"),
                Some(p.blocking_probability.p95),
            ),
            fig(
                format!("{n}.utilisation_p95"),
                format!("{n}: peak utilisation (P95)"),
                p.peak_utilisation.map(|u| u.p95),
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
