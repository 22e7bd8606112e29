//! Calibration: fit the scenario's uncertain inputs, within their ranges, to its `calibration`
//! figures; say how firmly each is pinned down; replay the holdouts with the fit; and, leaving
//! each calibration figure out in turn, predict it from a fit to the others.
//!
//! Loss: the sum over calibration figures of the squared relative error of the simulated mean
//! (a bound: of its violation, 0 when met). Search: cyclic coordinate golden-section search in
//! each input's range, every evaluation on the same seed (common random numbers), until a
//! pass moves no input by more than 1% of its range (at most [`MAX_PASSES`]). When no figure
//! is a session figure, evaluations run the rollouts only.

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::replay::{ReplayFigure, replay};
use crate::scenario::{FigureRole, Published, Scenario, set_number, with_numbers};
use crate::sim::{Model, SimError, SimOptions, SimResult, simulate};

/// Passes over the inputs at most.
pub const MAX_PASSES: usize = 4;

/// Why a calibration cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// Nothing to fit, or nothing to fit to.
    #[error("{0}")]
    NotApplicable(String),
    /// The simulation failed or was interrupted.
    #[error(transparent)]
    Sim(#[from] SimError),
}

/// One fitted input.
#[derive(Clone, Debug, Serialize)]
pub struct Fitted {
    /// Its field path.
    pub input: String,
    /// The fitted value.
    pub value: f64,
    /// The range searched (the input's distribution's support).
    pub range: (f64, f64),
    /// The values around the fit, the others held at theirs, for which every calibration
    /// figure still agrees (`None`: not even the fit makes them all agree).
    pub pinned: Option<(f64, f64)>,
}

/// One row of the leave-one-out table.
#[derive(Clone, Debug, Serialize)]
pub struct LeftOut {
    /// The figure left out, predicted from a fit to the others.
    pub figure: ReplayFigure,
    /// The values fitted without it.
    pub fitted: Vec<(String, f64)>,
    /// Inputs the other figures leave free (they agree over the input's whole range): these sit
    /// at the search's start, the range's middle, so the prediction rests on that choice, not
    /// on data.
    pub free: Vec<String>,
}

/// The answer.
#[derive(Clone, Debug, Serialize)]
pub struct CalibrationAnswer {
    /// The scenario's name.
    pub scenario: String,
    /// Replications per evaluation.
    pub replications: u32,
    /// Seed of every evaluation.
    pub seed: u64,
    /// The loss at the fit (sum of squared relative errors of the calibration figures).
    pub loss: f64,
    /// Simulations run.
    pub evaluations: u32,
    /// The fitted inputs.
    pub fitted: Vec<Fitted>,
    /// The calibration figures at the fit.
    pub calibration: Vec<ReplayFigure>,
    /// The holdout figures replayed with the fit: the evidence.
    pub holdouts: Vec<ReplayFigure>,
    /// Leave-one-out predictions, when asked.
    pub leave_one_out: Vec<LeftOut>,
    /// The scenario with the fitted values (and without the fitted inputs' uncertainty).
    #[serde(skip)]
    pub calibrated: Scenario,
}

struct Fit<'a> {
    doc: serde_json::Value,
    inputs: Vec<(String, (f64, f64))>,
    opts: &'a SimOptions,
    cancel: &'a AtomicBool,
    tolerance: f64,
    evaluations: u32,
}

impl Fit<'_> {
    fn scenario(&self, values: &[f64]) -> Result<Scenario, CalibrateError> {
        let paths = self.inputs.iter().map(|(p, _)| p.as_str());
        with_numbers(&self.doc, paths.zip(values.iter().copied()))
            .map_err(|e| CalibrateError::NotApplicable(format!("cannot set the inputs: {e}")))
    }

    fn run(&mut self, values: &[f64]) -> Result<SimResult, CalibrateError> {
        self.evaluations += 1;
        let s = self.scenario(values)?;
        Ok(simulate(
            &Model::from_scenario(&s),
            self.opts,
            &|| {},
            self.cancel,
        )?)
    }

    /// The loss over the calibration figures `used` (indices into the replay).
    fn loss(&mut self, values: &[f64], used: &[usize]) -> Result<f64, CalibrateError> {
        let r = self.run(values)?;
        Ok(used.iter().map(|&i| error2(&r.replay[i])).sum())
    }

    /// Coordinate-wise golden-section search from `start`.
    fn minimise(
        &mut self,
        start: Vec<f64>,
        used: &[usize],
    ) -> Result<(Vec<f64>, f64), CalibrateError> {
        let mut x = start;
        let mut best = self.loss(&x, used)?;
        for _ in 0..MAX_PASSES {
            let mut moved = false;
            for i in 0..x.len() {
                let (lo, hi) = self.inputs[i].1;
                let (v, l) = self.golden(&x, i, lo, hi, used)?;
                if l < best {
                    moved |= (v - x[i]).abs() > 0.01 * (hi - lo);
                    x[i] = v;
                    best = l;
                }
            }
            if !moved {
                break;
            }
        }
        Ok((x, best))
    }

    fn golden(
        &mut self,
        x: &[f64],
        i: usize,
        mut a: f64,
        mut b: f64,
        used: &[usize],
    ) -> Result<(f64, f64), CalibrateError> {
        const PHI: f64 = 0.618_033_988_749_894_8;
        let tol = 0.002 * (b - a);
        let at = |v: f64, fit: &mut Self| {
            let mut y = x.to_vec();
            y[i] = v;
            fit.loss(&y, used)
        };
        let (mut c, mut d) = (b - PHI * (b - a), a + PHI * (b - a));
        let (mut fc, mut fd) = (at(c, self)?, at(d, self)?);
        while b - a > tol {
            if fc <= fd {
                (b, d, fd) = (d, c, fc);
                c = b - PHI * (b - a);
                fc = at(c, self)?;
            } else {
                (a, c, fc) = (c, d, fd);
                d = a + PHI * (b - a);
                fd = at(d, self)?;
            }
        }
        Ok(if fc <= fd { (c, fc) } else { (d, fd) })
    }

    /// Whether every figure in `used` agrees at `values`.
    fn agrees(&mut self, values: &[f64], used: &[usize]) -> Result<bool, CalibrateError> {
        let r = self.run(values)?;
        Ok(used.iter().all(|&i| {
            let row = &r.replay[i];
            row.published
                .agrees(row.simulated.mean, row.tolerance.unwrap_or(self.tolerance))
        }))
    }

    /// How far input `i` can move from the fit, each way, with every figure still agreeing.
    fn pinned(
        &mut self,
        x: &[f64],
        i: usize,
        used: &[usize],
    ) -> Result<Option<(f64, f64)>, CalibrateError> {
        if !self.agrees(x, used)? {
            return Ok(None);
        }
        let (lo, hi) = self.inputs[i].1;
        let edge = |toward: f64, fit: &mut Self| -> Result<f64, CalibrateError> {
            let (mut ok, mut bad) = (x[i], toward);
            let mut y = x.to_vec();
            y[i] = toward;
            if fit.agrees(&y, used)? {
                return Ok(toward);
            }
            for _ in 0..8 {
                let mid = (ok + bad) / 2.0;
                y[i] = mid;
                if fit.agrees(&y, used)? {
                    ok = mid;
                } else {
                    bad = mid;
                }
            }
            Ok(ok)
        };
        Ok(Some((edge(lo, self)?, edge(hi, self)?)))
    }
}

/// The value a field holds once `value` is set at `path` (rounded for a whole-number field).
fn applied(doc: &serde_json::Value, path: &str, value: f64) -> f64 {
    set_number(&mut doc.clone(), path, value).unwrap_or(value)
}

/// The squared relative error of a figure (of its violation, for a bound).
fn error2(row: &crate::sim::ReplayRow) -> f64 {
    let m = row.simulated.mean;
    let rel = |target: f64| {
        if target != 0.0 {
            (m - target) / target
        } else {
            m
        }
    };
    let e = match row.published {
        Published::Value(v) => rel(v),
        Published::AtLeast(v) if m < v => rel(v),
        Published::AtMost(v) if m > v => rel(v),
        Published::Range { min, .. } if m < min => rel(min),
        Published::Range { max, .. } if m > max => rel(max),
        _ => 0.0,
    };
    e * e
}

/// Fits the scenario's uncertain inputs to its calibration figures.
pub fn calibrate(
    scenario: &Scenario,
    tolerance: f64,
    leave_one_out: bool,
    opts: &SimOptions,
    cancel: &AtomicBool,
) -> Result<CalibrationAnswer, CalibrateError> {
    if scenario.uncertain.is_empty() {
        return Err(CalibrateError::NotApplicable(
            "nothing to fit: list the inputs to fit, with their ranges, under `uncertain`".into(),
        ));
    }
    let used: Vec<usize> = scenario
        .observed
        .iter()
        .enumerate()
        .filter(|(_, o)| o.role() == FigureRole::Calibration)
        .map(|(i, _)| i)
        .collect();
    if used.is_empty() {
        return Err(CalibrateError::NotApplicable(
            "nothing to fit to: no observed figure has `role: calibration`".into(),
        ));
    }
    let doc =
        serde_json::to_value(scenario).map_err(|e| CalibrateError::NotApplicable(e.to_string()))?;
    let inputs: Vec<(String, (f64, f64))> = scenario
        .uncertain
        .iter()
        .map(|(p, d)| (p.clone(), d.bounds()))
        .collect();
    // Figures of the rollout alone need no workdays: far fewer instructions per evaluation.
    let opts = &SimOptions {
        rollout_only: !super::replay::needs_workdays(scenario),
        skip_curve: true,
        ..opts.clone()
    };
    let mut fit = Fit {
        doc,
        inputs,
        opts,
        cancel,
        tolerance,
        evaluations: 0,
    };
    let middle: Vec<f64> = fit.inputs.iter().map(|(_, (a, b))| (a + b) / 2.0).collect();
    let (x, loss) = fit.minimise(middle.clone(), &used)?;
    // Report what is set: a whole-number field holds the fit rounded.
    let x: Vec<f64> = x
        .iter()
        .zip(&fit.inputs)
        .map(|(v, (path, _))| applied(&fit.doc, path, *v))
        .collect();
    let mut fitted = Vec::new();
    for i in 0..x.len() {
        fitted.push(Fitted {
            input: fit.inputs[i].0.clone(),
            value: x[i],
            range: fit.inputs[i].1,
            pinned: fit.pinned(&x, i, &used)?,
        });
    }
    let at_fit = replay(&fit.run(&x)?, tolerance);
    let of_role = |role: FigureRole| -> Vec<ReplayFigure> {
        at_fit
            .figures
            .iter()
            .filter(|f| f.row.role == role)
            .cloned()
            .collect()
    };
    let mut left = Vec::new();
    if leave_one_out && used.len() > 1 {
        for &out in &used {
            let rest: Vec<usize> = used.iter().copied().filter(|&i| i != out).collect();
            let (y, _) = fit.minimise(middle.clone(), &rest)?;
            let r = replay(&fit.run(&y)?, tolerance);
            let mut free = Vec::new();
            for i in 0..y.len() {
                if fit.pinned(&y, i, &rest)? == Some(fit.inputs[i].1) {
                    free.push(fit.inputs[i].0.clone());
                }
            }
            left.push(LeftOut {
                figure: r.figures[out].clone(),
                fitted: fit
                    .inputs
                    .iter()
                    .zip(y)
                    .map(|((p, _), v)| (p.clone(), applied(&fit.doc, p, v)))
                    .collect(),
                free,
            });
        }
    }
    let calibrated = fit.scenario(&x)?;
    Ok(CalibrationAnswer {
        scenario: scenario.meta.name.clone(),
        replications: opts.replications.unwrap_or(scenario.run.replications),
        seed: opts.seed.unwrap_or(scenario.run.seed),
        loss,
        evaluations: fit.evaluations,
        fitted,
        calibration: of_role(FigureRole::Calibration),
        holdouts: of_role(FigureRole::Holdout),
        leave_one_out: left,
        calibrated,
    })
}
