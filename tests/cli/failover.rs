//! Outages and the N−1 case: dropped sessions and reconnects reported, `max_dropped` judged,
//! `--fail-unit` showing the N−1 verdict beside the normal one in every output.

use crate::common::{json, rapt, root, run};

fn two_gateways() -> String {
    root()
        .join("tests/corpus/outage/two-gateways.yaml")
        .display()
        .to_string()
}

#[test]
fn an_outage_is_reported_and_judged_against_max_dropped() {
    let file = two_gateways();
    let r = run(rapt().args(["simulate", &file, "--format", "json", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let v = json(&r);
    let day = |date: &str| {
        v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["date"] == date)
            .unwrap()["pools"][0]
            .clone()
    };
    // The outage day drops about half the active sessions (one of two gateways); the other
    // days drop none.
    let tuesday = day("2026-03-03");
    let dropped = tuesday["interruptions"]["dropped"]["mean"]
        .as_f64()
        .unwrap();
    assert!(dropped > 1000.0 && dropped < 1400.0, "{dropped}");
    assert_eq!(day("2026-03-02")["interruptions"]["dropped"]["mean"], 0.0);
    // Conservation seen from outside: attempts = first attempts + retries + reconnects.
    assert!(tuesday["attempts"]["mean"].as_f64().unwrap() > 2700.0 + dropped);
    let checks = v["service_level"]["checks"].as_array().unwrap();
    let dropped_check = checks
        .iter()
        .find(|c| c["target"] == "dropped")
        .expect("max_dropped is judged");
    assert_eq!(dropped_check["met"], false);
    assert_eq!(dropped_check["first_breach"], "2026-03-03");
    assert_eq!(dropped_check["breaching_days"], 1);
    let t = run(rapt().args(["simulate", &file, "-q"]));
    assert!(
        t.stdout.contains("Interrupted sessions of vpn:"),
        "{}",
        t.stdout
    );
    assert!(
        t.stdout.contains("sessions dropped by outages"),
        "{}",
        t.stdout
    );
}

#[test]
fn fail_unit_shows_the_n_minus_one_verdict_beside_the_normal_one() {
    let munich = root()
        .join("scenarios/munich-2020.yaml")
        .display()
        .to_string();
    let r = run(rapt().args([
        "simulate",
        &munich,
        "--fail-unit",
        "remote-desktop",
        "-n",
        "6",
        "--format",
        "json",
        "-q",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    let v = json(&r);
    let n = &v["n_minus_one"];
    assert_eq!(n["pool"], "remote-desktop");
    assert_eq!(n["date"], v["summary"]["busiest_day"]);
    assert_eq!(n["units"], 50, "the farm's hosts are its units");
    assert_eq!(n["whole_pool"], false);
    assert!(n["normal_met"].is_boolean() && n["met"].is_boolean(), "{n}");
    let date = n["date"].as_str().unwrap();
    let day = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap();
    assert!(
        day["pools"][1]["interruptions"]["dropped"]["mean"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(v["workday"]["date"], date, "the outage's day is drawn");
    // Without the flag: no N−1 and no outage figures.
    let plain =
        json(&run(rapt().args([
            "simulate", &munich, "-n", "6", "--format", "json", "-q",
        ])));
    assert!(plain.get("n_minus_one").is_none());
    assert!(
        plain["timeline"][0]["pools"][1]
            .get("interruptions")
            .is_none()
    );

    // The table and the HTML report say it in one line.
    let t = run(rapt().args([
        "simulate",
        &munich,
        "--fail-unit",
        "remote-desktop",
        "-n",
        "6",
        "-q",
    ]));
    assert!(
        t.stdout
            .contains("N−1 case: the biggest of remote-desktop's 50 units"),
        "{}",
        t.stdout
    );
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let h = run(rapt()
        .args([
            "report",
            &munich,
            "--fail-unit",
            "remote-desktop",
            "-n",
            "6",
            "-q",
            "-o",
        ])
        .arg(&html));
    assert_eq!(h.code, 0, "{}", h.both());
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("id=\"failover\"") && text.contains("in the normal run"));
}

#[test]
fn fail_unit_names_an_unknown_pool() {
    let file = two_gateways();
    let r = run(rapt().args(["simulate", &file, "--fail-unit", "vnp", "-q"]));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(
        r.stderr.contains("no such pool (pools: vpn)"),
        "{}",
        r.both()
    );
    let r = run(rapt().args(["simulate", &file, "--outage-duration", "2h", "-q"]));
    assert_eq!(
        r.code,
        2,
        "--outage-duration needs --fail-unit: {}",
        r.both()
    );
}

#[test]
fn fail_unit_on_a_pool_of_one_unit_says_it_is_a_total_outage() {
    let storm = root()
        .join("scenarios/bench/login-storm.yaml")
        .display()
        .to_string();
    let r = run(rapt().args(["simulate", &storm, "--fail-unit", "vpn", "-n", "4", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout
            .contains("N−1 case: vpn's only unit (the whole pool, a total outage;"),
        "{}",
        r.stdout
    );
    let v = json(&run(rapt().args([
        "simulate",
        &storm,
        "--fail-unit",
        "vpn",
        "-n",
        "4",
        "-q",
        "--format",
        "json",
    ])));
    assert_eq!(v["n_minus_one"]["whole_pool"], true);
}

/// One of two gateways down halves the tunnels: `size` searches up to the capacity that holds
/// everyone on the gateway left (not the headcount), and says `max_dropped` is not its to
/// size; `plan` lists it as left alone.
#[test]
fn size_and_plan_see_the_outage_and_leave_max_dropped_to_simulate() {
    let file = two_gateways();
    let r = run(rapt().args([
        "size", &file, "--pool", "vpn", "-n", "10", "--format", "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr
            .contains("note: service_level.max_dropped is not planned"),
        "{}",
        r.stderr
    );
    let v = json(&r);
    let answer = v["capacity"].as_u64().unwrap_or_else(|| panic!("{v}"));
    assert_eq!(v["upper_bound"], 6000);
    assert!(answer > 3000 && answer <= 6000, "{answer}");
    let p = json(&run(
        rapt().args(["plan", &file, "-n", "10", "--format", "json", "-q"])
    ));
    let left: Vec<&str> = p["left_alone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["resource"].as_str().unwrap())
        .collect();
    assert!(left.contains(&"service_level.max_dropped"), "{left:?}");
}
