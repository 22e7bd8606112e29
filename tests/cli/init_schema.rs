//! `rapt init` and `rapt schema`, and the checked-in `scenario.schema.json`.

use crate::common::{json, rapt, root, run};

#[test]
fn init_writes_the_starter_and_it_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(rapt().current_dir(dir.path()).args(["init", "my.yaml"]));
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(out.stdout.contains("wrote my.yaml"), "{}", out.both());
    let written = std::fs::read_to_string(dir.path().join("my.yaml")).unwrap();
    assert_eq!(written, rapt::scenario::STARTER);

    // The first line points editors at a schema beside the file, which the message says how
    // to write: written so, it is the checked-in schema.
    assert_eq!(
        written.lines().next(),
        Some("# yaml-language-server: $schema=scenario.schema.json")
    );
    assert!(
        out.stdout.contains("rapt schema > scenario.schema.json"),
        "{}",
        out.both()
    );
    let schema = run(rapt().arg("schema"));
    assert_eq!(
        schema.stdout,
        std::fs::read_to_string(root().join("scenario.schema.json")).unwrap()
    );

    let check = run(rapt().current_dir(dir.path()).args(["validate", "my.yaml"]));
    assert_eq!(check.code, 0, "{}", check.both());
    assert!(
        check
            .stdout
            .contains("my.yaml: valid (0 errors, 0 warnings)")
    );

    let strict =
        run(rapt()
            .current_dir(dir.path())
            .args(["validate", "--deny-warnings", "my.yaml"]));
    assert_eq!(
        strict.code,
        0,
        "the starter has no warnings\n{}",
        strict.both()
    );
}

#[test]
fn init_defaults_to_scenario_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(rapt().current_dir(dir.path()).arg("init"));
    assert_eq!(out.code, 0, "{}", out.both());
    assert!(dir.path().join("scenario.yaml").is_file());
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keep.yaml");
    std::fs::write(&path, "my own work\n").unwrap();
    let out = run(rapt().current_dir(dir.path()).args(["init", "keep.yaml"]));
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(
        out.stderr.contains("keep.yaml already exists"),
        "{}",
        out.both()
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "my own work\n",
        "the file is unchanged"
    );
}

#[test]
fn init_into_a_missing_directory_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(rapt()
        .current_dir(dir.path())
        .args(["init", "no/such/dir/s.yaml"]));
    assert_eq!(out.code, 1, "{}", out.both());
    assert!(out.stderr.contains("cannot create"), "{}", out.both());
}

#[test]
fn schema_is_draft_07_json() {
    let out = run(rapt().arg("schema"));
    assert_eq!(out.code, 0, "{}", out.both());
    let schema = json(&out);
    let draft = schema["$schema"].as_str().expect("a `$schema` string");
    assert!(draft.contains("draft-07"), "$schema is {draft}");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required fields")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for field in ["meta", "run", "pools"] {
        assert!(
            required.contains(&field),
            "`{field}` is required: {required:?}"
        );
    }
    for section in [
        "meta", "run", "staff", "paths", "pools", "policy", "observed",
    ] {
        assert!(
            schema["properties"].get(section).is_some(),
            "the schema describes `{section}`"
        );
    }
}

/// Editors load `scenario.schema.json` from the repository; it must match what the code says.
#[test]
fn checked_in_schema_matches_rapt_schema() {
    let out = run(rapt().arg("schema"));
    assert_eq!(out.code, 0, "{}", out.both());
    let path = root().join("scenario.schema.json");
    let regenerate = "regenerate it with `cargo run --quiet -- schema > scenario.schema.json` \
                      and commit the result";
    let checked_in = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}; {regenerate}", path.display()));
    let checked_in = checked_in.replace("\r\n", "\n");
    if checked_in != out.stdout {
        let first_difference = checked_in
            .lines()
            .zip(out.stdout.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1)
            .unwrap_or_else(|| checked_in.lines().count().min(out.stdout.lines().count()) + 1);
        panic!(
            "scenario.schema.json is out of date with `rapt schema` (first difference at line \
             {first_difference}); {regenerate}"
        );
    }
}

#[test]
fn init_dash_prints_the_starter() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.yaml");
    let r = run(rapt().arg("init").arg(&file));
    assert_eq!(r.code, 0, "{}", r.both());
    let r = run(rapt().current_dir(dir.path()).args(["init", "-"]));
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(r.stdout, std::fs::read_to_string(&file).unwrap());
    assert!(!dir.path().join("-").exists(), "no file named -");
}

/// Each shell's script is generated; bash loads its own and then completes `rapt`.
#[test]
fn completions_for_every_shell_and_bash_loads_them() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(rapt().args(["completions", shell]));
        assert_eq!(r.code, 0, "{shell}: {}", r.both());
        assert!(r.stdout.contains("simulate"), "{shell}: {}", r.stdout);
        assert!(
            r.stdout.contains("--shard"),
            "{shell}: every flag completes"
        );
    }
    let r = run(rapt().args(["completions", "bash"]));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("rapt.bash");
    std::fs::write(&script, &r.stdout).unwrap();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && complete -p rapt", script.display()))
        .output()
        .expect("bash runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("complete") && said.contains(" rapt"),
        "{said}"
    );
}

#[test]
fn man_page_holds_every_command_and_its_flags() {
    let r = run(rapt().arg("man"));
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.starts_with(".ie") || r.stdout.contains(".TH rapt"),
        "{}",
        &r.stdout[..200.min(r.stdout.len())]
    );
    for needle in [
        "RAPT SIMULATE",
        "RAPT MERGE",
        "\\-\\-shard",
        "\\-\\-fail\\-on\\-breach",
    ] {
        assert!(
            r.stdout.contains(needle),
            "{needle} missing from the man page"
        );
    }
}
