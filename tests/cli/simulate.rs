//! `rapt simulate`: formats, determinism across threads, output files, service-level gate.

use crate::common::{FORMULA_NAMES, rapt, root, run};

fn storm() -> String {
    root()
        .join("scenarios/bench/login-storm.yaml")
        .display()
        .to_string()
}

#[test]
fn same_seed_same_bytes_whatever_the_thread_count() {
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        for format in ["json", "csv", "table"] {
            let r = run(rapt().args([
                "simulate",
                &storm(),
                "-n",
                "6",
                "--seed",
                "7",
                "-j",
                threads,
                "--format",
                format,
                "-q",
            ]));
            assert_eq!(r.code, 0, "{}", r.both());
            outs.push((format, r.stdout));
        }
    }
    for i in 0..3 {
        assert_eq!(
            outs[i].1,
            outs[i + 3].1,
            "{} output differs between 1 and 2 threads",
            outs[i].0
        );
    }
    let other = run(rapt().args([
        "simulate",
        &storm(),
        "-n",
        "6",
        "--seed",
        "8",
        "--format",
        "json",
        "-q",
    ]));
    assert_ne!(other.stdout, outs[0].1, "another seed draws differently");
}

#[test]
fn json_summary_has_the_documented_pool_statistics() {
    let r = run(rapt().args(["simulate", &storm(), "-n", "4", "--format", "json", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let pool = &v["summary"]["pools"][0];
    assert_eq!(pool["name"], "vpn");
    assert_eq!(pool["capacity_busiest"], 7000);
    for field in ["mean", "p50", "p95", "ci95_low", "ci95_high"] {
        assert!(
            pool["peak_sessions_busiest"][field].is_number(),
            "peak_sessions_busiest.{field} missing"
        );
    }
    for worst in ["worst_blocking", "worst_occupancy"] {
        assert!(pool[worst]["date"].is_string(), "{worst}.date missing");
        assert!(pool[worst]["value"].is_number(), "{worst}.value missing");
        for field in ["mean", "p50", "p95", "ci95_low", "ci95_high"] {
            assert!(
                pool[worst]["stat"][field].is_number(),
                "{worst}.stat.{field}"
            );
        }
    }
    assert!(
        pool["blocked_attempts_total"].as_f64().unwrap_or(0.0) > 0.0,
        "9,600 workers on 7,000 tunnels block"
    );
    assert_eq!(pool["days_with_blocking"], 1);
    assert_eq!(
        pool["worst_occupancy"]["value"], 1.0,
        "the tunnels are full"
    );
}

#[test]
fn csv_to_stdout_is_the_timeline_only() {
    let r = run(rapt().args(["simulate", &storm(), "-n", "2", "--format", "csv", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next().map(|l| l.split(',').count()),
        Some(rapt::report::csv::TIMELINE_COLUMNS.len())
    );
    assert!(lines.all(|l| l.starts_with("2020-") || l.starts_with("20")));
}

#[test]
fn directory_output_and_overwrite_protection() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("results/");
    let out_s = out.display().to_string();
    let r = run(rapt().args(["simulate", &storm(), "-n", "2", "-q", "-o", &out_s]));
    assert_eq!(r.code, 0, "{}", r.both());
    for f in ["summary.json", "timeline.csv", "workday.csv"] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    let workday = std::fs::read_to_string(out.join("workday.csv")).expect("read");
    assert_eq!(
        workday.lines().count(),
        1 + 288,
        "header plus 288 five-minute intervals"
    );
    let again = run(rapt().args(["simulate", &storm(), "-n", "2", "-q", "-o", &out_s]));
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("--force"), "{}", again.both());
    let forced = run(rapt().args([
        "simulate",
        &storm(),
        "-n",
        "2",
        "-q",
        "-o",
        &out_s,
        "--force",
    ]));
    assert_eq!(forced.code, 0, "{}", forced.both());
    // Never overwrite the input scenario, even with --force.
    let copy = dir.path().join("s.yaml");
    std::fs::copy(storm(), &copy).expect("copy");
    let c = copy.display().to_string();
    let r = run(rapt().args(["simulate", &c, "-n", "1", "-q", "-o", &c, "--force"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("input scenario"), "{}", r.both());
    assert!(
        std::fs::read_to_string(&copy)
            .expect("read")
            .contains("login")
    );
}

/// The names in a directory, sorted.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const BUNDLE: [&str; 3] = ["summary.json", "timeline.csv", "workday.csv"];

#[test]
fn simulate_output_trailing_slash_creates_the_directory_but_not_missing_parents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = format!("{}/", dir.path().join("new").display());
    let r = run(rapt().args(["simulate", &storm(), "-n", "1", "-q", "-o", &out]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(listing(&dir.path().join("new")), BUNDLE);
    // A missing parent is a usage error before anything runs, and nothing is created.
    let nested = format!("{}/", dir.path().join("typo/new").display());
    let r = run(rapt().args(["simulate", &storm(), "-n", "1", "-q", "-o", &nested]));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(
        r.stderr.contains("does not exist") && r.stderr.contains("mkdir -p"),
        "{}",
        r.both()
    );
    assert_eq!(listing(dir.path()), ["new"]);
    // `FILE/` for an existing file is refused too.
    let file = dir.path().join("plain.txt");
    std::fs::write(&file, "keep").expect("write");
    let slash = format!("{}/", file.display());
    let r = run(rapt().args(["simulate", &storm(), "-n", "1", "-q", "-o", &slash]));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("not a directory"), "{}", r.both());
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "keep");
}

#[test]
fn simulate_output_dir_always_writes_the_bundle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bundle");
    let o = out.display().to_string();
    // --format does not apply to the bundle.
    let r = run(rapt().args([
        "simulate",
        &storm(),
        "-n",
        "1",
        "-q",
        "--output-dir",
        &o,
        "--format",
        "csv",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.is_empty(), "{}", r.both());
    assert_eq!(listing(&out), BUNDLE);
    let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
    serde_json::from_str::<serde_json::Value>(&summary).expect("summary is JSON");
    // An existing directory is fine, existing files need --force.
    let again = run(rapt().args(["simulate", &storm(), "-n", "1", "-q", "--output-dir", &o]));
    assert_eq!(again.code, 1, "{}", again.both());
    assert!(again.stderr.contains("--force"), "{}", again.both());
    let forced = run(rapt().args([
        "simulate",
        &storm(),
        "-n",
        "1",
        "-q",
        "--output-dir",
        &o,
        "--force",
    ]));
    assert_eq!(forced.code, 0, "{}", forced.both());
    // -o and --output-dir exclude each other.
    let both = run(rapt().args([
        "simulate",
        &storm(),
        "-q",
        "-o",
        "x.txt",
        "--output-dir",
        &o,
    ]));
    assert_eq!(both.code, 2, "{}", both.both());
    let missing_parent = dir.path().join("no/such").display().to_string();
    let r = run(rapt().args([
        "simulate",
        &storm(),
        "-n",
        "1",
        "-q",
        "--output-dir",
        &missing_parent,
    ]));
    assert_eq!(r.code, 2, "{}", r.both());
    assert_eq!(listing(dir.path()), ["bundle"]);
}

#[test]
fn simulate_output_to_a_new_name_without_extension_is_refused_for_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let results = dir.path().join("results");
    let name = results.display().to_string();
    let r = run(rapt().args(["simulate", &storm(), "-n", "1", "-q", "-o", &name]));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stdout.is_empty(), "{}", r.both());
    for hint in [
        format!("-o {name}/"),
        format!("--output-dir {name}"),
        format!("-o {name}.txt"),
        "--format csv".to_string(),
        "nothing was written".to_string(),
    ] {
        assert!(r.stderr.contains(&hint), "{hint}: {}", r.both());
    }
    assert!(listing(dir.path()).is_empty(), "nothing written");

    // With an extension it is a file of tables, as before.
    let txt = dir.path().join("out.txt");
    let r = run(rapt().args([
        "simulate",
        &storm(),
        "-n",
        "1",
        "-q",
        "-o",
        &txt.display().to_string(),
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(txt.is_file());
    assert!(
        std::fs::read_to_string(&txt)
            .expect("read")
            .contains("Summary"),
        "tables written"
    );
    // With a machine format the bare name is one file in that format.
    let r = run(rapt().args([
        "simulate",
        &storm(),
        "-n",
        "1",
        "-q",
        "--format",
        "csv",
        "-o",
        &name,
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(results.is_file());
    assert!(
        std::fs::read_to_string(&results)
            .expect("read")
            .starts_with("date,workday,")
    );
    // Once it exists as a file, it is that file (overwritten only with --force).
    let r = run(rapt().args(["simulate", &storm(), "-n", "1", "-q", "-o", &name]));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("--force"), "{}", r.both());
}

#[test]
fn fail_on_breach_gates_a_pipeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(storm()).expect("read");
    let with_sl = format!("{text}\nservice_level: {{ max_blocking: 1% }}\n");
    let file = dir.path().join("storm.yaml");
    std::fs::write(&file, &with_sl).expect("write");
    let f = file.display().to_string();
    let r = run(rapt().args(["simulate", &f, "-n", "2", "-q", "--fail-on-breach"]));
    assert_eq!(
        r.code,
        1,
        "7,000 tunnels for 9,600 workers breach 1% blocking\n{}",
        r.both()
    );
    let bigger = with_sl.replace("tunnels: 7000", "tunnels: 12000");
    assert_ne!(bigger, with_sl, "the scenario names its tunnels");
    std::fs::write(&file, &bigger).expect("write");
    let r = run(rapt().args(["simulate", &f, "-n", "2", "-q", "--fail-on-breach"]));
    assert_eq!(r.code, 0, "{}", r.both());
}

#[test]
fn usage_errors_exit_2_and_invalid_scenarios_exit_3() {
    assert_eq!(
        run(rapt().args(["simulate", &storm(), "--day", "yesterday"])).code,
        2
    );
    assert_eq!(
        run(rapt().args(["simulate", &storm(), "--day", "2030-01-01", "-q"])).code,
        2
    );
    assert_eq!(run(rapt().args(["simulate", &storm(), "-n", "0"])).code, 2);
    let bad = root()
        .join("tests/corpus/invalid")
        .read_dir()
        .expect("corpus")
        .flatten()
        .next()
        .expect("a file")
        .path();
    assert_eq!(
        run(rapt().args(["simulate", &bad.display().to_string(), "-q"])).code,
        3
    );
}

#[test]
fn plot_writes_standalone_svg_charts_and_respects_force() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plots = dir.path().join("plots");
    let munich = root()
        .join("scenarios/munich-2020.yaml")
        .display()
        .to_string();
    let go = |force: bool| {
        let mut cmd = rapt();
        cmd.args([
            "simulate",
            &munich,
            "-n",
            "3",
            "-q",
            "--plot",
            &plots.display().to_string(),
        ]);
        if force {
            cmd.arg("--force");
        }
        run(&mut cmd)
    };
    let first = go(false);
    assert_eq!(first.code, 0, "{}", first.both());
    let mut names: Vec<String> = std::fs::read_dir(&plots)
        .expect("plots")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bandwidth.svg",
            "blocked.svg",
            "breach-calendar.svg",
            "login-delay.svg",
            "timeline.svg",
            "workday-remote-desktop.svg",
            "workday-vpn.svg"
        ]
    );
    for n in &names {
        let svg = std::fs::read_to_string(plots.join(n)).expect("svg");
        assert!(
            svg.starts_with("<?xml") && svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
        assert!(svg.trim_end().ends_with("</svg>"), "{n}");
        assert!(!svg.contains("<script"), "{n}");
        // Balanced: every element opened is closed.
        let opens = svg.matches("<g").count() + svg.matches("<svg").count();
        let closes = svg.matches("</g>").count() + svg.matches("</svg>").count();
        assert_eq!(opens, closes, "{n}");
    }
    let again = go(false);
    assert_eq!(again.code, 1, "{}", again.both());
    assert!(again.stderr.contains("--force"));
    assert_eq!(go(true).code, 0);
}

#[test]
fn report_writes_one_html_file_and_guards_its_target() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.html");
    let o = out.display().to_string();
    let storm = storm();
    let r = run(rapt().args(["report", &storm, "-n", "3", "-q", "-o", &o]));
    assert_eq!(r.code, 0, "{}", r.both());
    let html = std::fs::read_to_string(&out).expect("report");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for part in [
        "id=\"verdict\"",
        "id=\"key-results\"",
        "data-chart=\"workday-vpn\"",
        "id=\"staff\"",
        "id=\"pools\"",
        "@page { size: A4",
    ] {
        assert!(html.contains(part), "missing {part}");
    }
    let again = run(rapt().args(["report", &storm, "-n", "3", "-q", "-o", &o]));
    assert_eq!(again.code, 1, "{}", again.both());
    let dir_target = run(rapt().args([
        "report",
        &storm,
        "-q",
        "-o",
        &format!("{}/", dir.path().display()),
    ]));
    assert_eq!(dir_target.code, 2, "{}", dir_target.both());
    let bad_day = run(rapt().args(["report", &storm, "-q", "-o", "-", "--day", "2031-01-01"]));
    assert_eq!(bad_day.code, 2, "{}", bad_day.both());
    let no_output = run(rapt().args(["report", &storm]));
    assert_eq!(no_output.code, 2, "{}", no_output.both());
}

/// Every path under `root`, relative to it, sorted (directories end in `/`).
fn tree(root: &std::path::Path) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("read_dir").flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).expect("inside").display().to_string();
            // Not followed: a symlink is listed, never entered.
            if e.file_type().expect("file type").is_dir() {
                out.push(format!("{rel}/"));
                walk(root, &p, out);
            } else {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// A scenario whose pool and path are named like relative paths.
const TRAVERSAL: &str = r#"meta: { name: traversal }
run: { start: 2020-03-16, horizon: 1d, seed: 1, replications: 2 }
staff:
  office:
    headcount: 200
    remote_suitable: 100%
    login: { normal: { mean: "08:00", sd: 45min } }
    session: { lognormal: { median: 7h30m, sigma: 0.35 } }
    access: [{ path: "p/../../q", enabled: 200 }]
paths:
  "p/../../q": { device: existing, token: none, pool: "x/../../pwned" }
pools:
  "x/../../pwned": { kind: vpn, tunnels: 150 }
policy:
  storm: { from: 2020-03-16, remote_share: 100% }
"#;

#[test]
fn a_pool_named_like_a_path_writes_nothing_outside_the_plot_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let scenario = root.join("traversal.yaml");
    std::fs::write(&scenario, TRAVERSAL).expect("scenario");
    let plots = root.join("a/b/plots");
    let plot = |plots: &std::path::Path| {
        run(rapt().args([
            "simulate",
            &scenario.display().to_string(),
            "-n",
            "2",
            "--plot",
            &plots.display().to_string(),
        ]))
    };
    // With `workday-x/` present, `plots/workday-x/../../pwned.svg` would resolve to a/pwned.svg:
    // a plot directory holding anything but charts is refused, and nothing is written.
    std::fs::create_dir_all(plots.join("workday-x")).expect("plots");
    let before = tree(root);
    let refused = plot(&plots);
    assert_eq!(refused.code, 2, "{}", refused.both());
    assert_eq!(tree(root), before, "a refused run wrote something");
    std::fs::remove_dir(plots.join("workday-x")).expect("cleanup");
    let before = tree(root);
    let r = plot(&plots);
    assert_eq!(r.code, 0, "{}", r.both());
    // The validator warns about both names, naming the field.
    assert!(
        r.stderr.contains("pools.x/../../pwned") && r.stderr.contains("paths.p/../../q"),
        "{}",
        r.both()
    );
    let after = tree(root);
    let new: Vec<&String> = after.iter().filter(|p| !before.contains(p)).collect();
    assert!(before.iter().all(|p| after.contains(p)), "{after:?}");
    assert!(!new.is_empty());
    for p in &new {
        let rest = p.strip_prefix("a/b/plots/").unwrap_or_else(|| {
            panic!("{p} was written outside the plot directory; before {before:?}, after {after:?}")
        });
        assert!(
            !rest.contains('/') && rest.ends_with(".svg"),
            "{p}: not a chart directly in the plot directory"
        );
    }
    // The chart's file name is the pool's name made safe; the name itself stays inside.
    let svg = std::fs::read_to_string(plots.join("workday-x_.._.._pwned.svg")).expect("chart");
    assert!(
        svg.contains("data-chart=\"workday-x/../../pwned\""),
        "{svg}"
    );
    assert!(svg.contains("<title>x/../../pwned: active sessions"));
}

#[test]
fn csv_names_a_spreadsheet_would_read_as_formulas_are_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("formulas.yaml");
    std::fs::write(&file, FORMULA_NAMES).expect("scenario");
    let out = dir.path().join("out");
    let r = run(rapt().args([
        "simulate",
        &file.display().to_string(),
        "--output-dir",
        &out.display().to_string(),
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    // Both names are warned about, with their fields.
    assert!(
        r.stderr.contains("pools.=HYPERLINK(1)") && r.stderr.contains("policy.@phase"),
        "{}",
        r.both()
    );
    for (name, columns) in [
        ("timeline.csv", &["pool", "phase"][..]),
        ("workday.csv", &["pool"][..]),
    ] {
        let text = std::fs::read_to_string(out.join(name)).expect("csv");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        let records: Vec<csv::StringRecord> =
            reader.records().map(|r| r.expect("record")).collect();
        assert!(!records.is_empty(), "{name}");
        for rec in &records {
            for (h, cell) in header.iter().zip(rec.iter()) {
                // No cell starts like a formula unless it is a number.
                assert!(
                    !cell.starts_with(['=', '+', '@', '\t', '\r'])
                        && (!cell.starts_with('-') || cell.parse::<f64>().is_ok()),
                    "{name}: {h} = {cell:?}"
                );
            }
            for c in columns {
                let i = header.iter().position(|h| h == c).expect("column");
                let expected = if *c == "pool" {
                    "'=HYPERLINK(1)"
                } else {
                    "'@phase"
                };
                assert_eq!(&rec[i], expected, "{name}: {c}");
            }
        }
    }
    // The JSON summary keeps the real name.
    let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary");
    assert!(summary.contains("\"=HYPERLINK(1)\""));
}

#[test]
fn pools_that_open_with_an_expansion_simulate_without_undefined_figures() {
    // Until 2020-03-25 the VPN has no tunnels and no licences, until 2020-03-30 the
    // remote-desktop farm no hosts: every login before is blocked.
    let text = crate::common::starter_with(&[
        ("    tunnels: 500\n", "    tunnels: 0\n"),
        ("    licences: 500\n", "    licences: 0\n"),
        ("    hosts: 10\n", "    hosts: 0\n"),
    ]);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("opens-later.yaml");
    std::fs::write(&file, &text).expect("scenario");
    let f = file.display().to_string();
    let v = run(rapt().args(["validate", "--deny-warnings", &f]));
    assert_eq!(v.code, 0, "{}", v.both());
    let out = dir.path().join("out");
    let plots = dir.path().join("plots");
    let r = run(rapt().args([
        "simulate",
        &f,
        "-n",
        "3",
        "-q",
        "--output-dir",
        &out.display().to_string(),
        "--plot",
        &plots.display().to_string(),
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    let report = dir.path().join("report.html");
    let h = run(rapt().args([
        "report",
        &f,
        "-n",
        "3",
        "-q",
        "-o",
        &report.display().to_string(),
    ]));
    assert_eq!(h.code, 0, "{}", h.both());
    let mut files = vec![
        out.join("summary.json"),
        out.join("timeline.csv"),
        out.join("workday.csv"),
        report,
    ];
    files.extend(
        std::fs::read_dir(&plots)
            .expect("plots")
            .flatten()
            .map(|e| e.path()),
    );
    for path in &files {
        let text = std::fs::read_to_string(path).expect("output");
        // `NaN` and `inf` as words (as Rust prints undefined and infinite numbers).
        let words: Vec<&str> = text.split(|c: char| !c.is_ascii_alphabetic()).collect();
        for bad in ["NaN", "nan", "inf", "Infinity"] {
            assert!(!words.contains(&bad), "{} contains {bad:?}", path.display());
        }
    }
    // The closed days are in the timeline: capacity 0, every attempt blocked.
    let timeline = std::fs::read_to_string(out.join("timeline.csv")).expect("timeline");
    let mut reader = csv::Reader::from_reader(timeline.as_bytes());
    let header = reader.headers().expect("header").clone();
    let col = |n: &str| header.iter().position(|h| h == n).expect(n);
    let (date, pool, cap, attempts, blocked, occupancy) = (
        col("date"),
        col("pool"),
        col("capacity"),
        col("attempts_mean"),
        col("blocked_attempts_mean"),
        col("occupancy_mean"),
    );
    let closed: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[pool] == "vpn" && &r[cap] == "0")
        .collect();
    assert_eq!(
        closed.first().map(|r| r[date].to_string()).as_deref(),
        Some("2020-03-16")
    );
    assert_eq!(
        closed.last().map(|r| r[date].to_string()).as_deref(),
        Some("2020-03-24")
    );
    assert!(closed.iter().any(|r| &r[attempts] != "0"));
    for r in &closed {
        assert_eq!(&r[attempts], &r[blocked], "{r:?}");
        assert_eq!(&r[occupancy], "0", "{r:?}");
    }
}

#[test]
fn capacity_means_what_the_pool_admits_everywhere() {
    // 500 tunnels but only 300 concurrent licences until the expansion: the pool admits 300.
    let text = crate::common::starter_with(&[("    licences: 500\n", "    licences: 300\n")]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("licences.yaml");
    std::fs::write(&file, text).unwrap();
    let r = run(rapt()
        .args(["simulate", "-n", "4", "--format", "json"])
        .arg(&file));
    assert_eq!(r.code, 0, "{}", r.both());
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let first = &doc["timeline"][0]["pools"][0];
    assert_eq!(first["capacity"], 300, "{first}");
    assert_eq!(first["licences"], 300, "{first}");
    for day in doc["timeline"].as_array().unwrap() {
        let p = &day["pools"][0];
        let capacity = p["capacity"].as_f64().unwrap();
        let peak = p["peak_sessions"]["p95"].as_f64().unwrap();
        assert!(peak <= capacity, "{day}");
        if capacity > 0.0 {
            let occupancy = p["occupancy"]["mean"].as_f64().unwrap();
            let expected = p["peak_sessions"]["mean"].as_f64().unwrap() / capacity;
            assert!((occupancy - expected).abs() < 1e-12, "{day}");
        }
    }
    // The curve and the CSV say the same.
    let curve_cap = doc["workday"]["pools"][0]["capacity"].as_f64().unwrap();
    let day = doc["workday"]["date"].as_str().unwrap();
    let same_day = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == day)
        .unwrap();
    assert_eq!(
        same_day["pools"][0]["capacity"].as_f64().unwrap(),
        curve_cap
    );
}

/// Public holidays of the state, the file's own days off and extra workdays decide which days
/// are workdays (and so onboarding days): Christmas and New Year 2026/27 in Baden-Württemberg.
#[test]
fn holidays_are_days_off_and_extra_workdays_are_worked() {
    use crate::common::{json, rapt, run};
    let text = r#"
meta: { name: holidays }
run:
  start: 2026-12-21
  horizon: 21d
  calendar: DE-BW
  holidays: [2026-12-28]
  extra_workdays: [2027-01-02]
  replications: 2
staff:
  office:
    headcount: 1000
    remote_suitable: 100%
    login: { normal: { mean: "08:00", sd: 30min } }
    session: { fixed: { value: 8h } }
    access: [{ path: vpn }]
paths: { vpn: { device: existing, token: none, pool: vpn } }
pools: { vpn: { kind: vpn, tunnels: 1000 } }
onboarding: { per_day: 10 }
policy: { all: { from: 2026-12-21, remote_share: 100%, enable_target: 100% } }
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("holidays.yaml");
    std::fs::write(&file, text).unwrap();
    let r = run(rapt()
        .arg("simulate")
        .arg(&file)
        .args(["--format", "json", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let v = json(&r);
    let workday = |date: &str| {
        v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["date"] == date)
            .unwrap()["workday"]
            == true
    };
    for off in [
        "2026-12-25",
        "2026-12-26",
        "2026-12-28",
        "2027-01-01",
        "2027-01-06",
        "2027-01-03",
    ] {
        assert!(!workday(off), "{off} is a day off");
    }
    for on in [
        "2026-12-21",
        "2026-12-24",
        "2026-12-29",
        "2027-01-02",
        "2027-01-05",
    ] {
        assert!(workday(on), "{on} is a workday");
    }
    // Onboarding runs on workdays only: 10 a day over the 10 workdays up to 2027-01-05.
    let enabled = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2027-01-05")
        .unwrap()["enabled"]["mean"]
        .as_f64()
        .unwrap();
    assert_eq!(enabled, 100.0);
    // An unknown state is named with the choices.
    std::fs::write(&file, text.replace("DE-BW", "DE-BX")).unwrap();
    let r = run(rapt().arg("validate").arg(&file));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("no holiday calendar `DE-BX`") && r.stdout.contains("DE-BW"),
        "{}",
        r.both()
    );
}

/// `--day` on a day that is no workday says so instead of quietly showing no curve.
#[test]
fn a_chart_day_on_a_weekend_is_named() {
    let file = root()
        .join("tests/corpus/shard/night-peak.yaml")
        .display()
        .to_string();
    let r = run(rapt().args(["simulate", &file, "-n", "2", "--day", "2024-01-13"]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr.contains("--day 2024-01-13 is no workday"),
        "{}",
        r.both()
    );
    let r = run(rapt().args(["simulate", &file, "-n", "2", "--day", "2024-01-12"]));
    assert!(!r.stderr.contains("no workday"), "{}", r.both());
}
