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
        1
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
        1
    );
}
