//! Text tables for people.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};

use super::{Exporter, ReportInput};
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

fn pct(v: f64) -> String {
    if v == 0.0 {
        "0%".into()
    } else if v < 0.001 {
        format!("{:.3}%", v * 100.0)
    } else {
        format!("{:.2}%", v * 100.0)
    }
}

fn dur(secs: f64) -> String {
    if secs < 1.0 {
        format!("{:.2}s", secs)
    } else if secs < 120.0 {
        format!("{:.0}s", secs)
    } else {
        format!("{:.1}min", secs / 60.0)
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
        // Summary.
        let mut t = self.table(&["summary", "value"]);
        t.add_row(vec![
            "peak day".into(),
            s.peak_day.map_or("—".into(), |d| d.to_string()),
        ]);
        t.add_row(vec![
            "remote workers on the peak day (P50 / P95)".to_string(),
            p50_p95(&s.peak_remote_workers, fmt0),
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
            "worst login delay on the peak day (P95)".to_string(),
            dur(s.worst_login_delay.p95),
        ]);
        writeln!(out, "\nSummary\n{t}")?;

        let mut t = self.table(&[
            "pool (peak day)",
            "capacity",
            "peak sessions P50 / P95",
            "blocked",
            "gave up",
            "blocking P95",
            "peak utilisation P95",
        ]);
        for p in &s.pools {
            t.add_row(vec![
                Cell::new(&p.name),
                Cell::new(p.capacity).set_alignment(CellAlignment::Right),
                Cell::new(p50_p95(&p.peak_sessions, fmt0)).set_alignment(CellAlignment::Right),
                Cell::new(fmt0(p.blocked_attempts.mean)).set_alignment(CellAlignment::Right),
                Cell::new(fmt0(p.gave_up.mean)).set_alignment(CellAlignment::Right),
                Cell::new(pct(p.blocking_probability.p95)).set_alignment(CellAlignment::Right),
                Cell::new(p.peak_utilisation.map_or("—".into(), |u| pct(u.p95)))
                    .set_alignment(CellAlignment::Right),
            ]);
        }
        writeln!(out, "\n{t}")?;
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
            what.push_str("; logins simulated on the peak day only (run.login_simulation: peak_day), — elsewhere");
        }
        writeln!(out, "\nTimeline ({what})\n{t}")?;

        // The chosen day's load curve, busy intervals only.
        if let Some(c) = &r.curve {
            let mut header = vec!["time".to_string()];
            for p in &c.pools {
                header.push(format!("{} logins", p.name));
                header.push(format!("{} active mean (P5–P95) / cap", p.name));
                header.push(format!("{} blocked", p.name));
            }
            header.push("login delay".into());
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
                            "{:.0} ({:.0}–{:.0}) / {}",
                            pt.active_mean, pt.active_p5, pt.active_p95, p.capacity
                        ))
                        .set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(format!("{:.1}", pt.blocked)).set_alignment(CellAlignment::Right),
                    );
                }
                row.push(
                    Cell::new(dur(c.pools[0].points[k].login_delay_secs))
                        .set_alignment(CellAlignment::Right),
                );
                t.add_row(row);
            }
            writeln!(
                out,
                "\nWorkday {} in {:.0}-minute intervals ({omitted} quiet intervals omitted; --format csv --output DIR has all)\n{t}",
                c.date,
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
    let Some(v) = input.verdict else {
        return Ok(());
    };
    writeln!(
        out,
        "\nService level ({} over replications): {}",
        v.quantile.label(),
        if v.met { "MET" } else { "BREACHED" }
    )?;
    for c in &v.checks {
        let (value, limit) = if c.target.ends_with("secs") {
            (dur(c.value), dur(c.limit))
        } else {
            (pct(c.value), pct(c.limit))
        };
        writeln!(
            out,
            "  {} {}{}: {value} (limit {limit})",
            if c.met { "ok  " } else { "FAIL" },
            c.target.replace('_', " "),
            c.pool
                .as_ref()
                .map_or(String::new(), |p| format!(" of {p}")),
        )?;
    }
    Ok(())
}
