//! `rapt size FILE`: the least capacity that meets a service level.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use comfy_table::{Cell, CellAlignment};

use super::simulate::{cancel_flag, load};
use crate::Exit;
use crate::cli::{FindingsFormat, QuantileArg, SizeArgs};
use rapt::plan::service::Targets;
use rapt::plan::size::{
    Lever, SizeAnswer, SizeError, SizePoint, SizeQuestion, SizeTargets, default_bound, size,
};
use rapt::report::format::percent as pct;
use rapt::scenario::{PoolKind, Quantile};
use rapt::sim::{Model, SimError};
use rapt::units::Duration;

fn usage(msg: impl std::fmt::Display) -> Result<Exit> {
    eprintln!("error: {msg}");
    Ok(Exit::Usage)
}

/// What the lever's values count, for people.
fn unit(lever: Lever, model: &Model) -> &'static str {
    match lever {
        Lever::Capacity { pool } => match model.pools[pool].kind {
            PoolKind::RemoteDesktop => "hosts",
            PoolKind::Vpn => "tunnels",
            _ => "sessions",
        },
        Lever::Licences { .. } => "licences",
        Lever::TokensPerDay => "tokens per day",
        Lever::AuthPerMinute => "logins per minute",
    }
}

fn lever_name(lever: Lever) -> &'static str {
    match lever {
        Lever::Capacity { .. } => "capacity",
        Lever::Licences { .. } => "licences",
        Lever::TokensPerDay => "tokens_per_day",
        Lever::AuthPerMinute => "auth_per_minute",
    }
}

/// A bound no sensible answer exceeds: every member of staff at once.
fn secs(v: f64) -> String {
    Duration::from_secs(v).to_string()
}

/// Runs `rapt size`.
pub fn run(args: &SizeArgs) -> Result<Exit> {
    let (max_blocking, max_utilisation) = (args.max_blocking, args.max_utilisation);
    let (max_delay, by) = (args.max_login_delay, args.by);

    let loaded = match load(&args.file, args.quiet)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let scenario = &loaded.scenario;
    let model = Model::from_scenario(scenario);

    let pool = match &args.pool {
        Some(name) => match model.pools.iter().position(|p| &p.name == name) {
            Some(i) => Some(i),
            None => {
                let names: Vec<&str> = model.pools.iter().map(|p| p.name.as_str()).collect();
                return usage(format!(
                    "--pool {name}: no such pool in {}; it has: {}",
                    args.file.display(),
                    names.join(", ")
                ));
            }
        },
        None if model.pools.len() == 1 => Some(0),
        None => None,
    };
    let needs_pool = !(args.tokens_per_day || args.auth_rate);
    let lever = match (pool, needs_pool) {
        (None, true) => {
            return usage("--pool NAME is needed: the scenario has several pools");
        }
        (Some(p), true) if args.licences => Lever::Licences { pool: p },
        (Some(p), true) => {
            if args.hosts && model.pools[p].kind != PoolKind::RemoteDesktop {
                return usage(format!(
                    "--hosts: pool `{}` is not a remote-desktop pool; leave --hosts out to size its sessions",
                    model.pools[p].name
                ));
            }
            Lever::Capacity { pool: p }
        }
        (_, false) if args.tokens_per_day => Lever::TokensPerDay,
        (_, false) => Lever::AuthPerMinute,
    };

    // The scenario's service level, each target replaced by its flag where one is given
    // (only the flags with --only-flags).
    let level = scenario.service_level.as_ref();
    let base = match level {
        Some(l) if !args.only_flags => Targets::of(l),
        _ => Targets::default(),
    };
    let mut targets = SizeTargets {
        pool,
        service: Targets {
            max_blocking: max_blocking.or(base.max_blocking),
            max_utilisation: max_utilisation.or(base.max_utilisation),
            max_login_delay_secs: max_delay.or(base.max_login_delay_secs),
        },
        enabled_by: None,
    };
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
    let question = SizeQuestion {
        lever,
        targets,
        quantile,
        upper_bound: args.up_to.unwrap_or_else(|| default_bound(&model, lever)),
    };
    let mut opts = args.run.options(None);
    opts.quantile = Some(quantile);
    // Points are tried one after another; each costs about what the scenario costs.
    let label = args.file.display().to_string();
    let opts = match args.run.budget(args.quiet).admit(&label, &model, &opts, 1) {
        Ok(o) => o,
        Err(code) => return Ok(code),
    };
    let unit_name = unit(lever, &model);
    let live = !args.quiet && std::io::stderr().is_terminal();
    let answer = size(&model, &question, &opts, cancel_flag(), |p| {
        if live {
            eprintln!(
                "  tried {} {unit_name}: blocking {} {}",
                p.value,
                pct(p.blocking_probability.value),
                if p.meets { "meets" } else { "fails" }
            );
        }
    });
    let answer = match answer {
        Ok(a) => a,
        Err(SizeError::Sim(SimError::Interrupted)) => return Ok(Exit::Interrupted),
        Err(SizeError::Sim(e)) => return Err(e.into()),
        Err(e @ (SizeError::NoTarget | SizeError::NotApplicable(_))) => return usage(e),
    };
    let replications = args.run.replications.unwrap_or(model.replications);
    let seed = args.run.seed.unwrap_or(model.seed);
    let pool_name = pool.map(|p| model.pools[p].name.clone());
    let mut out = super::stdout();
    match args.format {
        FindingsFormat::Json => {
            let doc = serde_json::json!({
                "scenario": model.name,
                "lever": lever_name(lever),
                "pool": pool_name,
                "unit": unit_name,
                "quantile": quantile,
                "replications": replications,
                "seed": seed,
                "targets": {
                    "max_blocking": question.targets.service.max_blocking,
                    "max_utilisation": question.targets.service.max_utilisation,
                    "max_login_delay_secs": question.targets.service.max_login_delay_secs,
                    "enabled_by": by.map(|d| d.to_string()),
                },
                "window": answer.window,
                "capacity": answer.capacity,
                "estimate": answer.estimate,
                "upper_bound": answer.upper_bound,
                "bottleneck_at_bound": answer.bottleneck_at_bound,
                "points": answer.points,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        FindingsFormat::Table => {
            write_table(
                &mut out,
                &model,
                &question,
                &answer,
                unit_name,
                pool_name.as_deref(),
                replications,
                seed,
            )?;
        }
    }
    out.flush()?;
    Ok(if answer.capacity.is_some() {
        Exit::Success
    } else {
        Exit::Failure
    })
}

fn describe_targets(q: &SizeQuestion, model: &Model) -> String {
    let t = &q.targets;
    let mut parts = Vec::new();
    if let Some(b) = t.service.max_blocking {
        parts.push(format!("blocking per attempt ≤ {}", pct(b)));
    }
    if let Some(u) = t.service.max_utilisation {
        parts.push(format!("bandwidth utilisation ≤ {}", pct(u)));
    }
    if let Some(d) = t.service.max_login_delay_secs {
        parts.push(format!("login delay ≤ {}", secs(d)));
    }
    if let Some(d) = t.enabled_by {
        parts.push(format!("enablement target met by {}", model.date(d)));
    }
    parts.join(", ")
}

fn figures(p: &SizePoint, q: Quantile) -> String {
    let b = &p.blocking_probability;
    let mut s = format!(
        "worst blocking {} {}{}{} (mean {}, 95% CI {}–{})",
        q.label(),
        pct(b.value),
        b.date.map(|d| format!(" on {d}")).unwrap_or_default(),
        b.pool
            .as_deref()
            .map(|n| format!(" in {n}"))
            .unwrap_or_default(),
        pct(b.stat.mean),
        pct(b.stat.ci95_low.max(0.0)),
        pct(b.stat.ci95_high),
    );
    if let Some(u) = &p.bandwidth_utilisation {
        s.push_str(&format!(", worst bandwidth utilisation {}", pct(u.value)));
    }
    s.push_str(&format!(
        ", longest login delay {}",
        secs(p.login_delay_max_secs.value)
    ));
    if p.breaching_days > 0 {
        s.push_str(&format!(", {} breaching days", p.breaching_days));
    }
    if let Some(share) = p.enabled_by_share {
        s.push_str(&format!(", target met in {:.0}% of runs", share * 100.0));
    }
    s
}

#[allow(clippy::too_many_arguments)]
fn write_table(
    out: &mut impl Write,
    model: &Model,
    q: &SizeQuestion,
    answer: &SizeAnswer,
    unit_name: &str,
    pool: Option<&str>,
    replications: u32,
    seed: u64,
) -> Result<()> {
    let what = match (answer.lever, pool) {
        (Lever::Capacity { .. } | Lever::Licences { .. }, Some(p)) => {
            format!("{unit_name} of pool `{p}`")
        }
        _ => unit_name.to_string(),
    };
    writeln!(
        out,
        "{} — sizing {what} for {} (judged on {} of {replications} replications, seed {seed}, common random numbers)",
        model.name,
        describe_targets(q, model),
        q.quantile.label(),
    )?;
    let mut t = super::stdout_table();
    let qn = q.quantile.label();
    let mut header = vec![unit_name.to_string()];
    let with_sessions = answer.points.iter().any(|p| p.sessions.is_some())
        && !matches!(answer.lever, Lever::Capacity { pool } if model.pools[pool].sessions_per_host == 1);
    if with_sessions {
        header.push("sessions".into());
    }
    let with_mean = q.quantile != Quantile::Mean;
    header.push(format!("worst-day blocking {qn}"));
    if with_mean {
        header.push("that day's mean".into());
    }
    header.extend([
        format!("worst-day bandwidth utilisation {qn}"),
        format!("worst-day login delay {qn}"),
        "breaching days".into(),
    ]);
    if q.targets.enabled_by.is_some() {
        header.push("target met".into());
    }
    header.push(String::new());
    t.set_header(header);
    let mut sorted: Vec<&SizePoint> = answer.points.iter().collect();
    sorted.sort_by_key(|p| p.value);
    for p in sorted {
        let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
        let mut row = vec![right(p.value.to_string())];
        if with_sessions {
            row.push(right(p.sessions.map_or("—".into(), |s| s.to_string())));
        }
        row.push(right(pct(p.blocking_probability.value)));
        if with_mean {
            row.push(right(pct(p.blocking_probability.stat.mean)));
        }
        row.extend([
            right(
                p.bandwidth_utilisation
                    .as_ref()
                    .map_or("—".into(), |u| pct(u.value)),
            ),
            right(secs(p.login_delay_max_secs.value)),
            right(p.breaching_days.to_string()),
        ]);
        if let Some(s) = p.enabled_by_share {
            row.push(right(format!("{:.0}%", s * 100.0)));
        }
        let mark = match (answer.capacity == Some(p.value), p.meets) {
            (true, _) => "meets ← answer",
            (false, true) => "meets",
            (false, false) => "fails",
        };
        row.push(Cell::new(mark));
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    let source = match answer.lever {
        Lever::Capacity { .. } | Lever::Licences { .. } => "Erlang B at the offered peak",
        Lever::TokensPerDay => "staff needing tokens over the working days",
        Lever::AuthPerMinute => "the busiest interval's login rate",
    };
    match answer.capacity {
        Some(c) => {
            writeln!(
                out,
                "answer: {c} {unit_name} (closed-form start from {source}: {})",
                answer.estimate
            )?;
            let (at, below) = answer.answer_and_below();
            if let Some(p) = at {
                writeln!(out, "  at {c}: {}", figures(p, q.quantile))?;
            }
            if let Some(p) = below {
                writeln!(out, "  at {}: {} — fails", p.value, figures(p, q.quantile))?;
            }
            writeln!(
                out,
                "  confidence: the {} over {replications} replications is an estimate; rerun with more replications (-n) or another seed to see how firm the last unit is",
                q.quantile.label()
            )?;
        }
        None => {
            writeln!(
                out,
                "no value up to {} {unit_name} meets the targets; something else binds (raise --up-to, or size another lever)",
                answer.upper_bound
            )?;
            if let Some(p) = answer.points.first() {
                writeln!(out, "  at {}: {}", p.value, figures(p, q.quantile))?;
            }
            if let Some(b) = answer.bottleneck_at_bound {
                writeln!(out, "  what limits the rollout there: {}", b.label())?;
            }
        }
    }
    Ok(())
}
