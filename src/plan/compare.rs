//! Two runs side by side: every key figure of either, with the difference B − A.

use serde::Serialize;

use crate::plan::figures::key_figures;
use crate::sim::SimResult;

/// Which run a side is.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    /// Where its scenario came from (a file name, as the user gave it).
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
}

/// One key figure of both runs.
#[derive(Clone, Debug, Serialize)]
pub struct ComparedFigure {
    /// What it is, for people.
    pub figure: String,
    /// Its value in A, if A has it.
    pub a: Option<f64>,
    /// Its value in B, if B has it.
    pub b: Option<f64>,
    /// B − A, where both have it.
    pub difference: Option<f64>,
    /// (B − A) / A, where both have it and A is not 0.
    pub relative_difference: Option<f64>,
}

/// The answer of a comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    /// Run A.
    pub a: Side,
    /// Run B.
    pub b: Side,
    /// A's figures in order, then those only B has.
    pub figures: Vec<ComparedFigure>,
}

/// Compares two runs, each named by where its scenario came from.
pub fn compare(a: (&str, &SimResult), b: (&str, &SimResult)) -> Comparison {
    let mut rows: Vec<(String, Option<f64>, Option<f64>)> = key_figures(a.1)
        .into_iter()
        .map(|f| (f.label, f.value, None))
        .collect();
    for f in key_figures(b.1) {
        match rows.iter_mut().find(|r| r.0 == f.label) {
            Some(r) => r.2 = f.value,
            None => rows.push((f.label, None, f.value)),
        }
    }
    let side = |(file, r): (&str, &SimResult)| Side {
        file: file.to_string(),
        scenario: r.scenario.clone(),
    };
    Comparison {
        a: side(a),
        b: side(b),
        figures: rows
            .into_iter()
            .map(|(figure, a, b)| ComparedFigure {
                figure,
                a,
                b,
                difference: a.zip(b).map(|(a, b)| b - a),
                relative_difference: a.zip(b).and_then(|(a, b)| (a != 0.0).then(|| (b - a) / a)),
            })
            .collect(),
    }
}
