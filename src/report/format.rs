//! Small formatting helpers shared by the exporters and the commands.

use crate::plan::service::{Check, Verdict};
use crate::scenario::Quantile;
use crate::sim::{CurveChoice, DayMetric};

/// Colour for words that carry a verdict (`FAIL`, `BREACHED`, `error:`), for terminals.
///
/// Off by default: then every method returns its text unchanged, so files, pipes and
/// `NO_COLOR` get plain text. On, the text is wrapped in one of the [`Paint::SEQUENCES`],
/// the only escape sequences [`super::printable::Printable::passing_styles`] lets through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paint {
    /// Whether to colour.
    pub on: bool,
}

impl Paint {
    const BAD: &'static str = "\u{1b}[1;31m";
    const GOOD: &'static str = "\u{1b}[32m";
    const WARN: &'static str = "\u{1b}[33m";
    const RESET: &'static str = "\u{1b}[0m";
    /// Every escape sequence rapt writes: select graphic rendition (colour, bold) and reset.
    pub const SEQUENCES: [&'static str; 4] = [Self::BAD, Self::GOOD, Self::WARN, Self::RESET];

    fn with(self, style: &str, text: &str) -> String {
        if self.on {
            format!("{style}{text}{}", Self::RESET)
        } else {
            text.to_string()
        }
    }

    /// A failed check or an error: bold red.
    pub fn bad(self, text: &str) -> String {
        self.with(Self::BAD, text)
    }

    /// A met check: green.
    pub fn good(self, text: &str) -> String {
        self.with(Self::GOOD, text)
    }

    /// A warning or something not judged: yellow.
    pub fn warn(self, text: &str) -> String {
        self.with(Self::WARN, text)
    }
}

/// Escapes text for HTML and SVG (element content and quoted attributes). Control characters,
/// which XML does not allow and a browser would refuse the whole SVG for, are shown as
/// `\uXXXX` (see [`super::printable::printable`]).
pub fn esc(s: &str) -> String {
    super::printable::printable(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A key figure in a table (`compare`, `sweep`): four decimals when below 1 in magnitude (shares
/// and other fractions), else a whole number; a dash when there is none.
pub fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |x| figure_text(x, false))
}

/// A difference of two key figures, signed, with [`figure`]'s precision.
pub fn figure_change(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |x| figure_text(x, true))
}

fn figure_text(x: f64, signed: bool) -> String {
    match (x.abs() < 1.0 && x != 0.0, signed) {
        (true, false) => format!("{x:.4}"),
        (true, true) => format!("{x:+.4}"),
        (false, false) => format!("{x:.0}"),
        (false, true) => format!("{x:+.0}"),
    }
}

/// Seconds since midnight as `hh:mm`, rounded to the minute.
pub fn clock(secs: f64) -> String {
    let m = (secs / 60.0).round() as u64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A share as a percentage with two decimals, e.g. `0.0123` → `1.23%`.
pub fn percent(v: f64) -> String {
    format!("{:.2}%", v * 100.0)
}

/// A share for tables: `0%`, three decimals below 0.1%, else two.
pub fn share(v: f64) -> String {
    if v == 0.0 {
        "0%".into()
    } else if v < 0.001 {
        format!("{:.3}%", v * 100.0)
    } else {
        percent(v)
    }
}

/// Seconds for people: `0.60s`, `45s`, `3.5min`.
pub fn duration(secs: f64) -> String {
    if secs < 1.0 {
        format!("{:.2}s", secs)
    } else if secs < 120.0 {
        format!("{:.0}s", secs)
    } else {
        format!("{:.1}min", secs / 60.0)
    }
}

/// A judged figure in its unit: a share, or a duration for login delays.
pub fn metric_value(metric: DayMetric, v: f64) -> String {
    match metric {
        DayMetric::LoginDelayMax => duration(v),
        DayMetric::Dropped => format!("{v:.0} sessions"),
        _ => share(v),
    }
}

/// The N−1 case in one sentence: which unit was lost when, and both verdicts.
pub fn failover_line(n: &crate::plan::failover::NMinusOne) -> String {
    let met = |m: Option<bool>| match m {
        Some(true) => "met",
        Some(false) => "BREACHED",
        None => "not judged (no service level)",
    };
    let at = n.at_secs as u64;
    let lost = if n.whole_pool {
        format!(
            "{}'s only unit (the whole pool, a total outage; `units` spreads a pool over several)",
            n.pool
        )
    } else {
        format!("the biggest of {}'s {} units", n.pool, n.units)
    };
    format!(
        "N−1 case: {lost} lost at {:02}:{:02} on {} (the busiest day's peak) for {}: service level {} with the unit lost; {} in the normal run",
        at / 3600,
        at % 3600 / 60,
        n.date,
        duration(n.duration_secs),
        met(n.met),
        met(n.normal_met),
    )
}

/// A verdict's heading: what was judged, on which days, at which quantile, and the outcome.
pub fn verdict_heading(v: &Verdict) -> String {
    format!(
        "Service level ({} over replications, every simulated workday {} to {}): {}",
        v.quantile.label(),
        v.window.from,
        v.window.to,
        if v.met {
            "MET"
        } else if !v.judged() {
            "NOT JUDGED"
        } else {
            "BREACHED"
        }
    )
}

/// One check in words: the worst day, the limit, and the days that breach.
pub fn check_line(c: &Check) -> String {
    let mut line = format!(
        "{}{}: worst {}",
        c.target.label(),
        c.pool
            .as_ref()
            .map_or(String::new(), |p| format!(" of {p}")),
        metric_value(c.target, c.worst_value),
    );
    if let Some(d) = c.worst_day.filter(|_| c.worst_value != 0.0) {
        line.push_str(&format!(" on {d}"));
    }
    line.push_str(&format!(" (limit {})", metric_value(c.target, c.limit)));
    if c.worst_day.is_some() {
        line.push_str(&format!(
            "; {} of {} days breach",
            c.breaching_days, c.days_judged
        ));
        match (c.first_breach, c.last_breach) {
            (Some(a), Some(b)) if a == b => line.push_str(&format!(", on {a}")),
            (Some(a), Some(b)) => line.push_str(&format!(", first {a}, last {b}")),
            _ => {}
        }
    }
    line
}

/// Why the curve shows its day, in words.
pub fn curve_reason(why: &CurveChoice, q: Quantile) -> String {
    match why {
        CurveChoice::Requested => "the day asked for".into(),
        CurveChoice::WorstBlocking { pool, value } => format!(
            "the worst blocking day: {} of attempts blocked on {pool} ({})",
            share(*value),
            q.label()
        ),
        CurveChoice::Busiest => {
            "the busiest day (most remote workers); no attempt was blocked on any judged day".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            esc("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(clock(8.0 * 3600.0 + 5.0 * 60.0), "08:05");
        assert_eq!(clock(0.0), "00:00");
        assert_eq!(percent(0.0123), "1.23%");
    }
}
