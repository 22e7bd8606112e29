//! Planning on top of simulation: service-level verdicts, key figures, sizing and what-if
//! grids.

pub mod calculator;
pub mod calibrate;
pub mod compare;
pub mod failover;
pub mod figures;
pub mod orders;
pub mod replay;
pub mod service;
pub mod size;
pub mod sweep;
