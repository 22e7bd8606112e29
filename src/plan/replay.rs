//! Published figures against a run: each observed figure with the simulated band, judged by how
//! it was published (a value within a tolerance, or a bound one-sided), and grouped by what it
//! is as evidence. Only holdouts count: inputs are checked to be echoed, calibration targets
//! were fitted.

use serde::Serialize;

use crate::scenario::FigureRole;
use crate::sim::{ReplayRow, SimResult};

/// One published figure judged against the run.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayFigure {
    /// The figure, the simulated values and the errors.
    #[serde(flatten)]
    pub row: ReplayRow,
    /// Whether the simulated mean agrees: within the tolerance of a value, or on the right side
    /// of a bound.
    pub within_tolerance: bool,
    /// The figure's own tolerance, else the default one (not applied to bounds).
    pub tolerance_used: f64,
}

/// How the figures of one role fared.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct RoleCount {
    /// Figures of the role.
    pub figures: usize,
    /// Of them, agreeing with the simulation.
    pub agree: usize,
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
    /// Whether every figure (of any role) agrees.
    pub all_within_tolerance: bool,
    /// Inputs: figures the file sets; they should be echoed.
    pub inputs: RoleCount,
    /// Calibration targets: assumptions were fitted to them; not evidence.
    pub calibration: RoleCount,
    /// Holdouts: independent predictions, the only evidence.
    pub holdouts: RoleCount,
    /// The verdict of the evidence: every holdout agrees and every input is echoed (`None`
    /// when the scenario has no holdout figure, so nothing is evidence).
    pub evidence_agrees: Option<bool>,
    /// The figures, in the scenario's order.
    pub figures: Vec<ReplayFigure>,
}

/// Judges every observed figure of `result`, each value against its own tolerance or
/// `default_tolerance` (relative, e.g. 0.15), each bound one-sided.
pub fn replay(result: &SimResult, default_tolerance: f64) -> ReplayAnswer {
    let figures: Vec<ReplayFigure> = result
        .replay
        .iter()
        .map(|r| {
            let tolerance_used = r.tolerance.unwrap_or(default_tolerance);
            ReplayFigure {
                row: r.clone(),
                within_tolerance: r.published.agrees(r.simulated.mean, tolerance_used),
                tolerance_used,
            }
        })
        .collect();
    let count = |role: FigureRole| {
        let of: Vec<&ReplayFigure> = figures.iter().filter(|f| f.row.role == role).collect();
        RoleCount {
            figures: of.len(),
            agree: of.iter().filter(|f| f.within_tolerance).count(),
        }
    };
    let (inputs, calibration, holdouts) = (
        count(FigureRole::Input),
        count(FigureRole::Calibration),
        count(FigureRole::Holdout),
    );
    ReplayAnswer {
        scenario: result.scenario.clone(),
        replications: result.replications,
        seed: result.seed,
        all_within_tolerance: figures.iter().all(|f| f.within_tolerance),
        inputs,
        calibration,
        holdouts,
        evidence_agrees: (holdouts.figures > 0)
            .then_some(holdouts.agree == holdouts.figures && inputs.agree == inputs.figures),
        figures,
    }
}
