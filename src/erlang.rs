//! Closed-form teletraffic formulas for sizing remote-access capacity.
//!
//! # Why teletraffic maths applies to VPNs and remote desktops
//!
//! A VPN concentrator with a licence for 2 000 concurrent tunnels, a
//! remote-desktop farm with 600 session slots, or a pool of 40 jump hosts are
//! all *loss* or *delay* systems in exactly the sense studied by A. K. Erlang
//! for telephone trunks: users arrive at random, each occupies one "server"
//! (a tunnel, a session slot, a licence, a seat) for a while, then leaves.
//! The classical formulas answer the planner's three questions:
//!
//! * *How bad is it?* — given `N` servers and a load, what fraction of users is
//!   turned away or has to wait ([`erlang_b`], [`erlang_c`], [`engset`]).
//! * *How many do I need?* — the least `N` meeting a grade of service
//!   ([`erlang_b_servers_for`], [`engset_servers_for`]).
//! * *How much can I take?* — the most load `N` servers can absorb at a grade
//!   of service ([`erlang_b_max_load`]).
//!
//! # Units: the erlang
//!
//! Offered load `A` (erlang) = arrival rate × mean holding time, in consistent
//! units. 1 200 VPN logins per busy hour with a mean session of 30 minutes is
//! `1200 / h × 0.5 h = 600` erlang: on average 600 tunnels *would* be up if
//! nobody were ever refused. Always size on the busiest hour (or the busiest
//! 15 minutes scaled up), never on a daily average.
//!
//! # The models
//!
//! * **Erlang B** ([`erlang_b`]) — *blocked users are cleared*: when every
//!   licence/tunnel is taken, the next login is rejected and the user goes
//!   away. `B(N, A)` is the probability that a login is rejected (by Poisson
//!   arrivals it is also the fraction of time all `N` servers are busy). It
//!   assumes an effectively infinite user population and Poisson arrivals, and
//!   it is *insensitive* to the session-length distribution: only the mean
//!   matters. This is the default model for licence caps and tunnel limits.
//! * **Erlang C** ([`erlang_c`], [`erlang_c_mean_wait`]) — *blocked users
//!   wait*: a connection broker queues the login until a session host frees
//!   up. `C(N, A)` is the probability of having to wait at all, and the mean
//!   wait follows from it. Unlike Erlang B this needs exponentially
//!   distributed session lengths and a queue that never gives up, so treat it
//!   as an approximation for real brokers. If `A ≥ N` the queue grows without
//!   bound: every user waits (`C = 1`) and the mean wait is infinite.
//! * **Engset** ([`engset`], [`engset_from_offered`]) — *finite population*:
//!   300 staff sharing 60 remote-desktop seats do not behave like an infinite
//!   Poisson stream, because a user who is already connected cannot log in
//!   again. Fewer idle users means fewer new attempts exactly when the system
//!   is busy, so Engset blocking is *lower* than Erlang B for the same offered
//!   traffic. The gap matters when sources are fewer than about ten times the
//!   servers; with many more sources Engset converges to Erlang B.
//! * **Extended Erlang B** ([`extended_erlang_b`]) — *some rejected users
//!   retry*: a fraction `r` of rejected logins come straight back, adding to
//!   the offered load and therefore to blocking. Useful when VPN clients
//!   auto-reconnect or users hammer the "connect" button.
//!
//! # Engset conventions
//!
//! Engset has two traffic parameters that are easily confused:
//!
//! * `β` (**per idle source**) = `λ_idle · h`: the attempt rate of a user
//!   *while idle* times the mean holding time. This is what [`engset`] takes.
//! * `α` (**per source offered**) = `β / (1 + β(1 − B))`, where `B` is the
//!   call congestion. A user alternates between idle periods (mean `1/λ_idle`)
//!   and, after each attempt, either a session (probability `1 − B`, mean `h`)
//!   or an immediate return to idle (blocked). `α` is the attempt rate per
//!   user times `h`; the total offered traffic is `A = S · α`, which is what
//!   [`engset_from_offered`] takes. Inverting gives `β = α / (1 − α(1 − B))`;
//!   since `B` itself depends on `β`, a fixed point has to be solved.
//!   [`engset_from_beta`] goes the other way and reports `A` for a given `β`.
//!
//! Because blocked attempts are counted in `A` (a blocked user goes back to
//! idle and tries again), `α` is *not* bounded by one erlang per source:
//! with fewer servers than sources, `α = β / (1 + β(1 − B))` grows without
//! bound as `β` does (then `B → 1`), so every `A > 0` corresponds to exactly
//! one `β`. Only with at least as many servers as sources is nobody ever
//! blocked; then `A` is the carried traffic `S · β / (1 + β)`, which is below
//! `S`, and `A ≥ S` has no solution
//! ([`ErlangError::OfferedExceedsSources`]). (Under the other common
//! convention, the "intended" traffic `S · β / (1 + β)` that the sources
//! would carry without blocking, `A < S` would hold by definition; this
//! module does not use it.)
//!
//! With these conventions the carried traffic (mean number of busy servers)
//! is `A (1 − B)`. Engset also has two congestion measures:
//!
//! * **call congestion** — the fraction of *attempts* that are blocked (what
//!   users experience; use this for a grade of service), equal to the time
//!   congestion of a system with `S − 1` sources;
//! * **time congestion** — the fraction of *time* all servers are busy (what a
//!   monitoring graph of "all seats in use" shows). It is always at least the
//!   call congestion.
//!
//! # Numerics
//!
//! All formulas are evaluated with the numerically stable forward recursion
//! `B(n) = A·B(n−1) / (n + A·B(n−1))` (and its Engset analogue) in `f64`, in
//! O(N) time, without factorials or powers, so they work for hundreds of
//! thousands of servers and loads around 10⁶ erlang. Blocking probabilities
//! far below `f64::MIN_POSITIVE` underflow to exactly `0.0`. To keep every call
//! bounded in time, a recursion that would have to run past [`MAX_SERVERS`]
//! steps returns [`ErlangError::ServerLimitExceeded`].
//!
//! No function panics: invalid inputs (negative, NaN or infinite traffic,
//! zero sources, probabilities outside `(0, 1)`, …) return an [`ErlangError`].
//!
//! # Conventions for degenerate inputs
//!
//! * Zero offered traffic is never blocked and never waits:
//!   `B(N, 0) = C(N, 0) = 0` for every `N`, including `N = 0`.
//! * With zero servers and positive traffic everything is blocked:
//!   `B(0, A) = 1`, `C(0, A) = 1`.
//!
//! # Example
//!
//! ```
//! use rapt::erlang::{erlang_b, erlang_b_servers_for};
//!
//! // 600 erlang of VPN sessions, at most 1% of logins may be rejected.
//! let tunnels = erlang_b_servers_for(600.0, 0.01)?;
//! assert!(erlang_b(tunnels, 600.0)? <= 0.01);
//! assert!(erlang_b(tunnels - 1, 600.0)? > 0.01);
//! # Ok::<(), rapt::erlang::ErlangError>(())
//! ```

use std::fmt;

/// Largest number of recursion steps (servers) any function in this module
/// will iterate through before giving up with
/// [`ErlangError::ServerLimitExceeded`].
///
/// Evaluating a recursion that reaches exactly zero earlier (for example
/// `B(N, A)` with `N` far above `A`) stops early and is not affected.
pub const MAX_SERVERS: u64 = 10_000_000;

/// Maximum iterations of the bracketing root finders used by the fixed-point
/// and inverse solvers.
const MAX_SOLVER_ITERATIONS: u32 = 10_000;

/// Relative precision of the Engset and Extended Erlang B fixed points.
const FIXED_POINT_REL_TOL: f64 = 1e-12;

/// Relative precision of [`erlang_b_max_load`] (at least the 1e-10 promised).
const MAX_LOAD_REL_TOL: f64 = 1e-12;

/// Errors returned by the teletraffic formulas for invalid inputs or
/// unsolvable problems.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ErlangError {
    /// Offered traffic (erlang) was negative, NaN or infinite.
    InvalidLoad(f64),
    /// Engset per-idle-source traffic `β` was negative, NaN or infinite.
    InvalidSourceTraffic(f64),
    /// Mean holding time was not a finite, strictly positive number of seconds.
    InvalidHoldingTime(f64),
    /// A target blocking probability was not strictly between 0 and 1.
    InvalidProbability(f64),
    /// The retry fraction of Extended Erlang B was outside `[0, 1]` or NaN.
    InvalidRetryFraction(f64),
    /// A finite-source (Engset) model was given zero sources.
    NoSources,
    /// Engset offered traffic of at least the number of sources with at least
    /// as many servers as sources: nobody is ever blocked, so the offered
    /// traffic is the carried traffic, and `S` sources cannot carry `S` erlang
    /// or more (each would have to be busy all the time).
    OfferedExceedsSources {
        /// Total offered traffic that was requested, in erlang.
        offered: f64,
        /// Number of traffic sources.
        sources: u64,
        /// Number of servers (at least `sources`).
        servers: u64,
    },
    /// No number of servers meets an Engset blocking target at the given
    /// offered traffic: the traffic is at least the number of sources, which is
    /// only possible with fewer servers than sources, and even `sources − 1`
    /// servers block more than the target.
    EngsetTargetUnreachable {
        /// Total offered traffic, in erlang.
        offered: f64,
        /// Number of traffic sources.
        sources: u64,
        /// Call congestion with `sources − 1` servers, the least possible.
        least_blocking: f64,
    },
    /// With every blocked call retried (`retry_fraction = 1`) the load must be
    /// below the number of servers, otherwise retries grow without bound.
    RetriesUnbounded {
        /// Fresh offered traffic, in erlang.
        load: f64,
        /// Number of servers.
        servers: u64,
    },
    /// The computation would need more than the given number of servers /
    /// recursion steps (see [`MAX_SERVERS`]).
    ServerLimitExceeded {
        /// The limit that was hit.
        limit: u64,
    },
    /// An iterative solver failed to converge within its iteration budget.
    NoConvergence {
        /// Which solver failed.
        what: &'static str,
        /// Iterations performed before giving up.
        iterations: u32,
    },
}

impl fmt::Display for ErlangError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidLoad(a) => write!(
                f,
                "offered load must be a finite, non-negative number of erlang, got {a}"
            ),
            Self::InvalidSourceTraffic(b) => write!(
                f,
                "per-idle-source traffic must be finite and non-negative, got {b}"
            ),
            Self::InvalidHoldingTime(h) => write!(
                f,
                "mean holding time must be a finite, positive number of seconds, got {h}"
            ),
            Self::InvalidProbability(p) => write!(
                f,
                "target blocking probability must be strictly between 0 and 1, got {p}"
            ),
            Self::InvalidRetryFraction(r) => {
                write!(f, "retry fraction must be in [0, 1], got {r}")
            }
            Self::NoSources => write!(f, "the number of traffic sources must be at least 1"),
            Self::OfferedExceedsSources {
                offered,
                sources,
                servers,
            } => write!(
                f,
                "offered traffic {offered} erlang is not below the number of sources ({sources}): \
                 with {servers} servers for {sources} sources nobody is ever blocked, so the \
                 offered traffic is the carried traffic, and {sources} sources carry less than \
                 {sources} erlang (each would have to be busy all the time)"
            ),
            Self::EngsetTargetUnreachable {
                offered,
                sources,
                least_blocking,
            } => write!(
                f,
                "no number of servers meets the blocking target for {offered} erlang offered by \
                 {sources} sources: traffic of at least the number of sources is only possible \
                 with fewer servers than sources, and even {} servers block {least_blocking} of \
                 the attempts",
                sources.saturating_sub(1)
            ),
            Self::RetriesUnbounded { load, servers } => write!(
                f,
                "with every blocked call retried, load {load} erlang must be below \
                 {servers} servers or the retry traffic grows without bound"
            ),
            Self::ServerLimitExceeded { limit } => write!(
                f,
                "computation needs more than {limit} servers, beyond the supported limit"
            ),
            Self::NoConvergence { what, iterations } => {
                write!(f, "{what} did not converge after {iterations} iterations")
            }
        }
    }
}

impl std::error::Error for ErlangError {}

/// Result of [`engset_from_offered`]: the Engset model solved for a given
/// total offered traffic. See the [module docs](self#engset-conventions) for
/// the conventions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngsetSolution {
    /// Fraction of connection attempts that find all servers busy (what users
    /// experience). Use this as the grade of service.
    pub call_congestion: f64,
    /// Fraction of time all servers are busy (Engset with all `S` sources);
    /// never below `call_congestion`.
    pub time_congestion: f64,
    /// Offered traffic per *idle* source, `β = λ_idle · h`, solving
    /// `β = α / (1 − α(1 − B))` with `α = A / S`.
    pub per_source_beta: f64,
    /// Total offered traffic `A = S · α` in erlang, blocked attempts included.
    pub offered: f64,
    /// Carried traffic in erlang (mean number of busy servers),
    /// `A · (1 − call_congestion)`.
    pub carried: f64,
}

/// Result of [`extended_erlang_b`]: Erlang B with a fraction of blocked
/// attempts retrying.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtendedErlangB {
    /// Blocking probability seen by every attempt, fresh or retry:
    /// `B(N, offered_with_retries)`.
    pub blocking: f64,
    /// Total offered traffic including retries, in erlang: the solution of
    /// `O = A + r · B(N, O) · O`.
    pub offered_with_retries: f64,
    /// Traffic that is blocked and does not retry (lost for good), in erlang:
    /// `O · B · (1 − r)`.
    pub lost: f64,
    /// Carried traffic in erlang (mean number of busy servers): `O · (1 − B)`.
    /// `carried + lost` equals the fresh load `A` up to solver precision.
    pub carried: f64,
}

// ---------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------

fn check_load(load: f64) -> Result<f64, ErlangError> {
    if load.is_finite() && load >= 0.0 {
        Ok(load)
    } else {
        Err(ErlangError::InvalidLoad(load))
    }
}

fn check_beta(beta: f64) -> Result<f64, ErlangError> {
    if beta.is_finite() && beta >= 0.0 {
        Ok(beta)
    } else {
        Err(ErlangError::InvalidSourceTraffic(beta))
    }
}

fn check_probability(p: f64) -> Result<f64, ErlangError> {
    if p > 0.0 && p < 1.0 {
        Ok(p)
    } else {
        Err(ErlangError::InvalidProbability(p))
    }
}

fn check_sources(sources: u64) -> Result<u64, ErlangError> {
    if sources == 0 {
        Err(ErlangError::NoSources)
    } else {
        Ok(sources)
    }
}

// ---------------------------------------------------------------------------
// Core recursions (inputs already validated)
// ---------------------------------------------------------------------------

/// Erlang B by the forward recursion, for a validated load.
///
/// Each step is written as `1 / (1 + n / x)` with `x = A·B(n−1)`, which is
/// algebraically `x / (n + x)` but cannot overflow or produce NaN: `x = 0`
/// gives exactly 0 and a huge `x` gives 1.
fn erlang_b_core(servers: u64, load: f64) -> Result<f64, ErlangError> {
    if load == 0.0 {
        return Ok(0.0);
    }
    let mut b = 1.0_f64;
    for n in 1..=servers {
        if b == 0.0 {
            // B is decreasing in n: once it underflows it stays zero.
            break;
        }
        if n > MAX_SERVERS {
            return Err(ErlangError::ServerLimitExceeded { limit: MAX_SERVERS });
        }
        let x = load * b;
        b = 1.0 / (1.0 + n as f64 / x);
    }
    Ok(b)
}

/// Engset *time* congestion for `sources` sources, validated `beta`.
///
/// `E(n) = β(S−n+1)E(n−1) / (n + β(S−n+1)E(n−1))`, `E(0) = 1`, evaluated in
/// the same overflow-free form as [`erlang_b_core`].
fn engset_time_core(servers: u64, sources: u64, beta: f64) -> Result<f64, ErlangError> {
    Ok(engset_time_core_pair(servers, sources, beta)?.0)
}

/// [`engset_time_core`] together with its complement `1 − E`, computed as
/// `n / (n + x)` in the last step rather than by subtraction, so that it keeps
/// full relative precision when `E` is close to 1 (huge `β`).
fn engset_time_core_pair(servers: u64, sources: u64, beta: f64) -> Result<(f64, f64), ErlangError> {
    if beta == 0.0 || servers > sources {
        // No traffic, or more servers than sources: never all busy.
        return Ok((0.0, 1.0));
    }
    let mut e = 1.0_f64;
    let mut complement = 0.0_f64;
    for n in 1..=servers {
        if e == 0.0 {
            break;
        }
        if n > MAX_SERVERS {
            return Err(ErlangError::ServerLimitExceeded { limit: MAX_SERVERS });
        }
        // sources - n + 1 >= 1 because n <= servers <= sources.
        let x = beta * e * (sources - n + 1) as f64;
        e = 1.0 / (1.0 + n as f64 / x);
        complement = 1.0 / (1.0 + x / n as f64);
    }
    Ok((e, complement))
}

/// Engset *call* congestion: time congestion with one source fewer
/// (`sources >= 1` already checked).
fn engset_call_core(servers: u64, sources: u64, beta: f64) -> Result<f64, ErlangError> {
    engset_time_core(servers, sources - 1, beta)
}

/// [`engset_call_core`] and its complement `1 − B` (see [`engset_time_core_pair`]).
fn engset_call_core_pair(servers: u64, sources: u64, beta: f64) -> Result<(f64, f64), ErlangError> {
    engset_time_core_pair(servers, sources - 1, beta)
}

/// Finds the root of a non-decreasing function on `[lo, hi]`, assuming
/// `f(lo) <= 0 <= f(hi)`, and returns the bracket end `x` with `f(x) <= 0`
/// once the bracket is narrower than `rel_tol · hi`.
///
/// Uses the Illinois variant of regula falsi (superlinear) but falls back to
/// a bisection step whenever the bracket has not at least halved over the last
/// three steps, so it can never be slower than ~3× plain bisection.
fn solve_increasing<F>(
    mut f: F,
    mut lo: f64,
    mut hi: f64,
    rel_tol: f64,
    what: &'static str,
) -> Result<f64, ErlangError>
where
    F: FnMut(f64) -> Result<f64, ErlangError>,
{
    let mut fhi = f(hi)?;
    if fhi <= 0.0 {
        return Ok(hi);
    }
    let mut flo = f(lo)?;
    if flo.is_nan() || fhi.is_nan() || flo > 0.0 {
        return Err(ErlangError::NoConvergence {
            what,
            iterations: 0,
        });
    }
    let mut side = 0_i8;
    let mut widths = [hi - lo; 3];
    for iter in 0..MAX_SOLVER_ITERATIONS {
        let width = hi - lo;
        if flo == 0.0 || width <= rel_tol * hi.abs().max(f64::MIN_POSITIVE) {
            return Ok(lo);
        }
        let slot = (iter % 3) as usize;
        let bisect = width > 0.5 * widths[slot];
        widths[slot] = width;
        let mut x = if bisect {
            lo + 0.5 * width
        } else {
            (lo * fhi - hi * flo) / (fhi - flo)
        };
        if !(x > lo && x < hi) {
            x = lo + 0.5 * width;
            if !(x > lo && x < hi) {
                // The bracket is down to adjacent floats.
                return Ok(lo);
            }
        }
        let fx = f(x)?;
        if fx.is_nan() {
            return Err(ErlangError::NoConvergence {
                what,
                iterations: iter,
            });
        }
        if fx <= 0.0 {
            lo = x;
            flo = fx;
            if side == -1 {
                fhi *= 0.5;
            }
            side = -1;
        } else {
            hi = x;
            fhi = fx;
            if side == 1 {
                flo *= 0.5;
            }
            side = 1;
        }
    }
    Err(ErlangError::NoConvergence {
        what,
        iterations: MAX_SOLVER_ITERATIONS,
    })
}

// ---------------------------------------------------------------------------
// Erlang B / C
// ---------------------------------------------------------------------------

/// Erlang B blocking probability `B(N, A)`: the probability that a new
/// session is rejected when `servers` (tunnels, licences, seats) are offered
/// `load` erlang and rejected users go away.
///
/// Also the fraction of time all servers are busy. Conventions:
/// `B(0, A) = 1` for `A > 0` and `B(N, 0) = 0` for every `N` (including 0).
///
/// Cost is O(`servers`) (stops early once the result underflows to 0).
///
/// # Errors
///
/// [`ErlangError::InvalidLoad`] if `load` is negative, NaN or infinite;
/// [`ErlangError::ServerLimitExceeded`] if the recursion would have to run
/// past [`MAX_SERVERS`] steps.
pub fn erlang_b(servers: u64, load: f64) -> Result<f64, ErlangError> {
    erlang_b_core(servers, check_load(load)?)
}

/// Erlang C probability of waiting `C(N, A) = N·B / (N − A(1 − B))`: the
/// probability that a new session has to queue (e.g. at a connection broker)
/// because all `servers` are busy, when waiting users never give up.
///
/// Returns `1.0` whenever `load >= servers` (and `load > 0`): the queue is
/// unstable, grows without bound, and every arrival waits. Returns `0.0` for
/// zero load.
///
/// # Errors
///
/// [`ErlangError::InvalidLoad`] if `load` is negative, NaN or infinite;
/// [`ErlangError::ServerLimitExceeded`] beyond [`MAX_SERVERS`].
pub fn erlang_c(servers: u64, load: f64) -> Result<f64, ErlangError> {
    let load = check_load(load)?;
    if load == 0.0 {
        return Ok(0.0);
    }
    let n = servers as f64;
    if load >= n {
        return Ok(1.0);
    }
    let b = erlang_b_core(servers, load)?;
    // N − A(1 − B) rewritten as (N − A) + A·B: both terms are positive here.
    let c = n * b / ((n - load) + load * b);
    Ok(c.min(1.0))
}

/// Mean time a session waits in the queue, in seconds, for the Erlang C
/// model: `C(N, A) · h / (N − A)`, averaged over *all* arrivals (including the
/// ones that do not wait). Divide by [`erlang_c`] for the mean wait of those
/// that do wait.
///
/// Returns `f64::INFINITY` when `load >= servers` (and `load > 0`): the queue
/// is unstable. Returns `0.0` for zero load.
///
/// # Errors
///
/// [`ErlangError::InvalidLoad`] for an invalid load,
/// [`ErlangError::InvalidHoldingTime`] unless `mean_holding_secs` is finite
/// and positive, [`ErlangError::ServerLimitExceeded`] beyond [`MAX_SERVERS`].
pub fn erlang_c_mean_wait(
    servers: u64,
    load: f64,
    mean_holding_secs: f64,
) -> Result<f64, ErlangError> {
    let load = check_load(load)?;
    if !(mean_holding_secs.is_finite() && mean_holding_secs > 0.0) {
        return Err(ErlangError::InvalidHoldingTime(mean_holding_secs));
    }
    if load == 0.0 {
        return Ok(0.0);
    }
    let n = servers as f64;
    if load >= n {
        return Ok(f64::INFINITY);
    }
    let c = erlang_c(servers, load)?;
    Ok(c * mean_holding_secs / (n - load))
}

// ---------------------------------------------------------------------------
// Engset
// ---------------------------------------------------------------------------

/// Engset **call congestion**: the probability that a connection attempt is
/// blocked when `sources` users share `servers`, each user offering
/// `per_source_idle_traffic` = `β = λ_idle · h` erlang *while idle*.
///
/// Computed as the Engset time congestion with `S − 1` sources (an arriving
/// user does not see itself), i.e. the recursion
/// `E(n) = β(S−n)E(n−1) / (n + β(S−n)E(n−1))`, `E(0) = 1`.
/// Returns 0 when `servers >= sources` (nobody can ever be blocked) or when
/// `β = 0`. If you know the *total offered* traffic rather than `β`, use
/// [`engset_from_offered`].
///
/// # Errors
///
/// [`ErlangError::NoSources`] if `sources == 0`,
/// [`ErlangError::InvalidSourceTraffic`] if `β` is negative, NaN or infinite,
/// [`ErlangError::ServerLimitExceeded`] beyond [`MAX_SERVERS`].
pub fn engset(
    servers: u64,
    sources: u64,
    per_source_idle_traffic: f64,
) -> Result<f64, ErlangError> {
    let sources = check_sources(sources)?;
    let beta = check_beta(per_source_idle_traffic)?;
    if servers >= sources {
        return Ok(0.0);
    }
    engset_call_core(servers, sources, beta)
}

/// Validates Engset offered traffic and returns `α = A / S`.
///
/// Any `α >= 0` has a solution with fewer servers than sources (blocked
/// attempts count, so `α` is unbounded); with at least as many servers as
/// sources nobody is blocked and `α = β / (1 + β) < 1` is required.
fn engset_alpha(servers: u64, sources: u64, offered_total: f64) -> Result<f64, ErlangError> {
    let sources = check_sources(sources)?;
    let offered = check_load(offered_total)?;
    let alpha = offered / sources as f64;
    if servers >= sources && alpha >= 1.0 {
        Err(ErlangError::OfferedExceedsSources {
            offered: offered_total,
            sources,
            servers,
        })
    } else {
        Ok(alpha)
    }
}

/// Doubles `start` until an increasing `residual` is no longer negative there: the upper end
/// of a bracket whose lower end the caller knows.
fn upper_bracket(
    residual: &impl Fn(f64) -> Result<f64, ErlangError>,
    start: f64,
    what: &'static str,
) -> Result<f64, ErlangError> {
    let mut hi = start;
    let mut doublings = 0_u32;
    while residual(hi)? < 0.0 {
        hi *= 2.0;
        doublings += 1;
        if !hi.is_finite() || doublings > 2_000 {
            return Err(ErlangError::NoConvergence {
                what,
                iterations: doublings,
            });
        }
    }
    Ok(hi)
}

/// Solves the Engset fixed point for `β` given validated `α > 0` and
/// `0 < servers < sources`.
///
/// The residual is `f(β) = β·g(β) − α` with `g(β) = 1 − α + α·B(β)`
/// increasing (`B` is). Where `g <= 0`, `f < 0`; where `g > 0`, `f` is a
/// product of positive increasing factors minus a constant, hence
/// increasing. So `f` changes sign exactly once, at the unique root. It is
/// negative at `β = α` (`f(α) = −α²(1 − B) < 0`). For `α < 1`,
/// `f(α / (1 − α)) = α²B / (1 − α) >= 0`; for `α >= 1` the upper end is found by
/// doubling, which terminates because `B → 1` as `β → ∞` (there are fewer
/// servers than the other `S − 1` sources, or exactly as many and all of them
/// are busy with probability `(β / (1 + β))^(S−1)`), so that `β(1 − B)` stays
/// bounded while `β` grows.
fn engset_solve_beta(servers: u64, sources: u64, alpha: f64) -> Result<f64, ErlangError> {
    const WHAT: &str = "Engset fixed point for per-source traffic";
    let residual = |beta: f64| -> Result<f64, ErlangError> {
        let (_, not_blocked) = engset_call_core_pair(servers, sources, beta)?;
        Ok(beta * (1.0 - alpha * not_blocked) - alpha)
    };
    let lo = alpha;
    let hi = if alpha < 1.0 {
        alpha / (1.0 - alpha)
    } else {
        upper_bracket(&residual, 2.0 * alpha, WHAT)?
    };
    if !hi.is_finite() {
        return Err(ErlangError::NoConvergence {
            what: WHAT,
            iterations: 0,
        });
    }
    solve_increasing(residual, lo, hi, FIXED_POINT_REL_TOL, WHAT)
}

/// Engset model driven by the **total offered traffic** `A` (erlang) of
/// `sources` users on `servers`.
///
/// Convention (see the [module docs](self#engset-conventions)): `A = S·α`
/// where `α` is the per-source offered traffic (attempts per source × mean
/// holding time, blocked attempts included), related to the per-idle-source
/// traffic `β` by `α = β / (1 + β(1 − B))`, `B` being the call congestion.
/// The fixed point `β = α / (1 − α(1 − B(β)))` is solved by a bracketed root
/// finder starting from `[α, α/(1−α)]` (widened for `α >= 1`), which always
/// converges because the residual changes sign once. With this convention
/// `carried = A(1 − B)`.
///
/// Every `A > 0` is accepted when `servers < sources`, including `A >= S`
/// (blocked users keep trying, so each can offer more than one erlang). Only
/// with `servers >= sources` must `A < S`: then nobody is blocked,
/// `β = α / (1 − α)`, and `A` is the carried traffic. `A = 0` gives all zeros;
/// `servers = 0` blocks everything (`β = α`, carried 0).
///
/// # Errors
///
/// [`ErlangError::NoSources`] if `sources == 0`,
/// [`ErlangError::InvalidLoad`] for negative/NaN/infinite `A`,
/// [`ErlangError::OfferedExceedsSources`] if `servers >= sources` and
/// `A >= sources`, [`ErlangError::ServerLimitExceeded`] beyond
/// [`MAX_SERVERS`], [`ErlangError::NoConvergence`] (not expected).
pub fn engset_from_offered(
    servers: u64,
    sources: u64,
    offered_total: f64,
) -> Result<EngsetSolution, ErlangError> {
    let alpha = engset_alpha(servers, sources, offered_total)?;
    let offered = offered_total;
    if alpha == 0.0 {
        return Ok(EngsetSolution {
            call_congestion: 0.0,
            time_congestion: 0.0,
            per_source_beta: 0.0,
            offered: 0.0,
            carried: 0.0,
        });
    }
    if servers == 0 {
        return Ok(EngsetSolution {
            call_congestion: 1.0,
            time_congestion: 1.0,
            per_source_beta: alpha,
            offered,
            carried: 0.0,
        });
    }
    let beta = if servers >= sources {
        alpha / (1.0 - alpha)
    } else {
        engset_solve_beta(servers, sources, alpha)?
    };
    let (call, not_blocked) = if servers >= sources {
        (0.0, 1.0)
    } else {
        engset_call_core_pair(servers, sources, beta)?
    };
    let time = engset_time_core(servers, sources, beta)?;
    Ok(EngsetSolution {
        call_congestion: call,
        time_congestion: time,
        per_source_beta: beta,
        offered,
        carried: offered * not_blocked,
    })
}

/// Engset model driven by the **offered traffic per idle source**
/// `β = λ_idle · h` (mean holding time over mean idle time between a user's
/// attempts): call and time congestion, and the total offered traffic
/// `A = S · β / (1 + β(1 − B))` in the convention of [`engset_from_offered`],
/// so that `engset_from_offered(servers, sources, A)` gives the same solution
/// back. Every finite `β >= 0` is valid.
///
/// # Errors
///
/// [`ErlangError::NoSources`] if `sources == 0`,
/// [`ErlangError::InvalidSourceTraffic`] if `β` is negative, NaN or infinite,
/// [`ErlangError::ServerLimitExceeded`] beyond [`MAX_SERVERS`].
pub fn engset_from_beta(
    servers: u64,
    sources: u64,
    per_source_idle_traffic: f64,
) -> Result<EngsetSolution, ErlangError> {
    let sources = check_sources(sources)?;
    let beta = check_beta(per_source_idle_traffic)?;
    let (call, not_blocked) = if servers >= sources {
        (0.0, 1.0)
    } else {
        engset_call_core_pair(servers, sources, beta)?
    };
    let time = engset_time_core(servers, sources, beta)?;
    // α = β / (1 + β(1 − B)), written so that a huge β with B ≈ 1 stays finite.
    let alpha = if beta == 0.0 {
        0.0
    } else {
        1.0 / (1.0 / beta + not_blocked)
    };
    let offered = alpha * sources as f64;
    Ok(EngsetSolution {
        call_congestion: call,
        time_congestion: time,
        per_source_beta: beta,
        offered,
        carried: offered * not_blocked,
    })
}

// ---------------------------------------------------------------------------
// Extended Erlang B
// ---------------------------------------------------------------------------

/// Extended Erlang B (Jewett & Shrago): Erlang B where a fraction
/// `retry_fraction` (`r`) of blocked attempts immediately retry.
///
/// Retries inflate the offered traffic to `O`, the solution of the
/// Jewett–Shrago fixed point `O = A + r · B(N, O) · O` (the classic procedure
/// iterates `O_{k+1} = A + r·B(N, O_k)·O_k` from `O_0 = A`). The fixed point is
/// solved here with a bracketed root finder on the same equation to relative
/// precision 1e-12 (at most 10 000 iterations), which converges for every
/// valid input even when `r` is close to 1, where the plain iteration
/// converges only like `r^k`.
///
/// `r = 0` is plain Erlang B. `r = 1` (everyone retries until served) is
/// accepted when `load < servers`: then all fresh traffic is eventually
/// carried. For `load = 0` everything is zero.
///
/// # Errors
///
/// [`ErlangError::InvalidLoad`] for an invalid load,
/// [`ErlangError::InvalidRetryFraction`] unless `0 <= r <= 1`,
/// [`ErlangError::RetriesUnbounded`] for `r = 1` with `load >= servers`,
/// [`ErlangError::ServerLimitExceeded`] beyond [`MAX_SERVERS`],
/// [`ErlangError::NoConvergence`] if the solver fails (not expected).
pub fn extended_erlang_b(
    servers: u64,
    load: f64,
    retry_fraction: f64,
) -> Result<ExtendedErlangB, ErlangError> {
    let load = check_load(load)?;
    let r = retry_fraction;
    if !(0.0..=1.0).contains(&r) {
        return Err(ErlangError::InvalidRetryFraction(r));
    }
    if load == 0.0 {
        return Ok(ExtendedErlangB {
            blocking: 0.0,
            offered_with_retries: 0.0,
            lost: 0.0,
            carried: 0.0,
        });
    }
    const WHAT: &str = "Extended Erlang B retry fixed point";
    // g(O) = O − A − r·O·B(N, O) is strictly increasing in O, because the
    // blocked traffic O·B(N, O) grows with slope at most 1; g(A) <= 0.
    let residual = |o: f64| -> Result<f64, ErlangError> {
        let b = erlang_b_core(servers, o)?;
        Ok(o - load - r * o * b)
    };
    let hi = if r < 1.0 {
        // g(O) >= O(1 − r) − A, which is 0 at O = A / (1 − r).
        load / (1.0 - r)
    } else {
        if load >= servers as f64 {
            return Err(ErlangError::RetriesUnbounded { load, servers });
        }
        // r = 1: g(O) = carried(O) − A, and carried(O) → N > A as O → ∞.
        upper_bracket(&residual, 2.0 * load, WHAT)?
    };
    if !hi.is_finite() {
        return Err(ErlangError::NoConvergence {
            what: WHAT,
            iterations: 0,
        });
    }
    let offered = solve_increasing(residual, load, hi, FIXED_POINT_REL_TOL, WHAT)?;
    let blocking = erlang_b_core(servers, offered)?;
    Ok(ExtendedErlangB {
        blocking,
        offered_with_retries: offered,
        lost: offered * blocking * (1.0 - r),
        carried: offered * (1.0 - blocking),
    })
}

// ---------------------------------------------------------------------------
// Inverse solvers
// ---------------------------------------------------------------------------

/// Least number of servers `N` with Erlang B blocking `B(N, load) <=
/// max_blocking`: "how many tunnels/licences do I need so that at most this
/// fraction of logins is rejected?".
///
/// Since `B` decreases in `N`, the recursion is simply run upward until it
/// reaches the target, in O(N). Returns 0 for zero load.
///
/// # Errors
///
/// [`ErlangError::InvalidLoad`] for an invalid load,
/// [`ErlangError::InvalidProbability`] unless `0 < max_blocking < 1`,
/// [`ErlangError::ServerLimitExceeded`] if more than [`MAX_SERVERS`] servers
/// would be needed.
pub fn erlang_b_servers_for(load: f64, max_blocking: f64) -> Result<u64, ErlangError> {
    let load = check_load(load)?;
    let p = check_probability(max_blocking)?;
    if load == 0.0 {
        return Ok(0);
    }
    let mut b = 1.0_f64;
    let mut n = 0_u64;
    while b > p {
        n += 1;
        if n > MAX_SERVERS {
            return Err(ErlangError::ServerLimitExceeded { limit: MAX_SERVERS });
        }
        let x = load * b;
        b = 1.0 / (1.0 + n as f64 / x);
    }
    Ok(n)
}

/// Largest offered load `A` (erlang) that `servers` can take with Erlang B
/// blocking `B(N, A) <= max_blocking`: "how much busy-hour traffic can this
/// licence pool absorb at this grade of service?".
///
/// `B` increases in `A`, so the answer is found by a bracketed search on
/// `[0, N / (1 − p)]` (at `A = N/(1−p)`, `B >= 1 − N/A = p`), to relative
/// precision better than 1e-10; the returned value always satisfies the
/// target. Returns 0 for zero servers.
///
/// # Errors
///
/// [`ErlangError::InvalidProbability`] unless `0 < max_blocking < 1`,
/// [`ErlangError::ServerLimitExceeded`] beyond [`MAX_SERVERS`],
/// [`ErlangError::NoConvergence`] if the search fails (not expected).
pub fn erlang_b_max_load(servers: u64, max_blocking: f64) -> Result<f64, ErlangError> {
    let p = check_probability(max_blocking)?;
    if servers == 0 {
        return Ok(0.0);
    }
    if servers > MAX_SERVERS {
        return Err(ErlangError::ServerLimitExceeded { limit: MAX_SERVERS });
    }
    let hi = servers as f64 / (1.0 - p);
    solve_increasing(
        |a| Ok(erlang_b_core(servers, a)? - p),
        0.0,
        hi,
        MAX_LOAD_REL_TOL,
        "Erlang B maximum load search",
    )
}

/// Least number of servers for which the Engset **call congestion** of
/// `sources` users offering `offered_total` erlang in total (convention of
/// [`engset_from_offered`]) is at most `max_blocking`.
///
/// Call congestion decreases in `N` at fixed offered traffic, so the answer is
/// found by binary search over `N ∈ [0, sources]`; the Erlang B requirement is
/// used as an upper bound when it meets the target (checked). Offered traffic
/// of at least `sources` erlang is possible only with fewer servers than
/// sources (see [`engset_from_offered`]), so then the search is over
/// `N ∈ [0, sources − 1]`. Each probe solves the Engset fixed point, so the
/// cost is O(N · log N · solver iterations). Returns 0 for zero load.
///
/// # Errors
///
/// [`ErlangError::NoSources`], [`ErlangError::InvalidLoad`] as for
/// [`engset_from_offered`]; [`ErlangError::EngsetTargetUnreachable`] if
/// `offered_total >= sources` and even `sources − 1` servers block more than
/// `max_blocking`; [`ErlangError::InvalidProbability`] unless
/// `0 < max_blocking < 1`; [`ErlangError::ServerLimitExceeded`] beyond
/// [`MAX_SERVERS`].
pub fn engset_servers_for(
    sources: u64,
    offered_total: f64,
    max_blocking: f64,
) -> Result<u64, ErlangError> {
    // Zero servers accept any offered traffic; `sources` servers only A < S.
    let alpha = engset_alpha(0, sources, offered_total)?;
    let p = check_probability(max_blocking)?;
    if alpha == 0.0 {
        return Ok(0);
    }
    let blocking = |n: u64| -> Result<f64, ErlangError> {
        if n == 0 {
            return Ok(1.0);
        }
        let beta = engset_solve_beta(n, sources, alpha)?;
        engset_call_core(n, sources, beta)
    };
    let meets = |n: u64| -> Result<bool, ErlangError> {
        if n >= sources {
            return Ok(true);
        }
        Ok(blocking(n)? <= p)
    };
    // Invariant: call congestion at `lo` exceeds p (at N = 0 it is 1), and
    // at `hi` it is at most p.
    let mut lo = 0_u64;
    let mut hi = sources;
    if alpha >= 1.0 {
        // `sources` servers or more cannot be offered this much traffic.
        hi = sources - 1;
        let least_blocking = blocking(hi)?;
        if least_blocking > p {
            return Err(ErlangError::EngsetTargetUnreachable {
                offered: offered_total,
                sources,
                least_blocking,
            });
        }
    }
    if let Ok(erl) = erlang_b_servers_for(offered_total, p)
        && erl < hi
        && meets(erl)?
    {
        hi = erl;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if meets(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, rel: f64) -> bool {
        (actual - expected).abs() <= rel * expected.abs().max(f64::MIN_POSITIVE)
    }

    // --- Erlang B --------------------------------------------------------

    #[test]
    fn erlang_b_small_exact_values() {
        // B(1, A) = A / (1 + A); B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2.
        assert_eq!(erlang_b(1, 1.0), Ok(0.5));
        assert!(close(erlang_b(2, 1.0).unwrap(), 0.2, 1e-15));
        assert!(close(erlang_b(1, 3.0).unwrap(), 0.75, 1e-15));
    }

    #[test]
    fn erlang_b_degenerate_conventions() {
        assert_eq!(erlang_b(0, 5.0), Ok(1.0));
        assert_eq!(erlang_b(7, 0.0), Ok(0.0));
        assert_eq!(erlang_b(0, 0.0), Ok(0.0));
        // Far more servers than load: underflows to exactly zero, quickly,
        // even for a server count beyond MAX_SERVERS.
        assert_eq!(erlang_b(u64::MAX, 5.0), Ok(0.0));
    }

    #[test]
    fn erlang_b_reference_value_100_servers() {
        // B(100, 90) = 0.02695738046435921477... (exact rational evaluation
        // of A^N/N! / sum A^k/k! at 50 digits with mpmath; classical tables
        // list 2.7% blocking for 100 trunks at 90 erlang).
        let b = erlang_b(100, 90.0).unwrap();
        assert!(close(b, 0.026_957_380_464_359_215, 1e-12), "{b}");
    }

    #[test]
    fn erlang_b_stable_for_huge_n() {
        // References: the same recursion evaluated with 40-digit mpmath.
        let b = erlang_b(200_000, 190_000.0).unwrap();
        assert!(b.is_finite() && b > 0.0 && b < 1.0, "{b}");
        assert!(close(b, 4.133_059_800_960_867e-116, 1e-9), "{b}");

        let b = erlang_b(200_000, 200_000.0).unwrap();
        assert!(close(b, 0.001_782_003_830_116_438_5, 1e-10), "{b}");

        let b = erlang_b(500_000, 1.0e6).unwrap();
        assert!(close(b, 0.500_000_999_992_000_1, 1e-12), "{b}");

        let b = erlang_b(500_000, 490_000.0).unwrap();
        assert!(b.is_finite() && b > 0.0 && b < 1.0, "{b}");
        assert!(close(b, 5.421_135_608_760_766e-48, 1e-9), "{b}");
    }

    #[test]
    fn erlang_b_monotone() {
        for &a in &[0.1, 1.0, 7.5, 42.0, 300.0] {
            let mut prev = erlang_b(0, a).unwrap();
            for n in 1..400 {
                let b = erlang_b(n, a).unwrap();
                assert!(b <= prev, "B not decreasing in N at N={n}, A={a}");
                prev = b;
            }
        }
        for &n in &[1_u64, 5, 30, 250] {
            let mut prev = 0.0;
            for i in 1..500 {
                let a = f64::from(i) * 0.7;
                let b = erlang_b(n, a).unwrap();
                assert!(b >= prev, "B not increasing in A at N={n}, A={a}");
                assert!((0.0..=1.0).contains(&b));
                prev = b;
            }
        }
    }

    #[test]
    fn erlang_b_huge_load_does_not_nan() {
        let b = erlang_b(10, f64::MAX).unwrap();
        assert!(b.is_finite() && b <= 1.0 && b > 0.999, "{b}");
        let b = erlang_b(10, 1e-300).unwrap();
        assert!((0.0..1e-300).contains(&b));
    }

    #[test]
    fn erlang_b_invalid_inputs() {
        for bad in [f64::NAN, -1.0, f64::INFINITY, f64::NEG_INFINITY, -0.0001] {
            assert!(matches!(
                erlang_b(10, bad),
                Err(ErlangError::InvalidLoad(_))
            ));
        }
        assert_eq!(
            erlang_b(MAX_SERVERS + 10, 1.0e9),
            Err(ErlangError::ServerLimitExceeded { limit: MAX_SERVERS })
        );
    }

    // --- Erlang C --------------------------------------------------------

    #[test]
    fn erlang_c_known_values() {
        // N = 2, A = 1: B = 0.2, C = 2·0.2 / (2 − 0.8) = 1/3.
        assert!(close(erlang_c(2, 1.0).unwrap(), 1.0 / 3.0, 1e-14));
        // N = 1: M/M/1, C = ρ.
        assert!(close(erlang_c(1, 0.6).unwrap(), 0.6, 1e-14));
        assert_eq!(erlang_c(5, 0.0), Ok(0.0));
        // Unstable queues: everyone waits.
        assert_eq!(erlang_c(5, 5.0), Ok(1.0));
        assert_eq!(erlang_c(5, 12.0), Ok(1.0));
        assert_eq!(erlang_c(0, 1.0), Ok(1.0));
        // C >= B always.
        for n in 1..60 {
            let a = n as f64 * 0.9;
            assert!(erlang_c(n, a).unwrap() >= erlang_b(n, a).unwrap());
        }
        let c = erlang_c(200_000, 199_000.0).unwrap();
        assert!(c.is_finite() && c > 0.0 && c < 1.0, "{c}");
    }

    #[test]
    fn erlang_c_mean_wait_values() {
        // N = 2, A = 1, h = 180 s: W = (1/3)·180 / (2 − 1) = 60 s.
        assert!(close(
            erlang_c_mean_wait(2, 1.0, 180.0).unwrap(),
            60.0,
            1e-13
        ));
        // M/M/1: W = ρ h / (1 − ρ).
        assert!(close(
            erlang_c_mean_wait(1, 0.5, 10.0).unwrap(),
            10.0,
            1e-13
        ));
        assert_eq!(erlang_c_mean_wait(2, 2.0, 60.0), Ok(f64::INFINITY));
        assert_eq!(erlang_c_mean_wait(2, 0.0, 60.0), Ok(0.0));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                erlang_c_mean_wait(2, 1.0, bad),
                Err(ErlangError::InvalidHoldingTime(_))
            ));
        }
        assert!(matches!(
            erlang_c_mean_wait(2, f64::NAN, 1.0),
            Err(ErlangError::InvalidLoad(_))
        ));
        assert!(matches!(
            erlang_c(2, -3.0),
            Err(ErlangError::InvalidLoad(_))
        ));
    }

    // --- Engset ----------------------------------------------------------

    /// Engset state probabilities by the textbook product form, for checking.
    fn engset_distribution(servers: u64, sources: u64, beta: f64) -> Vec<f64> {
        let mut weights = vec![1.0_f64];
        for i in 1..=servers.min(sources) {
            let prev = weights[weights.len() - 1];
            weights.push(prev * beta * (sources - i + 1) as f64 / i as f64);
        }
        let total: f64 = weights.iter().sum();
        weights.iter().map(|w| w / total).collect()
    }

    #[test]
    fn engset_hand_computed() {
        // N = 1, S = 2: an arriving source sees the other one busy with
        // probability β/(1+β).
        for beta in [0.1, 0.5, 1.0, 3.0] {
            let b = engset(1, 2, beta).unwrap();
            assert!(close(b, beta / (1.0 + beta), 1e-14));
        }
        // N = 2, S = 4, β = 1/3: weights with S−1 = 3 sources are
        // 1, 1, 1/3, so B = (1/3)/(7/3) = 1/7; time congestion with 4 sources
        // (weights 1, 4/3, 2/3) is 2/9.
        assert!(close(engset(2, 4, 1.0 / 3.0).unwrap(), 1.0 / 7.0, 1e-14));
        assert!(close(
            engset_time_core(2, 4, 1.0 / 3.0).unwrap(),
            2.0 / 9.0,
            1e-14
        ));
        // N = 10, S = 30, β = 0.5: 0.240679056332857598912... (product form
        // C(29,10)β^10 / Σ C(29,i)β^i evaluated with 50-digit mpmath).
        assert!(close(
            engset(10, 30, 0.5).unwrap(),
            0.240_679_056_332_857_6,
            1e-12
        ));
    }

    #[test]
    fn engset_edge_cases() {
        assert_eq!(engset(5, 5, 2.0), Ok(0.0));
        assert_eq!(engset(9, 5, 2.0), Ok(0.0));
        assert_eq!(engset(0, 5, 2.0), Ok(1.0));
        assert_eq!(engset(3, 5, 0.0), Ok(0.0));
        assert_eq!(engset(3, 0, 1.0), Err(ErlangError::NoSources));
        for bad in [f64::NAN, -0.5, f64::INFINITY] {
            assert!(matches!(
                engset(3, 10, bad),
                Err(ErlangError::InvalidSourceTraffic(_))
            ));
        }
        let b = engset(3, 10, 1e300).unwrap();
        assert!(b.is_finite() && b > 0.99, "{b}");
        // Large systems stay finite.
        let b = engset(100_000, 400_000, 0.3).unwrap();
        assert!(b.is_finite() && (0.0..1.0).contains(&b), "{b}");
    }

    #[test]
    fn engset_approaches_erlang_b() {
        // Many sources, same offered traffic: Engset → Erlang B from below.
        let erl = erlang_b(20, 15.0).unwrap();
        let few = engset_from_offered(20, 40, 15.0).unwrap().call_congestion;
        let many = engset_from_offered(20, 1_000_000, 15.0)
            .unwrap()
            .call_congestion;
        assert!(few < many && many <= erl * (1.0 + 1e-9));
        assert!(close(many, erl, 1e-3), "{many} vs {erl}");
    }

    #[test]
    fn engset_from_offered_consistency() {
        for &(n, s, a) in &[
            (1_u64, 2_u64, 0.5),
            (10, 30, 8.0),
            (50, 200, 45.0),
            (5, 6, 5.9),
            (30, 1000, 25.0),
            (3, 100, 99.0),
        ] {
            let sol = engset_from_offered(n, s, a).unwrap();
            let alpha = a / s as f64;
            let beta = sol.per_source_beta;
            // Fixed point: α = β / (1 + β(1 − B)).
            let alpha_back = beta / (1.0 + beta * (1.0 - sol.call_congestion));
            assert!(close(alpha_back, alpha, 1e-10), "{n} {s} {a}");
            // Call congestion is Engset at the solved β.
            assert!(close(
                sol.call_congestion,
                engset(n, s, beta).unwrap(),
                1e-12
            ));
            assert!(sol.time_congestion >= sol.call_congestion);
            // Carried traffic = mean number of busy servers of the
            // product-form distribution with S sources.
            let dist = engset_distribution(n, s, beta);
            let busy: f64 = dist.iter().enumerate().map(|(i, p)| i as f64 * p).sum();
            assert!(close(sol.carried, busy, 1e-9), "{} vs {busy}", sol.carried);
            assert!(close(sol.time_congestion, dist[dist.len() - 1], 1e-9));
        }
    }

    /// Binomial coefficient, exact for the small arguments used here.
    fn choose(n: u64, k: u64) -> f64 {
        let mut c: u128 = 1;
        for i in 0..k {
            c = c * u128::from(n - i) / u128::from(i + 1);
        }
        c as f64
    }

    /// Engset congestion by its definition, the truncated binomial
    /// distribution: `C(m, N) β^N / Σ_{k=0..N} C(m, k) β^k` with `m = S − 1`
    /// sources seen by an arriving one (call congestion) or `m = S` (time).
    fn engset_by_definition(servers: u64, others: u64, beta: f64) -> f64 {
        if servers > others {
            return 0.0;
        }
        let term = |k: u64| choose(others, k) * beta.powi(k as i32);
        term(servers) / (0..=servers).map(term).sum::<f64>()
    }

    #[test]
    fn engset_matches_the_binomial_definition_including_offered_above_sources() {
        // (N, S, β); the comments give A = S·β / (1 + β(1 − B)).
        for &(n, s, beta) in &[
            (1_u64, 2_u64, 3.0), // A ≈ 3.2 ≥ S
            (3, 4, 5.0),         // A ≈ 6.4 ≥ S
            (5, 10, 2.0),        // A ≈ 10.9 ≥ S
            (5, 10, 10.0),       // A ≈ 50.9
            (9, 10, 10.0),       // A ≈ 14.8
            (10, 30, 0.5),       // A ≈ 13.8 < S
            (2, 10, 0.3),
            (29, 30, 100.0), // A ≈ 108.6
            (0, 3, 2.0),     // everything blocked, A = S·β = 6
        ] {
            let call = engset_by_definition(n, s - 1, beta);
            let time = engset_by_definition(n, s, beta);
            let offered = s as f64 * beta / (1.0 + beta * (1.0 - call));
            assert!(
                close(engset(n, s, beta).unwrap(), call, 1e-12),
                "{n} {s} {beta}"
            );
            let fb = engset_from_beta(n, s, beta).unwrap();
            assert!(close(fb.call_congestion, call, 1e-12), "{fb:?}");
            assert!(close(fb.time_congestion, time, 1e-12), "{fb:?}");
            assert!(close(fb.offered, offered, 1e-12), "{fb:?}");
            assert!(close(fb.carried, offered * (1.0 - call), 1e-12), "{fb:?}");
            // And back from the offered traffic, whether or not A >= S.
            let fo = engset_from_offered(n, s, offered).unwrap();
            assert!(
                close(fo.per_source_beta, beta, 1e-9),
                "{n} {s} {beta}: {fo:?}"
            );
            assert!(close(fo.call_congestion, call, 1e-9), "{fo:?}");
            assert!(close(fo.time_congestion, time, 1e-9), "{fo:?}");
            assert!(close(fo.offered, offered, 1e-15), "{fo:?}");
        }
        // At least as many servers as sources: no blocking, A = S·β/(1+β) < S.
        let fb = engset_from_beta(4, 4, 1e6).unwrap();
        assert_eq!(fb.call_congestion, 0.0);
        assert!(fb.offered < 4.0 && close(fb.offered, 4.0 * 1e6 / (1.0 + 1e6), 1e-12));
        assert_eq!(engset_from_beta(3, 0, 1.0), Err(ErlangError::NoSources));
        assert!(matches!(
            engset_from_beta(3, 4, -1.0),
            Err(ErlangError::InvalidSourceTraffic(_))
        ));
        assert_eq!(engset_from_beta(3, 4, 0.0).unwrap().offered, 0.0);
    }

    #[test]
    fn engset_from_offered_edges_and_errors() {
        let sol = engset_from_offered(4, 4, 2.0).unwrap();
        assert_eq!(sol.call_congestion, 0.0);
        assert!(close(sol.per_source_beta, 1.0, 1e-15));
        assert!(close(sol.time_congestion, 0.5_f64.powi(4), 1e-14));
        assert!(close(sol.carried, 2.0, 1e-15));

        let sol = engset_from_offered(0, 4, 2.0).unwrap();
        assert_eq!(sol.call_congestion, 1.0);
        assert_eq!(sol.carried, 0.0);

        let sol = engset_from_offered(3, 4, 0.0).unwrap();
        assert_eq!(sol.carried, 0.0);
        assert_eq!(sol.call_congestion, 0.0);

        // At least as many servers as sources: nobody is blocked, so the
        // offered traffic is carried and must stay below S.
        for (n, a) in [(4, 4.0), (4, 7.0), (9, 4.0)] {
            assert_eq!(
                engset_from_offered(n, 4, a),
                Err(ErlangError::OfferedExceedsSources {
                    offered: a,
                    sources: 4,
                    servers: n,
                })
            );
        }
        // Fewer servers than sources: A >= S is fine, blocked users retry.
        for a in [4.0, 7.0, 1e3, 1e9] {
            let sol = engset_from_offered(3, 4, a).unwrap();
            let beta = sol.per_source_beta;
            let back = engset_from_beta(3, 4, beta).unwrap();
            assert!(close(back.offered, a, 1e-9), "{a}: {sol:?} {back:?}");
            assert!(sol.call_congestion > 0.0 && sol.call_congestion < 1.0);
            // Carried = mean busy servers of the product form, below N = 3.
            let dist = engset_distribution(3, 4, beta);
            let busy: f64 = dist.iter().enumerate().map(|(i, p)| i as f64 * p).sum();
            assert!(close(sol.carried, busy, 1e-9), "{a}: {sol:?} vs {busy}");
            assert!(sol.carried < 3.0, "{sol:?}");
        }
        let sol = engset_from_offered(0, 4, 9.0).unwrap();
        assert_eq!((sol.call_congestion, sol.per_source_beta), (1.0, 2.25));
        assert_eq!(engset_from_offered(3, 0, 0.5), Err(ErlangError::NoSources));
        for bad in [f64::NAN, -1.0, f64::INFINITY] {
            assert!(matches!(
                engset_from_offered(3, 10, bad),
                Err(ErlangError::InvalidLoad(_))
            ));
        }
        // Nearly saturated sources still converge.
        let sol = engset_from_offered(2, 10, 10.0 - 1e-9).unwrap();
        assert!(sol.call_congestion > 0.5 && sol.call_congestion < 1.0);
    }

    // --- Extended Erlang B -----------------------------------------------

    #[test]
    fn extended_erlang_b_published_value() {
        // erlang.com (Westbay) ExtErlBTraffic manual: 200 lines, 3% blocking,
        // 70% of blocked calls retried → 186.877 erlang of fresh traffic.
        let x = extended_erlang_b(200, 186.877, 0.7).unwrap();
        assert!((x.blocking - 0.03).abs() < 1e-4, "{x:?}");
    }

    #[test]
    fn extended_erlang_b_properties() {
        // r = 0 is plain Erlang B.
        let x = extended_erlang_b(10, 7.0, 0.0).unwrap();
        assert!(close(x.blocking, erlang_b(10, 7.0).unwrap(), 1e-14));
        assert!(close(x.offered_with_retries, 7.0, 1e-14));

        for &(n, a, r) in &[
            (10_u64, 7.0, 0.5),
            (10, 30.0, 0.9),
            (100, 95.0, 0.99),
            (5, 2.0, 0.999_999),
            (0, 3.0, 0.5),
        ] {
            let x = extended_erlang_b(n, a, r).unwrap();
            // Fixed point and conservation of fresh traffic.
            let b = erlang_b(n, x.offered_with_retries).unwrap();
            assert!(close(x.blocking, b, 1e-14));
            assert!(
                close(
                    x.offered_with_retries,
                    a + r * b * x.offered_with_retries,
                    1e-10
                ),
                "{x:?}"
            );
            assert!(close(x.carried + x.lost, a, 1e-9), "{x:?}");
            assert!(x.blocking >= erlang_b(n, a).unwrap());
        }

        // r = 1 with load below capacity: everything is eventually carried.
        let x = extended_erlang_b(10, 8.0, 1.0).unwrap();
        assert!(close(x.carried, 8.0, 1e-9), "{x:?}");
        assert_eq!(x.lost, 0.0);
        assert!(extended_erlang_b(10, 0.0, 1.0).is_ok());
    }

    #[test]
    fn extended_erlang_b_errors() {
        assert!(matches!(
            extended_erlang_b(10, 10.0, 1.0),
            Err(ErlangError::RetriesUnbounded { .. })
        ));
        for bad in [f64::NAN, -0.1, 1.5, f64::INFINITY] {
            assert!(matches!(
                extended_erlang_b(10, 5.0, bad),
                Err(ErlangError::InvalidRetryFraction(_))
            ));
        }
        assert!(matches!(
            extended_erlang_b(10, f64::NAN, 0.5),
            Err(ErlangError::InvalidLoad(_))
        ));
    }

    // --- Inverse solvers -------------------------------------------------

    #[test]
    fn erlang_b_max_load_published_tables() {
        // Standard Erlang B tables at 1% blocking: N=10 → 4.46, N=20 → 12.03,
        // N=50 → 37.90, N=100 → 84.06 erlang; erlang.com calculator manual:
        // 15 lines at 1% → 8.108 erlang.
        for &(n, table) in &[
            (10_u64, 4.46),
            (15, 8.108),
            (20, 12.03),
            (50, 37.90),
            (100, 84.06),
        ] {
            let a = erlang_b_max_load(n, 0.01).unwrap();
            assert!((a - table).abs() < 0.006, "N={n}: {a} vs {table}");
        }
    }

    #[test]
    fn erlang_b_max_load_round_trip() {
        for &n in &[1_u64, 2, 10, 57, 1000, 200_000] {
            for &p in &[1e-6, 0.001, 0.01, 0.05, 0.3, 0.9] {
                let a = erlang_b_max_load(n, p).unwrap();
                let b = erlang_b(n, a).unwrap();
                assert!(b <= p, "N={n} p={p}: B({a}) = {b}");
                assert!(close(b, p, 1e-8), "N={n} p={p}: B({a}) = {b}");
                let above = erlang_b(n, a * (1.0 + 1e-9)).unwrap();
                assert!(above > b);
            }
        }
        // B(1, A) = A/(1+A) ≤ p ⇔ A ≤ p/(1−p).
        assert!(close(erlang_b_max_load(1, 0.2).unwrap(), 0.25, 1e-11));
        assert_eq!(erlang_b_max_load(0, 0.2), Ok(0.0));
    }

    #[test]
    fn erlang_b_servers_for_round_trip() {
        // erlang.com forum: 1200 calls/h × 3 min = 33.333 erlang at 1% → 45.
        assert_eq!(erlang_b_servers_for(100.0 / 3.0, 0.01), Ok(45));
        for &a in &[0.01, 1.0, 4.46, 90.0, 1234.5, 190_000.0] {
            for &p in &[1e-9, 0.001, 0.01, 0.2] {
                let n = erlang_b_servers_for(a, p).unwrap();
                assert!(erlang_b(n, a).unwrap() <= p);
                assert!(n >= 1 && erlang_b(n - 1, a).unwrap() > p);
            }
        }
        assert_eq!(erlang_b_servers_for(0.0, 0.01), Ok(0));
        // At a million erlang, 1% blocking is reached *below* N = A: in
        // overload B ≈ 1 − N/A, so N ≈ A(1 − p) = 990 000 plus a little.
        let n = erlang_b_servers_for(1.0e6, 0.01).unwrap();
        assert!(n > 990_000 && n < 1_000_000, "{n}");
        assert!(erlang_b(n, 1.0e6).unwrap() <= 0.01);
        assert!(erlang_b(n - 1, 1.0e6).unwrap() > 0.01);
    }

    #[test]
    fn inverse_solver_errors() {
        for bad in [0.0, 1.0, -0.1, 1.1, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                erlang_b_servers_for(10.0, bad),
                Err(ErlangError::InvalidProbability(_))
            ));
            assert!(matches!(
                erlang_b_max_load(10, bad),
                Err(ErlangError::InvalidProbability(_))
            ));
            assert!(matches!(
                engset_servers_for(100, 10.0, bad),
                Err(ErlangError::InvalidProbability(_))
            ));
        }
        for bad in [f64::NAN, -1.0, f64::INFINITY] {
            assert!(matches!(
                erlang_b_servers_for(bad, 0.01),
                Err(ErlangError::InvalidLoad(_))
            ));
        }
        assert_eq!(
            erlang_b_servers_for(5.0e7, 0.01),
            Err(ErlangError::ServerLimitExceeded { limit: MAX_SERVERS })
        );
        assert_eq!(
            engset_servers_for(0, 1.0, 0.01),
            Err(ErlangError::NoSources)
        );
        // A = S is possible only with N < S; even N = 9 blocks far more than 1%.
        match engset_servers_for(10, 10.0, 0.01) {
            Err(ErlangError::EngsetTargetUnreachable {
                offered,
                sources,
                least_blocking,
            }) => {
                assert_eq!((offered, sources), (10.0, 10));
                let at9 = engset_from_offered(9, 10, 10.0).unwrap().call_congestion;
                assert!(close(least_blocking, at9, 1e-12) && at9 > 0.01);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            engset_servers_for(1, 1.0, 0.5),
            Err(ErlangError::EngsetTargetUnreachable { .. })
        ));
    }

    #[test]
    fn engset_servers_for_round_trip() {
        for &(s, a) in &[
            (2_u64, 0.5),
            (10, 5.0),
            (40, 15.0),
            (300, 60.0),
            (5000, 800.0),
            (12, 11.9),
        ] {
            for &p in &[0.001, 0.01, 0.1] {
                let n = engset_servers_for(s, a, p).unwrap();
                let at = engset_from_offered(n, s, a).unwrap().call_congestion;
                assert!(at <= p, "S={s} A={a} p={p}: N={n} gives {at}");
                assert!(n >= 1);
                let below = engset_from_offered(n - 1, s, a).unwrap().call_congestion;
                assert!(below > p, "S={s} A={a} p={p}: N-1={} gives {below}", n - 1);
                // Never more than Erlang B would ask for.
                assert!(n <= erlang_b_servers_for(a, p).unwrap());
            }
        }
        assert_eq!(engset_servers_for(10, 0.0, 0.01), Ok(0));
        // Offered traffic at or above the number of sources: only N < S can
        // carry it; a loose enough target is met below S.
        for &(s, a, p) in &[(10_u64, 10.0, 0.3), (10, 12.0, 0.5), (4, 5.0, 0.6)] {
            let n = engset_servers_for(s, a, p).unwrap();
            assert!(n < s, "S={s} A={a} p={p}: N={n}");
            let at = engset_from_offered(n, s, a).unwrap().call_congestion;
            assert!(at <= p, "S={s} A={a} p={p}: N={n} gives {at}");
            let below = engset_from_offered(n - 1, s, a).unwrap().call_congestion;
            assert!(below > p, "S={s} A={a} p={p}: N-1={} gives {below}", n - 1);
        }
    }

    #[test]
    fn engset_monotone_in_servers_at_fixed_offered() {
        let mut prev = 1.0;
        for n in 0..=60 {
            let b = engset_from_offered(n, 60, 40.0).unwrap().call_congestion;
            assert!(b <= prev, "N={n}");
            prev = b;
        }
        assert_eq!(prev, 0.0);
        // Also when the offered traffic exceeds the sources (N < S only).
        let mut prev = 1.0;
        for n in 0..60 {
            let b = engset_from_offered(n, 60, 90.0).unwrap().call_congestion;
            assert!(b <= prev && b > 0.0, "N={n}");
            prev = b;
        }
    }

    #[test]
    fn errors_display() {
        let msgs = [
            ErlangError::InvalidLoad(-1.0).to_string(),
            ErlangError::NoSources.to_string(),
            ErlangError::OfferedExceedsSources {
                offered: 5.0,
                sources: 4,
                servers: 4,
            }
            .to_string(),
            ErlangError::EngsetTargetUnreachable {
                offered: 10.0,
                sources: 10,
                least_blocking: 0.2,
            }
            .to_string(),
            ErlangError::NoConvergence {
                what: "x",
                iterations: 3,
            }
            .to_string(),
        ];
        assert!(msgs.iter().all(|m| !m.is_empty()));
        let e: Box<dyn std::error::Error> = Box::new(ErlangError::NoSources);
        assert!(e.to_string().contains("sources"));
    }
}
