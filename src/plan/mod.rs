//! Planning on top of simulation results: service-level verdicts.

pub mod service;
