//! The shipped scenarios tell their organisations' stories.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use rapt::sim::{Constraint, Model, SimOptions, SimResult, simulate};

fn run(name: &str) -> SimResult {
    // The stories are about the model at its assumed values, without the uncertain draws.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = Path::new(&crate::common::assumed_values(dir.path(), name)).to_path_buf();
    let loaded = rapt::scenario::load_valid(&path).expect("shipped scenario is valid");
    let model = Model::from_scenario(&loaded.scenario);
    let opts = SimOptions {
        replications: Some(4),
        ..Default::default()
    };
    simulate(&model, &opts, &|| {}, &AtomicBool::new(false)).expect("runs")
}

fn bottlenecks(r: &SimResult) -> Vec<(String, Option<Constraint>)> {
    r.timeline
        .iter()
        .filter(|d| d.workday)
        .map(|d| (d.date.to_string(), d.bottleneck))
        .collect()
}

fn is_token(c: Option<Constraint>) -> bool {
    matches!(
        c,
        Some(Constraint::HardwareTokens | Constraint::TokenHandout)
    )
}

#[test]
fn munich_hardware_tokens_bind_until_app_codes_arrive() {
    let r = run("munich-2020.yaml");
    let days = bottlenecks(&r);
    let before: Vec<_> = days
        .iter()
        .filter(|(d, _)| d.as_str() < "2020-03-26")
        .collect();
    assert!(!before.is_empty());
    assert!(
        before.iter().all(|(_, b)| is_token(*b)),
        "tokens bind before app/SMS codes: {before:?}"
    );
    let after: Vec<_> = days
        .iter()
        .filter(|(d, _)| d.as_str() >= "2020-03-26")
        .collect();
    assert!(
        after.iter().all(|(_, b)| !is_token(*b)),
        "tokens no longer bind once codes arrive: {after:?}"
    );
}

#[test]
fn stuttgart_vpn_binds_until_its_expansion_then_notebooks() {
    let days = bottlenecks(&run("stuttgart-2020.yaml"));
    let is_nb = |b: &Option<Constraint>| {
        matches!(b, Some(Constraint::Notebooks | Constraint::NotebookHandout))
    };
    let vpn: Vec<&str> = days
        .iter()
        .filter(|(_, b)| *b == Some(Constraint::Licences))
        .map(|(d, _)| d.as_str())
        .collect();
    assert!(
        !vpn.is_empty(),
        "the 300 VPN accounts bind in the first week"
    );
    assert!(
        vpn.iter().all(|d| *d < "2020-03-23"),
        "and no longer once they are expanded: {vpn:?}"
    );
    let later: Vec<_> = days
        .iter()
        .filter(|(d, _)| d.as_str() >= "2020-03-23")
        .collect();
    assert!(
        later.iter().all(|(_, b)| b.is_none() || is_nb(b)),
        "from then on notebooks or their hand-out bind (steady deliveries): {later:?}"
    );
    assert!(later.iter().filter(|(_, b)| is_nb(b)).count() > later.len() / 2);
}

#[test]
fn chemnitz_is_device_bound() {
    let r = run("chemnitz-2020.yaml");
    let days = bottlenecks(&r);
    assert!(
        days.iter().all(|(_, b)| matches!(
            b,
            Some(Constraint::Notebooks | Constraint::NotebookHandout) | None
        )),
        "{days:?}"
    );
    assert!(days.iter().filter(|(_, b)| b.is_some()).count() > days.len() / 2);
}

/// Munich's remote-desktop farm held 1,000 sessions in the first lockdown week: the service
/// level is breached on each of those five days and on no later one, and every output says so.
#[test]
fn munich_breaches_in_the_first_week_on_remote_desktop() {
    use crate::common::{json, rapt, run as cli};
    let dir = tempfile::tempdir().expect("tempdir");
    let file = crate::common::assumed_values(dir.path(), "munich-2020.yaml");
    let r = cli(rapt().args(["simulate", &file, "--format", "json", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let v = json(&r);
    let sl = &v["service_level"];
    assert_eq!(sl["met"], false);
    let checks = sl["checks"].as_array().expect("checks");
    let failed: Vec<&serde_json::Value> = checks.iter().filter(|c| c["met"] == false).collect();
    assert_eq!(failed.len(), 1, "{sl:#}");
    let c = failed[0];
    assert_eq!(c["target"], "blocking_probability");
    assert_eq!(c["pool"], "remote-desktop");
    assert_eq!(c["first_breach"], "2020-03-16");
    assert_eq!(c["last_breach"], "2020-03-20");
    assert_eq!(c["breaching_days"], 5);
    let worst = c["worst_day"].as_str().expect("a worst day");
    assert!(("2020-03-16"..="2020-03-20").contains(&worst), "{worst}");
    assert!(c["worst_value"].as_f64().unwrap() > 0.3);

    // The table says the same, and --fail-on-breach fails.
    let t = cli(rapt().args(["simulate", &file, "-q", "--fail-on-breach"]));
    assert_eq!(t.code, 1, "{}", t.both());
    assert!(t.stdout.contains("BREACHED"), "{}", t.stdout);
    assert!(
        t.stdout
            .contains("5 of 51 days breach, first 2020-03-16, last 2020-03-20"),
        "{}",
        t.stdout
    );

    // The report's breach calendar marks exactly those days for remote-desktop.
    let dir = tempfile::tempdir().expect("tempdir");
    let html = dir.path().join("munich.html");
    let rep = cli(rapt().args(["report", &file, "-o", &html.display().to_string(), "-q"]));
    assert_eq!(rep.code, 0, "{}", rep.both());
    let text = std::fs::read_to_string(&html).expect("report");
    assert!(text.contains("data-chart=\"breach-calendar\""));
    let breached: Vec<String> = text
        .split("<rect ")
        .filter(|cell| cell.contains("data-pool=\"remote-desktop\""))
        .filter_map(|cell| {
            let attr = |name: &str| {
                let start = cell.find(&format!("{name}=\""))? + name.len() + 2;
                let end = start + cell[start..].find('"')?;
                Some(cell[start..end].to_string())
            };
            let value: f64 = attr("data-value")?.parse().ok()?;
            (value > 0.01).then(|| attr("data-date")).flatten()
        })
        .collect();
    assert_eq!(
        breached,
        [
            "2020-03-16",
            "2020-03-17",
            "2020-03-18",
            "2020-03-19",
            "2020-03-20"
        ]
    );
    assert!(text.contains("BREACHED"));
}
