//! Drives rapt as a library: load a shipped scenario, simulate it, read the results.
//!
//! Run with `cargo run --release --example simulate_stuttgart`.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use rapt::scenario;
use rapt::sim::{Model, SimOptions, simulate};

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/stuttgart-2020.yaml");
    let loaded = match scenario::load_valid(&path) {
        Ok(l) => l,
        Err(findings) => {
            for f in findings {
                eprintln!("{f}");
            }
            std::process::exit(1);
        }
    };
    let model = Model::from_scenario(&loaded.scenario);
    let opts = SimOptions {
        replications: Some(10),
        ..Default::default()
    };
    let result = match simulate(&model, &opts, &|| {}, &AtomicBool::new(false)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("simulation failed: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "{}: busiest day {:?}",
        result.scenario,
        result.summary.busiest_day.map(|d| d.to_string())
    );
    for bind in &result.summary.first_binds {
        println!(
            "  {} first binds on {:?}",
            bind.constraint.label(),
            bind.date.map(|d| d.to_string())
        );
    }
    for pool in &result.summary.pools {
        // The worst day is chosen over every judged workday, not the busiest one.
        let worst = pool
            .worst_blocking
            .map_or("no workday judged".to_string(), |w| {
                format!("{:.2}% on {}", w.value * 100.0, w.date)
            });
        println!(
            "  pool {}: capacity {} and peak sessions P95 {:.0} on the busiest day; worst blocking P95 {worst}",
            pool.name, pool.capacity_busiest, pool.peak_sessions_busiest.p95,
        );
    }
    // The enabled staff at the end of each month.
    for day in result.timeline.iter().filter(|d| d.date.ymd().2 == 28) {
        println!("  {}: {:.0} enabled", day.date, day.enabled.mean);
    }
}
