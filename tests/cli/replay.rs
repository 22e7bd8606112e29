//! `rapt replay`: published figures against the simulation, and the `--check` gate.

use crate::common::{json, rapt, root, run};

fn scenario(name: &str) -> String {
    root().join("scenarios").join(name).display().to_string()
}

#[test]
fn stuttgart_and_munich_replay_their_published_figures() {
    for name in ["stuttgart-2020.yaml", "munich-2020.yaml", "thuringia.yaml"] {
        let r = run(rapt().args([
            "replay",
            &scenario(name),
            "--check",
            "-n",
            "6",
            "-q",
            "--format",
            "json",
        ]));
        assert_eq!(r.code, 0, "{name}\n{}", r.both());
        let v = json(&r);
        let figures = v["figures"].as_array().expect("figures");
        assert!(figures.len() >= 3, "{name} publishes several figures");
        for f in figures {
            assert_eq!(f["within_tolerance"], true, "{name}: {f}");
            assert!(f["simulated"]["p95"].as_f64() >= f["p5"].as_f64());
        }
    }
}

#[test]
fn check_fails_when_a_figure_is_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(scenario("stuttgart-2020.yaml")).expect("read");
    // Pretend the press release had reported 3,000 people at home on 15 April 2020.
    let off = text.replacen("value: 2000", "value: 3000", 1);
    assert_ne!(off, text, "the scenario records the 2,000 remote workers");
    let file = dir.path().join("off.yaml");
    std::fs::write(&file, off).expect("write");
    let f = file.display().to_string();
    let r = run(rapt().args(["replay", &f, "--check", "-n", "4", "-q"]));
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stdout.contains("OUTSIDE"), "{}", r.both());
    let loose = run(rapt().args([
        "replay",
        &f,
        "--check",
        "--tolerance",
        "60%",
        "-n",
        "4",
        "-q",
    ]));
    assert_eq!(
        loose.code,
        0,
        "a wider --tolerance accepts the figure\n{}",
        loose.both()
    );
    assert_eq!(
        run(rapt().args(["replay", &f, "-n", "4", "-q"])).code,
        0,
        "without --check it only reports"
    );
    assert_eq!(
        run(rapt().args(["replay", &f, "--tolerance", "lots"])).code,
        2
    );
}
