//! Human units used in scenario files: dates, durations, rates, shares and bandwidths.
//!
//! Every unit is written the way an IT lead would write it in a memo (`2020-03-16`, `45min`,
//! `7h30m`, `300/day`, `64%`, `250kbit/s`) and stored in one canonical SI form (days since
//! 1970-01-01, seconds, events per second, a fraction, bits per second), so the engine never
//! converts units on its hot path.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The last date rapt reads or writes, 9999-12-31: dates print as four-digit years.
    pub const MAX: Date = Date(2_932_896);

    /// Builds a date from year, month (1–12) and day (1–31); `None` if it does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// The date `days` after this one (saturating at the representable range).
    pub fn add_days(self, days: i32) -> Date {
        Date(self.0.saturating_add(days))
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        i64::from(later.0) - i64::from(self.0)
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (index 3).
        (i64::from(self.0) + 3).rem_euclid(7) as u32
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let bad = || match german_date(text) {
            Some(d) => format!("`{text}` is not a date; did you mean `{d}`?; expected YYYY-MM-DD"),
            None => format!("`{text}` is not a date; expected YYYY-MM-DD, e.g. 2020-03-16"),
        };
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        let day: u32 = parts[2].parse().map_err(|_| bad())?;
        Date::from_ymd(year, month, day)
            .ok_or_else(|| format!("`{text}` is not a day of the calendar; expected YYYY-MM-DD"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// A date written day first, as in Germany (`16.03.2020`, `1.4.2020`), if it is one.
fn german_date(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.split('.').collect();
    match parts[..] {
        [d, m, y] if (1..=2).contains(&d.len()) && (1..=2).contains(&m.len()) && y.len() == 4 => {
            Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A span of time, stored in seconds.
///
/// Written as `45min`, `7h30m`, `90s`, `2d`, `1.5h`, or as a clock time `08:00` / `08:00:30`
/// (read as the time since midnight, for login times).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Duration(f64);

impl Duration {
    /// A duration of `secs` seconds.
    pub const fn from_secs(secs: f64) -> Duration {
        Duration(secs)
    }
    /// A duration of `hours` hours.
    pub fn from_hours(hours: f64) -> Duration {
        Duration(hours * 3600.0)
    }
    /// Seconds.
    pub fn secs(self) -> f64 {
        self.0
    }
    /// Hours.
    pub fn hours(self) -> f64 {
        self.0 / 3600.0
    }

    /// Parses a duration; see the type's documentation for the accepted forms.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let t = text.trim();
        let bad = || {
            format!(
                "`{text}` is not a duration; expected a number with a unit (s, min, h, d), e.g. 45min, 7h30m, 2d, or a clock time like 08:00"
            )
        };
        if t.is_empty() {
            return Err(bad());
        }
        if t.contains(':') {
            let parts: Vec<&str> = t.split(':').collect();
            if parts.len() < 2
                || parts.len() > 3
                || parts.iter().any(|p| p.is_empty() || p.len() > 2)
            {
                return Err(bad());
            }
            let mut secs = 0.0;
            for (i, p) in parts.iter().enumerate() {
                let v: u32 = p.parse().map_err(|_| bad())?;
                let limit = if i == 0 { 24 } else { 59 };
                if v > limit {
                    return Err(bad());
                }
                secs += f64::from(v) * [3600.0, 60.0, 1.0][i];
            }
            return Ok(Duration(secs));
        }
        let mut total = 0.0;
        let mut rest = t;
        let mut any = false;
        while !rest.is_empty() {
            let num_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .ok_or_else(bad)?;
            if num_len == 0 {
                return Err(bad());
            }
            let value: f64 = rest[..num_len].parse().map_err(|_| bad())?;
            rest = rest[num_len..].trim_start();
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
                .unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            rest = rest[unit_len..].trim_start();
            let factor = match unit {
                "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
                "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
                "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
                "d" | "day" | "days" => 86_400.0,
                "w" | "week" | "weeks" => 604_800.0,
                _ => return Err(bad()),
            };
            total += value * factor;
            any = true;
        }
        if !any || !total.is_finite() {
            return Err(bad());
        }
        Ok(Duration(total))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        if s >= 86_400.0 && (s / 86_400.0).fract() == 0.0 {
            write!(f, "{}d", s / 86_400.0)
        } else if s >= 3600.0 {
            let h = (s / 3600.0).floor();
            let m = ((s - h * 3600.0) / 60.0).round();
            if m == 0.0 {
                write!(f, "{h}h")
            } else {
                write!(f, "{h}h{m}m")
            }
        } else if s >= 60.0 {
            write!(f, "{}min", (s / 60.0 * 100.0).round() / 100.0)
        } else {
            write!(f, "{}s", (s * 1000.0).round() / 1000.0)
        }
    }
}

/// A rate of events, stored per second. Written `300/day`, `20/min`, `90/h`, `5/s`.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Rate(f64);

impl Rate {
    /// A rate of `n` events per second.
    pub const fn per_sec(n: f64) -> Rate {
        Rate(n)
    }
    /// Events per second.
    pub fn per_second(self) -> f64 {
        self.0
    }
    /// Events per minute.
    pub fn per_minute(self) -> f64 {
        self.0 * 60.0
    }
    /// Events per day.
    pub fn per_day(self) -> f64 {
        self.0 * 86_400.0
    }

    /// Parses `N/unit`.
    pub fn parse(text: &str) -> Result<Rate, String> {
        let bad = || {
            format!(
                "`{text}` is not a rate; expected a number per time unit, e.g. 300/day, 20/min, 90/h, 5/s"
            )
        };
        let (num, unit) = text.trim().split_once('/').ok_or_else(bad)?;
        let value: f64 = num.trim().parse().map_err(|_| bad())?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => 1.0,
            "min" | "minute" => 60.0,
            "h" | "hour" => 3600.0,
            "day" | "d" => 86_400.0,
            _ => return Err(bad()),
        };
        if !value.is_finite() {
            return Err(bad());
        }
        Ok(Rate(value / per))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/min", (self.per_minute() * 1000.0).round() / 1000.0)
    }
}

/// A share of a whole, stored as a fraction. Written `64%` or `0.64`.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Share(f64);

impl Share {
    /// A share given as a fraction (0.64 for 64%).
    pub const fn from_fraction(f: f64) -> Share {
        Share(f)
    }
    /// The fraction (0.64 for 64%).
    pub fn fraction(self) -> f64 {
        self.0
    }

    /// Parses `64%` or `0.64`.
    pub fn parse(text: &str) -> Result<Share, String> {
        let bad = || {
            format!(
                "`{text}` is not a share; expected a percentage like 64% or a fraction like 0.64"
            )
        };
        let t = text.trim();
        let value = if let Some(p) = t.strip_suffix('%') {
            p.trim().parse::<f64>().map_err(|_| bad())? / 100.0
        } else {
            t.parse::<f64>().map_err(|_| bad())?
        };
        if !value.is_finite() {
            return Err(bad());
        }
        Ok(Share(value))
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", (self.0 * 1_000_000.0).round() / 10_000.0)
    }
}

/// A bandwidth, stored in bits per second. Written `250kbit/s`, `100Mbit/s`, `1Gbit/s`
/// (or `kbps`, `Mbps`, `Gbps`).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Bandwidth(f64);

impl Bandwidth {
    /// A bandwidth of `bps` bits per second.
    pub const fn from_bps(bps: f64) -> Bandwidth {
        Bandwidth(bps)
    }
    /// Bits per second.
    pub fn bps(self) -> f64 {
        self.0
    }

    /// Parses a bandwidth.
    pub fn parse(text: &str) -> Result<Bandwidth, String> {
        let bad = || {
            format!(
                "`{text}` is not a bandwidth; expected a number with a unit, e.g. 250kbit/s, 100Mbit/s, 1Gbit/s"
            )
        };
        let t = text.trim();
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        if split == 0 {
            return Err(bad());
        }
        let value: f64 = t[..split].parse().map_err(|_| bad())?;
        let factor = match t[split..].trim() {
            "bit/s" | "bps" => 1.0,
            "kbit/s" | "kbps" | "Kbit/s" => 1e3,
            "Mbit/s" | "Mbps" => 1e6,
            "Gbit/s" | "Gbps" => 1e9,
            "Tbit/s" | "Tbps" => 1e12,
            _ => return Err(bad()),
        };
        Ok(Bandwidth(value * factor))
    }
}

impl fmt::Display for Bandwidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        let (v, u) = if b >= 1e9 {
            (b / 1e9, "Gbit/s")
        } else if b >= 1e6 {
            (b / 1e6, "Mbit/s")
        } else if b >= 1e3 {
            (b / 1e3, "kbit/s")
        } else {
            (b, "bit/s")
        };
        write!(f, "{}{u}", (v * 1000.0).round() / 1000.0)
    }
}

/// Implements Deserialize (from a string, and optionally from a bare number), Serialize (as the
/// display string) and JsonSchema (a string pattern) for a unit type.
macro_rules! unit_serde {
    ($ty:ident, $name:literal, $expecting:literal, $pattern:literal, numbers: $numbers:expr) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        $ty::parse(v).map_err(E::custom)
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
                        let from_number: Option<fn(f64) -> Result<$ty, String>> = $numbers;
                        match from_number {
                            Some(f) => f(v).map_err(E::custom),
                            None => Err(E::custom(format!(
                                "found the bare number {v}; expected {} (write the unit)",
                                $expecting
                            ))),
                        }
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$ty, E> {
                        self.visit_f64(v as f64)
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$ty, E> {
                        self.visit_f64(v as f64)
                    }
                }
                deserializer.deserialize_any(V)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let from_number: Option<fn(f64) -> Result<$ty, String>> = $numbers;
                if from_number.is_some() {
                    json_schema!({
                        "description": $expecting,
                        "anyOf": [
                            { "type": "number" },
                            { "type": "string", "pattern": $pattern }
                        ]
                    })
                } else {
                    json_schema!({
                        "description": $expecting,
                        "type": "string",
                        "pattern": $pattern
                    })
                }
            }
        }
    };
}

fn finite_share(v: f64) -> Result<Share, String> {
    if v.is_finite() {
        Ok(Share(v))
    } else {
        Err(format!(
            "found {v}; expected a finite share such as 64% or 0.64"
        ))
    }
}

unit_serde!(Date, "Date", "a date written YYYY-MM-DD, e.g. 2020-03-16",
    r"^\d{4}-\d{2}-\d{2}$", numbers: None);
unit_serde!(Duration, "Duration",
    "a duration with a unit (s, min, h, d), e.g. 45min or 7h30m, or a clock time like 08:00",
    r"^\s*(\d+(\.\d+)?\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)\s*)+$|^\d{1,2}:\d{2}(:\d{2})?$",
    numbers: None);
unit_serde!(Rate, "Rate", "a rate like 300/day, 20/min, 90/h or 5/s",
    r"^\s*\d+(\.\d+)?\s*/\s*(s|sec|second|min|minute|h|hour|d|day)\s*$", numbers: None);
unit_serde!(Share, "Share", "a share like 64% or 0.64",
    r"^\s*\d+(\.\d+)?\s*%?\s*$", numbers: Some(finite_share));
unit_serde!(Bandwidth, "Bandwidth", "a bandwidth like 250kbit/s, 100Mbit/s or 1Gbit/s",
    r"^\s*\d+(\.\d+)?\s*(bit/s|bps|[kKMGT]bit/s|[kMGT]bps)\s*$", numbers: None);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_know_weekdays() {
        let d = Date::parse("2020-03-16").unwrap();
        assert_eq!(d.to_string(), "2020-03-16");
        assert_eq!(d.weekday(), 0, "16 March 2020 was a Monday");
        assert_eq!(
            Date::parse("2020-02-29").unwrap().add_days(1).to_string(),
            "2020-03-01"
        );
        assert!(Date::parse("2021-02-29").is_err());
        assert_eq!(Date::from_ymd(9999, 12, 31), Some(Date::MAX));
        assert_eq!(Date::MAX.to_string(), "9999-12-31");
        assert!(Date::parse("10000-01-01").is_err());
        assert!(Date::parse("2020-13-01").is_err());
        assert!(Date::parse("20-03-16").is_err());
        for days in -1000..40_000 {
            let (y, m, dd) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, dd), days);
        }
    }

    #[test]
    fn durations_parse_every_documented_form() {
        assert_eq!(Duration::parse("45min").unwrap().secs(), 2700.0);
        assert_eq!(Duration::parse("7h30m").unwrap().secs(), 27_000.0);
        assert_eq!(Duration::parse("7h 30min").unwrap().secs(), 27_000.0);
        assert_eq!(Duration::parse("1.5h").unwrap().secs(), 5400.0);
        assert_eq!(Duration::parse("2d").unwrap().secs(), 172_800.0);
        assert_eq!(Duration::parse("08:00").unwrap().secs(), 28_800.0);
        assert_eq!(Duration::parse("08:00:30").unwrap().secs(), 28_830.0);
        for bad in [
            "", "45", "min", "7x", "25:00", "8:60", "1e400h", "-5min", "nan",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn rates_shares_and_bandwidths_parse() {
        assert!((Rate::parse("300/day").unwrap().per_day() - 300.0).abs() < 1e-9);
        assert!((Rate::parse("20/min").unwrap().per_minute() - 20.0).abs() < 1e-12);
        assert!(Rate::parse("20").is_err());
        assert!(Rate::parse("20/fortnight").is_err());
        assert_eq!(Share::parse("64%").unwrap().fraction(), 0.64);
        assert_eq!(Share::parse("0.64").unwrap().fraction(), 0.64);
        assert!(Share::parse("lots").is_err());
        assert_eq!(Bandwidth::parse("250kbit/s").unwrap().bps(), 250_000.0);
        assert_eq!(Bandwidth::parse("1Gbit/s").unwrap().bps(), 1e9);
        assert_eq!(Bandwidth::parse("100 Mbps").unwrap().bps(), 1e8);
        assert!(Bandwidth::parse("100").is_err());
    }
}
