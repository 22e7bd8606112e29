//! One self-contained HTML report for the people who decide: key inputs, the verdict, the
//! charts (inline SVG), the replay table. No scripts, no external fonts, styles or images, so
//! it opens offline, can be mailed as one file, and prints on A4.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::format::{check_line, curve_reason, esc, percent as pct, verdict_heading};
use super::{Exporter, ReportInput, svg};
use crate::scenario::{PoolKind, Scenario};

/// Writes the HTML report. Needs the scenario for its inputs.
pub struct Html<'a> {
    /// The scenario the results come from.
    pub scenario: &'a Scenario,
}

fn n0(v: f64) -> String {
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if v < -0.5 { format!("−{out}") } else { out }
}

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
  max-width: 980px; padding: 24px; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
.sub { color: #555; margin: 0 0 1rem; }
.verdict { padding: .8rem 1rem; border-radius: 6px; margin: 1rem 0; font-weight: 600; }
.verdict.met { background: #e6f4ea; border: 1px solid #1e7b34; }
.verdict.breached { background: #fdecea; border: 1px solid #b3261e; }
.verdict.none { background: #f1f3f4; border: 1px solid #888; }
.verdict ul { font-weight: normal; margin: .4rem 0 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 1.5rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid #eee; }
figcaption { color: #555; font-size: .9rem; margin-top: .3rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: .2rem 1.5rem; }
.ok { color: #1e7b34; } .bad { color: #b3261e; font-weight: 600; }
footer { color: #666; font-size: .85rem; margin-top: 2rem; border-top: 1px solid #ccc; padding-top: .5rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, tr { break-inside: avoid; }
}
"#;

impl Exporter for Html<'_> {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let r = input.result;
        let s = self.scenario;
        let mut h = String::new();
        let title = format!("{} — remote-access capacity report", s.meta.name);
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"generator\" content=\"rapt {}\"><title>{}</title><style>{STYLE}</style></head><body>",
            env!("CARGO_PKG_VERSION"),
            esc(&title)
        );
        let _ = write!(h, "<header><h1>{}</h1>", esc(&s.meta.name));
        let last = r.timeline.last().map(|d| d.date);
        let _ = write!(
            h,
            "<p class=\"sub\">{}{} · {} replications · seed {}{}</p>",
            s.meta
                .organisation
                .as_deref()
                .map(|o| format!("{} · ", esc(o)))
                .unwrap_or_default(),
            match (r.timeline.first(), last) {
                (Some(f), Some(l)) => format!("{} to {}", f.date, l),
                _ => "stationary run".to_string(),
            },
            r.replications,
            r.seed,
            r.summary
                .busiest_day
                .map(|d| format!(" · busiest day {d}"))
                .unwrap_or_default()
        );
        if let Some(d) = &s.meta.description {
            let _ = write!(h, "<p>{}</p>", esc(d));
        }
        h.push_str("</header>");

        // The verdict first: it is what the reader came for.
        if let Some(n) = input.failover {
            let _ = write!(
                h,
                "<section class=\"verdict {}\" id=\"failover\"><p>{}</p><p class=\"sub\">Everything below is the run with the unit lost.</p></section>",
                if n.met == Some(false) {
                    "breached"
                } else {
                    "met"
                },
                esc(&super::format::failover_line(n)),
            );
        }
        match input.verdict {
            Some(v) => {
                let _ = write!(
                    h,
                    "<section class=\"verdict {}\" id=\"verdict\">{}<ul>",
                    if v.met { "met" } else { "breached" },
                    esc(&verdict_heading(v)),
                );
                for c in &v.checks {
                    let _ = write!(
                        h,
                        "<li class=\"{}\">{} {}</li>",
                        if c.met { "ok" } else { "bad" },
                        if c.met { "✔" } else { "✘" },
                        esc(&check_line(c)),
                    );
                }
                for note in &v.not_judged {
                    let _ = write!(h, "<li>not judged: {}</li>", esc(note));
                }
                h.push_str("</ul></section>");
            }
            None => h.push_str(
                "<section class=\"verdict none\" id=\"verdict\">No service level in the scenario: no verdict.</section>",
            ),
        }

        // Key results.
        let q = r.summary.quantile.label();
        let on = |w: Option<crate::sim::WorstDay>| match w {
            None => "—".to_string(),
            Some(w) if w.value == 0.0 => "0%".to_string(),
            Some(w) => format!("{} on {}", pct(w.value), w.date),
        };
        let _ = write!(
            h,
            "<h2>Key results</h2><p class=\"sub\">Judged days: simulated workdays {} to {}. Worst days are chosen per figure at the {q} over replications.</p><table id=\"key-results\"><thead><tr><th>pool</th><th class=\"num\">capacity on the busiest day</th><th class=\"num\">peak sessions P95 on the busiest day</th><th class=\"num\">worst blocking per attempt ({q})</th><th class=\"num\">days with blocking</th><th class=\"num\">blocked attempts, all days (mean)</th><th class=\"num\">users who gave up, all days (mean)</th><th class=\"num\">worst occupancy ({q})</th><th class=\"num\">worst bandwidth utilisation ({q})</th></tr></thead><tbody>",
            r.summary.window.from, r.summary.window.to
        );
        for p in &r.summary.pools {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&p.name),
                n0(p.capacity_busiest as f64),
                n0(p.peak_sessions_busiest.p95),
                on(p.worst_blocking),
                p.days_with_blocking,
                n0(p.blocked_attempts_total),
                n0(p.gave_up_total),
                on(p.worst_occupancy),
                on(p.worst_bandwidth_utilisation),
            );
        }
        h.push_str("</tbody></table>");
        let _ = write!(
            h,
            "<div class=\"grid\"><p>Remote workers on the busiest day ({}): <b>{}</b> (P95 {})</p><p>Remote target met: <b>{}</b></p><p>Longest login delay, worst day ({q}): <b>{}</b></p></div>",
            r.summary
                .busiest_day
                .map_or("—".to_string(), |d| d.to_string()),
            n0(r.summary.remote_workers_busiest.mean),
            n0(r.summary.remote_workers_busiest.p95),
            r.summary
                .target_met
                .map_or("not within the horizon".to_string(), |d| d.to_string()),
            r.summary
                .worst_login_delay
                .map_or("—".to_string(), |w| format!(
                    "{:.1} s on {}",
                    w.value, w.date
                )),
        );
        if !r.summary.first_binds.is_empty() {
            h.push_str("<p>What ran out first (median date over replications, earliest first): ");
            let items: Vec<String> = r
                .summary
                .first_binds
                .iter()
                .map(|b| {
                    format!(
                        "{} {}",
                        esc(b.constraint.label()),
                        b.date.map_or("—".to_string(), |d| d.to_string())
                    )
                })
                .collect();
            h.push_str(&items.join("; "));
            h.push_str("</p>");
        }
        if let Some(chain) = &r.summary.staff_chain {
            h.push_str(&chain_table(chain));
        }

        // Charts.
        let charts = svg::all(r, s.service_level.as_ref());
        if !charts.is_empty() {
            h.push_str("<h2>Charts</h2>");
        }
        let day_note = r
            .curve
            .as_ref()
            .map(|c| {
                format!(
                    " The day shown is {}: {}.",
                    c.date,
                    curve_reason(&c.why, r.summary.quantile)
                )
            })
            .unwrap_or_default();
        for c in &charts {
            let caption = match c.id() {
                "timeline" => "Staff enabled per access path; remote demand (staff the policy sends home) and remote workers (those enabled and at home) per workday, means over replications; capacities as step lines; shaded: the constraint holding back the rollout.".to_string(),
                "breach-calendar" => format!("Every judged workday (columns: weeks; rows: weekdays) per pool, coloured by that day's share of login attempts blocked at the {q} over replications, against the service level's limit. Hover a day for its value."),
                "blocked" => format!("Login attempts refused because the pool was full, per interval (mean over replications).{day_note}"),
                "login-delay" => format!("Mean login delay of the attempts made in each interval: waiting for the authentication service plus its service time (60 s / rate), over all replications.{day_note}"),
                "bandwidth" => format!("Highest bandwidth demand within each interval as a share of the pool's throughput (mean over replications).{day_note}"),
                _ => format!("Sessions active at each interval's start (mean line, P5–P95 band over replications) and the most active within the interval (dashed, mean); capacity as a line.{day_note}"),
            };
            let _ = write!(
                h,
                "<figure id=\"chart-{}\">{}<figcaption>{}</figcaption></figure>",
                esc(c.id()),
                c.render(),
                esc(&caption)
            );
        }

        // Replay.
        if !r.replay.is_empty() {
            let answer = crate::plan::replay::replay(r, crate::plan::replay::DEFAULT_TOLERANCE);
            h.push_str("<h2>Published figures against the simulation</h2><p class=\"sub\">Only holdouts are evidence: inputs are set by the file (a replay checks they are echoed), calibration targets were fitted. Bounds (≥, ≤, ranges) are judged one-sided, values within their tolerance (15% unless the figure states one).</p>");
            let (i, c, hd) = (answer.inputs, answer.calibration, answer.holdouts);
            let _ = write!(
                h,
                "<p id=\"evidence\" class=\"{}\">{} Holdouts agreeing: {} of {}; inputs echoed: {} of {}; calibration targets met: {} of {}.</p>",
                if answer.evidence_agrees == Some(true) {
                    "ok"
                } else {
                    "bad"
                },
                match answer.evidence_agrees {
                    None => "No holdout figure: nothing here is independent evidence.",
                    Some(true) => "The evidence agrees.",
                    Some(false) => "Some evidence disagrees.",
                },
                hd.agree,
                hd.figures,
                i.agree,
                i.figures,
                c.agree,
                c.figures
            );
            h.push_str("<table id=\"replay\"><thead><tr><th>role</th><th>date</th><th>figure</th><th>scope</th><th class=\"num\">published</th><th class=\"num\">simulated mean</th><th class=\"num\">P5–P95</th><th class=\"num\">relative error</th><th>agrees</th></tr></thead><tbody>");
            for f in &answer.figures {
                let row = &f.row;
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}–{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>",
                    row.role.label(),
                    row.date,
                    esc(row.metric.label()),
                    esc(&row.scope),
                    esc(&super::replay::published(row.published)),
                    n0(row.simulated.mean),
                    n0(row.p5),
                    n0(row.simulated.p95),
                    row.rel_error
                        .map_or("—".into(), |e| format!("{:+.1}%", e * 100.0)),
                    if f.within_tolerance { "ok" } else { "bad" },
                    if f.within_tolerance { "yes" } else { "no" }
                );
            }
            h.push_str("</tbody></table>");
        }

        if let Some(plan) = input.plan {
            h.push_str(&super::plan::html_section(plan));
        }

        // Inputs.
        h.push_str("<h2>Key inputs</h2><table id=\"staff\"><thead><tr><th>staff group</th><th class=\"num\">headcount</th><th class=\"num\">suitable for remote work</th><th>access paths (enabled at start)</th></tr></thead><tbody>");
        for (name, g) in &s.staff {
            let access: Vec<String> = g
                .access
                .iter()
                .map(|a| format!("{} ({})", esc(&a.path), n0(a.enabled as f64)))
                .collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(name),
                n0(g.headcount as f64),
                g.remote_suitable,
                access.join(", ")
            );
        }
        h.push_str("</tbody></table><table id=\"pools\"><thead><tr><th>pool</th><th>kind</th><th class=\"num\">capacity at start</th><th>expansions</th><th>throughput</th><th class=\"num\">licences</th></tr></thead><tbody>");
        for (name, p) in &s.pools {
            let (kind, start) = match p.kind {
                PoolKind::RemoteDesktop => (
                    "remote desktop",
                    format!(
                        "{} hosts × {}",
                        p.hosts.unwrap_or(0),
                        p.sessions_per_host.unwrap_or(1)
                    ),
                ),
                PoolKind::Vpn => (
                    "VPN",
                    format!("{} tunnels", n0(p.tunnels.unwrap_or(0) as f64)),
                ),
                PoolKind::DialIn => (
                    "dial-in",
                    format!("{} lines", n0(p.tunnels.or(p.hosts).unwrap_or(0) as f64)),
                ),
            };
            let exp: Vec<String> = p
                .expansions
                .iter()
                .map(|e| {
                    let what = e
                        .tunnels
                        .map(|t| format!("+{} tunnels", n0(t as f64)))
                        .or(e.hosts.map(|x| format!("+{x} hosts")))
                        .unwrap_or_default();
                    format!("{} {}", e.date, what)
                })
                .collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(name),
                kind,
                start,
                if exp.is_empty() {
                    "—".into()
                } else {
                    exp.join("; ")
                },
                p.throughput.map_or("—".to_string(), |t| t.to_string()),
                p.licences.map_or("—".to_string(), |l| n0(l as f64))
            );
        }
        h.push_str("</tbody></table>");
        if !s.policy.is_empty() {
            h.push_str("<table id=\"policy\"><thead><tr><th>policy phase</th><th>from</th><th class=\"num\">remote share</th><th class=\"num\">enable target</th><th>note</th></tr></thead><tbody>");
            for (name, p) in &s.policy {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    esc(name),
                    p.from,
                    p.remote_share,
                    p.enable_target.map_or("—".to_string(), |t| t.to_string()),
                    esc(p.description.as_deref().unwrap_or(""))
                );
            }
            h.push_str("</tbody></table>");
        }
        if !s.meta.assumptions.is_empty() {
            h.push_str("<h2>Assumptions</h2><ul id=\"assumptions\">");
            for a in &s.meta.assumptions {
                let _ = write!(
                    h,
                    "<li><code>{}</code>: {}</li>",
                    esc(&a.field),
                    esc(&a.reason)
                );
            }
            h.push_str("</ul>");
        }
        if !s.meta.sources.is_empty() {
            h.push_str("<h2>Sources</h2><ul id=\"sources\">");
            for src in &s.meta.sources {
                let _ = write!(
                    h,
                    "<li>{}: {}{}</li>",
                    esc(&src.publisher),
                    esc(&src.title),
                    src.date.map(|d| format!(" ({d})")).unwrap_or_default()
                );
            }
            h.push_str("</ul>");
        }
        let _ = writeln!(
            h,
            "<footer>Made by rapt {} from scenario “{}”, {} replications, seed {}. Same scenario and seed give the same report.</footer></body></html>",
            env!("CARGO_PKG_VERSION"),
            esc(&r.scenario),
            r.replications,
            r.seed
        );
        out.write_all(h.as_bytes())
    }
}

/// Who is at home, per group, as the product of the scenario's shares (see
/// [`crate::sim::StaffChain`]).
fn chain_table(chain: &crate::sim::StaffChain) -> String {
    use std::fmt::Write as _;
    let share = |v: f64| format!("{}%", super::csv::num(v * 100.0));
    let mut h = format!(
        "<h3>Staff at home on {} (phase {})</h3><p class=\"sub\">headcount × remote_suitable × enable_target × remote_share = at home; the shares multiply. Remote demand in the timeline is suitable × remote_share (everyone suitable, enabled or not).</p><table id=\"staff-chain\"><thead><tr><th>group</th><th class=\"num\">headcount</th><th class=\"num\">× remote_suitable</th><th class=\"num\">× enable_target</th><th class=\"num\">× remote_share</th><th class=\"num\">= at home</th><th class=\"num\">remote demand</th></tr></thead><tbody>",
        chain.date,
        esc(&chain.phase)
    );
    for g in &chain.groups {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} = {}</td><td class=\"num\">{} = {}</td><td class=\"num\">{}</td><td class=\"num\">{:.0}</td><td class=\"num\">{:.0}</td></tr>",
            esc(&g.group),
            g.headcount,
            share(g.remote_suitable),
            g.suitable,
            share(g.enable_target),
            g.enabled_goal,
            share(g.remote_share),
            g.at_home,
            g.demand
        );
    }
    h.push_str("</tbody></table>");
    h
}
