//! Integration tests of the `rapt` command line and of scenario checking.
//!
//! One test binary (`cargo test --test cli`), one module per area:
//! - `corpus`: every broken scenario of `tests/corpus/invalid/` against `EXPECTED.tsv`;
//! - `validate`: output formats, `--deny-warnings`, standard input, odd inputs, usage errors;
//! - `init_schema`: `rapt init` and `rapt schema`, and the checked-in `scenario.schema.json`;
//! - `robustness`: property tests mutating the starter scenario (library level, no processes);
//! - `cost`: `--estimate`, `--max-memory`, fewer threads when memory binds, peak vs estimate;
//! - `files`: outputs on FIFOs, device nodes and links; full devices; the file-system fault suite;
//! - `writing`: the chain of shares per group; 0%-suitable groups without login, session, access;
//! - `yaml_suite`: the official YAML test suite through `validate` in four placements;
//! - `ci`: `--format github|junit|sarif`, read by a JUnit parser and a SARIF schema validator;
//! - `consumers`: rapt's CSV (and CI reports) read by pandas and other real consumers;
//! - `shard`: `simulate --shard K/N` parts merged by `rapt merge`, byte for byte; refusals;
//! - `terminal`: a pseudo-terminal 80 columns wide: tables fit, verdicts in colour, NO_COLOR;
//! - `signals`: closed pipes, SIGINT, SIGTERM and SIGHUP, faults while writing a directory.

mod browser;
mod calibrate;
mod ci;
mod common;
mod compare;
mod consumers;
mod corpus;
mod cost;
mod determinism;
mod erlang;
mod failover;
mod files;
mod init_schema;
mod plan;
mod replay;
mod robustness;
mod shard;
mod signals;
mod simulate;
mod size;
mod stories;
mod sweep;
mod terminal;
mod validate;
mod writing;
mod yaml_suite;
