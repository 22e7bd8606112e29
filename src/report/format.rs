//! Small formatting helpers shared by the exporters and the commands.

use super::lang::Lang;
use crate::plan::service::{Check, Verdict};
use crate::scenario::Quantile;
use crate::sim::{CurveChoice, DayMetric};

/// Colour for words that carry a verdict (`FAIL`, `BREACHED`, `error:`), for terminals.
///
/// Off by default: then every method returns its text unchanged, so files, pipes and
/// `NO_COLOR` get plain text. On, the text is wrapped in one of the
/// [`super::printable::STYLES`], the only escape sequences
/// [`super::printable::Printable::passing_styles`] lets through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paint {
    /// Whether to colour.
    pub on: bool,
}

impl Paint {
    const BAD: &'static str = super::printable::STYLES[0];
    const GOOD: &'static str = super::printable::STYLES[1];
    const WARN: &'static str = super::printable::STYLES[2];
    const RESET: &'static str = super::printable::STYLES[3];

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

/// [`esc`], with a break allowed after each `.` and `_`: a field path such as
/// `devices.notebooks.handout_per_day` may then wrap in a narrow table column.
pub fn esc_path(s: &str) -> String {
    esc(s).replace('.', ".<wbr>").replace('_', "_<wbr>")
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
    metric_value_in(metric, v, Lang::En)
}

/// [`metric_value`] in a language.
fn metric_value_in(metric: DayMetric, v: f64, lang: Lang) -> String {
    match (metric, lang) {
        (DayMetric::LoginDelayMax, Lang::En) => duration(v),
        (DayMetric::LoginDelayMax, Lang::De) => {
            duration(v).replace('.', ",").replace("min", " min")
        }
        (DayMetric::Dropped, _) => format!("{v:.0} {}", lang.pick("sessions", "Sitzungen")),
        (_, Lang::En) => share(v),
        (_, Lang::De) => share(v).replace('.', ",").replace('%', " %"),
    }
}

/// The N−1 case in one sentence: which unit was lost when, and both verdicts.
pub fn failover_line(n: &crate::plan::failover::NMinusOne) -> String {
    failover_line_in(n, Lang::En)
}

/// [`failover_line`] in a language.
pub fn failover_line_in(n: &crate::plan::failover::NMinusOne, lang: Lang) -> String {
    let met = |m: Option<bool>| match m {
        Some(true) => lang.pick("met", "eingehalten"),
        Some(false) => lang.pick("BREACHED", "VERFEHLT"),
        None => lang.pick(
            "not judged (no service level)",
            "nicht beurteilt (kein Service-Level)",
        ),
    };
    let at = n.at_secs as u64;
    let (hh, mm) = (at / 3600, at % 3600 / 60);
    let date = lang.date(n.date);
    let how_long = metric_value_in(DayMetric::LoginDelayMax, n.duration_secs, lang);
    match lang {
        Lang::En => {
            let lost = if n.whole_pool {
                format!(
                    "{}'s only unit (the whole pool, a total outage; `units` spreads a pool over several)",
                    n.pool
                )
            } else {
                format!("the biggest of {}'s {} units", n.pool, n.units)
            };
            format!(
                "N−1 case: {lost} lost at {hh:02}:{mm:02} on {date} (the busiest day's peak) for {how_long}: service level {} with the unit lost; {} in the normal run",
                met(n.met),
                met(n.normal_met),
            )
        }
        Lang::De => {
            let lost = if n.whole_pool {
                format!(
                    "die einzige Einheit von {} (der ganze Pool, ein Totalausfall; `units` verteilt einen Pool auf mehrere)",
                    n.pool
                )
            } else {
                format!("die größte der {} Einheiten von {}", n.units, n.pool)
            };
            format!(
                "Fall N−1: {lost} fällt am {date} um {hh:02}:{mm:02} Uhr (Spitze des Spitzentags) für {how_long} aus: Service-Level mit dem Ausfall {}; im normalen Lauf {}",
                met(n.met),
                met(n.normal_met),
            )
        }
    }
}

/// A verdict's heading: what was judged, on which days, at which quantile, and the outcome.
pub fn verdict_heading(v: &Verdict) -> String {
    verdict_heading_in(v, Lang::En)
}

/// [`verdict_heading`] in a language.
pub fn verdict_heading_in(v: &Verdict, lang: Lang) -> String {
    let outcome = if v.met {
        lang.pick("MET", "EINGEHALTEN")
    } else if !v.judged() {
        lang.pick("NOT JUDGED", "NICHT BEURTEILT")
    } else {
        lang.pick("BREACHED", "VERFEHLT")
    };
    let (from, to, q) = (
        lang.date(v.window.from),
        lang.date(v.window.to),
        lang.term(v.quantile.label()),
    );
    match lang {
        Lang::En => format!(
            "Service level ({q} over replications, every simulated workday {from} to {to}): {outcome}"
        ),
        Lang::De => format!(
            "Service-Level ({q} über die Replikationen, jeder simulierte Arbeitstag vom {from} bis {to}): {outcome}"
        ),
    }
}

/// One check in words: the worst day, the limit, and the days that breach.
pub fn check_line(c: &Check) -> String {
    check_line_in(c, Lang::En)
}

/// [`check_line`] in a language.
pub fn check_line_in(c: &Check, lang: Lang) -> String {
    let of = lang.pick("of", "von");
    let mut line = format!(
        "{}{}: {} {}",
        lang.term(c.target.label()),
        c.pool
            .as_ref()
            .map_or(String::new(), |p| format!(" {of} {p}")),
        lang.pick("worst", "schlechtester Wert"),
        metric_value_in(c.target, c.worst_value, lang),
    );
    if let Some(d) = c.worst_day.filter(|_| c.worst_value != 0.0) {
        line.push_str(&format!(" {} {}", lang.pick("on", "am"), lang.date(d)));
    }
    line.push_str(&format!(
        " ({} {})",
        lang.pick("limit", "Grenze"),
        metric_value_in(c.target, c.limit, lang)
    ));
    if c.worst_day.is_some() {
        line.push_str(&match lang {
            Lang::En => format!("; {} of {} days breach", c.breaching_days, c.days_judged),
            Lang::De => format!(
                "; an {} von {} Tagen überschritten",
                c.breaching_days, c.days_judged
            ),
        });
        match (c.first_breach, c.last_breach) {
            (Some(a), Some(b)) if a == b => {
                line.push_str(&format!(", {} {}", lang.pick("on", "am"), lang.date(a)))
            }
            (Some(a), Some(b)) => line.push_str(&format!(
                ", {} {}, {} {}",
                lang.pick("first", "erstmals"),
                lang.date(a),
                lang.pick("last", "zuletzt"),
                lang.date(b)
            )),
            _ => {}
        }
    }
    line
}

/// Why the curve shows its day, in words.
pub fn curve_reason(why: &CurveChoice, q: Quantile) -> String {
    curve_reason_in(why, q, Lang::En)
}

/// [`curve_reason`] in a language.
pub fn curve_reason_in(why: &CurveChoice, q: Quantile, lang: Lang) -> String {
    let value = |v: f64| metric_value_in(DayMetric::BlockingProbability, v, lang);
    match (why, lang) {
        (CurveChoice::Requested, _) => lang
            .pick("the day asked for", "der angefragte Tag")
            .to_string(),
        (CurveChoice::WorstBlocking { pool, value: v }, Lang::En) => format!(
            "the worst blocking day: {} of attempts blocked on {pool} ({})",
            value(*v),
            q.label()
        ),
        (CurveChoice::WorstBlocking { pool, value: v }, Lang::De) => format!(
            "der Tag mit der höchsten Blockierung: {} der Anmeldeversuche an {pool} blockiert ({})",
            value(*v),
            lang.term(q.label())
        ),
        (CurveChoice::Busiest, _) => lang
            .pick(
                "the busiest day (most remote workers); no attempt was blocked on any judged day",
                "der Spitzentag (die meisten im Homeoffice); an keinem beurteilten Tag wurde ein Versuch blockiert",
            )
            .to_string(),
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
