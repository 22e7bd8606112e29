//! The yardstick: login-storm's workday as a minimal tight loop, beside rapt's engine on the
//! same workload (`cargo bench --bench floor`). Same figures, same distributions: 9,600
//! workers log in at Normal(08:00, 45 min) clipped to the day, stay LogNormal(median 7.5 h,
//! sigma 0.35), 7,000 tunnels, a blocked attempt retries after Exponential(mean 5 min) at most
//! 3 times. The loop draws, sorts the logins, and walks them with two binary heaps (departures
//! and retries) keyed by the times' bits: nothing else — no rollout, no authentication
//! service, no per-day statistics, no curve. rapt's replication does all of those around the
//! same walk; the ratio of the two is what its generality costs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, LogNormal, Normal};
use rapt::sim::{Model, SimOptions, simulate};

const DAY: f64 = 86_400.0;
const WORKERS: usize = 9_600;
const TUNNELS: u64 = 7_000;
const MAX_RETRIES: u8 = 3;

/// One workday: (blocked attempts, users who gave up).
fn floor_day(seed: u64) -> (u64, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let login = Normal::new(8.0 * 3600.0, 45.0 * 60.0).expect("normal");
    let session = LogNormal::new((7.5f64 * 3600.0).ln(), 0.35).expect("lognormal");
    let backoff = Exp::new(1.0 / 300.0).expect("exponential");
    let mut logins: Vec<(f64, f64)> = (0..WORKERS)
        .map(|_| {
            let t = loop {
                let t = login.sample(&mut rng);
                if (0.0..DAY).contains(&t) {
                    break t;
                }
            };
            (t, session.sample(&mut rng).max(1.0))
        })
        .collect();
    logins.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    // Non-negative finite times order as their bits.
    let mut departures: BinaryHeap<Reverse<u64>> = BinaryHeap::with_capacity(WORKERS);
    let mut retries: BinaryHeap<Reverse<(u64, u32, u8)>> = BinaryHeap::new();
    let (mut active, mut blocked, mut gave_up, mut next) = (0u64, 0u64, 0u64, 0usize);
    loop {
        let first = logins.get(next).map_or(f64::INFINITY, |l| l.0);
        let (t, idx, attempt) = match retries.peek() {
            Some(&Reverse((bits, idx, attempt))) if f64::from_bits(bits) < first => {
                retries.pop();
                (f64::from_bits(bits), idx as usize, attempt)
            }
            _ if next < logins.len() => {
                next += 1;
                (first, next - 1, 0)
            }
            _ => break,
        };
        while let Some(&Reverse(end)) = departures.peek() {
            if f64::from_bits(end) > t {
                break;
            }
            departures.pop();
            active -= 1;
        }
        if active < TUNNELS {
            active += 1;
            departures.push(Reverse((t + logins[idx].1).to_bits()));
        } else {
            blocked += 1;
            if attempt < MAX_RETRIES {
                let wait: f64 = backoff.sample(&mut rng);
                retries.push(Reverse(((t + wait).to_bits(), idx as u32, attempt + 1)));
            } else {
                gave_up += 1;
            }
        }
    }
    (blocked, gave_up)
}

fn floor(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bench/login-storm.yaml");
    let text = std::fs::read_to_string(path).expect("login-storm");
    let model = Model::from_scenario(
        &rapt::scenario::check_str("login-storm", &text)
            .into_valid()
            .expect("valid")
            .scenario,
    );
    // Both sides draw nothing but what the loop draws: no curve. 100 workdays a sample on
    // each side, so rapt's per-run set-up (its thread, the aggregation) spreads as in use.
    let opts = SimOptions {
        replications: Some(100),
        seed: Some(1),
        threads: Some(1),
        skip_curve: true,
        ..SimOptions::default()
    };
    check(&model);
    let mut g = c.benchmark_group("floor");
    g.sample_size(20);
    g.bench_function("login-storm tight loop, 100 workdays", |b| {
        b.iter(|| black_box((1..=100).map(floor_day).fold(0, |a, d| a + d.0)))
    });
    g.bench_function("rapt login-storm, 100 replications, 1 thread", |b| {
        b.iter(|| black_box(simulate(&model, &opts, &|| {}, &AtomicBool::new(false)).is_ok()))
    });
    g.finish();
}

/// The yardstick must be login-storm: its mean blocked attempts and give-ups over 40 days are
/// rapt's over 40 replications within 5% (checked before timing, so a broken yardstick is not
/// timed).
fn check(model: &Model) {
    let days = 40u64;
    let (b, g) = (1..=days).fold((0u64, 0u64), |a, s| {
        let d = floor_day(s);
        (a.0 + d.0, a.1 + d.1)
    });
    let (b, g) = (b as f64 / days as f64, g as f64 / days as f64);
    let opts = SimOptions {
        replications: Some(40),
        skip_curve: true,
        ..SimOptions::default()
    };
    let r = simulate(model, &opts, &|| {}, &AtomicBool::new(false)).expect("runs");
    let p = &r.summary.pools[0];
    let close = |a: f64, e: f64| (a - e).abs() <= 0.05 * e;
    assert!(
        close(b, p.blocked_attempts_total) && close(g, p.gave_up_total),
        "the tight loop is not login-storm: blocked {b} vs {}, gave up {g} vs {}",
        p.blocked_attempts_total,
        p.gave_up_total
    );
}

criterion_group!(benches, floor);
criterion_main!(benches);
