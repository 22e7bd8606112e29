//! A sizing answer ([`crate::plan::size::SizeReport`]) as a table or JSON.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use super::format::percent as pct;
use crate::plan::size::{Lever, SizePoint, SizeReport, StatedTargets};
use crate::scenario::Quantile;
use crate::units::Duration;

fn secs(v: f64) -> String {
    Duration::from_secs(v).to_string()
}

fn describe_targets(t: &StatedTargets) -> String {
    let mut parts = Vec::new();
    if let Some(b) = t.max_blocking {
        parts.push(format!("blocking per attempt ≤ {}", pct(b)));
    }
    if let Some(u) = t.max_utilisation {
        parts.push(format!("bandwidth utilisation ≤ {}", pct(u)));
    }
    if let Some(d) = t.max_login_delay_secs {
        parts.push(format!("login delay ≤ {}", secs(d)));
    }
    if let Some(d) = t.enabled_by {
        parts.push(format!("enablement target met by {d}"));
    }
    parts.join(", ")
}

fn figures(p: &SizePoint, q: Quantile) -> String {
    let b = &p.blocking_probability;
    let mut s = format!(
        "worst blocking {} {}{}{} (mean {}, 95% CI {}–{})",
        q.label(),
        pct(b.value),
        b.date.map(|d| format!(" on {d}")).unwrap_or_default(),
        b.pool
            .as_deref()
            .map(|n| format!(" in {n}"))
            .unwrap_or_default(),
        pct(b.stat.mean),
        pct(b.stat.ci95_low.max(0.0)),
        pct(b.stat.ci95_high),
    );
    if let Some(u) = &p.bandwidth_utilisation {
        s.push_str(&format!(", worst bandwidth utilisation {}", pct(u.value)));
    }
    s.push_str(&format!(
        ", longest login delay {}",
        secs(p.login_delay_max_secs.value)
    ));
    if p.breaching_days > 0 {
        s.push_str(&format!(", {} breaching days", p.breaching_days));
    }
    if let Some(share) = p.enabled_by_share {
        s.push_str(&format!(", target met in {:.0}% of runs", share * 100.0));
    }
    s
}

/// The values tried as a table (box characters for a terminal, else Markdown; within the
/// layout's width), with a heading, the answer and its neighbour below.
pub fn write_table(
    r: &SizeReport,
    layout: super::table::Layout,
    out: &mut dyn Write,
) -> io::Result<()> {
    layout.wrapped(out, |w| write_sized(r, layout, w))
}

fn write_sized(
    r: &SizeReport,
    layout: super::table::Layout,
    out: &mut dyn Write,
) -> io::Result<()> {
    let answer = &r.answer;
    let (unit_name, pool, replications, seed) = (r.unit, r.pool.as_deref(), r.replications, r.seed);
    let quantile = r.quantile;
    let what = match (answer.lever, pool) {
        (Lever::Capacity { .. } | Lever::Licences { .. }, Some(p)) => {
            format!("{unit_name} of pool `{p}`")
        }
        _ => unit_name.to_string(),
    };
    writeln!(
        out,
        "{} — sizing {what} for {} (judged on {} of {replications} replications, seed {seed}, common random numbers)",
        r.scenario,
        describe_targets(&r.targets),
        quantile.label(),
    )?;
    let mut t = super::table::for_terminal(layout.unicode);
    let qn = quantile.label();
    let mut header = vec![unit_name.to_string()];
    let with_sessions = answer.points.iter().any(|p| p.sessions.is_some())
        && !(matches!(answer.lever, Lever::Capacity { .. }) && r.sessions_per_host == 1);
    if with_sessions {
        header.push("sessions".into());
    }
    let with_mean = quantile != Quantile::Mean;
    header.push(format!("worst-day blocking {qn}"));
    if with_mean {
        header.push("that day's mean".into());
    }
    header.extend([
        format!("worst-day bandwidth utilisation {qn}"),
        format!("worst-day login delay {qn}"),
        "breaching days".into(),
    ]);
    if r.targets.enabled_by.is_some() {
        header.push("target met".into());
    }
    header.push(String::new());
    t.set_header(header);
    let mut sorted: Vec<&SizePoint> = answer.points.iter().collect();
    sorted.sort_by_key(|p| p.value);
    for p in sorted {
        let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
        let mut row = vec![right(p.value.to_string())];
        if with_sessions {
            row.push(right(p.sessions.map_or("—".into(), |s| s.to_string())));
        }
        row.push(right(pct(p.blocking_probability.value)));
        if with_mean {
            row.push(right(pct(p.blocking_probability.stat.mean)));
        }
        row.extend([
            right(
                p.bandwidth_utilisation
                    .as_ref()
                    .map_or("—".into(), |u| pct(u.value)),
            ),
            right(secs(p.login_delay_max_secs.value)),
            right(p.breaching_days.to_string()),
        ]);
        if let Some(s) = p.enabled_by_share {
            row.push(right(format!("{:.0}%", s * 100.0)));
        }
        let mark = match (answer.capacity == Some(p.value), p.meets) {
            (true, _) => "meets ← answer",
            (false, true) => "meets",
            (false, false) => "fails",
        };
        row.push(Cell::new(mark));
        t.add_row(row);
    }
    writeln!(out, "{}", layout.render(&t))?;
    let source = match answer.lever {
        Lever::Capacity { .. } | Lever::Licences { .. } => "Erlang B at the offered peak",
        Lever::TokensPerDay => "staff needing tokens over the working days",
        Lever::NotebookStock | Lever::TokenStock => {
            "staff needing the item by the date, less deliveries by then"
        }
        Lever::AuthPerMinute => "the busiest interval's login rate",
    };
    match answer.capacity {
        Some(c) => {
            writeln!(
                out,
                "answer: {c} {unit_name} (closed-form start from {source}: {})",
                answer.estimate
            )?;
            let (at, below) = answer.answer_and_below();
            if let Some(p) = at {
                writeln!(out, "  at {c}: {}", figures(p, quantile))?;
            }
            if let Some(p) = below {
                writeln!(out, "  at {}: {} — fails", p.value, figures(p, quantile))?;
            }
            writeln!(
                out,
                "  confidence: the {} over {replications} replications is an estimate; rerun with more replications (-n) or another seed to see how firm the last unit is",
                quantile.label()
            )?;
        }
        None => {
            writeln!(
                out,
                "no value up to {} {unit_name} meets the targets; something else binds (raise --up-to, or size another lever)",
                answer.upper_bound
            )?;
            if let Some(p) = answer.points.first() {
                writeln!(out, "  at {}: {}", p.value, figures(p, quantile))?;
            }
            if let Some(b) = answer.bottleneck_at_bound {
                writeln!(out, "  what limits the rollout there: {}", b.label())?;
            }
        }
    }
    Ok(())
}

/// The report as pretty JSON.
pub fn write_json(r: &SizeReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, r)?;
    writeln!(out)
}

/// Several answers (one per pool) as one JSON array.
pub fn write_json_list(reports: &[SizeReport], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, reports)?;
    writeln!(out)
}
