//! Text tables for people.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};

use super::format::{
    Paint, check_line, curve_reason, duration as dur, share as pct, verdict_heading,
};
use super::lang::Lang;
use super::{Exporter, ReportInput};
use crate::sim::WorstDay;
use crate::stats::Stat;

/// Writes the summary, the timeline and the load curve as tables.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tables {
    /// Whether to draw with box characters (a terminal) or plain ASCII.
    pub unicode: bool,
    /// End with a sparkline of the reported day's sessions against capacity (for terminals).
    pub sparkline: bool,
    /// Colour for the verdict.
    pub paint: Paint,
    /// Columns to fit every line into (`None`: no limit). Tables first wrap their headers,
    /// then leave out their least important columns (saying which), and wrap cells only as a
    /// last resort; text lines are wrapped.
    pub width: Option<usize>,
}

/// A table for the other commands' answers: comfy-table's default lines on a terminal,
/// Markdown otherwise. (These do not fit themselves to a width yet; `simulate` does.)
pub fn for_terminal(unicode: bool) -> Table {
    let mut t = Table::new();
    if !unicode {
        t.load_style(comfy_table::presets::ASCII_MARKDOWN);
    }
    t
}

/// Display width of a line: Unicode-aware, colour sequences not counted.
fn display_width(line: &str) -> usize {
    textwrap::core::display_width(line)
}

/// The widest line of a text.
fn widest(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

/// `text` with every line wider than `width` wrapped at spaces, continuation lines indented two
/// more than the line's own indent.
fn wrap_lines(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        // A table line is never broken: a table fits itself or stays whole.
        let table_line = body.starts_with(['│', '┌', '├', '└', '╞', '|', '+']);
        if display_width(body) <= width || table_line {
            out.push_str(line);
            continue;
        }
        let indent = &body[..body.len() - body.trim_start().len()];
        let more = format!("{indent}  ");
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(&more)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        let wrapped = textwrap::wrap(body.trim_start(), options);
        out.push_str(&wrapped.join("\n"));
        out.push_str(end);
    }
    out
}

/// A table whose columns may be left out to fit a width: each has an importance, 0 for
/// columns always kept; the least important go first (the rightmost of equals).
struct Grid {
    header: Vec<String>,
    importance: Vec<u8>,
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    fn new(columns: Vec<(String, u8)>) -> Grid {
        let (header, importance) = columns.into_iter().unzip();
        Grid {
            header,
            importance,
            rows: Vec::new(),
        }
    }

    /// Width the table needs with these columns so that no body cell and no header word
    /// wraps: padding of one space each side and one border per column, plus the last border.
    fn need(&self, kept: &[usize]) -> usize {
        kept.iter().map(|&c| self.min_width(c) + 3).sum::<usize>() + 1
    }

    /// Whether every column fits `width` (always, without one).
    fn fits(&self, width: Option<usize>) -> bool {
        let all: Vec<usize> = (0..self.header.len()).collect();
        width.is_none_or(|w| self.need(&all) <= w)
    }

    /// Width a column needs so that no body cell and no header word wraps.
    fn min_width(&self, c: usize) -> usize {
        let body = self
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .flat_map(|cell| {
                cell.content()
                    .lines()
                    .map(display_width)
                    .collect::<Vec<_>>()
            })
            .max()
            .unwrap_or(0);
        let word = self.header[c]
            .split_whitespace()
            .map(display_width)
            .max()
            .unwrap_or(0);
        body.max(word)
    }
}

fn fmt0(v: f64) -> String {
    format!("{:.0}", v)
}

/// A worst day as `value on date`, or a dash.
fn on_day(w: Option<WorstDay>, f: fn(f64) -> String) -> String {
    match w {
        None => "—".into(),
        Some(w) if w.value == 0.0 => f(0.0),
        Some(w) => format!("{} on {}", f(w.value), w.date),
    }
}

fn p50_p95(s: &Stat, f: fn(f64) -> String) -> String {
    format!("{} / {}", f(s.p50), f(s.p95))
}

impl Tables {
    /// A table of these rows within [`Tables::width`] (see there), as text, with a line naming
    /// the columns left out, if any.
    fn fit(&self, grid: Grid) -> String {
        fit_grid(grid, self.unicode, self.width)
    }
}

/// An empty table with a header: condensed box characters for a terminal, else Markdown.
fn styled(unicode: bool, header: &[&str]) -> Table {
    let mut t = Table::new();
    if unicode {
        t.load_style(UTF8_FULL_CONDENSED);
    } else {
        t.load_style(comfy_table::presets::ASCII_MARKDOWN);
    }
    t.set_header(header.iter().map(Cell::new));
    t
}

/// How the other commands' tables are drawn: box characters (a terminal) or Markdown, and a
/// width to fit (`None`: none).
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// Box characters for a terminal, else Markdown.
    pub unicode: bool,
    /// Columns to fit tables and text into.
    pub width: Option<usize>,
}

impl Layout {
    /// A table as text: as built when it fits (or there is no width); else its headers wrap
    /// and its rightmost columns leave first (the first stays), with a line naming them.
    pub fn render(&self, table: &Table) -> String {
        self.render_ranked(table, &[])
    }

    /// [`Layout::render`] with the columns' importance given (0: always kept; the least
    /// important leave first); columns past the list rank by position.
    pub fn render_ranked(&self, table: &Table, importance: &[u8]) -> String {
        let whole = table.to_string();
        let Some(width) = self.width else {
            return whole;
        };
        if widest(&whole) <= width {
            return whole;
        }
        let header: Vec<String> = table
            .header()
            .map(|h| h.cell_iter().map(Cell::content).collect())
            .unwrap_or_default();
        let n = header.len();
        let mut grid = Grid::new(
            header
                .into_iter()
                .enumerate()
                .map(|(i, h)| {
                    let by_position = if i == 0 { 0 } else { (n - i).min(250) as u8 };
                    (h, importance.get(i).copied().unwrap_or(by_position))
                })
                .collect(),
        );
        grid.rows = table
            .row_iter()
            .map(|r| {
                let mut cells: Vec<Cell> = r.cell_iter().cloned().collect();
                cells.resize_with(n, || Cell::new(""));
                cells
            })
            .collect();
        fit_grid(grid, self.unicode, Some(width))
    }

    /// What `write` writes, with lines wider than the width wrapped (unchanged without one).
    pub fn wrapped(
        &self,
        out: &mut dyn Write,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let Some(width) = self.width else {
            return write(out);
        };
        let mut text = Vec::new();
        write(&mut text)?;
        out.write_all(wrap_lines(&String::from_utf8_lossy(&text), width).as_bytes())
    }
}

/// A grid as a table within `width` (see [`Tables::width`]), with a line naming the columns
/// left out, if any.
fn fit_grid(grid: Grid, unicode: bool, width: Option<usize>) -> String {
    let build = |kept: &[usize]| {
        let hdr: Vec<&str> = kept.iter().map(|&c| grid.header[c].as_str()).collect();
        let mut t = styled(unicode, &hdr);
        for r in &grid.rows {
            t.add_row(kept.iter().map(|&c| r[c].clone()));
        }
        t
    };
    let all: Vec<usize> = (0..grid.header.len()).collect();
    let Some(width) = width else {
        return build(&all).to_string();
    };
    let whole = build(&all).to_string();
    if widest(&whole) <= width {
        return whole;
    }
    let need = |kept: &[usize]| grid.need(kept);
    let mut kept = all;
    let mut left_out = Vec::new();
    while need(&kept) > width {
        let least = kept
            .iter()
            .enumerate()
            .filter(|(_, c)| grid.importance[**c] > 0)
            .min_by_key(|(at, c)| (grid.importance[**c], std::cmp::Reverse(*at)))
            .map(|(at, _)| at);
        match least {
            Some(at) => left_out.push(kept.remove(at)),
            None => break,
        }
    }
    // Dropping a wide column may leave room for a narrower one dropped before it: put back
    // what fits, the most important first.
    let mut back: Vec<usize> = left_out.clone();
    back.sort_by_key(|c| std::cmp::Reverse(grid.importance[*c]));
    for c in back {
        let mut with = kept.clone();
        with.push(c);
        with.sort_unstable();
        if need(&with) <= width {
            kept = with;
            left_out.retain(|x| *x != c);
        }
    }
    let mut t = build(&kept);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(u16::try_from(width).unwrap_or(u16::MAX));
    if need(&kept) <= width {
        // Headers wrap; body cells keep their width.
        let bounds: Vec<ColumnConstraint> = kept
            .iter()
            .map(|&c| {
                // The boundary counts the padding of one space each side.
                ColumnConstraint::LowerBoundary(Width::Fixed(
                    u16::try_from(grid.min_width(c) + 2).unwrap_or(u16::MAX),
                ))
            })
            .collect();
        t.set_constraints(bounds);
    }
    let mut text = t.to_string();
    if !left_out.is_empty() {
        left_out.sort_unstable();
        let names: Vec<String> = left_out
            .iter()
            .map(|&c| format!("\"{}\"", grid.header[c]))
            .collect();
        text.push_str(&format!(
            "\n(left out to fit {width} columns: {}; a wider terminal or --width shows them)",
            names.join(", ")
        ));
    }
    text
}

impl Exporter for Tables {
    fn write(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let Some(width) = self.width else {
            return self.write_all(input, out);
        };
        // Tables fit themselves; the text lines around them are wrapped here.
        let mut text = Vec::new();
        self.write_all(input, &mut text)?;
        out.write_all(wrap_lines(&String::from_utf8_lossy(&text), width).as_bytes())
    }
}

impl Tables {
    fn write_all(&self, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
        let r = input.result;
        writeln!(
            out,
            "{} — {} replications, seed {}",
            r.scenario, r.replications, r.seed
        )?;
        if let Some(st) = &r.stationary {
            let mut t = styled(
                self.unicode,
                &["figure", "simulated (mean [95% CI])", "theory"],
            );
            t.add_row(vec![
                Cell::new("blocking probability"),
                Cell::new(format!(
                    "{:.5} [{:.5}, {:.5}]",
                    st.blocking_probability.mean,
                    st.blocking_probability.ci95_low,
                    st.blocking_probability.ci95_high
                )),
                Cell::new(st.theory_blocking.map_or("—".into(), |b| {
                    format!("{b:.5} ({})", st.theory.replace('_', " "))
                })),
            ]);
            t.add_row(vec![
                Cell::new("servers"),
                Cell::new(st.capacity),
                Cell::new(""),
            ]);
            t.add_row(vec![
                Cell::new("offered traffic"),
                Cell::new(""),
                Cell::new(format!(
                    "{:.3} erlang{}",
                    st.offered_erlang,
                    if st.theory == "engset" {
                        " per idle source"
                    } else {
                        ""
                    }
                )),
            ]);
            t.add_row(vec![
                Cell::new("carried traffic (erlang)"),
                Cell::new(format!("{:.3}", st.carried_erlang.mean)),
                Cell::new(""),
            ]);
            t.add_row(vec![
                Cell::new("attempts per replication"),
                Cell::new(fmt0(st.attempts.mean)),
                Cell::new(""),
            ]);
            writeln!(out, "\nStationary workload\n{t}")?;
            return verdict(self, input, out);
        }
        let s = &r.summary;
        let qn = s.quantile.label();
        // Summary.
        let mut t = Grid::new(vec![("summary".into(), 0), ("value".into(), 0)]);
        let mut add = |a: String, b: String| t.rows.push(vec![Cell::new(a), Cell::new(b)]);
        add(
            "days judged".into(),
            format!("{} to {} (simulated workdays)", s.window.from, s.window.to),
        );
        add(
            "busiest day (most remote workers)".into(),
            s.busiest_day.map_or("—".into(), |d| d.to_string()),
        );
        add(
            "remote workers on the busiest day (P50 / P95)".to_string(),
            p50_p95(&s.remote_workers_busiest, fmt0),
        );
        add(
            "remote target met".to_string(),
            s.target_met
                .map_or("not within the horizon".into(), |d| d.to_string()),
        );
        for fb in &s.first_binds {
            let when = match fb.date {
                Some(d) => d.to_string(),
                None => "rarely".into(),
            };
            let share = if fb.share_of_replications < 1.0 {
                format!(
                    " (in {:.0}% of replications)",
                    fb.share_of_replications * 100.0
                )
            } else {
                String::new()
            };
            add(
                format!("first binds: {}", fb.constraint.label()),
                format!("{when}{share}"),
            );
        }
        add(
            format!("longest login delay, worst day ({qn}; waiting plus service time)"),
            on_day(s.worst_login_delay, dur),
        );
        writeln!(out, "\nSummary\n{}", self.fit(t))?;
        if let Some(chain) = &s.staff_chain {
            writeln!(
                out,
                "\nStaff at home on {} (phase {}): headcount × remote_suitable × enable_target × remote_share\n{}",
                chain.date,
                chain.phase,
                self.fit(chain_grid(chain))
            )?;
        }

        let mut t = Grid::new(vec![
            ("pool".into(), 0),
            ("capacity (busiest day)".into(), 3),
            ("peak sessions P50 / P95 (busiest day)".into(), 4),
            (format!("worst blocking per attempt ({qn})"), 5),
            ("days with blocking".into(), 2),
            ("blocked attempts, all days (mean)".into(), 2),
            ("users who gave up, all days (mean)".into(), 1),
            (format!("worst occupancy ({qn})"), 3),
            (format!("worst bandwidth utilisation ({qn})"), 1),
        ]);
        for p in &s.pools {
            let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
            t.rows.push(vec![
                Cell::new(&p.name),
                right(p.capacity_busiest.to_string()),
                right(p50_p95(&p.peak_sessions_busiest, fmt0)),
                right(on_day(p.worst_blocking, pct)),
                right(p.days_with_blocking.to_string()),
                right(fmt0(p.blocked_attempts_total)),
                right(fmt0(p.gave_up_total)),
                right(on_day(p.worst_occupancy, pct)),
                right(on_day(p.worst_bandwidth_utilisation, pct)),
            ]);
        }
        writeln!(out, "\n{}", self.fit(t))?;
        for p in &s.pools {
            if let Some(o) = &p.interruptions {
                writeln!(
                    out,
                    "Interrupted sessions of {}: {} dropped by outages, {} timed out, {} paused for a break; {} reconnect attempts blocked, {} users gave up reconnecting (all judged days, mean over replications)",
                    p.name,
                    fmt0(o.dropped),
                    fmt0(o.timed_out),
                    fmt0(o.paused),
                    fmt0(o.reconnect_blocked),
                    fmt0(o.reconnect_gave_up)
                )?;
            }
        }
        verdict(self, input, out)?;

        // Timeline: every workday for short runs, the busiest workday of each week for long ones.
        let workdays: Vec<&crate::sim::DayStats> =
            r.timeline.iter().filter(|d| d.workday).collect();
        let weekly = workdays.len() > 45;
        let rows: Vec<&crate::sim::DayStats> = if weekly {
            let mut rows: Vec<&crate::sim::DayStats> = Vec::new();
            for d in workdays {
                let week = (d.date.days_since_epoch() + 3).div_euclid(7);
                match rows.last_mut() {
                    Some(last) if (last.date.days_since_epoch() + 3).div_euclid(7) == week => {
                        if d.remote_workers.mean > last.remote_workers.mean {
                            *last = d;
                        }
                    }
                    _ => rows.push(d),
                }
            }
            rows
        } else {
            workdays
        };
        let mut what = if weekly {
            "busiest workday of each week; --format csv has every day".to_string()
        } else {
            "every workday".to_string()
        };
        if r.timeline.iter().any(|d| d.workday && !d.logins_simulated) {
            what.push_str("; logins simulated on the busiest day only (run.login_simulation: peak_day), — elsewhere");
        }
        let names: Vec<&str> = r.pools.iter().map(|p| p.name.as_str()).collect();
        let wide = wide_timeline(&names, &rows);
        if wide.fits(self.width) {
            writeln!(out, "\nTimeline ({what})\n{}", self.fit(wide))?;
        } else {
            // Too many pools for the width: one row per (day, pool) instead of a column group
            // per pool.
            writeln!(
                out,
                "\nTimeline ({what}; one row per pool to fit {} columns)\n{}",
                self.width.unwrap_or(0),
                self.fit(long_timeline(&names, &rows))
            )?;
        }

        // The chosen day's load curve, busy intervals only.
        if let Some(c) = &r.curve {
            let mut columns = vec![("time".to_string(), 0)];
            for p in &c.pools {
                columns.push((format!("{} logins", p.name), 3));
                columns.push((format!("{} active at start, mean (P5–P95)", p.name), 2));
                columns.push((format!("{} most active, mean / cap", p.name), 4));
                columns.push((format!("{} blocked", p.name), 4));
                columns.push((format!("{} login delay, mean", p.name), 1));
            }
            let mut t = Grid::new(columns);
            let n = c.pools.first().map_or(0, |p| p.points.len());
            let mut omitted = 0;
            for k in 0..n {
                let busy = c
                    .pools
                    .iter()
                    .any(|p| p.points[k].logins >= 0.5 || p.points[k].blocked >= 0.05);
                if !busy {
                    omitted += 1;
                    continue;
                }
                let start = c.pools[0].points[k].start_secs;
                let mut row = vec![Cell::new(format!(
                    "{:02}:{:02}",
                    (start / 3600.0) as u32,
                    ((start % 3600.0) / 60.0) as u32
                ))];
                for p in &c.pools {
                    let pt = &p.points[k];
                    row.push(
                        Cell::new(format!("{:.1}", pt.logins)).set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(format!(
                            "{:.0} ({:.0}–{:.0})",
                            pt.active_mean, pt.active_p5, pt.active_p95
                        ))
                        .set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(format!("{:.0} / {}", pt.active_max_mean, p.capacity))
                            .set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(format!("{:.1}", pt.blocked)).set_alignment(CellAlignment::Right),
                    );
                    row.push(
                        Cell::new(dur(pt.login_delay_mean_secs))
                            .set_alignment(CellAlignment::Right),
                    );
                }
                t.rows.push(row);
            }
            writeln!(
                out,
                "\nWorkday {}, {}, in {:.0}-minute intervals ({omitted} quiet intervals omitted; --output DIR/ has all in workday.csv)\n{}",
                c.date,
                curve_reason(&c.why, s.quantile),
                c.interval_secs / 60.0,
                self.fit(t)
            )?;
        }
        if self.sparkline {
            let lines: Vec<String> = (0..r.pools.len())
                .filter_map(|i| {
                    super::svg::sparkline(
                        r,
                        i,
                        self.width
                            .map_or(60, |w| w.saturating_sub(20).clamp(20, 60)),
                    )
                })
                .collect();
            if !lines.is_empty() {
                writeln!(out, "\nSessions at a glance (full height = capacity)")?;
                for l in lines {
                    writeln!(out, "  {l}")?;
                }
            }
        }
        Ok(())
    }
}

/// A pool's peak sessions (P50 / P95) and blocked attempts on a day, or dashes where the
/// day's logins were not simulated.
fn peak_and_blocked(d: &crate::sim::DayStats, p: &crate::sim::PoolDayStats) -> (String, String) {
    if d.logins_simulated {
        (
            p50_p95(&p.peak_sessions, fmt0),
            fmt0(p.blocked_attempts.mean),
        )
    } else {
        ("—".to_string(), "—".to_string())
    }
}

/// The chain of shares per group, with a total row: each share beside the count it leaves.
fn chain_grid(chain: &crate::sim::StaffChain) -> Grid {
    let mut t = Grid::new(vec![
        ("group".to_string(), 0),
        ("headcount".into(), 3),
        ("× remote_suitable".into(), 4),
        ("× enable_target".into(), 4),
        ("× remote_share".into(), 4),
        ("= at home".into(), 0),
        ("remote demand (suitable × remote_share)".into(), 1),
    ]);
    let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
    let share = |v: f64| Lang::En.share(v);
    let (mut staff, mut suitable, mut goal, mut home, mut demand) = (0, 0, 0, 0.0, 0.0);
    for g in &chain.groups {
        t.rows.push(vec![
            Cell::new(&g.group),
            right(g.headcount.to_string()),
            right(format!("{} = {}", share(g.remote_suitable), g.suitable)),
            right(Lang::En.enable_step(g)),
            right(share(g.remote_share)),
            right(fmt0(g.at_home)),
            right(fmt0(g.demand)),
        ]);
        staff += g.headcount;
        suitable += g.suitable;
        goal += g.enabled_goal;
        home += g.at_home;
        demand += g.demand;
    }
    if chain.groups.len() > 1 {
        t.rows.push(vec![
            Cell::new("all"),
            right(staff.to_string()),
            right(suitable.to_string()),
            right(goal.to_string()),
            right(String::new()),
            right(fmt0(home)),
            right(fmt0(demand)),
        ]);
    }
    t
}

/// The timeline with a column group per pool: date, phase, enabled, remote, then each pool's
/// capacity, peak sessions and blocked attempts, and the bottleneck.
fn wide_timeline(pools: &[&str], rows: &[&crate::sim::DayStats]) -> Grid {
    let mut columns = vec![
        ("date".to_string(), 0),
        ("phase".into(), 1),
        ("enabled".into(), 2),
        ("remote".into(), 5),
    ];
    for name in pools {
        columns.push((format!("{name} cap"), 2));
        columns.push((format!("{name} peak P50/P95"), 4));
        columns.push((format!("{name} blocked"), 3));
    }
    columns.push(("bottleneck".into(), 1));
    let mut t = Grid::new(columns);
    for d in rows.iter().copied() {
        let mut row = vec![
            Cell::new(d.date),
            Cell::new(&d.phase),
            Cell::new(fmt0(d.enabled.mean)).set_alignment(CellAlignment::Right),
            Cell::new(fmt0(d.remote_workers.mean)).set_alignment(CellAlignment::Right),
        ];
        for p in &d.pools {
            row.push(Cell::new(p.capacity).set_alignment(CellAlignment::Right));
            let (peak, blocked) = peak_and_blocked(d, p);
            row.push(Cell::new(peak).set_alignment(CellAlignment::Right));
            row.push(Cell::new(blocked).set_alignment(CellAlignment::Right));
        }
        row.push(Cell::new(d.bottleneck.map_or("—", |b| b.label())));
        t.rows.push(row);
    }
    t
}

/// The timeline for narrow terminals: one row per (day, pool), the day's own figures on its
/// first row only.
fn long_timeline(pools: &[&str], rows: &[&crate::sim::DayStats]) -> Grid {
    let mut t = Grid::new(vec![
        ("date".to_string(), 0),
        ("remote".into(), 5),
        ("pool".into(), 0),
        ("cap".into(), 2),
        ("peak P50/P95".into(), 4),
        ("blocked".into(), 3),
        ("phase".into(), 1),
        ("bottleneck".into(), 1),
    ]);
    let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
    for d in rows.iter().copied() {
        for (i, (p, name)) in d.pools.iter().zip(pools).enumerate() {
            let first = i == 0;
            let (peak, blocked) = peak_and_blocked(d, p);
            t.rows.push(vec![
                Cell::new(if first {
                    d.date.to_string()
                } else {
                    String::new()
                }),
                right(if first {
                    fmt0(d.remote_workers.mean)
                } else {
                    String::new()
                }),
                Cell::new(*name),
                right(p.capacity.to_string()),
                right(peak),
                right(blocked),
                Cell::new(if first { d.phase.as_str() } else { "" }),
                Cell::new(if first {
                    d.bottleneck.map_or("—", |b| b.label())
                } else {
                    ""
                }),
            ]);
        }
    }
    t
}

fn verdict(t: &Tables, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    if let Some(n) = input.failover {
        writeln!(out, "\n{}", super::format::failover_line(n))?;
    }
    let Some(v) = input.verdict else {
        return Ok(());
    };
    let heading = verdict_heading(v);
    let heading = match heading.rsplit_once(": ") {
        Some((what, outcome)) => {
            let outcome = if v.met {
                t.paint.good(outcome)
            } else if !v.judged() {
                t.paint.warn(outcome)
            } else {
                t.paint.bad(outcome)
            };
            format!("{what}: {outcome}")
        }
        None => heading,
    };
    writeln!(out, "\n{heading}")?;
    for c in &v.checks {
        writeln!(
            out,
            "  {} {}",
            if c.met {
                t.paint.good("ok  ")
            } else {
                t.paint.bad("FAIL")
            },
            check_line(c)
        )?;
    }
    for note in &v.not_judged {
        writeln!(out, "  {} {note}", t.paint.warn("not judged:"))?;
    }
    Ok(())
}
