//! `rapt replay FILE`: published figures against the simulation.

use std::io::Write;

use anyhow::Result;
use comfy_table::{Cell, CellAlignment};

use super::simulate::{load, run_simulation};
use crate::Exit;
use crate::cli::{FindingsFormat, ReplayArgs};
use rapt::sim::{Model, ReplayRow};

/// Whether a figure is within its tolerance (its own, else the command line's).
fn within(row: &ReplayRow, default_tolerance: f64) -> bool {
    let tol = row.tolerance.unwrap_or(default_tolerance);
    match row.rel_error {
        Some(e) => e.abs() <= tol,
        None => row.simulated.mean.abs() < 0.5,
    }
}

/// Runs `rapt replay`.
pub fn run(args: &ReplayArgs) -> Result<Exit> {
    let (file, tol, format, quiet) = (&args.file, args.tolerance, args.format, args.quiet);
    let loaded = match load(file, quiet)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    if loaded.scenario.observed.is_empty() {
        eprintln!(
            "{}: no `observed` figures to replay; nothing to compare",
            file.display()
        );
        return Ok(Exit::Success);
    }
    let model = Model::from_scenario(&loaded.scenario);
    let label = file.display().to_string();
    let budget = args.run.budget(quiet);
    let result = match run_simulation(
        &model,
        &args.run.options(None),
        &budget,
        &label,
        "replaying",
    )? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let all_within = result.replay.iter().all(|r| within(r, tol));
    let mut out = super::stdout();
    match format {
        FindingsFormat::Json => {
            let rows: Vec<serde_json::Value> = result
                .replay
                .iter()
                .map(|r| {
                    let mut v = serde_json::to_value(r).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("within_tolerance".into(), within(r, tol).into());
                        o.insert("tolerance_used".into(), r.tolerance.unwrap_or(tol).into());
                    }
                    v
                })
                .collect();
            let doc = serde_json::json!({ "scenario": result.scenario, "replications": result.replications, "seed": result.seed, "all_within_tolerance": all_within, "figures": rows });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        FindingsFormat::Table => {
            let mut t = super::stdout_table();
            t.set_header(vec![
                "date",
                "figure",
                "scope",
                "observed",
                "simulated mean",
                "P5–P95",
                "error",
                "relative",
                "tolerance",
                "",
            ]);
            let n = |v: f64| {
                if v.abs() < 2.0 && v.fract() != 0.0 {
                    format!("{v:.3}")
                } else {
                    format!("{v:.0}")
                }
            };
            for r in &result.replay {
                let ok = within(r, tol);
                t.add_row(vec![
                    Cell::new(r.date),
                    Cell::new(r.metric.label()),
                    Cell::new(&r.scope),
                    Cell::new(n(r.observed)).set_alignment(CellAlignment::Right),
                    Cell::new(n(r.simulated.mean)).set_alignment(CellAlignment::Right),
                    Cell::new(format!("{}–{}", n(r.p5), n(r.simulated.p95)))
                        .set_alignment(CellAlignment::Right),
                    Cell::new(format!("{:+}", n(r.abs_error))).set_alignment(CellAlignment::Right),
                    Cell::new(
                        r.rel_error
                            .map_or("—".into(), |e| format!("{:+.1}%", e * 100.0)),
                    )
                    .set_alignment(CellAlignment::Right),
                    Cell::new(format!("{:.0}%", r.tolerance.unwrap_or(tol) * 100.0))
                        .set_alignment(CellAlignment::Right),
                    Cell::new(if ok { "ok" } else { "OUTSIDE" }),
                ]);
            }
            writeln!(
                out,
                "{} — replay of {} published figures ({} replications, seed {})\n{t}",
                result.scenario,
                result.replay.len(),
                result.replications,
                result.seed
            )?;
            writeln!(
                out,
                "{}",
                if all_within {
                    "every figure within its tolerance"
                } else {
                    "some figures fall outside their tolerance"
                }
            )?;
        }
    }
    out.flush()?;
    Ok(if args.check && !all_within {
        Exit::Failure
    } else {
        Exit::Success
    })
}
