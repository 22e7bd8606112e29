//! Statutory public holidays of the German federal states, with the movable feasts computed
//! from Easter Sunday.
//!
//! Only holidays that hold in a whole state are listed: Corpus Christi in parts of Saxony and
//! Thuringia, the Assumption in Bavaria's Catholic communities, Augsburg's Peace Festival and
//! one-off days (Berlin's 8 May 2020 and 2025) are not; add them with `run.holidays`.
//! No crate was used: the ones found covered other countries or lacked the state rules, and the
//! rules fit in one small tested table.

use crate::units::Date;

/// The sixteen states, by their ISO 3166-2 codes.
pub const STATES: [&str; 16] = [
    "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV", "DE-NI", "DE-NW",
    "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH",
];

/// Easter Sunday of a Gregorian year (the anonymous algorithm of Meeus, Jones and Butcher).
pub fn easter(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::from_ymd(year, month as u32, day as u32)
}

/// The public holidays of `state` (an entry of [`STATES`]) in `year`, in date order, with
/// their names; `None` for an unknown state.
pub fn holidays(state: &str, year: i32) -> Option<Vec<(Date, &'static str)>> {
    if !STATES.contains(&state) {
        return None;
    }
    let in_states = |list: &[&str]| list.iter().any(|s| format!("DE-{s}") == state);
    let ymd = |m: u32, d: u32| Date::from_ymd(year, m, d);
    let Some(e) = easter(year) else {
        return Some(Vec::new());
    };
    let mut out: Vec<(Option<Date>, &'static str)> = vec![
        (ymd(1, 1), "New Year's Day"),
        (Some(e.add_days(-2)), "Good Friday"),
        (Some(e.add_days(1)), "Easter Monday"),
        (ymd(5, 1), "Labour Day"),
        (Some(e.add_days(39)), "Ascension Day"),
        (Some(e.add_days(50)), "Whit Monday"),
        (ymd(10, 3), "Day of German Unity"),
        (ymd(12, 25), "Christmas Day"),
        (ymd(12, 26), "St Stephen's Day"),
    ];
    if in_states(&["BW", "BY", "ST"]) {
        out.push((ymd(1, 6), "Epiphany"));
    }
    if (state == "DE-BE" && year >= 2019) || (state == "DE-MV" && year >= 2023) {
        out.push((ymd(3, 8), "International Women's Day"));
    }
    if in_states(&["BW", "BY", "HE", "NW", "RP", "SL"]) {
        out.push((Some(e.add_days(60)), "Corpus Christi"));
    }
    if state == "DE-SL" {
        out.push((ymd(8, 15), "Assumption Day"));
    }
    if state == "DE-TH" && year >= 2019 {
        out.push((ymd(9, 20), "World Children's Day"));
    }
    let reformation = in_states(&["BB", "MV", "SN", "ST", "TH"])
        || (in_states(&["HB", "HH", "NI", "SH"]) && year >= 2018)
        || year == 2017;
    if reformation {
        out.push((ymd(10, 31), "Reformation Day"));
    }
    if in_states(&["BW", "BY", "NW", "RP", "SL"]) {
        out.push((ymd(11, 1), "All Saints' Day"));
    }
    if state == "DE-SN" {
        // The Wednesday before 23 November.
        let nov23 = ymd(11, 23);
        let back = nov23
            .map(|d| (d.weekday() + 7 - 2) % 7)
            .map(|w| if w == 0 { 7 } else { w });
        out.push((
            nov23.zip(back).map(|(d, b)| d.add_days(-(b as i32))),
            "Day of Repentance and Prayer",
        ));
    }
    let mut days: Vec<(Date, &'static str)> = out
        .into_iter()
        .filter_map(|(d, n)| d.map(|d| (d, n)))
        .collect();
    days.sort_by_key(|d| d.0);
    Some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(state: &str, year: i32) -> Vec<String> {
        holidays(state, year)
            .unwrap()
            .into_iter()
            .map(|(d, _)| d.to_string())
            .collect()
    }

    #[test]
    fn easter_sundays_are_the_published_ones() {
        for (y, d) in [
            (2019, "2019-04-21"),
            (2020, "2020-04-12"),
            (2021, "2021-04-04"),
            (2022, "2022-04-17"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter(y).unwrap().to_string(), d);
        }
    }

    // The published lists of the states' holiday laws for 2020 and 2021 (weekends included).
    #[test]
    fn baden_wuerttemberg_2020_and_2021() {
        assert_eq!(
            dates("DE-BW", 2020),
            [
                "2020-01-01",
                "2020-01-06",
                "2020-04-10",
                "2020-04-13",
                "2020-05-01",
                "2020-05-21",
                "2020-06-01",
                "2020-06-11",
                "2020-10-03",
                "2020-11-01",
                "2020-12-25",
                "2020-12-26"
            ]
        );
        assert_eq!(
            dates("DE-BW", 2021),
            [
                "2021-01-01",
                "2021-01-06",
                "2021-04-02",
                "2021-04-05",
                "2021-05-01",
                "2021-05-13",
                "2021-05-24",
                "2021-06-03",
                "2021-10-03",
                "2021-11-01",
                "2021-12-25",
                "2021-12-26"
            ]
        );
    }

    #[test]
    fn bavaria_2020_and_2021() {
        // Statewide: as Baden-Württemberg (the Assumption only in Catholic communities).
        assert_eq!(dates("DE-BY", 2020), dates("DE-BW", 2020));
        assert_eq!(dates("DE-BY", 2021), dates("DE-BW", 2021));
    }

    #[test]
    fn thuringia_2020_and_2021() {
        assert_eq!(
            dates("DE-TH", 2020),
            [
                "2020-01-01",
                "2020-04-10",
                "2020-04-13",
                "2020-05-01",
                "2020-05-21",
                "2020-06-01",
                "2020-09-20",
                "2020-10-03",
                "2020-10-31",
                "2020-12-25",
                "2020-12-26"
            ]
        );
        assert_eq!(
            dates("DE-TH", 2021),
            [
                "2021-01-01",
                "2021-04-02",
                "2021-04-05",
                "2021-05-01",
                "2021-05-13",
                "2021-05-24",
                "2021-09-20",
                "2021-10-03",
                "2021-10-31",
                "2021-12-25",
                "2021-12-26"
            ]
        );
    }

    #[test]
    fn saxony_2020_and_2021() {
        assert_eq!(
            dates("DE-SN", 2020),
            [
                "2020-01-01",
                "2020-04-10",
                "2020-04-13",
                "2020-05-01",
                "2020-05-21",
                "2020-06-01",
                "2020-10-03",
                "2020-10-31",
                "2020-11-18",
                "2020-12-25",
                "2020-12-26"
            ]
        );
        assert_eq!(
            dates("DE-SN", 2021),
            [
                "2021-01-01",
                "2021-04-02",
                "2021-04-05",
                "2021-05-01",
                "2021-05-13",
                "2021-05-24",
                "2021-10-03",
                "2021-10-31",
                "2021-11-17",
                "2021-12-25",
                "2021-12-26"
            ]
        );
    }

    #[test]
    fn every_state_has_the_nine_common_days_and_unknown_states_none() {
        for s in STATES {
            assert!(dates(s, 2021).len() >= 9, "{s}");
        }
        assert!(holidays("DE-XX", 2021).is_none());
        assert!(dates("DE-BE", 2020).contains(&"2020-03-08".to_string()));
        assert!(dates("DE-NI", 2018).contains(&"2018-10-31".to_string()));
        assert!(!dates("DE-NI", 2016).contains(&"2016-10-31".to_string()));
        assert!(dates("DE-NI", 2017).contains(&"2017-10-31".to_string()));
    }
}
