//! A comparison ([`crate::plan::compare::Comparison`]) as a table or JSON.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use super::format::{figure, figure_change};
use crate::plan::compare::Comparison;

/// The figures as a table (box characters for a terminal, else Markdown; within the layout's
/// width).
pub fn write_table(
    c: &Comparison,
    layout: super::table::Layout,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut t = super::table::for_terminal(layout.unicode);
    t.set_header(vec![
        "figure".to_string(),
        format!("A: {}", c.a.file),
        format!("B: {}", c.b.file),
        "B − A".into(),
        "relative".into(),
    ]);
    for f in &c.figures {
        let rel = f
            .relative_difference
            .map_or_else(|| "—".into(), |r| format!("{:+.1}%", r * 100.0));
        t.add_row(vec![
            Cell::new(&f.figure),
            Cell::new(figure(f.a)).set_alignment(CellAlignment::Right),
            Cell::new(figure(f.b)).set_alignment(CellAlignment::Right),
            Cell::new(figure_change(f.difference)).set_alignment(CellAlignment::Right),
            Cell::new(rel).set_alignment(CellAlignment::Right),
        ]);
    }
    layout.wrapped(out, |w| writeln!(w, "{}", layout.render(&t)))
}

/// The comparison as pretty JSON.
pub fn write_json(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, c)?;
    writeln!(out)
}
