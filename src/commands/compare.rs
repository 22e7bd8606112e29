//! `rapt compare A B`: key figures of two scenarios side by side.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use comfy_table::{Cell, CellAlignment};

use super::simulate::simulate_file;
use crate::Exit;
use crate::cli::{CompareArgs, FindingsFormat, RunArgs};
use rapt::report::format::{figure, figure_change};
use rapt::sim::SimResult;

/// One compared figure.
struct Row {
    figure: String,
    a: Option<f64>,
    b: Option<f64>,
}

fn key_figures(r: &SimResult) -> Vec<(String, Option<f64>)> {
    rapt::report::figures::key_figures(r)
        .into_iter()
        .map(|f| (f.label, f.value))
        .collect()
}

fn run_one(path: &Path, run: &RunArgs, quiet: bool) -> Result<Result<SimResult, Exit>> {
    let label = path.display().to_string();
    Ok(simulate_file(path, &run.options(None), &run.budget(quiet), &label)?.map(|s| s.result))
}

/// Runs `rapt compare`.
pub fn run(args: &CompareArgs) -> Result<Exit> {
    let (a, b, format) = (args.a.as_path(), args.b.as_path(), args.format);
    let ra = match run_one(a, &args.run, args.quiet)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let rb = match run_one(b, &args.run, args.quiet)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let fa = key_figures(&ra);
    let fb = key_figures(&rb);
    let mut rows: Vec<Row> = fa
        .iter()
        .map(|(k, v)| Row {
            figure: k.clone(),
            a: *v,
            b: None,
        })
        .collect();
    for (k, v) in fb {
        match rows.iter_mut().find(|r| r.figure == k) {
            Some(r) => r.b = v,
            None => rows.push(Row {
                figure: k,
                a: None,
                b: v,
            }),
        }
    }
    let mut out = super::stdout();
    match format {
        FindingsFormat::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "figure": r.figure, "a": r.a, "b": r.b,
                        "difference": r.a.zip(r.b).map(|(a, b)| b - a),
                        "relative_difference": r.a.zip(r.b).and_then(|(a, b)| (a != 0.0).then(|| (b - a) / a)),
                    })
                })
                .collect();
            let doc = serde_json::json!({ "a": { "file": a.display().to_string(), "scenario": ra.scenario }, "b": { "file": b.display().to_string(), "scenario": rb.scenario }, "figures": list });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        FindingsFormat::Table => {
            let mut t = super::stdout_table();
            t.set_header(vec![
                "figure".to_string(),
                format!("A: {}", a.display()),
                format!("B: {}", b.display()),
                "B − A".into(),
                "relative".into(),
            ]);
            for r in &rows {
                let diff = r.a.zip(r.b).map(|(a, b)| b - a);
                let rel = r
                    .a
                    .zip(r.b)
                    .and_then(|(a, b)| (a != 0.0).then(|| format!("{:+.1}%", (b - a) / a * 100.0)));
                t.add_row(vec![
                    Cell::new(&r.figure),
                    Cell::new(figure(r.a)).set_alignment(CellAlignment::Right),
                    Cell::new(figure(r.b)).set_alignment(CellAlignment::Right),
                    Cell::new(figure_change(diff)).set_alignment(CellAlignment::Right),
                    Cell::new(rel.unwrap_or_else(|| "—".into()))
                        .set_alignment(CellAlignment::Right),
                ]);
            }
            writeln!(out, "{t}")?;
        }
    }
    out.flush()?;
    Ok(Exit::Success)
}
