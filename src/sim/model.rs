//! The scenario compiled for the engine: day-indexed schedules, resolved names, and
//! samplers, so the simulation loops never look anything up by name.

use crate::scenario::{
    DeviceKind, LicenceModel, Metric, PoolKind, Quantile, Scenario, TokenKind, horizon_days,
};
use crate::units::Date;

use super::sampler::Sampler;
use super::window::Window;

/// A staff group ready for simulation.
#[derive(Clone, Debug)]
pub struct GroupModel {
    /// Name.
    pub name: String,
    /// Staff.
    pub headcount: u64,
    /// Remote-suitable staff (headcount × share, rounded).
    pub suitable: u64,
    /// The share of staff whose tasks can be done remotely (`remote_suitable`).
    pub suitable_share: f64,
    /// Login clock time, seconds after midnight.
    pub login: Sampler,
    /// Session length, seconds.
    pub session: Sampler,
    /// Bandwidth of one session, bit/s.
    pub bandwidth_bps: f64,
    /// Private devices available to this group (suitable × share_with_device).
    pub byod_capacity: u64,
    /// Its shifts (empty: one day shift with `login` and `session`, sessions ending with the
    /// day; otherwise the group's sessions carry over midnight).
    pub shifts: Vec<ShiftModel>,
    /// Its workload classes (empty: one class at the group's bandwidth).
    pub classes: Vec<ClassModel>,
    /// Its break, if some of its remote workers take one disconnected.
    pub breaks: Option<BreakModel>,
}

/// A group's break, ready for simulation.
#[derive(Clone, Debug)]
pub struct BreakModel {
    /// Share of the remote workers who take it.
    pub share: f64,
    /// When it begins, seconds after midnight.
    pub at: Sampler,
    /// How long it lasts, seconds.
    pub length: Sampler,
}

/// One workload class of a group, ready for simulation.
#[derive(Clone, Debug)]
pub struct ClassModel {
    /// Share of the group's sessions.
    pub share: f64,
    /// Demand of one session, bit/s (before the path's factor).
    pub bps: f64,
    /// Sessions one virtual CPU carries, if the class states it.
    pub users_per_vcpu: Option<f64>,
}

/// One shift of a group, ready for simulation.
#[derive(Clone, Debug)]
pub struct ShiftModel {
    /// Share of the group's remote workers.
    pub share: f64,
    /// Login clock time, seconds after midnight.
    pub login: Sampler,
    /// Session length, seconds.
    pub session: Sampler,
}

impl GroupModel {
    /// Whether this group's sessions carry over midnight into the next day.
    pub fn carries_over(&self) -> bool {
        !self.shifts.is_empty()
    }
}

/// An access path ready for simulation.
#[derive(Clone, Debug)]
pub struct PathModel {
    /// Name.
    pub name: String,
    /// Device needed.
    pub device: DeviceKind,
    /// Token needed.
    pub token: TokenKind,
    /// Index of the pool it uses.
    pub pool: usize,
}

/// One (group, path) pair, in onboarding order.
#[derive(Clone, Debug)]
pub struct Slot {
    /// Group index.
    pub group: usize,
    /// Path index.
    pub path: usize,
    /// Pool index.
    pub pool: usize,
    /// Staff enabled on the first day.
    pub initially_enabled: u64,
}

/// A pool with its capacity on every day.
#[derive(Clone, Debug)]
pub struct PoolModel {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PoolKind,
    /// Session capacity (tunnels, or hosts × sessions per host) per day.
    pub sessions: Vec<u64>,
    /// Sessions one unit of capacity adds (sessions per host; 1 for tunnels and lines).
    pub sessions_per_host: u64,
    /// Licences per day, if the pool has a licence cap.
    pub licences: Option<Vec<u64>>,
    /// Whether licences are named accounts (bounding the rollout) or concurrent (bounding sessions).
    pub licence_model: LicenceModel,
    /// Throughput per day in bit/s, if known.
    pub throughput_bps: Option<Vec<f64>>,
    /// Units the capacity is spread over, if the file says (else hosts or 1: see
    /// [`PoolModel::units_on`]).
    pub units: Option<u64>,
    /// Outages, in the order of the file.
    pub outages: Vec<OutageModel>,
    /// Virtual CPUs per host (remote desktop), if the file says.
    pub vcpus_per_host: Option<f64>,
    /// Logons one host absorbs per second (remote desktop), if the file says.
    pub logons_per_sec_per_host: Option<f64>,
    /// Longest session kept, seconds, if the file says.
    pub max_session_secs: Option<f64>,
    /// Random unit failures: failures per unit per second, and the repair time.
    pub failures: Option<(f64, Sampler)>,
}

/// Workload classes a group may have at most (the stride of the per-session tables).
pub const CLASS_STRIDE: usize = crate::scenario::MAX_WORKLOAD_CLASSES;

/// A session as the engine's queues carry it: its slot in the low 24 bits, its workload class
/// above. Four bytes, not eight, because a queue holds one per session running: on a
/// 2-million-worker day that is 8 MB less. Ordered as (class, slot).
pub type SessionKey = u32;

/// Bits of a session key that hold the slot.
const SLOT_BITS: u32 = 24;

// Every slot fits its bits: slots are (group, access entry) pairs, both bounded by validation.
const _: () = assert!(crate::scenario::MAX_GROUPS * crate::scenario::MAX_LIST < 1 << SLOT_BITS);
const _: () = assert!(CLASS_STRIDE <= 1 << (32 - SLOT_BITS));

/// The key of a session of `slot` in workload class `class`.
pub fn session_key(slot: u32, class: u8) -> SessionKey {
    debug_assert!(slot < 1 << SLOT_BITS);
    slot | (u32::from(class) << SLOT_BITS)
}

/// The slot of a session key.
pub fn slot_of(key: SessionKey) -> usize {
    (key & ((1 << SLOT_BITS) - 1)) as usize
}

/// The workload class of a session key.
pub fn class_of(key: SessionKey) -> usize {
    (key >> SLOT_BITS) as usize
}

impl Model {
    /// Whether the sessions of `pool` can be interrupted (its outages or maximum session time,
    /// or any group's breaks).
    pub fn interrupts(&self, pool: &PoolModel) -> bool {
        pool.fails()
            || pool.max_session_secs.is_some()
            || self.groups.iter().any(|g| g.breaks.is_some())
    }

    /// Demand of the session `key`, bit/s.
    #[inline]
    pub fn bps_of(&self, key: SessionKey) -> f64 {
        self.session_bps[slot_of(key) * CLASS_STRIDE + class_of(key)]
    }

    /// Virtual CPUs the session `key` takes.
    #[inline]
    pub fn vcpus_of(&self, key: SessionKey) -> f64 {
        self.session_vcpus[slot_of(key) * CLASS_STRIDE + class_of(key)]
    }

    /// Staff of group `g` that `phase`'s target asks to be enabled: its remote-suitable staff
    /// × the phase's enable_target, rounded. The rollout onboards up to this.
    pub fn enable_goal(&self, phase: &PhaseModel, g: usize) -> u64 {
        (self.groups[g].suitable as f64 * phase.enable_target[g]).round() as u64
    }

    /// Staff of each group enabled on the run's first day (its access entries' `enabled`), in
    /// one pass over the slots.
    pub fn enabled_at_start(&self) -> Vec<u64> {
        let mut by_group = vec![0u64; self.groups.len()];
        for s in &self.slots {
            by_group[s.group] += s.initially_enabled;
        }
        by_group
    }
}

/// An outage of some units of a pool, ready for simulation.
#[derive(Clone, Copy, Debug)]
pub struct OutageModel {
    /// Day index.
    pub day: usize,
    /// Start, seconds after midnight.
    pub at: f64,
    /// End, seconds after midnight (at most the day's end).
    pub until: f64,
    /// Units lost.
    pub units: u64,
}

impl PoolModel {
    /// Whether units of the pool can fail (outages or random failures).
    pub fn fails(&self) -> bool {
        !self.outages.is_empty() || self.failures.is_some()
    }

    /// Units the pool's capacity is spread over on a day: the file's `units`, else a
    /// remote-desktop farm's hosts, else 1.
    pub fn units_on(&self, day: usize) -> u64 {
        match (self.units, self.kind) {
            (Some(u), _) => u.max(1),
            (None, PoolKind::RemoteDesktop) => {
                (self.sessions.get(day).copied().unwrap_or(0) / self.sessions_per_host).max(1)
            }
            (None, _) => 1,
        }
    }

    /// The virtual CPUs of the hosts that are up (infinite without a vCPU limit).
    pub fn vcpu_limit(&self, day: usize, down: u64) -> f64 {
        match self.vcpus_per_host {
            Some(v) => v * self.units_on(day).saturating_sub(down) as f64,
            None => f64::INFINITY,
        }
    }

    /// The capacity left when the `lost` biggest of `units` units are down: the day's limit
    /// spread evenly (the first units take the remainder).
    pub fn limit_without(limit: u64, units: u64, lost: u64) -> u64 {
        let units = units.max(1);
        let lost = lost.min(units);
        let (each, extra) = (limit / units, limit % units);
        limit - (lost * each + lost.min(extra))
    }

    /// Concurrent sessions the pool admits on a day: its session capacity, capped by its
    /// licences where they are concurrent. Every output calls this the pool's capacity.
    pub fn admit_limit(&self, day: usize) -> u64 {
        let s = self.sessions.get(day).copied().unwrap_or(0);
        match (&self.licences, self.licence_model) {
            (Some(l), LicenceModel::Concurrent) => s.min(l.get(day).copied().unwrap_or(0)),
            _ => s,
        }
    }

    /// Named licences on a day (bounding how many staff can be enabled), if any.
    pub fn named_licences(&self, day: usize) -> Option<u64> {
        match (&self.licences, self.licence_model) {
            (Some(l), LicenceModel::Named) => l.get(day).copied(),
            _ => None,
        }
    }
}

/// A supply of items (notebooks, hardware tokens).
#[derive(Clone, Debug)]
pub struct SupplyModel {
    /// Stock on the first day.
    pub stock: u64,
    /// Hand-out per workday, per day (dated increases applied).
    pub handout_per_day: Vec<u64>,
    /// Deliveries: planned day index (may be negative never; clamped to 0), quantity, delay.
    pub deliveries: Vec<(i64, u64, Option<Sampler>)>,
}

/// Software tokens.
#[derive(Clone, Debug)]
pub struct SoftwareModel {
    /// First day index they can be activated.
    pub from_day: i64,
    /// Licences, per day (dated increases applied).
    pub licences: Vec<u64>,
    /// Activations per workday, per day.
    pub per_day: Vec<u64>,
}

/// A policy phase with per-group values.
#[derive(Clone, Debug)]
pub struct PhaseModel {
    /// Name.
    pub name: String,
    /// Remote share per group.
    pub remote_share: Vec<f64>,
    /// Enable target (share of suitable staff) per group.
    pub enable_target: Vec<f64>,
    /// Remote share per weekday (0 = Monday), where the phase sets one.
    pub by_weekday: [Option<f64>; 7],
    /// Groups with their own remote share (the weekday profile does not apply to them).
    pub own_share: Vec<bool>,
}

impl PhaseModel {
    /// The remote share of group `g` on a day of the week (0 = Monday).
    #[inline]
    pub fn share_on(&self, g: usize, weekday: u32) -> f64 {
        match self.by_weekday[weekday as usize % 7] {
            Some(s) if !self.own_share[g] => s,
            _ => self.remote_share[g],
        }
    }
}

/// Retry behaviour.
#[derive(Clone, Debug)]
pub struct RetryModel {
    /// Retries after the first blocked attempt.
    pub max_retries: u32,
    /// Back-off.
    pub backoff: Sampler,
}

/// A stationary workload.
#[derive(Clone, Debug)]
pub struct StationaryModel {
    /// Pool index.
    pub pool: usize,
    /// Poisson rate per second (infinite sources), or `None` for finite sources.
    pub rate: Option<f64>,
    /// Finite sources and their idle-time distribution.
    pub sources: Option<(u64, Sampler)>,
    /// Holding time.
    pub holding: Sampler,
    /// Measured seconds.
    pub duration: f64,
    /// Discarded seconds.
    pub warmup: f64,
}

/// A scenario compiled for the engine.
#[derive(Clone, Debug)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// First day.
    pub start: Date,
    /// Days simulated.
    pub days: usize,
    /// Default seed.
    pub seed: u64,
    /// Default replications.
    pub replications: u32,
    /// Which workdays get the login simulation.
    pub login_simulation: crate::scenario::LoginSimulation,
    /// Whether each day is a workday.
    pub workday: Vec<bool>,
    /// Whether some group works shifts, so sessions carry over midnight into the next workday.
    pub carry_over: bool,
    /// Whether some pool has outages.
    pub has_outages: bool,
    /// Whether sessions can be interrupted and reconnect (outages, a maximum session time,
    /// breaks).
    pub has_reconnects: bool,
    /// Whether the workday needs none of outages, interruptions and host limits (the engine
    /// then runs a loop compiled without them).
    pub plain: bool,
    /// Phase index per day.
    pub phase_of_day: Vec<usize>,
    /// Phases.
    pub phases: Vec<PhaseModel>,
    /// Groups.
    pub groups: Vec<GroupModel>,
    /// Paths.
    pub paths: Vec<PathModel>,
    /// (group, path) slots in onboarding order.
    pub slots: Vec<Slot>,
    /// Demand of one session per (slot, workload class), bit/s: the class's (or group's)
    /// bandwidth times the path's factor; `CLASS_STRIDE` classes per slot.
    pub session_bps: Vec<f64>,
    /// Virtual CPUs one session takes per (slot, workload class) (1 / users per vCPU; 0 where
    /// the class states no limit); same layout as `session_bps`.
    pub session_vcpus: Vec<f64>,
    /// Pools.
    pub pools: Vec<PoolModel>,
    /// Notebooks.
    pub notebooks: Option<SupplyModel>,
    /// Hardware tokens.
    pub hardware_tokens: Option<SupplyModel>,
    /// Software tokens.
    pub software_tokens: Option<SoftwareModel>,
    /// Onboarding per workday, per day (dated increases applied).
    pub onboarding_per_day: Option<Vec<u64>>,
    /// Auth service time per login in seconds, per day (`None`: unlimited).
    pub auth_service_secs: Option<Vec<f64>>,
    /// Retry behaviour (`None`: a blocked user gives up at once).
    pub retry: Option<RetryModel>,
    /// Workday curve interval, seconds.
    pub interval_secs: f64,
    /// Stationary workload, if any.
    pub stationary: Option<StationaryModel>,
    /// Published figures to replay, resolved to indices.
    pub observations: Vec<ObservationModel>,
    /// Uncertain inputs: each replication runs on its own draw of them (`None`: none).
    pub uncertain: Option<std::sync::Arc<UncertainInputs>>,
    /// The days judged: the service level's window, else the whole horizon.
    pub window: Window,
    /// The quantile over replications figures are judged at: the service level's, else P95.
    pub quantile: Quantile,
    /// Changes made to the compiled model (a sizing question's lever), made again on each
    /// replication's draw of the uncertain inputs, which is compiled from the scenario anew.
    pub adjustments: Adjustments,
}

/// A change to a compiled model.
pub type Adjustment = std::sync::Arc<dyn Fn(&mut Model) + Send + Sync>;

/// The changes made to a compiled model, in order.
#[derive(Clone, Default)]
pub struct Adjustments(Vec<Adjustment>);

impl std::fmt::Debug for Adjustments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} adjustment(s)", self.0.len())
    }
}

impl Adjustments {
    /// Whether any change was made.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Model {
    /// Makes `change` to the model now and again on every replication's draw of its uncertain
    /// inputs (a change made only here would be lost on them).
    pub fn adjust(&mut self, change: impl Fn(&mut Model) + Send + Sync + 'static) {
        change(self);
        self.adjustments.0.push(std::sync::Arc::new(change));
    }
}

/// Assumed numbers drawn once per replication, and the scenario to set them in.
#[derive(Debug)]
pub struct UncertainInputs {
    /// The scenario as a document tree (its `uncertain` section is dropped when a draw is set).
    doc: serde_json::Value,
    /// Each input's field path and distribution, in the file's order.
    pub inputs: Vec<(String, crate::scenario::NumberDistribution)>,
}

impl UncertainInputs {
    /// Whether two scenarios' uncertain inputs are the same and their documents differ at most
    /// in the capacity of pool `pool` (its tunnels, hosts, throughput, expansions, and
    /// concurrent licences), so each replication's draw compiles to models that differ only
    /// there too.
    pub(super) fn same_but_capacity(&self, other: &UncertainInputs, pool: &str) -> bool {
        let strip = |doc: &serde_json::Value| {
            let mut doc = doc.clone();
            if let Some(p) = doc
                .get_mut("pools")
                .and_then(|p| p.get_mut(pool))
                .and_then(serde_json::Value::as_object_mut)
            {
                let named = p.get("licence_model").and_then(|m| m.as_str()) == Some("named");
                for key in ["tunnels", "hosts", "throughput", "expansions"] {
                    p.remove(key);
                }
                if !named {
                    p.remove("licences");
                }
            }
            doc
        };
        format!("{:?}", self.inputs) == format!("{:?}", other.inputs)
            && strip(&self.doc) == strip(&other.doc)
    }

    /// Replication `rep`'s draws, from their own stream: the other streams, and so everything
    /// else a replication draws, stay as they are.
    pub fn draws(&self, seed: u64, rep: u64) -> Vec<f64> {
        use rand::RngExt;
        let mut rng = super::rng::stream(seed, super::rng::Purpose::Uncertain, rep, 0);
        self.inputs
            .iter()
            .map(|(_, d)| d.at(rng.random::<f64>()))
            .collect()
    }

    /// The model with every input set to its draw. Validation checked both ends of every
    /// range, so a draw between them compiles; should one not, the base model is kept.
    pub fn model(&self, draws: &[f64], base: &Model) -> Model {
        let values = self
            .inputs
            .iter()
            .map(|(p, _)| p.as_str())
            .zip(draws.iter().copied());
        match crate::scenario::with_numbers(&self.doc, values) {
            Ok(s) => {
                let mut m = Model::from_scenario(&s);
                for change in &base.adjustments.0 {
                    change(&mut m);
                }
                m.adjustments = base.adjustments.clone();
                m
            }
            Err(_) => base.clone(),
        }
    }
}

impl Model {
    /// The model replication `rep` runs on: its own draw of the uncertain inputs, else this one.
    pub fn for_replication(&self, seed: u64, rep: u64) -> std::borrow::Cow<'_, Model> {
        match self.variant(seed, rep) {
            Some((m, _)) => std::borrow::Cow::Owned(m),
            None => std::borrow::Cow::Borrowed(self),
        }
    }

    /// Replication `rep`'s model and its draws, when the scenario has uncertain inputs.
    pub fn variant(&self, seed: u64, rep: u64) -> Option<(Model, Vec<f64>)> {
        let u = self.uncertain.as_ref()?;
        let draws = u.draws(seed, rep);
        Some((u.model(&draws, self), draws))
    }
}

/// A published figure, resolved for the engine.
#[derive(Clone, Debug)]
pub struct ObservationModel {
    /// Index in the scenario's `observed` list.
    pub index: usize,
    /// Day index.
    pub day: usize,
    /// What it measures.
    pub metric: Metric,
    /// How it was published (a value or a bound).
    pub published: crate::scenario::Published,
    /// What it is as evidence.
    pub role: crate::scenario::FigureRole,
    /// Pool filter.
    pub pool: Option<usize>,
    /// Path filter.
    pub path: Option<usize>,
    /// Group filter.
    pub group: Option<usize>,
    /// Relative tolerance from the scenario, if given.
    pub tolerance: Option<f64>,
    /// A readable description of the filters, e.g. `pool vpn`.
    pub scope: String,
    /// The scenario's note.
    pub note: Option<String>,
}

impl Model {
    /// Compiles a scenario that passed validation.
    pub fn from_scenario(s: &Scenario) -> Model {
        let days = horizon_days(s.run.horizon)
            .unwrap_or(1)
            .clamp(1, crate::scenario::MAX_HORIZON_DAYS) as usize;
        let start = s.run.start;
        let day_of = |d: Date| start.days_until(d);
        let workdays: Vec<u32> = s.run.workdays.iter().map(|w| w.index()).collect();
        // Weekdays, less the state's public holidays and the file's own days off, plus the
        // extra workdays.
        let mut days_off: std::collections::HashSet<Date> =
            s.run.holidays.iter().copied().collect();
        if let Some(state) = &s.run.calendar {
            let (first, _, _) = start.ymd();
            let (last, _, _) = start.add_days(days as i32).ymd();
            for year in first..=last {
                days_off.extend(
                    crate::holidays::holidays(state, year)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(d, _)| d),
                );
            }
        }
        let workday = (0..days)
            .map(|i| {
                let d = start.add_days(i as i32);
                s.run.extra_workdays.contains(&d)
                    || (workdays.contains(&d.weekday()) && !days_off.contains(&d))
            })
            .collect();

        let share_with_device = s
            .devices
            .byod
            .share_with_device
            .map_or(1.0, |x| x.fraction().clamp(0.0, 1.0));
        let groups: Vec<GroupModel> = s
            .staff
            .iter()
            .map(|(name, g)| {
                let suitable = g.suitable();
                GroupModel {
                    name: name.clone(),
                    headcount: g.headcount,
                    suitable,
                    suitable_share: g.remote_suitable.fraction(),
                    login: Sampler::new(g.login.as_ref().unwrap_or(&crate::scenario::NEVER_DRAWN)),
                    session: Sampler::new(
                        g.session.as_ref().unwrap_or(&crate::scenario::NEVER_DRAWN),
                    ),
                    shifts: g
                        .shifts
                        .iter()
                        .map(|sh| ShiftModel {
                            share: sh.share.fraction().clamp(0.0, 1.0),
                            login: Sampler::new(&sh.login),
                            session: Sampler::new(
                                sh.session
                                    .as_ref()
                                    .or(g.session.as_ref())
                                    .unwrap_or(&crate::scenario::NEVER_DRAWN),
                            ),
                        })
                        .collect(),
                    bandwidth_bps: g.bandwidth.map_or(0.0, |b| b.bps()),
                    classes: g
                        .workload
                        .iter()
                        .map(|c| ClassModel {
                            share: c.share.fraction().clamp(0.0, 1.0),
                            bps: c.bandwidth.or(g.bandwidth).map_or(0.0, |b| b.bps()),
                            users_per_vcpu: c.users_per_vcpu,
                        })
                        .collect(),
                    breaks: g.breaks.as_ref().map(|b| BreakModel {
                        share: b.share.fraction().clamp(0.0, 1.0),
                        at: Sampler::new(&b.at),
                        length: Sampler::new(&b.length),
                    }),
                    byod_capacity: if s.devices.byod.allowed {
                        (suitable as f64 * share_with_device).round() as u64
                    } else {
                        0
                    },
                }
            })
            .collect();

        let pool_index = |name: &str| s.pools.get_index_of(name).unwrap_or(0);
        let paths: Vec<PathModel> = s
            .paths
            .iter()
            .map(|(name, p)| PathModel {
                name: name.clone(),
                device: p.device,
                token: p.token,
                pool: pool_index(&p.pool),
            })
            .collect();
        let mut slots = Vec::new();
        for (gi, (_, g)) in s.staff.iter().enumerate() {
            for a in &g.access {
                if let Some(pi) = s.paths.get_index_of(&a.path) {
                    slots.push(Slot {
                        group: gi,
                        path: pi,
                        pool: paths[pi].pool,
                        initially_enabled: a.enabled,
                    });
                }
            }
        }

        let mut session_bps = Vec::with_capacity(slots.len() * CLASS_STRIDE);
        let mut session_vcpus = Vec::with_capacity(slots.len() * CLASS_STRIDE);
        for slot in &slots {
            let g = &groups[slot.group];
            let factor = s.paths[slot.path].bandwidth_factor.unwrap_or(1.0);
            for c in 0..CLASS_STRIDE {
                let (bps, vcpus) = match g.classes.get(c) {
                    Some(k) => (k.bps, k.users_per_vcpu.map_or(0.0, |u| 1.0 / u)),
                    None => (g.bandwidth_bps, 0.0),
                };
                // × 1.0 is exact: without factors the demands are the group's, bit for bit.
                session_bps.push(bps * factor);
                session_vcpus.push(vcpus);
            }
        }

        let pools: Vec<PoolModel> = s
            .pools
            .iter()
            .map(|(name, p)| {
                let mut sessions = Vec::with_capacity(days);
                let mut licences = p.licences.map(|_| Vec::with_capacity(days));
                let mut throughput = p.throughput.map(|_| Vec::with_capacity(days));
                for d in 0..days as i64 {
                    let active = p.expansions.iter().filter(|e| day_of(e.date) <= d);
                    let (mut tunnels, mut hosts, mut lic, mut bps) = (
                        p.tunnels.unwrap_or(0),
                        p.hosts.unwrap_or(0),
                        p.licences.unwrap_or(0),
                        p.throughput.map_or(0.0, |t| t.bps()),
                    );
                    for e in active {
                        tunnels = tunnels.saturating_add(e.tunnels.unwrap_or(0));
                        hosts = hosts.saturating_add(e.hosts.unwrap_or(0));
                        lic = lic.saturating_add(e.licences.unwrap_or(0));
                        bps += e.throughput.map_or(0.0, |t| t.bps());
                    }
                    sessions.push(match p.kind {
                        PoolKind::RemoteDesktop => {
                            hosts.saturating_mul(p.sessions_per_host.unwrap_or(0))
                        }
                        _ => tunnels,
                    });
                    if let Some(l) = licences.as_mut() {
                        l.push(lic);
                    }
                    if let Some(t) = throughput.as_mut() {
                        t.push(bps);
                    }
                }
                PoolModel {
                    name: name.clone(),
                    kind: p.kind,
                    sessions,
                    sessions_per_host: match p.kind {
                        PoolKind::RemoteDesktop => p.sessions_per_host.unwrap_or(1).max(1),
                        _ => 1,
                    },
                    licences,
                    licence_model: p.licence_model,
                    throughput_bps: throughput,
                    units: p.units,
                    vcpus_per_host: p.vcpus_per_host.map(|v| v as f64),
                    logons_per_sec_per_host: p.logons_per_minute_per_host.map(|r| r / 60.0),
                    max_session_secs: p.max_session.map(|d| d.secs()),
                    failures: p
                        .failures
                        .as_ref()
                        .map(|f| (1.0 / f.mean_time_between.secs(), Sampler::new(&f.repair))),
                    outages: p
                        .outages
                        .iter()
                        .filter_map(|o| {
                            let day = usize::try_from(day_of(o.date)).ok()?;
                            (day < days).then(|| OutageModel {
                                day,
                                at: o.at.secs(),
                                until: (o.at.secs() + o.duration.secs()).min(86_400.0),
                                units: o.units,
                            })
                        })
                        .collect(),
                }
            })
            .collect();

        // A value per day: the base, plus every dated increase of `field` from its date on.
        let raised = |base: u64, field: &str| -> Vec<u64> {
            let mut v = vec![base; days];
            for inc in s.increases.iter().filter(|i| i.field == field) {
                let from = day_of(inc.date).clamp(0, days as i64) as usize;
                v[from..]
                    .iter_mut()
                    .for_each(|x| *x = x.saturating_add(inc.add));
            }
            v
        };
        let supply = |sup: &crate::scenario::Supply, key: &str| SupplyModel {
            stock: sup.stock,
            handout_per_day: raised(sup.handout_per_day, &format!("{key}.handout_per_day")),
            deliveries: sup
                .deliveries
                .iter()
                .map(|d| {
                    (
                        day_of(d.date),
                        d.quantity,
                        d.delay.as_ref().map(Sampler::new),
                    )
                })
                .collect(),
        };

        let group_names: Vec<&str> = s.staff.keys().map(String::as_str).collect();
        let phases: Vec<PhaseModel> = s
            .policy
            .iter()
            .map(|(name, ph)| {
                let mut remote_share = vec![ph.remote_share.fraction(); groups.len()];
                let mut own_share = vec![false; groups.len()];
                let mut by_weekday = [None; 7];
                for (w, s) in &ph.remote_share_by_weekday {
                    by_weekday[w.index() as usize] = Some(s.fraction());
                }
                let mut enable_target =
                    vec![ph.enable_target.map_or(0.0, |t| t.fraction()); groups.len()];
                for (g, gp) in &ph.groups {
                    if let Some(i) = group_names.iter().position(|n| n == g) {
                        if let Some(r) = gp.remote_share {
                            remote_share[i] = r.fraction();
                            own_share[i] = true;
                        }
                        if let Some(t) = gp.enable_target {
                            enable_target[i] = t.fraction();
                        }
                    }
                }
                PhaseModel {
                    name: name.clone(),
                    remote_share,
                    enable_target,
                    by_weekday,
                    own_share,
                }
            })
            .collect();
        let phase_of_day = (0..days as i64)
            .map(|d| {
                s.policy
                    .values()
                    .rposition(|ph| day_of(ph.from) <= d)
                    .unwrap_or(0)
            })
            .collect();

        let stationary = s.stationary.as_ref().map(|st| StationaryModel {
            pool: pool_index(&st.pool),
            rate: st.arrival_rate.map(|r| r.per_second()),
            sources: match (st.sources, &st.idle) {
                (Some(n), Some(idle)) => Some((n, Sampler::new(idle))),
                _ => None,
            },
            holding: Sampler::new(&st.holding),
            duration: st.duration.secs(),
            warmup: st.warmup.secs(),
        });

        let last = start.add_days(days.saturating_sub(1) as i32);
        let judged = s.service_level.as_ref().and_then(|l| l.window);
        let window = Window {
            from: judged.and_then(|w| w.from).unwrap_or(start),
            to: judged.and_then(|w| w.to).unwrap_or(last),
        };
        Model {
            adjustments: Adjustments::default(),
            window,
            quantile: s
                .service_level
                .as_ref()
                .map_or(Quantile::P95, |l| l.quantile),
            name: s.meta.name.clone(),
            start,
            days,
            seed: s.run.seed,
            replications: s.run.replications,
            login_simulation: s.run.login_simulation,
            workday,
            carry_over: groups.iter().any(GroupModel::carries_over),
            plain: !pools.iter().any(|p| {
                p.fails()
                    || p.max_session_secs.is_some()
                    || p.vcpus_per_host.is_some()
                    || p.logons_per_sec_per_host.is_some()
            }) && groups.iter().all(|g| g.breaks.is_none()),
            has_outages: pools.iter().any(PoolModel::fails),
            has_reconnects: pools
                .iter()
                .any(|p| p.fails() || p.max_session_secs.is_some())
                || groups.iter().any(|g| g.breaks.is_some()),
            phase_of_day,
            phases,
            groups,
            paths,
            slots,
            session_bps,
            session_vcpus,
            pools,
            notebooks: s
                .devices
                .notebooks
                .as_ref()
                .map(|n| supply(n, "devices.notebooks")),
            hardware_tokens: s
                .tokens
                .hardware
                .as_ref()
                .map(|h| supply(h, "tokens.hardware")),
            software_tokens: s.tokens.software.as_ref().map(|t| SoftwareModel {
                from_day: day_of(t.available_from),
                licences: raised(t.licences, "tokens.software.licences"),
                per_day: raised(t.activations_per_day, "tokens.software.activations_per_day"),
            }),
            onboarding_per_day: s
                .onboarding
                .as_ref()
                .map(|o| raised(o.per_day, "onboarding.per_day")),
            auth_service_secs: s.auth.as_ref().map(|a| {
                // Increases of the rate are in logins per minute.
                let base = a.rate.per_second() * 60.0;
                let mut per_min = vec![base; days];
                for inc in s.increases.iter().filter(|i| i.field == "auth.rate") {
                    let from = day_of(inc.date).clamp(0, days as i64) as usize;
                    per_min[from..]
                        .iter_mut()
                        .for_each(|r| *r += inc.add as f64);
                }
                per_min.into_iter().map(|r| 60.0 / r).collect()
            }),
            retry: s.workday.retry.as_ref().map(|r| RetryModel {
                max_retries: r.max_retries,
                backoff: Sampler::new(&r.backoff),
            }),
            interval_secs: s.run.interval.secs(),
            stationary,
            uncertain: (!s.uncertain.is_empty())
                .then(|| {
                    let doc = serde_json::to_value(s).ok()?;
                    Some(std::sync::Arc::new(UncertainInputs {
                        doc,
                        inputs: s.uncertain.clone().into_iter().collect(),
                    }))
                })
                .flatten(),
            observations: s
                .observed
                .iter()
                .enumerate()
                .filter_map(|(index, o)| {
                    let d = day_of(o.date);
                    if !(0..days as i64).contains(&d) {
                        return None;
                    }
                    let published = o.published()?;
                    let mut scope = Vec::new();
                    for (label, v) in [("pool", &o.pool), ("path", &o.path), ("group", &o.group)] {
                        if let Some(v) = v {
                            scope.push(format!("{label} {v}"));
                        }
                    }
                    Some(ObservationModel {
                        index,
                        day: d as usize,
                        metric: o.metric,
                        published,
                        role: o.role(),
                        pool: o.pool.as_deref().and_then(|p| s.pools.get_index_of(p)),
                        path: o.path.as_deref().and_then(|p| s.paths.get_index_of(p)),
                        group: o.group.as_deref().and_then(|g| s.staff.get_index_of(g)),
                        tolerance: o.tolerance.map(|t| t.fraction()),
                        scope: if scope.is_empty() {
                            "all".into()
                        } else {
                            scope.join(", ")
                        },
                        note: o.note.clone(),
                    })
                })
                .collect(),
        }
    }

    /// The first day of the run of consecutive workdays that ends with `day`: where a carry
    /// of sessions over midnight (groups with shifts) into `day` begins.
    pub fn chain_start(&self, day: usize) -> usize {
        if day >= self.workday.len() || !self.workday[day] {
            return day;
        }
        let mut s = day;
        while s > 0 && self.workday[s - 1] {
            s -= 1;
        }
        s
    }

    /// The date of a day index.
    pub fn date(&self, day: usize) -> Date {
        self.start.add_days(day as i32)
    }

    /// Day index of a date, if inside the horizon.
    pub fn day_of(&self, date: Date) -> Option<usize> {
        let d = self.start.days_until(date);
        (0..self.days as i64).contains(&d).then_some(d as usize)
    }
}
