//! `rapt replay`: published figures against the simulation, grouped by role (only holdouts are
//! evidence), bounds judged one-sided, and the `--check` gate.

use crate::common::{json, rapt, root, run};

fn scenario(name: &str) -> String {
    root().join("scenarios").join(name).display().to_string()
}

fn replay_json(file: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut cmd = rapt();
    cmd.args(["replay", file, "-q", "--format", "json"])
        .args(extra);
    if !extra.contains(&"-n") {
        cmd.args(["-n", "6"]);
    }
    let r = run(&mut cmd);
    assert!(r.code == 0 || r.code == 1, "{}", r.both());
    (r.code, json(&r))
}

#[test]
fn every_shipped_figure_has_a_role_and_inputs_are_echoed() {
    for name in [
        "stuttgart-2020.yaml",
        "munich-2020.yaml",
        "thuringia.yaml",
        "chemnitz-2020.yaml",
    ] {
        let (_, v) = replay_json(&scenario(name), &[]);
        let figures = v["figures"].as_array().expect("figures");
        assert!(figures.len() >= 2, "{name} publishes figures");
        for f in figures {
            assert!(
                ["input", "calibration", "holdout"].contains(&f["role"].as_str().unwrap()),
                "{name}: {f}"
            );
            assert!(f["published"]["kind"].is_string(), "{name}: {f}");
            assert!(f["simulated"]["p95"].as_f64() >= f["p5"].as_f64());
            if f["role"] == "input" {
                assert_eq!(
                    f["within_tolerance"], true,
                    "{name}: an input is echoed: {f}"
                );
            }
        }
        let count = |role: &str| figures.iter().filter(|f| f["role"] == role).count() as u64;
        assert_eq!(v["holdouts"]["figures"], count("holdout"));
        assert_eq!(v["inputs"]["figures"], count("input"));
        assert_eq!(v["calibration"]["figures"], count("calibration"));
    }
}

#[test]
fn check_counts_holdouts_only_and_fails_without_evidence() {
    // Munich: its one holdout agrees; its calibration targets are not evidence.
    let (code, v) = replay_json(&scenario("munich-2020.yaml"), &["--check"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["evidence_agrees"], true);
    // Chemnitz: its holdout (about 250 at home) is missed, and --check says so.
    let (code, v) = replay_json(&scenario("chemnitz-2020.yaml"), &["--check"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["evidence_agrees"], false);
    assert_eq!(v["holdouts"]["figures"], 1);
    // Stuttgart: its holdout (end-2020 enabled staff from steady deliveries) agrees, 12% short.
    let (code, v) = replay_json(&scenario("stuttgart-2020.yaml"), &["--check"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["holdouts"]["figures"], 1);
    // Thuringia: its holdout (September 2021 at the pace of the months before) is missed.
    let (code, v) = replay_json(&scenario("thuringia.yaml"), &["--check"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["evidence_agrees"], false);
    // A scenario without a holdout: nothing is evidence, and --check fails.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(scenario("chemnitz-2020.yaml"))
        .expect("read")
        .replace("role: holdout", "role: calibration");
    let file = dir.path().join("no-holdout.yaml");
    std::fs::write(&file, text).expect("write");
    let name = file.display().to_string();
    let r = run(rapt().args(["replay", &name, "--check", "-n", "4"]));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stdout.contains("no holdout figure"), "{}", r.both());
    assert!(r.stderr.contains("nothing is evidence"), "{}", r.both());
    assert_eq!(
        run(rapt().args(["replay", &name, "-n", "4", "-q"])).code,
        0,
        "without --check it only reports"
    );
}

#[test]
fn over_six_thousand_is_a_lower_bound_that_onboarding_300_misses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = crate::common::assumed_values_text("munich-2020.yaml");
    let slow = text.replacen("  per_day: 370", "  per_day: 300", 1);
    assert_ne!(slow, text);
    let file = dir.path().join("slow.yaml");
    std::fs::write(&file, slow).expect("write");
    let (_, v) = replay_json(file.to_str().unwrap(), &["--tolerance", "15%"]);
    let portal = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["scope"] == "path web-portal")
        .expect("the portal figure");
    assert_eq!(portal["published"]["kind"], "at_least");
    let mean = portal["simulated"]["mean"].as_f64().unwrap();
    assert!(mean < 6000.0, "{mean}");
    assert_eq!(portal["within_tolerance"], false, "below the bound: {mean}");
    // A bound takes no tolerance: 5,700 is within 15% of 6,000 and still misses "over 6,000".
    use rapt::scenario::Published;
    assert!(!Published::AtLeast(6000.0).agrees(5700.0, 0.15));
    assert!(Published::Value(6000.0).agrees(5700.0, 0.15));
}

#[test]
fn a_holdout_off_fails_the_check_and_a_wider_tolerance_accepts_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(scenario("chemnitz-2020.yaml")).expect("read");
    // Pretend the press had reported 340 people at home.
    let near = text.replacen("    value: 250\n", "    value: 340\n", 1);
    assert_ne!(near, text);
    let file = dir.path().join("near.yaml");
    std::fs::write(&file, near).expect("write");
    let f = file.display().to_string();
    let r = run(rapt().args(["replay", &f, "--check", "-n", "4", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let off = text.replacen("    value: 250\n", "    value: 100\n", 1);
    std::fs::write(&file, off).expect("write");
    let r = run(rapt().args(["replay", &f, "--check", "-n", "4", "-q"]));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stdout.contains("OUTSIDE"), "{}", r.both());
    assert_eq!(
        run(rapt().args(["replay", &f, "--tolerance", "lots"])).code,
        2
    );
}

#[test]
fn a_figure_needs_one_value_or_bound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(scenario("chemnitz-2020.yaml")).expect("read");
    let both = text.replacen("    value: 250\n", "    value: 250\n    at_least: 200\n", 1);
    let file = dir.path().join("both.yaml");
    std::fs::write(&file, both).expect("write");
    let r = run(rapt().arg("validate").arg(&file));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stdout
            .contains("exactly one of `value`, `at_least`, `at_most` or `range`"),
        "{}",
        r.both()
    );
    let range = text.replacen("    value: 250\n", "    range: { min: 300, max: 200 }\n", 1);
    std::fs::write(&file, range).expect("write");
    let r = run(rapt().arg("validate").arg(&file));
    assert!(
        r.stdout.contains("min 300 is above max 200"),
        "{}",
        r.both()
    );
}

fn munich_uncertain(dir: &std::path::Path, extra: &str) -> String {
    let text = crate::common::assumed_values_text("munich-2020.yaml")
        + "\nuncertain:\n  onboarding.per_day: { uniform: { min: 300, max: 420 } }\n  devices.byod.share_with_device: { triangular: { min: 0.6, mode: 0.7, max: 0.8 } }\n"
        + extra;
    let file = dir.join("uncertain.yaml");
    std::fs::write(&file, text).expect("write");
    file.display().to_string()
}

#[test]
fn uncertain_inputs_widen_the_bands_and_are_ranked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = munich_uncertain(dir.path(), "");
    let plain_file = crate::common::assumed_values(dir.path(), "munich-2020.yaml");
    let (_, plain) = replay_json(&plain_file, &["-n", "40"]);
    let (_, v) = replay_json(&f, &["-n", "40"]);
    let band = |v: &serde_json::Value, i: usize| {
        let f = &v["figures"][i];
        f["simulated"]["p95"].as_f64().unwrap() - f["p5"].as_f64().unwrap()
    };
    // The portal figure (index 2): zero-width when only attendance is random, wide now.
    assert_eq!(band(&plain, 2), 0.0);
    assert!(band(&v, 2) > 500.0, "{}", v["figures"][2]);
    // Onboarding per day drives the enabled staff; the inputs' own streams leave the capacity
    // figures (set by the file) untouched.
    let s = v["sensitivity"].as_array().expect("sensitivity");
    let total = s.iter().find(|s| s["figure"] == 4).expect("enabled staff");
    assert_eq!(total["inputs"][0][0], "onboarding.per_day");
    assert!(total["inputs"][0][1].as_f64().unwrap() > 0.9);
    assert!(s.iter().find(|s| s["figure"] == 0).unwrap()["inputs"][0][1].is_null());
    // Same bytes for any thread count.
    let one = run(rapt().args([
        "replay", &f, "-n", "12", "-j", "1", "--format", "json", "-q",
    ]));
    let two = run(rapt().args([
        "replay", &f, "-n", "12", "-j", "2", "--format", "json", "-q",
    ]));
    assert_eq!(one.stdout, two.stdout);
    // The table says how it ranks and where chance ends.
    let r = run(rapt().args(["replay", &f, "-n", "12", "--sensitivity", "-q"]));
    assert!(
        r.stdout.contains("Spearman") && r.stdout.contains("within chance"),
        "{}",
        r.both()
    );
}

#[test]
fn uncertain_inputs_are_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (extra, expected) in [
        (
            "  run.seed: { uniform: { min: 1, max: 2 } }\n",
            "cannot be uncertain",
        ),
        (
            "  pools.nope.tunnels: { uniform: { min: 1, max: 2 } }\n",
            "cannot set `pools.nope.tunnels`",
        ),
        (
            "  policy.lockdown.remote_share: { uniform: { min: 0.8, max: 1.5 } }\n",
            "the scenario is invalid",
        ),
        (
            "  onboarding.per_day: { uniform: { min: 9, max: 2 } }\n",
            "not ordered",
        ),
    ] {
        let text =
            crate::common::assumed_values_text("munich-2020.yaml") + "\nuncertain:\n" + extra;
        let file = dir.path().join("bad.yaml");
        std::fs::write(&file, text).expect("write");
        let r = run(rapt().arg("validate").arg(&file));
        assert_eq!(r.code, 1, "{extra}: {}", r.both());
        assert!(r.stdout.contains(expected), "{extra}: {}", r.both());
    }
}
