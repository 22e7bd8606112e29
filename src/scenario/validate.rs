//! Semantic checks: everything a well-typed scenario can still get wrong.
//!
//! All findings of a file are collected (not just the first), each located at the field it is
//! about. Limits on sizes are documented constants so a hostile file cannot make a run
//! overflow or exhaust memory.

use super::diagnostic::{Diagnostic, Severity};
use super::load::{SourceMap, suggest};
use super::procure::{INCREASABLE, ORDERABLE, Resource};
use super::sampler::Sampler;
use super::types::*;
use crate::units::{Bandwidth, Date, Duration, Share};

/// Most staff in one group.
pub const MAX_HEADCOUNT: u64 = 10_000_000;
/// Most staff over all groups.
pub const MAX_TOTAL_STAFF: u64 = 20_000_000;
/// Most staff groups.
pub const MAX_GROUPS: usize = 1_000;
/// Most pools, and most access paths.
pub const MAX_POOLS: usize = 64;
/// Most workload classes of one staff group.
pub const MAX_WORKLOAD_CLASSES: usize = 8;
/// Most policy phases.
pub const MAX_PHASES: usize = 256;
/// Longest horizon, in days (ten years).
pub const MAX_HORIZON_DAYS: i64 = 3_660;
/// Most replications of one run.
pub const MAX_REPLICATIONS: u32 = 100_000;
/// Largest capacity of any kind (tunnels, sessions, licences, stock) after all expansions.
pub const MAX_CAPACITY: u64 = 100_000_000;
/// Most units one pool is spread over (each unit is one draw per day under random failures).
pub const MAX_UNITS: u64 = 100_000;
/// Most list entries in one list (deliveries, expansions, observations, access entries,
/// empirical points, `meta.sources`, `meta.assumptions`, `run.workdays`).
pub const MAX_LIST: usize = 10_000;
/// Most retries of a blocked login.
pub const MAX_RETRIES: u32 = 100;
/// Most sources of a stationary run whose idle time is not exponential (each is tracked, so
/// memory grows with them; exponential idle sources are pooled and cost nothing).
pub const MAX_TRACKED_SOURCES: u64 = 1_000_000;
/// Most arrivals a stationary run may expect (rate × (warmup + duration)).
pub const MAX_STATIONARY_ARRIVALS: f64 = 1e8;
/// Longest duration anywhere in a scenario (delivery delays, stationary holding, idle,
/// duration and warm-up): ten years, like the horizon.
pub const MAX_DURATION: Duration = Duration::from_secs(3_660.0 * 86_400.0);
/// Longest value of a workday's distributions (login times, session lengths, retry back-off)
/// and of `service_level.max_login_delay`: 30 days.
pub const MAX_WORKDAY_DURATION: Duration = Duration::from_secs(30.0 * 86_400.0);
/// Largest log-normal sigma, given or implied by `median` and `p95` (at 5 the P95 is about
/// 3,700 times the median).
pub const MAX_SIGMA: f64 = 5.0;
/// Largest relative weight of an empirical point.
pub const MAX_WEIGHT: f64 = 1e12;
/// Largest bandwidth of a session and throughput of a pool or expansion, in bit/s (1 Pbit/s);
/// the least is 1 bit/s.
pub const MAX_BANDWIDTH_BPS: f64 = 1e15;
/// Least authentication rate, per second (1/h).
pub const MIN_AUTH_RATE_PER_SEC: f64 = 1.0 / 3_600.0;
/// Largest authentication or stationary arrival rate, per second.
pub const MAX_RATE_PER_SEC: f64 = 1e6;

/// The names a scenario should use (staff groups, access paths, pools, policy phases), as the
/// expectation of the warning about any other name.
pub const SAFE_NAMES: &str = "a name of letters, digits, spaces, `_`, `-` and `.` only, not starting with `=`, `+`, `-` or `@`";

/// Share of a group's login distribution that may lie outside 00:00–24:00 without a warning.
pub const MAX_LOGIN_SHARE_OUTSIDE_DAY: f64 = 0.01;

/// Runs every semantic check; returns all findings (errors and warnings) in file order.
pub fn validate(scenario: &Scenario, source: &SourceMap) -> Vec<Diagnostic> {
    let mut c = Checker {
        s: scenario,
        src: source,
        out: Vec::new(),
    };
    c.run_settings();
    c.names();
    c.staff();
    c.devices_and_tokens();
    c.paths();
    c.pools();
    c.named_licences();
    c.policy();
    c.workday();
    c.stationary();
    c.service_level();
    c.observed();
    c.increases();
    c.procurement();
    c.uncertain();
    c.assumptions();
    let mut out = c.out;
    out.sort_by_key(|d| (d.line.unwrap_or(u64::MAX), d.column.unwrap_or(0)));
    out
}

struct Checker<'a> {
    s: &'a Scenario,
    src: &'a SourceMap,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>, expected: impl Into<String>) {
        let d = self
            .src
            .diagnostic(Severity::Error, path, message, Some(expected.into()));
        self.out.push(d);
    }

    fn warning(&mut self, path: &str, message: impl Into<String>) {
        let d = self.src.diagnostic(Severity::Warning, path, message, None);
        self.out.push(d);
    }

    fn warning_expected(
        &mut self,
        path: &str,
        message: impl Into<String>,
        expected: impl Into<String>,
    ) {
        let d = self
            .src
            .diagnostic(Severity::Warning, path, message, Some(expected.into()));
        self.out.push(d);
    }

    /// Warns about every staff group, access path, pool and policy phase whose name is outside
    /// the safe alphabet ([`name_problem`]): names reach file names (`--plot`), CSV cells and
    /// reports, where they are made safe, but a name like `x/../../pwned` is more likely an
    /// attack or a slip than meant.
    fn names(&mut self) {
        let s = self.s;
        let sections: [(&str, &str, Vec<&String>); 4] = [
            ("staff", "staff group", s.staff.keys().collect()),
            ("paths", "access path", s.paths.keys().collect()),
            ("pools", "pool", s.pools.keys().collect()),
            ("policy", "policy phase", s.policy.keys().collect()),
        ];
        for (section, what, names) in sections {
            for name in names {
                if let Some(problem) = name_problem(name) {
                    self.warning_expected(
                        &format!("{section}.{name}"),
                        format!("{what} name `{}` {problem}", name.escape_debug()),
                        SAFE_NAMES,
                    );
                }
            }
        }
    }

    /// Errors found so far.
    fn errors(&self) -> usize {
        self.out.iter().filter(|d| d.is_error()).count()
    }

    /// Warns when more than [`MAX_LOGIN_SHARE_OUTSIDE_DAY`] of a group's (valid) login
    /// distribution lies outside the day: the workday draws from it truncated to the day, so
    /// those logins move inside it.
    fn logins_outside_day(&mut self, path: &str, group: &str, login: &Distribution) {
        let outside = login_share_outside_day(login);
        if outside > MAX_LOGIN_SHARE_OUTSIDE_DAY {
            self.warning(
                path,
                format!(
                    "{:.1}% of logins of group `{group}` fall outside 00:00–24:00; they are drawn from the distribution truncated to the day",
                    outside * 100.0
                ),
            );
        }
    }

    fn end(&self) -> Date {
        let days = horizon_days(self.s.run.horizon)
            .unwrap_or(1)
            .clamp(1, MAX_HORIZON_DAYS)
            .min(days_left(self.s.run.start));
        self.s.run.start.add_days(days as i32 - 1)
    }

    /// Whether `run.horizon` is valid and ends by 9999-12-31; when it is not, checks against
    /// the horizon's end are skipped (that error is reported once, at `run.horizon`).
    fn horizon_ok(&self) -> bool {
        horizon_days(self.s.run.horizon).is_some_and(|d| {
            (1..=MAX_HORIZON_DAYS).contains(&d) && d <= days_left(self.s.run.start)
        })
    }

    fn date_in_horizon(&mut self, path: &str, date: Date) {
        if !self.horizon_ok() {
            return;
        }
        let start = self.s.run.start;
        let end = self.end();
        if date < start || date > end {
            self.error(
                path,
                format!("date {date} is outside the simulated horizon"),
                format!("a date from {start} to {end} (run.start and run.horizon)"),
            );
        }
    }

    fn dates_ordered(&mut self, list_path: &str, dates: &[Date]) {
        for (i, pair) in dates.windows(2).enumerate() {
            if pair[1] < pair[0] {
                self.error(
                    &format!("{list_path}[{}].date", i + 1),
                    format!(
                        "date {} comes before the previous entry's {}",
                        pair[1], pair[0]
                    ),
                    "entries in date order",
                );
            }
        }
    }

    fn workload(&mut self, base: &str, classes: &[super::types::WorkloadClass]) {
        if classes.is_empty() {
            return;
        }
        let max = MAX_WORKLOAD_CLASSES;
        if classes.len() > max {
            self.error(
                &format!("{base}.workload"),
                format!("has {} classes", classes.len()),
                format!("at most {max} workload classes"),
            );
        }
        let mut total = 0.0;
        for (i, c) in classes.iter().enumerate() {
            let at = format!("{base}.workload[{i}]");
            self.share(&format!("{at}.share"), c.share);
            total += c.share.fraction();
            if let Some(b) = c.bandwidth {
                self.bandwidth(&format!("{at}.bandwidth"), b);
            }
            if let Some(u) = c.users_per_vcpu
                && !(u.is_finite() && (0.01..=10_000.0).contains(&u))
            {
                self.error(
                    &format!("{at}.users_per_vcpu"),
                    format!("found {u}"),
                    "from 0.01 to 10000 sessions per virtual CPU",
                );
            }
        }
        if (total - 1.0).abs() > 1e-6 {
            self.error(
                &format!("{base}.workload"),
                format!("the classes' shares add up to {:.4}%", total * 100.0),
                "shares that add up to 100%",
            );
        }
    }

    fn shifts(&mut self, base: &str, group: &str, shifts: &[super::types::Shift]) {
        if shifts.is_empty() {
            return;
        }
        self.list_len(&format!("{base}.shifts"), shifts.len());
        let mut total = 0.0;
        for (i, shift) in shifts.iter().enumerate() {
            let at = format!("{base}.shifts[{i}]");
            self.share(&format!("{at}.share"), shift.share);
            total += shift.share.fraction();
            let errors = self.errors();
            self.distribution(
                &format!("{at}.login"),
                &shift.login,
                true,
                MAX_WORKDAY_DURATION,
            );
            if self.errors() == errors {
                self.logins_outside_day(&format!("{at}.login"), group, &shift.login);
            }
            if let Some(session) = &shift.session {
                self.distribution(
                    &format!("{at}.session"),
                    session,
                    false,
                    MAX_WORKDAY_DURATION,
                );
            }
        }
        if (total - 1.0).abs() > 1e-6 {
            self.error(
                &format!("{base}.shifts"),
                format!("the shifts' shares add up to {:.4}%", total * 100.0),
                "shares that add up to 100%",
            );
        }
    }

    fn share(&mut self, path: &str, share: Share) {
        let f = share.fraction();
        if !(0.0..=1.0).contains(&f) {
            self.error(
                path,
                format!("found {share} ({f})"),
                "a share from 0% to 100% (a fraction from 0 to 1)",
            );
        }
    }

    fn positive(&mut self, path: &str, value: u64, what: &str) {
        if value == 0 {
            self.error(
                path,
                format!("found 0 {what}"),
                format!("at least 1 {what}"),
            );
        } else if value > MAX_CAPACITY {
            self.error(
                path,
                format!("found {value} {what}"),
                format!("at most {MAX_CAPACITY} {what}"),
            );
        }
    }

    /// A pool's `tunnels`, `hosts` or `licences` before expansions: at most [`MAX_CAPACITY`],
    /// and 0 only when an expansion adds some (the pool opens on that expansion's date; every
    /// login before it is blocked).
    fn initial_capacity(&mut self, pool: &str, field: &str, value: u64, added: u64) {
        if value > 0 || added == 0 {
            let path = format!("{pool}.{field}");
            if value == 0 {
                self.error(
                    &path,
                    format!("found 0 {field}, and no expansion adds any"),
                    format!(
                        "at least 1 {field}, or 0 with an entry under {pool}.expansions that adds {field} (the pool opens on its date)"
                    ),
                );
            } else {
                self.positive(&path, value, field);
            }
        }
    }

    fn list_len(&mut self, path: &str, len: usize) {
        if len > MAX_LIST {
            self.error(
                path,
                format!("has {len} entries"),
                format!("at most {MAX_LIST} entries"),
            );
        }
    }

    fn reference(&mut self, path: &str, name: &str, known: &[&str], what: &str) -> bool {
        if known.contains(&name) {
            return true;
        }
        let hint = match suggest(name, known) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => String::new(),
        };
        let expected = if known.is_empty() {
            format!("the name of a {what}, but none is defined")
        } else {
            format!("the name of a defined {what}: {}", known.join(", "))
        };
        self.error(path, format!("no {what} named `{name}`{hint}"), expected);
        false
    }

    /// Checks a duration is finite and from 0 to `max`.
    fn duration_in(&mut self, path: &str, d: Duration, max: Duration) -> bool {
        let s = d.secs();
        if !s.is_finite() || s < 0.0 || s > max.secs() {
            let found = if s.is_finite() {
                d.to_string()
            } else {
                s.to_string()
            };
            self.error(
                path,
                format!("found {found}"),
                format!("a duration from 0 to {max}"),
            );
            return false;
        }
        true
    }

    /// Checks a bandwidth (a session's, a pool's or an expansion's throughput).
    fn bandwidth(&mut self, path: &str, b: Bandwidth) {
        if !(1.0..=MAX_BANDWIDTH_BPS).contains(&b.bps()) {
            self.error(
                path,
                format!("found {b}"),
                "a bandwidth from 1bit/s to 1000Tbit/s",
            );
        }
    }

    /// Checks a distribution; every value it is given by must be at most `max` (login times,
    /// session lengths and back-off: [`MAX_WORKDAY_DURATION`]; others [`MAX_DURATION`]).
    fn distribution(&mut self, path: &str, dist: &Distribution, clock: bool, max: Duration) {
        match dist {
            Distribution::Fixed { value } => {
                self.duration_in(&format!("{path}.fixed.value"), *value, max);
            }
            Distribution::Uniform { min: lo, max: hi } => {
                let ok = self.duration_in(&format!("{path}.uniform.min"), *lo, max)
                    & self.duration_in(&format!("{path}.uniform.max"), *hi, max);
                if ok && lo.secs() > hi.secs() {
                    self.error(
                        &format!("{path}.uniform.max"),
                        format!("max {hi} is below min {lo}"),
                        "max at least min",
                    );
                }
            }
            Distribution::Normal { mean, sd } => {
                self.duration_in(&format!("{path}.normal.mean"), *mean, max);
                if self.duration_in(&format!("{path}.normal.sd"), *sd, max) && sd.secs() == 0.0 {
                    self.error(
                        &format!("{path}.normal.sd"),
                        "found a zero standard deviation",
                        "a positive sd (use `fixed` for a constant)",
                    );
                }
            }
            Distribution::Exponential { mean } => {
                if self.duration_in(&format!("{path}.exponential.mean"), *mean, max)
                    && mean.secs() == 0.0
                {
                    self.error(
                        &format!("{path}.exponential.mean"),
                        "found a zero mean",
                        "a positive mean",
                    );
                }
            }
            Distribution::Lognormal(spec) => {
                self.lognormal(&format!("{path}.lognormal"), spec, max)
            }
            Distribution::Empirical { points } => {
                let p = format!("{path}.empirical.points");
                if points.is_empty() {
                    self.error(
                        &p,
                        "the table is empty",
                        "at least one point with a positive weight",
                    );
                }
                self.list_len(&p, points.len());
                let mut total = 0.0;
                let mut bad_weights = false;
                for (i, pt) in points.iter().enumerate() {
                    self.duration_in(&format!("{p}[{i}].value"), pt.value, max);
                    if !(0.0..=MAX_WEIGHT).contains(&pt.weight) {
                        self.error(
                            &format!("{p}[{i}].weight"),
                            format!("found {}", show(pt.weight)),
                            format!("a weight from 0 to {}", show(MAX_WEIGHT)),
                        );
                        bad_weights = true;
                    } else {
                        total += pt.weight;
                    }
                }
                if !points.is_empty() && !bad_weights && total <= 0.0 {
                    self.error(&p, "all weights are zero", "at least one positive weight");
                }
            }
        }
        if clock {
            let mean = dist_center(dist);
            if let Some(m) = mean
                && !(0.0..86_400.0).contains(&m)
            {
                self.error(
                    path,
                    format!("centre of the login times is {}", Duration::from_secs(m)),
                    "login times within the day (00:00 to 24:00)",
                );
            }
        }
    }

    fn lognormal(&mut self, path: &str, spec: &LognormalSpec, max: Duration) {
        let finite = |v: Option<f64>| v.is_none_or(f64::is_finite);
        if !finite(spec.mu) {
            self.error(
                &format!("{path}.mu"),
                "found a value that is not finite",
                "a finite number",
            );
            return;
        }
        if !finite(spec.sigma) {
            self.error(
                &format!("{path}.sigma"),
                "found a value that is not finite",
                "a finite number",
            );
            return;
        }
        if let Some(s) = spec.sigma
            && (s <= 0.0 || s > MAX_SIGMA)
        {
            self.error(
                &format!("{path}.sigma"),
                format!("found {}", show(s)),
                format!("a positive sigma of at most {MAX_SIGMA}"),
            );
        }
        let positive_median = |m: Duration| m.secs() > 0.0 && m.secs() <= max.secs();
        match (spec.median, spec.p95, spec.mu, spec.sigma) {
            (Some(m), Some(p), None, None) => {
                // sigma = ln(p95 / median) / z(0.95)
                let most = (MAX_SIGMA * Z95).exp();
                if !positive_median(m) {
                    self.error(
                        &format!("{path}.median"),
                        format!("found {m}"),
                        format!("a positive median of at most {max}"),
                    );
                } else if p.secs() <= m.secs() || !p.secs().is_finite() {
                    self.error(
                        &format!("{path}.p95"),
                        format!("p95 {p} is not above the median {m}"),
                        "a p95 above the median",
                    );
                } else if p.secs() > max.secs() {
                    self.error(
                        &format!("{path}.p95"),
                        format!("found {p}"),
                        format!("a p95 of at most {max}"),
                    );
                } else if p.secs() / m.secs() > most {
                    self.error(
                        &format!("{path}.p95"),
                        format!(
                            "p95 {p} is {:.0} times the median {m} (a sigma of {:.2})",
                            p.secs() / m.secs(),
                            (p.secs() / m.secs()).ln() / Z95
                        ),
                        format!(
                            "a p95 at most {most:.0} times the median (sigma at most {MAX_SIGMA})"
                        ),
                    );
                }
            }
            (Some(m), None, None, Some(_)) => {
                if !positive_median(m) {
                    self.error(
                        &format!("{path}.median"),
                        format!("found {m}"),
                        format!("a positive median of at most {max}"),
                    );
                }
            }
            (None, None, Some(mu), Some(_)) => {
                let most = max.hours().ln();
                if mu.abs() > 20.0 {
                    self.error(
                        &format!("{path}.mu"),
                        format!("found {mu}"),
                        "mu of ln(hours) between -20 and 20",
                    );
                } else if mu > most {
                    self.error(
                        &format!("{path}.mu"),
                        format!("found {mu}, a median of {}", Duration::from_hours(mu.exp())),
                        format!("mu of ln(hours) at most {most:.2} (a median of at most {max})"),
                    );
                }
            }
            _ => self.error(
                path,
                "the parameters do not define one log-normal distribution",
                "exactly one of: `median` with `p95`, `median` with `sigma`, or `mu` with `sigma`",
            ),
        }
    }

    fn run_settings(&mut self) {
        let run = &self.s.run;
        if let Some(state) = &run.calendar
            && !crate::holidays::STATES.contains(&state.as_str())
        {
            let hint = suggest(state, &crate::holidays::STATES)
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            self.error(
                "run.calendar",
                format!("no holiday calendar `{state}`{hint}"),
                format!("a German state: {}", crate::holidays::STATES.join(", ")),
            );
        }
        self.list_len("run.holidays", run.holidays.len());
        self.list_len("run.extra_workdays", run.extra_workdays.len());
        for (i, d) in run.holidays.iter().enumerate() {
            self.date_in_horizon(&format!("run.holidays[{i}]"), *d);
        }
        for (i, d) in run.extra_workdays.iter().enumerate() {
            self.date_in_horizon(&format!("run.extra_workdays[{i}]"), *d);
        }
        if self.s.meta.name.trim().is_empty() {
            self.error(
                "meta.name",
                "the name is empty",
                "a short name for the scenario",
            );
        }
        match horizon_days(run.horizon) {
            None => self.error(
                "run.horizon",
                format!("found {}", run.horizon),
                "a whole number of days, e.g. 120d",
            ),
            Some(d) if !(1..=MAX_HORIZON_DAYS).contains(&d) => self.error(
                "run.horizon",
                format!("found {d} days"),
                format!("from 1 to {MAX_HORIZON_DAYS} days"),
            ),
            // The last simulated day is printed in every output: it must be a four-digit year.
            Some(d) if d > days_left(run.start) => self.error(
                "run.horizon",
                format!(
                    "{d} days from run.start {} run past {}, the last date rapt handles",
                    run.start,
                    Date::MAX
                ),
                format!(
                    "at most {} days from this start, or an earlier run.start",
                    days_left(run.start)
                ),
            ),
            _ => {}
        }
        if run.replications == 0 || run.replications > MAX_REPLICATIONS {
            self.error(
                "run.replications",
                format!("found {}", run.replications),
                format!("from 1 to {MAX_REPLICATIONS} replications"),
            );
        }
        self.list_len("run.workdays", run.workdays.len());
        self.list_len("meta.sources", self.s.meta.sources.len());
        if run.workdays.is_empty() {
            self.error(
                "run.workdays",
                "no workdays are listed",
                "at least one day, e.g. [mon, tue, wed, thu, fri]",
            );
        }
        let iv = run.interval.secs();
        if !(60.0..=21_600.0).contains(&iv) || (86_400.0 / iv).fract() != 0.0 {
            self.error(
                "run.interval",
                format!("found {}", run.interval),
                "an interval from 1min to 6h that divides the day evenly, e.g. 5min or 15min",
            );
        }
    }

    fn staff(&mut self) {
        let s = self.s;
        if s.staff.is_empty() && s.stationary.is_none() {
            self.error(
                "staff",
                "no staff groups are defined",
                "at least one staff group (or a `stationary` workload)",
            );
        }
        if s.staff.len() > MAX_GROUPS {
            self.error(
                "staff",
                format!("{} groups", s.staff.len()),
                format!("at most {MAX_GROUPS} groups"),
            );
        }
        let path_names: Vec<&str> = s.paths.keys().map(String::as_str).collect();
        let mut total: u64 = 0;
        for (name, g) in &s.staff {
            let base = format!("staff.{name}");
            if g.headcount == 0 || g.headcount > MAX_HEADCOUNT {
                self.error(
                    &format!("{base}.headcount"),
                    format!("found {}", g.headcount),
                    format!("from 1 to {MAX_HEADCOUNT} staff"),
                );
            }
            total = total.saturating_add(g.headcount);
            self.share(&format!("{base}.remote_suitable"), g.remote_suitable);
            // A group nobody of which works remotely needs no login, session or access.
            let remote = g.suitable() > 0;
            match &g.login {
                Some(login) => {
                    let errors = self.errors();
                    self.distribution(&format!("{base}.login"), login, true, MAX_WORKDAY_DURATION);
                    if self.errors() == errors {
                        self.logins_outside_day(&format!("{base}.login"), name, login);
                    }
                }
                None if remote => self.error(
                    &format!("{base}.login"),
                    "missing: the group has remote-suitable staff, who log in",
                    "a clock-time distribution, e.g. `login: { normal: { mean: \"08:00\", sd: 45min } }` (only a 0%-suitable group may leave it out)",
                ),
                None => {}
            }
            match &g.session {
                Some(session) => self.distribution(
                    &format!("{base}.session"),
                    session,
                    false,
                    MAX_WORKDAY_DURATION,
                ),
                None if remote => self.error(
                    &format!("{base}.session"),
                    "missing: the group has remote-suitable staff, whose sessions need a length",
                    "a duration distribution, e.g. `session: { lognormal: { median: 7h30m, sigma: 0.35 } }` (only a 0%-suitable group may leave it out)",
                ),
                None => {}
            }
            if let Some(b) = g.bandwidth {
                self.bandwidth(&format!("{base}.bandwidth"), b);
            }
            self.shifts(&base, name, &g.shifts);
            self.workload(&base, &g.workload);
            if let Some(b) = &g.breaks {
                self.share(&format!("{base}.breaks.share"), b.share);
                self.distribution(
                    &format!("{base}.breaks.at"),
                    &b.at,
                    true,
                    MAX_WORKDAY_DURATION,
                );
                self.distribution(
                    &format!("{base}.breaks.length"),
                    &b.length,
                    false,
                    MAX_WORKDAY_DURATION,
                );
            }
            self.list_len(&format!("{base}.access"), g.access.len());
            if g.access.is_empty() && remote {
                self.error(
                    &format!("{base}.access"),
                    "the group has remote-suitable staff but no access path",
                    "at least one entry naming a path (only a 0%-suitable group may have none)",
                );
            }
            let suitable = g.suitable();
            let mut enabled: u64 = 0;
            // The entries of an over-long list are not looked at one by one (reported once).
            let access = if g.access.len() > MAX_LIST {
                &g.access[..0]
            } else {
                &g.access[..]
            };
            for (i, a) in access.iter().enumerate() {
                let p = format!("{base}.access[{i}].path");
                if self.reference(&p, &a.path, &path_names, "access path") {
                    if access[..i].iter().any(|b| b.path == a.path) {
                        self.error(
                            &p,
                            format!("path `{}` is listed twice", a.path),
                            "each path once per group",
                        );
                    }
                    if let Some(path) = s.paths.get(&a.path)
                        && path.device == DeviceKind::Byod
                        && !s.devices.byod.allowed
                    {
                        self.error(&p, format!("path `{}` needs private devices, but devices.byod.allowed is false", a.path), "a path with a managed or existing device, or devices.byod.allowed: true");
                    }
                }
                enabled = enabled.saturating_add(a.enabled);
            }
            if enabled > suitable {
                self.error(
                    &format!("{base}.access"),
                    format!(
                        "{enabled} staff are enabled initially on this group's paths, but only {suitable} are remote-suitable (headcount {} × remote_suitable {})",
                        g.headcount, g.remote_suitable
                    ),
                    format!("at most {suitable} enabled (headcount × remote_suitable)"),
                );
            }
        }
        if total > MAX_TOTAL_STAFF {
            self.error(
                "staff",
                format!("{total} staff in all"),
                format!("at most {MAX_TOTAL_STAFF} staff over all groups"),
            );
        }
    }

    fn supply(&mut self, base: &str, supply: &Supply, what: &str) {
        if supply.handout_per_day == 0 || supply.handout_per_day > MAX_CAPACITY {
            self.error(
                &format!("{base}.handout_per_day"),
                format!("found {} {what} handed out per day", supply.handout_per_day),
                format!("from 1 to {MAX_CAPACITY} {what} per day"),
            );
        }
        if supply.stock > MAX_CAPACITY {
            self.error(
                &format!("{base}.stock"),
                format!("found {}", supply.stock),
                format!("at most {MAX_CAPACITY}"),
            );
        }
        self.list_len(&format!("{base}.deliveries"), supply.deliveries.len());
        for (i, d) in supply.deliveries.iter().enumerate() {
            self.date_in_horizon(&format!("{base}.deliveries[{i}].date"), d.date);
            self.positive(
                &format!("{base}.deliveries[{i}].quantity"),
                d.quantity,
                what,
            );
            if let Some(delay) = &d.delay {
                self.distribution(
                    &format!("{base}.deliveries[{i}].delay"),
                    delay,
                    false,
                    MAX_DURATION,
                );
            }
        }
        let dates: Vec<Date> = supply.deliveries.iter().map(|d| d.date).collect();
        self.dates_ordered(&format!("{base}.deliveries"), &dates);
    }

    fn devices_and_tokens(&mut self) {
        let s = self.s;
        if let Some(n) = &s.devices.notebooks {
            self.supply("devices.notebooks", n, "notebooks");
        }
        if let Some(share) = s.devices.byod.share_with_device {
            self.share("devices.byod.share_with_device", share);
        }
        if let Some(h) = &s.tokens.hardware {
            self.supply("tokens.hardware", h, "tokens");
        }
        if let Some(sw) = &s.tokens.software {
            self.positive("tokens.software.licences", sw.licences, "licences");
            self.positive(
                "tokens.software.activations_per_day",
                sw.activations_per_day,
                "activations",
            );
            if self.horizon_ok() && sw.available_from > self.end() {
                self.warning("tokens.software.available_from", format!("software tokens arrive on {} after the horizon ends ({}); they are never used", sw.available_from, self.end()));
            }
        }
        if let Some(a) = &s.auth {
            let r = a.rate.per_second();
            if !(MIN_AUTH_RATE_PER_SEC..=MAX_RATE_PER_SEC).contains(&r) {
                self.error(
                    "auth.rate",
                    format!("found {}", a.rate),
                    "a rate from 1/h to 1000000/s, e.g. 600/min",
                );
            }
        }
        if let Some(o) = &s.onboarding {
            self.positive("onboarding.per_day", o.per_day, "staff");
        }
    }

    /// Whether the resource a procurement entry or increase names exists in this scenario.
    fn resource_missing(&self, r: &Resource) -> Option<String> {
        let s = self.s;
        let missing = match r {
            Resource::NotebookStock | Resource::NotebookHandout => s
                .devices
                .notebooks
                .is_none()
                .then_some("devices.notebooks is not defined"),
            Resource::TokenStock | Resource::TokenHandout => s
                .tokens
                .hardware
                .is_none()
                .then_some("tokens.hardware is not defined"),
            Resource::SoftwareLicences | Resource::SoftwareActivations => s
                .tokens
                .software
                .is_none()
                .then_some("tokens.software is not defined"),
            Resource::Onboarding => s
                .onboarding
                .is_none()
                .then_some("onboarding is not defined"),
            Resource::AuthRate => s.auth.is_none().then_some("auth is not defined"),
            Resource::PoolUnits(_) => None,
            Resource::PoolLicences(p) => s
                .pools
                .get(p)
                .is_some_and(|p| p.licences.is_none())
                .then_some("the pool has no licence cap (licences:) to add to"),
        };
        missing.map(str::to_string)
    }

    fn increases(&mut self) {
        let s = self.s;
        self.list_len("increases", s.increases.len());
        for (i, inc) in s.increases.iter().enumerate() {
            let base = format!("increases[{i}]");
            self.date_in_horizon(&format!("{base}.date"), inc.date);
            self.positive(&format!("{base}.add"), inc.add, "units");
            if !INCREASABLE.contains(&inc.field.as_str()) {
                self.error(
                    &format!("{base}.field"),
                    format!("`{}` cannot be raised by a dated increase", inc.field),
                    format!("one of {}", INCREASABLE.join(", ")),
                );
                continue;
            }
            if let Ok(r) = Resource::parse(&inc.field, s)
                && let Some(why) = self.resource_missing(&r)
            {
                self.error(
                    &format!("{base}.field"),
                    format!("raises `{}`, but {why}", inc.field),
                    "an increase of a resource the scenario defines",
                );
            }
        }
    }

    fn procurement(&mut self) {
        let s = self.s;
        for (key, p) in &s.procurement {
            let base = format!("procurement.{key}");
            let r = match Resource::parse(key, s) {
                Ok(r) => r,
                Err(why) => {
                    self.error(
                        &base,
                        format!("`{key}`: {why}"),
                        format!("one of {ORDERABLE}"),
                    );
                    continue;
                }
            };
            if let Some(why) = self.resource_missing(&r) {
                self.error(
                    &base,
                    format!("`{key}` cannot be ordered: {why}"),
                    "procurement facts for a resource the scenario defines",
                );
            }
            if let Some(c) = p.unit_cost
                && !(c.is_finite() && (0.0..=1e12).contains(&c))
            {
                self.error(
                    &format!("{base}.unit_cost"),
                    format!("found {c}"),
                    "a cost from 0 to 10^12 per unit",
                );
            }
            if let Some(l) = p.lead_time {
                self.duration_in(&format!("{base}.lead_time"), l, MAX_DURATION);
            }
            if let Some(d) = &p.delay {
                if r.is_stock() {
                    self.distribution(&format!("{base}.delay"), d, false, MAX_DURATION);
                } else {
                    self.error(&format!("{base}.delay"), "only deliveries (devices.notebooks.stock, tokens.hardware.stock) can have an uncertain delay", "no delay here; put the planned time in lead_time");
                }
            }
            for (field, v) in [("step", p.step), ("min", p.min), ("max", p.max)] {
                if let Some(v) = v {
                    self.positive(&format!("{base}.{field}"), v, "units");
                }
            }
            if let (Some(lo), Some(hi)) = (p.min, p.max)
                && lo > hi
            {
                self.error(
                    &format!("{base}.min"),
                    format!("min {lo} is above max {hi}"),
                    "min ≤ max",
                );
            }
        }
    }

    /// Every uncertain input must name a number the scenario has, outside the run settings
    /// and the evidence, and the scenario must stay valid at both ends of its range.
    fn uncertain(&mut self) {
        let s = self.s;
        if s.uncertain.is_empty() {
            return;
        }
        if s.stationary.is_some() {
            self.error(
                "uncertain",
                "a stationary workload has no assumed inputs to vary",
                "no `uncertain` section with `stationary`",
            );
            return;
        }
        let Ok(doc) = serde_json::to_value(s) else {
            return;
        };
        for (path, dist) in &s.uncertain {
            let base = format!("uncertain.{path}");
            let root = path.split('.').next().unwrap_or("");
            if ![
                "staff",
                "devices",
                "tokens",
                "auth",
                "onboarding",
                "pools",
                "policy",
                "workday",
            ]
            .contains(&root)
            {
                self.error(&base, format!("`{path}` cannot be uncertain"), "a number under staff, devices, tokens, auth, onboarding, pools, policy or workday");
                continue;
            }
            let (lo, hi) = dist.bounds();
            let sane = match *dist {
                NumberDistribution::Uniform { min, max } => {
                    min.is_finite() && max.is_finite() && min <= max
                }
                NumberDistribution::Triangular { min, mode, max } => {
                    [min, mode, max].iter().all(|v| v.is_finite()) && min <= mode && mode <= max
                }
                NumberDistribution::Normal { mean, sd } => {
                    mean.is_finite() && sd.is_finite() && sd >= 0.0
                }
            };
            if !sane || lo < 0.0 {
                self.error(
                    &base,
                    "the distribution is not ordered or not finite, or reaches below 0",
                    "min ≤ mode ≤ max (uniform: min ≤ max), sd ≥ 0, all finite and not negative",
                );
                continue;
            }
            for v in [lo, hi] {
                match super::fields::with_numbers(&doc, [(path.as_str(), v)]) {
                    Err(why) => {
                        self.error(
                            &base,
                            format!("cannot set `{path}` to {v}: {why}"),
                            "the path of a number the scenario has",
                        );
                        break;
                    }
                    Ok(mut trial) => {
                        // Assumptions are checked against the file's text, which a trial has not.
                        trial.meta.assumptions.clear();
                        let problems = validate(&trial, &SourceMap::default());
                        if let Some(d) = problems.iter().find(|d| d.is_error()) {
                            self.error(
                                &base,
                                format!(
                                    "with `{path}` = {v} the scenario is invalid: {}",
                                    d.message
                                ),
                                "a range in which the scenario stays valid",
                            );
                            break;
                        }
                    }
                }
            }
        }
    }

    fn paths(&mut self) {
        let s = self.s;
        if s.paths.len() > MAX_POOLS {
            self.error(
                "paths",
                format!("{} paths", s.paths.len()),
                format!("at most {MAX_POOLS} access paths"),
            );
        }
        let pool_names: Vec<&str> = s.pools.keys().map(String::as_str).collect();
        for (name, p) in &s.paths {
            let base = format!("paths.{name}");
            self.reference(&format!("{base}.pool"), &p.pool, &pool_names, "pool");
            if let Some(f) = p.bandwidth_factor
                && !(f.is_finite() && (0.001..=1000.0).contains(&f))
            {
                self.error(
                    &format!("{base}.bandwidth_factor"),
                    format!("found {f}"),
                    "a factor from 0.001 to 1000",
                );
            }
            if p.device == DeviceKind::Managed && s.devices.notebooks.is_none() {
                self.error(
                    &format!("{base}.device"),
                    "the path needs managed notebooks, but devices.notebooks is not defined",
                    "a `devices.notebooks` supply, or device: existing",
                );
            }
            if p.device == DeviceKind::Byod && !s.devices.byod.allowed {
                self.error(&format!("{base}.device"), "a BYOD path, but private devices are not allowed (devices.byod.allowed is false)", "devices.byod.allowed: true, or a managed device");
            }
            let (hw, sw) = (s.tokens.hardware.is_some(), s.tokens.software.is_some());
            let missing = match p.token {
                TokenKind::Hardware if !hw => Some("tokens.hardware"),
                TokenKind::Software if !sw => Some("tokens.software"),
                TokenKind::Any if !hw && !sw => Some("tokens.hardware or tokens.software"),
                _ => None,
            };
            if let Some(m) = missing {
                self.error(
                    &format!("{base}.token"),
                    format!("the path needs tokens, but {m} is not defined"),
                    format!("a `{m}` section, or token: none"),
                );
            }
        }
        for (name, _) in &s.pools {
            let used = s.paths.values().any(|p| &p.pool == name)
                || s.stationary.as_ref().is_some_and(|st| &st.pool == name);
            if !used {
                self.warning(
                    &format!("pools.{name}"),
                    format!("pool `{name}` is not used by any access path"),
                );
            }
        }
    }

    fn pools(&mut self) {
        let s = self.s;
        if s.pools.is_empty() {
            self.error("pools", "no pools are defined", "at least one access pool");
        }
        if s.pools.len() > MAX_POOLS {
            self.error(
                "pools",
                format!("{} pools", s.pools.len()),
                format!("at most {MAX_POOLS} pools"),
            );
        }
        for (name, p) in &s.pools {
            let base = format!("pools.{name}");
            let added = |f: fn(&Expansion) -> Option<u64>| {
                p.expansions
                    .iter()
                    .filter_map(f)
                    .fold(0u64, u64::saturating_add)
            };
            match p.kind {
                PoolKind::Vpn | PoolKind::DialIn => {
                    match p.tunnels {
                        Some(t) => self.initial_capacity(&base, "tunnels", t, added(|e| e.tunnels)),
                        None => self.error(
                            &base,
                            format!("a {} pool without `tunnels`", kind_name(p.kind)),
                            "`tunnels`: the concurrent tunnels or lines",
                        ),
                    }
                    for f in [
                        ("hosts", p.hosts),
                        ("sessions_per_host", p.sessions_per_host),
                    ] {
                        if f.1.is_some() {
                            self.error(
                                &format!("{base}.{}", f.0),
                                format!("`{}` is for remote-desktop pools", f.0),
                                "`tunnels` for a VPN or dial-in pool",
                            );
                        }
                    }
                }
                PoolKind::RemoteDesktop => {
                    match p.hosts {
                        Some(h) => self.initial_capacity(&base, "hosts", h, added(|e| e.hosts)),
                        None => self.error(
                            &base,
                            "a remote-desktop pool without `hosts`",
                            "`hosts` and `sessions_per_host`",
                        ),
                    }
                    match p.sessions_per_host {
                        Some(h) => self.positive(
                            &format!("{base}.sessions_per_host"),
                            h,
                            "sessions per host",
                        ),
                        None => self.error(
                            &base,
                            "a remote-desktop pool without `sessions_per_host`",
                            "`hosts` and `sessions_per_host`",
                        ),
                    }
                    if p.tunnels.is_some() {
                        self.error(
                            &format!("{base}.tunnels"),
                            "`tunnels` is for VPN and dial-in pools",
                            "`hosts` and `sessions_per_host` for a remote-desktop pool",
                        );
                    }
                }
            }
            if let Some(t) = p.throughput {
                self.bandwidth(&format!("{base}.throughput"), t);
            }
            if let Some(l) = p.licences {
                let more = added(|e| e.licences);
                self.initial_capacity(&base, "licences", l, more);
                if l.saturating_add(more) > MAX_CAPACITY && l <= MAX_CAPACITY {
                    self.error(
                        &base,
                        format!(
                            "reaches {} licences after expansions",
                            l.saturating_add(more)
                        ),
                        format!("at most {MAX_CAPACITY} licences"),
                    );
                }
            }
            self.list_len(&format!("{base}.expansions"), p.expansions.len());
            for (i, e) in p.expansions.iter().enumerate() {
                let ep = format!("{base}.expansions[{i}]");
                self.date_in_horizon(&format!("{ep}.date"), e.date);
                if e.tunnels.is_none()
                    && e.hosts.is_none()
                    && e.throughput.is_none()
                    && e.licences.is_none()
                {
                    self.error(
                        &ep,
                        "the expansion adds nothing",
                        "at least one of `tunnels`, `hosts`, `throughput`, `licences`",
                    );
                }
                if e.tunnels.is_some() && p.kind == PoolKind::RemoteDesktop {
                    self.error(
                        &format!("{ep}.tunnels"),
                        "a remote-desktop pool grows by hosts",
                        "`hosts`",
                    );
                }
                if e.hosts.is_some() && p.kind != PoolKind::RemoteDesktop {
                    self.error(
                        &format!("{ep}.hosts"),
                        format!("a {} pool grows by tunnels", kind_name(p.kind)),
                        "`tunnels`",
                    );
                }
                if e.licences.is_some() && p.licences.is_none() {
                    self.error(
                        &format!("{ep}.licences"),
                        "licences are added, but the pool has no licence cap",
                        "a `licences` value on the pool",
                    );
                }
                if let Some(t) = e.throughput {
                    self.bandwidth(&format!("{ep}.throughput"), t);
                }
            }
            let dates: Vec<Date> = p.expansions.iter().map(|e| e.date).collect();
            self.dates_ordered(&format!("{base}.expansions"), &dates);
            if p.units == Some(0) || p.units.is_some_and(|u| u > MAX_UNITS) {
                self.error(
                    &format!("{base}.units"),
                    format!("found {}", p.units.unwrap_or(0)),
                    format!("from 1 to {MAX_UNITS} units"),
                );
            }
            let hosts = p
                .hosts
                .unwrap_or(0)
                .saturating_add(p.expansions.iter().filter_map(|e| e.hosts).sum::<u64>());
            if p.failures.is_some()
                && p.units.is_none()
                && p.kind == PoolKind::RemoteDesktop
                && hosts > MAX_UNITS
            {
                self.error(
                    &format!("{base}.failures"),
                    format!("the farm's {hosts} hosts would each fail at random"),
                    format!("at most {MAX_UNITS} units: set `units`"),
                );
            }
            for (field, set) in [
                ("vcpus_per_host", p.vcpus_per_host.is_some()),
                (
                    "logons_per_minute_per_host",
                    p.logons_per_minute_per_host.is_some(),
                ),
            ] {
                if set && p.kind != PoolKind::RemoteDesktop {
                    self.error(
                        &format!("{base}.{field}"),
                        format!("a {} pool has no hosts", kind_name(p.kind)),
                        "a `kind: remote_desktop` pool",
                    );
                }
            }
            if p.vcpus_per_host.is_some_and(|v| v == 0 || v > 100_000) {
                self.error(
                    &format!("{base}.vcpus_per_host"),
                    format!("found {}", p.vcpus_per_host.unwrap_or(0)),
                    "from 1 to 100000 virtual CPUs",
                );
            }
            if let Some(r) = p.logons_per_minute_per_host
                && !(r.is_finite() && (0.01..=100_000.0).contains(&r))
            {
                self.error(
                    &format!("{base}.logons_per_minute_per_host"),
                    format!("found {r}"),
                    "from 0.01 to 100000 logons per minute",
                );
            }
            if let Some(f) = &p.failures {
                if !(f.mean_time_between.secs() >= 3600.0
                    && f.mean_time_between.secs() <= 3650.0 * 86_400.0)
                {
                    self.error(
                        &format!("{base}.failures.mean_time_between"),
                        format!("found {}", f.mean_time_between),
                        "from 1h to 3650d",
                    );
                }
                self.distribution(
                    &format!("{base}.failures.repair"),
                    &f.repair,
                    false,
                    MAX_WORKDAY_DURATION,
                );
            }
            if let Some(m) = p.max_session
                && !(m.secs() >= 60.0 && m.secs() <= 30.0 * 86_400.0)
            {
                self.error(
                    &format!("{base}.max_session"),
                    format!("found {m}"),
                    "from 1min to 30d",
                );
            }
            self.list_len(&format!("{base}.outages"), p.outages.len());
            for (i, o) in p.outages.iter().enumerate() {
                let op = format!("{base}.outages[{i}]");
                self.date_in_horizon(&format!("{op}.date"), o.date);
                if !(0.0..86_400.0).contains(&o.at.secs()) {
                    self.error(
                        &format!("{op}.at"),
                        format!("found {}", o.at),
                        "a clock time from 00:00 to 23:59",
                    );
                }
                if !(o.duration.secs() > 0.0 && o.duration.secs() <= 86_400.0) {
                    self.error(
                        &format!("{op}.duration"),
                        format!("found {}", o.duration),
                        "more than 0 and at most a day (an outage ends with its day)",
                    );
                }
                let units = p.units.unwrap_or(1);
                if o.units == 0
                    || (p.units.is_some() || p.kind != PoolKind::RemoteDesktop) && o.units > units
                {
                    self.error(
                        &format!("{op}.units"),
                        format!("found {} of the pool's {units} units", o.units),
                        format!("from 1 to {units} units (set the pool's `units`)"),
                    );
                }
            }
            // Final capacities must stay within limits.
            let sessions = final_sessions(p);
            if sessions > MAX_CAPACITY {
                self.error(
                    &base,
                    format!("reaches {sessions} sessions after expansions"),
                    format!("at most {MAX_CAPACITY} sessions"),
                );
            }
            if let Some(l) = p.licences
                && p.licence_model == LicenceModel::Concurrent
            {
                let lic = l.saturating_add(
                    p.expansions
                        .iter()
                        .filter_map(|e| e.licences)
                        .fold(0u64, u64::saturating_add),
                );
                if lic < sessions {
                    self.warning(&format!("{base}.licences"), format!("{lic} concurrent licences are fewer than the {sessions} sessions they feed; the licences, not the {}, cap the pool", if p.kind == PoolKind::RemoteDesktop { "hosts" } else { "tunnels" }));
                }
            }
        }
    }

    /// Staff enabled on the first day over the paths of a pool with named licences must have a
    /// licence each: at most the pool's named licences on the first day.
    fn named_licences(&mut self) {
        let s = self.s;
        for (name, p) in &s.pools {
            let Some(base) = p.licences else { continue };
            let opens = p
                .expansions
                .iter()
                .any(|e| e.licences.is_some_and(|l| l > 0));
            if p.licence_model != LicenceModel::Named || base == 0 && !opens || base > MAX_CAPACITY
            {
                continue; // not named, or already reported by `pools`
            }
            let licences = p
                .expansions
                .iter()
                .filter(|e| e.date <= s.run.start)
                .filter_map(|e| e.licences)
                .fold(base, u64::saturating_add);
            let mut enabled: u64 = 0;
            let mut paths: Vec<&str> = Vec::new();
            for g in s.staff.values() {
                for a in &g.access {
                    if a.enabled > 0 && s.paths.get(&a.path).is_some_and(|path| &path.pool == name)
                    {
                        enabled = enabled.saturating_add(a.enabled);
                        if !paths.contains(&a.path.as_str()) {
                            paths.push(&a.path);
                        }
                    }
                }
            }
            if enabled > licences {
                self.error(
                    &format!("pools.{name}.licences"),
                    format!(
                        "{enabled} staff are enabled initially on paths of this pool ({}), but it has {licences} named licences",
                        paths.join(", ")
                    ),
                    format!(
                        "at most {licences} staff enabled on the first day over the paths of pool `{name}` (the `enabled` counts under staff.*.access), or more named licences"
                    ),
                );
            }
        }
    }

    fn policy(&mut self) {
        let s = self.s;
        if s.policy.is_empty() {
            if s.stationary.is_none() {
                self.error(
                    "policy",
                    "no policy phase is defined",
                    "at least one phase with `from` and `remote_share`",
                );
            }
            return;
        }
        if s.policy.len() > MAX_PHASES {
            self.error(
                "policy",
                format!("{} phases", s.policy.len()),
                format!("at most {MAX_PHASES} phases"),
            );
        }
        let groups: Vec<&str> = s.staff.keys().map(String::as_str).collect();
        let mut prev: Option<(&str, Date)> = None;
        for (name, ph) in &s.policy {
            let base = format!("policy.{name}");
            self.share(&format!("{base}.remote_share"), ph.remote_share);
            for (w, s) in &ph.remote_share_by_weekday {
                let day = format!("{w:?}").to_lowercase();
                self.share(&format!("{base}.remote_share_by_weekday.{day}"), *s);
            }
            if let Some(t) = ph.enable_target {
                self.share(&format!("{base}.enable_target"), t);
            }
            if self.horizon_ok() && ph.from > self.end() {
                self.error(
                    &format!("{base}.from"),
                    format!(
                        "phase starts {} after the horizon ends ({})",
                        ph.from,
                        self.end()
                    ),
                    "a date inside the horizon",
                );
            }
            if let Some((pn, pd)) = prev
                && ph.from <= pd
            {
                self.error(
                    &format!("{base}.from"),
                    format!(
                        "phase starts {} but the previous phase `{pn}` starts {pd}",
                        ph.from
                    ),
                    "phases in date order, each starting after the one before",
                );
            }
            prev = Some((name, ph.from));
            if ph.groups.len() > MAX_GROUPS {
                self.error(
                    &format!("{base}.groups"),
                    format!("{} groups", ph.groups.len()),
                    format!("at most {MAX_GROUPS} groups"),
                );
            }
            for (g, gp) in &ph.groups {
                let gpath = format!("{base}.groups.{g}");
                self.reference(&gpath, g, &groups, "staff group");
                if let Some(r) = gp.remote_share {
                    self.share(&format!("{gpath}.remote_share"), r);
                }
                if let Some(t) = gp.enable_target {
                    self.share(&format!("{gpath}.enable_target"), t);
                }
            }
        }
        if let Some((first_name, first)) = s.policy.iter().next().map(|(n, p)| (n, p.from))
            && first > s.run.start
        {
            self.error(&format!("policy.{first_name}.from"), format!("the first phase starts {first}, after run.start {}; no policy covers the days before", s.run.start), format!("a first phase starting on or before {}", s.run.start));
        }
    }

    fn workday(&mut self) {
        if let Some(r) = &self.s.workday.retry {
            if r.max_retries > MAX_RETRIES {
                self.error(
                    "workday.retry.max_retries",
                    format!("found {}", r.max_retries),
                    format!("at most {MAX_RETRIES} retries"),
                );
            }
            self.distribution(
                "workday.retry.backoff",
                &r.backoff,
                false,
                MAX_WORKDAY_DURATION,
            );
        }
    }

    fn stationary(&mut self) {
        let s = self.s;
        let Some(st) = &s.stationary else { return };
        let pools: Vec<&str> = s.pools.keys().map(String::as_str).collect();
        if self.reference("stationary.pool", &st.pool, &pools, "pool")
            && let Some(p) = s.pools.get(&st.pool)
        {
            self.stationary_capacity(&st.pool, p);
        }
        self.distribution("stationary.holding", &st.holding, false, MAX_DURATION);
        let span = st.duration.secs() + st.warmup.secs();
        if self.duration_in("stationary.duration", st.duration, MAX_DURATION)
            && st.duration.secs() == 0.0
        {
            self.error(
                "stationary.duration",
                "found a zero duration",
                "a positive duration, e.g. 1000h",
            );
        }
        self.duration_in("stationary.warmup", st.warmup, MAX_DURATION);
        match (st.arrival_rate, st.sources, &st.idle) {
            (Some(rate), None, None) => {
                let r = rate.per_second();
                if !r.is_finite() || r <= 0.0 || r > MAX_RATE_PER_SEC {
                    self.error("stationary.arrival_rate", format!("found {rate}"), "a positive rate of at most 1000000/s");
                } else if r * span > MAX_STATIONARY_ARRIVALS {
                    self.error("stationary.duration", format!("{:.0} arrivals expected", r * span), format!("at most {MAX_STATIONARY_ARRIVALS:.0} arrivals (shorten the duration)"));
                }
            }
            (None, Some(n), Some(idle)) => {
                self.positive("stationary.sources", n, "sources");
                if n > MAX_TRACKED_SOURCES && !matches!(idle, Distribution::Exponential { .. }) {
                    self.error(
                        "stationary.sources",
                        format!("found {n} sources with a non-exponential idle time"),
                        format!("at most {MAX_TRACKED_SOURCES} sources unless `idle` is exponential (each source is then tracked; exponential idle sources are pooled, so any number works)"),
                    );
                }
                self.distribution("stationary.idle", idle, false, MAX_DURATION);
                let mean_idle = dist_mean(idle).unwrap_or(0.0);
                if mean_idle > 0.0 && n as f64 * span / mean_idle > MAX_STATIONARY_ARRIVALS {
                    self.error("stationary.duration", "too many arrivals expected", format!("at most {MAX_STATIONARY_ARRIVALS:.0} arrivals"));
                }
            }
            _ => self.error("stationary", "the arrival process is not defined", "either `arrival_rate` (Poisson, Erlang B) or `sources` with `idle` (finite sources, Engset)"),
        }
    }

    /// A stationary run uses its pool's capacity on the first day: a pool that opens only with
    /// a later expansion has none then. (A pool with 0 and no expansion is reported by `pools`.)
    fn stationary_capacity(&mut self, name: &str, p: &Pool) {
        let start = self.s.run.start;
        let units = match p.kind {
            PoolKind::RemoteDesktop => ("hosts", p.hosts, (|e| e.hosts) as fn(&Expansion) -> _),
            _ => ("tunnels", p.tunnels, (|e| e.tunnels) as fn(&Expansion) -> _),
        };
        for (field, base, added) in [units, ("licences", p.licences, |e| e.licences)] {
            let on = |early: bool| {
                p.expansions
                    .iter()
                    .filter(|e| !early || e.date <= start)
                    .filter_map(added)
                    .fold(0u64, u64::saturating_add)
            };
            if base == Some(0) && on(true) == 0 && on(false) > 0 {
                self.error(
                    "stationary.pool",
                    format!(
                        "pool `{name}` has 0 {field} on run.start {start}, but a stationary run uses the capacity of the first day"
                    ),
                    format!("a pool with {field} on run.start (pools.{name}.{field} above 0)"),
                );
            }
        }
    }

    fn service_level(&mut self) {
        let Some(sl) = &self.s.service_level else {
            return;
        };
        if let Some(b) = sl.max_blocking {
            self.share("service_level.max_blocking", b);
        }
        if let Some(u) = sl.max_utilisation {
            self.share("service_level.max_utilisation", u);
        }
        if let Some(d) = sl.max_login_delay {
            self.duration_in("service_level.max_login_delay", d, MAX_WORKDAY_DURATION);
        }
        if let Some(w) = sl.window {
            if let Some(from) = w.from {
                self.date_in_horizon("service_level.window.from", from);
            }
            if let Some(to) = w.to {
                self.date_in_horizon("service_level.window.to", to);
            }
            if let (Some(from), Some(to)) = (w.from, w.to)
                && from > to
            {
                self.error(
                    "service_level.window.to",
                    format!("the window ends on {to}, before it starts on {from}"),
                    "a last day on or after the first day",
                );
            }
        }
        if sl.max_blocking.is_none() && sl.max_utilisation.is_none() && sl.max_login_delay.is_none()
        {
            self.error(
                "service_level",
                "no target is set",
                "at least one of `max_blocking`, `max_utilisation`, `max_login_delay`",
            );
        }
    }

    fn observed(&mut self) {
        let s = self.s;
        self.list_len("observed", s.observed.len());
        let pools: Vec<&str> = s.pools.keys().map(String::as_str).collect();
        let paths: Vec<&str> = s.paths.keys().map(String::as_str).collect();
        let groups: Vec<&str> = s.staff.keys().map(String::as_str).collect();
        for (i, o) in s.observed.iter().enumerate() {
            let base = format!("observed[{i}]");
            self.date_in_horizon(&format!("{base}.date"), o.date);
            let given = [
                ("value", o.value),
                ("at_least", o.at_least),
                ("at_most", o.at_most),
                ("range.min", o.range.as_ref().map(|r| r.min)),
                ("range.max", o.range.as_ref().map(|r| r.max)),
            ];
            for (field, v) in given {
                let Some(v) = v else { continue };
                if !v.is_finite() || v < 0.0 {
                    self.error(
                        &format!("{base}.{field}"),
                        format!("found {v}"),
                        "a finite, non-negative figure",
                    );
                } else if o.metric == Metric::EnabledShare && v > 1.0 {
                    self.error(
                        &format!("{base}.{field}"),
                        format!("found {v}"),
                        "a fraction from 0 to 1 for enabled_share",
                    );
                }
            }
            if o.published().is_none() {
                self.error(
                    &base,
                    "the figure needs exactly one of `value`, `at_least`, `at_most` or `range`",
                    "e.g. `value: 5800`, or `at_least: 6000` for \"over 6,000\"",
                );
            }
            if let Some(r) = &o.range
                && r.min > r.max
            {
                self.error(
                    &format!("{base}.range"),
                    format!("min {} is above max {}", r.min, r.max),
                    "min ≤ max",
                );
            }
            if o.role.is_none() {
                self.warning_expected(
                    &format!("{base}.metric"),
                    "the figure has no `role`; it counts as a holdout (independent evidence)",
                    "role: input (the file sets it), calibration (assumptions were fitted to it) or holdout",
                );
            }
            if let Some(p) = &o.pool {
                self.reference(&format!("{base}.pool"), p, &pools, "pool");
            }
            if let Some(p) = &o.path {
                self.reference(&format!("{base}.path"), p, &paths, "access path");
            }
            if let Some(g) = &o.group {
                self.reference(&format!("{base}.group"), g, &groups, "staff group");
            }
            if matches!(
                o.metric,
                Metric::PeakSessions | Metric::Capacity | Metric::Licences
            ) && o.pool.is_none()
            {
                self.error(
                    &format!("{base}.metric"),
                    format!("{:?} is measured per pool, but no pool is named", o.metric)
                        .to_lowercase(),
                    "a `pool` for this figure",
                );
            }
            if let Some(t) = o.tolerance {
                self.share(&format!("{base}.tolerance"), t);
            }
        }
    }

    fn assumptions(&mut self) {
        let assumptions = &self.s.meta.assumptions;
        if assumptions.len() > MAX_LIST {
            // Reported once; the entries of an over-long list are not looked at one by one.
            self.list_len("meta.assumptions", assumptions.len());
            return;
        }
        for (i, a) in assumptions.iter().enumerate() {
            if !self.src.contains(&a.field) {
                self.error(
                    &format!("meta.assumptions[{i}].field"),
                    format!("`{}` names no field of this file", a.field),
                    "the path of a field in this file, e.g. staff.office.login",
                );
            }
            if a.reason.trim().is_empty() {
                self.error(
                    &format!("meta.assumptions[{i}].reason"),
                    "the reason is empty",
                    "why the value was assumed",
                );
            }
        }
    }
}

/// What is wrong with a name, if anything: it must be non-empty, use only letters and digits
/// (of any script), spaces, `_`, `-` and `.`, and not start with `=`, `+`, `-` or `@` (which a
/// spreadsheet reads as a formula). So no `/`, `\\`, quotes, control or format characters.
pub fn name_problem(name: &str) -> Option<String> {
    let describe = |c: char| {
        if c.is_control() || c.is_whitespace() || !c.is_alphanumeric() && !c.is_ascii_graphic() {
            format!("U+{:04X}", u32::from(c))
        } else {
            format!("`{c}`")
        }
    };
    let Some(first) = name.chars().next() else {
        return Some("is empty".into());
    };
    if matches!(first, '=' | '+' | '-' | '@') {
        return Some(format!(
            "starts with `{first}`, which a spreadsheet reads as the start of a formula"
        ));
    }
    name.chars()
        .find(|&c| !(c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.')))
        .map(|c| format!("contains {}", describe(c)))
}

fn kind_name(kind: PoolKind) -> &'static str {
    match kind {
        PoolKind::Vpn => "VPN",
        PoolKind::RemoteDesktop => "remote-desktop",
        PoolKind::DialIn => "dial-in",
    }
}

/// A number for a message: plain up to a million, in exponent form beyond (`1e308`, not 309
/// digits).
fn show(v: f64) -> String {
    if v.abs() < 1e6 {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The 95% quantile of the standard normal distribution.
const Z95: f64 = 1.644_853_626_951_472_2;

/// How many days from `start` to 9999-12-31, both included: the longest horizon from it.
fn days_left(start: Date) -> i64 {
    start.days_until(Date::MAX) + 1
}

/// The horizon in whole days, if it is a whole number of days.
pub fn horizon_days(h: Duration) -> Option<i64> {
    let d = h.secs() / 86_400.0;
    (d.is_finite() && d.fract() == 0.0 && (0.0..1e6).contains(&d)).then_some(d as i64)
}

fn final_sessions(p: &Pool) -> u64 {
    let add = |f: fn(&Expansion) -> Option<u64>| {
        p.expansions
            .iter()
            .filter_map(f)
            .fold(0u64, u64::saturating_add)
    };
    match p.kind {
        PoolKind::RemoteDesktop => p
            .hosts
            .unwrap_or(0)
            .saturating_add(add(|e| e.hosts))
            .saturating_mul(p.sessions_per_host.unwrap_or(0)),
        _ => p.tunnels.unwrap_or(0).saturating_add(add(|e| e.tunnels)),
    }
}

/// The exact share of a valid login distribution outside the day, [00:00, 24:00), from its
/// distribution function.
pub fn login_share_outside_day(login: &Distribution) -> f64 {
    let within = Sampler::new(login).mass_within(0.0, 86_400.0);
    (1.0 - within).clamp(0.0, 1.0)
}

/// A rough centre of a distribution, in seconds (for range checks).
fn dist_center(d: &Distribution) -> Option<f64> {
    match d {
        Distribution::Fixed { value } => Some(value.secs()),
        Distribution::Uniform { min, max } => Some((min.secs() + max.secs()) / 2.0),
        Distribution::Normal { mean, .. } => Some(mean.secs()),
        Distribution::Exponential { mean } => Some(mean.secs()),
        Distribution::Lognormal(spec) => spec
            .median
            .map(|m| m.secs())
            .or_else(|| spec.mu.map(|mu| mu.exp() * 3600.0)),
        Distribution::Empirical { .. } => None,
    }
}

/// The mean of a distribution in seconds, where it is simple to state.
pub fn dist_mean(d: &Distribution) -> Option<f64> {
    match d {
        Distribution::Lognormal(_) | Distribution::Empirical { .. } => None,
        other => dist_center(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(hours: f64) -> Duration {
        Duration::from_hours(hours)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn names_outside_the_safe_alphabet_are_named() {
        for ok in [
            "vpn",
            "remote-desktop",
            "Büro 2.OG",
            "lockdown_2020",
            "Ämter",
            "v1.2",
        ] {
            assert_eq!(name_problem(ok), None, "{ok}");
        }
        for (bad, problem) in [
            ("x/../../pwned", "contains `/`"),
            ("a\\b", "contains `\\`"),
            ("=HYPERLINK(1)", "starts with `=`"),
            ("+1", "starts with `+`"),
            ("-rf", "starts with `-`"),
            ("@SUM", "starts with `@`"),
            ("tab\there", "contains U+0009"),
            ("new\nline", "contains U+000A"),
            ("\u{202e}gvs", "contains U+202E"),
            ("a\"b", "contains `\"`"),
            ("", "is empty"),
        ] {
            let found = name_problem(bad).unwrap_or_default();
            assert!(found.starts_with(problem), "{bad:?}: {found}");
        }
    }

    #[test]
    fn the_share_of_logins_outside_the_day_is_exact() {
        // Normal(22:00, 2 h): 1 - Φ(1) after midnight (Φ(-11) before is negligible).
        let normal = Distribution::Normal {
            mean: h(22.0),
            sd: h(2.0),
        };
        assert!(close(
            login_share_outside_day(&normal),
            0.158_655_253_931_457
        ));
        // Uniform 20:00–26:00: a third after midnight.
        let uniform = Distribution::Uniform {
            min: h(20.0),
            max: h(26.0),
        };
        assert!(close(login_share_outside_day(&uniform), 1.0 / 3.0));
        // Log-normal with median 12 h and sigma 0.5: P(X ≥ 24 h) = 1 - Φ(2 ln 2).
        let lognormal = Distribution::Lognormal(LognormalSpec {
            median: Some(h(12.0)),
            sigma: Some(0.5),
            ..Default::default()
        });
        let phi = |z: f64| 0.5 * statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2);
        assert!(close(
            login_share_outside_day(&lognormal),
            1.0 - phi(2.0 * 2f64.ln())
        ));
        // Exponential with mean 8 h: e^-3 after midnight.
        let exponential = Distribution::Exponential { mean: h(8.0) };
        assert!(close(login_share_outside_day(&exponential), (-3f64).exp()));
        // Fixed: all or nothing.
        let fixed_in = Distribution::Fixed { value: h(8.0) };
        let fixed_out = Distribution::Fixed { value: h(25.0) };
        assert_eq!(login_share_outside_day(&fixed_in), 0.0);
        assert_eq!(login_share_outside_day(&fixed_out), 1.0);
        // Empirical: the weight of the points outside.
        let empirical = Distribution::Empirical {
            points: [(8.0, 3.0), (24.0, 1.0)]
                .iter()
                .map(|&(v, weight)| EmpiricalPoint {
                    value: h(v),
                    weight,
                })
                .collect(),
        };
        assert!(close(login_share_outside_day(&empirical), 0.25));
        // An ordinary office morning stays far below the warning threshold.
        let office = Distribution::Normal {
            mean: h(8.0),
            sd: h(0.75),
        };
        assert!(login_share_outside_day(&office) < 1e-12);
    }
}
