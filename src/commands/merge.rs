//! `rapt merge PART…`: the partial results of `rapt simulate --shard K/N` folded into the
//! output a single run gives.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::print_findings;
use super::results::{targets, write_judged};
use super::run::{Progress, cancel_flag};
use crate::Exit;
use crate::cli::MergeArgs;
use crate::error::{stopped, usage};
use rapt::plan::service;
use rapt::report::ReportInput;
use rapt::scenario::{self, JudgedWindow};
use rapt::sim::shard::{PartError, PartHeader, merge};
use rapt::sim::{Model, SimError, SimOptions};
use rapt::units::Date;

/// Runs `rapt merge`.
pub fn run(args: &MergeArgs) -> Result<Exit> {
    let inputs: Vec<&Path> = args.parts.iter().map(PathBuf::as_path).collect();
    let targets = targets(&args.out, &inputs)?;
    let mut parts = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let mut r = match File::open(path) {
            Ok(f) => BufReader::new(f),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return Err(stopped(Exit::InvalidInput));
            }
        };
        let header = match rapt::sim::shard::read_header(&mut r) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                return Err(stopped(Exit::InvalidInput));
            }
        };
        parts.push((path.as_path(), header, r));
    }
    parts.sort_by_key(|(_, h, _)| h.shard.number());
    let header = check_parts(&parts)?;

    let checked = scenario::check_str(&header.scenario_name, &header.scenario_text);
    if checked.has_errors() {
        print_findings(&checked.diagnostics);
        eprintln!(
            "{}: the scenario in the parts is invalid (was it written by another rapt?)",
            header.scenario_name
        );
        return Err(stopped(Exit::InvalidInput));
    }
    let Some(loaded) = checked.loaded else {
        return Err(stopped(Exit::InvalidInput));
    };
    let model = Model::from_scenario(&loaded.scenario);
    let date = |d: &Option<String>| -> Result<Option<Date>> {
        d.as_deref()
            .map(Date::parse)
            .transpose()
            .map_err(|e| anyhow::anyhow!("the parts' header holds a bad date: {e}"))
    };
    let window = match &header.window {
        Some((from, to)) => Some(JudgedWindow {
            from: date(from)?,
            to: date(to)?,
        }),
        None => None,
    };
    let opts = SimOptions {
        replications: Some(header.replications),
        seed: Some(header.seed),
        threads: args.threads.map(usize::from),
        curve_day: date(&header.curve_day)?,
        window,
        skip_curve: !targets.need_curve(args.out.format),
        ..SimOptions::default()
    };
    let progress = Progress::new(u64::from(header.replications), args.out.quiet, "merging");
    let mut readers: Vec<&mut dyn Read> = parts
        .iter_mut()
        .map(|(_, _, r)| r as &mut dyn Read)
        .collect();
    let merged = merge(
        &model,
        &opts,
        header.items,
        &mut readers,
        &|| progress.tick(),
        cancel_flag(),
    );
    progress.finish();
    let result = match merged {
        Ok(r) => r,
        Err(PartError::Sim(SimError::Interrupted)) => {
            eprintln!("interrupted; no output was written");
            return Err(stopped(Exit::Interrupted));
        }
        Err(PartError::InPart { shard, message }) => {
            let path = parts
                .iter()
                .find(|(_, h, _)| h.shard.number() == shard)
                .map_or_else(
                    || format!("shard {shard}"),
                    |(p, _, _)| p.display().to_string(),
                );
            eprintln!("error: {path}: {message}; nothing was written");
            return Err(stopped(Exit::InvalidInput));
        }
        Err(e) => {
            return Err(e).context(format!(
                "cannot merge the parts of {}",
                header.scenario_name
            ));
        }
    };
    let verdict = loaded
        .scenario
        .service_level
        .as_ref()
        .map(|sl| service::evaluate(&result, sl));
    let input = ReportInput {
        result: &result,
        verdict: verdict.as_ref(),
        plan: None,
        failover: None,
    };
    write_judged(&args.out, targets, &input, &loaded)
}

/// The run the parts belong to: every part from this rapt version, all of one run, each shard
/// once. Each refusal names the files.
fn check_parts<R>(parts: &[(&Path, PartHeader, R)]) -> Result<PartHeader> {
    let (first_path, first, _) = &parts[0];
    let this = env!("CARGO_PKG_VERSION");
    for (path, h, _) in parts {
        if h.rapt_version != this {
            return Err(usage(format!(
                "{} was written by rapt {}; this is rapt {this}, which merges only its own parts",
                path.display(),
                h.rapt_version
            )));
        }
        let same_run = PartHeader {
            shard: first.shard,
            ..h.clone()
        };
        if &same_run != first {
            let what = if h.scenario_text != first.scenario_text {
                "another scenario text"
            } else if h.shard.count() != first.shard.count() {
                "another number of shards"
            } else {
                "other run options (replications, seed, --day or --window)"
            };
            return Err(usage(format!(
                "{} and {} are not parts of one run: {what}",
                first_path.display(),
                path.display()
            )));
        }
    }
    let count = first.shard.count();
    for pair in parts.windows(2) {
        if pair[0].1.shard == pair[1].1.shard {
            return Err(usage(format!(
                "{} and {} are both shard {}",
                pair[0].0.display(),
                pair[1].0.display(),
                pair[0].1.shard
            )));
        }
    }
    if parts.len() != count as usize {
        let missing: Vec<String> = (1..=count)
            .filter(|k| !parts.iter().any(|(_, h, _)| h.shard.number() == *k))
            .take(10)
            .map(|k| format!("{k}/{count}"))
            .collect();
        return Err(usage(format!(
            "the run has {count} shards but {} parts were given; missing: {}{}",
            parts.len(),
            missing.join(", "),
            if count as usize - parts.len() > missing.len() {
                ", …"
            } else {
                ""
            }
        )));
    }
    Ok(first.clone())
}
