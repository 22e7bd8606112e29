//! A plan ([`crate::plan::orders::PlanAnswer`]) as tables, CSV (the order list) or JSON.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, Table};

use crate::plan::orders::PlanAnswer;

fn money(v: f64) -> String {
    let whole = v.round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0 { format!("-{out}") } else { out }
}

/// What the plan had to meet, with how it was judged.
fn goal(a: &PlanAnswer) -> String {
    let target = a.target_staff.map_or(String::new(), |n| {
        format!("{} staff enabled by {}; ", money(n as f64), a.asked_by)
    });
    let level = if a.check.service_level_met.is_some() {
        format!(
            "service level on every workday {} to {}",
            a.window.from, a.window.to
        )
    } else {
        "no service level".to_string()
    };
    format!(
        "{target}{level} ({} over {} replications, seed {}); orders from {}.",
        a.quantile.label(),
        a.replications,
        a.seed,
        a.today
    )
}

fn table(unicode: bool) -> Table {
    super::table::for_terminal(unicode)
}

fn right(s: impl ToString) -> Cell {
    Cell::new(s.to_string()).set_alignment(CellAlignment::Right)
}

/// Writes the plan for people: verdict, order list with total, runway, mixes, what was left
/// alone and the final check (box characters for a terminal, else Markdown; within the
/// layout's width).
pub fn write_table(
    a: &PlanAnswer,
    layout: super::table::Layout,
    verbose: bool,
    paint: super::format::Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    layout.wrapped(out, |w| write_plan(a, layout, verbose, paint, w))
}

fn write_plan(
    a: &PlanAnswer,
    layout: super::table::Layout,
    verbose: bool,
    paint: super::format::Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let unicode = layout.unicode;
    writeln!(out, "Plan for {}", a.scenario)?;
    writeln!(out, "Goal: {}", goal(a))?;
    if a.target_staff.is_none() && a.check.service_level_met.is_none() {
        writeln!(
            out,
            "Nothing to meet: no enable target is in force on {} and the scenario sets no service level (give --target, or a service_level).",
            a.asked_by
        )?;
    } else if a.feasible {
        writeln!(
            out,
            "{}: the orders below meet every target.",
            paint.good("Feasible")
        )?;
    } else {
        writeln!(out, "{} as asked:", paint.bad("NOT FEASIBLE"))?;
        for l in &a.limits {
            writeln!(out, "  - {l}")?;
        }
        if a.by != a.asked_by {
            writeln!(
                out,
                "  Earliest date that works: {}; the orders below are for it.",
                a.by
            )?;
        }
    }
    writeln!(out)?;
    if a.orders.is_empty() {
        writeln!(out, "Orders: none needed.")?;
    } else {
        let mut t = table(unicode);
        t.set_header([
            "resource",
            "unit",
            "have",
            "need",
            "order",
            "order by",
            "arrives",
            "needed from",
            "unit cost",
            "cost",
        ]);
        for o in &a.orders {
            t.add_row(vec![
                Cell::new(&o.resource),
                Cell::new(o.unit),
                right(money(o.have as f64)),
                right(money(o.need as f64)),
                right(money(o.order as f64)),
                Cell::new(o.order_by),
                Cell::new(o.arrives),
                Cell::new(o.needed_from.map_or("-".into(), |d| d.to_string())),
                right(o.unit_cost.map_or("-".into(), money)),
                right(o.cost.map_or("-".into(), money)),
            ]);
        }
        writeln!(out, "Orders")?;
        writeln!(out, "{}", layout.render(&t))?;
        write!(out, "Total cost: {}", money(a.total_cost))?;
        if !a.uncosted.is_empty() {
            write!(
                out,
                " (without a unit cost, not in the total: {})",
                a.uncosted.join(", ")
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "One order step less of each (why no line can be smaller):"
        )?;
        for o in &a.orders {
            if let Some(l) = &o.one_step_less {
                writeln!(out, "  {} {l}", o.resource)?;
            }
        }
    }
    if !a.runway.is_empty() {
        let mut t = table(unicode);
        t.set_header([
            "resource",
            "runs short on",
            "staff behind the day before the order arrives",
            "order arrives",
            "staff short on the date if never ordered",
        ]);
        for r in &a.runway {
            t.add_row(vec![
                Cell::new(&r.resource),
                Cell::new(
                    r.runs_out
                        .map_or("never (by the date)".into(), |d| d.to_string()),
                ),
                right(r.behind_until_arrival.map_or("-".into(), money)),
                Cell::new(r.order_arrives.map_or("-".into(), |d| d.to_string())),
                right(r.short_without_order.map_or("-".into(), money)),
            ]);
        }
        writeln!(
            out,
            "\nRunway: each resource at today's stock with the rest of the plan in place, against an unlimited supply of it\n(for pools and authentication: the first day the service level breaches)"
        )?;
        writeln!(out, "{}", layout.render(&t))?;
    }
    if !a.mixes.is_empty() {
        writeln!(out, "\nPath mixes considered")?;
        for m in &a.mixes {
            let paths: Vec<String> = m
                .enabled_by_path
                .iter()
                .map(|(p, n)| format!("{p} {}", money(*n)))
                .collect();
            writeln!(
                out,
                "  {} {}: cost {}{}; enabled by path: {}",
                if m.chosen { "*" } else { " " },
                m.name,
                money(m.total_cost),
                if m.feasible {
                    ""
                } else {
                    ", not feasible as asked"
                },
                paths.join(", ")
            )?;
        }
    }
    if !a.left_alone.is_empty() {
        writeln!(out, "\nLeft as they are")?;
        for l in &a.left_alone {
            writeln!(out, "  {}: {}", l.resource, l.reason)?;
        }
    }
    let c = &a.check;
    writeln!(out, "\nCheck of the planned scenario (same seed):")?;
    if let Some(s) = c.target_met_share {
        writeln!(
            out,
            "  enable target met on {} in {:.0}% of replications (needs {:.0}%)",
            a.by,
            s * 100.0,
            c.needed_share * 100.0
        )?;
    }
    match c.service_level_met {
        Some(true) => writeln!(out, "  service level met on every judged workday")?,
        Some(false) => {
            writeln!(out, "  service level BREACHED:")?;
            for b in &c.breaches {
                writeln!(out, "    {b}")?;
            }
        }
        None => writeln!(out, "  no service level to check")?,
    }
    writeln!(
        out,
        "Work: {} full simulations and {} rollout-only runs.",
        a.simulations, a.rollout_runs
    )?;
    if verbose {
        writeln!(out, "\nTried")?;
        for t in &a.tried {
            writeln!(
                out,
                "  {} +{} arriving {}: {} ({})",
                t.resource,
                t.quantity,
                t.arrives,
                if t.meets { "meets" } else { "fails" },
                t.detail
            )?;
        }
    }
    Ok(())
}

/// Writes the order list as CSV: one row per order; costs to the cent.
pub fn write_csv(
    a: &PlanAnswer,
    style: super::csv::CsvStyle,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut w = style.writer(out)?;
    w.write_record([
        "resource",
        "unit",
        "have",
        "need",
        "order",
        "order_by",
        "arrives",
        "needed_from",
        "unit_cost",
        "cost",
    ])?;
    for o in &a.orders {
        let opt = |v: Option<f64>| v.map_or(String::new(), cents);
        w.write_record(
            [
                o.resource.clone(),
                o.unit.to_string(),
                o.have.to_string(),
                o.need.to_string(),
                o.order.to_string(),
                o.order_by.to_string(),
                o.arrives.to_string(),
                o.needed_from.map_or(String::new(), |d| d.to_string()),
                opt(o.unit_cost),
                opt(o.cost),
            ]
            .into_iter()
            .enumerate()
            // Resource and unit are names; the rest numbers and dates.
            .map(|(i, c)| if i < 2 { style.text(c) } else { style.cell(c) }),
        )?;
    }
    w.flush()
}

/// An amount of money for CSV: to the cent, without trailing zeros (`1500`, `12.5`, `0.99`).
fn cents(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// Writes the whole answer as JSON.
pub fn write_json(a: &PlanAnswer, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, a)?;
    writeln!(out)
}

/// The plan as a section of the HTML report: verdict, order list with total, runway, mixes.
pub fn html_section(a: &PlanAnswer) -> String {
    html_section_in(a, super::lang::Lang::En)
}

/// [`html_section`] with the headings, verdict, table headers and dates in a language (the
/// planner's own sentences — goal, limits, one step less — stay English).
pub fn html_section_in(a: &PlanAnswer, lang: super::lang::Lang) -> String {
    use super::format::{esc, esc_path};
    use std::fmt::Write as _;
    let t = |en: &'static str, de: &'static str| lang.pick(en, de);
    let date = |d: crate::units::Date| lang.date(d);
    let mut h = format!(
        "<h2>{}</h2>",
        t("Plan: what to order", "Plan: was zu bestellen ist")
    );
    let _ = write!(
        h,
        "<p class=\"sub\">{}: {} {} {}, {} {}.</p>",
        t("Goal", "Ziel"),
        esc(&goal(a)),
        a.simulations,
        t("full simulations", "vollständige Simulationen"),
        a.rollout_runs,
        t("rollout-only runs", "Läufe nur der Einführung")
    );
    if a.feasible {
        let _ = write!(
            h,
            "<p id=\"plan-verdict\" class=\"ok\">{}</p>",
            t(
                "Feasible: the orders meet every target.",
                "Machbar: die Bestellungen erfüllen jedes Ziel."
            )
        );
    } else {
        let _ = write!(
            h,
            "<div id=\"plan-verdict\" class=\"bad\"><p>{}</p><ul>",
            t("Not feasible as asked:", "So nicht machbar:")
        );
        for l in &a.limits {
            let _ = write!(h, "<li>{}</li>", esc(l));
        }
        h.push_str("</ul>");
        if a.by != a.asked_by {
            let _ = write!(
                h,
                "<p>{}: {}; {}</p>",
                t("Earliest date that works", "Frühestes machbares Datum"),
                date(a.by),
                t("the orders are for it.", "die Bestellungen gelten dafür.")
            );
        }
        h.push_str("</div>");
    }
    h.push_str(t("<table id=\"orders\"><thead><tr><th>resource</th><th>unit</th><th class=\"num\">have</th><th class=\"num\">need</th><th class=\"num\">order</th><th>order by</th><th>arrives</th><th>needed from</th><th class=\"num\">unit cost</th><th class=\"num\">cost</th><th>one step less</th></tr></thead><tbody>",
        "<table id=\"orders\"><thead><tr><th>Ressource</th><th>Einheit</th><th class=\"num\">vorhanden</th><th class=\"num\">benötigt</th><th class=\"num\">bestellen</th><th>bestellen bis</th><th>trifft ein</th><th>benötigt ab</th><th class=\"num\">Stückpreis</th><th class=\"num\">Kosten</th><th>ein Schritt weniger</th></tr></thead><tbody>"));
    for o in &a.orders {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc_path(&o.resource),
            esc(o.unit),
            money(o.have as f64),
            money(o.need as f64),
            money(o.order as f64),
            date(o.order_by),
            date(o.arrives),
            o.needed_from.map_or("—".into(), date),
            o.unit_cost.map_or("—".into(), money),
            o.cost.map_or("—".into(), money),
            esc(o.one_step_less.as_deref().unwrap_or(""))
        );
    }
    let _ = write!(
        h,
        "</tbody><tfoot><tr><td colspan=\"9\">{}</td><td class=\"num\">{}</td><td></td></tr></tfoot></table>",
        t(
            "total (lines with a unit cost)",
            "Summe (Zeilen mit Stückpreis)"
        ),
        money(a.total_cost)
    );
    if !a.runway.is_empty() {
        h.push_str(t("<table id=\"runway\"><thead><tr><th>resource</th><th>runs short on</th><th class=\"num\">staff behind the day before the order arrives</th><th>order arrives</th><th class=\"num\">staff short on the date if never ordered</th></tr></thead><tbody>",
            "<table id=\"runway\"><thead><tr><th>Ressource</th><th>wird knapp am</th><th class=\"num\">Beschäftigte im Rückstand am Tag vor dem Eintreffen</th><th>Bestellung trifft ein</th><th class=\"num\">fehlende Beschäftigte am Stichtag ohne Bestellung</th></tr></thead><tbody>"));
        for r in &a.runway {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc_path(&r.resource),
                r.runs_out.map_or(
                    t("never (by the date)", "nie (bis zum Stichtag)").into(),
                    date
                ),
                r.behind_until_arrival.map_or("—".into(), money),
                r.order_arrives.map_or("—".into(), date),
                r.short_without_order.map_or("—".into(), money)
            );
        }
        h.push_str("</tbody></table>");
    }
    if !a.mixes.is_empty() {
        h.push_str("<ul id=\"mixes\">");
        for m in &a.mixes {
            let paths: Vec<String> = m
                .enabled_by_path
                .iter()
                .map(|(p, n)| format!("{} {}", esc(p), money(*n)))
                .collect();
            let _ = write!(
                h,
                "<li>{}{}: {} {}{}; {}: {}</li>",
                if m.chosen {
                    t("chosen: ", "gewählt: ")
                } else {
                    ""
                },
                esc(&m.name),
                t("cost", "Kosten"),
                money(m.total_cost),
                if m.feasible {
                    ""
                } else {
                    t(", not feasible as asked", ", so nicht machbar")
                },
                t("enabled by path", "freigeschaltet je Zugangsweg"),
                paths.join(", ")
            );
        }
        h.push_str("</ul>");
    }
    h
}
