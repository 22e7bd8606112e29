//! The shipped scenarios tell their organisations' stories.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use rapt::sim::{Constraint, Model, SimOptions, SimResult, simulate};

fn run(name: &str) -> SimResult {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
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
fn stuttgart_vpn_and_notebooks_bind_in_turn() {
    let r = run("stuttgart-2020.yaml");
    let seq: Vec<Option<Constraint>> = bottlenecks(&r).into_iter().map(|(_, b)| b).collect();
    let is_nb = |b: &Option<Constraint>| {
        matches!(b, Some(Constraint::Notebooks | Constraint::NotebookHandout))
    };
    let first_vpn = seq
        .iter()
        .position(|b| *b == Some(Constraint::Licences))
        .expect("VPN accounts bind");
    let nb_after = seq[first_vpn..]
        .iter()
        .position(is_nb)
        .expect("then notebooks bind")
        + first_vpn;
    assert!(
        seq[nb_after..].contains(&Some(Constraint::Licences)),
        "the VPN binds again later (before the >7,000 expansion)"
    );
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
