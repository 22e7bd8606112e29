//! The scenario language: what an administration's remote access looks like, as plain data.
//!
//! Every named thing (staff groups, access paths, pools, policy phases) is a map keyed by its
//! name, so a field is addressed by a readable path such as `pools.vpn.tunnels` or
//! `policy.lockdown.remote_share` in messages, sweeps and assumptions.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::units::{Bandwidth, Date, Duration, Rate, Share};

/// A complete scenario file.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Who the scenario describes, where its figures come from, and which parameters are assumed.
    pub meta: Meta,
    /// Run settings: start date, horizon, seed, replications.
    pub run: RunSettings,
    /// Staff groups, keyed by name. Order matters: earlier groups are onboarded first.
    #[serde(default)]
    pub staff: IndexMap<String, StaffGroup>,
    /// Managed devices and the private-device (BYOD) policy.
    #[serde(default)]
    pub devices: Devices,
    /// Hardware and software tokens for two-factor login.
    #[serde(default)]
    pub tokens: Tokens,
    /// The authentication service that verifies every login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    /// Account and permission set-up: how many staff IT can enable per day, over all paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onboarding: Option<Onboarding>,
    /// Access paths, keyed by name: which device and token a user needs and which pool serves them.
    #[serde(default)]
    pub paths: IndexMap<String, AccessPath>,
    /// Access capacity pools (VPN concentrators, remote-desktop/VDI farms), keyed by name.
    pub pools: IndexMap<String, Pool>,
    /// Policy phases, keyed by name; each applies from its `from` date until the next phase.
    #[serde(default)]
    pub policy: IndexMap<String, PolicyPhase>,
    /// How a workday's logins behave when blocked.
    #[serde(default)]
    pub workday: WorkdaySettings,
    /// A stationary test workload (Poisson or finite-source arrivals) instead of staff workdays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stationary: Option<Stationary>,
    /// The service level a run is judged against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level: Option<ServiceLevel>,
    /// Published figures a replay compares the simulation with.
    #[serde(default)]
    pub observed: Vec<Observation>,
    /// Rates (and software-token licences) raised from a date on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub increases: Vec<Increase>,
    /// What it takes to order more of a resource, keyed by the field it changes
    /// (`devices.notebooks.stock`, `pools.vpn.tunnels`, …); read by `rapt plan`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub procurement: IndexMap<String, Procurement>,
    /// Assumed numbers that are uncertain, keyed by their field path
    /// (`onboarding.per_day: { uniform: { min: 300, max: 420 } }`): each replication draws
    /// every one once, from its own random stream, so bands show what the uncertainty does.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub uncertain: IndexMap<String, NumberDistribution>,
}

/// The distribution of an uncertain number (a count, a rate per day, a share as a fraction).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NumberDistribution {
    /// Every value from `min` to `max` equally likely.
    Uniform {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
    },
    /// Triangular: most likely at `mode`, never below `min` or above `max`.
    Triangular {
        /// Lowest value.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Highest value.
        max: f64,
    },
    /// Normal, truncated to `mean ± 3 sd` and to non-negative values.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
}

impl NumberDistribution {
    /// The lowest and highest values it can give.
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            NumberDistribution::Uniform { min, max }
            | NumberDistribution::Triangular { min, max, .. } => (min, max),
            NumberDistribution::Normal { mean, sd } => {
                ((mean - 3.0 * sd).max(0.0), mean + 3.0 * sd)
            }
        }
    }

    /// The value at probability `u` in [0, 1) (inverse distribution function).
    pub fn at(&self, u: f64) -> f64 {
        match *self {
            NumberDistribution::Uniform { min, max } => min + u * (max - min),
            NumberDistribution::Triangular { min, mode, max } => {
                let (w, left) = (max - min, mode - min);
                if w <= 0.0 {
                    min
                } else if u < left / w {
                    min + (u * w * left).sqrt()
                } else {
                    max - ((1.0 - u) * w * (max - mode)).sqrt()
                }
            }
            NumberDistribution::Normal { mean, sd } => {
                let (lo, hi) = self.bounds();
                let n = statrs::distribution::Normal::new(mean, sd.max(1e-12))
                    .map(|d| {
                        statrs::distribution::ContinuousCDF::inverse_cdf(
                            &d,
                            u.clamp(1e-12, 1.0 - 1e-12),
                        )
                    })
                    .unwrap_or(mean);
                n.clamp(lo, hi)
            }
        }
    }
}

/// Descriptive metadata and provenance.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Short name of the scenario.
    pub name: String,
    /// The organisation modelled (e.g. "City of Stuttgart").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// What the scenario is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Published sources of the figures used.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Parameters that are assumptions rather than published figures, each with its reason.
    #[serde(default)]
    pub assumptions: Vec<Assumption>,
}

/// A published source.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Publishing organisation or outlet.
    pub publisher: String,
    /// Title or subject of the publication.
    pub title: String,
    /// Publication date, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Anything a reader should know about the source (e.g. "undated, about 2021").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A parameter that is assumed, not published.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    /// Field path of the assumed parameter, e.g. `staff.office.login`.
    pub field: String,
    /// Why this value was chosen.
    pub reason: String,
}

/// Run settings.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunSettings {
    /// First simulated day.
    pub start: Date,
    /// How long to simulate, in whole days (e.g. `120d`).
    pub horizon: Duration,
    /// Seed of all random streams.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Monte Carlo replications.
    #[serde(default = "default_replications")]
    pub replications: u32,
    /// Days of the week on which staff work and IT onboards (default Monday to Friday).
    #[serde(default = "default_workdays")]
    pub workdays: Vec<Weekday>,
    /// Public holidays of a German federal state (`DE-BW`, `DE-BY`, `DE-TH`, `DE-SN`, … all
    /// sixteen): no ordinary workday and no onboarding on them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Further days off (a local holiday, a bridge day).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Date>,
    /// Days worked although the weekday or a holiday says otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_workdays: Vec<Date>,
    /// Width of the intervals of a workday's load curve (default 5min).
    #[serde(default = "default_interval")]
    pub interval: Duration,
    /// Which workdays get the continuous-time login simulation: `every_workday` (default) or
    /// `peak_day`, only the workday with the most remote workers (mean over replications). For
    /// very large scenarios: the rollout still runs every day; the other days show no sessions.
    #[serde(default, skip_serializing_if = "LoginSimulation::is_default")]
    pub login_simulation: LoginSimulation,
}

/// Which workdays get the login simulation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoginSimulation {
    /// Every workday of the horizon.
    #[default]
    EveryWorkday,
    /// Only the workday with the most remote workers.
    PeakDay,
}

impl LoginSimulation {
    fn is_default(&self) -> bool {
        *self == LoginSimulation::EveryWorkday
    }
}

fn default_seed() -> u64 {
    1
}
fn default_replications() -> u32 {
    20
}
fn default_workdays() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}
fn default_interval() -> Duration {
    Duration::from_secs(300.0)
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// 0 = Monday … 6 = Sunday.
    pub fn index(self) -> u32 {
        self as u32
    }
}

/// A group of staff with the same work pattern.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffGroup {
    /// Number of staff.
    pub headcount: u64,
    /// Share whose tasks can be done remotely at all (a fire brigade barely, an office almost fully).
    pub remote_suitable: Share,
    /// When in the day a remote worker logs in (a clock-time distribution, e.g. normal around
    /// 08:00). Needed when the group has remote-suitable staff; a 0%-suitable group may leave
    /// it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<Distribution>,
    /// How long a session lasts. Needed when the group has remote-suitable staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Distribution>,
    /// Network demand of one active session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth: Option<Bandwidth>,
    /// Shifts, when the group works more than one (e.g. a day and a night shift): each with its
    /// share of the group's remote workers and its own login time and, optionally, session
    /// length (default: the group's). A group with shifts keeps its sessions across midnight:
    /// a night shift's sessions hold their seats into the next day's morning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<Shift>,
    /// Workload classes (e.g. light office work and video calls), each with its share of the
    /// group's sessions and its own per-session network demand (default: the group's
    /// `bandwidth`). Sessions are split over the classes exactly, by share.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workload: Vec<WorkloadClass>,
    /// A break in the day (e.g. lunch) that a share of the group's remote workers take
    /// disconnected: their session ends at the break and they reconnect after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaks: Option<Breaks>,
    /// Access paths this group may use, in order of preference. Needed (at least one) when
    /// the group has remote-suitable staff.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access: Vec<GroupAccess>,
}

impl StaffGroup {
    /// Staff whose tasks can be done remotely: headcount × remote_suitable, rounded.
    pub fn suitable(&self) -> u64 {
        (self.headcount as f64 * self.remote_suitable.fraction().clamp(0.0, 1.0)).round() as u64
    }
}

/// The login time and session length of a group nobody of which works remotely: never drawn,
/// only there so that every group has a sampler.
pub const NEVER_DRAWN: Distribution = Distribution::Fixed {
    value: Duration::from_secs(8.0 * 3600.0),
};

/// A break in the day that some remote workers take disconnected.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Breaks {
    /// Share of the group's remote workers who disconnect for it.
    pub share: Share,
    /// When it begins (a clock-time distribution, e.g. normal around 12:00).
    pub at: Distribution,
    /// How long it lasts.
    pub length: Distribution,
}

/// One workload class of a staff group.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkloadClass {
    /// A name for reports and messages, e.g. `video`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Share of the group's sessions in this class (the shares add up to 100%).
    pub share: Share,
    /// Network demand of one session of this class (default: the group's `bandwidth`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth: Option<Bandwidth>,
    /// Sessions of this class one virtual CPU of a remote-desktop host carries (with the pool's
    /// `vcpus_per_host`; default: no CPU limit for this class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users_per_vcpu: Option<f64>,
}

/// One shift of a staff group.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    /// A name for reports and messages, e.g. `night`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Share of the group's remote workers on this shift (the shares add up to 100%).
    pub share: Share,
    /// When in the day this shift logs in (truncated to the day, like a group's login).
    pub login: Distribution,
    /// How long this shift's sessions last (default: the group's `session`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<Distribution>,
}

/// One access path a group may use.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupAccess {
    /// Name of an entry of `paths`.
    pub path: String,
    /// Staff of this group already enabled on this path on the first day.
    #[serde(default)]
    pub enabled: u64,
}

/// Managed devices and private devices.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Devices {
    /// Managed notebooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notebooks: Option<Supply>,
    /// Whether and how private devices may be used.
    #[serde(default)]
    pub byod: Byod,
}

/// Private-device policy.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Byod {
    /// Whether staff may work from private devices at all.
    #[serde(default)]
    pub allowed: bool,
    /// Share of staff who own a private device fit for the BYOD path (default 100%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_with_device: Option<Share>,
}

/// A stock of items handed out to staff (notebooks, hardware tokens).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supply {
    /// Items on hand on the first day, not yet handed out.
    #[serde(default)]
    pub stock: u64,
    /// How many can be prepared and handed out per workday.
    pub handout_per_day: u64,
    /// Deliveries that add to the stock.
    #[serde(default)]
    pub deliveries: Vec<Delivery>,
}

/// A delivery of items.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// Planned arrival.
    pub date: Date,
    /// Number of items.
    pub quantity: u64,
    /// Extra delay on top of the planned date, drawn per replication (uncertain lead time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<Distribution>,
}

/// Tokens for two-factor login.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tokens {
    /// Hardware tokens: a physical stock handed out to staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware: Option<Supply>,
    /// Software tokens: login codes by app or SMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software: Option<SoftwareTokens>,
}

/// Software tokens by app or SMS.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SoftwareTokens {
    /// First day on which software tokens can be activated.
    pub available_from: Date,
    /// Licences bought: the most staff who can hold a software token.
    pub licences: u64,
    /// Activations IT can process per workday.
    pub activations_per_day: u64,
}

/// The authentication service.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// Logins it can verify, e.g. `600/min`; logins beyond it wait (login delay).
    pub rate: Rate,
}

/// Account and permission set-up.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Onboarding {
    /// Staff IT can enable per workday, over all paths.
    pub per_day: u64,
}

/// Which device a path needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// A managed notebook from `devices.notebooks`.
    Managed,
    /// The employee's private device (needs `devices.byod.allowed`).
    Byod,
    /// A device already at the workplace or at home (e.g. a telework PC); not counted.
    Existing,
}

/// Which token a path needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A hardware token.
    Hardware,
    /// A software token by app or SMS.
    Software,
    /// Either: a software token when one can be activated, otherwise a hardware token.
    Any,
    /// No second factor.
    None,
}

/// An access path: how a user gets from home into the network.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessPath {
    /// Device the user needs.
    pub device: DeviceKind,
    /// Token the user needs.
    pub token: TokenKind,
    /// Name of the pool whose capacity sessions on this path use.
    pub pool: String,
    /// Network demand of a session on this path relative to the group's or class's
    /// `bandwidth` (default 1; e.g. 1.5 for a portal's display protocol over the tunnel's
    /// file traffic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_factor: Option<f64>,
    /// What the path is, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The kind of an access pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PoolKind {
    /// VPN concentrators: concurrent tunnels.
    Vpn,
    /// Remote-desktop / VDI farm: hosts × sessions per host.
    RemoteDesktop,
    /// Dial-in accesses (e.g. a state network's secure dial-in ports): concurrent lines.
    DialIn,
}

/// How a pool's licences count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LicenceModel {
    /// Licences cap concurrent sessions.
    #[default]
    Concurrent,
    /// Licences are named accounts: they cap how many staff can be enabled on the pool.
    Named,
}

/// An access capacity pool.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// What kind of pool this is.
    pub kind: PoolKind,
    /// Concurrent tunnels or lines (VPN, dial-in); 0 for a pool that an expansion opens later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tunnels: Option<u64>,
    /// Hosts in the farm (remote desktop); 0 for a farm that an expansion opens later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosts: Option<u64>,
    /// Sessions one host carries (remote desktop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions_per_host: Option<u64>,
    /// Total throughput of the pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<Bandwidth>,
    /// Licence cap over the pool; 0 when an expansion adds the first licences later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licences: Option<u64>,
    /// How the licences count (default concurrent).
    #[serde(default)]
    pub licence_model: LicenceModel,
    /// Capacity added over time.
    #[serde(default)]
    pub expansions: Vec<Expansion>,
    /// Units the pool's capacity is spread over, evenly (concentrators, gateways; default:
    /// the hosts of a remote-desktop farm, else 1). An outage takes units out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<u64>,
    /// Planned or feared outages of some of the pool's units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<Outage>,
    /// Random failures of single units: each unit fails at random (a Poisson process over
    /// the day's 24 hours) and is repaired after a drawn time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<Failures>,
    /// Virtual CPUs of one host (remote desktop): with the workload classes' `users_per_vcpu`,
    /// the farm's CPU ceiling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpus_per_host: Option<u64>,
    /// Logons one host absorbs per minute (remote desktop); logons beyond the farm's rate wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logons_per_minute_per_host: Option<f64>,
    /// Longest session the gateway keeps: a longer one is cut, and its user reconnects after
    /// the retry back-off for the rest of their work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_session: Option<Duration>,
}

/// An outage: some units of a pool fail at a moment of a day and come back after a while.
/// Their sessions drop, and their users reconnect (through authentication again) after the
/// retry back-off.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// Day of the outage.
    pub date: Date,
    /// Clock time it begins, e.g. `09:30`.
    pub at: Duration,
    /// How long the units stay down (to the day's end at most).
    pub duration: Duration,
    /// Units lost (default 1): the biggest ones.
    #[serde(default = "one_unit")]
    pub units: u64,
}

/// Random failures of a pool's units.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Failures {
    /// Mean time between failures of one unit, e.g. `90d`.
    pub mean_time_between: Duration,
    /// Time to repair (a duration distribution); the unit is back at the day's end at the
    /// latest.
    pub repair: Distribution,
}

fn one_unit() -> u64 {
    1
}

/// Capacity added to a pool on a date (each field adds to the current value).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expansion {
    /// Day the capacity is in service.
    pub date: Date,
    /// Tunnels or lines added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tunnels: Option<u64>,
    /// Hosts added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosts: Option<u64>,
    /// Throughput added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<Bandwidth>,
    /// Licences added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licences: Option<u64>,
}

/// A policy phase.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyPhase {
    /// First day of the phase.
    pub from: Date,
    /// Share of enabled staff who work remotely on a given workday.
    pub remote_share: Share,
    /// Share of the remote-suitable staff the organisation aims to enable during this phase
    /// (onboarding runs while fewer are enabled). Default: no onboarding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_target: Option<Share>,
    /// Per-group overrides of `remote_share` and `enable_target`.
    #[serde(default)]
    pub groups: IndexMap<String, GroupPolicy>,
    /// The remote share on particular weekdays (e.g. `{ mon: 70%, fri: 80% }`), replacing
    /// `remote_share` on those days for every group without its own override.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub remote_share_by_weekday: IndexMap<Weekday, Share>,
    /// What the phase is, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Per-group policy override.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupPolicy {
    /// Overrides the phase's `remote_share` for this group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_share: Option<Share>,
    /// Overrides the phase's `enable_target` for this group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_target: Option<Share>,
}

/// Workday behaviour.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkdaySettings {
    /// What a blocked user does. Default: gives up at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
}

/// Retry behaviour of blocked logins.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Retries after the first blocked attempt before the user gives up.
    pub max_retries: u32,
    /// Wait between a blocked attempt and the next.
    pub backoff: Distribution,
}

/// A stationary workload for checking the engine against teletraffic theory.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stationary {
    /// Pool the sessions use.
    pub pool: String,
    /// Poisson arrival rate (infinite-source mode, Erlang B). Give this or `sources`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_rate: Option<Rate>,
    /// Finite-source mode (Engset): the number of sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<u64>,
    /// Finite-source mode: how long an idle source waits before its next attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle: Option<Distribution>,
    /// Holding time of an admitted session.
    pub holding: Distribution,
    /// Simulated time measured.
    pub duration: Duration,
    /// Simulated time discarded before measuring, so the system starts in steady state.
    #[serde(default)]
    pub warmup: Duration,
}

pub use crate::stats::Quantile;

/// A service-level target.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceLevel {
    /// Highest acceptable share of blocked login attempts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_blocking: Option<Share>,
    /// Highest acceptable bandwidth utilisation: a pool's peak bandwidth demand over its
    /// throughput (not its occupancy: sessions over tunnels are judged through blocking).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_utilisation: Option<Share>,
    /// Longest acceptable login delay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_login_delay: Option<Duration>,
    /// Most sessions of one pool an outage may drop on a day (see `pools.*.outages`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_dropped: Option<u64>,
    /// Replication quantile on which the targets are judged (default p95).
    #[serde(default)]
    pub quantile: Quantile,
    /// The days judged (default: the whole horizon). Every simulated workday in it must meet
    /// every target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<JudgedWindow>,
}

/// The days a service level is judged on, both ends included.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgedWindow {
    /// First day judged (default: the first day of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Last day judged (default: the last day of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

impl JudgedWindow {
    /// Parses `FROM..TO`; either end may be left out (`..2020-04-30`, `2020-04-01..`).
    pub fn parse(text: &str) -> Result<JudgedWindow, String> {
        let Some((a, b)) = text.split_once("..") else {
            return Err(format!(
                "`{text}`: expected FROM..TO, e.g. 2020-03-16..2020-04-30 (either end may be left out)"
            ));
        };
        let end = |s: &str| -> Result<Option<Date>, String> {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                Date::parse(s).map(Some)
            }
        };
        let w = JudgedWindow {
            from: end(a)?,
            to: end(b)?,
        };
        if let (Some(f), Some(t)) = (w.from, w.to)
            && f > t
        {
            return Err(format!("`{text}`: the window ends before it starts"));
        }
        Ok(w)
    }
}

/// What an observed figure measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Staff enabled for remote work (optionally on one path or in one group).
    EnabledStaff,
    /// Staff working remotely that day.
    RemoteWorkers,
    /// Peak concurrent sessions of a pool that day.
    PeakSessions,
    /// Session capacity of a pool (tunnels, or hosts × sessions per host).
    Capacity,
    /// Licences of a pool.
    Licences,
    /// Enabled staff as a share of the headcount.
    EnabledShare,
}

impl Metric {
    /// What it measures, for people.
    pub fn label(self) -> &'static str {
        match self {
            Metric::EnabledStaff => "enabled staff",
            Metric::RemoteWorkers => "remote workers",
            Metric::PeakSessions => "peak sessions",
            Metric::Capacity => "capacity",
            Metric::Licences => "licences",
            Metric::EnabledShare => "enabled share",
        }
    }
}

/// A published figure.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// Day the figure refers to.
    pub date: Date,
    /// What it measures.
    pub metric: Metric,
    /// What the figure is as evidence: `input` (the file sets it; a replay only checks it is
    /// echoed), `calibration` (a target assumptions were fitted to) or `holdout` (an
    /// independent prediction, the only evidence). Without it a figure counts as a holdout,
    /// with a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<FigureRole>,
    /// The published value (a count, or a fraction for `enabled_share`). Give this or one of
    /// `at_least`, `at_most`, `range`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Published as a lower bound ("over 6,000"): judged one-sided, the simulated mean must not
    /// be below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Published as an upper bound ("under 300"): the simulated mean must not be above it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// Published as a range: the simulated mean must lie in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<FigureRange>,
    /// Restrict to one pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Restrict to one access path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Restrict to one staff group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Relative tolerance a replay accepts for a `value` (overrides the command line); bounds
    /// are judged without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Share>,
    /// Where the figure comes from and how it was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Observation {
    /// How the figure was published (`None` when the file gives no value or bound, or more
    /// than one: a validation error).
    pub fn published(&self) -> Option<Published> {
        match (self.value, self.at_least, self.at_most, &self.range) {
            (Some(v), None, None, None) => Some(Published::Value(v)),
            (None, Some(v), None, None) => Some(Published::AtLeast(v)),
            (None, None, Some(v), None) => Some(Published::AtMost(v)),
            (None, None, None, Some(r)) => Some(Published::Range {
                min: r.min,
                max: r.max,
            }),
            _ => None,
        }
    }

    /// The figure's role (a figure without one counts as a holdout).
    pub fn role(&self) -> FigureRole {
        self.role.unwrap_or(FigureRole::Holdout)
    }
}

/// What an observed figure is as evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureRole {
    /// The file sets it (a capacity, a stock): echoed, proves nothing.
    Input,
    /// A target that assumptions were chosen or fitted to reproduce.
    Calibration,
    /// An independent prediction: the only evidence.
    Holdout,
}

impl FigureRole {
    /// The role's name.
    pub fn label(self) -> &'static str {
        match self {
            FigureRole::Input => "input",
            FigureRole::Calibration => "calibration",
            FigureRole::Holdout => "holdout",
        }
    }
}

/// A published range.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureRange {
    /// Lowest value.
    pub min: f64,
    /// Highest value.
    pub max: f64,
}

/// How a figure was published, and how a simulated mean is judged against it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Published {
    /// A value, judged within a relative tolerance.
    Value(f64),
    /// A lower bound, judged one-sided.
    AtLeast(f64),
    /// An upper bound, judged one-sided.
    AtMost(f64),
    /// A range, judged inside.
    Range {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
    },
}

impl Published {
    /// The value errors are measured from: the value, the bound, or the nearer end of a range
    /// (the middle when inside).
    pub fn reference(self, simulated: f64) -> f64 {
        match self {
            Published::Value(v) | Published::AtLeast(v) | Published::AtMost(v) => v,
            Published::Range { min, .. } if simulated < min => min,
            Published::Range { max, .. } if simulated > max => max,
            Published::Range { min, max } => (min + max) / 2.0,
        }
    }

    /// Whether `simulated` agrees with the figure: within `tolerance` (relative) of a value (a
    /// value of 0 needs a mean that rounds to 0), or on the right side of a bound (no
    /// tolerance: "over 6,000" is not met by 5,140).
    pub fn agrees(self, simulated: f64, tolerance: f64) -> bool {
        match self {
            Published::Value(0.0) => simulated.abs() < 0.5,
            Published::Value(v) => ((simulated - v) / v).abs() <= tolerance,
            Published::AtLeast(v) => simulated >= v,
            Published::AtMost(v) => simulated <= v,
            Published::Range { min, max } => (min..=max).contains(&simulated),
        }
    }
}

/// A probability distribution, named explicitly.
///
/// ```yaml
/// login: { normal: { mean: "08:00", sd: 45min } }
/// session: { lognormal: { median: 7h30m, sigma: 0.35 } }
/// ```
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Distribution {
    /// Always the same value.
    Fixed {
        /// The value.
        value: Duration,
    },
    /// Uniform between two values.
    Uniform {
        /// Lower bound.
        min: Duration,
        /// Upper bound.
        max: Duration,
    },
    /// Normal (Gaussian); login times are drawn from it truncated to the day.
    Normal {
        /// Mean.
        mean: Duration,
        /// Standard deviation.
        sd: Duration,
    },
    /// Log-normal: by `median` with `p95` or `sigma`, or by `mu` and `sigma` of ln(hours).
    Lognormal(LognormalSpec),
    /// Exponential with the given mean.
    Exponential {
        /// Mean.
        mean: Duration,
    },
    /// An empirical table: values with relative weights, drawn as a discrete distribution.
    Empirical {
        /// The table.
        points: Vec<EmpiricalPoint>,
    },
}

/// Parameters of a log-normal distribution.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LognormalSpec {
    /// Median value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median: Option<Duration>,
    /// 95th percentile (with `median`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p95: Option<Duration>,
    /// Mean of ln(value in hours) (with `sigma`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mu: Option<f64>,
    /// Standard deviation of ln(value) (with `median` or `mu`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
}

/// One row of an empirical table.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmpiricalPoint {
    /// The value.
    pub value: Duration,
    /// Its relative weight.
    pub weight: f64,
}

/// A rate (or the software-token licences) raised from a date on: more staff at the hand-out
/// desk, a bigger authentication server, another licence pack.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Increase {
    /// First day the higher value applies.
    pub date: Date,
    /// What is raised: `devices.notebooks.handout_per_day`, `tokens.hardware.handout_per_day`,
    /// `tokens.software.licences`, `tokens.software.activations_per_day`, `onboarding.per_day`
    /// or `auth.rate` (in logins per minute).
    pub field: String,
    /// How much is added (per workday for rates, per minute for `auth.rate`).
    pub add: u64,
}

/// What it takes to order more of one resource.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Procurement {
    /// The resource cannot be changed: a plan leaves it as it is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed: bool,
    /// Cost of one unit (one notebook, one licence, one more per day of a rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<f64>,
    /// Planned time from order to arrival (default 0d).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time: Option<Duration>,
    /// Extra delay on top of the lead time, drawn per replication (deliveries only: notebooks
    /// and hardware tokens), as on a delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<Distribution>,
    /// Orders come in multiples of this (licence packs of 250, notebooks in lots); default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u64>,
    /// Smallest order that can be placed (default: one step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    /// Largest order that can be placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

impl Procurement {
    /// The order step (at least 1).
    pub fn step(&self) -> u64 {
        self.step.unwrap_or(1).max(1)
    }

    /// Planned lead time in whole days (rounded up).
    pub fn lead_days(&self) -> i64 {
        self.lead_time
            .map_or(0, |d| (d.secs() / 86_400.0).ceil() as i64)
    }
}
