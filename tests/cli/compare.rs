//! `rapt compare`: key figures side by side with differences.

use crate::common::{json, rapt, root, run};

#[test]
fn more_tunnels_show_as_fewer_blocked_attempts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = root().join("scenarios/bench/login-storm.yaml");
    let text = std::fs::read_to_string(&base).expect("read");
    let bigger = dir.path().join("bigger.yaml");
    std::fs::write(&bigger, text.replace("tunnels: 7000", "tunnels: 9000")).expect("write");
    let r = run(rapt().args([
        "compare",
        &base.display().to_string(),
        &bigger.display().to_string(),
        "-n",
        "4",
        "-q",
        "--format",
        "json",
    ]));
    assert_eq!(r.code, 0, "{}", r.both());
    let v = json(&r);
    let figures = v["figures"].as_array().expect("figures");
    let find = |name: &str| {
        figures
            .iter()
            .find(|f| f["figure"] == name)
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    assert_eq!(
        find("vpn: capacity on the busiest day")["difference"],
        2000.0
    );
    assert!(
        find("vpn: blocked attempts over the judged days (mean)")["difference"]
            .as_f64()
            .expect("number")
            < 0.0
    );
    let table = run(rapt().args([
        "compare",
        &base.display().to_string(),
        &bigger.display().to_string(),
        "-n",
        "2",
        "-q",
    ]));
    assert!(
        table.stdout.contains("+2000") && table.stdout.contains("+28.6%"),
        "{}",
        table.both()
    );
}

#[test]
fn an_invalid_side_exits_3() {
    let base = root().join("scenarios/bench/login-storm.yaml");
    let r = run(rapt().args([
        "compare",
        &base.display().to_string(),
        "/nonexistent.yaml",
        "-n",
        "1",
        "-q",
    ]));
    assert_eq!(r.code, 3, "{}", r.both());
}
