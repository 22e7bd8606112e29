//! `rapt validate`: output formats, warnings, standard input, odd inputs and usage errors.

use std::io::Write as _;

use crate::common::{invalid_dir, json, rapt, root, run, starter_with, warnings_dir};

const FINDING_FIELDS: [&str; 7] = [
    "severity", "file", "line", "column", "path", "message", "expected",
];

/// A scenario with exactly three semantic errors (and nothing else wrong).
fn three_errors() -> String {
    starter_with(&[
        ("replications: 20", "replications: 0"),
        ("remote_suitable: 80%", "remote_suitable: 150%"),
        ("interval: 5min", "interval: 7min"),
    ])
}

#[test]
fn the_starter_scenario_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("starter.yaml");
    std::fs::write(&file, rapt::scenario::STARTER).unwrap();
    let out = run(rapt().arg("validate").arg(&file));
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(
        out.stdout.contains("valid (0 errors, 0 warnings)"),
        "{}",
        out.both()
    );
    let quiet = run(rapt().args(["validate", "--quiet"]).arg(&file));
    assert_eq!(quiet.code, 0, "{}", quiet.both());
    assert_eq!(quiet.stdout, "", "--quiet prints nothing for a valid file");
}

#[test]
fn json_output_has_one_record_per_finding_and_a_summary_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, three_errors()).unwrap();
    let good = dir.path().join("good.yaml");
    std::fs::write(&good, rapt::scenario::STARTER).unwrap();
    let out = run(rapt().current_dir(dir.path()).args([
        "validate",
        "--format",
        "json",
        "bad.yaml",
        "good.yaml",
    ]));
    assert_eq!(out.code, 1, "{}", out.both());
    let doc = json(&out);
    let obj = doc.as_object().expect("a JSON object");
    assert!(
        obj.contains_key("findings") && obj.contains_key("files"),
        "{doc:#}"
    );

    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3, "{doc:#}");
    for f in findings {
        for field in FINDING_FIELDS {
            assert!(f.get(field).is_some(), "finding lacks `{field}`: {f:#}");
        }
        assert_eq!(f["severity"], "error");
        assert_eq!(f["file"], "bad.yaml");
        assert!(f["line"].as_u64().is_some_and(|l| l > 0), "{f:#}");
        assert!(f["column"].as_u64().is_some_and(|c| c > 0), "{f:#}");
        assert!(f["expected"].is_string(), "{f:#}");
    }
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "run.replications",
            "run.interval",
            "staff.office.remote_suitable"
        ],
        "findings in file order"
    );
    let lines: Vec<u64> = findings
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [18, 20, 25]);

    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], "bad.yaml");
    assert_eq!(files[0]["valid"], false);
    assert_eq!(files[0]["errors"], 3);
    assert_eq!(files[0]["warnings"], 0);
    assert_eq!(files[1]["file"], "good.yaml");
    assert_eq!(files[1]["valid"], true);
    assert_eq!(files[1]["errors"], 0);
}

#[test]
fn json_output_of_a_file_level_error_has_no_location() {
    let out = run(rapt().current_dir(invalid_dir()).args([
        "validate",
        "--format",
        "json",
        "41-empty.yaml",
    ]));
    assert_eq!(out.code, 1, "{}", out.both());
    let doc = json(&out);
    let f = &doc["findings"][0];
    assert_eq!(f["file"], "41-empty.yaml");
    assert!(
        f["line"].is_null() && f["column"].is_null() && f["path"].is_null(),
        "{f:#}"
    );
    assert_eq!(f["message"], "is empty");
}

#[test]
fn all_semantic_errors_of_a_file_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("three.yaml");
    std::fs::write(&file, three_errors()).unwrap();
    let out = run(rapt()
        .current_dir(dir.path())
        .args(["validate", "three.yaml"]));
    assert_eq!(out.code, 1, "{}", out.both());
    let errors: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 3, "{}", out.both());
    assert!(errors[0].starts_with("error: three.yaml:18:17: run.replications: "));
    assert!(errors[1].starts_with("error: three.yaml:20:13: run.interval: "));
    assert!(errors[2].starts_with("error: three.yaml:25:22: staff.office.remote_suitable: "));
    assert!(
        out.stdout
            .contains("three.yaml: invalid (3 errors, 0 warnings)")
    );
}

#[test]
fn deny_warnings_fails_a_file_that_only_has_warnings() {
    for (file, path, text) in [
        (
            "unused-pool.yaml",
            "pools.rds",
            "pool `rds` is not used by any access path",
        ),
        (
            "licences-below-tunnels.yaml",
            "pools.vpn.licences",
            "900 concurrent licences are fewer than the 1000 sessions",
        ),
        (
            "logins-outside-the-day.yaml",
            "staff.office.login",
            "15.9% of logins of group `office` fall outside 00:00–24:00; they are drawn from the distribution truncated to the day",
        ),
        (
            "unsafe-pool-name.yaml",
            "pools.x/../../pwned",
            "pool name `x/../../pwned` contains `/`; expected a name of letters, digits, spaces, `_`, `-` and `.` only",
        ),
    ] {
        let plain = run(rapt().current_dir(warnings_dir()).args(["validate", file]));
        assert_eq!(
            plain.code,
            0,
            "{file} without --deny-warnings\n{}",
            plain.both()
        );
        assert!(
            plain
                .stdout
                .lines()
                .any(|l| l.starts_with(&format!("warning: {file}:"))
                    && l.contains(&format!(": {path}: {text}"))),
            "{}",
            plain.both()
        );
        assert!(
            plain
                .stdout
                .contains(&format!("{file}: valid (0 errors, 1 warning)"))
        );

        let denied =
            run(rapt()
                .current_dir(warnings_dir())
                .args(["validate", "--deny-warnings", file]));
        assert_eq!(
            denied.code,
            1,
            "{file} with --deny-warnings\n{}",
            denied.both()
        );
        assert!(
            denied
                .stdout
                .contains(&format!("{file}: invalid (0 errors, 1 warning)"))
        );

        let as_json = run(rapt().current_dir(warnings_dir()).args([
            "validate",
            "--deny-warnings",
            "--format",
            "json",
            file,
        ]));
        assert_eq!(as_json.code, 1, "{}", as_json.both());
        let doc = json(&as_json);
        assert_eq!(doc["files"][0]["valid"], false);
        assert_eq!(doc["findings"][0]["severity"], "warning");
        assert_eq!(doc["findings"][0]["path"], path);
        assert_eq!(doc["findings"][0]["denied"], true);
    }
}

#[test]
fn valid_and_invalid_files_together_fail_and_report_each() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.yaml"), rapt::scenario::STARTER).unwrap();
    std::fs::write(dir.path().join("bad.yaml"), three_errors()).unwrap();
    let out = run(rapt()
        .current_dir(dir.path())
        .args(["validate", "good.yaml", "bad.yaml"]));
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(
        out.stdout
            .contains("good.yaml: valid (0 errors, 0 warnings)")
    );
    assert!(
        out.stdout
            .contains("bad.yaml: invalid (3 errors, 0 warnings)")
    );
}

#[test]
fn a_directory_is_not_a_scenario() {
    let out = run(rapt().current_dir(invalid_dir()).args(["validate", "."]));
    assert_eq!(out.code, 3, "{}", out.both());
    assert!(
        out.stdout
            .contains("error: .: is a directory; expected a scenario file (YAML)"),
        "{}",
        out.both()
    );
}

#[test]
fn a_missing_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(rapt()
        .current_dir(dir.path())
        .args(["validate", "no-such-file.yaml"]));
    assert_eq!(out.code, 3, "{}", out.both());
    assert!(
        out.stdout
            .contains("error: no-such-file.yaml: cannot be read: no such file"),
        "{}",
        out.both()
    );
}

/// Over 4 MiB: generated here rather than committed.
#[test]
fn a_file_over_4_mib_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(rapt::scenario::STARTER.as_bytes()).unwrap();
    let filler = format!("# {}\n", "x".repeat(1021)); // 1 KiB per line
    while file.metadata().unwrap().len() <= rapt::scenario::MAX_FILE_BYTES as u64 {
        file.write_all(filler.as_bytes()).unwrap();
    }
    drop(file);
    let expected = "error: huge.yaml: is larger than the limit of 4 MiB for a scenario file";
    let out = run(rapt()
        .current_dir(dir.path())
        .args(["validate", "huge.yaml"]));
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(out.stdout.contains(expected), "{}", out.both());

    let text = std::fs::read(&path).unwrap();
    let out = run(rapt().args(["validate", "-"]).write_stdin(text));
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(
        out.stdout
            .contains("error: <stdin>: is larger than the limit of 4 MiB for a scenario file"),
        "{}",
        out.both()
    );
}

#[test]
fn standard_input_valid() {
    let out = run(rapt()
        .args(["validate", "-"])
        .write_stdin(rapt::scenario::STARTER));
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(out.stdout.contains("<stdin>: valid (0 errors, 0 warnings)"));
}

#[test]
fn standard_input_invalid() {
    let text = starter_with(&[("remote_suitable: 80%", "remote_suitable: 150%")]);
    let out = run(rapt().args(["validate", "-"]).write_stdin(text));
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(
        out.stdout.lines().any(|l| l.starts_with(
            "error: <stdin>:25:22: staff.office.remote_suitable: found 150% (1.5); expected a share from 0% to 100%"
        )),
        "{}",
        out.both()
    );
    assert!(
        out.stdout
            .contains("<stdin>: invalid (1 error, 0 warnings)")
    );
}

#[test]
fn standard_input_with_a_file() {
    let out = run(rapt()
        .current_dir(invalid_dir())
        .args(["validate", "-", "20-replications-zero.yaml"])
        .write_stdin(rapt::scenario::STARTER));
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(out.stdout.contains("<stdin>: valid (0 errors, 0 warnings)"));
    assert!(
        out.stdout
            .contains("20-replications-zero.yaml: invalid (1 error, 0 warnings)")
    );
}

#[test]
fn standard_input_twice_is_a_usage_error() {
    let out = run(rapt()
        .args(["validate", "-", "-"])
        .write_stdin(rapt::scenario::STARTER));
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(
        out.stderr
            .contains("`-` (standard input) can be given only once"),
        "{}",
        out.both()
    );
    assert_eq!(out.stdout, "", "nothing is validated");
}

#[test]
fn no_file_is_a_usage_error() {
    let out = run(rapt().arg("validate"));
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(out.stderr.contains("<FILE>"), "{}", out.both());
    assert!(out.stderr.contains("Usage:"), "{}", out.both());
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let out =
        run(rapt()
            .current_dir(warnings_dir())
            .args(["validate", "--bogus", "unused-pool.yaml"]));
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(
        out.stderr.contains("unexpected argument '--bogus'"),
        "{}",
        out.both()
    );
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let out = run(rapt().current_dir(warnings_dir()).args([
        "validate",
        "--format",
        "xml",
        "unused-pool.yaml",
    ]));
    assert_eq!(out.code, 2, "{}", out.both());
    assert!(out.stderr.contains("xml"), "{}", out.both());
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let out = run(&mut rapt());
    assert_eq!(out.code, 2, "{}", out.both());
}

/// The share of a group's logins outside 00:00–24:00, exactly from the distribution function:
/// more than 1% is a warning naming the group and the share, up to 1% is silent.
#[test]
fn logins_outside_the_day_are_a_warning_above_one_percent() {
    for (login, share) in [
        (r#"{ normal: { mean: "19:00", sd: 2h } }"#, None), // 0.6%
        (r#"{ normal: { mean: "20:00", sd: 2h } }"#, Some("2.3%")),
        (r#"{ uniform: { min: "22:00", max: 25h } }"#, Some("33.3%")),
        (r#"{ exponential: { mean: 8h } }"#, Some("5.0%")),
        (
            r#"{ lognormal: { median: 12h, sigma: 0.5 } }"#,
            Some("8.3%"),
        ),
        (
            r#"{ empirical: { points: [{ value: "08:00", weight: 9 }, { value: 24h30m, weight: 1 }] } }"#,
            Some("10.0%"),
        ),
        (
            r#"{ empirical: { points: [{ value: 25h, weight: 1 }] } }"#,
            Some("100.0%"),
        ),
    ] {
        let text = starter_with(&[(
            r#"login: { normal: { mean: "08:00", sd: 45min } }"#,
            &format!("login: {login}"),
        )]);
        let out = run(rapt().args(["validate", "-"]).write_stdin(text.clone()));
        assert_eq!(out.code, 0, "{login}\n{}", out.both());
        let denied = run(rapt()
            .args(["validate", "--deny-warnings", "-"])
            .write_stdin(text));
        match share {
            None => {
                assert!(
                    out.stdout.contains("<stdin>: valid (0 errors, 0 warnings)"),
                    "{login}\n{}",
                    out.both()
                );
                assert_eq!(denied.code, 0, "{login}\n{}", denied.both());
            }
            Some(share) => {
                let expected = format!(
                    "warning: <stdin>:26:5: staff.office.login: {share} of logins of group `office` fall outside 00:00–24:00; they are drawn from the distribution truncated to the day"
                );
                assert!(
                    out.stdout.lines().any(|l| l == expected),
                    "{login}: no line `{expected}`\n{}",
                    out.both()
                );
                assert!(
                    out.stdout.contains("<stdin>: valid (0 errors, 1 warning)"),
                    "{login}\n{}",
                    out.both()
                );
                assert_eq!(denied.code, 1, "{login}\n{}", denied.both());
            }
        }
    }
}

/// Staff enabled on the first day over all paths of a pool with named licences need a licence
/// each (licences added by expansions on the first day count); a group's initial enablements over
/// all its paths are bounded by headcount × remote_suitable.
#[test]
fn initial_enablements_above_named_licences_or_suitable_staff_are_errors() {
    const SUPPORT: &str = "      - path: web-portal\n  support:\n    headcount: 500\n    remote_suitable: 100%\n    login: { normal: { mean: \"09:00\", sd: 30min } }\n    session: { lognormal: { median: 4h, sigma: 0.4 } }\n    access:\n      - path: vpn-notebook\n        enabled: SUPPORT\n      - path: web-portal\n        enabled: 50\n";
    let named = (
        "    licences: 500\n    expansions:",
        "    licences: 500\n    licence_model: named\n    expansions:",
    );
    let scenario = |support: u64, first_day_expansion: bool| {
        let group = SUPPORT.replace("SUPPORT", &support.to_string());
        let date = if first_day_expansion {
            "2020-03-16"
        } else {
            "2020-03-25"
        };
        starter_with(&[
            named,
            ("      - path: web-portal\n", &group),
            (
                "{ date: 2020-03-25, tunnels: 500, licences: 500 }",
                &format!("{{ date: {date}, tunnels: 500, licences: 500 }}"),
            ),
        ])
    };
    let validate = |text: String| run(rapt().args(["validate", "-"]).write_stdin(text));

    // 100 (office) + 400 (support) on vpn-notebook: exactly the 500 named licences. The 50 on
    // web-portal use pool rds and do not count.
    let at_limit = validate(scenario(400, false));
    assert_eq!(at_limit.code, 0, "{}", at_limit.both());

    let over = validate(scenario(401, false));
    assert_eq!(over.code, 1, "{}", over.both());
    let errors: Vec<&str> = over
        .stdout
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", over.both());
    assert!(
        errors[0].starts_with("error: <stdin>:")
            && errors[0].contains(": pools.vpn.licences: 501 staff are enabled initially on paths of this pool (vpn-notebook), but it has 500 named licences; expected at most 500 staff"),
        "{}",
        over.both()
    );
    let line = errors[0].split(':').nth(2).unwrap();
    let text = scenario(401, false);
    assert_eq!(
        text.lines().nth(line.parse::<usize>().unwrap() - 1),
        Some("    licences: 500"),
        "located at the pool's licences"
    );

    // Licences added on the first day count; later ones do not.
    let first_day = validate(scenario(401, true));
    assert_eq!(first_day.code, 0, "{}", first_day.both());

    // Concurrent licences do not bound enablements.
    let concurrent = validate(scenario(401, false).replace("    licence_model: named\n", ""));
    assert_eq!(concurrent.code, 0, "{}", concurrent.both());

    // A group's enablements over all its paths: 100 + 1501 > 1600 suitable of 2000 at 80%.
    let group = validate(starter_with(&[(
        "      - path: web-portal\n",
        "      - path: web-portal\n        enabled: 1501\n",
    )]));
    assert_eq!(group.code, 1, "{}", group.both());
    assert!(
        group.stdout.lines().any(|l| l
            == "error: <stdin>:29:5: staff.office.access: 1601 staff are enabled initially on this group's paths, but only 1600 are remote-suitable (headcount 2000 × remote_suitable 80%); expected at most 1600 enabled (headcount × remote_suitable)"),
        "{}",
        group.both()
    );
    assert!(
        group
            .stdout
            .contains("<stdin>: invalid (1 error, 0 warnings)"),
        "{}",
        group.both()
    );
}

/// Validates `text` as `NAME.yaml` and returns the output; the file must be invalid.
fn invalid(name: &str, text: &str) -> crate::common::Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join(format!("{name}.yaml"));
    std::fs::write(&file, text).expect("write");
    let out = run(rapt()
        .current_dir(dir.path())
        .args(["validate", &format!("{name}.yaml")]));
    assert_eq!(out.code, 1, "{name}\n{}", out.both());
    out
}

/// Asserts one error of `out` starts `error: NAME.yaml:LINE:COL: PATH: ` and contains `text`.
fn has_error(out: &crate::common::Run, name: &str, path: &str, text: &str) {
    let prefix = format!("error: {name}.yaml:");
    assert!(
        out.stdout.lines().any(|l| l.starts_with(&prefix)
            && l.split_once(": ")
                .is_some_and(|(_, rest)| rest
                    .split_once(": ")
                    .is_some_and(|(loc, rest)| loc.contains(':')
                        && rest.starts_with(&format!("{path}: "))
                        && rest.contains(text)))),
        "{name}: no located error at {path} containing `{text}`\n{}",
        out.both()
    );
}

/// A case: its name, edits of the starter, the field of the one error, and its text.
type RangeCase<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str, &'a str);

#[test]
fn every_number_is_range_checked_with_its_field_and_limit() {
    let cases: &[RangeCase] = &[
        (
            "p95-too-far",
            &[("median: 7h30m, sigma: 0.35", "median: 1min, p95: 20d")],
            "staff.office.session.lognormal.p95",
            "p95 20d is 28800 times the median 1min (a sigma of 6.24); expected a p95 at most 3730 times the median (sigma at most 5)",
        ),
        (
            "p95-over-limit",
            &[("median: 7h30m, sigma: 0.35", "median: 7h30m, p95: 31d")],
            "staff.office.session.lognormal.p95",
            "found 31d; expected a p95 of at most 30d",
        ),
        (
            "mu-median-over-limit",
            &[("median: 7h30m, sigma: 0.35", "mu: 10, sigma: 0.35")],
            "staff.office.session.lognormal.mu",
            "found 10, a median of 22026h28m; expected mu of ln(hours) at most 6.58 (a median of at most 30d)",
        ),
        (
            "sd-over-limit",
            &[("sd: 45min", "sd: 31d")],
            "staff.office.login.normal.sd",
            "found 31d; expected a duration from 0 to 30d",
        ),
        (
            "delay-over-limit",
            &[(
                "{ date: 2020-03-30, quantity: 500 }",
                "{ date: 2020-03-30, quantity: 500, delay: { fixed: { value: 3661d } } }",
            )],
            "devices.notebooks.deliveries[0].delay.fixed.value",
            "found 3661d; expected a duration from 0 to 3660d",
        ),
        (
            "login-delay-over-limit",
            &[(
                "quantile: p95",
                "quantile: p95\n  max_login_delay: 9999999999999d",
            )],
            "service_level.max_login_delay",
            "found 9999999999999d; expected a duration from 0 to 30d",
        ),
        (
            "weight-over-limit",
            &[(
                "{ lognormal: { median: 7h30m, sigma: 0.35 } }",
                "{ empirical: { points: [{ value: 8h, weight: 1 }, { value: 9h, weight: 1e308 }] } }",
            )],
            "staff.office.session.empirical.points[1].weight",
            "found 1e308; expected a weight from 0 to 1e12",
        ),
        (
            "throughput-below-limit",
            &[("throughput: 1Gbit/s", "throughput: 0.001bit/s")],
            "pools.vpn.throughput",
            "expected a bandwidth from 1bit/s to 1000Tbit/s",
        ),
        (
            "expansion-throughput-over-limit",
            &[(
                "{ date: 2020-03-25, tunnels: 500, licences: 500 }",
                "{ date: 2020-03-25, tunnels: 500, licences: 500, throughput: 5000Tbit/s }",
            )],
            "pools.vpn.expansions[0].throughput",
            "expected a bandwidth from 1bit/s to 1000Tbit/s",
        ),
        (
            "auth-rate-over-limit",
            &[("rate: 600/min ", "rate: 2000000/s ")],
            "auth.rate",
            "expected a rate from 1/h to 1000000/s",
        ),
        (
            "licences-over-limit-after-expansions",
            &[(
                "{ date: 2020-03-25, tunnels: 500, licences: 500 }",
                "{ date: 2020-03-25, tunnels: 500, licences: 100000000 }",
            )],
            "pools.vpn",
            "reaches 100000500 licences after expansions; expected at most 100000000 licences",
        ),
        (
            "handout-over-limit",
            &[(
                "handout_per_day: 80",
                "handout_per_day: 18446744073709551615",
            )],
            "devices.notebooks.handout_per_day",
            "expected from 1 to 100000000 notebooks per day",
        ),
    ];
    for (name, edits, path, text) in cases {
        let out = invalid(name, &starter_with(edits));
        has_error(&out, name, path, text);
        assert!(
            out.stdout
                .contains(&format!("{name}.yaml: invalid (1 error, ")),
            "{name}: exactly one error\n{}",
            out.both()
        );
    }
}

#[test]
fn stationary_times_and_rates_are_range_checked() {
    let text = r#"meta: { name: stationary }
run: { start: 2024-01-01, horizon: 1d }
pools: { trunk: { kind: vpn, tunnels: 10 } }
stationary:
  pool: trunk
  arrival_rate: 2000000/s
  holding: { exponential: { mean: 3661d } }
  duration: 9999999999999d
  warmup: 3661d
"#;
    let out = invalid("stationary", text);
    for (path, found) in [
        (
            "stationary.arrival_rate",
            "expected a positive rate of at most 1000000/s",
        ),
        (
            "stationary.holding.exponential.mean",
            "found 3661d; expected a duration from 0 to 3660d",
        ),
        (
            "stationary.duration",
            "found 9999999999999d; expected a duration from 0 to 3660d",
        ),
        (
            "stationary.warmup",
            "found 3661d; expected a duration from 0 to 3660d",
        ),
    ] {
        has_error(&out, "stationary", path, found);
    }
}

#[test]
fn every_list_is_bounded() {
    let many = |item: &str, n: usize| vec![item; n].join(", ");
    let access = format!(
        "      - path: vpn-notebook\n        enabled: 100      # already enabled on the first day\n      - path: web-portal\n{}",
        "      - path: web-portal\n".repeat(10_000)
    );
    let groups: String = (0..1_001)
        .map(|i| format!("      g{i}: {{ remote_share: 50% }}\n"))
        .collect();
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "workdays",
            starter_with(&[(
                "workdays: [mon, tue, wed, thu, fri]",
                &format!("workdays: [{}]", many("mon", 10_001)),
            )]),
            "run.workdays",
            "has 10001 entries; expected at most 10000 entries",
        ),
        (
            "sources",
            starter_with(&[(
                "sources: []",
                &format!("sources: [{}]", many("{ publisher: a, title: b }", 10_001)),
            )]),
            "meta.sources",
            "has 10001 entries; expected at most 10000 entries",
        ),
        (
            "assumptions",
            starter_with(&[(
                "  assumptions:\n",
                &format!(
                    "  assumptions:\n{}",
                    "    - { field: run.seed, reason: r }\n".repeat(10_000)
                ),
            )]),
            "meta.assumptions",
            "has 10001 entries; expected at most 10000 entries",
        ),
        (
            "access",
            starter_with(&[(
                "      - path: vpn-notebook\n        enabled: 100      # already enabled on the first day\n      - path: web-portal\n",
                &access,
            )]),
            "staff.office.access",
            "has 10002 entries; expected at most 10000 entries",
        ),
        (
            "groups",
            starter_with(&[(
                "    enable_target: 100%   # of the remote-SUITABLE staff, enabled during this phase\n",
                &format!(
                    "    enable_target: 100%   # of the remote-SUITABLE staff, enabled during this phase\n    groups:\n{groups}"
                ),
            )]),
            "policy.lockdown.groups",
            "1001 groups; expected at most 1000 groups",
        ),
    ];
    for (name, text, path, found) in &cases {
        let out = invalid(name, text);
        has_error(&out, name, path, found);
    }
}

#[test]
fn capacity_zero_is_valid_only_when_an_expansion_opens_the_pool() {
    // Opened later: valid, without a warning.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("opens.yaml");
    std::fs::write(
        &file,
        starter_with(&[
            ("    tunnels: 500\n", "    tunnels: 0\n"),
            ("    hosts: 10\n", "    hosts: 0\n"),
        ]),
    )
    .expect("write");
    let ok = run(rapt().args(["validate", "--deny-warnings"]).arg(&file));
    assert_eq!(ok.code, 0, "{}", ok.both());
    // Never opened: hosts 0 and the only expansion adds none.
    let out = invalid(
        "never",
        &starter_with(&[
            ("    hosts: 10\n", "    hosts: 0\n"),
            (
                "{ date: 2020-03-30, hosts: 20 }",
                "{ date: 2020-03-30, throughput: 1Gbit/s }",
            ),
        ]),
    );
    has_error(
        &out,
        "never",
        "pools.rds.hosts",
        "found 0 hosts, and no expansion adds any; expected at least 1 hosts, or 0 with an entry under pools.rds.expansions that adds hosts",
    );
    // A stationary run uses the first day's capacity, so a pool that opens later is refused.
    let stationary = r#"meta: { name: stationary }
run: { start: 2024-01-01, horizon: 2d }
pools: { trunk: { kind: vpn, tunnels: 0, expansions: [{ date: 2024-01-02, tunnels: 10 }] } }
stationary:
  pool: trunk
  arrival_rate: 9/h
  holding: { exponential: { mean: 1h } }
  duration: 100h
"#;
    let out = invalid("stationary-opens-later", stationary);
    has_error(
        &out,
        "stationary-opens-later",
        "stationary.pool",
        "pool `trunk` has 0 tunnels on run.start 2024-01-01, but a stationary run uses the capacity of the first day",
    );
}

/// Tracked sources cost memory each; pooled (exponential) ones do not, so only the former are
/// bounded.
#[test]
fn many_stationary_sources_need_exponential_idle_times() {
    let dir = tempfile::tempdir().unwrap();
    let file = |idle: &str| {
        let path = dir.path().join(format!("s{}.yaml", idle.len()));
        std::fs::write(
            &path,
            format!(
                "meta: {{ name: sources }}\nrun: {{ start: 2024-01-01, horizon: 1d }}\npools: {{ trunk: {{ kind: vpn, tunnels: 10 }} }}\nstationary:\n  pool: trunk\n  sources: 2000000\n  idle: {idle}\n  holding: {{ exponential: {{ mean: 1h }} }}\n  duration: 1h\n  warmup: 1h\n"
            ),
        )
        .unwrap();
        path.display().to_string()
    };
    let tracked = run(rapt().args(["validate", &file("{ uniform: { min: 1000d, max: 3000d } }")]));
    assert_eq!(tracked.code, 1, "{}", tracked.both());
    assert!(
        tracked.both().contains("stationary.sources")
            && tracked
                .both()
                .contains("at most 1000000 sources unless `idle` is exponential"),
        "{}",
        tracked.both()
    );
    let pooled = run(rapt().args(["validate", &file("{ exponential: { mean: 2000d } }")]));
    assert_eq!(pooled.code, 0, "{}", pooled.both());
}

/// The starter with `entries` access entries in the office group, alternating between its two
/// paths: every entry after the first two lists a path twice (`entries - 2` errors, in order).
fn repeated_paths(entries: usize) -> String {
    let list: String = (0..entries)
        .map(|i| format!("      - path: {}\n", ["vpn-notebook", "web-portal"][i % 2]))
        .collect();
    starter_with(&[(
        "      - path: vpn-notebook\n        enabled: 100      # already enabled on the first day\n      - path: web-portal\n",
        &list,
    )])
}

/// Text output shows at most 100 findings per file, then one line counting the rest; JSON lists
/// every finding; the exit code still says the file is invalid.
#[test]
fn at_most_100_findings_per_file_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.yaml"), repeated_paths(502)).unwrap();
    std::fs::write(dir.path().join("few.yaml"), three_errors()).unwrap();
    let out = run(rapt()
        .current_dir(dir.path())
        .args(["validate", "many.yaml", "few.yaml"]));
    assert_eq!(out.code, 1, "{}", out.both());
    let lines: Vec<&str> = out.stdout.lines().collect();
    let errors: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 100 + 3, "{}", out.both());
    assert!(
        errors[0].starts_with("error: many.yaml:32:15: staff.office.access[2].path: path `vpn-notebook` is listed twice"),
        "{}",
        errors[0]
    );
    assert!(
        errors[99].starts_with("error: many.yaml:131:15: staff.office.access[101].path: "),
        "{}",
        errors[99]
    );
    let more: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with('…'))
        .collect();
    assert_eq!(
        more,
        [
            "… and 400 more findings in many.yaml (400 errors, 0 warnings); `rapt validate --format json` lists them all"
        ],
        "{}",
        out.both()
    );
    // The count line comes after the file's last shown finding, before its summary.
    let at = |needle: &str| lines.iter().position(|l| l.starts_with(needle)).unwrap();
    assert!(at("error: many.yaml:131:") < at("… and 400"));
    assert!(at("… and 400") < at("many.yaml: invalid (500 errors, 0 warnings)"));
    assert!(at("many.yaml: invalid") < at("error: few.yaml"));
    assert!(lines.len() < 103 * 6 + 10, "{} lines", lines.len());

    // JSON: every finding, and the counts.
    let json_out =
        run(rapt()
            .current_dir(dir.path())
            .args(["validate", "--format", "json", "many.yaml"]));
    assert_eq!(json_out.code, 1, "{}", json_out.both());
    let doc = json(&json_out);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 500);
    assert_eq!(doc["files"][0]["errors"], 500);
    assert_eq!(
        doc["findings"][499]["path"],
        "staff.office.access[501].path"
    );

    // Commands that run a scenario print its findings to stderr with the same cap.
    let sim = run(rapt()
        .current_dir(dir.path())
        .args(["simulate", "many.yaml", "-q"]));
    assert_eq!(sim.code, 3, "{}", sim.both());
    assert_eq!(
        sim.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .count(),
        100,
        "{}",
        sim.both()
    );
    assert!(
        sim.stderr
            .contains("… and 400 more findings in many.yaml (400 errors, 0 warnings)"),
        "{}",
        sim.both()
    );
}

/// The exit-code table of the README is the one `rapt --help` prints.
#[test]
fn readme_exit_codes_match_help() {
    let r = run(rapt().arg("--help"));
    assert_eq!(r.code, 0, "{}", r.both());
    let table = &r.stdout[r.stdout.find("Exit codes:").expect("help has the table")..];
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(table.trim_end()),
        "README's table differs from --help:\n{table}"
    );
}

/// Invalid input (3) and a failed check (1) differ in every command family.
#[test]
fn invalid_input_and_a_failed_check_exit_differently() {
    let broken = root()
        .join("tests/corpus/invalid/01-syntax-bad-indentation.yaml")
        .display()
        .to_string();
    let missing = "no-such-scenario.yaml";
    for cmd in [
        vec!["simulate"],
        vec!["replay", "--check"],
        vec!["plan"],
        vec!["size", "--pool", "vpn"],
        vec!["compare", &broken],
        vec!["calibrate"],
    ] {
        for file in [broken.as_str(), missing] {
            let r = run(rapt().args(&cmd).arg(file).arg("-q"));
            assert_eq!(r.code, 3, "{cmd:?} {file}: {}", r.both());
        }
    }
    let r = run(rapt().args(["validate", &broken]));
    assert_eq!(r.code, 1, "findings are a failed check: {}", r.both());
    let r = run(rapt().args(["validate", missing]));
    assert_eq!(
        r.code,
        3,
        "an unreadable file is invalid input: {}",
        r.both()
    );
    // Numbers a formula cannot take: 4 sources cannot offer 7 erlangs.
    let r = run(rapt().args(["erlang", "engset", "-N", "4", "-S", "4", "--load", "7"]));
    assert_eq!(r.code, 3, "{}", r.both());
    let r = run(rapt().args(["merge", missing]));
    assert_eq!(r.code, 3, "{}", r.both());
    // A breached service level (an outage drops more sessions than max_dropped allows).
    let outage = root()
        .join("tests/corpus/outage/two-gateways.yaml")
        .display()
        .to_string();
    let r = run(rapt().args(["simulate", &outage, "-q", "-n", "2", "--fail-on-breach"]));
    assert_eq!(r.code, 1, "{}", r.both());
}
