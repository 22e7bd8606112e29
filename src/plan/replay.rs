//! Published figures against a run: each observed figure with the simulated band, judged by how
//! it was published (a value within a tolerance, or a bound one-sided), and grouped by what it
//! is as evidence. Only holdouts count: inputs are checked to be echoed, calibration targets
//! were fitted.

use serde::Serialize;

use crate::scenario::FigureRole;
use crate::sim::{ReplayRow, SimResult};

/// The relative tolerance of figures that state none (`rapt replay --tolerance`'s default).
pub const DEFAULT_TOLERANCE: f64 = 0.15;

/// Whether some observed figure of `scenario` is a session figure, so that replaying it needs
/// the workdays simulated (every other figure comes from the rollouts alone).
pub fn needs_workdays(scenario: &crate::scenario::Scenario) -> bool {
    scenario
        .observed
        .iter()
        .any(|o| o.metric == crate::scenario::Metric::PeakSessions)
}

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
    /// With uncertain inputs: per figure, the inputs ranked by how much each moves it.
    pub sensitivity: Vec<FigureSensitivity>,
}

/// How much each uncertain input moves one figure: Spearman's rank correlation between the
/// input's draw and the figure's value over the replications (+1: the figure rises with the
/// input in lockstep; 0: no monotone relation; `None`: one of them never varied).
#[derive(Clone, Debug, Serialize)]
pub struct FigureSensitivity {
    /// Index of the figure in `figures`.
    pub figure: usize,
    /// Inputs with their rank correlation, strongest first.
    pub inputs: Vec<(String, Option<f64>)>,
}

/// Ranks of `v` (1-based; ties share their average rank).
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation, `None` when either side is constant.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

fn sensitivity(result: &SimResult) -> Vec<FigureSensitivity> {
    let Some(u) = &result.uncertain else {
        return Vec::new();
    };
    u.figures
        .iter()
        .enumerate()
        .map(|(figure, values)| {
            let mut inputs: Vec<(String, Option<f64>)> = u
                .inputs
                .iter()
                .zip(&u.draws)
                .map(|(name, draws)| (name.clone(), spearman(draws, values)))
                .collect();
            inputs.sort_by(|a, b| {
                let key = |x: &Option<f64>| x.map_or(-1.0, f64::abs);
                key(&b.1).total_cmp(&key(&a.1))
            });
            FigureSensitivity { figure, inputs }
        })
        .collect()
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
        sensitivity: sensitivity(result),
    }
}

#[cfg(test)]
mod tests {
    use super::spearman;

    #[test]
    fn spearman_is_one_for_any_increasing_relation_and_none_for_a_constant() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 8.0, 27.0, 64.0, 125.0];
        assert!((spearman(&x, &y).unwrap() - 1.0).abs() < 1e-12);
        let rev: Vec<f64> = y.iter().rev().copied().collect();
        assert!((spearman(&x, &rev).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&x, &[3.0; 5]), None);
        // Ties share their average rank: x = 1,2,2,3 against y = 1,2,3,4 gives 0.9487 (by hand).
        let r = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert!((r - 0.948_683_298).abs() < 1e-6, "{r}");
    }
}
