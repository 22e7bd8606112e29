//! # rapt — remote-access capacity planner
//!
//! rapt sizes remote access for public administrations: how many VPN tunnels, licences,
//! remote-desktop hosts, tokens and notebooks an organisation needs when it sends its staff
//! home, and from which day what runs out. The crate is a library first; the `rapt` binary is
//! a thin command-line edge over it.
//!
//! ## From a scenario to an answer
//!
//! A [`scenario`] file describes staff groups, devices, tokens, access paths and capacity
//! pools. It is checked ([`scenario::check_str`]: YAML budgets, types with line and column,
//! meaning), compiled into a [`sim::Model`] (names to indices, every schedule to one value per
//! day), costed before any work ([`sim::estimate`]), simulated ([`sim::simulate`]: a daily
//! rollout and, on each workday, the logins in continuous time, replicated in parallel and
//! folded in replication order), and judged against its service level on every simulated
//! workday ([`plan::service::evaluate`]). [`report`] turns the answer into tables, CSV, JSON or
//! HTML.
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//! use rapt::{plan, scenario, sim};
//!
//! // The starter scenario `rapt init` writes: 2,000 office staff, a VPN and a remote-desktop
//! // farm that both grow during the first weeks.
//! let checked = scenario::check_str("starter.yaml", scenario::STARTER);
//! assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
//! let loaded = checked.into_valid().expect("no errors");
//! let model = sim::Model::from_scenario(&loaded.scenario);
//!
//! // Four replications on one thread: the bytes do not depend on the thread count.
//! let options = sim::SimOptions {
//!     replications: Some(4),
//!     threads: Some(1),
//!     ..Default::default()
//! };
//! let cost = sim::estimate(&model, &options);
//! assert!(cost.bytes() < 1 << 30, "a small run: {} bytes", cost.bytes());
//!
//! let never = AtomicBool::new(false);
//! let result = sim::simulate(&model, &options, &|| {}, &never).expect("the starter runs");
//! assert_eq!(result.replications, 4);
//!
//! // Every simulated workday has a row; no pool admits more sessions than it has room for.
//! let busiest = result.summary.busiest_day.expect("the starter has workdays");
//! for pool in &result.summary.pools {
//!     assert!(pool.peak_sessions_busiest.p95 <= pool.capacity_busiest as f64);
//! }
//!
//! // The verdict looks at every workday of the judged window, per target and pool.
//! let level = loaded.scenario.service_level.as_ref().expect("the starter sets one");
//! let verdict = plan::service::evaluate(&result, level);
//! assert!(verdict.checks.iter().all(|c| c.days_judged > 0));
//! println!("busiest day {busiest}; service level met: {}", verdict.met);
//! ```

pub mod erlang;
pub mod holidays;
pub mod plan;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod units;
