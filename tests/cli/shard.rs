//! Sharded runs: `simulate --shard K/N` parts merged by `rapt merge` give the single run's
//! bytes in every format; parts that do not make one run are refused, naming the files, and
//! nothing is written.

use std::path::{Path, PathBuf};

use crate::common::{rapt, root, run};

fn scenario(rel: &str) -> String {
    root().join(rel).display().to_string()
}

/// Writes the `count` parts of `file` into `dir`, each shard on its own thread count, and
/// returns their paths in a shuffled order (the merge sorts them by their headers).
fn shards(file: &str, dir: &Path, count: u32, extra: &[&str]) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let mut parts = Vec::new();
    for k in 1..=count {
        let part = dir.join(format!("part-{k}.rapt"));
        let threads = (1 + k % 2).to_string();
        let shard = format!("{k}/{count}");
        let r = run(rapt()
            .args(["simulate", file, "-q", "--shard", &shard, "-j", &threads])
            .args(extra)
            .arg("-o")
            .arg(&part));
        assert_eq!(r.code, 0, "{}", r.both());
        parts.push(part);
    }
    parts.reverse();
    parts.rotate_left(1);
    parts
}

fn single(file: &str, extra: &[&str]) -> String {
    let r = run(rapt().args(["simulate", file, "-q"]).args(extra));
    assert_eq!(r.code, 0, "{}", r.both());
    r.stdout
}

fn merged(parts: &[PathBuf], extra: &[&str]) -> String {
    let r = run(rapt().args(["merge", "-q"]).args(parts).args(extra));
    assert_eq!(r.code, 0, "{}", r.both());
    r.stdout
}

/// Four shards merged equal one run in the table, CSV and JSON, on scenarios that exercise
/// every way work is split: Stuttgart (656 days, uncertain inputs drawn per replication, a
/// night shift chaining its workdays), Munich (uncertain inputs, several pools) and a
/// `peak_day` model with shifts (one simulated day after a night run for its carry-over).
#[test]
fn four_shards_merged_equal_one_run_byte_for_byte() {
    for (file, reps) in [
        ("scenarios/stuttgart-2020.yaml", "6"),
        ("scenarios/munich-2020.yaml", "9"),
        ("tests/corpus/shard/night-peak.yaml", "7"),
    ] {
        let file = scenario(file);
        let dir = tempfile::tempdir().unwrap();
        let parts = shards(&file, dir.path(), 4, &["-n", reps]);
        for format in ["table", "csv", "json"] {
            let one = single(&file, &["-n", reps, "--format", format]);
            let many = merged(&parts, &["--format", format]);
            assert!(!one.is_empty());
            assert!(
                one == many,
                "{file} --format {format}: merged output differs"
            );
        }
    }
}

/// Above 1,000 replications the per-day figures keep a quantile sketch whose state depends on
/// the order values arrive in; the merge folds in replication order, so even the sketched
/// quantiles are the single run's. Also: options given to the shards (the chart day, the
/// judged window) are carried to the merge, and the directory set is the same (the chart day
/// is not the busiest one, so its curve is drawn by the merge's second pass).
#[test]
fn sketched_quantiles_and_run_options_survive_the_merge() {
    let storm = scenario("scenarios/bench/login-storm.yaml");
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&storm, &dir.path().join("storm"), 3, &["-n", "1100"]);
    let one = single(&storm, &["-n", "1100", "--format", "json"]);
    assert!(one.contains("\"replications\": 1100"), "{one}");
    assert!(one == merged(&parts, &["--format", "json"]));

    let file = scenario("tests/corpus/shard/night-peak.yaml");
    let opts = [
        "-n",
        "5",
        "--day",
        "2024-01-10",
        "--window",
        "2024-01-09..2024-01-18",
    ];
    let parts = shards(&file, &dir.path().join("night"), 3, &opts);
    let (a, b) = (dir.path().join("one"), dir.path().join("many"));
    let r = run(rapt()
        .args(["simulate", &file, "-q", "--output-dir"])
        .arg(&a)
        .args(opts));
    assert_eq!(r.code, 0, "{}", r.both());
    let r = run(rapt()
        .args(["merge", "-q", "--output-dir"])
        .arg(&b)
        .args(&parts));
    assert_eq!(r.code, 0, "{}", r.both());
    for name in ["summary.json", "timeline.csv", "workday.csv"] {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name}"
        );
    }
    let summary = std::fs::read_to_string(b.join("summary.json")).unwrap();
    assert!(summary.contains("2024-01-10"), "the chart day asked for");
}

/// More shards than items of work: the idle shards write empty parts, and the merge still
/// gives the single run.
#[test]
fn more_shards_than_work_still_merge() {
    let file = scenario("tests/corpus/shard/night-peak.yaml");
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(&file, dir.path(), 9, &["-n", "2"]);
    assert_eq!(
        single(&file, &["-n", "2", "--format", "json"]),
        merged(&parts, &["--format", "json"])
    );
}

/// Parts that do not make one run are refused before anything is written, each refusal
/// naming what is wrong and where.
#[test]
fn parts_of_no_single_run_are_refused_and_nothing_is_written() {
    let storm = scenario("scenarios/bench/login-storm.yaml");
    let munich = scenario("scenarios/munich-2020.yaml");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let parts = shards(&storm, d, 3, &["-n", "4"]);
    let out = d.join("out.json");
    let refused = |args: Vec<PathBuf>, code: i32, says: &str| {
        let r = run(rapt()
            .args(["merge", "--format", "json", "-o"])
            .arg(&out)
            .args(&args));
        assert_eq!(r.code, code, "{}", r.both());
        assert!(r.stderr.contains(says), "expected {says:?} in {}", r.both());
        assert!(!out.exists(), "nothing is written on a refusal");
    };
    // A shard missing, or given twice.
    refused(parts[..2].to_vec(), 2, "missing: ");
    refused(
        vec![parts[0].clone(), parts[0].clone(), parts[1].clone()],
        2,
        "are both shard",
    );
    // Another run's part: other options, another scenario.
    let other = d.join("other.rapt");
    let r = run(rapt()
        .args(["simulate", &storm, "-q", "-n", "5", "--shard", "2/3", "-o"])
        .arg(&other));
    assert_eq!(r.code, 0, "{}", r.both());
    let with = |p: &Path| {
        let mut v: Vec<PathBuf> = parts
            .iter()
            .filter(|q| !q.ends_with("part-2.rapt"))
            .cloned()
            .collect();
        v.push(p.to_path_buf());
        v
    };
    refused(with(&other), 2, "other run options");
    let r = run(rapt()
        .args(["simulate", &munich, "-q", "-n", "4", "--shard", "2/3", "-o"])
        .arg(&other)
        .arg("--force"));
    assert_eq!(r.code, 0, "{}", r.both());
    refused(with(&other), 2, "another scenario text");
    // A damaged part: cut short, or not a part at all.
    let whole = std::fs::read(&parts[0]).unwrap();
    let cut = d.join("cut.rapt");
    std::fs::write(&cut, &whole[..whole.len() - 40]).unwrap();
    let mut v = parts[1..].to_vec();
    v.push(cut.clone());
    refused(v, 3, "cut.rapt: ");
    let mut v = parts[1..].to_vec();
    v.push(PathBuf::from(&storm));
    refused(v, 3, "not a rapt partial result");
}

#[test]
fn a_shard_needs_a_file_and_a_workday_scenario() {
    let storm = scenario("scenarios/bench/login-storm.yaml");
    let r = run(rapt().args(["simulate", &storm, "--shard", "1/2"]));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("give -o FILE"), "{}", r.both());
    for bad in ["0/2", "3/2", "2", "a/b"] {
        let r = run(rapt().args(["simulate", &storm, "--shard", bad, "-o", "x.rapt"]));
        assert_eq!(r.code, 2, "{bad}: {}", r.both());
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.rapt");
    let r = run(rapt()
        .args([
            "simulate",
            &scenario("scenarios/bench/erlang-b.yaml"),
            "--shard",
            "1/2",
            "-o",
        ])
        .arg(&out));
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(r.stderr.contains("stationary"), "{}", r.both());
    assert!(!out.exists());
}
