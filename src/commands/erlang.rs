//! `rapt erlang`: the closed forms as a calculator, solving for whichever value is missing.

use std::io::Write;

use anyhow::Result;

use crate::Exit;
use crate::cli::{ErlangCommon, ErlangFormula, FindingsFormat};
use crate::error::usage;
use rapt::erlang::ErlangError;
use rapt::plan::calculator::{Question, calculate};
use rapt::report::calculator as render;

/// The question the flags ask; a flag missing or too many is a usage error naming the flags.
fn question(formula: &ErlangFormula) -> Result<Question> {
    let need = |c: &ErlangCommon, message: &str| match (c.servers, c.load) {
        (Some(servers), Some(load)) => Ok((servers, load)),
        _ => Err(usage(message)),
    };
    Ok(match formula {
        ErlangFormula::B { common, blocking } => match (common.servers, common.load, *blocking) {
            (Some(servers), Some(load), None) => Question::ErlangB { servers, load },
            (None, Some(load), Some(blocking)) => Question::ErlangBServers { load, blocking },
            (Some(servers), None, Some(blocking)) => Question::ErlangBLoad { servers, blocking },
            _ => {
                return Err(usage(
                    "give exactly two of --servers, --load and --blocking; the third is solved",
                ));
            }
        },
        ErlangFormula::C { common, holding } => {
            let (servers, load) = need(common, "erlang c needs --servers and --load")?;
            Question::ErlangC {
                servers,
                load,
                holding_secs: *holding,
            }
        }
        ErlangFormula::Engset {
            common,
            sources,
            beta,
        } => match (common.servers, common.load, beta) {
            (Some(servers), Some(load), None) => Question::EngsetOffered {
                servers,
                sources: *sources,
                load,
            },
            (Some(servers), None, Some(beta)) => Question::EngsetBeta {
                servers,
                sources: *sources,
                beta: *beta,
            },
            _ => {
                return Err(usage(
                    "erlang engset needs --servers, --sources and one of --load (total offered \
                     traffic) or --beta (offered traffic per idle source)",
                ));
            }
        },
        ErlangFormula::ExtendedB { common, retry } => {
            let (servers, load) = need(
                common,
                "erlang extended-b needs --servers, --load and --retry",
            )?;
            Question::ExtendedB {
                servers,
                load,
                retry: *retry,
            }
        }
    })
}

/// Runs the calculator.
pub fn run(formula: &ErlangFormula) -> Result<Exit> {
    let common = match formula {
        ErlangFormula::B { common, .. }
        | ErlangFormula::C { common, .. }
        | ErlangFormula::Engset { common, .. }
        | ErlangFormula::ExtendedB { common, .. } => common,
    };
    let q = question(formula)?;
    let calculation = match calculate(q) {
        Ok(c) => c,
        Err(e) => {
            // The one hint that needs the flags' names.
            let hint = match (e, q) {
                (ErlangError::OfferedExceedsSources { .. }, Question::EngsetOffered { .. }) => {
                    "; if you know each user's traffic while idle (mean holding time / mean \
                     idle time between attempts), give it as --beta instead of --load"
                }
                _ => "",
            };
            eprintln!("error: {e}{hint}");
            return Ok(Exit::InvalidInput);
        }
    };
    let mut out = super::stdout();
    match common.format {
        FindingsFormat::Json => render::write_json(&calculation, &mut out)?,
        FindingsFormat::Table => render::write_text(&calculation, &mut out)?,
    }
    out.flush()?;
    Ok(Exit::Success)
}
