//! One workday in continuous time: logins, authentication, admission, retries, departures.
//!
//! Logins are drawn up front and bucket-sorted; retries and departures live in calendar
//! queues (see `calendar`: both linear in the number of workers). Every
//! attempt passes the authentication service first (a single server working at the auth rate,
//! first come first served), and is admitted by its pool when a seat and a licence are free.
//! Because authentication is first-come-first-served, admission times are non-decreasing in
//! processing order, so departures can be released lazily up to each admission: the loop does
//! no allocation per event and needs no event queue beyond the two heaps.

use super::calendar::{CalendarQueue, bucket_sort, time_order};
use super::model::{
    Model, PoolModel as PoolModelLimit, SessionKey, class_of, session_key, slot_of,
};
use super::rng::{Purpose, stream};

/// Seconds in a day; login times are drawn from their distribution truncated to [0, DAY).
pub const DAY: f64 = 86_400.0;

/// A login to come: 20 bytes (packed), as a day holds one per remote worker.
#[derive(Clone, Copy, Debug)]
#[repr(C, packed(4))]
struct Login {
    time: f64,
    hold: f64,
    /// The worker's slot and workload class (0 for a group without classes).
    key: SessionKey,
}

impl Login {
    #[inline(always)]
    fn slot(&self) -> usize {
        slot_of(self.key)
    }
}

/// Figures of one pool on one workday.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PoolDay {
    /// Login attempts (first attempts and retries).
    pub attempts: u64,
    /// Attempts admitted.
    pub admitted: u64,
    /// Attempts blocked.
    pub blocked: u64,
    /// Users who gave up after their last retry.
    pub gave_up: u64,
    /// Users who logged in at all (first attempts).
    pub users: u64,
    /// Peak concurrent sessions.
    pub peak_sessions: u64,
    /// Peak bandwidth demand, bit/s.
    pub peak_bps: f64,
    /// Sessions carried over from the previous night (groups with shifts), holding seats from
    /// midnight on; not attempts of this day.
    pub carried_in: u64,
    /// Sessions dropped by an outage of some of the pool's units; each user reconnects.
    pub dropped: u64,
    /// Sessions cut at the pool's maximum session time; each user reconnects.
    pub timed_out: u64,
    /// Sessions ended for a break; each user reconnects after it.
    pub paused: u64,
    /// Reconnect attempts of interrupted users (their first tries and retries; also in
    /// `attempts`).
    pub reconnect_attempts: u64,
    /// Reconnect attempts blocked (also in `blocked`).
    pub reconnect_blocked: u64,
    /// Interrupted users (dropped, timed out or back from a break) who gave up reconnecting
    /// (also in `gave_up`).
    pub reconnect_gave_up: u64,
}

/// Figures of one workday.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DayOutcome {
    /// Per pool.
    pub pools: Vec<PoolDay>,
    /// Longest wait for authentication, seconds.
    pub worst_login_delay: f64,
    /// Mean wait for authentication over attempts, seconds.
    pub mean_login_delay: f64,
}

/// A workday's load curve in fixed intervals, per pool.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CurveRecord {
    /// Intervals per day.
    pub intervals: usize,
    /// Interval width, seconds.
    pub width: f64,
    /// Login attempts starting in each interval: `[pool * intervals + k]`.
    pub logins: Vec<f64>,
    /// Blocked attempts per interval.
    pub blocked: Vec<f64>,
    /// Sessions active at each interval's start.
    pub active_start: Vec<f64>,
    /// Most concurrent sessions within each interval.
    pub active: Vec<f64>,
    /// Highest bandwidth demand within each interval, bit/s.
    pub bandwidth: Vec<f64>,
    /// Sum of the login delays of the attempts made in each interval, seconds.
    pub delay_sum: Vec<f64>,
    /// Longest login delay of the attempts made in each interval, seconds.
    pub delay_max: Vec<f64>,
}

/// An empty curve for `pools` pools at the given interval width.
pub fn new_curve(pools: usize, width: f64) -> CurveRecord {
    CurveRecord::new(pools, width)
}

impl CurveRecord {
    /// Cells of a curve of `model`: pools × intervals.
    pub(super) fn cells(model: &Model) -> u64 {
        let intervals = (DAY / model.interval_secs).round().max(1.0) as u64;
        model.pools.len() as u64 * intervals
    }

    /// Whether a curve read back from a part has the shape of `model`'s curves.
    pub(super) fn fits(&self, model: &Model) -> bool {
        let cells = Self::cells(model);
        self.intervals as u64 * model.pools.len() as u64 == cells
            && [
                &self.logins,
                &self.blocked,
                &self.active_start,
                &self.active,
                &self.bandwidth,
                &self.delay_sum,
                &self.delay_max,
            ]
            .iter()
            .all(|v| v.len() as u64 == cells)
    }

    fn new(pools: usize, width: f64) -> CurveRecord {
        let intervals = (DAY / width).round().max(1.0) as usize;
        CurveRecord {
            intervals,
            width,
            logins: vec![0.0; pools * intervals],
            blocked: vec![0.0; pools * intervals],
            active_start: vec![0.0; pools * intervals],
            active: vec![0.0; pools * intervals],
            bandwidth: vec![0.0; pools * intervals],
            delay_sum: vec![0.0; pools * intervals],
            delay_max: vec![0.0; pools * intervals],
        }
    }

    #[inline]
    fn idx(&self, t: f64) -> usize {
        ((t / self.width) as usize).min(self.intervals - 1)
    }

    /// The level `active`/`bps` held on [`from`, `to`) in `pool`. Each pool's holds follow one
    /// another without gaps, so every interval start inside the day is covered exactly once.
    fn hold(&mut self, pool: usize, from: f64, to: f64, active: u64, bps: f64) {
        let (a, b) = (self.idx(from), self.idx(to));
        let base = pool * self.intervals;
        for k in a..=b {
            let slot = &mut self.active[base + k];
            *slot = slot.max(active as f64);
            let bw = &mut self.bandwidth[base + k];
            *bw = bw.max(bps);
            let start = k as f64 * self.width;
            if from <= start && start < to {
                self.active_start[base + k] = active as f64;
            }
        }
    }
}

/// Bytes per remote worker the buffers of a workday hold, as a bound: the login list (20 bytes
/// per login, packed; sorted in place with at most 256 KiB of scratch, 103 KiB of scaled keys
/// and 16 KiB of counts, a fixed amount), one departure per
/// worker in its pool's calendar queue (12 bytes, packed, up to twice that while a bucket's
/// vector grows), at most one pending retry per worker (16 bytes, up to 32) and, for pools
/// whose sessions are interrupted, at most one waiting reconnect per worker (20 bytes: entries
/// are reused). Measured at about 40 bytes on the national peak day (1.95 million remote workers,
/// 76 MiB of heap in all, 2026-12-07; 56 bytes before logins and departures were packed).
pub const BYTES_PER_REMOTE_WORKER: u64 = 128;

/// Reusable buffers, so a replication allocates once, not per day. They also carry the
/// sessions still running at midnight (of groups with shifts) into the next day.
#[derive(Default)]
pub struct Buffers {
    logins: Vec<Login>,
    scratch: Vec<Login>,
    sort_keys: Vec<u32>,
    counts: Vec<u32>,
    retries: CalendarQueue<u64>,
    departures: Vec<CalendarQueue<SessionKey>>,
    carry: Carry,
    reconnects: Vec<Login>,
    /// Entries of `reconnects` no longer waited on (their user is back or gave up), reused so
    /// the list holds at most one entry per worker however often sessions are interrupted.
    free_reconnects: Vec<u32>,
    drained: Vec<(f64, SessionKey)>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

impl Buffers {
    /// The day whose carry-over the buffers hold.
    pub(super) fn carry_day(&self) -> Option<usize> {
        self.carry.day
    }

    /// The sessions the last simulated day carried past midnight.
    pub(super) fn carried(&self) -> Vec<(f64, SessionKey)> {
        self.carry.sessions.clone()
    }

    /// Sets what day `day` carried past midnight (a day taken from a reference run, not
    /// simulated here).
    pub(super) fn set_carried(&mut self, day: usize, sessions: &[(f64, SessionKey)]) {
        self.carry.day = Some(day);
        self.carry.sessions.clear();
        self.carry.sessions.extend_from_slice(sessions);
    }

    /// Runs `f` with this thread's buffers, emptied of any carry-over: they are reused from one
    /// replication to the next instead of allocated for each.
    pub fn with_thread_buffers<R>(f: impl FnOnce(&mut Buffers) -> R) -> R {
        BUFFERS.with(|b| {
            let mut buf = b.borrow_mut();
            buf.carry.day = None;
            f(&mut buf)
        })
    }

    /// Reconnect entries held (for the test that they stay bounded).
    #[cfg(test)]
    pub(super) fn reconnect_entries(&self) -> usize {
        self.reconnects.len()
    }

    /// Stores a reconnect to come and queues its attempt at `login.time`.
    fn schedule_reconnect(&mut self, login: Login) {
        let index = match self.free_reconnects.pop() {
            Some(i) => {
                self.reconnects[i as usize] = login;
                u64::from(i)
            }
            None => {
                self.reconnects.push(login);
                (self.reconnects.len() - 1) as u64
            }
        };
        self.retries.push(login.time, RECONNECT | (index << 32));
    }
}

/// Marks a retry-queue payload as a reconnect (an index into `Buffers::reconnects`).
const RECONNECT: u64 = 1 << 63;

/// A moment a pool loses or regains units.
#[derive(Clone, Copy)]
struct UnitEvent {
    t: f64,
    pool: usize,
    /// Units lost (positive) or back (negative).
    change: i64,
}

/// Sessions running at the end of a simulated day: their end, in seconds after the next
/// midnight, and their session key.
#[derive(Default)]
struct Carry {
    day: Option<usize>,
    sessions: Vec<(f64, SessionKey)>,
}

#[cfg(test)]
pub(super) fn split_by_share_for_tests(count: u64, shares: &[f64]) -> Vec<u64> {
    split_by_share(count, shares.iter().copied())
}

/// Splits `count` workers over shares by largest remainder (ties to the earlier shift), so
/// the split is exact and draws nothing.
fn split_by_share(count: u64, shares: impl Iterator<Item = f64>) -> Vec<u64> {
    // Normalised by their sum, so shares validated to add up to 100% within rounding never
    // split more workers than there are.
    let shares: Vec<f64> = shares.collect();
    let sum: f64 = shares.iter().sum();
    let raw: Vec<f64> = shares
        .iter()
        .map(|s| if sum > 0.0 { s / sum } else { 0.0 } * count as f64)
        .collect();
    let mut out: Vec<u64> = raw.iter().map(|r| r.floor() as u64).collect();
    let mut left = count.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (raw[a] - raw[a].floor(), raw[b] - raw[b].floor());
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for i in order.into_iter().cycle() {
        if left == 0 || out.is_empty() {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

struct PoolState {
    active: u64,
    bps: f64,
    limit: u64,
    last_t: f64,
    /// Units down.
    down: u64,
    /// Virtual CPUs the sessions take, and the pool's (infinite without a vCPU limit, and
    /// then never updated, so a pool without one computes nothing more).
    cpu: f64,
    cpu_limit: f64,
    /// When the pool's logon service is next free (remote-desktop hosts' logon rate).
    logon_free: f64,
}

impl PoolState {
    #[inline]
    fn leave<const F: bool>(&mut self, model: &Model, key: SessionKey) {
        self.active -= 1;
        self.bps -= model.bps_of(key);
        if F && self.cpu_limit.is_finite() {
            self.cpu -= model.vcpus_of(key);
        }
    }

    #[inline]
    fn fits<const F: bool>(&self, model: &Model, key: SessionKey) -> bool {
        self.active < self.limit
            && (!F
                || !self.cpu_limit.is_finite()
                || self.cpu + model.vcpus_of(key) <= self.cpu_limit + 1e-9)
    }

    #[inline]
    fn join<const F: bool>(&mut self, model: &Model, key: SessionKey) {
        self.active += 1;
        self.bps += model.bps_of(key);
        if F && self.cpu_limit.is_finite() {
            self.cpu += model.vcpus_of(key);
        }
    }
}

/// A pool loses or regains units. On a loss, the sessions of the lost units drop: with
/// sessions spread evenly over the units that are up (a least-loaded balancer), the `k`
/// biggest of `n` units hold `k·⌊a/n⌋ + min(k, a mod n)` of the `a` active sessions, chosen at
/// random. Each dropped user reconnects after the retry back-off (at once without one) for
/// the rest of their session, through authentication again.
#[allow(clippy::too_many_arguments)]
fn unit_event(
    model: &Model,
    day: usize,
    e: UnitEvent,
    state: &mut PoolState,
    stats: &mut PoolDay,
    buf: &mut Buffers,
    rng: &mut rand_chacha::ChaCha8Rng,
    mut curve: Option<&mut CurveRecord>,
) {
    let pool = &model.pools[e.pool];
    let units = pool.units_on(day);
    let heap = &mut buf.departures[e.pool];
    // Sessions ending before the event leave first.
    while let Some((dt, dslot)) = heap.pop_until(e.t) {
        if let Some(c) = curve.as_deref_mut() {
            c.hold(e.pool, state.last_t, dt, state.active, state.bps);
            state.last_t = dt;
        }
        state.leave::<true>(model, dslot);
    }
    if let Some(c) = curve.as_deref_mut() {
        c.hold(e.pool, state.last_t, e.t, state.active, state.bps);
        state.last_t = e.t;
    }
    if e.change < 0 {
        state.down = state.down.saturating_sub(e.change.unsigned_abs());
    } else {
        let up = units.saturating_sub(state.down);
        let lost = (e.change as u64).min(up);
        let a = state.active;
        let drop = a
            .checked_div(up)
            .map_or(0, |each| lost * each + lost.min(a % up));
        // Counted in full (a failure while every unit is down still has its recovery coming);
        // its effect is capped at the units there are.
        state.down += e.change as u64;
        if drop > 0 {
            drop_sessions(model, e, drop, state, stats, buf, rng);
        }
    }
    state.limit = PoolModelLimit::limit_without(pool.admit_limit(day), units, state.down);
    state.cpu_limit = pool.vcpu_limit(day, state.down);
    if let Some(c) = curve {
        c.hold(e.pool, e.t, e.t, state.active, state.bps);
    }
}

/// Drops `drop` of the pool's active sessions, chosen at random, and schedules their users'
/// reconnects.
fn drop_sessions(
    model: &Model,
    e: UnitEvent,
    drop: u64,
    state: &mut PoolState,
    stats: &mut PoolDay,
    buf: &mut Buffers,
    rng: &mut rand_chacha::ChaCha8Rng,
) {
    let mut drained = std::mem::take(&mut buf.drained);
    drained.clear();
    buf.departures[e.pool].drain_into(&mut drained);
    // Choose the dropped sessions: a partial Fisher-Yates shuffle of the first `drop`.
    let n = drained.len();
    let drop = (drop as usize).min(n);
    for i in 0..drop {
        let j = i + rand::RngExt::random_range(rng, 0..(n - i));
        drained.swap(i, j);
    }
    for &(dt, dslot) in &drained[..drop] {
        state.leave::<true>(model, dslot);
        stats.dropped += 1;
        let wait = model
            .retry
            .as_ref()
            .map_or(0.0, |r| r.backoff.sample(rng).max(0.0));
        buf.schedule_reconnect(Login {
            time: e.t + wait,
            hold: (dt - e.t).max(1.0),
            key: dslot,
        });
    }
    let heap = &mut buf.departures[e.pool];
    for &(dt, dslot) in &drained[drop..] {
        heap.push(dt, dslot);
    }
    buf.drained = drained;
}

/// Where a session just admitted is interrupted, if it is: a break (taken by a share of a
/// group's workers, decided at their first admission) or the pool's maximum session time,
/// whichever comes first. The user then reconnects — after the break, or after the retry
/// back-off — for the rest of their work. Returns when the session leaves.
#[allow(clippy::too_many_arguments)]
fn interrupt(
    model: &Model,
    login: Login,
    reconnect: bool,
    admit_t: f64,
    end: f64,
    stats: &mut PoolDay,
    buf: &mut Buffers,
    breaks_rng: &mut rand_chacha::ChaCha8Rng,
    rng: &mut rand_chacha::ChaCha8Rng,
) -> f64 {
    let slot = &model.slots[login.slot()];
    let mut cut: Option<(f64, f64, bool)> = None;
    if !reconnect
        && let Some(b) = &model.groups[slot.group].breaks
        && rand::RngExt::random::<f64>(breaks_rng) < b.share
    {
        let start = b.at.sample_within(breaks_rng, 0.0, DAY);
        let length = b.length.sample(breaks_rng).max(0.0);
        if start > admit_t && start < end {
            cut = Some((start, start + length, true));
        }
    }
    if let Some(max) = model.pools[slot.pool].max_session_secs
        && admit_t + max < cut.map_or(end, |c| c.0)
    {
        let at = admit_t + max;
        let wait = model
            .retry
            .as_ref()
            .map_or(0.0, |r| r.backoff.sample(rng).max(0.0));
        cut = Some((at, at + wait, false));
    }
    let Some((at, back, paused)) = cut else {
        return end;
    };
    if paused {
        stats.paused += 1;
    } else {
        stats.timed_out += 1;
    }
    buf.schedule_reconnect(Login {
        time: back,
        hold: (end - at).max(1.0),
        ..login
    });
    at
}

/// Whether a session ending at `dt` (seconds after this day's midnight) carries over into the
/// next day: it runs past midnight and its group works shifts across it.
fn carries_past_midnight(model: &Model, dt: f64, key: SessionKey) -> bool {
    dt > DAY && model.groups[model.slots[slot_of(key)].group].carries_over()
}

/// Simulates one workday. `remote[slot]` is the number of remote workers per slot.
pub fn run_workday(
    model: &Model,
    seed: u64,
    replication: u64,
    day: usize,
    remote: &[u64],
    buf: &mut Buffers,
    curve: Option<&mut CurveRecord>,
) -> DayOutcome {
    // A scenario that uses no unit failures, interruptions or host limits runs a copy of the
    // loop compiled without them: it pays nothing for them.
    if model.plain {
        workday::<false>(model, seed, replication, day, remote, buf, curve)
    } else {
        workday::<true>(model, seed, replication, day, remote, buf, curve)
    }
}

pub(super) fn workday<const F: bool>(
    model: &Model,
    seed: u64,
    replication: u64,
    day: usize,
    remote: &[u64],
    buf: &mut Buffers,
    mut curve: Option<&mut CurveRecord>,
) -> DayOutcome {
    let n_pools = model.pools.len();
    let mut login_rng = stream(seed, Purpose::Logins, replication, day as u64);
    let mut outage_rng = stream(seed, Purpose::Outage, replication, day as u64);
    let mut breaks_rng = stream(seed, Purpose::Breaks, replication, day as u64);
    debug_assert!(F || !(model.has_reconnects || model.has_outages));
    let mut session_rng = stream(seed, Purpose::Sessions, replication, day as u64);
    let mut backoff_rng = stream(seed, Purpose::Backoff, replication, day as u64);

    let total: u64 = remote.iter().sum();
    buf.logins.clear();
    // Retries wait minutes, not hours: one day plus a margin covers them (rest: overflow).
    // They crowd into the morning's storm, so the buckets are narrow.
    buf.retries.reset(1.05 * DAY, total as usize);
    buf.departures.resize_with(n_pools, CalendarQueue::default);
    let mut per_pool = vec![0u64; n_pools];
    for (si, &count) in remote.iter().enumerate() {
        per_pool[model.slots[si].pool] += count;
    }
    for (q, &n) in buf.departures.iter_mut().zip(&per_pool) {
        // Sessions end within the next day but for a rare long tail (kept in the overflow).
        q.reset(2.0 * DAY, n as usize);
    }
    buf.logins.reserve(total as usize);
    for (si, &count) in remote.iter().enumerate() {
        let group = &model.groups[model.slots[si].group];
        if group.shifts.is_empty() && group.classes.is_empty() {
            for _ in 0..count {
                let time = group.login.sample_within(&mut login_rng, 0.0, DAY);
                let hold = group.session.sample(&mut session_rng).max(1.0);
                buf.logins.push(Login {
                    time,
                    hold,
                    key: session_key(si as u32, 0),
                });
            }
            continue;
        }
        // Shifts, then workload classes within each shift: exact splits, no draws.
        let shifts: Vec<(&super::sampler::Sampler, &super::sampler::Sampler, u64)> =
            if group.shifts.is_empty() {
                vec![(&group.login, &group.session, count)]
            } else {
                let split = split_by_share(count, group.shifts.iter().map(|s| s.share));
                group
                    .shifts
                    .iter()
                    .zip(split)
                    .map(|(s, n)| (&s.login, &s.session, n))
                    .collect()
            };
        for (login, session, n) in shifts {
            let classes = if group.classes.is_empty() {
                vec![n]
            } else {
                split_by_share(n, group.classes.iter().map(|c| c.share))
            };
            for (class, m) in classes.into_iter().enumerate() {
                for _ in 0..m {
                    let time = login.sample_within(&mut login_rng, 0.0, DAY);
                    let hold = session.sample(&mut session_rng).max(1.0);
                    buf.logins.push(Login {
                        time,
                        hold,
                        key: session_key(si as u32, class as u8),
                    });
                }
            }
        }
    }
    bucket_sort(
        &mut buf.logins,
        &mut buf.scratch,
        &mut buf.counts,
        &mut buf.sort_keys,
        |l| l.time,
        // A total order (ties in time and slot by session length, then class), so the order
        // never depends on how the sort buckets them.
        |a, b| {
            ({ a.time })
                .total_cmp(&{ b.time })
                .then(a.slot().cmp(&b.slot()))
                .then(({ a.hold }).total_cmp(&{ b.hold }))
                .then(class_of(a.key).cmp(&class_of(b.key)))
        },
    );

    let mut pools: Vec<PoolState> = model
        .pools
        .iter()
        .map(|p| PoolState {
            active: 0,
            bps: 0.0,
            limit: p.admit_limit(day),
            last_t: 0.0,
            down: 0,
            cpu: 0.0,
            cpu_limit: p.vcpu_limit(day, 0),
            logon_free: 0.0,
        })
        .collect();
    let mut events: Vec<UnitEvent> = Vec::new();
    if model.has_reconnects {
        buf.reconnects.clear();
        buf.free_reconnects.clear();
    }
    if model.has_outages {
        for (pi, p) in model.pools.iter().enumerate() {
            // Random failures: each unit up at the day's start fails as a Poisson process.
            if let Some((rate, repair)) = &p.failures {
                for _ in 0..p.units_on(day) {
                    let mut t = 0.0;
                    loop {
                        let u: f64 = rand::RngExt::random(&mut outage_rng);
                        t += -(1.0 - u).ln() / rate;
                        if t >= DAY {
                            break;
                        }
                        let back = (t + repair.sample(&mut outage_rng).max(0.0)).min(DAY);
                        if back <= t {
                            // Repaired at once: no outage (a pair at one instant would sort
                            // its recovery first and leave the unit down).
                            continue;
                        }
                        events.push(UnitEvent {
                            t,
                            pool: pi,
                            change: 1,
                        });
                        events.push(UnitEvent {
                            t: back,
                            pool: pi,
                            change: -1,
                        });
                        t = back;
                    }
                }
            }
            for o in p.outages.iter().filter(|o| o.day == day && o.until > o.at) {
                let change = o.units as i64;
                events.push(UnitEvent {
                    t: o.at,
                    pool: pi,
                    change,
                });
                events.push(UnitEvent {
                    t: o.until,
                    pool: pi,
                    change: -change,
                });
            }
        }
        // In time order; at the same moment, units come back before others fail.
        events.sort_by(|a, b| {
            a.t.total_cmp(&b.t)
                .then(a.change.cmp(&b.change))
                .then(a.pool.cmp(&b.pool))
        });
    }
    let mut next_event = 0usize;
    let mut out = DayOutcome {
        pools: vec![PoolDay::default(); n_pools],
        ..Default::default()
    };
    // Last night's sessions hold their seats from midnight. They all fit: they fitted
    // yesterday's pool, capacity never shrinks from one day to the next (expansions only add)
    // and every unit is up at midnight.
    if day > 0 && buf.carry.day == Some(day - 1) {
        for &(end, key) in &buf.carry.sessions {
            let pi = model.slots[slot_of(key)].pool;
            let state = &mut pools[pi];
            let fits = state.fits::<F>(model, key);
            debug_assert!(fits, "a carried session beyond today's capacity");
            if fits {
                state.join::<F>(model, key);
                buf.departures[pi].push(end, key);
                let stats = &mut out.pools[pi];
                stats.carried_in += 1;
                stats.peak_sessions = state.active;
                stats.peak_bps = state.bps;
            }
        }
    }
    let max_retries = model.retry.as_ref().map_or(0, |r| r.max_retries);
    let service = model.auth_service_secs.as_ref().map(|v| v[day]);
    let mut auth_free = 0.0f64;
    let mut delay_sum = 0.0;
    let mut attempts_total = 0u64;
    let mut next = 0usize;

    // Applies every unit event up to `limit`, in order (both where the loop meets an event and
    // where an attempt's admission passes one).
    macro_rules! apply_events_until {
        ($limit:expr) => {
            while let Some(&e) = events.get(next_event)
                && e.t <= $limit
            {
                next_event += 1;
                unit_event(
                    model,
                    day,
                    e,
                    &mut pools[e.pool],
                    &mut out.pools[e.pool],
                    buf,
                    &mut outage_rng,
                    curve.as_deref_mut(),
                );
            }
        };
    }

    loop {
        // A retry goes first only if strictly earlier than the next first login and the next
        // outage event; an outage event goes before a first login at the same moment.
        let login_t = buf.logins.get(next).map_or(f64::INFINITY, |l| l.time);
        let event_t = if F {
            events.get(next_event).map_or(f64::INFINITY, |e| e.t)
        } else {
            f64::INFINITY
        };
        let bound = login_t.min(event_t).next_down();
        let (t, idx, attempt, reconnect) = if let Some((t, payload)) = buf.retries.pop_until(bound)
        {
            (
                t,
                ((payload & !RECONNECT) >> 32) as usize,
                payload as u32,
                F && payload & RECONNECT != 0,
            )
        } else if F && event_t <= login_t && event_t.is_finite() {
            apply_events_until!(event_t);
            continue;
        } else if next < buf.logins.len() {
            next += 1;
            (buf.logins[next - 1].time, next - 1, 0, false)
        } else {
            break;
        };
        let login = if reconnect {
            buf.reconnects[idx]
        } else {
            buf.logins[idx]
        };
        let slot = &model.slots[login.slot()];
        let pi = slot.pool;
        let key = login.key;

        let mut admit_t = match service {
            Some(s) => {
                auth_free = auth_free.max(t) + s;
                auth_free
            }
            None => t,
        };
        // A remote-desktop farm's hosts absorb so many logons a minute: one first-come-first-
        // served logon service per pool, so admissions stay in time order within the pool. An
        // attempt the pool then turns away (no seat) took no logon: only an admission books
        // the service.
        let mut logon_booked = false;
        if F && let Some(rate) = model.pools[pi].logons_per_sec_per_host {
            let hosts = model.pools[pi]
                .units_on(day)
                .saturating_sub(pools[pi].down)
                .max(1);
            admit_t = pools[pi].logon_free.max(admit_t) + 1.0 / (rate * hosts as f64);
            logon_booked = true;
        }
        // Units fail or come back while the attempt waits for authentication (or a logon): the
        // pool must be in its state at the admission, so those events go first. Reconnects
        // they schedule arrive after this attempt did, so it stays ahead of them in every queue.
        if F {
            apply_events_until!(admit_t);
        }
        let delay = admit_t - t;
        delay_sum += delay;
        attempts_total += 1;
        out.worst_login_delay = out.worst_login_delay.max(delay);

        let stats = &mut out.pools[pi];
        stats.attempts += 1;
        if reconnect {
            stats.reconnect_attempts += 1;
        } else if attempt == 0 {
            stats.users += 1;
        }
        let state = &mut pools[pi];
        let heap = &mut buf.departures[pi];
        while let Some((dt, dslot)) = heap.pop_until(admit_t) {
            if let Some(c) = curve.as_deref_mut() {
                c.hold(pi, state.last_t, dt, state.active, state.bps);
                state.last_t = dt;
            }
            state.leave::<F>(model, dslot);
        }
        if let Some(c) = curve.as_deref_mut() {
            c.hold(pi, state.last_t, admit_t, state.active, state.bps);
            state.last_t = admit_t;
            let k = pi * c.intervals + c.idx(t);
            c.logins[k] += 1.0;
            c.delay_sum[k] += delay;
            c.delay_max[k] = c.delay_max[k].max(delay);
        }
        if state.fits::<F>(model, key) {
            state.join::<F>(model, key);
            if logon_booked {
                state.logon_free = admit_t;
            }
            stats.admitted += 1;
            stats.peak_sessions = stats.peak_sessions.max(state.active);
            stats.peak_bps = stats.peak_bps.max(state.bps);
            let mut end = admit_t + login.hold;
            if reconnect {
                buf.free_reconnects.push(idx as u32);
            }
            if F && model.has_reconnects {
                end = interrupt(
                    model,
                    login,
                    reconnect,
                    admit_t,
                    end,
                    stats,
                    buf,
                    &mut breaks_rng,
                    &mut outage_rng,
                );
            }
            let heap = &mut buf.departures[pi];
            heap.push(end, key);
            if let Some(c) = curve.as_deref_mut() {
                c.hold(pi, admit_t, admit_t, state.active, state.bps);
            }
        } else {
            stats.blocked += 1;
            if reconnect {
                stats.reconnect_blocked += 1;
            }
            if let Some(c) = curve.as_deref_mut() {
                let k = c.idx(admit_t);
                c.blocked[pi * c.intervals + k] += 1.0;
            }
            if attempt < max_retries {
                let wait = model
                    .retry
                    .as_ref()
                    .map_or(0.0, |r| r.backoff.sample(&mut backoff_rng).max(0.0));
                let flag = if reconnect { RECONNECT } else { 0 };
                buf.retries.push(
                    admit_t + wait,
                    flag | ((idx as u64) << 32) | u64::from(attempt + 1),
                );
            } else {
                stats.gave_up += 1;
                if reconnect {
                    stats.reconnect_gave_up += 1;
                    buf.free_reconnects.push(idx as u32);
                }
            }
        }
    }
    let carry = model.carry_over;
    if carry {
        buf.carry.sessions.clear();
    }
    if curve.is_none() && carry {
        // Only the sessions running past midnight matter: taken from each pool's queue as
        // they lie, then put in the order popping them would give (pool by pool; time, ties by
        // session key), so the next day joins them in the same order.
        for pi in 0..n_pools {
            let sessions = &mut buf.carry.sessions;
            let from = sessions.len();
            buf.departures[pi].drain_unordered(|dt, dslot| {
                if carries_past_midnight(model, dt, dslot) {
                    sessions.push((dt, dslot));
                }
            });
            let mine = &mut sessions[from..];
            mine.sort_unstable_by(time_order);
            for s in mine {
                s.0 -= DAY;
            }
        }
    } else if curve.is_some() {
        // Sessions still running at the end of the logins hold their level to the day's end
        // (or until they leave); those of groups with shifts running past midnight carry over.
        for (pi, state) in pools.iter_mut().enumerate() {
            let heap = &mut buf.departures[pi];
            while let Some((dt, dslot)) = heap.pop_until(f64::INFINITY) {
                if let Some(c) = curve.as_deref_mut()
                    && state.last_t < DAY
                {
                    let until = dt.min(DAY);
                    c.hold(pi, state.last_t, until, state.active, state.bps);
                    state.last_t = until;
                }
                state.leave::<F>(model, dslot);
                if carry && carries_past_midnight(model, dt, dslot) {
                    buf.carry.sessions.push((dt - DAY, dslot));
                }
            }
        }
    }
    if carry {
        buf.carry.day = Some(day);
    }
    out.mean_login_delay = if attempts_total > 0 {
        delay_sum / attempts_total as f64
    } else {
        0.0
    };
    out
}
