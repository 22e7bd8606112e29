//! What-if grids: a scenario with some of its fields set to each combination of values.
//!
//! A grid is built on the scenario's document tree, not on the typed scenario, so any field
//! the language has can be swept, and each point is then checked exactly like a file the user
//! wrote (types, ranges, meaning). A point that would be invalid is reported before anything
//! runs.

use std::sync::atomic::AtomicBool;

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::plan::figures::key_figures;
use crate::plan::service;
use crate::scenario::{self, Diagnostic, LoadedScenario, Severity};
use crate::sim::reuse::only_capacity_differs;
use crate::sim::{Model, SimError, SimOptions, simulate, simulate_keeping_days};

/// Most points one sweep may have: each is a full simulation.
pub const MAX_POINTS: usize = 10_000;

/// One axis of a grid (`--set PATH=VALUES` on the command line): a field and the values it
/// takes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Axis {
    /// Dotted field path, e.g. `pools.vpn.tunnels` (list items by index: `access.0.enabled`).
    pub path: String,
    /// The values, as YAML scalars (`4000`, `40%`, `2020-03-23`).
    pub values: Vec<String>,
}

/// A mistake in a sweep request.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SweepError {
    /// `--set` is not `PATH=VALUES`.
    #[error(
        "`{0}`: expected PATH=VALUES, e.g. pools.vpn.tunnels=4000..10000:1000 or policy.lockdown.remote_share=40%,60%"
    )]
    Syntax(String),
    /// A range is malformed.
    #[error("`{arg}`: {reason}")]
    Range {
        /// The argument.
        arg: String,
        /// What is wrong.
        reason: String,
    },
    /// Too many points.
    #[error("the grid has {0} points; at most {MAX_POINTS} are allowed (use coarser steps)")]
    TooLarge(u128),
    /// A path does not lead to a field.
    #[error("{path}: {reason}")]
    Path {
        /// The path.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A point is not a valid scenario.
    #[error("point {point} ({settings}) is not a valid scenario: {findings}")]
    Invalid {
        /// Point number, from 1.
        point: usize,
        /// The settings of the point.
        settings: String,
        /// The errors, one per line.
        findings: String,
    },
}

/// Parses `PATH=VALUES`. VALUES is a comma list (`40%,60%,80%`), a range `FROM..TO:STEP`
/// (`4000..10000:1000`, `40%..80%:10%`; both ends included), or one value.
pub fn parse_set(arg: &str) -> Result<Axis, SweepError> {
    let (path, values) = arg
        .split_once('=')
        .ok_or_else(|| SweepError::Syntax(arg.to_string()))?;
    let path = path.trim();
    let values = values.trim();
    if path.is_empty() || values.is_empty() || path.split('.').any(|s| s.trim().is_empty()) {
        return Err(SweepError::Syntax(arg.to_string()));
    }
    let values = if let Some((from, rest)) = values.split_once("..") {
        range(arg, from, rest)?
    } else {
        let list: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
        if list.iter().any(String::is_empty) {
            return Err(SweepError::Range {
                arg: arg.to_string(),
                reason: "empty value in the list".into(),
            });
        }
        list
    };
    Ok(Axis {
        path: path.to_string(),
        values,
    })
}

fn range(arg: &str, from: &str, rest: &str) -> Result<Vec<String>, SweepError> {
    let err = |reason: &str| SweepError::Range {
        arg: arg.to_string(),
        reason: reason.to_string(),
    };
    let (to, step) = rest
        .split_once(':')
        .ok_or_else(|| err("a range needs a step: FROM..TO:STEP"))?;
    let (from, to, step) = (from.trim(), to.trim(), step.trim());
    let percent = from.ends_with('%');
    if percent != to.ends_with('%') || percent != step.ends_with('%') {
        return Err(err("use % on all three of FROM, TO and STEP, or on none"));
    }
    let num = |s: &str| -> Result<f64, SweepError> {
        s.trim_end_matches('%')
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| err(&format!("`{s}` is not a number")))
    };
    let (a, b, s) = (num(from)?, num(to)?, num(step)?);
    if s <= 0.0 {
        return Err(err("the step must be above zero"));
    }
    if b < a {
        return Err(err("the range must not run backwards (FROM ≤ TO)"));
    }
    let count = ((b - a) / s + 1e-9).floor() + 1.0;
    if count > MAX_POINTS as f64 {
        return Err(SweepError::TooLarge(count as u128));
    }
    let integral = [from, to, step]
        .iter()
        .all(|t| !t.trim_end_matches('%').contains(['.', 'e', 'E']));
    Ok((0..count as usize)
        .map(|i| {
            let v = a + s * i as f64;
            let text = if integral {
                format!("{}", v.round() as i64)
            } else {
                // Round away binary noise (0.1 + 0.2) without losing the step's precision.
                let v = (v * 1e9).round() / 1e9;
                format!("{v}")
            };
            if percent { format!("{text}%") } else { text }
        })
        .collect())
}

/// Every combination of the axes' values, as value indices per axis; the first axis varies
/// slowest.
pub fn grid(axes: &[Axis]) -> Result<Vec<Vec<usize>>, SweepError> {
    let total = axes
        .iter()
        .map(|a| a.values.len() as u128)
        .try_fold(1u128, u128::checked_mul)
        .unwrap_or(u128::MAX);
    if total > MAX_POINTS as u128 {
        return Err(SweepError::TooLarge(total));
    }
    let mut points = vec![Vec::new()];
    for axis in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                (0..axis.values.len()).map(move |i| {
                    let mut q = p.clone();
                    q.push(i);
                    q
                })
            })
            .collect();
    }
    Ok(points)
}

/// Sets `path` to the YAML scalar `value` in a document tree. The parent must exist; the
/// field itself may be new (an optional field the file left out).
pub fn set(doc: &mut serde_json::Value, path: &str, value: &str) -> Result<(), SweepError> {
    let parsed: serde_json::Value = serde_saphyr::from_str(value)
        .unwrap_or_else(|_| serde_json::Value::String(value.to_string()));
    crate::scenario::set_field(doc, path, parsed).map_err(|reason| SweepError::Path {
        path: path.to_string(),
        reason,
    })
}

/// The scenario's document tree, from its (already checked) text.
pub fn document(text: &str) -> Result<serde_json::Value, String> {
    serde_saphyr::from_str(text).map_err(|e| e.to_string())
}

/// The axes that sweep an uncertain input: each point fixes it at the point's value (a range
/// drawn per replication would otherwise override what the point sets).
pub fn swept_uncertain_inputs<'a>(base: &serde_json::Value, axes: &'a [Axis]) -> Vec<&'a str> {
    let uncertain = base.get("uncertain").and_then(serde_json::Value::as_object);
    axes.iter()
        .map(|a| a.path.as_str())
        .filter(|p| uncertain.is_some_and(|u| u.contains_key(crate::scenario::dotted(p).as_ref())))
        .collect()
}

fn fix_swept_inputs(doc: &mut serde_json::Value, axes: &[Axis]) {
    let Some(uncertain) = doc
        .get_mut("uncertain")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return;
    };
    for a in axes {
        uncertain.remove(&a.path);
    }
    if uncertain.is_empty()
        && let Some(d) = doc.as_object_mut()
    {
        d.remove("uncertain");
    }
}

/// Builds and checks every point. Returns the scenarios in grid order, or the first invalid
/// point's errors.
pub fn points(
    name: &str,
    base: &serde_json::Value,
    axes: &[Axis],
) -> Result<Vec<(Vec<String>, LoadedScenario)>, SweepError> {
    let grid = grid(axes)?;
    let mut out = Vec::with_capacity(grid.len());
    for (n, idx) in grid.iter().enumerate() {
        let mut doc = base.clone();
        let values: Vec<String> = axes
            .iter()
            .zip(idx)
            .map(|(a, &i)| a.values[i].clone())
            .collect();
        for (axis, value) in axes.iter().zip(&values) {
            set(&mut doc, &axis.path, value)?;
        }
        fix_swept_inputs(&mut doc, axes);
        let settings = axes
            .iter()
            .zip(&values)
            .map(|(a, v)| format!("{}={v}", a.path))
            .collect::<Vec<_>>()
            .join(", ");
        // JSON is YAML, so the point goes through exactly the checks a file would.
        let text = serde_json::to_string_pretty(&doc).map_err(|e| SweepError::Invalid {
            point: n + 1,
            settings: settings.clone(),
            findings: e.to_string(),
        })?;
        let checked = scenario::check_str(name, &text);
        let errors: Vec<&Diagnostic> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        match checked.loaded {
            Some(loaded) if errors.is_empty() => out.push((values, loaded)),
            _ => {
                return Err(SweepError::Invalid {
                    point: n + 1,
                    settings,
                    findings: errors
                        .iter()
                        .map(|d| {
                            let mut s = String::new();
                            if let Some(p) = &d.path {
                                s.push_str(p);
                                s.push_str(": ");
                            }
                            s.push_str(&d.message);
                            if let Some(e) = &d.expected {
                                s.push_str(&format!(" (expected {e})"));
                            }
                            s
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_lists_and_percentages() {
        let a = parse_set("pools.vpn.tunnels=4000..10000:1000").unwrap();
        assert_eq!(a.path, "pools.vpn.tunnels");
        assert_eq!(a.values.len(), 7);
        assert_eq!(a.values[0], "4000");
        assert_eq!(a.values[6], "10000");
        let b = parse_set("policy.lockdown.remote_share=40%,60%,80%").unwrap();
        assert_eq!(b.values, vec!["40%", "60%", "80%"]);
        let c = parse_set("x.y=40%..60%:10%").unwrap();
        assert_eq!(c.values, vec!["40%", "50%", "60%"]);
        let d = parse_set("x.y=0.1..0.3:0.1").unwrap();
        assert_eq!(d.values, vec!["0.1", "0.2", "0.3"]);
        assert!(parse_set("x.y=5..1:1").is_err());
        assert!(parse_set("x.y=1..5").is_err());
        assert!(parse_set("x.y=1..5:0").is_err());
        assert!(parse_set("x.y=1%..5:1").is_err());
        assert!(parse_set("noequals").is_err());
        assert!(parse_set("a..b=1").is_err());
        assert!(matches!(
            parse_set("x=0..1e12:1"),
            Err(SweepError::TooLarge(_))
        ));
    }

    #[test]
    fn grid_is_the_cartesian_product_first_axis_slowest() {
        let axes = vec![parse_set("a=1,2").unwrap(), parse_set("b=x,y,z").unwrap()];
        let g = grid(&axes).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![0, 0]);
        assert_eq!(g[1], vec![0, 1]);
        assert_eq!(g[3], vec![1, 0]);
        let big = vec![
            parse_set("a=0..999:1").unwrap(),
            parse_set("b=0..999:1").unwrap(),
        ];
        assert!(matches!(grid(&big), Err(SweepError::TooLarge(1_000_000))));
    }

    #[test]
    fn set_walks_maps_and_lists_and_types_the_value() {
        let mut doc: serde_json::Value = serde_json::json!({
            "pools": { "vpn": { "tunnels": 10 } },
            "staff": { "g": { "access": [ { "enabled": 1 } ] } }
        });
        set(&mut doc, "pools.vpn.tunnels", "4000").unwrap();
        assert_eq!(doc["pools"]["vpn"]["tunnels"], 4000);
        set(&mut doc, "pools.vpn.licences", "50%").unwrap();
        assert_eq!(doc["pools"]["vpn"]["licences"], "50%");
        set(&mut doc, "staff.g.access.0.enabled", "7").unwrap();
        assert_eq!(doc["staff"]["g"]["access"][0]["enabled"], 7);
        assert!(set(&mut doc, "pools.nope.tunnels", "1").is_err());
        assert!(set(&mut doc, "staff.g.access.3.enabled", "1").is_err());
        assert!(set(&mut doc, "pools.vpn.tunnels.x", "1").is_err());
    }
}

#[cfg(test)]
mod shipped {
    use super::*;

    /// A point with nothing set is the scenario itself: the document tree round trip loses
    /// nothing (map order included, which policy phases depend on).
    #[test]
    fn every_shipped_scenario_survives_the_round_trip() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files = Vec::new();
        for dir in [root.clone(), root.join("bench")] {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "yaml") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() >= 5);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let original = scenario::check_str("x", &text).loaded.unwrap().scenario;
            let doc = document(&text).unwrap();
            let pts = points("x", &doc, &[]).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert_eq!(pts.len(), 1);
            assert_eq!(
                serde_json::to_value(&pts[0].1.scenario).unwrap(),
                serde_json::to_value(&original).unwrap(),
                "{}",
                f.display()
            );
        }
    }
}

/// One point of a sweep and what its run gave.
#[derive(Clone, Debug, Serialize)]
pub struct SweepPoint {
    /// The value of each axis at this point, by field path.
    pub settings: IndexMap<String, String>,
    /// The key figures of the point's run, by key ([`crate::plan::figures`]).
    pub figures: IndexMap<String, Option<f64>>,
    /// Whether the point meets its service level, if the scenario sets one.
    pub service_level_met: Option<bool>,
}

/// The answer of a sweep: what produced it, the axes, and every point in grid order.
#[derive(Clone, Debug, Serialize)]
pub struct SweepAnswer {
    /// The scenario's name.
    pub scenario: Option<String>,
    /// Replications per point.
    pub replications: Option<u32>,
    /// Seed of every point (the same for all: common random numbers).
    pub seed: Option<u64>,
    /// The axes.
    pub axes: Vec<Axis>,
    /// The points.
    pub points: Vec<SweepPoint>,
}

impl SweepAnswer {
    /// The key figures' names, in column order.
    pub fn keys(&self) -> Vec<String> {
        self.points
            .first()
            .map(|p| p.figures.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Whether the points are judged against a service level.
    pub fn judged(&self) -> bool {
        self.points.iter().any(|p| p.service_level_met.is_some())
    }
}

/// The point whose workdays the others can take, and the pool they differ in: when every point
/// differs from the first only in one pool's capacity, the point with the most of it.
fn capacity_sweep(
    models: &[(Vec<String>, Model, Option<scenario::ServiceLevel>)],
) -> Option<(usize, usize)> {
    let first = &models.first()?.1;
    if models.len() < 2 {
        return None;
    }
    let pool = (0..first.pools.len()).find(|&p| {
        models[1..]
            .iter()
            .all(|(_, m, _)| only_capacity_differs(first, m, p))
    })?;
    let roomiest = (0..models.len()).max_by_key(|&i| {
        // What the pool admits (sessions, or concurrent licences where fewer).
        let p = &models[i].1.pools[pool];
        let s: u128 = (0..p.sessions.len())
            .map(|d| u128::from(p.admit_limit(d)))
            .sum();
        (s, std::cmp::Reverse(i))
    })?;
    Some((roomiest, pool))
}

/// Simulates every point of a grid ([`points`]) on `threads` worker threads, points in parallel
/// and each point's replications on the same threads, every point with the same seed (so the
/// same random streams); `progress` is called once per finished replication.
pub fn run(
    axes: &[Axis],
    points: Vec<(Vec<String>, LoadedScenario)>,
    opts: &SimOptions,
    threads: usize,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<SweepAnswer, SimError> {
    let models: Vec<(Vec<String>, Model, Option<scenario::ServiceLevel>)> = points
        .into_iter()
        .map(|(values, loaded)| {
            let model = Model::from_scenario(&loaded.scenario);
            (values, model, loaded.scenario.service_level)
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SimError::Threads {
            threads,
            reason: e.to_string(),
        })?;
    // A sweep's figures read no load curve.
    let opts = &SimOptions {
        skip_curve: true,
        ..opts.clone()
    };
    // Points that differ only in one pool's capacity (a sweep of its tunnels or hosts) take
    // the roomiest point's workdays on which that pool turned nobody away (see `sim::reuse`):
    // it runs first and keeps them.
    let reference = capacity_sweep(&models).map(|(point, pool)| -> Result<_, SimError> {
        let (r, kept) = simulate_keeping_days(&models[point].1, opts, pool, progress, cancel)?;
        Ok((point, r, kept.map(std::sync::Arc::new)))
    });
    let (reference, reuse) = match reference.transpose()? {
        Some((point, r, kept)) => (Some((point, r)), kept),
        None => (None, None),
    };
    let reusing = SimOptions {
        reuse,
        ..opts.clone()
    };
    let mut reference = reference;
    // Inside this pool each simulation joins it (nested parallelism) instead of starting its
    // own.
    let results: Vec<Option<crate::sim::SimResult>> = pool.install(|| {
        models
            .par_iter()
            .enumerate()
            .map(|(i, (_, model, _))| {
                if reference.as_ref().is_some_and(|(p, _)| *p == i) {
                    return Ok(None);
                }
                simulate(model, &reusing, progress, cancel).map(Some)
            })
            .collect::<Result<_, SimError>>()
    })?;
    let points: Vec<SweepPoint> = models
        .iter()
        .zip(results)
        .map(|((values, _, level), r)| {
            let r = match r {
                Some(r) => r,
                None => reference
                    .take()
                    .map(|(_, r)| r)
                    .expect("the reference point"),
            };
            Ok(SweepPoint {
                settings: axes
                    .iter()
                    .zip(values)
                    .map(|(a, v)| (a.path.clone(), v.clone()))
                    .collect(),
                figures: key_figures(&r)
                    .into_iter()
                    .map(|f| (f.key, f.value))
                    .collect(),
                service_level_met: level.as_ref().map(|l| service::evaluate(&r, l).met),
            })
        })
        .collect::<Result<_, SimError>>()?;
    let first = models.first().map(|(_, m, _)| m);
    Ok(SweepAnswer {
        scenario: first.map(|m| m.name.clone()),
        replications: opts.replications.or(first.map(|m| m.replications)),
        seed: opts.seed.or(first.map(|m| m.seed)),
        axes: axes.to_vec(),
        points,
    })
}
