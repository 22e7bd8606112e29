//! `rapt erlang` against published table values, and its inverse solvers round-tripping.

use crate::common::{json, rapt, run};

fn calc(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["erlang"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let r = run(rapt().args(&all));
    assert_eq!(r.code, 0, "{}", r.both());
    json(&r)
}

fn num(v: &serde_json::Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

#[test]
fn erlang_b_max_load_matches_published_tables() {
    // Standard Erlang B tables (1% grade of service): 10 → 4.46, 20 → 12.03, 50 → 37.90, 100 → 84.06 erlang.
    for (n, a) in [("10", 4.46), ("20", 12.03), ("50", 37.90), ("100", 84.06)] {
        let v = calc(&["b", "--servers", n, "--blocking", "1%"]);
        assert!((num(&v, "load_erlang") - a).abs() < 0.006, "N={n}: {v}");
    }
}

#[test]
fn erlang_b_inverse_solvers_round_trip() {
    let v = calc(&["b", "--load", "90", "--blocking", "0.01"]);
    let n = v["servers"].as_u64().expect("servers");
    assert!(num(&v, "blocking") <= 0.01);
    let below = calc(&["b", "--servers", &(n - 1).to_string(), "--load", "90"]);
    assert!(
        num(&below, "blocking") > 0.01,
        "one server fewer misses the target"
    );
    let a = num(
        &calc(&["b", "--servers", &n.to_string(), "--blocking", "0.01"]),
        "load_erlang",
    );
    assert!(
        a >= 90.0,
        "the most load N servers carry at 1% is at least the load N was sized for"
    );
    let b = num(
        &calc(&["b", "--servers", &n.to_string(), "--load", &a.to_string()]),
        "blocking",
    );
    assert!((b - 0.01).abs() < 1e-6);
}

#[test]
fn erlang_c_engset_and_extended_b() {
    let c = calc(&["c", "--servers", "2", "--load", "1", "--holding", "3min"]);
    assert!((num(&c, "probability_of_waiting") - 1.0 / 3.0).abs() < 1e-12);
    assert!((num(&c, "mean_wait_secs") - 60.0).abs() < 1e-9);
    // Engset approaches Erlang B from below as sources grow.
    let small = num(
        &calc(&[
            "engset",
            "--servers",
            "10",
            "--sources",
            "20",
            "--load",
            "8",
        ]),
        "call_congestion",
    );
    let large = num(
        &calc(&[
            "engset",
            "--servers",
            "10",
            "--sources",
            "100000",
            "--load",
            "8",
        ]),
        "call_congestion",
    );
    let b = num(&calc(&["b", "--servers", "10", "--load", "8"]), "blocking");
    assert!(
        small < large && large < b && (b - large) < 1e-3,
        "{small} {large} {b}"
    );
    // Published Extended Erlang B example: 200 lines, 70% retry, 186.877 erlang → 3% blocking.
    let e = calc(&[
        "extended-b",
        "--servers",
        "200",
        "--load",
        "186.877",
        "--retry",
        "70%",
    ]);
    assert!((num(&e, "blocking") - 0.03).abs() < 1e-4);
}

/// Engset congestion by its definition: `C(m, N) β^N / Σ_{k=0..N} C(m, k) β^k`, with `m = S − 1`
/// (call congestion: an arriving source sees the other S − 1) or `m = S` (time congestion).
fn engset_by_definition(servers: u64, others: u64, beta: f64) -> f64 {
    if servers > others {
        return 0.0;
    }
    let choose = |n: u64, k: u64| (0..k).fold(1.0_f64, |c, i| c * (n - i) as f64 / (i + 1) as f64);
    let term = |k: u64| choose(others, k) * beta.powi(k as i32);
    term(servers) / (0..=servers).map(term).sum::<f64>()
}

fn close(actual: f64, expected: f64, rel: f64) -> bool {
    (actual - expected).abs() <= rel * expected.abs()
}

#[test]
fn erlang_engset_matches_the_binomial_definition_also_for_load_above_sources() {
    for (n, s, beta) in [
        (3_u64, 4_u64, 5.0),
        (5, 10, 2.0),
        (9, 10, 10.0),
        (10, 30, 0.5),
    ] {
        let call = engset_by_definition(n, s - 1, beta);
        let time = engset_by_definition(n, s, beta);
        // Total offered traffic, blocked attempts included: A = S·β / (1 + β(1 − B)).
        let offered = s as f64 * beta / (1.0 + beta * (1.0 - call));
        let (ns, ss) = (n.to_string(), s.to_string());
        let by_beta = calc(&["engset", "-N", &ns, "-S", &ss, "--beta", &beta.to_string()]);
        let by_load = calc(&[
            "engset",
            "-N",
            &ns,
            "-S",
            &ss,
            "--load",
            &offered.to_string(),
        ]);
        for v in [&by_beta, &by_load] {
            assert!(
                close(num(v, "call_congestion"), call, 1e-9),
                "{v} vs {call}"
            );
            assert!(
                close(num(v, "time_congestion"), time, 1e-9),
                "{v} vs {time}"
            );
            assert!(
                close(num(v, "load_erlang"), offered, 1e-9),
                "{v} vs {offered}"
            );
            assert!(close(num(v, "per_source_beta"), beta, 1e-8), "{v}");
            assert!(
                close(num(v, "carried_erlang"), offered * (1.0 - call), 1e-9),
                "{v}"
            );
        }
    }
    // A ≥ S is accepted with fewer servers than sources: 12 erlang from 10 sources on 5 servers.
    let v = calc(&["engset", "-N", "5", "-S", "10", "--load", "12"]);
    let b = num(&v, "per_source_beta");
    assert!(
        close(
            num(&v, "call_congestion"),
            engset_by_definition(5, 9, b),
            1e-9
        ),
        "{v}"
    );
}

#[test]
fn erlang_engset_says_why_load_of_at_least_the_sources_fails_without_blocking() {
    let r = run(rapt().args(["erlang", "engset", "-N", "4", "-S", "4", "--load", "7"]));
    assert_eq!(r.code, 3, "{}", r.both());
    for needle in [
        "not below the number of sources (4)",
        "nobody is ever blocked",
        "--beta",
    ] {
        assert!(r.stderr.contains(needle), "{needle}: {}", r.both());
    }
    assert!(r.stdout.is_empty(), "{}", r.both());
    // --beta and --load exclude each other; one of them is needed.
    let both = run(rapt().args([
        "erlang", "engset", "-N", "3", "-S", "4", "-A", "2", "--beta", "1",
    ]));
    assert_eq!(both.code, 2, "{}", both.both());
    let neither = run(rapt().args(["erlang", "engset", "-N", "3", "-S", "4"]));
    assert_eq!(neither.code, 2, "{}", neither.both());
    assert!(neither.stderr.contains("--beta"), "{}", neither.both());
}

#[test]
fn large_systems_stay_finite() {
    let v = calc(&["b", "--servers", "200000", "--load", "200000"]);
    let b = num(&v, "blocking");
    assert!(b > 0.0 && b < 0.01);
}

#[test]
fn wrong_combinations_are_usage_errors() {
    assert_eq!(run(rapt().args(["erlang", "b", "--servers", "5"])).code, 2);
    assert_eq!(
        run(rapt().args([
            "erlang",
            "b",
            "--servers",
            "5",
            "--load",
            "3",
            "--blocking",
            "1%"
        ]))
        .code,
        2
    );
    assert_eq!(
        run(rapt().args(["erlang", "b", "--load", "3", "--blocking", "150%"])).code,
        2
    );
    assert_eq!(
        run(rapt().args(["erlang", "b", "--servers", "5", "--load=-3"])).code,
        3
    );
    assert_eq!(
        run(rapt().args([
            "erlang",
            "engset",
            "--servers",
            "5",
            "--sources",
            "4",
            "--load",
            "9"
        ]))
        .code,
        3
    );
}
