//! A calibration ([`crate::plan::calibrate::CalibrationAnswer`]) as text, JSON, and the
//! calibrated scenario file.

use std::io::{self, Write};

use crate::plan::calibrate::CalibrationAnswer;
use crate::plan::replay::ReplayFigure;

fn figure(f: &ReplayFigure) -> String {
    let r = &f.row;
    format!(
        "{} {} ({}): published {}, simulated {:.0} (P5–P95 {:.0}–{:.0}){} — {}",
        r.date,
        r.metric.label(),
        r.scope,
        super::replay::published(r.published),
        r.simulated.mean,
        r.p5,
        r.simulated.p95,
        r.rel_error
            .map_or(String::new(), |e| format!(", {:+.1}%", e * 100.0)),
        if f.within_tolerance {
            "agrees"
        } else {
            "DISAGREES"
        }
    )
}

/// Writes the fit for people.
pub fn write_table(a: &CalibrationAnswer, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} — calibration on {} replications, seed {} (common random numbers); loss {:.5} (sum of squared relative errors of the calibration figures; a bound counts its violation); {} simulations",
        a.scenario, a.replications, a.seed, a.loss, a.evaluations
    )?;
    writeln!(
        out,
        "\nFitted (cyclic golden-section search in each input's range)"
    )?;
    for f in &a.fitted {
        let pinned = f.pinned.map_or(
            "not pinned: even the fit leaves some calibration figure outside".to_string(),
            |(lo, hi)| format!("every calibration figure agrees from {lo:.3} to {hi:.3}"),
        );
        writeln!(
            out,
            "  {} = {:.3} (range {:.3}–{:.3}); {pinned}",
            f.input, f.value, f.range.0, f.range.1
        )?;
    }
    writeln!(out, "\nCalibration figures at the fit (not evidence)")?;
    for f in &a.calibration {
        writeln!(out, "  {}", figure(f))?;
    }
    writeln!(out, "\nHoldouts replayed with the fit (the evidence)")?;
    if a.holdouts.is_empty() {
        writeln!(
            out,
            "  none: nothing in this scenario is independent evidence"
        )?;
    }
    for f in &a.holdouts {
        writeln!(out, "  {}", figure(f))?;
    }
    if !a.leave_one_out.is_empty() {
        writeln!(
            out,
            "\nLeave one out: each calibration figure predicted from a fit to the others"
        )?;
        for l in &a.leave_one_out {
            let values: Vec<String> = l
                .fitted
                .iter()
                .map(|(p, v)| format!("{p} = {v:.3}"))
                .collect();
            writeln!(out, "  {}  [fit: {}]", figure(&l.figure), values.join(", "))?;
            if !l.free.is_empty() {
                writeln!(
                    out,
                    "    left free by the other figures (at their range's middle, so not data): {}",
                    l.free.join(", ")
                )?;
            }
        }
    }
    Ok(())
}

/// Writes the whole answer as JSON.
pub fn write_json(a: &CalibrationAnswer, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, a)?;
    writeln!(out)
}

/// The calibrated scenario as YAML, headed by a comment block naming the fitted values.
pub fn calibrated_yaml(a: &CalibrationAnswer) -> Result<String, String> {
    let body = serde_saphyr::to_string(&a.calibrated).map_err(|e| e.to_string())?;
    let mut head = format!(
        "# Calibrated by `rapt calibrate` ({} replications, seed {}, loss {:.5}). Fitted:\n",
        a.replications, a.seed, a.loss
    );
    for f in &a.fitted {
        head.push_str(&format!("#   {} = {:.3}\n", f.input, f.value));
    }
    Ok(format!("{head}{body}"))
}
