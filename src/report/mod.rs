//! Output of simulation results: one module per format behind one small trait.
//!
//! * [`table`]: text tables for people (comfy-table).
//! * [`csv`]: the per-day timeline and the workday curve with documented, stable columns.
//! * [`json`]: everything, for machines.
//! * [`ci`]: checks for CI systems (GitHub annotations, JUnit XML, SARIF).
//!
//! [`figures`] picks the key figures of a run, shared by `compare` and `sweep`; [`naming`]
//! turns names from a scenario into safe file names.

pub mod calculator;
pub mod calibrate;
pub mod ci;
pub mod compare;
pub mod csv;
pub mod figures;
pub mod findings;
pub mod format;
pub mod html;
pub mod json;
pub mod lang;
pub mod naming;
pub mod number;
pub mod plan;
pub mod printable;
pub mod replay;
pub mod size;
pub mod svg;
pub mod sweep;
pub mod table;

use std::io::{self, Write};

use crate::plan::service::Verdict;
use crate::sim::SimResult;

/// What a report is made from.
pub struct ReportInput<'a> {
    /// The simulation results.
    pub result: &'a SimResult,
    /// The service-level verdict, if the scenario sets one.
    pub verdict: Option<&'a Verdict>,
    /// The order list, when a plan was asked for (`rapt report --plan`).
    pub plan: Option<&'a crate::plan::orders::PlanAnswer>,
    /// The N−1 case, when asked for (`--fail-unit`): `result` and `verdict` are then the run
    /// with the unit lost.
    pub failover: Option<&'a crate::plan::failover::NMinusOne>,
}

/// A format that writes a report.
pub trait Exporter {
    /// Writes the report.
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()>;
}
