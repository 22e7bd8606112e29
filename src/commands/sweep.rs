//! `rapt sweep FILE --set PATH=VALUES ...`: a what-if grid.

use std::io::Write;

use anyhow::{Context, Result};
use comfy_table::{Cell, CellAlignment};
use rayon::prelude::*;

use super::output::{Destination, FileTarget, check_target, write_output};
use super::simulate::{Progress, cancel_flag, load_source};
use crate::Exit;
use crate::cli::{ResultFormat, SweepArgs};
use rapt::plan::service;
use rapt::plan::sweep::{self, Axis, SweepError};
use rapt::report::csv::{io_error, safe_cell};
use rapt::report::figures::key_figures;
use rapt::report::format::figure;
use rapt::scenario;
use rapt::sim::{Model, SimError, simulate};

/// One finished point.
struct Row {
    values: Vec<String>,
    figures: Vec<(String, Option<f64>)>,
    service_level_met: Option<bool>,
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Column names: the swept paths, the key figures, and the verdict column if any.
fn header(axes: &[Axis], keys: &[String], level: Option<&str>) -> Vec<String> {
    axes.iter()
        .map(|a| a.path.clone())
        .chain(keys.iter().cloned())
        .chain(level.map(str::to_string))
        .collect()
}

fn write_csv(
    out: &mut dyn Write,
    axes: &[Axis],
    keys: &[String],
    with_level: bool,
    rows: &[Row],
) -> std::io::Result<()> {
    // Every cell passes `safe_cell`: the header holds pool names, the values come from `--set`.
    let mut w = csv::Writer::from_writer(out);
    w.write_record(
        header(axes, keys, with_level.then_some("service_level_met"))
            .into_iter()
            .map(safe_cell),
    )
    .map_err(io_error)?;
    for r in rows {
        let mut rec: Vec<String> = r.values.clone();
        rec.extend(
            r.figures
                .iter()
                .map(|(_, v)| v.map_or(String::new(), number)),
        );
        if let Some(met) = r.service_level_met {
            rec.push(met.to_string());
        }
        w.write_record(rec.into_iter().map(safe_cell))
            .map_err(io_error)?;
    }
    w.flush()
}

fn write_table(
    out: &mut dyn Write,
    axes: &[Axis],
    keys: &[String],
    with_level: bool,
    rows: &[Row],
) -> std::io::Result<()> {
    let mut t = super::stdout_table();
    t.set_header(header(axes, keys, with_level.then_some("service level")));
    for r in rows {
        let mut cells: Vec<Cell> = r.values.iter().map(Cell::new).collect();
        cells.extend(
            r.figures
                .iter()
                .map(|(_, v)| Cell::new(figure(*v)).set_alignment(CellAlignment::Right)),
        );
        if let Some(met) = r.service_level_met {
            cells.push(Cell::new(if met { "met" } else { "BREACHED" }));
        }
        t.add_row(cells);
    }
    writeln!(out, "{t}")
}

fn write_json(
    out: &mut dyn Write,
    meta: serde_json::Value,
    axes: &[Axis],
    rows: &[Row],
) -> std::io::Result<()> {
    let points: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let settings: serde_json::Map<String, serde_json::Value> = axes
                .iter()
                .zip(&r.values)
                .map(|(a, v)| (a.path.clone(), v.clone().into()))
                .collect();
            let figures: serde_json::Map<String, serde_json::Value> = r
                .figures
                .iter()
                .map(|(k, v)| (k.clone(), (*v).into()))
                .collect();
            serde_json::json!({ "settings": settings, "figures": figures, "service_level_met": r.service_level_met })
        })
        .collect();
    let mut doc = meta;
    doc["axes"] = axes
        .iter()
        .map(|a| serde_json::json!({ "path": a.path, "values": a.values }))
        .collect();
    doc["points"] = points.into();
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Runs `rapt sweep`.
pub fn run(args: &SweepArgs) -> Result<Exit> {
    let axes: Vec<Axis> = match args.sets.iter().map(|s| sweep::parse_set(s)).collect() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: --set {e}");
            return Ok(Exit::Usage);
        }
    };
    for (i, a) in axes.iter().enumerate() {
        if axes[..i].iter().any(|b| b.path == a.path) {
            eprintln!("error: --set {} is given twice", a.path);
            return Ok(Exit::Usage);
        }
    }
    let destination = Destination::from_arg(args.output.as_deref());
    let target = match &destination {
        Destination::File(p) => check_target(p, &[args.file.as_path()], args.force)?,
        Destination::Directory(d) => {
            eprintln!(
                "error: --output {}: sweep writes one file; name a file, not a directory",
                d.display()
            );
            return Ok(Exit::Usage);
        }
        Destination::Stdout => FileTarget::Stdout,
    };

    let (name, text) = match load_source(&args.file, args.quiet)? {
        Ok(s) => (s.name, s.text),
        Err(code) => return Ok(code),
    };
    let base = match sweep::document(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return Ok(Exit::Failure);
        }
    };
    let points = match sweep::points(&name, &base, &axes) {
        Ok(p) => p,
        Err(e @ SweepError::TooLarge(_)) => {
            eprintln!("error: {e}");
            return Ok(Exit::Usage);
        }
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return Ok(Exit::Failure);
        }
    };

    // Inside the sweep's pool each simulation joins it, so `threads` acts on the pool below.
    let opts = args.run.options(None);
    let models: Vec<(Vec<String>, Model, Option<scenario::ServiceLevel>)> = points
        .into_iter()
        .map(|(values, loaded)| {
            let model = Model::from_scenario(&loaded.scenario);
            (values, model, loaded.scenario.service_level)
        })
        .collect();
    let total: u64 = models
        .iter()
        .map(|(_, m, _)| u64::from(args.run.replications.unwrap_or(m.replications)))
        .sum();
    // Points run in parallel, up to one per thread: judged by the costliest point.
    let threads = args
        .run
        .threads
        .map_or_else(rayon::current_num_threads, usize::from);
    let budget = args.run.budget(args.quiet);
    let costliest = models
        .iter()
        .max_by_key(|(_, m, _)| rapt::sim::estimate(m, &opts).bytes())
        .map(|(_, m, _)| m);
    let threads = match costliest {
        Some(m) => match budget.admit(&name, m, &opts, threads.min(models.len())) {
            Ok(o) => o.threads.unwrap_or(threads),
            Err(code) => return Ok(code),
        },
        None => threads,
    };
    let progress = Progress::new(total, args.quiet, "sweeping");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads);
    let pool = pool.build().context("cannot start worker threads")?;
    let cancel = cancel_flag();
    // Points run in parallel; each point's replications join the same pool (nested
    // parallelism), and every point uses the same seed, hence the same random streams.
    let results: Result<Vec<Row>, SimError> = pool.install(|| {
        models
            .par_iter()
            .map(|(values, model, level)| {
                let r = simulate(model, &opts, &|| progress.tick(), cancel)?;
                Ok(Row {
                    values: values.clone(),
                    figures: key_figures(&r)
                        .into_iter()
                        .map(|f| (f.key, f.value))
                        .collect(),
                    service_level_met: level.as_ref().map(|l| service::evaluate(&r, l).met),
                })
            })
            .collect()
    });
    progress.finish();
    let rows = match results {
        Ok(r) => r,
        Err(SimError::Interrupted) => {
            eprintln!("interrupted; no output was written");
            return Ok(Exit::Interrupted);
        }
        Err(e) => return Err(e).context("simulation failed"),
    };
    let keys: Vec<String> = rows
        .first()
        .map(|r| r.figures.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    let with_level = rows.iter().any(|r| r.service_level_met.is_some());
    let meta = serde_json::json!({
        "scenario": models.first().map(|(_, m, _)| m.name.clone()),
        "replications": args.run.replications.or_else(|| models.first().map(|(_, m, _)| m.replications)),
        "seed": args.run.seed.or_else(|| models.first().map(|(_, m, _)| m.seed)),
    });
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            ResultFormat::Csv => write_csv(w, &axes, &keys, with_level, &rows),
            ResultFormat::Table => write_table(w, &axes, &keys, with_level, &rows),
            ResultFormat::Json => write_json(w, meta.clone(), &axes, &rows),
        }
    };
    write_output(&target, write)?;
    if let Some(p) = target.shown()
        && !args.quiet
    {
        eprintln!("wrote {} points to {}", rows.len(), p.display());
    }
    Ok(Exit::Success)
}
