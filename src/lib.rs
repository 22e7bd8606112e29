//! # rapt — remote-access capacity planner
//!
//! rapt sizes remote access for public administrations: how many VPN tunnels, licences,
//! remote-desktop hosts, tokens and notebooks an organisation needs when it sends its staff
//! home, and from which day what runs out.
//!
//! A [`scenario`] file describes staff groups, devices, tokens, access paths and capacity pools.
//! The crate is a library first; the `rapt` binary is a thin command-line edge over it.
//!
//! ```
//! let text = rapt::scenario::STARTER;
//! let checked = rapt::scenario::check_str("starter.yaml", text);
//! assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
//! ```

pub mod erlang;
pub mod plan;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod stats;
pub mod units;
