//! A sweep's answer ([`crate::plan::sweep::SweepAnswer`]) as CSV, a table or JSON.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use super::csv::{CsvStyle, io_error, num};
use super::format::figure;
use crate::plan::sweep::SweepAnswer;

/// Column names: the swept paths, the key figures, and the verdict column if any.
fn header(answer: &SweepAnswer, level: &str) -> Vec<String> {
    answer
        .axes
        .iter()
        .map(|a| a.path.clone())
        .chain(answer.keys())
        .chain(answer.judged().then(|| level.to_string()))
        .collect()
}

/// One row per point: the settings, the key figures ([`num`]'s precision),
/// `service_level_met` if judged. Every cell passes [`CsvStyle::cell`]: the header holds pool
/// names, the settings come from the user.
pub fn write_csv(answer: &SweepAnswer, style: CsvStyle, out: &mut dyn Write) -> io::Result<()> {
    let mut w = style.writer(out)?;
    w.write_record(
        header(answer, "service_level_met")
            .into_iter()
            .map(|c| style.text(c)),
    )
    .map_err(io_error)?;
    for p in &answer.points {
        let mut rec: Vec<String> = p.settings.values().cloned().collect();
        rec.extend(p.figures.values().map(|v| v.map_or(String::new(), num)));
        if let Some(met) = p.service_level_met {
            rec.push(met.to_string());
        }
        w.write_record(rec.into_iter().map(|c| style.cell(c)))
            .map_err(io_error)?;
    }
    w.flush()
}

/// The points as a table (box characters for a terminal, else Markdown; within the layout's
/// width).
pub fn write_table(
    answer: &SweepAnswer,
    layout: super::table::Layout,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut t = super::table::for_terminal(layout.unicode);
    t.set_header(header(answer, "service level"));
    for p in &answer.points {
        let mut cells: Vec<Cell> = p.settings.values().map(Cell::new).collect();
        cells.extend(
            p.figures
                .values()
                .map(|v| Cell::new(figure(*v)).set_alignment(CellAlignment::Right)),
        );
        if let Some(met) = p.service_level_met {
            cells.push(Cell::new(if met { "met" } else { "BREACHED" }));
        }
        t.add_row(cells);
    }
    layout.wrapped(out, |w| writeln!(w, "{}", layout.render(&t)))
}

/// The answer as pretty JSON.
pub fn write_json(answer: &SweepAnswer, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, answer)?;
    writeln!(out)
}
