//! Why a simulation did not produce results.

use crate::units::Date;

/// Why a simulation did not produce results.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The run was interrupted (Ctrl-C).
    #[error("interrupted")]
    Interrupted,
    /// The requested curve day is outside the horizon.
    #[error("the chart day {day} is outside the simulated horizon {start} to {end}")]
    DayOutsideHorizon {
        /// Requested.
        day: Date,
        /// First day.
        start: Date,
        /// Last day.
        end: Date,
    },
    /// A conservation law failed: a defect in the engine, never expected.
    #[error("conservation check failed on {date}, pool {pool}: {detail}")]
    Conservation {
        /// Date.
        date: Date,
        /// Pool name.
        pool: String,
        /// What did not add up.
        detail: String,
    },
    /// The judged window is not inside the horizon.
    #[error("the judged window {from}..{to} is not inside the simulated horizon {start} to {end}")]
    WindowOutsideHorizon {
        /// First day asked.
        from: Date,
        /// Last day asked.
        to: Date,
        /// First day.
        start: Date,
        /// Last day.
        end: Date,
    },
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads {
        /// Requested.
        threads: usize,
        /// Why.
        reason: String,
    },
}
