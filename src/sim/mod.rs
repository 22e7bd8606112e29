//! The simulation engine: a daily rollout and a continuous-time workday, replicated.
//!
//! * [`rollout`] steps one day at a time: deliveries and expansions arrive, onboarding
//!   enables staff within the tightest constraint (the day's bottleneck), and each enabled
//!   person works remotely that day with the policy's share.
//! * [`workday`] simulates that day's logins in continuous time: authentication, admission
//!   against tunnels/seats and licences, blocking, retries, departures.
//! * [`days`] picks the days that matter: the judged window, the busiest day by offered load,
//!   the worst day of each metric.
//! * [`stationary`] runs Poisson or finite-source workloads that theory can check.
//! * [`cost`] estimates a run's work and memory before it starts.
//! * [`results`] holds what a run answers; [`window`] the judged days.
//! * [`runner`] replicates in parallel with one random stream per replication ([`rng`]) and
//!   aggregates in replication order, so results never depend on the thread count.

mod aggregate;
mod calendar;
pub mod cost;
pub mod days;
mod error;
pub mod model;
pub mod probe;
pub mod results;
pub mod reuse;
pub mod rng;
pub mod rollout;
pub mod runner;
pub mod shard;
pub mod stationary;
pub mod window;
pub mod workday;
mod workers;

#[cfg(test)]
mod tests;

pub use crate::scenario::sampler;
pub use cost::{CostEstimate, estimate};
pub use days::DayMetric;
pub use model::Model;
pub use probe::{RolloutProbe, probe_rollout};
pub use results::{
    Curve, CurveChoice, CurvePoint, CurvePool, DayStats, EnabledBefore, FirstBind, GroupChain,
    Interruptions, PoolDayStats, PoolInfo, PoolSummary, ReplayRow, SimResult, StaffChain,
    StationaryStats, Summary, UncertainSamples,
};
pub use reuse::DayReuse;
pub use rollout::Constraint;
pub use runner::{SimError, SimOptions, simulate, simulate_keeping_days};
pub use window::{Window, WorstDay};
