//! Cost before work: `--estimate`, the memory limit (`--max-memory`, else a share of the
//! machine's memory), fewer threads when memory binds, refusal before any work, and the
//! estimate held against the measured peak.

use crate::common::{rapt, root, run, starter_with};

/// The 25 KB file that used to peak at 10.9 GB: 64 pools over ten years, 1,000 replications.
fn costly() -> std::path::PathBuf {
    root().join("tests/corpus/costly/64-pools-10-years.yaml")
}

/// One workday with a million remote workers: workday buffers dominate, per thread.
fn million_in_one_day() -> String {
    starter_with(&[
        ("horizon: 60d", "horizon: 1d"),
        ("replications: 20", "replications: 2"),
        ("headcount: 2000", "headcount: 1000000"),
        ("remote_suitable: 80%", "remote_suitable: 100%"),
        ("enabled: 100 ", "enabled: 1000000 "),
        ("remote_share: 90%", "remote_share: 100%"),
        ("date: 2020-03-30, quantity", "date: 2020-03-16, quantity"),
        ("date: 2020-03-30, hosts", "date: 2020-03-16, hosts"),
        ("2020-03-25", "2020-03-16"),
        ("available_from: 2020-03-23", "available_from: 2020-03-16"),
    ])
}

/// The `memory:` line of `--estimate` in bytes.
fn estimated_bytes(stdout: &str) -> u64 {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("memory:"))
        .unwrap_or_else(|| panic!("no memory line in {stdout}"));
    let inner = line.rsplit_once("; ").expect("bytes in the memory line").1;
    inner
        .trim_end_matches(" bytes)")
        .parse()
        .unwrap_or_else(|_| panic!("bytes in {line}"))
}

/// The bytes of `peak memory: … (N bytes)` that `RAPT_PEAK_MEMORY=1` prints.
fn peak_bytes(stderr: &str) -> u64 {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("peak memory:"))
        .unwrap_or_else(|| panic!("no peak line in {stderr}"));
    line.rsplit_once('(')
        .and_then(|(_, b)| b.trim_end_matches(" bytes)").parse().ok())
        .unwrap_or_else(|| panic!("bytes in {line}"))
}

#[test]
fn estimate_states_the_cost_and_runs_nothing() {
    let r = run(rapt()
        .args(["simulate", "--estimate", "-j", "2"])
        .arg(costly()));
    assert_eq!(r.code, 0, "{}", r.both());
    for line in [
        "replications:        1000",
        "simulated workdays:  2615 per replication",
        "memory limit:",
        "verdict:",
    ] {
        assert!(r.stdout.contains(line), "{line} missing:\n{}", r.both());
    }
    // Mostly the accumulators: 3,660 days × 64 pools × 6 figures × 1,000 values.
    let bytes = estimated_bytes(&r.stdout);
    let figures = 3660 * 64 * 6 * 1000 * 8u64;
    assert!(bytes > figures && bytes < 2 * figures, "{bytes}");
    assert!(r.stderr.is_empty(), "{}", r.both());
}

#[test]
fn a_run_above_the_limit_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let r = run(rapt()
        .args(["simulate", "--max-memory", "4GiB", "--format", "json", "-o"])
        .arg(&out)
        .arg(costly()));
    assert_eq!(r.code, 1, "{}", r.both());
    for part in [
        "64-pools-10-years.yaml: this run needs about",
        "more than the limit of 4.0 GiB (--max-memory)",
        "nothing was simulated",
        "fewer replications (-n)",
    ] {
        assert!(r.stderr.contains(part), "{part} missing:\n{}", r.both());
    }
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // The same for the commands that run many points.
    let size = run(rapt()
        .args(["size", "--pool", "v0", "--max-memory", "100MB"])
        .arg(costly()));
    assert_eq!(size.code, 1, "{}", size.both());
    assert!(
        size.stderr.contains("nothing was simulated"),
        "{}",
        size.both()
    );
    let sweep = run(rapt()
        .args([
            "sweep",
            "--set",
            "pools.v0.tunnels=100,200",
            "--max-memory",
            "100MB",
        ])
        .arg(costly()));
    assert_eq!(sweep.code, 1, "{}", sweep.both());
    assert!(
        sweep.stderr.contains("nothing was simulated"),
        "{}",
        sweep.both()
    );
}

#[test]
fn memory_not_cores_lowers_the_thread_count_with_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("million.yaml");
    std::fs::write(&file, million_in_one_day()).unwrap();
    let est = run(rapt()
        .args(["simulate", "--estimate", "-j", "2"])
        .arg(&file));
    let two = estimated_bytes(&est.stdout);
    // Between the cost of one thread and of two.
    let limit = two - 20 * 1024 * 1024;
    let lowered = run(rapt()
        .args(["simulate", "--format", "json", "-j", "2", "--max-memory"])
        .arg(limit.to_string())
        .arg(&file));
    assert_eq!(lowered.code, 0, "{}", lowered.both());
    assert!(
        lowered
            .stderr
            .contains("memory, not cores, bounds this run: 1 of 2 threads"),
        "{}",
        lowered.both()
    );
    let one = run(rapt()
        .args(["simulate", "--format", "json", "-j", "1"])
        .arg(&file));
    assert_eq!(one.code, 0, "{}", one.both());
    assert_eq!(lowered.stdout, one.stdout);
    assert!(!one.stderr.contains("memory"), "{}", one.both());
}

#[test]
#[cfg(target_os = "linux")]
fn measured_peak_stays_within_the_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("million.yaml");
    std::fs::write(&file, million_in_one_day()).unwrap();
    let cases: [(&std::path::Path, &[&str]); 3] = [
        (&file, &["-j", "1", "-n", "1"]),
        (&file, &["-j", "2", "-n", "2"]),
        (&costly(), &["-j", "2", "-n", "6"]),
    ];
    for (path, args) in cases {
        let est = run(rapt().args(["simulate", "--estimate"]).args(args).arg(path));
        let estimate = estimated_bytes(&est.stdout);
        let measured = run(rapt()
            .env("RAPT_PEAK_MEMORY", "1")
            .args(["simulate", "--format", "json"])
            .args(args)
            .arg(path));
        assert_eq!(measured.code, 0, "{}", measured.both());
        let peak = peak_bytes(&measured.stderr);
        assert!(
            peak <= estimate,
            "{args:?}: peak {peak} above the estimate {estimate}"
        );
        // An estimate, not a blanket: within 2.5× of what the run took.
        assert!(
            estimate <= peak * 5 / 2,
            "{args:?}: estimate {estimate} far above the peak {peak}"
        );
    }
}

#[test]
fn max_memory_takes_sizes_and_rejects_the_rest() {
    for bad in ["lots", "0", "12 parsecs", "-1GB"] {
        let r = run(rapt()
            .args(["simulate", &format!("--max-memory={bad}")])
            .arg(root().join("scenarios/munich-2020.yaml")));
        assert_eq!(r.code, 2, "{bad}: {}", r.both());
        assert!(r.stderr.contains("--max-memory"), "{}", r.both());
    }
    let r = run(rapt()
        .args(["simulate", "--estimate", "--max-memory", "unlimited"])
        .arg(root().join("scenarios/munich-2020.yaml")));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("memory limit:        none"),
        "{}",
        r.both()
    );
}

#[test]
fn compare_estimates_both_runs() {
    let (a, b) = (
        root().join("scenarios/munich-2020.yaml"),
        root().join("scenarios/stuttgart-2020.yaml"),
    );
    let r = run(rapt().args(["compare", "--estimate"]).arg(&a).arg(&b));
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(
        r.stdout.matches("cost estimate for").count(),
        2,
        "{}",
        r.both()
    );
    assert!(r.stdout.contains("munich-2020.yaml") && r.stdout.contains("stuttgart-2020.yaml"));
}
