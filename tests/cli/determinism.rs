//! Determinism as a contract: for every command that simulates, the same scenario and seed
//! give the same bytes, on one thread or two, run after run.

use crate::common::{rapt, root, run};

#[test]
fn every_simulating_command_gives_the_same_bytes_whatever_the_threads() {
    let path = |p: &str| root().join(p).display().to_string();
    let stuttgart = path("scenarios/stuttgart-2020.yaml");
    let munich = path("scenarios/munich-2020.yaml");
    let storm = path("scenarios/bench/login-storm.yaml");
    let engset = path("scenarios/bench/engset.yaml");
    let commands: Vec<Vec<&str>> = vec![
        vec!["simulate", &stuttgart, "-n", "3"],
        vec!["simulate", &munich, "-n", "3", "--format", "json"],
        vec!["simulate", &storm, "-n", "4", "--format", "csv"],
        vec!["simulate", &engset, "-n", "3", "--format", "json"],
        vec!["replay", &stuttgart, "-n", "3", "--format", "json"],
        vec!["report", &munich, "-n", "3", "-o", "-"],
        vec![
            "compare", &stuttgart, &munich, "-n", "2", "--format", "json",
        ],
        vec![
            "size",
            &storm,
            "--max-blocking",
            "1%",
            "-n",
            "3",
            "--format",
            "json",
        ],
        vec![
            "sweep",
            &storm,
            "-n",
            "2",
            "--set",
            "policy.storm.remote_share=70%,90%",
        ],
    ];
    // `-j` where a command has it: the same bytes as the default.
    for args in [
        vec!["replay", &munich, "-n", "3", "-j", "1"],
        vec!["compare", &munich, &storm, "-n", "2", "-j", "1"],
        vec!["report", &storm, "-n", "2", "-j", "1", "-o", "-"],
    ] {
        let mut with_default = args.clone();
        let at = with_default.iter().position(|a| *a == "-j").expect("-j");
        with_default.drain(at..at + 2);
        let a = run(rapt().args(&args).arg("-q"));
        let b = run(rapt().args(&with_default).arg("-q"));
        assert_eq!(a.code, 0, "{args:?}: {}", a.both());
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
    for args in commands {
        let go = |threads: &str| {
            let r = run(rapt()
                .args(&args)
                .arg("-q")
                .env("RAYON_NUM_THREADS", threads));
            assert_eq!(r.code, 0, "{args:?}: {}", r.both());
            r.stdout
        };
        let one = go("1");
        assert!(!one.is_empty(), "{args:?}: no output");
        assert_eq!(one, go("2"), "{args:?}: 1 vs 2 threads");
        assert_eq!(one, go("2"), "{args:?}: two runs on 2 threads");
    }
}
