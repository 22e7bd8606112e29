//! Published figures against a run: each observed figure with the simulated band and whether
//! it lies within its tolerance.

use serde::Serialize;

use crate::sim::{ReplayRow, SimResult};

/// One published figure judged against the run.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayFigure {
    /// The figure, the simulated values and the errors.
    #[serde(flatten)]
    pub row: ReplayRow,
    /// Whether the error is within the tolerance used.
    pub within_tolerance: bool,
    /// The figure's own tolerance, else the default one.
    pub tolerance_used: f64,
}

/// The answer of a replay.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayAnswer {
    /// The scenario's name.
    pub scenario: String,
    /// Replications.
    pub replications: u32,
    /// Seed.
    pub seed: u64,
    /// Whether every figure is within its tolerance.
    pub all_within_tolerance: bool,
    /// The figures, in the scenario's order.
    pub figures: Vec<ReplayFigure>,
}

/// Whether a figure is within `tolerance` (relative): a figure observed as 0 is within when the
/// simulated mean rounds to 0.
fn within(row: &ReplayRow, tolerance: f64) -> bool {
    match row.rel_error {
        Some(e) => e.abs() <= tolerance,
        None => row.simulated.mean.abs() < 0.5,
    }
}

/// Judges every observed figure of `result`, each against its own tolerance or
/// `default_tolerance` (relative, e.g. 0.15).
pub fn replay(result: &SimResult, default_tolerance: f64) -> ReplayAnswer {
    let figures: Vec<ReplayFigure> = result
        .replay
        .iter()
        .map(|r| {
            let tolerance_used = r.tolerance.unwrap_or(default_tolerance);
            ReplayFigure {
                row: r.clone(),
                within_tolerance: within(r, tolerance_used),
                tolerance_used,
            }
        })
        .collect();
    ReplayAnswer {
        scenario: result.scenario.clone(),
        replications: result.replications,
        seed: result.seed,
        all_within_tolerance: figures.iter().all(|f| f.within_tolerance),
        figures,
    }
}
