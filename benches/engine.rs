//! Benchmarks of the canonical workloads (MODEL.md): `cargo bench`.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use rapt::sim::{Model, SimOptions, simulate};

fn model(name: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    match rapt::scenario::load_valid(&path) {
        Ok(l) => Model::from_scenario(&l.scenario),
        Err(d) => panic!("{name} is invalid: {d:?}"),
    }
}

fn run(m: &Model, reps: u32, threads: usize) {
    let opts = SimOptions {
        replications: Some(reps),
        seed: Some(1),
        threads: Some(threads),
        curve_day: None,
    };
    let r = simulate(m, &opts, &|| {}, &AtomicBool::new(false));
    black_box(r.is_ok());
}

fn benches(c: &mut Criterion) {
    let storm = model("bench/login-storm.yaml");
    c.bench_function("login-storm/1 replication, 1 thread", |b| {
        b.iter(|| run(&storm, 1, 1))
    });
    let mut g = c.benchmark_group("parallel");
    g.sample_size(10);
    g.bench_function("login-storm/1000 replications, 2 threads", |b| {
        b.iter(|| run(&storm, 1000, 2))
    });
    let erl = model("bench/erlang-b.yaml");
    g.bench_function("erlang-b/1 replication (about 182,000 arrivals)", |b| {
        b.iter(|| run(&erl, 1, 1))
    });
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

criterion_group!(engine, benches);
criterion_main!(engine);
