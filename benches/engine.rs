//! Benchmarks of the canonical workloads (MODEL.md): `cargo bench`.
//!
//! - `login-storm`: one replication on one core, and 1,000 replications on two threads;
//! - `scaling`: login-storm with 1×, 10× the workers (and tunnels), and 1×, 4× the horizon;
//! - `erlang-b`: one replication, reported as arrivals (events) per second;
//! - `rollout`: the daily rollout step alone of each shipped scenario;
//! - `national`: 5,000,000 staff, one replication's full-year rollout plus the peak day;
//! - `plan`: `rapt plan` on Munich (by 2020-05-20, judged from the start) and on the planning
//!   city of `tests/corpus/plan/`, at their replication counts on two threads;
//! - `planning`: `rapt size --pool vpn` and a 20-point sweep of the VPN's tunnels on Munich and
//!   Stuttgart, at their replication counts on two threads (the questions users ask most).
//!
//! The yardstick for the engine's speed is `benches/floor.rs`; memory is measured by
//! `benches/peers/memory.sh` (a process's peak is not a criterion figure).

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rapt::plan::sweep;
use rapt::sim::rollout::run_rollout;
use rapt::sim::{Model, SimOptions, simulate};

fn text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The scenario with some fields set (as `rapt sweep --set` would), as a model.
fn model_with(name: &str, sets: &[(&str, &str)]) -> Model {
    let mut doc = sweep::document(&text(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    for (path, value) in sets {
        sweep::set(&mut doc, path, value).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let json = serde_json::to_string(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
    match rapt::scenario::check_str(name, &json).into_valid() {
        Ok(l) => Model::from_scenario(&l.scenario),
        Err(d) => panic!("{name} is invalid: {d:?}"),
    }
}

fn model(name: &str) -> Model {
    model_with(name, &[])
}

fn run(m: &Model, reps: u32, threads: usize) {
    let opts = SimOptions {
        replications: Some(reps),
        seed: Some(1),
        threads: Some(threads),
        curve_day: None,
        ..SimOptions::default()
    };
    let r = simulate(m, &opts, &|| {}, &AtomicBool::new(false));
    black_box(r.is_ok());
}

fn login_storm(c: &mut Criterion) {
    let storm = model("bench/login-storm.yaml");
    c.bench_function("login-storm/1 replication, 1 thread", |b| {
        b.iter(|| run(&storm, 1, 1))
    });
    let mut g = c.benchmark_group("parallel");
    g.sample_size(10);
    g.bench_function("login-storm/1000 replications, 2 threads", |b| {
        b.iter(|| run(&storm, 1000, 2))
    });
    g.finish();
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    for factor in [1u64, 10] {
        let workers = (9600 * factor).to_string();
        let tunnels = (7000 * factor).to_string();
        let m = model_with(
            "bench/login-storm.yaml",
            &[
                ("staff.remote-workers.headcount", &workers),
                ("staff.remote-workers.access.0.enabled", &workers),
                ("pools.vpn.tunnels", &tunnels),
            ],
        );
        g.throughput(Throughput::Elements(9600 * factor));
        g.bench_function(format!("login-storm/{workers} workers"), |b| {
            b.iter(|| run(&m, 1, 1))
        });
    }
    for days in [7u32, 28] {
        let m = model_with(
            "bench/login-storm.yaml",
            &[("run.horizon", &format!("{days}d"))],
        );
        g.throughput(Throughput::Elements(u64::from(days)));
        g.bench_function(format!("login-storm/{days} days"), |b| {
            b.iter(|| run(&m, 1, 1))
        });
    }
    g.finish();
}

fn erlang_b(c: &mut Criterion) {
    let erl = model("bench/erlang-b.yaml");
    let mut g = c.benchmark_group("erlang-b");
    g.sample_size(20);
    // About 182,000 arrivals per replication (90/h over 2,020 simulated hours).
    g.throughput(Throughput::Elements(181_800));
    g.bench_function("1 replication (arrivals per second)", |b| {
        b.iter(|| run(&erl, 1, 1))
    });
    g.finish();
}

fn rollout(c: &mut Criterion) {
    let mut g = c.benchmark_group("rollout");
    for s in [
        "stuttgart-2020.yaml",
        "munich-2020.yaml",
        "thuringia.yaml",
        "chemnitz-2020.yaml",
        "bench/national.yaml",
    ] {
        let m = model(s);
        g.throughput(Throughput::Elements(m.days as u64));
        g.bench_function(format!("{s}/rollout step, all days"), |b| {
            b.iter(|| {
                let mut total = 0u64;
                run_rollout(&m, 1, 0, |_, d| total += d.remote.iter().sum::<u64>());
                black_box(total)
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("scenario");
    g.sample_size(10);
    for s in [
        "stuttgart-2020.yaml",
        "munich-2020.yaml",
        "thuringia.yaml",
        "chemnitz-2020.yaml",
    ] {
        let m = model(s);
        g.bench_function(format!("{s}/1 replication"), |b| b.iter(|| run(&m, 1, 1)));
    }
    g.finish();
}

fn national(c: &mut Criterion) {
    let m = model("bench/national.yaml");
    let mut g = c.benchmark_group("national");
    g.sample_size(10);
    g.bench_function(
        "5,000,000 staff, 365-day rollout + peak day, 2 threads",
        |b| b.iter(|| run(&m, 1, 2)),
    );
    g.finish();
}

fn plan(c: &mut Criterion) {
    use rapt::plan::orders::{PlanQuestion, plan};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = [
        (
            "munich-2020",
            "scenarios/munich-2020.yaml",
            "2020-05-20",
            Some("2020-03-16.."),
        ),
        (
            "starter city",
            "tests/corpus/plan/starter-city.yaml",
            "2026-03-30",
            None,
        ),
    ];
    let mut g = c.benchmark_group("plan");
    g.sample_size(10);
    for (name, file, by, window) in cases {
        let text = std::fs::read_to_string(root.join(file)).expect("scenario");
        let s = rapt::scenario::check_str(name, &text)
            .into_valid()
            .expect("valid")
            .scenario;
        let q = PlanQuestion {
            by: Some(rapt::units::Date::parse(by).expect("date")),
            target: None,
            window: window.map(|w| rapt::scenario::JudgedWindow::parse(w).expect("window")),
        };
        let opts = SimOptions {
            threads: Some(2),
            ..SimOptions::default()
        };
        g.bench_function(format!("{name}, 2 threads"), |b| {
            b.iter(|| black_box(plan(&s, &q, &opts, &AtomicBool::new(false)).is_ok()))
        });
    }
    g.finish();
}

fn planning(c: &mut Criterion) {
    use rapt::plan::service::Targets;
    use rapt::plan::size::{Lever, SizeQuestion, SizeTargets, ask, default_bound};
    let opts = SimOptions {
        threads: Some(2),
        ..SimOptions::default()
    };
    let mut g = c.benchmark_group("planning");
    g.sample_size(10);
    for name in ["munich-2020.yaml", "stuttgart-2020.yaml"] {
        let text = text(name);
        let s = rapt::scenario::check_str(name, &text)
            .into_valid()
            .expect("valid")
            .scenario;
        let m = Model::from_scenario(&s);
        let pool = m
            .pools
            .iter()
            .position(|p| p.name == "vpn")
            .expect("a vpn pool");
        let lever = Lever::Capacity { pool };
        let q = SizeQuestion {
            lever,
            targets: SizeTargets {
                pool: Some(pool),
                service: s
                    .service_level
                    .as_ref()
                    .map(Targets::of)
                    .unwrap_or_default(),
                enabled_by: None,
            },
            quantile: m.quantile,
            upper_bound: default_bound(&m, lever),
        };
        g.bench_function(format!("{name}/size --pool vpn, 2 threads"), |b| {
            b.iter(|| black_box(ask(&m, &q, &opts, &AtomicBool::new(false), |_| {}).is_ok()))
        });
        let base = sweep::document(&text).expect("document");
        let axes = [sweep::Axis {
            path: "pools.vpn.tunnels".into(),
            values: (1..=20).map(|k| (k * 1000).to_string()).collect(),
        }];
        g.bench_function(
            format!("{name}/sweep of 20 tunnel counts, 2 threads"),
            |b| {
                b.iter(|| {
                    let points = sweep::points(name, &base, &axes).expect("valid points");
                    let r = sweep::run(&axes, points, &opts, 2, &|| {}, &AtomicBool::new(false));
                    black_box(r.is_ok())
                })
            },
        );
    }
    g.finish();
}

criterion_group!(
    engine,
    login_storm,
    scaling,
    erlang_b,
    rollout,
    national,
    plan,
    planning
);
criterion_main!(engine);
