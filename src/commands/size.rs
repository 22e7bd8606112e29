//! `rapt size FILE`: the least capacity that meets a service level.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use super::run::{cancel_flag, load};
use crate::Exit;
use crate::cli::{FindingsFormat, QuantileArg, SizeArgs};
use crate::error::stopped;
use rapt::plan::service::Targets;
use rapt::plan::size::{Lever, SizeError, SizeQuestion, SizeTargets, ask, default_bound};
use rapt::report::format::percent as pct;
use rapt::report::size as render;
use rapt::scenario::{PoolKind, Quantile};
use rapt::sim::{Model, SimError};

fn usage(msg: impl std::fmt::Display) -> Result<Exit> {
    Err(crate::error::usage(msg))
}

/// Runs `rapt size`.
pub fn run(args: &SizeArgs) -> Result<Exit> {
    let (max_blocking, max_utilisation) = (args.max_blocking, args.max_utilisation);
    let (max_delay, by) = (args.max_login_delay, args.by);

    let loaded = load(&args.file, args.quiet)?;
    let scenario = &loaded.scenario;
    let model = Model::from_scenario(scenario);

    let mut pools = Vec::new();
    for name in &args.pool {
        match model.pools.iter().position(|p| &p.name == name) {
            Some(i) if !pools.contains(&i) => pools.push(i),
            Some(_) => {}
            None => {
                let names: Vec<&str> = model.pools.iter().map(|p| p.name.as_str()).collect();
                return usage(format!(
                    "--pool {name}: no such pool in {}; it has: {}",
                    args.file.display(),
                    names.join(", ")
                ));
            }
        }
    }
    if pools.is_empty() && model.pools.len() == 1 {
        pools.push(0);
    }
    let rollout_lever = if args.tokens_per_day {
        Some(Lever::TokensPerDay)
    } else if args.notebooks {
        Some(Lever::NotebookStock)
    } else if args.hardware_tokens {
        Some(Lever::TokenStock)
    } else if args.auth_rate {
        Some(Lever::AuthPerMinute)
    } else {
        None
    };
    // One question per pool for the pool levers; one question, judging at most one pool, for
    // the others.
    let questions: Vec<(Lever, Option<usize>)> = match rollout_lever {
        Some(_) if pools.len() > 1 => {
            return usage(
                "several --pool: only a pool's sessions or licences are sized per pool; name one pool to judge",
            );
        }
        Some(lever) => vec![(lever, pools.first().copied())],
        None if pools.is_empty() => {
            return usage("--pool NAME is needed: the scenario has several pools");
        }
        None => {
            let mut q = Vec::new();
            for &p in &pools {
                if args.hosts && model.pools[p].kind != PoolKind::RemoteDesktop {
                    return usage(format!(
                        "--hosts: pool `{}` is not a remote-desktop pool; leave --hosts out to size its sessions",
                        model.pools[p].name
                    ));
                }
                let lever = if args.licences {
                    Lever::Licences { pool: p }
                } else {
                    Lever::Capacity { pool: p }
                };
                q.push((lever, Some(p)));
            }
            q
        }
    };

    // The scenario's service level, each target replaced by its flag where one is given
    // (only the flags with --only-flags).
    let level = scenario.service_level.as_ref();
    let base = match level {
        Some(l) if !args.only_flags => Targets::of(l),
        _ => Targets::default(),
    };
    let mut targets = SizeTargets {
        pool: None,
        service: Targets {
            max_blocking: max_blocking.or(base.max_blocking),
            max_utilisation: max_utilisation.or(base.max_utilisation),
            max_login_delay_secs: max_delay.or(base.max_login_delay_secs),
            // No sizing lever lowers it (see `DROPPED_IS_NOT_ORDERED`).
            max_dropped: None,
        },
        enabled_by: None,
    };
    if base.max_dropped.is_some() && !args.quiet {
        eprintln!(
            "note: service_level.max_dropped is {}",
            rapt::plan::orders::DROPPED_IS_NOT_ORDERED
        );
    }
    if let Some(date) = by {
        match model.day_of(date) {
            Some(d) => targets.enabled_by = Some(d),
            None => {
                return usage(format!(
                    "--by {date}: outside the scenario's horizon ({} to {})",
                    model.start,
                    model.date(model.days.saturating_sub(1))
                ));
            }
        }
    }
    let quantile = match args.quantile {
        Some(QuantileArg::Mean) => Quantile::Mean,
        Some(QuantileArg::P50) => Quantile::P50,
        Some(QuantileArg::P95) => Quantile::P95,
        Some(QuantileArg::P99) => Quantile::P99,
        None => level.map_or(Quantile::P95, |l| l.quantile),
    };
    let mut opts = args.run.options(None);
    opts.quantile = Some(quantile);
    // Points are tried one after another; each costs about what the scenario costs.
    let label = args.file.display().to_string();
    let opts = super::budget::Budget::of(&args.run, args.quiet)
        .admit(&label, &model, &opts, 1)
        .map_err(stopped)?;
    let live = !args.quiet && std::io::stderr().is_terminal();
    let mut reports = Vec::new();
    for (lever, pool) in questions {
        let question = SizeQuestion {
            lever,
            targets: SizeTargets {
                pool,
                ..targets.clone()
            },
            quantile,
            upper_bound: args.up_to.unwrap_or_else(|| default_bound(&model, lever)),
        };
        let unit_name = lever.unit(&model);
        let report = ask(&model, &question, &opts, cancel_flag(), |p| {
            if live {
                eprintln!(
                    "  tried {} {unit_name}: blocking {} {}",
                    p.value,
                    pct(p.blocking_probability.value),
                    if p.meets { "meets" } else { "fails" }
                );
            }
        });
        reports.push(match report {
            Ok(r) => r,
            Err(SizeError::Sim(SimError::Interrupted)) => return Ok(Exit::Interrupted),
            Err(SizeError::Sim(e)) => return Err(e.into()),
            Err(e @ (SizeError::NoTarget | SizeError::NotApplicable(_))) => return usage(e),
        });
    }
    let mut out = super::stdout();
    match (args.format, reports.as_slice()) {
        (FindingsFormat::Json, [one]) => render::write_json(one, &mut out)?,
        (FindingsFormat::Json, many) => render::write_json_list(many, &mut out)?,
        (FindingsFormat::Table, many) => {
            for (i, r) in many.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                render::write_table(r, super::output::screen_layout(), &mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(if reports.iter().all(|r| r.capacity.is_some()) {
        Exit::Success
    } else {
        Exit::Failure
    })
}
