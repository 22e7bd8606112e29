//! Sizing as a library call: the least VPN tunnels Chemnitz needs for 1% blocking and 80%
//! bandwidth utilisation at the P95 on every workday of the horizon, found by simulation from
//! an Erlang-B start.
//!
//! Run with `cargo run --release --example size_chemnitz_vpn`.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use rapt::plan::service::Targets;
use rapt::plan::size::{Lever, SizeQuestion, SizeTargets, size};
use rapt::scenario::{self, Quantile};
use rapt::sim::{Model, SimOptions};

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/chemnitz-2020.yaml");
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
    let Some(vpn) = model.pools.iter().position(|p| p.name == "vpn") else {
        eprintln!("the scenario has no pool `vpn`");
        std::process::exit(1);
    };
    let question = SizeQuestion {
        lever: Lever::Capacity { pool: vpn },
        targets: SizeTargets {
            pool: Some(vpn),
            service: Targets {
                max_blocking: Some(0.01),
                max_utilisation: Some(0.80),
                ..Targets::default()
            },
            enabled_by: None,
        },
        quantile: Quantile::P95,
        upper_bound: 4000,
    };
    let opts = SimOptions {
        replications: Some(20),
        ..SimOptions::default()
    };
    let answer = size(&model, &question, &opts, &AtomicBool::new(false), |p| {
        println!(
            "tried {:>5} tunnels: worst-day blocking P95 {:.2}% -> {}",
            p.value,
            p.blocking_probability.value * 100.0,
            if p.meets { "meets" } else { "fails" }
        );
    });
    match answer {
        Ok(a) => match a.capacity {
            Some(c) => println!("least tunnels: {c} (Erlang-B start: {})", a.estimate),
            None => println!("nothing up to {} tunnels meets the targets", a.upper_bound),
        },
        Err(e) => {
            eprintln!("sizing failed: {e}");
            std::process::exit(1);
        }
    }
}
