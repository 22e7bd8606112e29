//! A span of judged days, and a figure's worst day within it.

use serde::Serialize;

use crate::stats::Stat;
use crate::units::Date;

/// The days a service level is judged on, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First day judged.
    pub from: Date,
    /// Last day judged.
    pub to: Date,
}

impl Window {
    /// Whether `date` lies in the window.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

/// A metric's worst day.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct WorstDay {
    /// The day.
    pub date: Date,
    /// The figure at the quantile it was chosen by.
    pub value: f64,
    /// The figure across replications on that day.
    pub stat: Stat,
}
