//! `rapt erlang`: the closed forms as a calculator, solving for whichever value is missing.

use std::io::Write;

use anyhow::Result;
use serde_json::{Value, json};

use crate::Exit;
use crate::cli::{ErlangCommon, ErlangFormula, FindingsFormat};
use rapt::erlang;
use rapt::units::{Duration, Share};

fn usage(message: &str) -> Result<Exit> {
    eprintln!("error: {message}");
    Ok(Exit::Usage)
}

fn share(text: &str, what: &str) -> std::result::Result<f64, String> {
    let v = Share::parse(text)
        .map_err(|e| format!("{what}: {e}"))?
        .fraction();
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "{what}: {text} is not between 0 and 1 (0% and 100%)"
        ))
    }
}

/// Runs the calculator.
pub fn run(formula: &ErlangFormula) -> Result<Exit> {
    let (common, outcome) = match formula {
        ErlangFormula::B { common, blocking } => (common, erlang_b(common, blocking.as_deref())),
        ErlangFormula::C { common, holding } => (common, erlang_c(common, holding.as_deref())),
        ErlangFormula::Engset {
            common,
            sources,
            beta,
        } => (common, engset(common, *sources, *beta)),
        ErlangFormula::ExtendedB { common, retry } => (common, extended(common, retry)),
    };
    let rows = match outcome {
        Ok(rows) => rows,
        Err(Problem::Usage(m)) => return usage(&m),
        Err(Problem::Math(m)) => {
            eprintln!("error: {m}");
            return Ok(Exit::Failure);
        }
    };
    let mut out = super::stdout();
    match common.format {
        FindingsFormat::Json => {
            let obj: serde_json::Map<String, Value> =
                rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            serde_json::to_writer_pretty(&mut out, &obj)?;
            writeln!(out)?;
        }
        FindingsFormat::Table => {
            for (k, v) in rows {
                let text = match &v {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                writeln!(out, "{:<24} {text}", k.replace('_', " "))?;
            }
        }
    }
    out.flush()?;
    Ok(Exit::Success)
}

enum Problem {
    Usage(String),
    Math(String),
}

impl From<erlang::ErlangError> for Problem {
    fn from(e: erlang::ErlangError) -> Self {
        Problem::Math(e.to_string())
    }
}

type Rows = Vec<(&'static str, Value)>;

fn erlang_b(c: &ErlangCommon, blocking: Option<&str>) -> std::result::Result<Rows, Problem> {
    let target = blocking
        .map(|b| share(b, "--blocking"))
        .transpose()
        .map_err(Problem::Usage)?;
    match (c.servers, c.load, target) {
        (Some(n), Some(a), None) => {
            let b = erlang::erlang_b(n, a)?;
            Ok(vec![
                ("formula", json!("erlang_b")),
                ("servers", json!(n)),
                ("load_erlang", json!(a)),
                ("blocking", json!(b)),
                ("carried_erlang", json!(a * (1.0 - b))),
            ])
        }
        (None, Some(a), Some(p)) => {
            let n = erlang::erlang_b_servers_for(a, p)?;
            let b = erlang::erlang_b(n, a)?;
            Ok(vec![
                ("formula", json!("erlang_b")),
                ("load_erlang", json!(a)),
                ("target_blocking", json!(p)),
                ("servers", json!(n)),
                ("blocking", json!(b)),
            ])
        }
        (Some(n), None, Some(p)) => {
            let a = erlang::erlang_b_max_load(n, p)?;
            Ok(vec![
                ("formula", json!("erlang_b")),
                ("servers", json!(n)),
                ("target_blocking", json!(p)),
                ("load_erlang", json!(a)),
            ])
        }
        _ => Err(Problem::Usage(
            "give exactly two of --servers, --load and --blocking; the third is solved".into(),
        )),
    }
}

fn erlang_c(c: &ErlangCommon, holding: Option<&str>) -> std::result::Result<Rows, Problem> {
    let (Some(n), Some(a)) = (c.servers, c.load) else {
        return Err(Problem::Usage("erlang c needs --servers and --load".into()));
    };
    let p = erlang::erlang_c(n, a)?;
    let mut rows = vec![
        ("formula", json!("erlang_c")),
        ("servers", json!(n)),
        ("load_erlang", json!(a)),
        ("probability_of_waiting", json!(p)),
    ];
    if let Some(h) = holding {
        let h = Duration::parse(h).map_err(|e| Problem::Usage(format!("--holding: {e}")))?;
        let w = erlang::erlang_c_mean_wait(n, a, h.secs())?;
        rows.push((
            "mean_wait_secs",
            if w.is_finite() { json!(w) } else { json!(null) },
        ));
    }
    Ok(rows)
}

fn engset(c: &ErlangCommon, sources: u64, beta: Option<f64>) -> std::result::Result<Rows, Problem> {
    let s = match (c.servers, c.load, beta) {
        (Some(n), Some(a), None) => erlang::engset_from_offered(n, sources, a).map_err(|e| {
            if let erlang::ErlangError::OfferedExceedsSources { .. } = e {
                Problem::Math(format!(
                    "{e}; if you know each user's traffic while idle (mean holding time / mean \
                     idle time between attempts), give it as --beta instead of --load"
                ))
            } else {
                e.into()
            }
        })?,
        (Some(n), None, Some(b)) => erlang::engset_from_beta(n, sources, b)?,
        _ => {
            return Err(Problem::Usage(
                "erlang engset needs --servers, --sources and one of --load (total offered \
                 traffic) or --beta (offered traffic per idle source)"
                    .into(),
            ));
        }
    };
    Ok(vec![
        ("formula", json!("engset")),
        ("servers", json!(c.servers)),
        ("sources", json!(sources)),
        ("load_erlang", json!(s.offered)),
        ("call_congestion", json!(s.call_congestion)),
        ("time_congestion", json!(s.time_congestion)),
        ("per_source_beta", json!(s.per_source_beta)),
        ("carried_erlang", json!(s.carried)),
    ])
}

fn extended(c: &ErlangCommon, retry: &str) -> std::result::Result<Rows, Problem> {
    let (Some(n), Some(a)) = (c.servers, c.load) else {
        return Err(Problem::Usage(
            "erlang extended-b needs --servers, --load and --retry".into(),
        ));
    };
    let r = share(retry, "--retry").map_err(Problem::Usage)?;
    let e = erlang::extended_erlang_b(n, a, r)?;
    Ok(vec![
        ("formula", json!("extended_erlang_b")),
        ("servers", json!(n)),
        ("load_erlang", json!(a)),
        ("retry_fraction", json!(r)),
        ("blocking", json!(e.blocking)),
        ("offered_with_retries", json!(e.offered_with_retries)),
        ("lost_erlang", json!(e.lost)),
        ("carried_erlang", json!(e.carried)),
    ])
}
