//! The closed forms as a calculator: one formula, the values known, the rest solved.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::erlang::{self, ErlangError};

/// What to compute. Each variant holds exactly the values its formula needs, so an
/// underdetermined question cannot be asked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Question {
    /// Erlang B blocking of `servers` at `load` erlang.
    ErlangB {
        /// Servers.
        servers: u64,
        /// Offered traffic, erlang.
        load: f64,
    },
    /// The fewest servers that keep Erlang B blocking at `load` within `blocking`.
    ErlangBServers {
        /// Offered traffic, erlang.
        load: f64,
        /// Highest blocking, a fraction.
        blocking: f64,
    },
    /// The most load `servers` carry with Erlang B blocking within `blocking`.
    ErlangBLoad {
        /// Servers.
        servers: u64,
        /// Highest blocking, a fraction.
        blocking: f64,
    },
    /// Erlang C probability of waiting, and the mean wait if the holding time is known.
    ErlangC {
        /// Servers.
        servers: u64,
        /// Offered traffic, erlang.
        load: f64,
        /// Mean holding time, seconds.
        holding_secs: Option<f64>,
    },
    /// Engset with the total offered traffic (blocked attempts counted).
    EngsetOffered {
        /// Servers.
        servers: u64,
        /// Sources.
        sources: u64,
        /// Total offered traffic, erlang.
        load: f64,
    },
    /// Engset with the traffic each idle source offers.
    EngsetBeta {
        /// Servers.
        servers: u64,
        /// Sources.
        sources: u64,
        /// Offered traffic per idle source, erlang.
        beta: f64,
    },
    /// Extended Erlang B: a share of blocked calls retries.
    ExtendedB {
        /// Servers.
        servers: u64,
        /// Offered traffic, erlang.
        load: f64,
        /// Share of blocked calls that retry.
        retry: f64,
    },
}

/// One value of an answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A name (the formula).
    Name(&'static str),
    /// A count.
    Count(u64),
    /// A real number; not finite means "none" (infinite waits).
    Real(f64),
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Value::Name(n) => s.serialize_str(n),
            Value::Count(c) => s.serialize_u64(c),
            Value::Real(r) if r.is_finite() => s.serialize_f64(r),
            Value::Real(_) => s.serialize_none(),
        }
    }
}

/// The answer: named values in a fixed order (the formula first, then the inputs, then what
/// was solved), serialised as one object.
#[derive(Clone, Debug, PartialEq)]
pub struct Calculation {
    /// The values.
    pub rows: Vec<(&'static str, Value)>,
}

impl Serialize for Calculation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.rows.len()))?;
        for (k, v) in &self.rows {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Answers a question.
pub fn calculate(q: Question) -> Result<Calculation, ErlangError> {
    use Value::{Count, Name, Real};
    let rows = match q {
        Question::ErlangB { servers, load } => {
            let b = erlang::erlang_b(servers, load)?;
            vec![
                ("formula", Name("erlang_b")),
                ("servers", Count(servers)),
                ("load_erlang", Real(load)),
                ("blocking", Real(b)),
                ("carried_erlang", Real(load * (1.0 - b))),
            ]
        }
        Question::ErlangBServers { load, blocking } => {
            let n = erlang::erlang_b_servers_for(load, blocking)?;
            let b = erlang::erlang_b(n, load)?;
            vec![
                ("formula", Name("erlang_b")),
                ("load_erlang", Real(load)),
                ("target_blocking", Real(blocking)),
                ("servers", Count(n)),
                ("blocking", Real(b)),
            ]
        }
        Question::ErlangBLoad { servers, blocking } => {
            let a = erlang::erlang_b_max_load(servers, blocking)?;
            vec![
                ("formula", Name("erlang_b")),
                ("servers", Count(servers)),
                ("target_blocking", Real(blocking)),
                ("load_erlang", Real(a)),
            ]
        }
        Question::ErlangC {
            servers,
            load,
            holding_secs,
        } => {
            let p = erlang::erlang_c(servers, load)?;
            let mut rows = vec![
                ("formula", Name("erlang_c")),
                ("servers", Count(servers)),
                ("load_erlang", Real(load)),
                ("probability_of_waiting", Real(p)),
            ];
            if let Some(h) = holding_secs {
                let w = erlang::erlang_c_mean_wait(servers, load, h)?;
                rows.push(("mean_wait_secs", Real(w)));
            }
            rows
        }
        Question::EngsetOffered {
            servers,
            sources,
            load,
        } => engset_rows(
            servers,
            sources,
            erlang::engset_from_offered(servers, sources, load)?,
        ),
        Question::EngsetBeta {
            servers,
            sources,
            beta,
        } => engset_rows(
            servers,
            sources,
            erlang::engset_from_beta(servers, sources, beta)?,
        ),
        Question::ExtendedB {
            servers,
            load,
            retry,
        } => {
            let e = erlang::extended_erlang_b(servers, load, retry)?;
            vec![
                ("formula", Name("extended_erlang_b")),
                ("servers", Count(servers)),
                ("load_erlang", Real(load)),
                ("retry_fraction", Real(retry)),
                ("blocking", Real(e.blocking)),
                ("offered_with_retries", Real(e.offered_with_retries)),
                ("lost_erlang", Real(e.lost)),
                ("carried_erlang", Real(e.carried)),
            ]
        }
    };
    Ok(Calculation { rows })
}

fn engset_rows(
    servers: u64,
    sources: u64,
    s: erlang::EngsetSolution,
) -> Vec<(&'static str, Value)> {
    use Value::{Count, Name, Real};
    vec![
        ("formula", Name("engset")),
        ("servers", Count(servers)),
        ("sources", Count(sources)),
        ("load_erlang", Real(s.offered)),
        ("call_congestion", Real(s.call_congestion)),
        ("time_congestion", Real(s.time_congestion)),
        ("per_source_beta", Real(s.per_source_beta)),
        ("carried_erlang", Real(s.carried)),
    ]
}
