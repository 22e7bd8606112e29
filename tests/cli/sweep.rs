//! `rapt sweep`: one row per grid point, common random numbers, the same figures as
//! `rapt simulate` at the file's own values, and clear errors for bad grids.

use crate::common::{FORMULA_NAMES, json, rapt, root, run};

fn storm() -> String {
    root()
        .join("scenarios/bench/login-storm.yaml")
        .display()
        .to_string()
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|x| x.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn grid_rows_in_order_with_key_figures() {
    let storm = storm();
    let r = run(rapt().args([
        "sweep",
        &storm,
        "--set",
        "pools.vpn.tunnels=7000..9000:1000",
        "--set",
        "policy.storm.remote_share=80%,100%",
        "-n",
        "4",
        "-q",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    let (header, rows) = csv_rows(&r.stdout);
    assert_eq!(header[0], "pools.vpn.tunnels");
    assert_eq!(header[1], "policy.storm.remote_share");
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
    };
    assert_eq!(rows.len(), 6);
    let settings: Vec<(String, String)> =
        rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(settings[0], ("7000".into(), "80%".into()));
    assert_eq!(settings[1], ("7000".into(), "100%".into()));
    assert_eq!(settings[5], ("9000".into(), "100%".into()));
    let capacity = col("vpn.capacity_busiest");
    assert_eq!(rows[4][capacity], "9000");
    // Same random streams at every point: more tunnels never block more attempts.
    let blocked = col("vpn.blocked_total_mean");
    let at = |i: usize| rows[i][blocked].parse::<f64>().expect("number");
    assert!(at(1) > at(3) && at(3) > at(5), "{}", r.stdout);
    assert!(at(1) > 0.0);
}

#[test]
fn a_point_at_the_files_own_value_is_the_simulation_of_the_file() {
    let storm = storm();
    let sweep = run(rapt().args([
        "sweep",
        &storm,
        "--set",
        "pools.vpn.tunnels=7000",
        "-n",
        "5",
        "-q",
        "--format",
        "json",
    ]));
    assert_eq!(sweep.code, 0, "{}", sweep.both());
    let sim = run(rapt().args(["simulate", &storm, "-n", "5", "-q", "--format", "json"]));
    assert_eq!(sim.code, 0, "{}", sim.both());
    let s = json(&sweep);
    let m = json(&sim);
    let fig = &s["points"][0]["figures"];
    let pool = &m["summary"]["pools"][0];
    assert_eq!(fig["vpn.blocked_mean"], pool["blocked_attempts"]["mean"]);
    assert_eq!(fig["vpn.peak_sessions_p95"], pool["peak_sessions"]["p95"]);
    assert_eq!(fig["vpn.gave_up_mean"], pool["gave_up"]["mean"]);
    assert_eq!(s["points"][0]["settings"]["pools.vpn.tunnels"], "7000");
}

#[test]
fn same_bytes_for_any_thread_count() {
    let storm = storm();
    let go = |threads: &str| {
        run(rapt().args([
            "sweep",
            &storm,
            "--set",
            "pools.vpn.tunnels=6000..9000:1500",
            "-n",
            "3",
            "-q",
            "-j",
            threads,
        ]))
    };
    let one = go("1");
    assert_eq!(one.code, 0, "{}", one.both());
    assert_eq!(one.stdout, go("2").stdout);
    assert_eq!(one.stdout, go("2").stdout);
}

#[test]
fn invalid_points_and_bad_grids_are_refused_before_running() {
    let storm = storm();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["pools.vpn.tunnels=-5"],
            3,
            "pools.vpn.tunnels: found `-5`",
        ),
        (&["pools.vpn.tunels=5"], 3, "did you mean `tunnels`"),
        (&["pools.vpm.tunnels=5"], 2, "no `vpm` under `pools`"),
        (&["policy.storm.remote_share=120%"], 3, "remote_share"),
        (&["pools.vpn.tunnels"], 2, "expected PATH=VALUES"),
        (&["pools.vpn.tunnels=9..1:1"], 2, "backwards"),
        (&["pools.vpn.tunnels=1..9"], 2, "needs a step"),
        (&["pools.vpn.tunnels=0..1000000:1"], 2, "at most 10000"),
        (
            &["pools.vpn.tunnels=1", "pools.vpn.tunnels=2"],
            2,
            "given twice",
        ),
    ];
    for (sets, code, message) in cases {
        let mut cmd = rapt();
        cmd.args(["sweep", &storm, "-q", "-n", "1"]);
        for s in *sets {
            cmd.args(["--set", s]);
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, *code, "{sets:?}: {}", r.both());
        assert!(
            r.stderr.contains(message),
            "{sets:?}: expected `{message}`\n{}",
            r.both()
        );
        assert!(
            r.stdout.is_empty(),
            "{sets:?}: nothing may be printed on stdout"
        );
    }
}

#[test]
fn output_file_is_written_whole_and_never_overwritten_without_force() {
    let storm = storm();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("grid.csv");
    let out_s = out.display().to_string();
    let go = |force: bool| {
        let mut cmd = rapt();
        cmd.args([
            "sweep",
            &storm,
            "--set",
            "pools.vpn.tunnels=7000,8000",
            "-n",
            "2",
            "-q",
            "-o",
            &out_s,
        ]);
        if force {
            cmd.arg("--force");
        }
        run(&mut cmd)
    };
    assert_eq!(go(false).code, 0);
    let (_, rows) = csv_rows(&std::fs::read_to_string(&out).expect("written"));
    assert_eq!(rows.len(), 2);
    let again = go(false);
    assert_eq!(again.code, 1, "{}", again.both());
    assert!(again.stderr.contains("--force"), "{}", again.both());
    assert_eq!(go(true).code, 0);
    let refuse_input = run(rapt().args([
        "sweep",
        &storm,
        "--set",
        "pools.vpn.tunnels=7000",
        "-q",
        "-o",
        &storm,
        "--force",
    ]));
    assert_eq!(refuse_input.code, 1, "{}", refuse_input.both());
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("formulas.yaml");
    std::fs::write(&file, FORMULA_NAMES).expect("scenario");
    let r = run(rapt().args([
        "sweep",
        &file.display().to_string(),
        "--set",
        "policy.@phase.remote_share=50%,100%",
        "--set",
        "meta.name=-x,=1+1,-5",
        "-n",
        "2",
        "-q",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    let (header, rows) = csv_rows(&r.stdout);
    // The pool's key figures are named after it: text, so neutralised.
    assert!(
        header
            .iter()
            .any(|h| h == "'=HYPERLINK(1).capacity_busiest"),
        "{header:?}"
    );
    assert!(
        !header.iter().any(|h| h.starts_with(['=', '+', '-', '@'])),
        "{header:?}"
    );
    // Values from --set: text is neutralised, a number stays a number.
    let names: Vec<&str> = rows.iter().take(3).map(|r| r[1].as_str()).collect();
    assert_eq!(names, ["'-x", "'=1+1", "-5"]);
    assert_eq!(rows[0][0], "50%");
    // JSON keeps the names as they are.
    let j = run(rapt().args([
        "sweep",
        &file.display().to_string(),
        "--set",
        "policy.@phase.remote_share=50%",
        "-n",
        "2",
        "-q",
        "--format",
        "json",
    ]));
    assert!(
        json(&j)["points"][0]["figures"]
            .get("=HYPERLINK(1).capacity_busiest")
            .is_some(),
        "{}",
        j.both()
    );
}

/// Sweeping an uncertain input fixes it at each point's value: otherwise every replication's
/// draw from the range would override the point, and the points would not differ.
#[test]
fn sweeping_an_uncertain_input_fixes_it_per_point() {
    let known = root()
        .join("tests/corpus/calibrate/known.yaml")
        .display()
        .to_string();
    let r = run(rapt().args([
        "sweep",
        &known,
        "--set",
        "onboarding.per_day=100,600",
        "-n",
        "4",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr
            .contains("note: onboarding.per_day is an uncertain input"),
        "{}",
        r.stderr
    );
    let v = json(&r);
    let enabled: Vec<f64> = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["figures"]["enabled_last_day_mean"].as_f64().unwrap())
        .collect();
    // 15 workdays: 100 a day enable 1,500; 600 a day reach all 4,000.
    assert_eq!(enabled, vec![1500.0, 4000.0], "{v}");
}

/// List items may be named as findings name them (`deliveries[0].quantity`) or dotted.
#[test]
fn a_list_item_is_addressed_with_brackets_as_findings_spell_it() {
    let file = root()
        .join("scenarios/chemnitz-2020.yaml")
        .display()
        .to_string();
    let out = |path: &str| {
        let r = run(rapt().args([
            "sweep",
            &file,
            "-q",
            "-n",
            "2",
            "--set",
            &format!("{path}=50,400"),
        ]));
        assert_eq!(r.code, 0, "{path}: {}", r.both());
        r.stdout
    };
    let bracket = out("devices.notebooks.deliveries[0].quantity");
    let dotted = out("devices.notebooks.deliveries.0.quantity");
    // The same figures, under the path as given.
    let figures = |s: &str| {
        s.lines()
            .skip(1)
            .map(|l| l.split_once(',').unwrap().1.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(figures(&bracket), figures(&dotted));
    assert_ne!(
        figures(&bracket)[0],
        figures(&bracket)[1],
        "the quantity matters"
    );
}
