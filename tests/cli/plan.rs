//! `rapt plan`: the emitted scenario passes `rapt simulate --fail-on-breach` with the same
//! seed; one order step less of any line fails the date or the service level (checked by
//! `rapt simulate`, not by the planner); lead times move the date; costs add up; fixed
//! resources stay.

use std::sync::atomic::AtomicBool;

use crate::common::{json, rapt, root, run};
use rapt::plan::orders::{PlanAnswer, PlanQuestion, apply_orders, plan};
use rapt::scenario::Scenario;
use rapt::units::Date;

const REPS: &str = "10";

fn city() -> String {
    root()
        .join("tests/corpus/plan/starter-city.yaml")
        .display()
        .to_string()
}

fn scenario(path: &str) -> Scenario {
    let (name, text) = rapt::scenario::read_source(std::path::Path::new(path)).expect("read");
    rapt::scenario::parse_scenario(&name, &text)
        .expect("parse")
        .scenario
}

/// `rapt simulate` of `file` judged like the plan: same seed and replications, the plan's
/// window. Returns (whether --fail-on-breach passed, share of replications meeting the enable
/// target on `by`).
fn simulate(file: &std::path::Path, seed: u64, window: &str, by: Date) -> (bool, f64) {
    let r = run(rapt()
        .arg("simulate")
        .arg(file)
        .args(["--fail-on-breach", "-n", REPS, "--format", "json", "-q"])
        .args(["--seed", &seed.to_string(), "--window", window]));
    assert!(r.code == 0 || r.code == 1, "{}", r.both());
    let v = json(&r);
    let share = v["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|d| d["date"] == by.to_string())
        .map_or(0.0, |d| d["target_met_share"].as_f64().unwrap_or(0.0));
    (r.code == 0, share)
}

fn plan_json(
    file: &str,
    extra: &[&str],
    emit: Option<&std::path::Path>,
) -> (i32, serde_json::Value) {
    let mut cmd = rapt();
    cmd.arg("plan")
        .arg(file)
        .args(["-n", REPS, "--format", "json", "-q"])
        .args(extra);
    if let Some(p) = emit {
        cmd.arg("--emit-scenario").arg(p);
    }
    let r = run(&mut cmd);
    assert!(r.code == 0 || r.code == 1, "{}", r.both());
    (r.code, json(&r))
}

#[test]
fn emitted_scenarios_pass_simulate_with_the_same_seed() {
    let dir = tempfile::tempdir().unwrap();
    let city = city();
    let cases: Vec<(String, Vec<&str>)> = vec![
        (city.clone(), vec!["--by", "2026-03-30"]),
        (
            root()
                .join("scenarios/munich-2020.yaml")
                .display()
                .to_string(),
            vec!["--by", "2020-05-20"],
        ),
        (
            root()
                .join("scenarios/stuttgart-2020.yaml")
                .display()
                .to_string(),
            vec![],
        ),
        (
            root()
                .join("scenarios/chemnitz-2020.yaml")
                .display()
                .to_string(),
            vec![],
        ),
        (
            root()
                .join("scenarios/thuringia.yaml")
                .display()
                .to_string(),
            vec![],
        ),
    ];
    for (i, (file, extra)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("planned-{i}.yaml"));
        let (code, v) = plan_json(file, extra, Some(&out));
        assert_eq!(code, 0, "{file}: {v:#}");
        assert_eq!(v["feasible"], true, "{file}: {v:#}");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with("# Planned by `rapt plan`"), "{text}");
        for o in v["orders"].as_array().unwrap() {
            assert!(
                text.contains(o["resource"].as_str().unwrap()),
                "the comment block names every order: {o}"
            );
        }
        let seed = v["seed"].as_u64().unwrap();
        let window = format!(
            "{}..{}",
            v["window"]["from"].as_str().unwrap(),
            v["window"]["to"].as_str().unwrap()
        );
        let by = Date::parse(v["by"].as_str().unwrap()).unwrap();
        let (passes, share) = simulate(&out, seed, &window, by);
        assert!(
            passes,
            "{file}: the planned scenario breaches its service level"
        );
        if v["target_staff"].is_u64() {
            assert!(
                share >= 0.95,
                "{file}: target met in only {share} of replications"
            );
        }
    }
}

fn planned(file: &str, by: Option<&str>) -> PlanAnswer {
    let q = PlanQuestion {
        by: by.map(|d| Date::parse(d).unwrap()),
        ..Default::default()
    };
    let opts = rapt::sim::SimOptions {
        replications: Some(REPS.parse().unwrap()),
        ..Default::default()
    };
    plan(&scenario(file), &q, &opts, &AtomicBool::new(false)).expect("plan")
}

#[test]
fn one_order_step_less_of_any_line_fails_in_simulate() {
    let shipped = |n: &str| root().join("scenarios").join(n).display().to_string();
    let cases = [
        (city(), Some("2026-03-30")),
        (shipped("munich-2020.yaml"), Some("2020-05-20")),
        (shipped("stuttgart-2020.yaml"), None),
        (shipped("chemnitz-2020.yaml"), None),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut lines = 0;
    for (n, (file, by)) in cases.iter().enumerate() {
        let a = planned(file, *by);
        assert!(a.feasible, "{file}: {:#?}", a.limits);
        let window = format!("{}..{}", a.window.from, a.window.to);
        // The plan itself passes …
        let whole = dir.path().join(format!("whole-{n}.yaml"));
        let text = serde_saphyr::to_string(&apply_orders(&a.base, &a.applied)).unwrap();
        std::fs::write(&whole, text).unwrap();
        let (passes, share) = simulate(&whole, a.seed, &window, a.by);
        assert!(
            passes && share >= 0.95,
            "{file}: the plan itself fails: {share}"
        );
        // … and each line one step less fails the date or the service level.
        for (i, o) in a.applied.iter().enumerate() {
            let key = o.resource.key(&a.base);
            let step = a
                .base
                .procurement
                .get(&key)
                .and_then(|p| p.step)
                .unwrap_or(1);
            let mut fewer = a.applied.clone();
            fewer[i].quantity = o.quantity - step.min(o.quantity);
            let f = dir.path().join(format!("fewer-{n}-{i}.yaml"));
            std::fs::write(
                &f,
                serde_saphyr::to_string(&apply_orders(&a.base, &fewer)).unwrap(),
            )
            .unwrap();
            let (passes, share) = simulate(&f, a.seed, &window, a.by);
            assert!(
                !passes || share < 0.95,
                "{file}: {key}: {} instead of {} still meets everything (share {share})",
                fewer[i].quantity,
                o.quantity
            );
            lines += 1;
        }
    }
    assert!(
        lines >= 6,
        "the cases should need orders: {lines} lines checked"
    );
}

#[test]
fn costs_add_up_and_each_mix_is_costed() {
    let (code, v) = plan_json(&city(), &["--by", "2026-03-30"], None);
    assert_eq!(code, 0, "{v:#}");
    let orders = v["orders"].as_array().unwrap();
    let sum: f64 = orders.iter().filter_map(|o| o["cost"].as_f64()).sum();
    assert!((sum - v["total_cost"].as_f64().unwrap()).abs() < 1e-6);
    for o in orders {
        let (unit, qty) = (
            o["unit_cost"].as_f64().unwrap(),
            o["order"].as_f64().unwrap(),
        );
        assert!(
            (o["cost"].as_f64().unwrap() - unit * qty).abs() < 1e-6,
            "{o}"
        );
        assert_eq!(
            o["need"].as_u64().unwrap(),
            o["have"].as_u64().unwrap() + o["order"].as_u64().unwrap()
        );
    }
    // Notebooks (and their hardware tokens) or private devices through the portal: both mixes
    // are planned and costed, and the cheaper one is the plan.
    let mixes = v["mixes"].as_array().unwrap();
    assert_eq!(mixes.len(), 2, "{v:#}");
    let costs: Vec<f64> = mixes
        .iter()
        .map(|m| m["total_cost"].as_f64().unwrap())
        .collect();
    assert!(
        costs[0] != costs[1],
        "the two mixes should differ here: {costs:?}"
    );
    let chosen = mixes.iter().find(|m| m["chosen"] == true).unwrap();
    assert_eq!(
        chosen["total_cost"].as_f64().unwrap(),
        costs.iter().cloned().fold(f64::MAX, f64::min)
    );
    assert_eq!(chosen["total_cost"], v["total_cost"]);
    // The fixed authentication rate is left as it is, and said so.
    assert!(
        v["left_alone"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["resource"] == "auth.rate")
    );
    assert!(orders.iter().all(|o| o["resource"] != "auth.rate"));
    // Order by = arrival − lead time.
    for o in orders {
        let lead = match o["resource"].as_str().unwrap() {
            "pools.rds.hosts" => 14,
            "devices.notebooks.stock" => 14,
            "tokens.hardware.stock" => 10,
            "pools.vpn.tunnels" => 7,
            "onboarding.per_day" => 2,
            "devices.notebooks.handout_per_day" => 3,
            _ => 0,
        };
        let arrives = Date::parse(o["arrives"].as_str().unwrap()).unwrap();
        assert_eq!(o["order_by"], arrives.add_days(-lead).to_string(), "{o}");
    }
}

#[test]
fn a_lead_time_too_long_moves_the_date_and_says_why() {
    // Everything takes six weeks to arrive: by 2026-03-20 today's stock cannot reach the
    // target, so the plan names the earliest date that works and why.
    let head = std::fs::read_to_string(city()).unwrap();
    let head = head.split("procurement:").next().unwrap();
    let slow = [
        "devices.notebooks.stock",
        "devices.notebooks.handout_per_day",
        "tokens.hardware.stock",
        "tokens.hardware.handout_per_day",
        "tokens.software.licences",
        "tokens.software.activations_per_day",
        "onboarding.per_day",
        "pools.vpn.tunnels",
        "pools.rds.hosts",
    ]
    .map(|k| format!("  {k}: {{ unit_cost: 1, lead_time: 42d }}\n"))
    .concat();
    let text = format!("{head}procurement:\n{slow}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("slow.yaml");
    std::fs::write(&file, text).unwrap();
    let (code, v) = plan_json(file.to_str().unwrap(), &["--by", "2026-03-30"], None);
    assert_eq!(code, 1, "infeasible as asked exits 1: {v:#}");
    assert_eq!(v["feasible"], false);
    assert_eq!(v["asked_by"], "2026-03-30");
    let by = Date::parse(v["by"].as_str().unwrap()).unwrap();
    assert!(by > Date::parse("2026-03-30").unwrap(), "{v:#}");
    let limits = v["limits"].to_string();
    assert!(
        limits.contains("tokens.software.licences") && limits.contains("lead time"),
        "{limits}"
    );
    // The orders are for the earliest date, and nothing arrives before its lead time allows.
    for o in v["orders"].as_array().unwrap() {
        assert!(o["order_by"].as_str().unwrap() >= "2026-03-02", "{o}");
    }
}

#[test]
fn usage_errors_and_the_table() {
    let r = run(rapt().args(["plan", &city(), "--by", "1999-01-01"]));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(
        r.stderr.contains("outside the scenario's horizon"),
        "{}",
        r.both()
    );
    let r = run(rapt().args(["plan", &city(), "--target", "150%"]));
    assert_eq!(r.code, 2, "{}", r.both());
    let erlang = root().join("scenarios/bench/erlang-b.yaml");
    let r = run(rapt().arg("plan").arg(&erlang));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("stationary"), "{}", r.both());
    let r = run(rapt().args(["plan", &city(), "--emit-scenario", &city()]));
    assert_ne!(r.code, 0, "the input is never overwritten: {}", r.both());
    let r = run(rapt().args([
        "plan",
        &city(),
        "--by",
        "2026-03-30",
        "-n",
        REPS,
        "-q",
        "--verbose",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    for s in [
        "Orders",
        "Total cost: 175,500",
        "Runway",
        "Path mixes considered",
        "One order step less",
        "Tried",
    ] {
        assert!(r.stdout.contains(s), "missing {s}: {}", r.both());
    }
    let r = run(rapt().args([
        "plan",
        &city(),
        "--by",
        "2026-03-30",
        "-n",
        REPS,
        "-q",
        "--format",
        "csv",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("resource,unit,have,need,order,order_by,arrives,needed_from,unit_cost,cost")
    );
    assert!(lines.count() >= 2, "{}", r.stdout);
}

#[test]
fn a_target_in_staff_or_share_replaces_the_policys() {
    let (_, a) = plan_json(&city(), &["--by", "2026-03-30", "--target", "40%"], None);
    let (_, b) = plan_json(&city(), &["--by", "2026-03-30", "--target", "2160"], None);
    assert_eq!(a["target_staff"], 2160, "40% of 5,400 suitable");
    assert_eq!(b["target_staff"], 2160);
    assert_eq!(a["orders"], b["orders"]);
    let (_, c) = plan_json(&city(), &["--by", "2026-03-30"], None);
    assert!(
        a["total_cost"].as_f64() < c["total_cost"].as_f64(),
        "a lower target costs less"
    );
}

#[test]
fn procurement_and_increases_are_checked_with_their_lines() {
    let city_text = std::fs::read_to_string(city()).unwrap();
    let text = city_text.split("procurement:").next().unwrap().to_string()
        + "procurement:\n"
        + "  pools.nope.tunnels: { unit_cost: 1 }\n"
        + "  devices.laptops.stock: { unit_cost: 1 }\n"
        + "  pools.vpn.hosts: { unit_cost: 1 }\n"
        + "  tokens.software.licences: { delay: { exponential: { mean: 2d } } }\n"
        + "  onboarding.per_day: { min: 50, max: 10 }\n"
        + "increases:\n"
        + "  - { date: 2026-03-10, field: staff.office.headcount, add: 5 }\n"
        + "  - { date: 2030-01-01, field: onboarding.per_day, add: 5 }\n"
        + "  - { date: 2026-03-10, field: auth.rate, add: 0 }\n";
    let checked = rapt::scenario::check_str("city.yaml", &text);
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            format!(
                "{}:{} {} | {}",
                d.line.unwrap_or(0),
                d.path.clone().unwrap_or_default(),
                d.message,
                d.expected.clone().unwrap_or_default()
            )
        })
        .collect();
    let all = errors.join("\n");
    for expected in [
        "no pool named `nope`",
        "`devices.laptops.stock`: not an orderable resource",
        "pool `vpn` is ordered by `tunnels` or `licences`",
        "only deliveries",
        "min 50 is above max 10",
        "`staff.office.headcount` cannot be raised",
        "outside the simulated horizon",
        "found 0 units",
    ] {
        assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
    }
    assert!(
        errors.iter().all(|e| !e.starts_with("0:")),
        "every error has its line:\n{all}"
    );
    // A duplicate key in procurement is a YAML error, like anywhere else.
    assert!(
        rapt::scenario::check_str(
            "city.yaml",
            &(std::fs::read_to_string(city()).unwrap() + "  auth.rate: { fixed: true }\n")
        )
        .has_errors()
    );
}

#[test]
fn the_report_carries_the_plan_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let r = run(rapt()
        .args([
            "report",
            &city(),
            "--plan",
            "--by",
            "2026-03-30",
            "-n",
            REPS,
            "-q",
            "-o",
        ])
        .arg(&html));
    assert_eq!(r.code, 0, "{}", r.both());
    // Field paths may wrap at their dots (`<wbr>`), which the reader does not see.
    let text = std::fs::read_to_string(&html).unwrap().replace("<wbr>", "");
    for s in [
        "<h2>Plan: what to order</h2>",
        "id=\"orders\"",
        "tokens.software.licences",
        "id=\"runway\"",
        "id=\"mixes\"",
    ] {
        assert!(text.contains(s), "missing {s}");
    }
    let r = run(rapt()
        .args(["report", &city(), "-o"])
        .arg(dir.path().join("plain.html"))
        .args(["-n", REPS, "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        !std::fs::read_to_string(dir.path().join("plain.html"))
            .unwrap()
            .contains("Plan: what to order")
    );
    let r = run(rapt().args(["report", &city(), "--by", "2026-03-30", "-o", "-"]));
    assert_eq!(r.code, 2, "--by needs --plan: {}", r.both());
}
