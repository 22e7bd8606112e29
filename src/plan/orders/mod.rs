//! Planning: every resource sized together and turned into dated orders with costs.
//!
//! The question: *reach the enable target by a date, and keep the service level on every
//! judged workday; what must be ordered, how much, by when, at what cost?* The answer is an
//! order list, the runway of today's stock, and the scenario with the orders applied
//! ([`PlanAnswer::planned`]), which is exactly what the plan simulated.
//!
//! Rollout resources come first (they settle who is remote; judged on the rollouts alone, see
//! [`rollout`]), then session resources (judged by full simulations, see [`sessions`]). Where
//! staff groups have more than one access path, the plan is made for each path mix (the
//! scenario's order of preference, and the reverse) and the cheaper one is chosen.

mod apply;
mod emit;
mod rollout;
mod search;
mod sessions;

use std::sync::atomic::AtomicBool;

use indexmap::IndexMap;
use serde::Serialize;

pub use apply::{Placed, apply as apply_orders};
pub use emit::emitted_yaml;

use crate::plan::service::{Targets, judge};
use crate::scenario::{JudgedWindow, Quantile, Resource, Scenario};
use crate::sim::reuse::only_capacity_differs;
use crate::sim::{
    Model, RolloutProbe, SimError, SimOptions, SimResult, probe_rollout, simulate,
    simulate_keeping_days,
};
use crate::units::{Date, Share};

/// How many must be enabled by the date.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnableGoal {
    /// A share of the remote-suitable staff.
    Share(f64),
    /// A number of staff.
    Staff(u64),
}

/// The planning question.
#[derive(Clone, Debug, Default)]
pub struct PlanQuestion {
    /// Date by which the enable target must be met (default: the horizon's last day).
    pub by: Option<Date>,
    /// Overrides the enable target of the policy phase in force on `by`.
    pub target: Option<EnableGoal>,
    /// Days the service level is judged on (default: from `by` to the horizon's end).
    pub window: Option<JudgedWindow>,
}

/// One line of the order list.
#[derive(Clone, Debug, Serialize)]
pub struct OrderLine {
    /// The resource, as the field it changes.
    pub resource: String,
    /// What its units count.
    pub unit: &'static str,
    /// What there is on the arrival day without this order.
    pub have: u64,
    /// What there is with it.
    pub need: u64,
    /// How much to order.
    pub order: u64,
    /// Last day to order: the arrival less the planned lead time.
    pub order_by: Date,
    /// Planned arrival (first day in service).
    pub arrives: Date,
    /// First day it is needed (the runway's end), if today's stock runs short.
    pub needed_from: Option<Date>,
    /// Cost of one unit, if known.
    pub unit_cost: Option<f64>,
    /// Cost of the line, if the unit cost is known.
    pub cost: Option<f64>,
    /// What one order step less does (the evidence that the order is the least).
    pub one_step_less: Option<String>,
}

/// When a resource runs short under today's stock and plans.
#[derive(Clone, Debug, Serialize)]
pub struct RunwayLine {
    /// The resource.
    pub resource: String,
    /// What its units count.
    pub unit: &'static str,
    /// First day it runs short at today's stock with the rest of the plan in place (rollout:
    /// fewer staff are enabled than with an unlimited supply of it; sessions: the service
    /// level breaches), if it does by the date.
    pub runs_out: Option<Date>,
    /// Rollout resources with an order: mean staff the rollout is behind (against an
    /// unlimited supply) on the day before the order arrives.
    pub behind_until_arrival: Option<f64>,
    /// Rollout resources: mean staff short on the planned date if it were never ordered.
    pub short_without_order: Option<f64>,
    /// When the plan's order arrives, if one is needed.
    pub order_arrives: Option<Date>,
}

/// A resource the plan leaves as it is, and why.
#[derive(Clone, Debug, Serialize)]
pub struct LeftAlone {
    /// The resource.
    pub resource: String,
    /// Why it is not ordered.
    pub reason: String,
}

/// Why `plan` and `size` do not judge `max_dropped`.
pub const DROPPED_IS_NOT_ORDERED: &str = "not planned: no order lowers the sessions an outage drops (that follows the pool's units and load; more capacity admits more sessions to drop); `rapt simulate` judges it";

impl LeftAlone {
    fn new(s: &Scenario, r: &Resource, reason: &str) -> LeftAlone {
        LeftAlone {
            resource: r.key(s),
            reason: reason.into(),
        }
    }
}

/// One value tried by the search (`--verbose`).
#[derive(Clone, Debug, Serialize)]
pub struct Tried {
    /// The resource.
    pub resource: String,
    /// The order tried.
    pub quantity: u64,
    /// Its arrival.
    pub arrives: Date,
    /// Whether it met what was judged.
    pub meets: bool,
    /// What was judged.
    pub detail: String,
}

impl Tried {
    fn of(s: &Scenario, p: &Placed, meets: bool, detail: String) -> Tried {
        Tried {
            resource: p.resource.key(s),
            quantity: p.quantity,
            arrives: p.arrives,
            meets,
            detail,
        }
    }
}

/// One path mix considered.
#[derive(Clone, Debug, Serialize)]
pub struct MixLine {
    /// Which order of access paths.
    pub name: String,
    /// Whether its plan meets everything by the date asked.
    pub feasible: bool,
    /// Its total cost over the lines with a known unit cost.
    pub total_cost: f64,
    /// Order lines without a unit cost.
    pub uncosted: Vec<String>,
    /// Mean staff enabled per access path on the planned date.
    pub enabled_by_path: IndexMap<String, f64>,
    /// Whether this mix is the plan.
    pub chosen: bool,
}

/// The final check of the planned scenario.
#[derive(Clone, Debug, Serialize)]
pub struct PlanCheck {
    /// Share of replications meeting the enable target on the planned date (`None`: no
    /// target).
    pub target_met_share: Option<f64>,
    /// Share needed (from the judging quantile).
    pub needed_share: f64,
    /// Whether the service level holds on every judged day (`None`: no service level).
    pub service_level_met: Option<bool>,
    /// Breached checks, in words.
    pub breaches: Vec<String>,
}

/// The answer: the order list and what backs it.
#[derive(Clone, Debug, Serialize)]
pub struct PlanAnswer {
    /// The scenario's name.
    pub scenario: String,
    /// The first day orders can be placed (the scenario's start).
    pub today: Date,
    /// The date asked.
    pub asked_by: Date,
    /// The date the plan is made for: the date asked, or the earliest that works.
    pub by: Date,
    /// Staff to be enabled by then (the enable target of the phase in force), if any.
    pub target_staff: Option<u64>,
    /// Quantile over replications the targets are judged on.
    pub quantile: Quantile,
    /// Replications per evaluation.
    pub replications: u32,
    /// Seed of every evaluation (common random numbers).
    pub seed: u64,
    /// Days the service level is judged on.
    pub window: crate::sim::Window,
    /// Whether the orders meet the enable target by the date asked and the service level on
    /// every judged day.
    pub feasible: bool,
    /// What stands in the way, when not feasible.
    pub limits: Vec<String>,
    /// The order list.
    pub orders: Vec<OrderLine>,
    /// Total over the lines with a known unit cost.
    pub total_cost: f64,
    /// Lines without a unit cost (not in the total).
    pub uncosted: Vec<String>,
    /// Today's runway per resource.
    pub runway: Vec<RunwayLine>,
    /// Resources left as they are, with the reason.
    pub left_alone: Vec<LeftAlone>,
    /// The path mixes considered (empty when every group has one path).
    pub mixes: Vec<MixLine>,
    /// The planned scenario re-simulated.
    pub check: PlanCheck,
    /// Full simulations run.
    pub simulations: u32,
    /// Rollout-only evaluations run.
    pub rollout_runs: u32,
    /// Every order tried, in order.
    pub tried: Vec<Tried>,
    /// The scenario with the orders applied.
    #[serde(skip)]
    pub planned: Scenario,
    /// The orders applied.
    #[serde(skip)]
    pub applied: Vec<Placed>,
    /// The scenario the orders were applied to (with `--target` in force).
    #[serde(skip)]
    pub base: Scenario,
}

/// What every evaluation shares, and the counts of work done.
pub(super) struct Ctx<'a> {
    opts: &'a SimOptions,
    cancel: &'a AtomicBool,
    level: f64,
    quantile: Quantile,
    targets: Targets,
    simulations: u32,
    rollout_runs: u32,
    tried: Vec<Tried>,
}

impl Ctx<'_> {
    fn probe(&mut self, s: &Scenario, by: usize) -> Result<RolloutProbe, SimError> {
        self.rollout_runs += 1;
        probe_rollout(&Model::from_scenario(s), self.opts, by, self.cancel)
    }

    /// A full run without a load curve (the plan reads none but the authentication rate's).
    fn simulate(&mut self, s: &Scenario, window: JudgedWindow) -> Result<SimResult, SimError> {
        self.run(s, window, false)
    }

    fn run(
        &mut self,
        s: &Scenario,
        window: JudgedWindow,
        curve: bool,
    ) -> Result<SimResult, SimError> {
        self.simulations += 1;
        simulate(
            &Model::from_scenario(s),
            &self.options(window, curve),
            &|| {},
            self.cancel,
        )
    }

    fn options(&self, window: JudgedWindow, curve: bool) -> SimOptions {
        let mut o = self.opts.clone();
        o.window = Some(window);
        o.quantile = Some(self.quantile);
        o.skip_curve = !curve;
        o
    }

    /// A full run that keeps its workdays for runs that differ from it only in the capacity of
    /// pool `pool` (see `sim::reuse`).
    fn simulate_keeping(
        &mut self,
        s: &Scenario,
        window: JudgedWindow,
        pool: usize,
    ) -> Result<(SimResult, Option<Reference>), SimError> {
        self.simulations += 1;
        let model = Model::from_scenario(s);
        let opts = self.options(window, false);
        let (r, kept) = simulate_keeping_days(&model, &opts, pool, &|| {}, self.cancel)?;
        let reference = kept.map(|k| Reference {
            model,
            pool,
            days: std::sync::Arc::new(k),
        });
        Ok((r, reference))
    }

    /// A full run taking the reference's workdays where it differs from it only in the
    /// reference pool's capacity; the same figures as [`Ctx::simulate`].
    fn simulate_taking(
        &mut self,
        s: &Scenario,
        window: JudgedWindow,
        reference: Option<&Reference>,
    ) -> Result<SimResult, SimError> {
        self.simulations += 1;
        let model = Model::from_scenario(s);
        let mut o = self.options(window, false);
        o.reuse = reference
            .filter(|r| only_capacity_differs(&r.model, &model, r.pool))
            .map(|r| r.days.clone());
        simulate(&model, &o, &|| {}, self.cancel)
    }
}

/// A run whose workdays later runs may take (see `sim::reuse`).
struct Reference {
    model: Model,
    pool: usize,
    days: std::sync::Arc<crate::sim::DayReuse>,
}

/// The policy phase in force on `day`, if it sets an enable target for some group.
fn target_phase(model: &Model, day: usize) -> Option<&crate::sim::model::PhaseModel> {
    let phase = model.phases.get(*model.phase_of_day.get(day)?)?;
    phase
        .enable_target
        .iter()
        .any(|t| *t > 0.0)
        .then_some(phase)
}

/// Why a plan cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The scenario has nothing a plan could order.
    #[error("{0}")]
    NotApplicable(String),
    /// The simulation failed or was interrupted.
    #[error(transparent)]
    Sim(#[from] SimError),
}

/// The scenario with the enable target of the phase in force on `by` set to `goal`.
fn with_goal(s: &Scenario, model: &Model, by: usize, goal: EnableGoal) -> Scenario {
    let mut s = s.clone();
    let suitable: u64 = model.groups.iter().map(|g| g.suitable).sum::<u64>().max(1);
    let share = match goal {
        EnableGoal::Share(f) => f,
        EnableGoal::Staff(n) => n as f64 / suitable as f64,
    }
    .clamp(0.0, 1.0);
    if let Some((_, phase)) = s.policy.get_index_mut(model.phase_of_day[by]) {
        phase.enable_target = Some(Share::from_fraction(share));
        for g in phase.groups.values_mut() {
            g.enable_target = None;
        }
    }
    s
}

/// The resources of `s` the plan may order: used, not marked fixed. The others, when used, are
/// listed as left alone.
///
/// The sessions an outage drops follow the units a pool is spread over and its load, not
/// capacity an order adds (more tunnels admit more sessions to drop), so no order is planned
/// for `max_dropped`.
fn levers(s: &Scenario, left_alone: &mut Vec<LeftAlone>) -> Vec<Resource> {
    let mut all = vec![
        Resource::Onboarding,
        Resource::NotebookStock,
        Resource::NotebookHandout,
        Resource::TokenStock,
        Resource::TokenHandout,
        Resource::SoftwareLicences,
        Resource::SoftwareActivations,
        Resource::AuthRate,
    ];
    for name in s.pools.keys() {
        all.push(Resource::PoolUnits(name.clone()));
        all.push(Resource::PoolLicences(name.clone()));
    }
    all.into_iter()
        .filter(|r| apply::used(s, r))
        .filter(|r| {
            let fixed = apply::facts(s, r).fixed;
            if fixed {
                left_alone.push(LeftAlone::new(
                    s,
                    r,
                    "marked fixed (procurement: {fixed: true})",
                ));
            }
            !fixed
        })
        .collect()
}

struct MixPlan {
    name: String,
    planned: Scenario,
    applied: Vec<Placed>,
    orders: Vec<OrderLine>,
    runway: Vec<RunwayLine>,
    left_alone: Vec<LeftAlone>,
    limits: Vec<String>,
    by: usize,
    feasible: bool,
    window: JudgedWindow,
}

fn plan_mix(
    ctx: &mut Ctx,
    base: &Scenario,
    q: &PlanQuestion,
    by: usize,
    reverse_cuts: bool,
) -> Result<MixPlan, SimError> {
    let mut left_alone = Vec::new();
    if base
        .service_level
        .as_ref()
        .is_some_and(|l| l.max_dropped.is_some())
    {
        left_alone.push(LeftAlone {
            resource: "service_level.max_dropped".into(),
            reason: DROPPED_IS_NOT_ORDERED.into(),
        });
    }
    let mut runway = Vec::new();
    let all = levers(base, &mut left_alone);
    let model = Model::from_scenario(base);
    let has_target = target_phase(&model, by).is_some();
    let (rollout_levers, session_levers): (Vec<Resource>, Vec<Resource>) = all
        .into_iter()
        .partition(|r| apply::limits_rollout(base, r));
    let mut rollout_levers = if has_target {
        rollout_levers
    } else {
        for r in &rollout_levers {
            left_alone.push(LeftAlone::new(base, r, "no enable target is in force on the date: nothing for the rollout to reach (give --target)"));
        }
        Vec::new()
    };
    if reverse_cuts {
        rollout_levers.reverse();
    }
    let name = match rollout_levers.first() {
        Some(r) => format!("cut {} first", r.key(base)),
        None => "no rollout orders".into(),
    };
    let ro = if has_target {
        rollout::plan(ctx, base, &rollout_levers, by, &mut runway, &mut left_alone)?
    } else {
        rollout::RolloutPlan::unchanged(by)
    };
    let mut limits = ro.limits.clone();
    let mut applied: Vec<Placed> = ro
        .orders
        .iter()
        .filter(|o| o.quantity > 0)
        .cloned()
        .collect();
    let planned = apply::apply(base, &applied);
    let by_date = model.date(ro.by);
    // The service level holds from the date asked on; without a date, on the scenario's own
    // window (or the whole horizon).
    let window = q.window.unwrap_or(
        match (q.by, base.service_level.as_ref().and_then(|l| l.window)) {
            (Some(_), _) => JudgedWindow {
                from: Some(by_date),
                to: None,
            },
            (None, Some(w)) => w,
            (None, None) => JudgedWindow {
                from: None,
                to: None,
            },
        },
    );
    let mut orders: Vec<OrderLine> = Vec::new();
    for (i, p) in ro.orders.iter().enumerate() {
        if p.quantity > 0 {
            orders.push(line(
                base,
                p,
                ro.needed_from[i],
                ro.one_step_less[i].clone(),
            ));
        }
    }
    let session_levers: Vec<Resource> = if ctx.targets.is_empty() {
        for r in &session_levers {
            left_alone.push(LeftAlone::new(
                base,
                r,
                "the scenario sets no service level to size sessions against",
            ));
        }
        Vec::new()
    } else {
        session_levers
    };
    let (planned, session_orders) = if session_levers.is_empty() {
        (planned, Vec::new())
    } else {
        sessions::plan(
            ctx,
            &planned,
            &session_levers,
            window,
            &mut runway,
            &mut left_alone,
            &mut limits,
        )?
    };
    for o in session_orders.into_iter().filter(|o| o.placed.quantity > 0) {
        orders.push(line(base, &o.placed, o.needed_from, o.one_step_less));
        applied.push(o.placed);
    }
    let feasible = ro.feasible && limits.is_empty();
    Ok(MixPlan {
        name,
        planned,
        applied,
        orders,
        runway,
        left_alone,
        limits,
        by: ro.by,
        feasible,
        window,
    })
}

fn line(
    s: &Scenario,
    p: &Placed,
    needed_from: Option<Date>,
    one_step_less: Option<String>,
) -> OrderLine {
    let f = apply::facts(s, &p.resource);
    let have = apply::have(s, &p.resource, p.arrives);
    OrderLine {
        resource: p.resource.key(s),
        unit: p.resource.unit(s),
        have,
        need: have + p.quantity,
        order: p.quantity,
        order_by: p.arrives.add_days(-(f.lead_days() as i32)),
        arrives: p.arrives,
        needed_from,
        unit_cost: f.unit_cost,
        cost: f.unit_cost.map(|c| c * p.quantity as f64),
        one_step_less,
    }
}

/// Whether some group can reach home by more than one path, so that resources substitute for
/// one another (notebooks or private devices, hardware or software tokens).
fn has_substitutes(s: &Scenario) -> bool {
    s.staff.values().any(|g| g.access.len() > 1)
        || s.paths
            .values()
            .any(|p| p.token == crate::scenario::TokenKind::Any)
}

/// Plans the orders. `opts` sets replications, seed and threads for every evaluation.
pub fn plan(
    scenario: &Scenario,
    q: &PlanQuestion,
    opts: &SimOptions,
    cancel: &AtomicBool,
) -> Result<PlanAnswer, PlanError> {
    if scenario.stationary.is_some() {
        return Err(PlanError::NotApplicable(
            "a stationary workload has no staff, rollout or orders to plan; size its pool with `rapt size`".into(),
        ));
    }
    let model = Model::from_scenario(scenario);
    let last = model.days - 1;
    let asked = q.by.and_then(|d| model.day_of(d)).unwrap_or(last);
    let base = match q.target {
        Some(goal) => with_goal(scenario, &model, asked, goal),
        None => scenario.clone(),
    };
    let level = scenario.service_level.as_ref();
    let quantile = level.map_or(Quantile::P95, |l| l.quantile);
    let mut ctx = Ctx {
        opts,
        cancel,
        level: quantile.replication_share(),
        quantile,
        targets: level
            .map(Targets::of)
            .map_or_else(Targets::default, |t| Targets {
                max_dropped: None,
                ..t
            }),
        simulations: 0,
        rollout_runs: 0,
        tried: Vec::new(),
    };
    // Where resources substitute for one another, the order in which they are cut decides
    // the mix: the first cut leans on the others. Both orders are planned and costed.
    let mut mixes = vec![plan_mix(&mut ctx, &base, q, asked, false)?];
    if has_substitutes(&base) {
        mixes.push(plan_mix(&mut ctx, &base, q, asked, true)?);
    }
    let cost = |m: &MixPlan| m.orders.iter().filter_map(|o| o.cost).sum::<f64>();
    // The cheapest feasible mix; without costs (or a tie) the scenario's own order.
    let chosen = (0..mixes.len())
        .min_by(|&a, &b| {
            let key = |m: &MixPlan| (!m.feasible, m.by);
            key(&mixes[a])
                .cmp(&key(&mixes[b]))
                .then(cost(&mixes[a]).total_cmp(&cost(&mixes[b])))
                .then(a.cmp(&b))
        })
        .unwrap_or(0);
    let mix_lines: Vec<MixLine> = if mixes.len() > 1 {
        let mut lines = Vec::new();
        for (i, m) in mixes.iter().enumerate() {
            let probe = ctx.probe(&m.planned, m.by)?;
            let mm = Model::from_scenario(&m.planned);
            let mut by_path: IndexMap<String, f64> =
                mm.paths.iter().map(|p| (p.name.clone(), 0.0)).collect();
            for (si, slot) in mm.slots.iter().enumerate() {
                if let Some(v) = by_path.get_index_mut(slot.path) {
                    *v.1 += probe.enabled_by_slot[si];
                }
            }
            lines.push(MixLine {
                name: m.name.clone(),
                feasible: m.feasible,
                total_cost: cost(m),
                uncosted: m
                    .orders
                    .iter()
                    .filter(|o| o.cost.is_none())
                    .map(|o| o.resource.clone())
                    .collect(),
                enabled_by_path: by_path,
                chosen: i == chosen,
            });
        }
        lines
    } else {
        Vec::new()
    };
    let m = mixes.swap_remove(chosen);
    let final_run = ctx.simulate(&m.planned, m.window)?;
    let by_date = model.date(m.by);
    let pm = Model::from_scenario(&m.planned);
    let has_target = final_run.timeline.get(m.by).is_some() && target_phase(&pm, m.by).is_some();
    let verdict =
        (!ctx.targets.is_empty()).then(|| judge(&final_run, &ctx.targets, quantile, None));
    let check = PlanCheck {
        target_met_share: has_target.then(|| final_run.timeline[m.by].target_met_share),
        needed_share: ctx.level,
        service_level_met: verdict.as_ref().map(|v| v.met),
        breaches: verdict.as_ref().map_or(Vec::new(), |v| {
            v.checks
                .iter()
                .filter(|c| !c.met)
                .map(sessions::describe)
                .chain(v.not_judged.iter().cloned())
                .collect()
        }),
    };
    let met_all = check
        .target_met_share
        .is_none_or(|s| s >= ctx.level - 1e-12)
        && check.service_level_met != Some(false);
    let mut limits = m.limits;
    if !met_all && limits.is_empty() {
        limits.push(
            "the planned scenario re-simulated does not meet every target (see the check)".into(),
        );
    }
    let target_staff = target_phase(&pm, m.by)
        .map(|phase| (0..pm.groups.len()).map(|g| pm.enable_goal(phase, g)).sum());
    Ok(PlanAnswer {
        scenario: scenario.meta.name.clone(),
        today: scenario.run.start,
        asked_by: model.date(asked),
        by: by_date,
        target_staff,
        quantile,
        replications: opts.replications.unwrap_or(scenario.run.replications),
        seed: opts.seed.unwrap_or(scenario.run.seed),
        window: final_run.summary.window,
        feasible: m.feasible && met_all && m.by == asked,
        limits,
        total_cost: m.orders.iter().filter_map(|o| o.cost).sum(),
        uncosted: m
            .orders
            .iter()
            .filter(|o| o.cost.is_none())
            .map(|o| o.resource.clone())
            .collect(),
        orders: m.orders,
        runway: m.runway,
        left_alone: m.left_alone,
        mixes: mix_lines,
        check,
        simulations: ctx.simulations,
        rollout_runs: ctx.rollout_runs,
        tried: ctx.tried,
        planned: m.planned,
        applied: m.applied,
        base,
    })
}
