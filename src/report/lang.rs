//! The language of the HTML report (`rapt report --lang de`): its words, dates and numbers.
//!
//! English stays the default and the language of tables, CSV, JSON and messages. The report's
//! own sentences carry both languages side by side where they are written ([`Lang::pick`]);
//! the names rapt gives to things shared with other outputs (constraints, figures, roles,
//! quantiles) are translated here ([`Lang::term`]).

use crate::units::Date;

/// A language of the HTML report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// German: headings, verdict, captions, table headers, numbers (`1,5 %`) and dates
    /// (`16.03.2020`).
    De,
}

impl Lang {
    /// The HTML `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// `en` in English, `de` in German.
    pub fn pick<'a>(self, en: &'a str, de: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::De => de,
        }
    }

    /// A date: `2020-03-16`, or `16.03.2020` in German.
    pub fn date(self, d: Date) -> String {
        match self {
            Lang::En => d.to_string(),
            Lang::De => {
                let (y, m, day) = d.ymd();
                format!("{day:02}.{m:02}.{y:04}")
            }
        }
    }

    /// A number with `decimals` decimals: `0.5`, or `0,5` in German.
    pub fn decimal(self, v: f64, decimals: usize) -> String {
        let s = format!("{v:.decimals$}");
        match self {
            Lang::En => s,
            Lang::De => s.replace('.', ","),
        }
    }

    /// A share as a percentage with two decimals: `1.23%`, or `1,23 %` in German.
    pub fn percent(self, v: f64) -> String {
        match self {
            Lang::En => format!("{:.2}%", v * 100.0),
            Lang::De => format!("{} %", self.decimal(v * 100.0, 2)),
        }
    }

    /// A share as a percentage with up to six significant digits, as the scenario states it:
    /// `60%`, `12.5%`, or `12,5 %` in German.
    pub fn share(self, v: f64) -> String {
        let n = super::number::num(v * 100.0);
        match self {
            Lang::En => format!("{n}%"),
            Lang::De => format!("{} %", n.replace('.', ",")),
        }
    }

    /// The enable-target step of a group's chain of shares: `60% = 3600`, or, when more staff
    /// were enabled before than the phase's target asks for, those (`3000 enabled at start`,
    /// `1600 by an earlier phase`).
    pub fn enable_step(self, g: &crate::sim::GroupChain) -> String {
        use crate::sim::EnabledBefore::{AtStart, EarlierPhase};
        let n = g.enabled_goal;
        match (g.enabled_before_target(), self) {
            (None, _) => format!("{} = {n}", self.share(g.enable_target)),
            (Some(AtStart), Lang::En) => format!("{n} enabled at start"),
            (Some(AtStart), Lang::De) => format!("{n} schon freigeschaltet"),
            (Some(EarlierPhase), Lang::En) => format!("{n} by an earlier phase"),
            (Some(EarlierPhase), Lang::De) => format!("{n} aus früherer Phase"),
        }
    }

    /// What a published figure covers (`all`, `pool vpn`, `path web-portal`, `group office`),
    /// in this language; the names from the scenario stay as written.
    pub fn scope(self, scope: &str) -> String {
        if self == Lang::En {
            return scope.to_string();
        }
        match scope.split_once(' ') {
            Some(("pool", name)) => format!("Pool {name}"),
            Some(("path", name)) => format!("Zugangsweg {name}"),
            Some(("group", name)) => format!("Gruppe {name}"),
            _ if scope == "all" => "alle".to_string(),
            _ => scope.to_string(),
        }
    }

    /// One of the names rapt gives to things (a constraint, a figure, a role, a quantile, a
    /// judged metric), in this language; unknown names stay as they are.
    pub fn term(self, en: &str) -> String {
        if self == Lang::En {
            return en.to_string();
        }
        let de = match en {
            // Constraints of the rollout.
            "onboarding" => "Einrichtung der Zugänge",
            "notebooks" => "Notebooks",
            "notebook hand-out" => "Notebook-Ausgabe",
            "private devices" => "private Geräte",
            "hardware tokens" => "Hardware-Token",
            "token hand-out" => "Token-Ausgabe",
            "software tokens" => "Software-Token",
            "licences" => "Lizenzen",
            // Judged figures.
            "blocking probability (per attempt)" => {
                "Blockierwahrscheinlichkeit (je Anmeldeversuch)"
            }
            "occupancy (peak sessions / capacity)" => "Belegung (Sitzungsspitze / Kapazität)",
            "bandwidth utilisation (peak demand / throughput)" => {
                "Bandbreitenauslastung (Spitzenbedarf / Durchsatz)"
            }
            "longest login delay" => "längste Anmeldeverzögerung",
            "sessions dropped by outages" => "durch Ausfälle getrennte Sitzungen",
            // Published figures and their roles.
            "enabled staff" => "freigeschaltete Beschäftigte",
            "remote workers" => "Beschäftigte im Homeoffice",
            "peak sessions" => "Sitzungsspitze",
            "capacity" => "Kapazität",
            "enabled share" => "freigeschalteter Anteil",
            "input" => "Eingabe",
            "calibration" => "Kalibrierung",
            "holdout" => "Prüfwert (Holdout)",
            // Quantiles over replications.
            "mean" => "Mittelwert",
            _ => return en.to_string(),
        };
        de.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_dates_numbers_and_terms() {
        let d = Date::parse("2020-03-06").unwrap();
        assert_eq!(Lang::De.date(d), "06.03.2020");
        assert_eq!(Lang::En.date(d), "2020-03-06");
        assert_eq!(Lang::De.percent(0.4341), "43,41 %");
        assert_eq!(Lang::En.percent(0.4341), "43.41%");
        assert_eq!(Lang::De.decimal(0.76, 1), "0,8");
        assert_eq!(Lang::De.term("token hand-out"), "Token-Ausgabe");
        assert_eq!(Lang::De.term("P95"), "P95");
        assert_eq!(Lang::En.term("holdout"), "holdout");
    }
}
