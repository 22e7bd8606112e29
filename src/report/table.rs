//! Text tables for people.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};

use super::format::{check_line, curve_reason, duration as dur, share as pct, verdict_heading};
use super::{Exporter, ReportInput};
use crate::sim::WorstDay;
use crate::stats::Stat;

/// Writes the summary, the timeline and the load curve as tables.
pub struct Tables {
    /// Whether to draw with box characters (a terminal) or plain ASCII.
    pub unicode: bool,
    /// End with a sparkline of the reported day's sessions against capacity (for terminals).
    pub sparkline: bool,
}

fn fmt0(v: f64) -> String {
    format!("{:.0}", v)
}

/// A worst day as `value on date`, or a dash.
fn on_day(w: Option<WorstDay>, f: fn(f64) -> String) -> String {
    match w {
        None => "—".into(),
        Some(w) if w.value == 0.0 => f(0.0),
        Some(w) => format!("{} on {}", f(w.value), w.date),
    }
}

fn p50_p95(s: &Stat, f: fn(f64) -> String) -> String {
    format!("{} / {}", f(s.p50), f(s.p95))
}

impl Tables {
    fn table(&self, header: &[&str]) -> Table {
        let mut t = Table::new();
        if self.unicode {
            t.load_style(UTF8_FULL_CONDENSED);
        } else {
            t.load_style(comfy_table::presets::ASCII_MARKDOWN);
        }
        t.set_header(header.iter().map(Cell::new));
        t
    }
}

impl Exporter for Tables {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let r = input.result;
        writeln!(
            out,
            "{} — {} replications, seed {}",
            r.scenario, r.replications, r.seed
        )?;
        if let Some(st) = &r.stationary {
            let mut t = self.table(&["figure", "simulated (mean [95% CI])", "theory"]);
            t.add_row(vec![
                Cell::new("blocking probability"),
                Cell::new(format!(
                    "{:.5} [{:.5}, {:.5}]",
                    st.blocking_probability.mean,
                    st.blocking_probability.ci95_low,
                    st.blocking_probability.ci95_high
                )),
                Cell::new(st.theory_blocking.map_or("—".into(), |b| {
                    format!("{b:.5} ({})", st.theory.replace('_', " "))
                })),
            ]);
            t.add_row(vec![
                Cell::new("servers"),
                Cell::new(st.capacity),
                Cell::new(""),
            ]);
            t.add_row(vec![
                Cell::new("offered traffic"),
                Cell::new(""),
                Cell::new(format!(
                    "{:.3} erlang{}",
                    st.offered_erlang,
                    if st.theory == "engset" {
                        " per idle source"
                    } else {
                        ""
                    }
                )),
            ]);
            t.add_row(vec![
                Cell::new("carried traffic (erlang)"),
                Cell::new(format!("{:.3}", st.carried_erlang.mean)),
                Cell::new(""),
            ]);
            t.add_row(vec![
                Cell::new("attempts per replication"),
                Cell::new(fmt0(st.attempts.mean)),
                Cell::new(""),
            ]);
            writeln!(out, "\nStationary workload\n{t}")?;
            return verdict(self, input, out);
        }
        let s = &r.summary;
        let qn = s.quantile.label();
        // Summary.
        let mut t = self.table(&["summary", "value"]);
        t.add_row(vec![
            "days judged".into(),
            format!("{} to {} (simulated workdays)", s.window.from, s.window.to),
        ]);
        t.add_row(vec![
            "busiest day (most remote workers)".into(),
            s.busiest_day.map_or("—".into(), |d| d.to_string()),
        ]);
        t.add_row(vec![
            "remote workers on the busiest day (P50 / P95)".to_string(),
            p50_p95(&s.remote_workers_busiest, fmt0),
        ]);
        t.add_row(vec![
            "remote target met".to_string(),
            s.target_met
                .map_or("not within the horizon".into(), |d| d.to_string()),
        ]);
        for fb in &s.first_binds {
            let when = match fb.date {
                Some(d) => d.to_string(),
                None => "rarely".into(),
            };
            let share = if fb.share_of_replications < 1.0 {
                format!(
                    " (in {:.0}% of replications)",
                    fb.share_of_replications * 100.0
                )
            } else {
                String::new()
            };
            t.add_row(vec![
                format!("first binds: {}", fb.constraint.label()),
                format!("{when}{share}"),
            ]);
        }
        t.add_row(vec![
            format!("longest login delay, worst day ({qn}; waiting plus service time)"),
            on_day(s.worst_login_delay, dur),
        ]);
        writeln!(out, "\nSummary\n{t}")?;

        let mut t = self.table(&[
            "pool",
            "capacity (busiest day)",
            "peak sessions P50 / P95 (busiest day)",
            &format!("worst blocking per attempt ({qn})"),
            "days with blocking",
            "blocked attempts, all days (mean)",
            "users who gave up, all days (mean)",
            &format!("worst occupancy ({qn})"),
            &format!("worst bandwidth utilisation ({qn})"),
        ]);
        for p in &s.pools {
            let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
            t.add_row(vec![
                Cell::new(&p.name),
                right(p.capacity_busiest.to_string()),
                right(p50_p95(&p.peak_sessions_busiest, fmt0)),
                right(on_day(p.worst_blocking, pct)),
                right(p.days_with_blocking.to_string()),
                right(fmt0(p.blocked_attempts_total)),
                right(fmt0(p.gave_up_total)),
                right(on_day(p.worst_occupancy, pct)),
                right(on_day(p.worst_bandwidth_utilisation, pct)),
            ]);
        }
        writeln!(out, "\n{t}")?;
        for p in &s.pools {
            if let Some(o) = &p.interruptions {
                writeln!(
                    out,
                    "Interrupted sessions of {}: {} dropped by outages, {} timed out, {} paused for a break; {} reconnect attempts blocked, {} users gave up reconnecting (all judged days, mean over replications)",
                    p.name,
                    fmt0(o.dropped),
                    fmt0(o.timed_out),
                    fmt0(o.paused),
                    fmt0(o.reconnect_blocked),
                    fmt0(o.reconnect_gave_up)
                )?;
            }
        }
        verdict(self, input, out)?;

        // Timeline: every workday for short runs, the busiest workday of each week for long ones.
        let workdays: Vec<&crate::sim::DayStats> =
            r.timeline.iter().filter(|d| d.workday).collect();
        let weekly = workdays.len() > 45;
        let rows: Vec<&crate::sim::DayStats> = if weekly {
            let mut rows: Vec<&crate::sim::DayStats> = Vec::new();
            for d in workdays {
                let week = (d.date.days_since_epoch() + 3).div_euclid(7);
                match rows.last_mut() {
                    Some(last) if (last.date.days_since_epoch() + 3).div_euclid(7) == week => {
                        if d.remote_workers.mean > last.remote_workers.mean {
                            *last = d;
                        }
                    }
                    _ => rows.push(d),
                }
            }
            rows
        } else {
            workdays
        };
        let mut header = vec![
            "date".to_string(),
            "phase".into(),
            "enabled".into(),
            "remote".into(),
        ];
        for p in &r.pools {
            header.push(format!("{} cap", p.name));
            header.push(format!("{} peak P50/P95", p.name));
            header.push(format!("{} blocked", p.name));
        }
        header.push("bottleneck".into());
        let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = self.table(&hdr);
        for d in rows {
            let mut row = vec![
                Cell::new(d.date),
                Cell::new(&d.phase),
                Cell::new(fmt0(d.enabled.mean)).set_alignment(CellAlignment::Right),
                Cell::new(fmt0(d.remote_workers.mean)).set_alignment(CellAlignment::Right),
            ];
            for p in &d.pools {
                row.push(Cell::new(p.capacity).set_alignment(CellAlignment::Right));
                let (peak, blocked) = if d.logins_simulated {
                    (
                        p50_p95(&p.peak_sessions, fmt0),
                        fmt0(p.blocked_attempts.mean),
                    )
                } else {
                    ("—".to_string(), "—".to_string())
                };
                row.push(Cell::new(peak).set_alignment(CellAlignment::Right));
                row.push(Cell::new(blocked).set_alignment(CellAlignment::Right));
            }
            row.push(Cell::new(d.bottleneck.map_or("—", |b| b.label())));
            t.add_row(row);
        }
        let mut what = if weekly {
            "busiest workday of each week; --format csv has every day".to_string()
        } else {
            "every workday".to_string()
        };
        if r.timeline.iter().any(|d| d.workday && !d.logins_simulated) {
            what.push_str("; logins simulated on the busiest day only (run.login_simulation: peak_day), — elsewhere");
        }
        writeln!(out, "\nTimeline ({what})\n{t}")?;

        // The chosen day's load curve, busy intervals only.
        if let Some(c) = &r.curve {
            let mut header = vec!["time".to_string()];
            for p in &c.pools {
                header.push(format!("{} logins", p.name));
                header.push(format!("{} active at start, mean (P5–P95)", p.name));
                header.push(format!("{} most active, mean / cap", p.name));
                header.push(format!("{} blocked", p.name));
                header.push(format!("{} login delay, mean", p.name));
            }
            let hdr: Vec<&str> = header.iter().map(String::as_str).collect();
            let mut t = self.table(&hdr);
            let n = c.pools.first().map_or(0, |p| p.points.len());
            let mut omitted = 0;
            for k in 0..n {
                let busy = c
                    .pools
                    .iter()
                    .any(|p| p.points[k].logins >= 0.5 || p.points[k].blocked >= 0.05);
                if !busy {
                    omitted += 1;
                    continue;
                }
                let start = c.pools[0].points[k].start_secs;
                let mut row = vec![Cell::new(format!(
                    "{:02}:{:02}",
                    (start / 3600.0) as u32,
                    ((start % 3600.0) / 60.0) as u32
                ))];
                for p in &c.pools {
                    let pt = &p.points[k];
                    row.push(
                        Cell::new(format!("{:.1}", pt.logins)).set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(format!(
                            "{:.0} ({:.0}–{:.0})",
                            pt.active_mean, pt.active_p5, pt.active_p95
                        ))
                        .set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(format!("{:.0} / {}", pt.active_max_mean, p.capacity))
                            .set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(format!("{:.1}", pt.blocked)).set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(dur(pt.login_delay_mean_secs))
                            .set_alignment(CellAlignment::Right),
                    );
                }
                t.add_row(row);
            }
            writeln!(
                out,
                "\nWorkday {}, {}, in {:.0}-minute intervals ({omitted} quiet intervals omitted; --output DIR/ has all in workday.csv)\n{t}",
                c.date,
                curve_reason(&c.why, s.quantile),
                c.interval_secs / 60.0
            )?;
        }
        if self.sparkline {
            let lines: Vec<String> = (0..r.pools.len())
                .filter_map(|i| super::svg::sparkline(r, i, 60))
                .collect();
            if !lines.is_empty() {
                writeln!(out, "\nSessions at a glance (full height = capacity)")?;
                for l in lines {
                    writeln!(out, "  {l}")?;
                }
            }
        }
        Ok(())
    }
}

fn verdict(_t: &Tables, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    if let Some(n) = input.failover {
        writeln!(out, "\n{}", super::format::failover_line(n))?;
    }
    let Some(v) = input.verdict else {
        return Ok(());
    };
    writeln!(out, "\n{}", verdict_heading(v))?;
    for c in &v.checks {
        writeln!(
            out,
            "  {} {}",
            if c.met { "ok  " } else { "FAIL" },
            check_line(c)
        )?;
    }
    for note in &v.not_judged {
        writeln!(out, "  not judged: {note}")?;
    }
    Ok(())
}
