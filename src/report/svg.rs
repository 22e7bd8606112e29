//! Charts as self-contained SVG: hand-made templates, no scripts, no fonts, no fetches.
//!
//! Every plotted series also carries its numbers in `data-x` and `data-y` attributes (space
//! separated, the same figures the CSV export writes), so a browser test can check that what
//! is drawn is what was computed.

use std::fmt::Write as _;

use super::format::{clock, esc};
use super::lang::Lang;
use crate::scenario::{Quantile, ServiceLevel};
use crate::sim::SimResult;
use crate::units::Date;

/// Width and height of every chart, in SVG user units (scaled by the page).
const W: f64 = 800.0;
const H: f64 = 350.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 110.0;

/// Colour-blind-safe palette (Okabe–Ito).
const COLOURS: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
];

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Style {
    /// A solid line.
    Line,
    /// A dashed line.
    Dashed,
    /// A step line (value holds until the next point), e.g. capacities.
    Step,
    /// Bars from zero.
    Bars,
}

/// One plotted series.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// How to draw it.
    pub style: Style,
    /// Points (x, y).
    pub points: Vec<(f64, f64)>,
    /// Colour index into the palette.
    pub colour: usize,
}

/// A shaded band between a lower and an upper line (e.g. P5–P95).
#[derive(Clone, Debug)]
pub struct Band {
    /// Legend name.
    pub name: String,
    /// Points (x, lower, upper).
    pub points: Vec<(f64, f64, f64)>,
    /// Colour index.
    pub colour: usize,
}

/// A labelled span of the x axis shaded in the background (e.g. which constraint binds).
#[derive(Clone, Debug)]
pub struct Span {
    /// From x.
    pub from: f64,
    /// To x.
    pub to: f64,
    /// Label (legend).
    pub label: String,
}

/// What the x axis counts.
#[derive(Clone, Copy, Debug)]
pub enum XAxis {
    /// Days since the given start date (labels are dates).
    Days(crate::units::Date),
    /// Seconds since midnight (labels are hh:mm).
    TimeOfDay,
}

/// A chart.
#[derive(Clone, Debug)]
pub struct Chart {
    /// Identifier (`workday-<pool>` holds the pool's name as written in the scenario); file
    /// names are derived from it by [`file_names`], never used as they are.
    pub id: String,
    /// Title.
    pub title: String,
    /// Unit of the y axis, for people.
    pub y_label: String,
    /// The x axis.
    pub x: XAxis,
    /// Y values are shares (labels in %).
    pub percent: bool,
    /// Lines, steps, bars.
    pub series: Vec<Series>,
    /// Shaded bands.
    pub bands: Vec<Band>,
    /// Background spans.
    pub spans: Vec<Span>,
    /// Horizontal reference lines (value, label).
    pub rules: Vec<(f64, String)>,
    /// The language of dates on the x axis.
    pub lang: Lang,
}

/// A "nice" step for about `n` ticks over `span`.
fn nice_step(span: f64, n: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / n;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

fn num(v: f64) -> String {
    // Shortest round-trip form, so the data attributes read back exactly.
    format!("{v}")
}

fn tick_label(v: f64, percent: bool) -> String {
    if percent {
        return format!("{:.0}%", v * 100.0);
    }
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

impl Chart {
    fn x_range(&self) -> (f64, f64) {
        let xs = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .chain(self.bands.iter().flat_map(|b| b.points.iter().map(|p| p.0)));
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        if lo.is_finite() && hi > lo {
            (lo, hi)
        } else if lo.is_finite() {
            (lo, lo + 1.0)
        } else {
            (0.0, 1.0)
        }
    }

    fn y_max(&self) -> f64 {
        let ys = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(self.bands.iter().flat_map(|b| b.points.iter().map(|p| p.2)))
            .chain(self.rules.iter().map(|r| r.0));
        let m = ys.filter(|v| v.is_finite()).fold(0.0, f64::max);
        if m > 0.0 { m * 1.08 } else { 1.0 }
    }

    /// The chart as an SVG document fragment (an `<svg>` element).
    pub fn render(&self) -> String {
        let (x0, x1) = self.x_range();
        let ystep = nice_step(self.y_max(), 5.0);
        let ymax = (self.y_max() / ystep).ceil() * ystep;
        let pw = W - LEFT - RIGHT;
        let ph = H - TOP - BOTTOM;
        let sx = |x: f64| LEFT + (x - x0) / (x1 - x0) * pw;
        let sy = |y: f64| TOP + ph - (y.max(0.0) / ymax) * ph;
        let mut o = String::new();
        let _ = write!(
            o,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" class="chart" role="img" aria-label="{t}" data-chart="{id}" font-family="sans-serif" font-size="12">"#,
            t = esc(&self.title),
            id = esc(&self.id)
        );
        let _ = write!(o, r#"<title>{}</title>"#, esc(&self.title));
        let _ = write!(
            o,
            r##"<rect x="0" y="0" width="{W}" height="{H}" fill="#fff"/><text x="{LEFT}" y="20" font-size="15" font-weight="bold" fill="#222">{}</text>"##,
            esc(&self.title)
        );
        // Background spans, then grid, then data.
        let mut span_labels: Vec<String> = Vec::new();
        for s in &self.spans {
            let i = span_labels
                .iter()
                .position(|l| *l == s.label)
                .unwrap_or_else(|| {
                    span_labels.push(s.label.clone());
                    span_labels.len() - 1
                });
            let _ = write!(
                o,
                r#"<rect class="span" data-label="{}" x="{:.1}" y="{TOP}" width="{:.1}" height="{ph}" fill="{}" fill-opacity="0.12"/>"#,
                esc(&s.label),
                sx(s.from),
                (sx(s.to) - sx(s.from)).max(0.5),
                COLOURS[(i + 4) % COLOURS.len()]
            );
        }
        let mut y = 0.0;
        while y <= ymax + ystep * 1e-9 {
            let py = sy(y);
            let _ = write!(
                o,
                r##"<line x1="{LEFT}" x2="{:.1}" y1="{py:.1}" y2="{py:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
                LEFT + pw,
                LEFT - 6.0,
                py + 4.0,
                tick_label(y, self.percent)
            );
            y += ystep;
        }
        let _ = write!(
            o,
            r##"<text transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle" fill="#444">{}</text>"##,
            TOP + ph / 2.0,
            esc(&self.y_label)
        );
        // X ticks.
        let lang = self.lang;
        let (step, fmt): (f64, Box<dyn Fn(f64) -> String>) = match self.x {
            XAxis::TimeOfDay => (nice_hours(x1 - x0), Box::new(clock)),
            XAxis::Days(start) => (
                nice_step(x1 - x0, 8.0).max(1.0),
                Box::new(move |x: f64| lang.date(start.add_days(x.round() as i32))),
            ),
        };
        let mut x = (x0 / step).ceil() * step;
        while x <= x1 + 1e-9 {
            let px = sx(x);
            let _ = write!(
                o,
                r##"<line x1="{px:.1}" x2="{px:.1}" y1="{:.1}" y2="{:.1}" stroke="#999"/><text x="{px:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
                TOP + ph,
                TOP + ph + 5.0,
                TOP + ph + 18.0,
                fmt(x)
            );
            x += step;
        }
        let _ = write!(
            o,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#333"/><line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{:.1}" stroke="#333"/>"##,
            LEFT + pw,
            TOP + ph,
            TOP + ph,
            TOP + ph
        );
        for b in &self.bands {
            if b.points.is_empty() {
                continue;
            }
            let mut d = String::new();
            for (i, (x, lo, _)) in b.points.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{:.1},{:.1} ",
                    if i == 0 { "M" } else { "L" },
                    sx(*x),
                    sy(*lo)
                );
            }
            for (x, _, hi) in b.points.iter().rev() {
                let _ = write!(d, "L{:.1},{:.1} ", sx(*x), sy(*hi));
            }
            let xs: Vec<String> = b.points.iter().map(|p| num(p.0)).collect();
            let lo: Vec<String> = b.points.iter().map(|p| num(p.1)).collect();
            let hi: Vec<String> = b.points.iter().map(|p| num(p.2)).collect();
            let _ = write!(
                o,
                r#"<path class="band" data-series="{}" data-x="{}" data-low="{}" data-high="{}" d="{}Z" fill="{}" fill-opacity="0.25" stroke="none"/>"#,
                esc(&b.name),
                xs.join(" "),
                lo.join(" "),
                hi.join(" "),
                d.trim_end(),
                COLOURS[b.colour % COLOURS.len()]
            );
        }
        let bar_w = {
            let n = self
                .series
                .iter()
                .filter(|s| s.style == Style::Bars)
                .map(|s| s.points.len())
                .max()
                .unwrap_or(1)
                .max(1) as f64;
            (pw / n * 0.8).max(0.5)
        };
        for s in &self.series {
            let colour = COLOURS[s.colour % COLOURS.len()];
            let xs: Vec<String> = s.points.iter().map(|p| num(p.0)).collect();
            let ys: Vec<String> = s.points.iter().map(|p| num(p.1)).collect();
            let data = format!(
                r#"data-series="{}" data-x="{}" data-y="{}""#,
                esc(&s.name),
                xs.join(" "),
                ys.join(" ")
            );
            match s.style {
                Style::Bars => {
                    let _ = write!(o, r#"<g class="bars" {data} fill="{colour}">"#);
                    for (x, y) in &s.points {
                        if *y > 0.0 {
                            let _ = write!(
                                o,
                                r#"<rect x="{:.1}" y="{:.1}" width="{bar_w:.1}" height="{:.1}"/>"#,
                                sx(*x) - bar_w / 2.0,
                                sy(*y),
                                TOP + ph - sy(*y)
                            );
                        }
                    }
                    o.push_str("</g>");
                }
                _ => {
                    let mut pts = String::new();
                    let mut last: Option<(f64, f64)> = None;
                    for (x, y) in &s.points {
                        if s.style == Style::Step
                            && let Some((_, ly)) = last
                        {
                            let _ = write!(pts, "{:.1},{:.1} ", sx(*x), sy(ly));
                        }
                        let _ = write!(pts, "{:.1},{:.1} ", sx(*x), sy(*y));
                        last = Some((*x, *y));
                    }
                    let dash = if s.style == Style::Dashed {
                        r#" stroke-dasharray="6 4""#
                    } else {
                        ""
                    };
                    let width = if s.style == Style::Step { 2.5 } else { 2.0 };
                    let _ = write!(
                        o,
                        r#"<polyline class="series" {data} points="{}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>"#,
                        pts.trim_end()
                    );
                }
            }
        }
        for (v, label) in &self.rules {
            let py = sy(*v);
            let _ = write!(
                o,
                r##"<line class="rule" data-y="{}" x1="{LEFT}" x2="{:.1}" y1="{py:.1}" y2="{py:.1}" stroke="#b00" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#b00">{}</text>"##,
                num(*v),
                LEFT + pw,
                LEFT + pw - 4.0,
                py - 4.0,
                esc(label)
            );
        }
        // Legend below the plot.
        let mut lx = LEFT;
        let mut ly = TOP + ph + 40.0;
        let mut entry = |o: &mut String, swatch: String, label: &str| {
            let width = 30.0 + 7.0 * label.chars().count() as f64;
            if lx + width > W - RIGHT {
                lx = LEFT;
                ly += 18.0;
            }
            let _ = write!(
                o,
                r##"<g transform="translate({lx:.1} {ly:.1})">{swatch}<text x="22" y="4" fill="#222">{}</text></g>"##,
                esc(label)
            );
            lx += width + 10.0;
        };
        for s in &self.series {
            let c = COLOURS[s.colour % COLOURS.len()];
            let dash = if s.style == Style::Dashed {
                r#" stroke-dasharray="4 3""#
            } else {
                ""
            };
            let sw = if s.style == Style::Bars {
                format!(r#"<rect x="0" y="-5" width="16" height="10" fill="{c}"/>"#)
            } else {
                format!(
                    r#"<line x1="0" x2="16" y1="0" y2="0" stroke="{c}" stroke-width="3"{dash}/>"#
                )
            };
            entry(&mut o, sw, &s.name);
        }
        for b in &self.bands {
            let c = COLOURS[b.colour % COLOURS.len()];
            entry(
                &mut o,
                format!(
                    r#"<rect x="0" y="-5" width="16" height="10" fill="{c}" fill-opacity="0.25"/>"#
                ),
                &b.name,
            );
        }
        for (i, label) in span_labels.iter().enumerate() {
            let c = COLOURS[(i + 4) % COLOURS.len()];
            entry(
                &mut o,
                format!(
                    r#"<rect x="0" y="-5" width="16" height="10" fill="{c}" fill-opacity="0.3"/>"#
                ),
                &format!("{}: {label}", self.lang.pick("binds", "Engpass")),
            );
        }
        o.push_str("</svg>");
        o
    }
}

fn nice_hours(span_secs: f64) -> f64 {
    let hours = span_secs / 3600.0;
    let h = if hours <= 6.0 {
        1.0
    } else if hours <= 12.0 {
        2.0
    } else {
        3.0
    };
    h * 3600.0
}

/// Rollout timeline: staff enabled per path, remote workers, capacities as steps, and the
/// binding constraint as background bands.
pub fn timeline(r: &SimResult, lang: Lang) -> Option<Chart> {
    let t = |en: &'static str, de: &'static str| lang.pick(en, de);
    let start = r.timeline.first()?.date;
    let x = |i: usize| i as f64;
    let mut series: Vec<Series> = r
        .paths
        .iter()
        .enumerate()
        .map(|(pi, name)| Series {
            name: format!("{}: {name}", t("enabled", "freigeschaltet")),
            style: Style::Line,
            points: r
                .timeline
                .iter()
                .enumerate()
                .map(|(i, d)| (x(i), d.enabled_by_path.get(pi).copied().unwrap_or(0.0)))
                .collect(),
            colour: pi,
        })
        .collect();
    let workdays = |name: &str, colour: usize, value: fn(&crate::sim::DayStats) -> f64| Series {
        name: name.into(),
        style: Style::Dashed,
        points: r
            .timeline
            .iter()
            .enumerate()
            .filter(|(_, d)| d.workday)
            .map(|(i, d)| (x(i), value(d)))
            .collect(),
        colour,
    };
    let n = series.len() + 1;
    series.push(workdays(
        t(
            "remote demand (mean, workdays)",
            "Homeoffice-Bedarf (Mittel, Arbeitstage)",
        ),
        7,
        |d| d.remote_demand.mean,
    ));
    series.push(workdays(
        t(
            "remote workers (mean, workdays)",
            "im Homeoffice (Mittel, Arbeitstage)",
        ),
        n,
        |d| d.remote_workers.mean,
    ));
    for (pi, p) in r.pools.iter().enumerate() {
        series.push(Series {
            name: format!("{}: {}", t("capacity", "Kapazität"), p.name),
            style: Style::Step,
            points: r
                .timeline
                .iter()
                .enumerate()
                .map(|(i, d)| (x(i), d.pools.get(pi).map_or(0.0, |p| p.capacity as f64)))
                .collect(),
            colour: n + 1 + pi,
        });
    }
    // One band per run of days with the same binding constraint; weekends and holidays (no
    // onboarding, so nothing binds) do not break a run.
    let mut spans: Vec<Span> = Vec::new();
    for (i, d) in r.timeline.iter().enumerate() {
        let Some(b) = d.bottleneck else { continue };
        let bridged = |s: &Span| {
            r.timeline[(s.to as usize).min(i)..i]
                .iter()
                .all(|g| !g.workday)
        };
        match spans.last_mut() {
            Some(s) if s.label == lang.term(b.label()) && bridged(s) => s.to = x(i) + 1.0,
            _ => spans.push(Span {
                from: x(i),
                to: x(i) + 1.0,
                label: lang.term(b.label()),
            }),
        }
    }
    Some(Chart {
        id: "timeline".into(),
        title: t(
            "Rollout: staff enabled, remote workers and capacity",
            "Einführung: Freigeschaltete, Beschäftigte im Homeoffice und Kapazität",
        )
        .into(),
        y_label: t("staff / sessions", "Beschäftigte / Sitzungen").into(),
        x: XAxis::Days(start),
        percent: false,
        series,
        bands: Vec::new(),
        spans,
        rules: Vec::new(),
        lang,
    })
}

/// The reported day's sessions of one pool: mean, P5–P95 band, capacity.
pub fn sessions(r: &SimResult, pool: usize, lang: Lang) -> Option<Chart> {
    let t = |en: &'static str, de: &'static str| lang.pick(en, de);
    let c = r.curve.as_ref()?;
    let p = c.pools.get(pool)?;
    Some(Chart {
        id: format!("workday-{}", p.name),
        title: format!(
            "{}: {} {}",
            p.name,
            t("active sessions on", "aktive Sitzungen am"),
            lang.date(c.date)
        ),
        y_label: t("sessions", "Sitzungen").into(),
        x: XAxis::TimeOfDay,
        percent: false,
        series: vec![
            Series {
                name: t(
                    "active at the interval's start (mean)",
                    "aktiv zu Beginn des Intervalls (Mittel)",
                )
                .into(),
                style: Style::Line,
                points: p
                    .points
                    .iter()
                    .map(|q| (q.start_secs, q.active_mean))
                    .collect(),
                colour: 0,
            },
            Series {
                name: t(
                    "most active within the interval (mean)",
                    "höchstens aktiv im Intervall (Mittel)",
                )
                .into(),
                style: Style::Dashed,
                points: p
                    .points
                    .iter()
                    .map(|q| (q.start_secs, q.active_max_mean))
                    .collect(),
                colour: 2,
            },
            Series {
                name: t("capacity", "Kapazität").into(),
                style: Style::Step,
                points: vec![
                    (0.0, p.capacity as f64),
                    (
                        p.points.last().map_or(86_400.0, |q| q.start_secs),
                        p.capacity as f64,
                    ),
                ],
                colour: 1,
            },
        ],
        bands: vec![Band {
            name: t(
                "at the start: P5–P95 over replications",
                "zu Beginn: P5–P95 über die Replikationen",
            )
            .into(),
            points: p
                .points
                .iter()
                .map(|q| (q.start_secs, q.active_p5, q.active_p95))
                .collect(),
            colour: 0,
        }],
        spans: Vec::new(),
        rules: Vec::new(),
        lang,
    })
}

/// The reported day's blocked attempts per interval, all pools.
pub fn blocked(r: &SimResult, lang: Lang) -> Option<Chart> {
    let t = |en: &'static str, de: &'static str| lang.pick(en, de);
    let c = r.curve.as_ref()?;
    Some(Chart {
        id: "blocked".into(),
        title: format!(
            "{} {} min {} {}",
            t(
                "Blocked login attempts per",
                "Blockierte Anmeldeversuche je"
            ),
            (c.interval_secs / 60.0).round(),
            t("on", "am"),
            lang.date(c.date)
        ),
        y_label: t("attempts (mean)", "Versuche (Mittel)").into(),
        x: XAxis::TimeOfDay,
        percent: false,
        series: c
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| Series {
                name: format!("{}: {}", t("blocked", "blockiert"), p.name),
                style: Style::Bars,
                points: p.points.iter().map(|q| (q.start_secs, q.blocked)).collect(),
                colour: i + 1,
            })
            .collect(),
        bands: Vec::new(),
        spans: Vec::new(),
        rules: Vec::new(),
        lang,
    })
}

/// The reported day's mean login delay per interval and pool.
pub fn login_delay(r: &SimResult, lang: Lang) -> Option<Chart> {
    let t = |en: &'static str, de: &'static str| lang.pick(en, de);
    let c = r.curve.as_ref()?;
    // Without an authentication service there is no delay to show.
    if c.pools
        .iter()
        .all(|p| p.points.iter().all(|q| q.login_delay_mean_secs == 0.0))
    {
        return None;
    }
    Some(Chart {
        id: "login-delay".into(),
        title: format!(
            "{} {}",
            t(
                "Login delay (waiting for authentication plus its service time) on",
                "Anmeldeverzögerung (Warten auf die Authentifizierung plus deren Bedienzeit) am",
            ),
            lang.date(c.date)
        ),
        y_label: t("seconds (mean per attempt)", "Sekunden (Mittel je Versuch)").into(),
        x: XAxis::TimeOfDay,
        percent: false,
        series: c
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| Series {
                name: format!("{}: {}", t("login delay", "Anmeldeverzögerung"), p.name),
                style: Style::Line,
                points: p
                    .points
                    .iter()
                    .map(|q| (q.start_secs, q.login_delay_mean_secs))
                    .collect(),
                colour: i,
            })
            .collect(),
        bands: Vec::new(),
        spans: Vec::new(),
        rules: Vec::new(),
        lang,
    })
}

/// The reported day's bandwidth as a share of each pool's throughput.
pub fn bandwidth(r: &SimResult, max_utilisation: Option<f64>, lang: Lang) -> Option<Chart> {
    let t = |en: &'static str, de: &'static str| lang.pick(en, de);
    let c = r.curve.as_ref()?;
    let series: Vec<Series> = c
        .pools
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let throughput = p.throughput_bps.filter(|t| *t > 0.0)?;
            Some(Series {
                name: format!(
                    "{}: {}",
                    t(
                        "highest in the interval (mean)",
                        "höchster Wert im Intervall (Mittel)"
                    ),
                    p.name
                ),
                style: Style::Line,
                points: p
                    .points
                    .iter()
                    .map(|q| (q.start_secs, q.bandwidth_max_bps / throughput))
                    .collect(),
                colour: i,
            })
        })
        .collect();
    if series.is_empty() {
        return None;
    }
    let mut rules = vec![(
        1.0,
        t("100% of throughput", "100 % des Durchsatzes").to_string(),
    )];
    if let Some(m) = max_utilisation {
        rules.push((
            m,
            format!("{} {:.0}%", t("service level", "Service-Level"), m * 100.0),
        ));
    }
    Some(Chart {
        id: "bandwidth".into(),
        title: format!(
            "{} {}",
            t(
                "Bandwidth utilisation (demand / throughput) on",
                "Bandbreitenauslastung (Bedarf / Durchsatz) am",
            ),
            lang.date(c.date)
        ),
        y_label: t("share of throughput", "Anteil am Durchsatz").into(),
        x: XAxis::TimeOfDay,
        percent: true,
        series,
        bands: Vec::new(),
        spans: Vec::new(),
        rules,
        lang,
    })
}

/// One pool's row of the breach calendar: (date, blocking at the quantile, logins simulated).
pub type CalendarDays = Vec<(Date, f64, bool)>;

/// The breach calendar: every judged workday (columns by week, rows by weekday) for every
/// pool, coloured by the day's blocking probability at the judging quantile against the
/// limit, so a crisis in the first week shows at a glance.
#[derive(Clone, Debug)]
pub struct Calendar {
    /// Pools, each with its days: (date, blocking at the quantile, logins simulated).
    pub pools: Vec<(String, CalendarDays)>,
    /// The blocking limit, if the service level sets one.
    pub limit: Option<f64>,
    /// The quantile the values are at.
    pub quantile: Quantile,
    /// The language of its words and dates.
    pub lang: Lang,
}

/// Colour classes of the calendar: (upper bound as a multiple of the limit, colour, label).
const CALENDAR_CLASSES: [(f64, &str, &str); 5] = [
    (1.0, "#a6d96a", "within the limit"),
    (2.0, "#fee08b", "up to 2× the limit"),
    (5.0, "#fdae61", "up to 5×"),
    (20.0, "#f46d43", "up to 20×"),
    (f64::INFINITY, "#a50026", "more"),
];

impl Calendar {
    fn colour(&self, v: f64) -> &'static str {
        if v <= 0.0 {
            return "#e6f0e0";
        }
        // Without a limit, 1% stands in as the scale's unit.
        let unit = self.limit.unwrap_or(0.01).max(1e-12);
        CALENDAR_CLASSES
            .iter()
            .find(|(upper, _, _)| v <= upper * unit)
            .map_or("#a50026", |c| c.1)
    }

    /// The calendar as an `<svg>` element; each day's cell carries `data-date`, `data-pool`
    /// and `data-value`.
    pub fn render(&self) -> String {
        const CELL: f64 = 11.0;
        const LABEL: f64 = 110.0;
        let first = self
            .pools
            .iter()
            .flat_map(|(_, d)| d.first().map(|x| x.0))
            .min();
        let last = self
            .pools
            .iter()
            .flat_map(|(_, d)| d.last().map(|x| x.0))
            .max();
        let (Some(first), Some(last)) = (first, last) else {
            return String::new();
        };
        let week = |d: Date| (d.days_since_epoch() + 3).div_euclid(7);
        let weeks = (week(last) - week(first) + 1).max(1) as f64;
        let rows: Vec<u32> = {
            let mut r: Vec<u32> = self
                .pools
                .iter()
                .flat_map(|(_, d)| d.iter().map(|x| x.0.weekday()))
                .collect();
            r.sort_unstable();
            r.dedup();
            r
        };
        let band = rows.len() as f64 * CELL + 18.0;
        let cell = ((W - LABEL - RIGHT) / weeks).clamp(3.0, CELL);
        let height = TOP + band * self.pools.len() as f64 + 50.0;
        let mut o = String::new();
        let lang = self.lang;
        let t = |en: &'static str, de: &'static str| lang.pick(en, de);
        let title = match lang {
            Lang::En => format!(
                "Breach calendar: blocking per attempt ({}) on every judged workday",
                self.quantile.label()
            ),
            Lang::De => format!(
                "Kalender der Überschreitungen: Blockierung je Versuch ({}), beurteilte Arbeitstage",
                lang.term(self.quantile.label())
            ),
        };
        let _ = write!(
            o,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" class="chart" role="img" aria-label="{t}" data-chart="breach-calendar" font-family="sans-serif" font-size="12"><title>{t}</title><rect x="0" y="0" width="{W}" height="{height}" fill="#fff"/><text x="{LEFT}" y="20" font-size="15" font-weight="bold" fill="#222">{t}</text>"##,
            t = esc(&title)
        );
        let days_of_week: [&str; 7] = match lang {
            Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            Lang::De => ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
        };
        for (pi, (name, days)) in self.pools.iter().enumerate() {
            let y0 = TOP + pi as f64 * band;
            let _ = write!(
                o,
                r##"<text x="4" y="{}" font-weight="bold" fill="#222">{}</text>"##,
                y0 + 10.0,
                esc(name)
            );
            for (ri, wd) in rows.iter().enumerate() {
                let _ = write!(
                    o,
                    r##"<text x="{}" y="{}" text-anchor="end" font-size="9" fill="#555">{}</text>"##,
                    LABEL - 4.0,
                    y0 + 14.0 + ri as f64 * CELL + CELL * 0.75,
                    days_of_week[*wd as usize]
                );
            }
            for &(date, value, simulated) in days {
                let x = LABEL + (week(date) - week(first)) as f64 * cell;
                let ri = rows.iter().position(|w| *w == date.weekday()).unwrap_or(0);
                let y = y0 + 14.0 + ri as f64 * CELL;
                let (fill, text) = if simulated {
                    let over = if self.limit.is_some_and(|l| value > l) {
                        t(" — breach", " — Überschreitung")
                    } else {
                        ""
                    };
                    (
                        self.colour(value),
                        format!("{}: {}{over}", lang.date(date), lang.percent(value)),
                    )
                } else {
                    (
                        "#ffffff",
                        format!(
                            "{}: {}",
                            lang.date(date),
                            t("logins not simulated", "Anmeldungen nicht simuliert")
                        ),
                    )
                };
                let _ = write!(
                    o,
                    r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}" stroke="#ccc" stroke-width="0.5" data-date="{date}" data-pool="{p}" data-value="{v}"><title>{t}</title></rect>"##,
                    w = (cell - 1.0).max(1.0),
                    h = CELL - 1.0,
                    p = esc(name),
                    v = num(value),
                    t = esc(&format!("{name} {text}")),
                );
            }
        }
        // Legend and the first date of the axis.
        let ly = height - 30.0;
        let _ = write!(
            o,
            r##"<text x="{LABEL}" y="{}" font-size="10" fill="#555">{} {} {} {}</text>"##,
            ly - 6.0,
            t("weeks from", "Wochen vom"),
            lang.date(first),
            t("to", "bis"),
            lang.date(last)
        );
        let limit_text = self.limit.map_or(
            t(
                "no blocking limit set; scale unit 1%",
                "keine Grenze für Blockierung gesetzt; Skaleneinheit 1 %",
            )
            .into(),
            |l| format!("{} {}", t("limit", "Grenze"), lang.percent(l)),
        );
        let mut lx = LABEL;
        let mut legend = vec![("#e6f0e0", t("no blocking", "keine Blockierung").to_string())];
        legend.extend(CALENDAR_CLASSES.iter().map(|c| {
            let de = match c.2 {
                "within the limit" => "innerhalb der Grenze",
                "up to 2× the limit" => "bis 2× die Grenze",
                "up to 5×" => "bis 5×",
                "up to 20×" => "bis 20×",
                _ => "mehr",
            };
            (c.1, t(c.2, de).to_string())
        }));
        for (colour, label) in legend {
            let _ = write!(
                o,
                r##"<rect x="{lx}" y="{ly}" width="10" height="10" fill="{colour}" stroke="#ccc"/><text x="{}" y="{}" font-size="10" fill="#333">{}</text>"##,
                lx + 13.0,
                ly + 9.0,
                esc(&label)
            );
            lx += 24.0 + label.chars().count() as f64 * 5.6;
        }
        let _ = write!(
            o,
            r##"<text x="{lx}" y="{}" font-size="10" fill="#333">({})</text></svg>"##,
            ly + 9.0,
            esc(&limit_text)
        );
        o
    }
}

/// The breach calendar of a multi-day run, judged over its window.
pub fn breach_calendar(r: &SimResult, max_blocking: Option<f64>, lang: Lang) -> Option<Calendar> {
    let window = r.summary.window;
    let q = r.summary.quantile;
    let days: Vec<&crate::sim::DayStats> = r
        .timeline
        .iter()
        .filter(|d| d.workday && window.contains(d.date))
        .collect();
    if days.len() < 2 {
        return None;
    }
    Some(Calendar {
        pools: r
            .pools
            .iter()
            .enumerate()
            .map(|(pi, p)| {
                (
                    p.name.clone(),
                    days.iter()
                        .map(|d| {
                            (
                                d.date,
                                d.pools[pi].blocking_probability.at(q),
                                d.logins_simulated,
                            )
                        })
                        .collect(),
                )
            })
            .collect(),
        limit: max_blocking,
        quantile: q,
        lang,
    })
}

/// A drawing of the report: a chart with axes, or the breach calendar.
#[derive(Clone, Debug)]
pub enum Figure {
    /// A chart with axes.
    Chart(Chart),
    /// The breach calendar.
    Calendar(Calendar),
}

impl Figure {
    /// Identifier (may hold a pool's name as written; see [`file_names`] for file names).
    pub fn id(&self) -> &str {
        match self {
            Figure::Chart(c) => &c.id,
            Figure::Calendar(_) => "breach-calendar",
        }
    }

    /// The drawing as an `<svg>` element.
    pub fn render(&self) -> String {
        match self {
            Figure::Chart(c) => c.render(),
            Figure::Calendar(c) => c.render(),
        }
    }
}

/// The file name of each figure, in order: its id reduced to `[A-Za-z0-9._-]` (so a pool
/// named `x/../../pwned` gives `workday-x_.._.._pwned.svg`, one plain file name), unique
/// within the set (`-2`, `-3`, … on a collision), with the `.svg` extension. The real name
/// stays in the drawing's title and `data-chart` attribute.
pub fn file_names(figures: &[Figure]) -> Vec<String> {
    super::naming::unique_file_names(figures.iter().map(Figure::id), "svg")
}

/// Every drawing of a run, in report order; the service level, if any, marks its limits.
pub fn all(r: &SimResult, level: Option<&ServiceLevel>) -> Vec<Figure> {
    all_in(r, level, Lang::En)
}

/// [`all`] with the words and dates of a language.
pub fn all_in(r: &SimResult, level: Option<&ServiceLevel>, lang: Lang) -> Vec<Figure> {
    let max_utilisation = level.and_then(|l| l.max_utilisation).map(|u| u.fraction());
    let max_blocking = level.and_then(|l| l.max_blocking).map(|u| u.fraction());
    let mut charts = Vec::new();
    if r.timeline.len() > 1 {
        charts.extend(timeline(r, lang));
    }
    let mut figures: Vec<Figure> = charts.into_iter().map(Figure::Chart).collect();
    figures.extend(breach_calendar(r, max_blocking, lang).map(Figure::Calendar));
    let mut charts = Vec::new();
    for i in 0..r.pools.len() {
        charts.extend(sessions(r, i, lang));
    }
    charts.extend(blocked(r, lang));
    charts.extend(login_delay(r, lang));
    charts.extend(bandwidth(r, max_utilisation, lang));
    figures.extend(charts.into_iter().map(Figure::Chart));
    figures
}

/// A one-line sparkline of a pool's most active sessions per interval (mean over replications)
/// over the reported day against capacity
/// (block characters ▁ to █, full height = capacity), for the terminal.
pub fn sparkline(r: &SimResult, pool: usize, width: usize) -> Option<String> {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let c = r.curve.as_ref()?;
    let p = c.pools.get(pool)?;
    let busy: Vec<usize> = p
        .points
        .iter()
        .enumerate()
        .filter(|(_, q)| q.active_max_mean > 0.0)
        .map(|(i, _)| i)
        .collect();
    let (&first, &last) = (busy.first()?, busy.last()?);
    let values: Vec<f64> = p.points[first..=last]
        .iter()
        .map(|q| q.active_max_mean)
        .collect();
    let top = (p.capacity as f64).max(values.iter().copied().fold(0.0, f64::max));
    if top <= 0.0 {
        return None;
    }
    let cols = width.clamp(8, 120).min(values.len().max(1));
    let line: String = (0..cols)
        .map(|k| {
            let a = k * values.len() / cols;
            let b = ((k + 1) * values.len() / cols).max(a + 1);
            let v = values[a..b].iter().copied().fold(0.0, f64::max);
            BLOCKS[((v / top) * 7.0).round().clamp(0.0, 7.0) as usize]
        })
        .collect();
    let t = |i: usize| clock(p.points[i].start_secs);
    let peak = values.iter().copied().fold(0.0, f64::max);
    Some(format!(
        "{} {} {line} {}  peak {:.0} / capacity {}{}",
        p.name,
        t(first),
        t(last),
        peak,
        p.capacity,
        if peak >= p.capacity as f64 {
            "  FULL"
        } else {
            ""
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Model, SimOptions, simulate};
    use std::sync::atomic::AtomicBool;

    fn storm_result(tunnels: u64) -> SimResult {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scenarios/bench/login-storm.yaml"),
        )
        .unwrap()
        .replace("tunnels: 7000", &format!("tunnels: {tunnels}"));
        let loaded = crate::scenario::check_str("storm", &text)
            .into_valid()
            .unwrap();
        let m = Model::from_scenario(&loaded.scenario);
        let opts = SimOptions {
            replications: Some(2),
            ..SimOptions::default()
        };
        simulate(&m, &opts, &|| {}, &AtomicBool::new(false)).unwrap()
    }

    #[test]
    fn sparkline_reaches_full_height_only_when_the_pool_is_full() {
        let full = sparkline(&storm_result(7000), 0, 40).unwrap();
        assert!(full.contains('█') && full.ends_with("FULL"), "{full}");
        assert!(full.starts_with("vpn "));
        let roomy = sparkline(&storm_result(20_000), 0, 40).unwrap();
        assert!(!roomy.contains('█') && !roomy.contains("FULL"), "{roomy}");
        // 40 columns of blocks between the two times.
        let blocks = roomy.chars().filter(|c| ('▁'..='█').contains(c)).count();
        assert_eq!(blocks, 40);
    }

    #[test]
    fn charts_carry_their_numbers_and_escape_text() {
        let r = storm_result(7000);
        let c = sessions(&r, 0, Lang::En).unwrap();
        let svg = c.render();
        let p = &r.curve.as_ref().unwrap().pools[0];
        let first = p.points.iter().find(|q| q.active_mean > 0.0).unwrap();
        assert!(svg.contains(&format!(" {}", first.active_mean)));
        assert!(svg.contains("data-chart=\"workday-vpn\""));
        let mut odd = c.clone();
        odd.title = "<b>&\"".into();
        assert!(odd.render().contains("&lt;b&gt;&amp;&quot;"));
        assert_eq!(nice_step(7000.0, 5.0), 2000.0);
        assert_eq!(nice_step(1.0, 5.0), 0.2);
    }
}
