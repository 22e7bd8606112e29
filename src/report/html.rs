//! One self-contained HTML report for the people who decide: key inputs, the verdict, the
//! charts (inline SVG), the replay table. No scripts, no external fonts, styles or images, so
//! it opens offline, can be mailed as one file, and prints on A4.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::format::{check_line_in, curve_reason_in, esc, verdict_heading_in};
use super::lang::Lang;
use super::{Exporter, ReportInput, svg};
use crate::scenario::{PoolKind, Scenario};

/// Writes the HTML report. Needs the scenario for its inputs.
pub struct Html<'a> {
    /// The scenario the results come from.
    pub scenario: &'a Scenario,
    /// The report's language (headings, verdict, captions, table headers, numbers, dates).
    pub lang: Lang,
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
/* On A4 (182 mm between the margins) and narrow screens, tables get a smaller type so they fit
   the page; the plan's order list prints on landscape pages (269 mm) and scrolls on a narrow
   screen. The browser test holds every table within its page's width. */
@media print, (max-width: 760px) {
  table { font-size: .75rem; }
  th, td { padding: .2rem .25rem; }
}
.wide { overflow-x: auto; }
@page { size: A4; margin: 14mm; }
@page wide { size: A4 landscape; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, tr { break-inside: avoid; }
  .wide { page: wide; overflow: visible; }
}
"#;

impl Exporter for Html<'_> {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let r = input.result;
        let s = self.scenario;
        let lang = self.lang;
        let t = |en: &'static str, de: &'static str| lang.pick(en, de);
        let date = |d: crate::units::Date| lang.date(d);
        let pct = |v: f64| lang.percent(v);
        let mut h = String::new();
        let title = format!(
            "{} — {}",
            s.meta.name,
            t(
                "remote-access capacity report",
                "Bericht zur Kapazität des Fernzugriffs"
            )
        );
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"generator\" content=\"rapt {}\"><title>{}</title><style>{STYLE}</style></head><body>",
            lang.code(),
            env!("CARGO_PKG_VERSION"),
            esc(&title)
        );
        let _ = write!(h, "<header><h1>{}</h1>", esc(&s.meta.name));
        let last = r.timeline.last().map(|d| d.date);
        let _ = write!(
            h,
            "<p class=\"sub\">{}{} · {} {} · {} {}{}</p>",
            s.meta
                .organisation
                .as_deref()
                .map(|o| format!("{} · ", esc(o)))
                .unwrap_or_default(),
            match (r.timeline.first(), last) {
                (Some(f), Some(l)) => format!("{} {} {}", date(f.date), t("to", "bis"), date(l)),
                _ => t("stationary run", "stationärer Lauf").to_string(),
            },
            r.replications,
            t("replications", "Replikationen"),
            t("seed", "Startwert"),
            r.seed,
            r.summary
                .busiest_day
                .map(|d| format!(" · {} {}", t("busiest day", "Spitzentag"), date(d)))
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
                "<section class=\"verdict {}\" id=\"failover\"><p>{}</p><p class=\"sub\">{}</p></section>",
                if n.met == Some(false) {
                    "breached"
                } else {
                    "met"
                },
                esc(&super::format::failover_line_in(n, lang)),
                t(
                    "Everything below is the run with the unit lost.",
                    "Alles Folgende zeigt den Lauf mit der ausgefallenen Einheit."
                ),
            );
        }
        match input.verdict {
            Some(v) => {
                let _ = write!(
                    h,
                    "<section class=\"verdict {}\" id=\"verdict\">{}<ul>",
                    if v.met { "met" } else { "breached" },
                    esc(&verdict_heading_in(v, lang)),
                );
                for c in &v.checks {
                    let _ = write!(
                        h,
                        "<li class=\"{}\">{} {}</li>",
                        if c.met { "ok" } else { "bad" },
                        if c.met { "✔" } else { "✘" },
                        esc(&check_line_in(c, lang)),
                    );
                }
                for note in &v.not_judged {
                    let _ = write!(
                        h,
                        "<li>{} {}</li>",
                        t("not judged:", "nicht beurteilt:"),
                        esc(note)
                    );
                }
                h.push_str("</ul></section>");
            }
            None => {
                let _ = write!(
                    h,
                    "<section class=\"verdict none\" id=\"verdict\">{}</section>",
                    t(
                        "No service level in the scenario: no verdict.",
                        "Das Szenario setzt kein Service-Level: kein Urteil."
                    )
                );
            }
        }

        // Key results.
        let q = lang.term(r.summary.quantile.label());
        let on = |w: Option<crate::sim::WorstDay>| match w {
            None => "—".to_string(),
            Some(w) if w.value == 0.0 => t("0%", "0 %").to_string(),
            Some(w) => format!("{} {} {}", pct(w.value), t("on", "am"), date(w.date)),
        };
        let (from, to) = (date(r.summary.window.from), date(r.summary.window.to));
        let _ = match lang {
            Lang::En => write!(
                h,
                "<h2>Key results</h2><p class=\"sub\">Judged days: simulated workdays {from} to {to}. Worst days are chosen per figure at the {q} over replications.</p><table id=\"key-results\"><thead><tr><th>pool</th><th class=\"num\">capacity on the busiest day</th><th class=\"num\">peak sessions P95 on the busiest day</th><th class=\"num\">worst blocking per attempt ({q})</th><th class=\"num\">days with blocking</th><th class=\"num\">blocked attempts, all days (mean)</th><th class=\"num\">users who gave up, all days (mean)</th><th class=\"num\">worst occupancy ({q})</th><th class=\"num\">worst bandwidth utilisation ({q})</th></tr></thead><tbody>",
            ),
            Lang::De => write!(
                h,
                "<h2>Wichtigste Ergebnisse</h2><p class=\"sub\">Beurteilte Tage: simulierte Arbeitstage vom {from} bis {to}. Der schlechteste Tag wird je Kennzahl beim {q} über die Replikationen gewählt.</p><table id=\"key-results\"><thead><tr><th>Pool</th><th class=\"num\">Kapazität am Spitzen&shy;tag</th><th class=\"num\">Sitzungs&shy;spitze P95 am Spitzen&shy;tag</th><th class=\"num\">höchste Blockie&shy;rung je Versuch ({q})</th><th class=\"num\">Tage mit Blockie&shy;rung</th><th class=\"num\">blockierte Versuche, alle Tage (Mittel)</th><th class=\"num\">Nutzer, die aufgaben, alle Tage (Mittel)</th><th class=\"num\">höchste Belegung ({q})</th><th class=\"num\">höchste Bandbreiten&shy;auslastung ({q})</th></tr></thead><tbody>",
            ),
        };
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
            "<div class=\"grid\"><p>{} ({}): <b>{}</b> (P95 {})</p><p>{}: <b>{}</b></p><p>{} ({q}): <b>{}</b></p></div>",
            t(
                "Remote workers on the busiest day",
                "Im Homeoffice am Spitzentag"
            ),
            r.summary.busiest_day.map_or("—".to_string(), date),
            n0(r.summary.remote_workers_busiest.mean),
            n0(r.summary.remote_workers_busiest.p95),
            t("Remote target met", "Freischaltziel erreicht"),
            r.summary.target_met.map_or(
                t("not within the horizon", "nicht im simulierten Zeitraum").to_string(),
                date
            ),
            t(
                "Longest login delay, worst day",
                "Längste Anmeldeverzögerung, schlechtester Tag"
            ),
            r.summary
                .worst_login_delay
                .map_or("—".to_string(), |w| format!(
                    "{} s {} {}",
                    lang.decimal(w.value, 1),
                    t("on", "am"),
                    date(w.date)
                )),
        );
        if !r.summary.first_binds.is_empty() {
            let _ = write!(
                h,
                "<p>{}: ",
                t(
                    "What ran out first (median date over replications, earliest first)",
                    "Was zuerst knapp wurde (Median-Datum über die Replikationen, früheste zuerst)"
                )
            );
            let items: Vec<String> = r
                .summary
                .first_binds
                .iter()
                .map(|b| {
                    format!(
                        "{} {}",
                        esc(&lang.term(b.constraint.label())),
                        b.date.map_or("—".to_string(), date)
                    )
                })
                .collect();
            h.push_str(&items.join("; "));
            h.push_str("</p>");
        }
        if let Some(chain) = &r.summary.staff_chain {
            h.push_str(&chain_table(chain, lang));
        }

        // Charts.
        let charts = svg::all_in(r, s.service_level.as_ref(), lang);
        if !charts.is_empty() {
            let _ = write!(h, "<h2>{}</h2>", t("Charts", "Diagramme"));
        }
        let day_note = r
            .curve
            .as_ref()
            .map(|c| {
                format!(
                    " {} {}: {}.",
                    t("The day shown is", "Gezeigt wird der"),
                    date(c.date),
                    curve_reason_in(&c.why, r.summary.quantile, lang)
                )
            })
            .unwrap_or_default();
        for c in &charts {
            let caption = match (c.id(), lang) {
                ("timeline", Lang::En) => "Staff enabled per access path; remote demand (staff the policy sends home) and remote workers (those enabled and at home) per workday, means over replications; capacities as step lines; shaded: the constraint holding back the rollout.".to_string(),
                ("timeline", Lang::De) => "Freigeschaltete Beschäftigte je Zugangsweg; Homeoffice-Bedarf (wen die Regelung nach Hause schickt) und Beschäftigte im Homeoffice (freigeschaltet und zu Hause) je Arbeitstag, Mittel über die Replikationen; Kapazitäten als Stufenlinien; schattiert: der Engpass, der die Einführung bremst.".to_string(),
                ("breach-calendar", Lang::En) => format!("Every judged workday (columns: weeks; rows: weekdays) per pool, coloured by that day's share of login attempts blocked at the {q} over replications, against the service level's limit. Hover a day for its value."),
                ("breach-calendar", Lang::De) => format!("Jeder beurteilte Arbeitstag (Spalten: Wochen; Zeilen: Wochentage) je Pool, gefärbt nach dem Anteil blockierter Anmeldeversuche an diesem Tag beim {q} über die Replikationen, gemessen an der Grenze des Service-Levels. Der Wert eines Tages erscheint beim Darüberfahren."),
                ("blocked", Lang::En) => format!("Login attempts refused because the pool was full, per interval (mean over replications).{day_note}"),
                ("blocked", Lang::De) => format!("Anmeldeversuche, die abgewiesen wurden, weil der Pool voll war, je Intervall (Mittel über die Replikationen).{day_note}"),
                ("login-delay", Lang::En) => format!("Mean login delay of the attempts made in each interval: waiting for the authentication service plus its service time (60 s / rate), over all replications.{day_note}"),
                ("login-delay", Lang::De) => format!("Mittlere Anmeldeverzögerung der Versuche je Intervall: Warten auf den Authentifizierungsdienst plus dessen Bedienzeit (60 s / Rate), über alle Replikationen.{day_note}"),
                ("bandwidth", Lang::En) => format!("Highest bandwidth demand within each interval as a share of the pool's throughput (mean over replications).{day_note}"),
                ("bandwidth", Lang::De) => format!("Höchster Bandbreitenbedarf je Intervall als Anteil am Durchsatz des Pools (Mittel über die Replikationen).{day_note}"),
                (_, Lang::En) => format!("Sessions active at each interval's start (mean line, P5–P95 band over replications) and the most active within the interval (dashed, mean); capacity as a line.{day_note}"),
                (_, Lang::De) => format!("Aktive Sitzungen zu Beginn jedes Intervalls (Linie: Mittel, Band: P5–P95 über die Replikationen) und die meisten aktiven innerhalb des Intervalls (gestrichelt, Mittel); Kapazität als Linie.{day_note}"),
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
            h.push_str(t("<h2>Published figures against the simulation</h2><p class=\"sub\">Only holdouts are evidence: inputs are set by the file (a replay checks they are echoed), calibration targets were fitted. Bounds (≥, ≤, ranges) are judged one-sided, values within their tolerance (15% unless the figure states one).</p>",
                "<h2>Veröffentlichte Zahlen im Vergleich mit der Simulation</h2><p class=\"sub\">Nur Prüfwerte (Holdouts) sind Belege: Eingaben setzt die Datei selbst (der Abgleich prüft, dass sie wiedergegeben werden), an Kalibrierwerte wurden Annahmen angepasst. Schranken (≥, ≤, Spannen) werden einseitig beurteilt, Werte innerhalb ihrer Toleranz (15 %, wenn die Zahl keine eigene nennt).</p>"));
            let (i, c, hd) = (answer.inputs, answer.calibration, answer.holdouts);
            let _ = write!(
                h,
                "<p id=\"evidence\" class=\"{}\">{} {} {} {} {}; {} {} {} {}; {} {} {} {}.</p>",
                if answer.evidence_agrees == Some(true) {
                    "ok"
                } else {
                    "bad"
                },
                match answer.evidence_agrees {
                    None => t(
                        "No holdout figure: nothing here is independent evidence.",
                        "Kein Prüfwert: nichts hier ist ein unabhängiger Beleg."
                    ),
                    Some(true) => t("The evidence agrees.", "Die Belege stimmen überein."),
                    Some(false) => t("Some evidence disagrees.", "Einige Belege weichen ab."),
                },
                t("Holdouts agreeing:", "Übereinstimmende Prüfwerte:"),
                hd.agree,
                t("of", "von"),
                hd.figures,
                t("inputs echoed:", "wiedergegebene Eingaben:"),
                i.agree,
                t("of", "von"),
                i.figures,
                t("calibration targets met:", "getroffene Kalibrierwerte:"),
                c.agree,
                t("of", "von"),
                c.figures
            );
            h.push_str(t("<table id=\"replay\"><thead><tr><th>role</th><th>date</th><th>figure</th><th>scope</th><th class=\"num\">published</th><th class=\"num\">simulated mean</th><th class=\"num\">P5–P95</th><th class=\"num\">relative error</th><th>agrees</th></tr></thead><tbody>",
                "<table id=\"replay\"><thead><tr><th>Rolle</th><th>Datum</th><th>Kenn&shy;zahl</th><th>Bereich</th><th class=\"num\">veröffent&shy;licht</th><th class=\"num\">simuliertes Mittel</th><th class=\"num\">P5–P95</th><th class=\"num\">relative Abwei&shy;chung</th><th>stimmt</th></tr></thead><tbody>"));
            for f in &answer.figures {
                let row = &f.row;
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}–{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>",
                    esc(&lang.term(row.role.label())),
                    date(row.date),
                    esc(&lang.term(row.metric.label())),
                    esc(&lang.scope(&row.scope)),
                    esc(&super::replay::published(row.published)),
                    n0(row.simulated.mean),
                    n0(row.p5),
                    n0(row.simulated.p95),
                    row.rel_error.map_or("—".into(), |e| match lang {
                        Lang::En => format!("{:+.1}%", e * 100.0),
                        Lang::De => format!("{:+.1} %", e * 100.0).replace('.', ","),
                    }),
                    if f.within_tolerance { "ok" } else { "bad" },
                    if f.within_tolerance {
                        t("yes", "ja")
                    } else {
                        t("no", "nein")
                    }
                );
            }
            h.push_str("</tbody></table>");
        }

        if let Some(plan) = input.plan {
            // The order list has eleven columns: printed on landscape pages of its own.
            h.push_str("<section class=\"wide\">");
            h.push_str(&super::plan::html_section_in(plan, lang));
            h.push_str("</section>");
        }

        // Inputs.
        h.push_str(t("<h2>Key inputs</h2><table id=\"staff\"><thead><tr><th>staff group</th><th class=\"num\">headcount</th><th class=\"num\">suitable for remote work</th><th>access paths (enabled at start)</th></tr></thead><tbody>",
            "<h2>Wichtigste Eingaben</h2><table id=\"staff\"><thead><tr><th>Beschäftigtengruppe</th><th class=\"num\">Köpfe</th><th class=\"num\">für Fernarbeit geeignet</th><th>Zugangswege (zu Beginn freigeschaltet)</th></tr></thead><tbody>"));
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
        h.push_str(t("</tbody></table><table id=\"pools\"><thead><tr><th>pool</th><th>kind</th><th class=\"num\">capacity at start</th><th>expansions</th><th>throughput</th><th class=\"num\">licences</th></tr></thead><tbody>",
            "</tbody></table><table id=\"pools\"><thead><tr><th>Pool</th><th>Art</th><th class=\"num\">Kapazität zu Beginn</th><th>Erweiterungen</th><th>Durchsatz</th><th class=\"num\">Lizenzen</th></tr></thead><tbody>"));
        for (name, p) in &s.pools {
            let (kind, start) = match p.kind {
                PoolKind::RemoteDesktop => (
                    t("remote desktop", "Remote-Desktop"),
                    format!(
                        "{} {} × {}",
                        p.hosts.unwrap_or(0),
                        t("hosts", "Hosts"),
                        p.sessions_per_host.unwrap_or(1)
                    ),
                ),
                PoolKind::Vpn => (
                    "VPN",
                    format!(
                        "{} {}",
                        n0(p.tunnels.unwrap_or(0) as f64),
                        t("tunnels", "Tunnel")
                    ),
                ),
                PoolKind::DialIn => (
                    t("dial-in", "Einwahl"),
                    format!(
                        "{} {}",
                        n0(p.tunnels.or(p.hosts).unwrap_or(0) as f64),
                        t("lines", "Leitungen")
                    ),
                ),
            };
            let exp: Vec<String> = p
                .expansions
                .iter()
                .map(|e| {
                    let what = e
                        .tunnels
                        .map(|n| format!("+{} {}", n0(n as f64), t("tunnels", "Tunnel")))
                        .or(e.hosts.map(|x| format!("+{x} {}", t("hosts", "Hosts"))))
                        .unwrap_or_default();
                    format!("{} {}", date(e.date), what)
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
            h.push_str(t("<table id=\"policy\"><thead><tr><th>policy phase</th><th>from</th><th class=\"num\">remote share</th><th class=\"num\">enable target</th><th>note</th></tr></thead><tbody>",
                "<table id=\"policy\"><thead><tr><th>Phase der Regelung</th><th>ab</th><th class=\"num\">Anteil im Homeoffice (remote_share)</th><th class=\"num\">Freischaltziel (enable_target)</th><th>Anmerkung</th></tr></thead><tbody>"));
            for (name, p) in &s.policy {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    esc(name),
                    date(p.from),
                    p.remote_share,
                    p.enable_target.map_or("—".to_string(), |t| t.to_string()),
                    esc(p.description.as_deref().unwrap_or(""))
                );
            }
            h.push_str("</tbody></table>");
        }
        if !s.meta.assumptions.is_empty() {
            let _ = write!(
                h,
                "<h2>{}</h2><ul id=\"assumptions\">",
                t("Assumptions", "Annahmen")
            );
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
            let _ = write!(h, "<h2>{}</h2><ul id=\"sources\">", t("Sources", "Quellen"));
            for src in &s.meta.sources {
                let _ = write!(
                    h,
                    "<li>{}: {}{}</li>",
                    esc(&src.publisher),
                    esc(&src.title),
                    src.date
                        .map(|d| format!(" ({})", date(d)))
                        .unwrap_or_default()
                );
            }
            h.push_str("</ul>");
        }
        let _ = match lang {
            Lang::En => writeln!(
                h,
                "<footer>Made by rapt {} from scenario “{}”, {} replications, seed {}. Same scenario and seed give the same report.</footer></body></html>",
                env!("CARGO_PKG_VERSION"),
                esc(&r.scenario),
                r.replications,
                r.seed
            ),
            Lang::De => writeln!(
                h,
                "<footer>Erstellt mit rapt {} aus dem Szenario „{}“, {} Replikationen, Startwert {}. Gleiches Szenario und gleicher Startwert ergeben denselben Bericht.</footer></body></html>",
                env!("CARGO_PKG_VERSION"),
                esc(&r.scenario),
                r.replications,
                r.seed
            ),
        };
        out.write_all(h.as_bytes())
    }
}

/// Who is at home, per group, as the product of the scenario's shares (see
/// [`crate::sim::StaffChain`]).
fn chain_table(chain: &crate::sim::StaffChain, lang: Lang) -> String {
    use std::fmt::Write as _;
    let share = |v: f64| lang.share(v);
    let (date, phase) = (lang.date(chain.date), esc(&chain.phase));
    let mut h = match lang {
        Lang::En => format!(
            "<h3>Staff at home on {date} (phase {phase})</h3><p class=\"sub\">headcount × remote_suitable × enable_target × remote_share = at home; the shares multiply. Remote demand in the timeline is suitable × remote_share (everyone suitable, enabled or not).</p><table id=\"staff-chain\"><thead><tr><th>group</th><th class=\"num\">headcount</th><th class=\"num\">× remote_<wbr>suitable</th><th class=\"num\">× enable_<wbr>target</th><th class=\"num\">× remote_<wbr>share</th><th class=\"num\">= at home</th><th class=\"num\">remote demand</th></tr></thead><tbody>"
        ),
        Lang::De => format!(
            "<h3>Im Homeoffice am {date} (Phase {phase})</h3><p class=\"sub\">Köpfe × geeignet (remote_suitable) × Freischaltziel (enable_target) × Anteil im Homeoffice (remote_share) = zu Hause; die Anteile multiplizieren sich. Der Homeoffice-Bedarf in der Zeitreihe ist geeignet × remote_share (alle Geeigneten, ob freigeschaltet oder nicht).</p><table id=\"staff-chain\"><thead><tr><th>Gruppe</th><th class=\"num\">Köpfe</th><th class=\"num\">× geeignet</th><th class=\"num\">× Freischaltziel</th><th class=\"num\">× Anteil im Homeoffice</th><th class=\"num\">= zu Hause</th><th class=\"num\">Homeoffice-Bedarf</th></tr></thead><tbody>"
        ),
    };
    for g in &chain.groups {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} = {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.0}</td><td class=\"num\">{:.0}</td></tr>",
            esc(&g.group),
            g.headcount,
            share(g.remote_suitable),
            g.suitable,
            lang.enable_step(g),
            share(g.remote_share),
            g.at_home,
            g.demand
        );
    }
    h.push_str("</tbody></table>");
    h
}
