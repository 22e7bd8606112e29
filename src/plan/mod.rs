//! Planning on top of simulation: service-level verdicts and sizing.

pub mod service;
pub mod size;
pub mod sweep;
