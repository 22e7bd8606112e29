//! `rapt calibrate`: recovers known inputs from figures simulated with them, says how firmly
//! each is pinned, replays the holdouts, writes the calibrated scenario, and leaves each
//! calibration figure out in turn.

use crate::common::{json, rapt, root, run};

fn known() -> String {
    root()
        .join("tests/corpus/calibrate/known.yaml")
        .display()
        .to_string()
}

#[test]
fn known_inputs_are_recovered_within_tolerance() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("calibrated.yaml");
    let r = run(rapt()
        .args([
            "calibrate",
            &known(),
            "--leave-one-out",
            "--format",
            "json",
            "-q",
            "-o",
        ])
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.both());
    let v = json(&r);
    let fitted = v["fitted"].as_array().unwrap();
    let value = |name: &str| {
        fitted.iter().find(|f| f["input"] == name).unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    // The truth: 250 a day and 80%; the figures' tolerances are 2% and 3%.
    let per_day = value("onboarding.per_day");
    assert!((per_day - 250.0).abs() / 250.0 <= 0.02, "{per_day}");
    assert_eq!(
        per_day.fract(),
        0.0,
        "a whole-number field is reported as set"
    );
    let share = value("policy.all.remote_share");
    assert!((share - 0.8).abs() / 0.8 <= 0.03, "{share}");
    // Each is pinned to an interval around the fit inside its range.
    for f in fitted {
        let (lo, hi) = (
            f["pinned"][0].as_f64().unwrap(),
            f["pinned"][1].as_f64().unwrap(),
        );
        let x = f["value"].as_f64().unwrap();
        assert!(
            lo <= x && x <= hi && f["range"][0].as_f64().unwrap() <= lo,
            "{f}"
        );
        assert!(
            hi - lo < (f["range"][1].as_f64().unwrap() - f["range"][0].as_f64().unwrap()) / 4.0,
            "well pinned: {f}"
        );
    }
    assert!(
        v["holdouts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["within_tolerance"] == true)
    );
    // Leaving the remote-workers figure out leaves the remote share unidentified: its
    // prediction misses, and the table says so.
    let loo = v["leave_one_out"].as_array().unwrap();
    assert_eq!(loo.len(), 3);
    let remote = loo
        .iter()
        .find(|l| l["figure"]["metric"] == "remote_workers")
        .unwrap();
    assert_eq!(remote["figure"]["within_tolerance"], false);
    // The calibrated file validates and replays its holdout within tolerance.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("# Calibrated by `rapt calibrate`"),
        "{text}"
    );
    assert!(
        !text.contains("\nuncertain:"),
        "the fitted inputs are fixed"
    );
    let r = run(rapt().arg("replay").arg(&out).args(["--check", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
}

#[test]
fn nothing_to_fit_or_to_fit_to_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let munich = crate::common::assumed_values(dir.path(), "munich-2020.yaml");
    let r = run(rapt().arg("calibrate").arg(&munich));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("uncertain"), "{}", r.both());
    let file = dir.path().join("no-targets.yaml");
    let text = std::fs::read_to_string(known())
        .unwrap()
        .replace("role: calibration", "role: holdout");
    std::fs::write(&file, text).unwrap();
    let r = run(rapt().arg("calibrate").arg(&file));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("role: calibration"), "{}", r.both());
}

/// Munich's leave-one-out: each of its two calibration figures is a lower bound, so the other
/// one leaves some inputs free; the table names them, so nobody reads their middle-of-range
/// value as data. Predicting "over 20,000 by 2020-05-20" from the April portal figure alone
/// falls short (onboarding is pinned only from below by it).
#[test]
fn leave_one_out_names_the_inputs_the_other_figures_leave_free() {
    let munich = root().join("scenarios/munich-2020.yaml");
    let r = run(rapt().arg("calibrate").arg(&munich).args([
        "--leave-one-out",
        "--format",
        "json",
        "-q",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    let v = json(&r);
    let rows = v["leave_one_out"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    for row in rows {
        let free: Vec<&str> = row["free"]
            .as_array()
            .expect("free")
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert!(free.contains(&"devices.byod.share_with_device"), "{row:#}");
    }
    let total = rows
        .iter()
        .find(|r| r["figure"]["scope"] == "all")
        .expect("the total figure left out");
    assert_eq!(total["figure"]["within_tolerance"], false, "{total:#}");
    let r = run(rapt()
        .arg("calibrate")
        .arg(&munich)
        .args(["--leave-one-out", "-q"]));
    assert!(
        r.stdout.contains("left free by the other figures"),
        "{}",
        r.both()
    );
}
