//! A replay ([`crate::plan::replay::ReplayAnswer`]) as a table or JSON.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use crate::plan::replay::ReplayAnswer;
use crate::scenario::{FigureRole, Published};

/// How a figure was published, for people: `6000`, `≥ 6000`, `≤ 300`, `4000–5000`.
pub fn published(p: Published) -> String {
    match p {
        Published::Value(v) => value(v),
        Published::AtLeast(v) => format!("≥ {}", value(v)),
        Published::AtMost(v) => format!("≤ {}", value(v)),
        Published::Range { min, max } => format!("{}–{}", value(min), value(max)),
    }
}

/// A replayed value: three decimals for a fraction below 2, else a whole number.
fn value(v: f64) -> String {
    if v.abs() < 2.0 && v.fract() != 0.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.0}")
    }
}

/// The figures as a table (box characters for a terminal, else Markdown; within the layout's
/// width), with a heading and the overall result.
pub fn write_table(
    answer: &ReplayAnswer,
    layout: super::table::Layout,
    paint: super::format::Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    layout.wrapped(out, |w| write_replayed(answer, layout, paint, w))
}

fn write_replayed(
    answer: &ReplayAnswer,
    layout: super::table::Layout,
    paint: super::format::Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut t = super::table::for_terminal(layout.unicode);
    t.set_header(vec![
        "role",
        "date",
        "figure",
        "scope",
        "published",
        "simulated mean",
        "P5–P95",
        "error",
        "relative",
        "tolerance",
        "",
    ]);
    for f in &answer.figures {
        let r = &f.row;
        let right = |text: String| Cell::new(text).set_alignment(CellAlignment::Right);
        let status = match (r.role, f.within_tolerance) {
            (FigureRole::Input, true) => "echoed",
            (FigureRole::Input, false) => "NOT ECHOED",
            (_, true) => "ok",
            (_, false) => "OUTSIDE",
        };
        t.add_row(vec![
            Cell::new(r.role.label()),
            Cell::new(r.date),
            Cell::new(r.metric.label()),
            Cell::new(&r.scope),
            right(published(r.published)),
            right(value(r.simulated.mean)),
            right(format!("{}–{}", value(r.p5), value(r.simulated.p95))),
            right(format!("{:+}", value(r.abs_error))),
            right(
                r.rel_error
                    .map_or("—".into(), |e| format!("{:+.1}%", e * 100.0)),
            ),
            right(match r.published {
                Published::Value(_) => format!("{:.0}%", f.tolerance_used * 100.0),
                _ => "bound".into(),
            }),
            Cell::new(status),
        ]);
    }
    writeln!(
        out,
        "{} — replay of {} published figures ({} replications, seed {}); bounds are judged one-sided, without tolerance\n{}",
        answer.scenario,
        answer.figures.len(),
        answer.replications,
        answer.seed,
        // The verdict column (last) stays longest; the band and errors go first.
        layout.render_ranked(&t, &[3, 4, 5, 4, 6, 6, 1, 1, 3, 2, 7])
    )?;
    let (i, c, h) = (answer.inputs, answer.calibration, answer.holdouts);
    writeln!(
        out,
        "inputs echoed: {} of {}; calibration targets met: {} of {} (fitted, not evidence); holdouts agreeing: {} of {}",
        i.agree, i.figures, c.agree, c.figures, h.agree, h.figures
    )?;
    writeln!(
        out,
        "{}",
        match answer.evidence_agrees {
            None =>
                paint.warn("no holdout figure: nothing in this scenario is independent evidence"),
            Some(true) => paint.good("evidence: every holdout agrees and every input is echoed"),
            Some(false) => {
                paint.bad("evidence: some holdouts disagree or some inputs are not echoed")
            }
        }
    )
}

/// The uncertain inputs ranked per figure by how much each moves it.
pub fn write_sensitivity(answer: &ReplayAnswer, out: &mut dyn Write) -> io::Result<()> {
    if answer.sensitivity.is_empty() {
        return writeln!(
            out,
            "\nsensitivity: the scenario has no uncertain inputs (an `uncertain` section) to rank"
        );
    }
    writeln!(
        out,
        "\nsensitivity: Spearman's rank correlation between each uncertain input's draw and the figure, over {} replications (±1: moves it in lockstep, 0: not at all; |ρ| below {:.2} (2/√n) is within chance)",
        answer.replications,
        2.0 / f64::from(answer.replications.max(1)).sqrt()
    )?;
    for s in &answer.sensitivity {
        let f = &answer.figures[s.figure].row;
        let ranked: Vec<String> = s
            .inputs
            .iter()
            .map(|(name, r)| match r {
                Some(r) => format!("{name} {r:+.2}"),
                None => format!("{name} (no variation)"),
            })
            .collect();
        writeln!(
            out,
            "  {} {} ({}): {}",
            f.date,
            f.metric.label(),
            f.scope,
            ranked.join(", ")
        )?;
    }
    Ok(())
}

/// The answer as pretty JSON.
pub fn write_json(answer: &ReplayAnswer, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, answer)?;
    writeln!(out)
}
