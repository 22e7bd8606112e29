//! The engine against teletraffic theory, conservation laws and determinism.

use std::sync::atomic::AtomicBool;

use super::{Model, SimOptions, SimResult, simulate};
use crate::erlang;
use crate::scenario::check_str;

fn model(yaml: &str) -> Model {
    let checked = check_str("test.yaml", yaml);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    Model::from_scenario(&checked.loaded.expect("decoded").scenario)
}

fn run(m: &Model, reps: u32, seed: u64, threads: usize) -> SimResult {
    let opts = SimOptions {
        replications: Some(reps),
        seed: Some(seed),
        threads: Some(threads),
        curve_day: None,
        ..SimOptions::default()
    };
    simulate(m, &opts, &|| {}, &AtomicBool::new(false)).expect("simulation runs")
}

fn stationary(servers: u64, rate_per_h: f64, holding: &str, hours: u32) -> String {
    format!(
        r#"
meta: {{ name: stationary }}
run: {{ start: 2024-01-01, horizon: 1d, seed: 11, replications: 20 }}
pools: {{ trunk: {{ kind: vpn, tunnels: {servers} }} }}
stationary:
  pool: trunk
  arrival_rate: {rate_per_h}/h
  holding: {holding}
  duration: {hours}h
  warmup: 20h
"#
    )
}

#[test]
fn poisson_exponential_blocking_matches_erlang_b() {
    for (c, a) in [(100u64, 90.0), (10, 7.0), (30, 30.0), (50, 40.0)] {
        let m = model(&stationary(c, a, "{ exponential: { mean: 1h } }", 1000));
        let r = run(&m, 20, 1, 2);
        let st = r.stationary.expect("stationary results");
        let theory = erlang::erlang_b(c, a).expect("erlang b");
        let b = st.blocking_probability;
        assert!(
            b.ci95_low <= theory && theory <= b.ci95_high,
            "C={c} A={a}: Erlang B {theory:.5} outside the simulated 95% CI [{:.5}, {:.5}]",
            b.ci95_low,
            b.ci95_high
        );
        // Carried traffic agrees too: A(1 - B).
        assert!((st.carried_erlang.mean / (a * (1.0 - theory)) - 1.0).abs() < 0.02);
    }
}

#[test]
fn lognormal_holding_is_insensitive_erlang_b() {
    // M/G/C/C: blocking depends on the holding time only through its mean.
    let holding = "{ lognormal: { median: 50min, sigma: 0.6 } }";
    let median_h: f64 = 50.0 / 60.0;
    let mean_h = median_h * (0.6f64 * 0.6 / 2.0).exp();
    for c in [40u64, 100] {
        let a = c as f64 * 0.9;
        let rate = a / mean_h;
        let m = model(&stationary(c, rate, holding, 400));
        let st = run(&m, 20, 5, 2).stationary.expect("stationary");
        let theory = erlang::erlang_b(c, a).expect("erlang b");
        let b = st.blocking_probability;
        assert!(
            b.ci95_low <= theory && theory <= b.ci95_high,
            "C={c}: {theory} not in [{}, {}]",
            b.ci95_low,
            b.ci95_high
        );
    }
}

#[test]
fn finite_sources_match_engset() {
    for (c, s, idle_min) in [(20u64, 40u64, 60.0), (50, 100, 90.0)] {
        let yaml = format!(
            r#"
meta: {{ name: engset }}
run: {{ start: 2024-01-01, horizon: 1d, seed: 3, replications: 20 }}
pools: {{ trunk: {{ kind: vpn, tunnels: {c} }} }}
stationary:
  pool: trunk
  sources: {s}
  idle: {{ exponential: {{ mean: {idle_min}min }} }}
  holding: {{ exponential: {{ mean: 1h }} }}
  duration: 400h
  warmup: 20h
"#
        );
        let st = run(&model(&yaml), 20, 3, 2).stationary.expect("stationary");
        let beta = 60.0 / idle_min;
        let theory = erlang::engset(c, s, beta).expect("engset");
        let b = st.blocking_probability;
        // Two-sided 99.9% test of the mean against the closed form (z = 3.29): a 95% interval
        // would miss the true value for one seed in twenty.
        let se = (b.ci95_high - b.ci95_low) / 2.0 / crate::stats::t_quantile_975(19);
        assert!(
            (b.mean - theory).abs() <= 3.29 * se,
            "C={c} S={s}: Engset {theory:.5} vs simulated {:.5} ± {:.5} (SE)",
            b.mean,
            se
        );
        // And it is clearly not Erlang B at the same carried load: the finite population matters.
        let erl = erlang::erlang_b(c, st.carried_erlang.mean / (1.0 - theory)).expect("b");
        assert!(
            erl > b.ci95_high,
            "Erlang B {erl} should exceed the finite-source blocking"
        );
    }
}

fn storm(tunnels: u64, workers: u64, retries: u32) -> String {
    format!(
        r#"
meta: {{ name: storm }}
run: {{ start: 2024-01-01, horizon: 1d, seed: 9, replications: 8 }}
staff:
  office:
    headcount: {workers}
    remote_suitable: 100%
    login: {{ normal: {{ mean: "08:00", sd: 45min }} }}
    session: {{ lognormal: {{ median: 7h30m, sigma: 0.35 }} }}
    bandwidth: 200kbit/s
    access: [{{ path: vpn, enabled: {workers} }}]
paths: {{ vpn: {{ device: existing, token: none, pool: vpn }} }}
pools: {{ vpn: {{ kind: vpn, tunnels: {tunnels}, throughput: 1Gbit/s }} }}
policy: {{ all: {{ from: 2024-01-01, remote_share: 100% }} }}
workday:
  retry: {{ max_retries: {retries}, backoff: {{ exponential: {{ mean: 5min }} }} }}
"#
    )
}

#[test]
fn ample_capacity_blocks_nobody_and_counts_every_worker() {
    let r = run(&model(&storm(5000, 3000, 3)), 8, 1, 2);
    let day = &r.timeline[0];
    let p = &day.pools[0];
    assert_eq!(p.blocked_attempts.mean, 0.0);
    assert_eq!(p.gave_up.mean, 0.0);
    assert_eq!(
        p.attempts.mean, 3000.0,
        "every remote worker attempts exactly once"
    );
    assert!(p.peak_sessions.p95 <= 3000.0);
    assert!(
        p.peak_sessions.mean > 2500.0,
        "7.5h sessions around 08:00 overlap heavily"
    );
}

#[test]
fn saturated_pool_conserves_attempts_and_users() {
    // Conservation is checked inside every run (the engine errors on a violation);
    // here the aggregate relations are checked from the outside as well.
    let r = run(&model(&storm(2000, 3000, 3)), 8, 1, 2);
    let p = &r.timeline[0].pools[0];
    assert!(p.blocked_attempts.mean > 0.0);
    assert!(p.gave_up.mean > 0.0);
    assert_eq!(
        p.peak_sessions.p95, 2000.0,
        "a saturated pool peaks at its capacity"
    );
    // users = admitted users + gave up, and admitted = attempts - blocked.
    let admitted = p.attempts.mean - p.blocked_attempts.mean;
    assert!((admitted + p.gave_up.mean - 3000.0).abs() < 1e-9);
}

#[test]
fn more_capacity_never_blocks_more() {
    let mut last_blocked = f64::INFINITY;
    let mut last_gave_up = f64::INFINITY;
    for tunnels in (5000..=10000).step_by(500) {
        let r = run(&model(&storm(tunnels, 9600, 3)), 6, 21, 2);
        let p = &r.timeline[0].pools[0];
        assert!(
            p.blocked_attempts.mean <= last_blocked,
            "{tunnels} tunnels block more than fewer tunnels"
        );
        assert!(p.gave_up.mean <= last_gave_up);
        last_blocked = p.blocked_attempts.mean;
        last_gave_up = p.gave_up.mean;
    }
    assert_eq!(last_blocked, 0.0);
}

#[test]
fn more_capacity_never_blocks_more_pathwise_without_retries() {
    // Without retries the loss system is monotone replication by replication.
    let blocked =
        |t: u64| run(&model(&storm(t, 9600, 0)), 4, 2, 1).timeline[0].pools[0].blocked_attempts;
    let mut prev = blocked(5000);
    for t in [5500, 6000, 7000, 8000] {
        let b = blocked(t);
        assert!(b.mean <= prev.mean && b.p95 <= prev.p95 && b.p50 <= prev.p50);
        prev = b;
    }
}

#[test]
fn results_do_not_depend_on_threads_and_do_depend_on_seed() {
    let m = model(crate::scenario::STARTER);
    let json = |r: &SimResult| serde_json::to_string(r).expect("json");
    let one = json(&run(&m, 6, 42, 1));
    let two = json(&run(&m, 6, 42, 2));
    let three = json(&run(&m, 6, 42, 3));
    assert_eq!(one, two);
    assert_eq!(one, three);
    let other = json(&run(&m, 6, 43, 2));
    assert_ne!(one, other, "a different seed must give different draws");
}

#[test]
fn auth_rate_delays_logins_and_curve_is_consistent() {
    let yaml = storm(9000, 3000, 0).replace("workday:", "auth: { rate: 20/min }\nworkday:");
    let m = model(&yaml);
    let r = run(&m, 4, 1, 2);
    // 3000 logins at 20/min need 150 minutes of auth work; a storm around 08:00 must queue.
    let delay = r.summary.worst_login_delay.expect("a judged day");
    assert!(delay.stat.mean > 600.0, "{delay:?}");
    let c = r.curve.as_ref().expect("curve of the busiest day");
    let logins: f64 = c.pools[0].points.iter().map(|p| p.logins).sum();
    assert!(
        (logins - 3000.0).abs() < 1e-9,
        "the curve counts every attempt once"
    );
    // The curve's interval maxima reach the day's peak; the interval starts never exceed them.
    let peak = c.pools[0]
        .points
        .iter()
        .map(|p| p.active_max_mean)
        .fold(0.0, f64::max);
    let day = m.day_of(c.date).unwrap();
    assert!((peak - r.timeline[day].pools[0].peak_sessions.mean).abs() <= 1.0 + 1e-9);
    for p in &c.pools[0].points {
        assert!(p.active_mean <= p.active_max_mean + 1e-9, "{p:?}");
        assert!(p.active_p95 <= p.active_max_p95 + 1e-9, "{p:?}");
    }
}

/// `login_simulation: peak_day` simulates the same peak day as `every_workday`, with the same
/// random streams, so its figures on that day are identical; other days carry no sessions.
#[test]
fn peak_day_mode_reproduces_the_peak_day_of_the_full_run() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/munich-2020.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let full = model(&text);
    let mut only_peak = full.clone();
    only_peak.login_simulation = crate::scenario::LoginSimulation::PeakDay;
    let b = run(&only_peak, 4, 7, 1);
    let day = b.summary.busiest_day.expect("a busiest day");
    let d = full.day_of(day).unwrap();
    // The day with the most remote workers (not necessarily the full run's peak by sessions).
    let most_remote = (0..full.days)
        .filter(|&x| full.workday[x])
        .max_by(|&x, &y| {
            b.timeline[x]
                .remote_workers
                .mean
                .total_cmp(&b.timeline[y].remote_workers.mean)
                .then(y.cmp(&x))
        })
        .unwrap();
    assert_eq!(d, most_remote);
    let opts = SimOptions {
        replications: Some(4),
        seed: Some(7),
        threads: Some(2),
        curve_day: Some(day),
        ..SimOptions::default()
    };
    let a = simulate(&full, &opts, &|| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(
        serde_json::to_value(&a.timeline[d]).unwrap(),
        serde_json::to_value(&b.timeline[d]).unwrap()
    );
    let (ca, cb) = (a.curve.unwrap(), b.curve.unwrap());
    assert_eq!(ca.date, cb.date);
    assert!(
        serde_json::to_value(&ca.pools).unwrap() == serde_json::to_value(&cb.pools).unwrap(),
        "the busiest day's curve differs between the modes"
    );
    let simulated = b.timeline.iter().filter(|t| t.logins_simulated).count();
    assert_eq!(simulated, 1);
    for t in b.timeline.iter().filter(|t| !t.logins_simulated) {
        assert!(
            t.pools
                .iter()
                .all(|p| p.peak_sessions.mean == 0.0 && p.attempts.mean == 0.0)
        );
    }
    // The rollout is the same every day.
    for (x, y) in a.timeline.iter().zip(&b.timeline) {
        assert_eq!(x.enabled, y.enabled);
        assert_eq!(x.remote_workers, y.remote_workers);
    }
}

/// Past the exact cap, aggregation switches to the bounded quantile summary: results stay
/// independent of the thread count, the mean stays exact, and quantiles stay within the
/// summary's rank error of the exact ones (so never above the largest value).
#[test]
fn beyond_the_exact_cap_results_are_still_deterministic_and_close() {
    let m = model(&storm(900, 1000, 1));
    let reps = (crate::stats::EXACT_REPLICATIONS + 300) as u32;
    let a = run(&m, reps, 3, 1);
    let b = run(&m, reps, 3, 2);
    assert_eq!(
        serde_json::to_string(&a.summary).unwrap(),
        serde_json::to_string(&b.summary).unwrap()
    );
    assert_eq!(
        serde_json::to_string(&a.curve).unwrap(),
        serde_json::to_string(&b.curve).unwrap()
    );
    // Against the first 1,000 replications (exact): the same distribution, so close.
    let c = run(&m, crate::stats::EXACT_REPLICATIONS as u32, 3, 2);
    let (x, y) = (
        a.summary.pools[0].worst_blocking.unwrap().stat,
        c.summary.pools[0].worst_blocking.unwrap().stat,
    );
    assert!((x.mean - y.mean).abs() < 0.1 * y.mean, "{x:?} vs {y:?}");
    assert!((x.p95 - y.p95).abs() < 0.1 * y.p95, "{x:?} vs {y:?}");
    let p = a.summary.pools[0].peak_sessions_busiest;
    assert!(p.p50 <= p.p95 && p.p95 <= p.p99 && p.p99 <= 900.0);
    assert!(p.mean > 800.0 && p.mean <= 900.0);
}

/// Staff enabled at `per_day` a day onto a pool of `tunnels`: once the pool saturates, its
/// carried peak is capped while blocking keeps growing with every day's new remote workers.
fn growing(tunnels: u64, headcount: u64, per_day: u64) -> String {
    format!(
        r#"
meta: {{ name: growing }}
run: {{ start: 2024-01-01, horizon: 12d, seed: 5, replications: 6, workdays: [mon, tue, wed, thu, fri, sat, sun] }}
staff:
  office:
    headcount: {headcount}
    remote_suitable: 100%
    login: {{ normal: {{ mean: "08:00", sd: 30min }} }}
    session: {{ fixed: {{ value: 8h }} }}
    access: [{{ path: vpn }}]
paths: {{ vpn: {{ device: existing, token: none, pool: vpn }} }}
pools: {{ vpn: {{ kind: vpn, tunnels: {tunnels} }} }}
onboarding: {{ per_day: {per_day} }}
policy: {{ all: {{ from: 2024-01-01, remote_share: 100%, enable_target: 100% }} }}
service_level: {{ max_blocking: 1% }}
"#
    )
}

/// The worst day is the day of most blocking, never the first saturated day (whose carried
/// load already equals every later day's), and the verdict names the same day, every breaching
/// day and the first and last of them.
#[test]
fn worst_blocking_day_is_the_day_of_most_blocking_not_the_first_saturated_day() {
    let m = model(&growing(1000, 3000, 300));
    let r = run(&m, 6, 5, 2);
    let q = crate::scenario::Quantile::P95;
    let blocking: Vec<f64> = r
        .timeline
        .iter()
        .map(|d| d.pools[0].blocking_probability.at(q))
        .collect();
    let first_saturated = r
        .timeline
        .iter()
        .position(|d| d.pools[0].occupancy.mean >= 1.0)
        .expect("the pool saturates");
    let most = (0..blocking.len())
        .max_by(|&a, &b| blocking[a].total_cmp(&blocking[b]).then(b.cmp(&a)))
        .unwrap();
    assert!(
        most > first_saturated,
        "blocking must keep growing after saturation: {blocking:?}"
    );
    // Carried load is the same (capped) from the first saturated day on.
    assert_eq!(
        r.timeline[first_saturated].pools[0].peak_sessions.mean,
        r.timeline[most].pools[0].peak_sessions.mean
    );
    let worst = r.summary.pools[0].worst_blocking.expect("a worst day");
    assert_eq!(worst.date, m.date(most));
    assert_eq!(worst.value, blocking[most]);

    let level = crate::scenario::ServiceLevel {
        max_blocking: Some(crate::units::Share::parse("1%").unwrap()),
        max_utilisation: None,
        max_login_delay: None,
        max_dropped: None,
        quantile: q,
        window: None,
    };
    let v = crate::plan::service::evaluate(&r, &level);
    assert!(!v.met);
    let c = &v.checks[0];
    assert_eq!(c.worst_day, Some(m.date(most)));
    let breaching: Vec<usize> = (0..blocking.len())
        .filter(|&d| blocking[d] > 0.01)
        .collect();
    assert_eq!(c.breaching_days as usize, breaching.len());
    assert_eq!(c.first_breach, Some(m.date(breaching[0])));
    assert_eq!(c.last_breach, Some(m.date(*breaching.last().unwrap())));
    assert_eq!(c.days_judged, 12);
    // The chart day defaults to the worst blocking day.
    let curve = r.curve.as_ref().expect("a curve");
    assert_eq!(curve.date, m.date(most));
    assert!(matches!(
        curve.why,
        super::CurveChoice::WorstBlocking { .. }
    ));

    // A window before the first breach meets the level.
    let mut opts = SimOptions {
        replications: Some(6),
        seed: Some(5),
        threads: Some(2),
        ..SimOptions::default()
    };
    opts.window = Some(crate::scenario::JudgedWindow {
        from: None,
        to: Some(m.date(breaching[0] - 1)),
    });
    let early = simulate(&m, &opts, &|| {}, &AtomicBool::new(false)).unwrap();
    let v = crate::plan::service::evaluate(&early, &level);
    assert!(v.met, "{v:#?}");
    assert_eq!(v.checks[0].days_judged as usize, breaching[0]);
}

/// With ample capacity, the curve's mean column is the expected number of sessions active at
/// the interval's start, N·P(L ≤ t < L + S), here in closed form for logins uniform on
/// [a, b] and exponential sessions of mean μ:
/// N·(μ/(b − a))·(e^{−(t − min(t, b))/μ} − e^{−(t − a)/μ}) for t > a.
/// The interval maximum is never below it.
#[test]
fn curve_mean_is_the_expected_number_active_at_the_interval_start() {
    let n = 2000.0;
    let yaml = format!(
        r#"
meta: {{ name: curve }}
run: {{ start: 2024-01-01, horizon: 1d, seed: 3, replications: 200 }}
staff:
  office:
    headcount: {n}
    remote_suitable: 100%
    login: {{ uniform: {{ min: "07:00", max: "09:00" }} }}
    session: {{ exponential: {{ mean: 2h }} }}
    access: [{{ path: vpn, enabled: {n} }}]
paths: {{ vpn: {{ device: existing, token: none, pool: vpn }} }}
pools: {{ vpn: {{ kind: vpn, tunnels: 5000 }} }}
policy: {{ all: {{ from: 2024-01-01, remote_share: 100% }} }}
"#
    );
    let m = model(&yaml);
    let r = run(&m, 200, 3, 2);
    let c = r.curve.expect("curve");
    let (a, b, mu) = (7.0 * 3600.0, 9.0 * 3600.0, 7200.0);
    let mut checked = 0;
    for p in &c.pools[0].points {
        let t: f64 = p.start_secs;
        let expected = if t <= a {
            0.0
        } else {
            n * (mu / (b - a)) * ((-(t - t.min(b)) / mu).exp() - (-(t - a) / mu).exp())
        };
        // Binomial spread of N(t) over 200 replications, plus the 1 s minimum session.
        let q = expected / n;
        let se = (n * q * (1.0 - q) / 200.0).sqrt();
        assert!(
            (p.active_mean - expected).abs() <= 5.0 * se + 0.5,
            "{}: mean {} vs exact {expected}",
            crate::report::format::clock(t),
            p.active_mean
        );
        assert!(p.active_max_mean >= p.active_mean - 1e-9);
        assert!(p.active_max_p95 >= p.active_p95 - 1e-9);
        if expected > 100.0 {
            checked += 1;
        }
    }
    assert!(checked > 50, "the test must cover the busy hours");
    // During the ramp the interval maximum runs ahead of the value at the start.
    let ramp = c.pools[0]
        .points
        .iter()
        .find(|p| p.start_secs == 7.5 * 3600.0)
        .unwrap();
    assert!(ramp.active_max_mean > ramp.active_mean + 10.0, "{ramp:?}");
}

#[test]
fn a_pool_that_opens_with_an_expansion_blocks_every_attempt_before() {
    // Monday: 0 tunnels (and 0 licences); the expansion opens the pool on Tuesday.
    let text = storm(0, 300, 2)
        .replace("horizon: 1d", "horizon: 2d")
        .replace(
            "tunnels: 0, throughput: 1Gbit/s",
            "tunnels: 0, licences: 0, throughput: 1Gbit/s, expansions: [{ date: 2024-01-02, tunnels: 200, licences: 200 }]",
        );
    let checked = check_str("opens.yaml", &text);
    assert!(
        checked.diagnostics.is_empty(),
        "0 with a later expansion is valid: {:#?}",
        checked.diagnostics
    );
    let r = run(&model(&text), 8, 1, 2);
    let (closed, open) = (&r.timeline[0].pools[0], &r.timeline[1].pools[0]);
    assert_eq!(closed.capacity, 0);
    assert_eq!(
        closed.attempts.mean,
        300.0 * 3.0,
        "each worker tries 1 + 2 times"
    );
    assert_eq!(closed.blocked_attempts.mean, closed.attempts.mean);
    assert_eq!(closed.gave_up.mean, 300.0);
    assert_eq!(closed.peak_sessions.p95, 0.0);
    assert_eq!(closed.blocking_probability.mean, 1.0);
    // Occupancy is peak over capacity: 0 sessions on 0 tunnels is 0, not NaN.
    assert_eq!(closed.occupancy.mean, 0.0);
    assert_eq!(closed.bandwidth_utilisation.map(|u| u.p95), Some(0.0));
    assert_eq!(open.capacity, 200);
    assert_eq!(open.peak_sessions.p95, 200.0);
    assert!(open.blocked_attempts.mean < open.attempts.mean);
    let worst = r.summary.pools[0]
        .worst_blocking
        .as_ref()
        .expect("a worst day");
    assert_eq!(worst.date, r.timeline[0].date);
    for d in &r.timeline {
        for p in &d.pools {
            for v in [
                p.occupancy.p95,
                p.blocking_probability.p95,
                p.peak_sessions.mean,
            ] {
                assert!(v.is_finite());
            }
        }
    }
}

/// Millions of sources with exponential idle times are pooled into one stream (memory holds the
/// busy sessions only) and, with a tiny per-source rate, behave as Poisson arrivals: the
/// blocking agrees with both Engset and its Erlang B limit.
#[test]
fn millions_of_exponential_sources_are_pooled_and_approach_erlang_b() {
    // 4.32 million sources idle 2,000 days on average, 1 h sessions: A ≈ 90 erlang on 100 lines.
    let yaml = r#"
meta: { name: many sources }
run: { start: 2024-01-01, horizon: 1d, seed: 4, replications: 20 }
pools: { trunk: { kind: vpn, tunnels: 100 } }
stationary:
  pool: trunk
  sources: 4320000
  idle: { exponential: { mean: 2000d } }
  holding: { exponential: { mean: 1h } }
  duration: 300h
  warmup: 20h
"#;
    let st = run(&model(yaml), 20, 4, 2).stationary.expect("stationary");
    let beta = 1.0 / 48_000.0;
    let engset = erlang::engset(100, 4_320_000, beta).expect("engset");
    let b = st.blocking_probability;
    let se = (b.ci95_high - b.ci95_low) / 2.0 / crate::stats::t_quantile_975(19);
    assert!(
        (b.mean - engset).abs() <= 3.29 * se,
        "Engset {engset:.5} vs simulated {:.5} ± {se:.5}",
        b.mean
    );
    let erlang_b = erlang::erlang_b(100, 4_320_000.0 * beta).expect("b");
    assert!((engset - erlang_b).abs() < 1e-4, "{engset} vs {erlang_b}");
}

/// A dated increase raises a rate from its date on: 10 a day, then 15 from the fourth day,
/// for 100 suitable staff, gives 10, 20, 30, 45, 60, 75, 90, 100 enabled (hand-computed), and
/// the rollouts alone (the planner's probe) agree with the full run.
#[test]
fn a_dated_increase_raises_the_rate_from_its_date() {
    let yaml = growing(1_000, 100, 10)
        + "increases: [{ date: 2024-01-04, field: onboarding.per_day, add: 5 }]\n";
    let m = model(&yaml);
    let per_day = m.onboarding_per_day.as_ref().expect("onboarding");
    assert_eq!(&per_day[..5], &[10, 10, 10, 15, 15]);
    let r = run(&m, 3, 1, 2);
    let enabled: Vec<f64> = r.timeline.iter().take(9).map(|d| d.enabled.mean).collect();
    assert_eq!(
        enabled,
        [10.0, 20.0, 30.0, 45.0, 60.0, 75.0, 90.0, 100.0, 100.0]
    );
    let opts = SimOptions {
        replications: Some(3),
        ..SimOptions::default()
    };
    let p = super::probe_rollout(&m, &opts, 6, &AtomicBool::new(false)).expect("probe");
    assert_eq!(&p.enabled[..9], &enabled[..]);
    assert_eq!(p.met_on(6), 0.0, "90 of 100 on the seventh day");
    assert_eq!(p.met_on(7), 1.0);
    assert_eq!(p.enabled_by_slot, [90.0]);
    assert_eq!(p.bottleneck(), Some(super::Constraint::Onboarding));
}

fn night_shift(night: u64, day_workers: u64, tunnels: u64, night_session: &str) -> String {
    let day_group = if day_workers == 0 {
        String::new()
    } else {
        format!(
            r#"
  day:
    headcount: {day_workers}
    remote_suitable: 100%
    login: {{ normal: {{ mean: "07:30", sd: 30min }} }}
    session: {{ lognormal: {{ median: 8h, sigma: 0.1 }} }}
    access: [{{ path: vpn, enabled: {day_workers} }}]"#
        )
    };
    format!(
        r#"
meta: {{ name: night shift }}
run: {{ start: 2024-01-08, horizon: 2d, seed: 5, replications: 40 }}
staff:
  night:
    headcount: {night}
    remote_suitable: 100%
    login: {{ normal: {{ mean: "08:00", sd: 30min }} }}
    session: {{ lognormal: {{ median: 8h, sigma: 0.1 }} }}
    shifts:
      - {{ name: night, share: 100%, login: {{ normal: {{ mean: "22:00", sd: 15min }} }}, session: {night_session} }}
    access: [{{ path: vpn, enabled: {night} }}]{day_group}
paths: {{ vpn: {{ device: existing, token: none, pool: vpn }} }}
pools: {{ vpn: {{ kind: vpn, tunnels: {tunnels} }} }}
policy: {{ all: {{ from: 2024-01-08, remote_share: 100% }} }}
"#
    )
}

fn curve_on(m: &Model, date: &str) -> SimResult {
    let opts = SimOptions {
        replications: Some(40),
        curve_day: Some(crate::units::Date::parse(date).expect("date")),
        ..SimOptions::default()
    };
    simulate(m, &opts, &|| {}, &AtomicBool::new(false)).expect("simulation runs")
}

/// Carry-over oracle: N night workers log in around 22:00 with exponential sessions (mean
/// 5h); at 00:30 the next day a session is still running with probability
/// P(L + S > 24.5h) = E[exp(-(24.5h - L)/5h)] for L ~ normal(22:00, 15min), which is
/// exp(-2.5/5) · exp(σ²/(2·5²)) with σ = 0.25h. The first day starts empty.
#[test]
fn night_sessions_carry_over_midnight_as_the_closed_form_says() {
    let n = 2000.0;
    let m = model(&night_shift(
        2000,
        0,
        10_000,
        "{ exponential: { mean: 5h } }",
    ));
    assert!(m.carry_over);
    let p: f64 = (-2.5f64 / 5.0).exp() * (0.25f64 * 0.25 / (2.0 * 25.0)).exp();
    let expected = n * p;
    let at = |r: &SimResult| {
        let c = r.curve.as_ref().expect("a curve");
        let k = (1800.0 / c.interval_secs) as usize;
        assert_eq!(c.pools[0].points[k].start_secs, 1800.0);
        c.pools[0].points[k].active_mean
    };
    let monday = curve_on(&m, "2024-01-08");
    assert_eq!(at(&monday), 0.0, "the first day starts empty");
    let tuesday = curve_on(&m, "2024-01-09");
    // Binomial spread per replication, mean over 40: four standard errors.
    let se = (n * p * (1.0 - p) / 40.0).sqrt();
    let got = at(&tuesday);
    assert!(
        (got - expected).abs() < 4.0 * se,
        "active at 00:30: {got} vs N·P = {expected} (se {se})"
    );
    let p = &tuesday.timeline[1].pools[0];
    assert!(p.peak_sessions.mean >= got);
}

/// A day simulated without its load curve hands the next day the same sessions, in the same
/// order, as one that draws it (the two take them from the departure queues differently):
/// two pools with night shifts, sessions beyond the next midnight and beyond the one after,
/// pools that block, so carry-over shapes every following day.
#[test]
fn the_night_carries_the_same_sessions_with_and_without_a_curve() {
    let text = night_shift(400, 900, 1100, "{ lognormal: { median: 20h, sigma: 0.6 } }")
        .replace("horizon: 2d", "horizon: 6d")
        .replace(
            "    access: [{ path: vpn, enabled: 400 }]",
            "    bandwidth: 300kbit/s\n    access: [{ path: vpn, enabled: 400 }]",
        )
        .replace(
            "paths: { vpn: { device: existing, token: none, pool: vpn } }",
            "  watch:\n    headcount: 300\n    remote_suitable: 100%\n    login: { normal: { mean: \"08:00\", sd: 30min } }\n    session: { lognormal: { median: 8h, sigma: 0.1 } }\n    bandwidth: 500kbit/s\n    shifts:\n      - { name: day, share: 60%, login: { normal: { mean: \"08:00\", sd: 30min } } }\n      - { name: night, share: 40%, login: { normal: { mean: \"21:00\", sd: 15min } }, session: { lognormal: { median: 15h, sigma: 0.7 } } }\n    access: [{ path: rdp, enabled: 300 }]\npaths: { vpn: { device: existing, token: none, pool: vpn }, rdp: { device: existing, token: none, pool: vpn2 } }",
        )
        .replace(
            "pools: { vpn: { kind: vpn, tunnels: 1100 } }",
            "pools: { vpn: { kind: vpn, tunnels: 1100, throughput: 1Gbit/s }, vpn2: { kind: vpn, tunnels: 150, throughput: 1Gbit/s } }\nworkday:\n  retry: { max_retries: 2, backoff: { exponential: { mean: 5min } } }",
        );
    let m = model(&text);
    assert!(m.carry_over && m.pools.len() == 2);
    let night = curve_on(&m, "2024-01-10");
    let c = night.curve.as_ref().expect("a curve");
    assert!(
        c.pools.iter().all(|p| p.points[0].active_mean > 0.0),
        "both pools carry sessions into the day"
    );
    let cancel = AtomicBool::new(false);
    for seed in [1, 2, 3] {
        let opts = |skip_curve| SimOptions {
            replications: Some(6),
            seed: Some(seed),
            skip_curve,
            ..SimOptions::default()
        };
        let with = simulate(&m, &opts(false), &|| {}, &cancel).expect("runs");
        let without = simulate(&m, &opts(true), &|| {}, &cancel).expect("runs");
        assert!(with.curve.is_some() && without.curve.is_none());
        assert!(
            without.timeline[1..]
                .iter()
                .any(|d| d.pools[1].blocked_attempts.mean > 0.0),
            "the second pool blocks"
        );
        assert_eq!(
            format!("{:?}", (&with.timeline, &with.summary, &with.replay)),
            format!(
                "{:?}",
                (&without.timeline, &without.summary, &without.replay)
            ),
            "seed {seed}"
        );
    }
}

/// 500 night workers (22:00, sessions of about 10h30m) and 1,000 day workers (07:30) on
/// 1,200 tunnels: Monday starts empty and peaks at the day shift's 1,000; on Tuesday the
/// night's sessions are still there when the day shift logs in, and logins are blocked.
#[test]
fn night_and_day_shifts_block_on_the_second_morning() {
    let m = model(&night_shift(
        500,
        1000,
        1200,
        "{ lognormal: { median: 10h30m, sigma: 0.05 } }",
    ));
    let r = run(&m, 40, 5, 2);
    let (mon, tue) = (&r.timeline[0].pools[0], &r.timeline[1].pools[0]);
    assert!(mon.peak_sessions.p95 <= 1000.0, "{:?}", mon.peak_sessions);
    assert_eq!(mon.blocked_attempts.mean, 0.0);
    assert!(tue.peak_sessions.mean > 1150.0, "{:?}", tue.peak_sessions);
    assert!(
        tue.blocked_attempts.mean > 0.0,
        "{:?}",
        tue.blocked_attempts
    );
    // The chart day (the worst blocking day) is chosen after the run and replayed with the
    // night before it: the same curve as recording Tuesday in the main pass.
    let c = r.curve.as_ref().expect("a curve");
    assert_eq!(c.date.to_string(), "2024-01-09");
    let recorded = curve_on(&m, "2024-01-09");
    assert_eq!(
        format!("{:?}", c.pools[0].points),
        format!("{:?}", recorded.curve.as_ref().unwrap().pools[0].points)
    );
    // The same staff without shifts (one day shift each: sessions end with the day, the old
    // one-day semantics) never block.
    let text = night_shift(
        500,
        1000,
        1200,
        "{ lognormal: { median: 10h30m, sigma: 0.05 } }",
    );
    let one_day = text
        .replace(
            "    login: { normal: { mean: \"08:00\", sd: 30min } }\n    session: { lognormal: { median: 8h, sigma: 0.1 } }\n    shifts:\n      - { name: night, share: 100%, login: { normal: { mean: \"22:00\", sd: 15min } }, session: { lognormal: { median: 10h30m, sigma: 0.05 } } }\n",
            "    login: { normal: { mean: \"22:00\", sd: 15min } }\n    session: { lognormal: { median: 10h30m, sigma: 0.05 } }\n",
        );
    assert_ne!(one_day, text);
    let m = model(&one_day);
    assert!(!m.carry_over);
    let r = run(&m, 40, 5, 2);
    assert_eq!(r.timeline[1].pools[0].blocked_attempts.mean, 0.0);
    assert!(r.timeline[1].pools[0].peak_sessions.p95 <= 1000.0);
}

#[test]
fn shifts_split_a_slot_exactly() {
    use super::workday::split_by_share_for_tests as split;
    assert_eq!(split(10, &[0.5, 0.5]), vec![5, 5]);
    assert_eq!(split(7, &[0.6, 0.4]), vec![4, 3]);
    assert_eq!(split(1, &[0.5, 0.5]), vec![1, 0]);
    assert_eq!(split(0, &[0.3, 0.7]), vec![0, 0]);
    assert_eq!(split(1001, &[0.25, 0.25, 0.5]).iter().sum::<u64>(), 1001);
}

#[test]
fn shift_shares_must_add_up_to_one_hundred_percent() {
    let text = night_shift(100, 0, 200, "{ exponential: { mean: 5h } }").replace(
        "      - { name: night, share: 100%,",
        "      - { name: day, share: 60%, login: { normal: { mean: \"08:00\", sd: 30min } } }\n      - { name: night, share: 30%,",
    );
    let checked = check_str("test.yaml", &text);
    let found: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(
        found
            .iter()
            .any(|d| d.contains("staff.night.shifts") && d.contains("90.0000%")),
        "{found:#?}"
    );
}

/// `login_simulation: peak_day` simulates one day's logins; with shifts, the workday before it
/// runs too for its carry, so the day is the one the every-workday run saw.
#[test]
fn a_peak_day_alone_still_gets_the_night_before_it() {
    let text = night_shift(500, 1000, 1200, "{ lognormal: { median: 10h30m, sigma: 0.05 } }")
        .replace(
            "policy: { all: { from: 2024-01-08, remote_share: 100% } }",
            "policy:\n  first: { from: 2024-01-08, remote_share: 90% }\n  then: { from: 2024-01-09, remote_share: 100% }",
        );
    let every = run(&model(&text), 12, 5, 2);
    let peak_text = text.replace(
        "run: { start: 2024-01-08,",
        "run: { login_simulation: peak_day, start: 2024-01-08,",
    );
    assert_ne!(peak_text, text);
    let peak = run(&model(&peak_text), 12, 5, 2);
    assert_eq!(
        peak.timeline[0].pools[0].attempts.mean, 0.0,
        "Monday's logins are not shown"
    );
    assert!(peak.timeline[1].pools[0].blocked_attempts.mean > 0.0);
    assert_eq!(
        format!("{:?}", peak.timeline[1].pools[0]),
        format!("{:?}", every.timeline[1].pools[0])
    );
}

fn outage_day(workers: u64, tunnels: u64) -> String {
    format!(
        r#"
meta: {{ name: outage }}
run: {{ start: 2024-01-08, horizon: 1d, seed: 3, replications: 40 }}
staff:
  office:
    headcount: {workers}
    remote_suitable: 100%
    login: {{ normal: {{ mean: "08:00", sd: 45min }} }}
    session: {{ exponential: {{ mean: 4h }} }}
    access: [{{ path: vpn, enabled: {workers} }}]
paths: {{ vpn: {{ device: existing, token: none, pool: vpn }} }}
pools:
  vpn:
    kind: vpn
    tunnels: {tunnels}
    units: 2
    outages: [{{ date: 2024-01-08, at: "10:00", duration: 30min, units: 1 }}]
policy: {{ all: {{ from: 2024-01-08, remote_share: 100% }} }}
workday:
  retry: {{ max_retries: 3, backoff: {{ exponential: {{ mean: 2min }} }} }}
"#
    )
}

/// Outage oracle: with capacity to spare, one of two units failing at 10:00 drops half the
/// sessions active then (the bigger half); the expected number active is N·P(L ≤ 10:00 <
/// L + S) = N·E[1{L ≤ 10h}·exp(-(10h − L)/4h)] for L ~ normal(8h, 0.75h), integrated here
/// by Simpson's rule. Every dropped user reconnects (nobody is blocked) and the engine's
/// conservation checks hold (they run inside every simulation).
#[test]
fn an_outage_drops_the_failed_units_sessions_and_they_reconnect() {
    let n = 4000.0;
    let r = run(&model(&outage_day(4000, 10_000)), 40, 3, 2);
    let p = &r.timeline[0].pools[0];
    let o = p.interruptions.as_ref().expect("interruption figures");
    // P(active at 10:00) by Simpson's rule over the login time (hours), from 8 − 8σ to 10.
    let (mu, sd, mean, t) = (8.0f64, 0.75f64, 4.0f64, 10.0f64);
    let f = |l: f64| {
        let z = (l - mu) / sd;
        (-0.5 * z * z).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt()) * (-(t - l) / mean).exp()
    };
    let (a, b, steps) = (mu - 8.0 * sd, t, 2000);
    let h = (b - a) / steps as f64;
    let mut sum = f(a) + f(b);
    for i in 1..steps {
        sum += f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    let prob = sum * h / 3.0;
    let expected = n * prob / 2.0 + 0.25; // ⌈A/2⌉: half, plus a half for odd A half the time
    let se = (n * prob * (1.0 - prob)).sqrt() / 2.0 / 40f64.sqrt();
    assert!(
        (o.dropped.mean - expected).abs() < 4.0 * se + 0.5,
        "dropped {} vs {expected} (se {se})",
        o.dropped.mean
    );
    assert_eq!(o.reconnect_blocked.mean, 0.0);
    assert_eq!(o.reconnect_gave_up.mean, 0.0);
    assert!((p.attempts.mean - (n + o.dropped.mean)).abs() < 1e-9);

    // With capacity just above the peak, the surviving unit cannot take the reconnect storm.
    let tight = run(&model(&outage_day(4000, 3600)), 40, 3, 2);
    let o = tight.timeline[0].pools[0]
        .interruptions
        .as_ref()
        .expect("interruption figures");
    assert!(o.dropped.mean > 1000.0);
    assert!(
        o.reconnect_blocked.mean > 100.0,
        "{:?}",
        o.reconnect_blocked
    );
    assert!(o.reconnect_gave_up.mean > 0.0);
}

#[test]
fn the_capacity_left_by_lost_units_takes_the_biggest_first() {
    use super::model::PoolModel;
    assert_eq!(PoolModel::limit_without(10, 2, 1), 5);
    assert_eq!(PoolModel::limit_without(11, 2, 1), 5);
    assert_eq!(PoolModel::limit_without(11, 3, 1), 7);
    assert_eq!(PoolModel::limit_without(11, 3, 3), 0);
    assert_eq!(PoolModel::limit_without(11, 3, 0), 11);
}

fn farm(light: u64, heavy: u64, extra: &str) -> String {
    let total = light + heavy;
    format!(
        r#"
meta: {{ name: farm }}
run: {{ start: 2024-01-08, horizon: 1d, seed: 2, replications: 4 }}
staff:
  office:
    headcount: {total}
    remote_suitable: 100%
    login: {{ fixed: {{ value: "08:00" }} }}
    session: {{ fixed: {{ value: 8h }} }}
    bandwidth: 200kbit/s
    workload:
      - {{ name: light, share: {lp}, users_per_vcpu: 4 }}
      - {{ name: heavy, share: {hp}, bandwidth: 2Mbit/s, users_per_vcpu: 1 }}
    access: [{{ path: portal, enabled: {total} }}]
paths: {{ portal: {{ device: existing, token: none, pool: farm, bandwidth_factor: 1.5 }} }}
pools:
  farm:
    kind: remote_desktop
    hosts: 10
    sessions_per_host: 1000
    throughput: 2Gbit/s
{extra}
policy: {{ all: {{ from: 2024-01-08, remote_share: 100% }} }}
"#,
        lp = light as f64 / total as f64,
        hp = heavy as f64 / total as f64,
    )
}

/// Workload classes and a path's factor: everyone is on at 09:00, so the peak demand is
/// 1.5 × (light × 200 kbit/s + heavy × 2 Mbit/s), exactly; the farm's 80 vCPUs carry 100 light
/// (25 vCPUs) and 50 heavy (50 vCPUs) sessions.
#[test]
fn workload_classes_set_each_sessions_demand_and_cpu() {
    let r = run(&model(&farm(100, 50, "    vcpus_per_host: 8")), 4, 2, 1);
    let p = &r.timeline[0].pools[0];
    assert_eq!(p.blocked_attempts.mean, 0.0);
    let demand = 1.5 * (100.0 * 200e3 + 50.0 * 2e6);
    let util = p.bandwidth_utilisation.expect("a throughput").mean;
    assert!(
        (util - demand / 2e9).abs() < 1e-12,
        "{util} vs {}",
        demand / 2e9
    );
    // 60 heavy need 85 vCPUs: the last 5 heavy logons (they come after the light ones at the
    // same instant) find no CPU and, without retries, give up.
    let r = run(&model(&farm(100, 60, "    vcpus_per_host: 8")), 4, 2, 1);
    let p = &r.timeline[0].pools[0];
    assert_eq!(p.blocked_attempts.mean, 5.0);
    assert_eq!(p.peak_sessions.mean, 155.0);
}

/// A farm of 10 hosts absorbing 6 logons a minute each takes one logon a second: 600 users
/// logging on at the same instant wait up to 600 s.
#[test]
fn a_farms_logon_rate_makes_a_login_storm_wait() {
    let text = farm(400, 200, "    logons_per_minute_per_host: 6");
    let r = run(&model(&text), 4, 2, 1);
    let d = &r.timeline[0];
    assert!(
        (d.login_delay_max.mean - 600.0).abs() < 1e-6,
        "{:?}",
        d.login_delay_max
    );
    assert_eq!(d.pools[0].blocked_attempts.mean, 0.0);
}

/// An attempt the farm turns away (every seat taken) takes no logon: with 300 seats, the 300
/// admitted users log on one a second, and the 300 turned away after them learn it at the
/// 301st second instead of queueing behind one another's logons up to 600 s.
#[test]
fn an_attempt_turned_away_takes_no_logon() {
    let text = farm(400, 200, "    logons_per_minute_per_host: 6")
        .replace("sessions_per_host: 1000", "sessions_per_host: 30");
    let r = run(&model(&text), 4, 2, 1);
    let d = &r.timeline[0];
    assert_eq!(d.pools[0].peak_sessions.mean, 300.0);
    assert_eq!(d.pools[0].blocked_attempts.mean, 300.0);
    assert!(
        (d.login_delay_max.mean - 301.0).abs() < 1e-6,
        "{:?}",
        d.login_delay_max
    );
}

fn long_day(extra_group: &str, extra_pool: &str) -> String {
    format!(
        r#"
meta: {{ name: long day }}
run: {{ start: 2024-01-08, horizon: 1d, seed: 4, replications: 20 }}
staff:
  office:
    headcount: 1000
    remote_suitable: 100%
    login: {{ fixed: {{ value: "08:00" }} }}
    session: {{ fixed: {{ value: 10h }} }}
{extra_group}
    access: [{{ path: vpn, enabled: 1000 }}]
paths: {{ vpn: {{ device: existing, token: none, pool: vpn }} }}
pools:
  vpn:
    kind: vpn
    tunnels: 2000
{extra_pool}
policy: {{ all: {{ from: 2024-01-08, remote_share: 100% }} }}
"#
    )
}

/// A gateway that keeps sessions 8 hours cuts every 10-hour session at 16:00; each user
/// reconnects at once (no back-off configured) for the last two hours: 1,000 timed out, 2,000
/// attempts, the level never dips.
#[test]
fn a_maximum_session_time_cuts_and_users_reconnect() {
    let r = run(&model(&long_day("", "    max_session: 8h")), 20, 4, 2);
    let p = &r.timeline[0].pools[0];
    let i = p.interruptions.as_ref().expect("interruption figures");
    assert_eq!(i.timed_out.mean, 1000.0);
    assert_eq!(i.reconnect_blocked.mean, 0.0);
    assert_eq!(p.attempts.mean, 2000.0);
    assert_eq!(p.peak_sessions.p95, 1000.0);
}

/// A one-minute maximum session cuts each 10-hour session 600 times; the reconnects waiting
/// are at most one per worker at any moment, and their entries are reused, so the buffer holds
/// 1,000 entries, not 600,000.
#[test]
fn reconnect_entries_stay_one_per_worker() {
    use super::workday::{Buffers, run_workday};
    let m = model(&long_day("", "    max_session: 1min"));
    let mut buf = Buffers::default();
    let day = run_workday(&m, 4, 0, 0, &[1000], &mut buf, None);
    assert_eq!(day.pools[0].timed_out, 600_000 - 1000);
    assert!(
        buf.reconnect_entries() <= 1000,
        "{}",
        buf.reconnect_entries()
    );
}

/// Half the staff disconnect for a 45-minute lunch at 12:00: about 500 paused (binomial), and
/// at 12:30 exactly those are away in every replication.
#[test]
fn a_lunch_break_pauses_a_share_and_they_come_back() {
    let breaks = r#"    breaks: { share: 50%, at: { fixed: { value: "12:00" } }, length: { fixed: { value: 45min } } }"#;
    let m = model(&long_day(breaks, ""));
    let opts = SimOptions {
        replications: Some(20),
        curve_day: Some(crate::units::Date::parse("2024-01-08").unwrap()),
        ..SimOptions::default()
    };
    let r = simulate(&m, &opts, &|| {}, &AtomicBool::new(false)).expect("runs");
    let i = r.timeline[0].pools[0]
        .interruptions
        .as_ref()
        .expect("figures");
    let se = (1000.0f64 * 0.25 / 20.0).sqrt();
    assert!((i.paused.mean - 500.0).abs() < 4.0 * se, "{:?}", i.paused);
    let c = r.curve.as_ref().unwrap();
    let at = |secs: f64| {
        let k = (secs / c.interval_secs) as usize;
        c.pools[0].points[k].active_mean
    };
    assert!((at(12.5 * 3600.0) - (1000.0 - i.paused.mean)).abs() < 1e-9);
    assert_eq!(at(13.0 * 3600.0), 1000.0, "back after 45 minutes");
    assert_eq!(i.reconnect_gave_up.mean, 0.0);
}

/// A weekday profile: 20% at home on Mondays and 80% on Fridays for the office, while a group
/// with its own share keeps it; the remote workers per day follow (binomial means).
#[test]
fn a_weekday_profile_sets_the_remote_share_per_day() {
    let text = r#"
meta: { name: weekdays }
run: { start: 2024-01-08, horizon: 5d, seed: 6, replications: 40 }
staff:
  office:
    headcount: 1000
    remote_suitable: 100%
    login: { normal: { mean: "08:00", sd: 30min } }
    session: { fixed: { value: 8h } }
    access: [{ path: vpn, enabled: 1000 }]
  field:
    headcount: 100
    remote_suitable: 100%
    login: { normal: { mean: "08:00", sd: 30min } }
    session: { fixed: { value: 8h } }
    access: [{ path: vpn, enabled: 100 }]
paths: { vpn: { device: existing, token: none, pool: vpn } }
pools: { vpn: { kind: vpn, tunnels: 5000 } }
policy:
  all:
    from: 2024-01-08
    remote_share: 50%
    remote_share_by_weekday: { mon: 20%, fri: 80% }
    groups: { field: { remote_share: 10% } }
"#;
    let r = run(&model(text), 40, 6, 2);
    let remote: Vec<f64> = r.timeline.iter().map(|d| d.remote_workers.mean).collect();
    let expect = [200.0 + 10.0, 500.0 + 10.0, 510.0, 510.0, 800.0 + 10.0];
    for (got, want) in remote.iter().zip(expect) {
        // Binomial spread of the mean over 40 replications: at most about 2.5 workers.
        assert!((got - want).abs() < 12.0, "{remote:?}");
    }
}

/// Random unit failures: two gateways failing every 12 hours on average (repaired in an hour)
/// drop sessions on most days, differently in each replication, and conservation holds.
#[test]
fn random_unit_failures_drop_sessions_on_their_own_stream() {
    let text = outage_day(4000, 10_000).replace(
        "    outages: [{ date: 2024-01-08, at: \"10:00\", duration: 30min, units: 1 }]",
        "    failures: { mean_time_between: 12h, repair: { fixed: { value: 1h } } }",
    );
    assert!(text.contains("failures"));
    let m = model(&text);
    assert!(m.has_outages);
    let r = run(&m, 40, 3, 2);
    let i = r.timeline[0].pools[0]
        .interruptions
        .as_ref()
        .expect("figures");
    assert!(i.dropped.mean > 100.0, "{:?}", i.dropped);
    assert!(i.dropped.p95 > i.dropped.p50, "{:?}", i.dropped);
    // Same seed, any thread count: the same draws.
    let again = run(&m, 40, 3, 1);
    assert_eq!(
        format!("{:?}", again.timeline[0].pools[0]),
        format!("{:?}", r.timeline[0].pools[0])
    );
}

/// The loop compiled without outages, interruptions and host limits is the general loop with
/// them absent: both give the same day, figure for figure.
#[test]
fn the_plain_loop_and_the_general_loop_agree_on_a_plain_day() {
    use super::workday::{Buffers, workday};
    let m = model(&storm(2000, 3000, 3));
    assert!(m.plain);
    let remote: Vec<u64> = vec![3000];
    for rep in 0..3 {
        let a = workday::<false>(&m, 9, rep, 0, &remote, &mut Buffers::default(), None);
        let b = workday::<true>(&m, 9, rep, 0, &remote, &mut Buffers::default(), None);
        assert_eq!(a.pools, b.pools);
        assert_eq!(a.worst_login_delay, b.worst_login_delay);
        assert_eq!(a.mean_login_delay, b.mean_login_delay);
    }
}

/// A repair of no time is no outage: a zero-length pair must not leave a unit down for the
/// rest of the day (its recovery would sort before its failure).
#[test]
fn a_failure_repaired_at_once_takes_nothing_down() {
    let text = outage_day(4000, 3600).replace(
        "    outages: [{ date: 2024-01-08, at: \"10:00\", duration: 30min, units: 1 }]",
        "    failures: { mean_time_between: 2h, repair: { fixed: { value: 0s } } }",
    );
    let failing = run(&model(&text), 8, 3, 2);
    let plain = run(
        &model(&text.replace(
            "    failures: { mean_time_between: 2h, repair: { fixed: { value: 0s } } }\n",
            "",
        )),
        8,
        3,
        2,
    );
    let (a, b) = (&failing.timeline[0].pools[0], &plain.timeline[0].pools[0]);
    assert_eq!(a.interruptions.as_ref().unwrap().dropped.mean, 0.0);
    assert_eq!(a.blocked_attempts.mean, b.blocked_attempts.mean);
    assert_eq!(a.peak_sessions.mean, b.peak_sessions.mean);
}

/// A sizing search's points take the bound's workdays on which the pool turned nobody away
/// instead of simulating them again: every figure must be what a full run gives, at capacities
/// where no day, some days and every day block, with night shifts carrying sessions over
/// midnight, retries through a shared authentication service and uncertain inputs drawn per
/// replication.
#[test]
fn days_taken_from_a_reference_run_change_no_figure() {
    use super::simulate_keeping_days;
    use std::sync::Arc;
    use std::sync::atomic::Ordering;
    let text = night_shift(300, 700, 5000, "{ lognormal: { median: 10h, sigma: 0.2 } }")
        .replace("horizon: 2d", "horizon: 12d")
        .replace("remote_share: 100%", "remote_share: 80%")
        .replace(
            "policy:",
            "auth: { rate: 400/min }\nworkday:\n  retry: { max_retries: 2, backoff: { exponential: { mean: 4min } } }\nuncertain:\n  policy.all.remote_share: { uniform: { min: 0.6, max: 0.95 } }\npolicy:",
        );
    let base = model(&text);
    assert!(base.carry_over && base.uncertain.is_some() && base.plain);
    let at = |c: u64| {
        let mut m = base.clone();
        m.adjust(move |m| m.pools[0].sessions.iter_mut().for_each(|s| *s = c));
        m
    };
    let opts = SimOptions {
        replications: Some(12),
        seed: Some(8),
        skip_curve: true,
        ..SimOptions::default()
    };
    let cancel = AtomicBool::new(false);
    // The reference blocks on some days and not on others: its blocked days must never be
    // taken, whatever the capacity asked (also above its own).
    let (_, kept) = simulate_keeping_days(&at(700), &opts, 0, &|| {}, &cancel).expect("runs");
    let kept = Arc::new(kept.expect("a plain model keeps its days"));
    let blocked = |b: bool| {
        kept.days
            .iter()
            .flatten()
            .flatten()
            .any(|d| (d.outcome.pools[0].blocked > 0) == b)
    };
    assert!(blocked(true) && blocked(false));
    let before = super::runner::DAYS_TAKEN.load(Ordering::Relaxed);
    for c in [5000, 760, 720, 700, 680, 600, 450, 100] {
        let full = simulate(&at(c), &opts, &|| {}, &cancel).expect("runs");
        let reusing = SimOptions {
            reuse: Some(kept.clone()),
            ..opts.clone()
        };
        let quick = simulate(&at(c), &reusing, &|| {}, &cancel).expect("runs");
        assert_eq!(
            format!("{:?}", (&full.timeline, &full.summary, &full.replay)),
            format!("{:?}", (&quick.timeline, &quick.summary, &quick.replay)),
            "capacity {c}"
        );
    }
    assert!(super::runner::DAYS_TAKEN.load(Ordering::Relaxed) > before);
}

/// Reuse is offered only between models that differ in one pool's capacity: tunnels and
/// expansions, with or without uncertain inputs, but not the staff's share, the authentication
/// rate, or another pool.
#[test]
fn only_capacity_differences_allow_reuse() {
    use super::reuse::only_capacity_differs;
    let text = night_shift(300, 700, 5000, "{ exponential: { mean: 5h } }").replace(
        "policy:",
        "uncertain:\n  policy.all.remote_share: { uniform: { min: 0.6, max: 0.95 } }\npolicy:",
    );
    let base = model(&text);
    let more = model(&text.replace("tunnels: 5000", "tunnels: 800"));
    let expanded = model(&text.replace(
        "tunnels: 5000 }",
        "tunnels: 5000, expansions: [{ date: 2024-01-09, tunnels: 10 }] }",
    ));
    assert!(only_capacity_differs(&base, &more, 0));
    assert!(only_capacity_differs(&base, &expanded, 0));
    let share = model(&text.replace("remote_share: 100%", "remote_share: 90%"));
    let range = model(&text.replace("max: 0.95", "max: 0.9"));
    let auth = model(&text.replace("policy:", "auth: { rate: 100/min }\npolicy:"));
    for other in [&share, &range, &auth] {
        assert!(!only_capacity_differs(&base, other, 0));
    }
    assert!(!only_capacity_differs(&base, &more, 1), "no such pool");
}
