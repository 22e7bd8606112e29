//! JSON: the whole result, for machines.

use std::io::{self, Write};

use serde::Serialize;

use super::{Exporter, ReportInput};

/// Writes the results as one JSON document.
pub struct Json;

#[derive(Serialize)]
struct Document<'a> {
    rapt_version: &'static str,
    scenario: &'a str,
    seed: u64,
    replications: u32,
    summary: &'a crate::sim::Summary,
    service_level: Option<&'a crate::plan::service::Verdict>,
    pools: &'a [crate::sim::PoolInfo],
    paths: &'a [String],
    timeline: &'a [crate::sim::DayStats],
    workday: Option<&'a crate::sim::Curve>,
    stationary: Option<&'a crate::sim::StationaryStats>,
    replay: &'a [crate::sim::ReplayRow],
    #[serde(skip_serializing_if = "Option::is_none")]
    n_minus_one: Option<&'a crate::plan::failover::NMinusOne>,
}

impl Exporter for Json {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let r = input.result;
        let doc = Document {
            rapt_version: env!("CARGO_PKG_VERSION"),
            scenario: &r.scenario,
            seed: r.seed,
            replications: r.replications,
            summary: &r.summary,
            service_level: input.verdict,
            pools: &r.pools,
            paths: &r.paths,
            timeline: &r.timeline,
            workday: r.curve.as_ref(),
            stationary: r.stationary.as_ref(),
            replay: &r.replay,
            n_minus_one: input.failover,
        };
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::from)?; // keeps the I/O kind (a closed pipe stays one)
        writeln!(out)
    }
}
