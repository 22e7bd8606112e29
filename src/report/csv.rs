//! CSV: one header row, ISO dates, one row per (day, pool) or (interval, pool).
//!
//! By default comma-separated with `.` decimals, UTF-8 without a byte-order mark; a
//! [`CsvStyle`] gives German spreadsheets what they read (`;`, `,` decimals, a BOM so Excel
//! takes the file as UTF-8). Numbers carry six significant digits at most ([`num`]): counts
//! are whole, means and shares are not written to 16 digits.
//!
//! Each column is named once, beside how its value is computed ([`TIMELINE_COLUMNS`],
//! [`WORKDAY_COLUMNS`]); the README documents what each one means. `_mean`, `_p50`, `_p95`
//! are taken over replications.
//!
//! Every cell passes [`safe_cell`]: text that a spreadsheet would read as a formula (a pool or
//! phase named `=HYPERLINK(…)`) is written with a leading `'`; numbers are never changed.

use std::io::{self, Write};

use super::format::clock;
use super::{Exporter, ReportInput};
use crate::sim::{CurvePoint, CurvePool, DayStats, PoolDayStats};
use crate::units::Date;

/// A CSV error as the I/O error underneath (so a closed pipe stays recognisable as one).
pub fn io_error(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// How a CSV file is laid out: field delimiter, decimal mark, byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    /// The field delimiter (`,` by default; `;` where `,` is the decimal mark).
    pub delimiter: u8,
    /// Write numbers with a decimal comma (`0,25`) instead of a point.
    pub decimal_comma: bool,
    /// Start the file with a UTF-8 byte-order mark (Excel otherwise reads it as ANSI).
    pub bom: bool,
}

impl Default for CsvStyle {
    fn default() -> Self {
        CsvStyle {
            delimiter: b',',
            decimal_comma: false,
            bom: false,
        }
    }
}

impl CsvStyle {
    /// What German Excel reads without an import dialogue: `;`, decimal comma, BOM.
    pub const EXCEL_DE: CsvStyle = CsvStyle {
        delimiter: b';',
        decimal_comma: true,
        bom: true,
    };

    /// A CSV writer on `out` in this style; the byte-order mark, if any, is written first.
    pub fn writer<W: Write>(&self, mut out: W) -> io::Result<csv::Writer<W>> {
        if self.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .from_writer(out))
    }

    /// A text cell (a name, a date, a label) as written: made safe for spreadsheets
    /// ([`safe_cell`]); its points stay, whatever the style.
    pub fn text(&self, cell: String) -> String {
        safe_cell(cell)
    }

    /// A cell as written: made safe for spreadsheets ([`safe_cell`]), then, if it is a number
    /// and the style asks for it, with a decimal comma. Dates and times keep their points;
    /// cells that hold names go through [`CsvStyle::text`].
    pub fn cell(&self, cell: String) -> String {
        let cell = safe_cell(cell);
        if self.decimal_comma && cell.contains('.') && is_number(&cell) {
            cell.replace('.', ",")
        } else {
            cell
        }
    }
}

/// The per-day timeline.
pub struct TimelineCsv(pub CsvStyle);
/// The chosen day's load curve.
pub struct WorkdayCsv(pub CsvStyle);

/// One timeline row: a day and one of its pools.
pub struct DayRow<'a> {
    day: &'a DayStats,
    pool: &'a PoolDayStats,
    name: &'a str,
    enabled_on_pool: f64,
}

/// One workday row: an interval of one pool's curve.
pub struct IntervalRow<'a> {
    date: Date,
    pool: &'a CurvePool,
    point: &'a CurvePoint,
}

/// A timeline column: its stable name and how its cell is written.
pub type DayColumn = (&'static str, for<'a, 'b> fn(&'b DayRow<'a>) -> String);
/// A workday column: its stable name and how its cell is written.
pub type IntervalColumn = (&'static str, for<'a, 'b> fn(&'b IntervalRow<'a>) -> String);

fn opt(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// Timeline columns, in order.
pub const TIMELINE_COLUMNS: &[DayColumn] = &[
    ("date", |r| r.day.date.to_string()),
    ("workday", |r| r.day.workday.to_string()),
    ("phase", |r| r.day.phase.clone()),
    ("pool", |r| r.name.to_string()),
    ("capacity", |r| r.pool.capacity.to_string()),
    ("licences", |r| {
        r.pool.licences.map(|l| l.to_string()).unwrap_or_default()
    }),
    ("enabled", |r| num(r.day.enabled.mean)),
    ("enabled_on_pool", |r| num(r.enabled_on_pool)),
    ("remote_demand", |r| num(r.day.remote_demand.mean)),
    ("remote_workers_mean", |r| num(r.day.remote_workers.mean)),
    ("remote_workers_p50", |r| num(r.day.remote_workers.p50)),
    ("remote_workers_p95", |r| num(r.day.remote_workers.p95)),
    ("peak_sessions_mean", |r| num(r.pool.peak_sessions.mean)),
    ("peak_sessions_p50", |r| num(r.pool.peak_sessions.p50)),
    ("peak_sessions_p95", |r| num(r.pool.peak_sessions.p95)),
    ("occupancy_mean", |r| num(r.pool.occupancy.mean)),
    ("occupancy_p95", |r| num(r.pool.occupancy.p95)),
    ("bandwidth_utilisation_mean", |r| {
        opt(r.pool.bandwidth_utilisation.map(|u| u.mean))
    }),
    ("bandwidth_utilisation_p95", |r| {
        opt(r.pool.bandwidth_utilisation.map(|u| u.p95))
    }),
    ("attempts_mean", |r| num(r.pool.attempts.mean)),
    ("blocked_attempts_mean", |r| {
        num(r.pool.blocked_attempts.mean)
    }),
    ("gave_up_mean", |r| num(r.pool.gave_up.mean)),
    ("blocking_probability_mean", |r| {
        num(r.pool.blocking_probability.mean)
    }),
    ("blocking_probability_p95", |r| {
        num(r.pool.blocking_probability.p95)
    }),
    ("login_delay_mean_secs_mean", |r| {
        num(r.day.login_delay_mean.mean)
    }),
    ("login_delay_max_secs_mean", |r| {
        num(r.day.login_delay_max.mean)
    }),
    ("login_delay_max_secs_p95", |r| {
        num(r.day.login_delay_max.p95)
    }),
    ("bottleneck", |r| {
        r.day
            .bottleneck
            .map(|b| b.label().to_string())
            .unwrap_or_default()
    }),
    ("logins_simulated", |r| r.day.logins_simulated.to_string()),
];

/// Columns of names and labels, never given a decimal comma (a pool named `2.1` stays `2.1`).
const TEXT_COLUMNS: [&str; 5] = ["phase", "pool", "bottleneck", "date", "interval_start"];

/// Workday columns, in order.
pub const WORKDAY_COLUMNS: &[IntervalColumn] = &[
    ("date", |r| r.date.to_string()),
    ("pool", |r| r.pool.name.clone()),
    ("interval_start", |r| clock(r.point.start_secs)),
    ("capacity", |r| r.pool.capacity.to_string()),
    ("logins_mean", |r| num(r.point.logins)),
    ("active_mean", |r| num(r.point.active_mean)),
    ("active_p5", |r| num(r.point.active_p5)),
    ("active_p95", |r| num(r.point.active_p95)),
    ("active_max_mean", |r| num(r.point.active_max_mean)),
    ("active_max_p95", |r| num(r.point.active_max_p95)),
    ("blocked_mean", |r| num(r.point.blocked)),
    ("bandwidth_max_mbps_mean", |r| {
        num(r.point.bandwidth_max_bps / 1e6)
    }),
    ("login_delay_mean_secs", |r| {
        num(r.point.login_delay_mean_secs)
    }),
    ("login_delay_max_secs_mean", |r| {
        num(r.point.login_delay_max_secs)
    }),
];

fn header<'c, F>(columns: &'c [(&'static str, F)]) -> impl Iterator<Item = &'static str> + 'c {
    columns.iter().map(|(name, _)| *name)
}

/// Whether `text` is a plain decimal number as rapt writes it (an optional sign, digits with at
/// most one `.`, an optional exponent, an optional `%`): a spreadsheet reads it as a number,
/// never as a formula, even with a leading `-` or `+`.
fn is_number(text: &str) -> bool {
    let t = text.strip_suffix('%').unwrap_or(text);
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exponent) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (t, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let mantissa_ok = digits > 0
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.matches('.').count() <= 1;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// A CSV cell that a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return (which spreadsheets read as the start of a formula) gets a leading `'`,
/// which they show as text. Numbers, negative ones included, are left as they are.
pub fn safe_cell(cell: String) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && !is_number(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

pub use super::number::{SIGNIFICANT_DIGITS, num};

impl Exporter for TimelineCsv {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let r = input.result;
        let style = self.0;
        let mut w = style.writer(out)?;
        w.write_record(header(TIMELINE_COLUMNS)).map_err(io_error)?;
        for day in &r.timeline {
            for (pi, (pool, info)) in day.pools.iter().zip(&r.pools).enumerate() {
                let enabled_on_pool: f64 = day
                    .enabled_by_path
                    .iter()
                    .zip(&r.path_pools)
                    .filter(|(_, pool)| **pool == pi)
                    .map(|(v, _)| v)
                    .sum();
                let row = DayRow {
                    day,
                    pool,
                    name: &info.name,
                    enabled_on_pool,
                };
                w.write_record(TIMELINE_COLUMNS.iter().map(|(name, cell)| {
                    if TEXT_COLUMNS.contains(name) {
                        style.text(cell(&row))
                    } else {
                        style.cell(cell(&row))
                    }
                }))
                .map_err(io_error)?;
            }
        }
        w.flush()
    }
}

impl Exporter for WorkdayCsv {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let style = self.0;
        let mut w = style.writer(out)?;
        w.write_record(header(WORKDAY_COLUMNS)).map_err(io_error)?;
        if let Some(c) = &input.result.curve {
            for pool in &c.pools {
                for point in &pool.points {
                    let row = IntervalRow {
                        date: c.date,
                        pool,
                        point,
                    };
                    w.write_record(WORKDAY_COLUMNS.iter().map(|(name, cell)| {
                        if TEXT_COLUMNS.contains(name) {
                            style.text(cell(&row))
                        } else {
                            style.cell(cell(&row))
                        }
                    }))
                    .map_err(io_error)?;
                }
            }
        }
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for text in [
            "=HYPERLINK(1)",
            "+1+1",
            "-x",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-",
            "-1-1",
            "--5",
            "-5e",
            "-.",
            "=1",
        ] {
            assert_eq!(safe_cell(text.into()), format!("'{text}"), "{text:?}");
        }
        for text in [
            "-5",
            "-0.25",
            "+3",
            "-1e-3",
            "1E+5",
            "-5%",
            "0",
            "",
            "vpn",
            "2020-03-16",
            "a=b",
            "'=x",
        ] {
            assert_eq!(safe_cell(text.into()), text, "{text:?}");
        }
        assert_eq!(safe_cell(num(-2.5)), "-2.5");
    }

    #[test]
    fn numbers_have_six_significant_digits() {
        for (v, text) in [
            (0.0, "0"),
            (-0.0, "0"),
            (3.0, "3"),
            (5055.666666666, "5055.67"),
            (0.5878555827037416, "0.587856"),
            (0.0000123456789, "0.0000123457"),
            (-2.5, "-2.5"),
            (1_234_567.8, "1234568"),
            (1e20, "100000000000000000000"),
            (-0.0000001, "-0.0000001"),
            (0.1 + 0.2, "0.3"),
            (f64::NAN, ""),
        ] {
            assert_eq!(num(v), text, "{v}");
        }
    }

    #[test]
    fn german_style_writes_commas_only_in_numbers() {
        let de = CsvStyle::EXCEL_DE;
        assert_eq!(de.cell("0.25".into()), "0,25");
        assert_eq!(de.cell("-1.5".into()), "-1,5");
        assert_eq!(de.cell("12".into()), "12");
        assert_eq!(de.cell("2020-03-16".into()), "2020-03-16");
        assert_eq!(de.cell("v1.2".into()), "v1.2");
        assert_eq!(de.cell("=1.5+x".into()), "'=1.5+x");
        let mut out = Vec::new();
        let mut w = de.writer(&mut out).unwrap();
        w.write_record(["a;b", "1,5"]).unwrap();
        drop(w);
        assert_eq!(out, "\u{feff}\"a;b\";1,5\n".as_bytes());
    }
}
