//! Writing a scenario: the chain of shares shown per group, and groups nobody of which works
//! remotely without the fields only remote workers need.

use std::io::Write as _;

use crate::common::{json, rapt, run, starter_with};

fn file_with(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// The chain of shares of a scenario's simulation, as JSON (`summary.staff_chain`) and as
/// the table prints it: the whole table output and the `office` row's cells.
struct Chain {
    json: serde_json::Value,
    stdout: String,
    office: Vec<String>,
}

fn chain_of(text: &str) -> Chain {
    let file = file_with(text);
    let r = run(rapt()
        .arg("simulate")
        .arg(file.path())
        .args(["-n", "2", "-q", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let json = json(&r)["summary"]["staff_chain"].clone();
    let r = run(rapt()
        .arg("simulate")
        .arg(file.path())
        .args(["-n", "2", "-q"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let office = r
        .stdout
        .lines()
        .find(|l| l.starts_with("| office"))
        .unwrap_or_else(|| panic!("{}", r.stdout))
        .split('|')
        .map(|c| c.trim().to_string())
        .collect();
    Chain {
        json,
        stdout: r.stdout,
        office,
    }
}

#[test]
fn the_chain_of_shares_is_shown_per_group() {
    // 60% suitable, 60% to enable, 60% at home: 10,000 × 0.6 × 0.6 × 0.6 = 2,160 at home, and
    // the remote demand is 6,000 × 0.6 = 3,600 (everyone suitable, enabled or not).
    let text = starter_with(&[
        ("headcount: 2000", "headcount: 10000"),
        ("remote_suitable: 80%", "remote_suitable: 60%"),
        ("remote_share: 90%", "remote_share: 60%"),
        ("enable_target: 100%", "enable_target: 60%"),
    ]);
    let c = chain_of(&text);
    let chain = &c.json;
    assert_eq!(chain["phase"], "lockdown", "{chain}");
    let g = &chain["groups"][0];
    assert_eq!(g["group"], "office");
    assert_eq!(g["headcount"], 10000);
    assert_eq!(g["suitable"], 6000);
    assert_eq!(g["enabled_goal"], 3600);
    assert!(
        (g["at_home"].as_f64().unwrap() - 2160.0).abs() < 1e-9,
        "{g}"
    );
    assert!((g["demand"].as_f64().unwrap() - 3600.0).abs() < 1e-9, "{g}");
    assert_eq!(
        c.office[1..8],
        [
            "office",
            "10000",
            "60% = 6000",
            "60% = 3600",
            "60%",
            "2160",
            "3600"
        ],
        "{:?}",
        c.office
    );
    assert!(
        c.stdout.contains(
            "(phase lockdown): headcount × remote_suitable × enable_target × remote_share"
        ),
        "{}",
        c.stdout
    );
}

/// Staff enabled on the first day count even when the phase's target asks for fewer: with
/// 1,000 of 1,600 suitable enabled at the start and a 50% target (800), 1,000 × 90% are at
/// home, and the chain says where the 1,000 come from.
#[test]
fn staff_enabled_at_the_start_count_when_the_target_asks_for_fewer() {
    let text = starter_with(&[
        ("enabled: 100 ", "enabled: 1000"),
        ("enable_target: 100%", "enable_target: 50%"),
    ]);
    let c = chain_of(&text);
    let g = &c.json["groups"][0];
    assert_eq!(g["suitable"], 1600, "{g}");
    assert_eq!(g["target_staff"], 800, "{g}");
    assert_eq!(g["enabled_at_start"], 1000, "{g}");
    assert_eq!(g["enabled_goal"], 1000, "{g}");
    assert!((g["at_home"].as_f64().unwrap() - 900.0).abs() < 1e-9, "{g}");
    assert_eq!(
        c.office[3..7],
        ["80% = 1600", "1000 enabled at start", "90%", "900"],
        "{:?}",
        c.office
    );
}

/// Staff enabled to meet an earlier phase's target stay enabled in a later phase that sets
/// none: 50% at home in the lockdown, then 90% of all 1,600 suitable staff from 13 April.
#[test]
fn staff_enabled_by_an_earlier_phase_stay_enabled() {
    let later = "enable_target: 100%   # of the remote-SUITABLE staff, enabled during this phase\n  \
                 relaxed:\n    from: 2020-04-13\n    remote_share: 90%";
    let text = starter_with(&[
        (
            "remote_share: 90%     # of the ENABLED",
            "remote_share: 50%     # of the ENABLED",
        ),
        (
            "enable_target: 100%   # of the remote-SUITABLE staff, enabled during this phase",
            later,
        ),
    ]);
    let c = chain_of(&text);
    let chain = &c.json;
    assert_eq!(chain["phase"], "relaxed", "{chain}");
    let g = &chain["groups"][0];
    assert_eq!(g["enable_target"], 0.0, "{g}");
    assert_eq!(g["enabled_by_earlier_phases"], 1600, "{g}");
    assert_eq!(g["enabled_goal"], 1600, "{g}");
    assert!(
        (g["at_home"].as_f64().unwrap() - 1440.0).abs() < 1e-9,
        "{g}"
    );
    assert_eq!(
        c.office[4..7],
        ["1600 by an earlier phase", "90%", "1440"],
        "{:?}",
        c.office
    );
}

#[test]
fn a_group_nobody_of_which_works_remotely_needs_no_login_session_or_access() {
    let fire = "staff:\n  fire:\n    headcount: 500\n    remote_suitable: 0%\n  office:";
    let text = starter_with(&[("staff:\n  office:", fire)]);
    let file = file_with(&text);
    let r = run(rapt().arg("validate").arg(file.path()));
    assert_eq!(r.code, 0, "{}", r.both());
    let r = run(rapt()
        .arg("simulate")
        .arg(file.path())
        .args(["-n", "2", "-q", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.both());
    let fire_chain = &json(&r)["summary"]["staff_chain"]["groups"][0];
    assert_eq!(fire_chain["suitable"], 0);
    assert_eq!(fire_chain["at_home"], 0.0);
    // 10% suitable: 50 people work remotely, so each missing field is an error, located.
    let text = starter_with(&[("staff:\n  office:", &fire.replace("0%", "10%"))]);
    let file = file_with(&text);
    let r = run(rapt()
        .arg("validate")
        .arg(file.path())
        .args(["--format", "json"]));
    assert_eq!(r.code, 1, "{}", r.both());
    let found = json(&r);
    let paths: Vec<&str> = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "staff.fire.login",
            "staff.fire.session",
            "staff.fire.access"
        ],
        "{found}"
    );
    // Each points into the group (its first line, as for any missing field).
    let group_line = text.lines().position(|l| l == "  fire:").unwrap() + 1;
    for f in found["findings"].as_array().unwrap() {
        assert_eq!(f["line"], group_line + 1, "{f}");
    }
}

#[test]
fn five_type_errors_on_five_lines_come_in_one_run_with_hints() {
    let text = starter_with(&[
        ("start: 2020-03-16", "start: 16.03.2020"),
        ("headcount: 2000", "headcount: 2,000"),
        ("bandwidth: 250kbit/s", "bandwith: 250kbit/s"),
        ("stock: 200\n", "stock: lots\n"),
        ("    kind: vpn\n", "    kind: VPN\n"),
    ]);
    let file = file_with(&text);
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let r = run(rapt()
        .arg("validate")
        .arg(file.path())
        .args(["--format", "json"]));
    assert_eq!(r.code, 1, "{}", r.both());
    let found = json(&r);
    let findings = found["findings"].as_array().unwrap();
    let got: Vec<(u64, &str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["path"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    let want = [
        (
            line_of("16.03.2020"),
            "run.start",
            "`16.03.2020` is not a date; did you mean `2020-03-16`?",
        ),
        (
            line_of("2,000"),
            "staff.office.headcount",
            "found `2,000`; did you mean `2000`? (no thousands separators)",
        ),
        (
            line_of("bandwith"),
            "staff.office.bandwith",
            "unknown field `bandwith`; did you mean `bandwidth`?",
        ),
        (
            line_of("stock: lots"),
            "devices.notebooks.stock",
            "found `lots`",
        ),
        (
            line_of("kind: VPN"),
            "pools.vpn.kind",
            "unknown value `VPN`; did you mean `vpn`?",
        ),
    ];
    assert_eq!(got.len(), 5, "{found}");
    for ((line, path, message), (want_line, want_path, want_message)) in got.iter().zip(want) {
        assert_eq!(
            (*line as usize, *path, *message),
            (want_line, want_path, want_message)
        );
    }
    assert!(
        findings
            .iter()
            .all(|f| f["kind"] == "type" && f["column"].is_u64())
    );
    assert_eq!(found["files"][0]["errors"], 5);
}

#[test]
fn recovery_keeps_list_items_columns_and_units_right() {
    // An unknown key opening a list item, two errors on one flow line (one after a patch that
    // changes the line's length, with multibyte text), a duration and a rate without units.
    let text = starter_with(&[
        (
            "      - path: vpn-notebook\n        enabled: 100      # already enabled on the first day",
            "      - colour: red\n        path: vpn-notebook\n        enabled: 100",
        ),
        (
            "  hardware: { stock: 300, handout_per_day: 100 }",
            "  hardware: { stock: \"viele viele\", handout_per_day: ÄÖÜ }",
        ),
        ("horizon: 60d", "horizon: 60 Tage"),
        ("rate: 600/min", "rate: 600 pro Minute"),
    ]);
    let file = file_with(&text);
    let r = run(rapt()
        .arg("validate")
        .arg(file.path())
        .args(["--format", "json"]));
    assert_eq!(r.code, 1, "{}", r.both());
    let found = json(&r);
    let got: Vec<(String, u64)> = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let flow = text.lines().find(|l| l.contains("ÄÖÜ")).unwrap();
    let col = |s: &str| flow[..flow.find(s).unwrap()].chars().count() as u64 + 1;
    assert_eq!(
        got,
        [
            ("run.horizon".to_string(), 12),
            ("staff.office.access[0].colour".to_string(), 9),
            ("tokens.hardware.stock".to_string(), col("\"viele")),
            ("tokens.hardware.handout_per_day".to_string(), col("ÄÖÜ")),
            ("auth.rate".to_string(), 9),
        ],
        "{found}"
    );
}
