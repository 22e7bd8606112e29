//! The rollout's resources (stock, hand-out, tokens, onboarding, named licences): the least
//! orders that reach the enable target by the date asked, judged on the rollouts alone.
//!
//! Each resource's runway is measured with every other resource unlimited, so it is the day
//! that resource alone runs short. Its order arrives on that day, or as soon as its lead time
//! allows. Then, with every order at that arrival, each resource in turn is cut to the least
//! that still meets the target (coordinate-wise, in the mix's order), and a last pass checks
//! that one order step less of each fails.

use crate::scenario::{DeviceKind, Resource, Scenario, TokenKind};
use crate::sim::{Model, RolloutProbe, SimError};
use crate::units::Date;

use super::apply::{Placed, apply, facts, have};
use super::search::least_steps;
use super::{Ctx, LeftAlone, RunwayLine, Tried};

/// Rounds of coordinate-wise cutting before the search gives up on a fixed point.
const MAX_ROUNDS: usize = 4;

/// What the rollout part decided.
pub(super) struct RolloutPlan {
    /// The orders (quantity 0: none needed).
    pub orders: Vec<Placed>,
    /// Per order: the day it is first needed.
    pub needed_from: Vec<Option<Date>>,
    /// Per order: what one step less does.
    pub one_step_less: Vec<Option<String>>,
    /// Day index the plan is made for (the date asked, or the earliest that works).
    pub by: usize,
    /// Whether the date asked can be met.
    pub feasible: bool,
    /// What makes the date asked infeasible.
    pub limits: Vec<String>,
}

impl RolloutPlan {
    /// No rollout orders: the date stays as asked.
    pub fn unchanged(by: usize) -> RolloutPlan {
        RolloutPlan {
            orders: Vec::new(),
            needed_from: Vec::new(),
            one_step_less: Vec::new(),
            by,
            feasible: true,
            limits: Vec::new(),
        }
    }
}

/// Whether the staff on slot `i` need the resource.
fn slot_needs(model: &Model, s: &Scenario, r: &Resource, i: usize) -> bool {
    let path = &model.paths[model.slots[i].path];
    match r {
        Resource::NotebookStock | Resource::NotebookHandout => path.device == DeviceKind::Managed,
        Resource::TokenStock | Resource::TokenHandout => {
            matches!(path.token, TokenKind::Hardware | TokenKind::Any)
        }
        Resource::SoftwareLicences | Resource::SoftwareActivations => {
            matches!(path.token, TokenKind::Software | TokenKind::Any)
        }
        Resource::PoolLicences(p) => s.pools.get_index_of(p) == Some(model.slots[i].pool),
        _ => true,
    }
}

/// The closed-form start, in units: the staff who need the resource and are enabled by `by`
/// when nothing is short, less what is already there (stocks and licences), or spread over
/// the workdays up to `by` (rates).
fn closed_form(model: &Model, s: &Scenario, r: &Resource, ample: &RolloutProbe, by: usize) -> u64 {
    let needed: f64 = (0..model.slots.len())
        .filter(|&i| slot_needs(model, s, r, i))
        .map(|i| ample.enabled_by_slot[i] - model.slots[i].initially_enabled as f64)
        .sum::<f64>()
        .max(0.0);
    let have = have(s, r, model.date(by)) as f64;
    let per_day = matches!(
        r,
        Resource::NotebookHandout
            | Resource::TokenHandout
            | Resource::SoftwareActivations
            | Resource::Onboarding
    );
    if per_day {
        let workdays = model.workday[..=by].iter().filter(|w| **w).count().max(1);
        (needed / workdays as f64 - have).ceil().max(0.0) as u64
    } else {
        (needed - have).ceil().max(0.0) as u64
    }
}

/// What every step of the rollout planning shares.
struct Rollout<'a> {
    base: &'a Scenario,
    levers: &'a [Resource],
    model: Model,
    today: Date,
    /// What "unlimited" means: every suitable member of staff at once.
    ample: u64,
}

/// Plans the rollout's resources `levers` (all used, none fixed) for day `by`.
pub(super) fn plan(
    ctx: &mut Ctx,
    base: &Scenario,
    levers: &[Resource],
    by: usize,
    runway: &mut Vec<RunwayLine>,
    left_alone: &mut Vec<LeftAlone>,
) -> Result<RolloutPlan, SimError> {
    let model = Model::from_scenario(base);
    let r = Rollout {
        base,
        levers,
        ample: model.groups.iter().map(|g| g.suitable).sum::<u64>().max(1),
        today: base.run.start,
        model,
    };
    let mut out = RolloutPlan::unchanged(by);
    let unlimited = ctx.probe(&apply(base, &r.ample_at(&vec![r.today; levers.len()])), by)?;
    let Some(by) = r.reachable(ctx, &unlimited, by, &mut out, left_alone) else {
        return Ok(out);
    };
    let Some((by, mut state)) = r.in_time(ctx, by, &mut out)? else {
        return Ok(out);
    };
    out.by = by;
    let mut less = Vec::new();
    for _round in 0..MAX_ROUNDS {
        r.cut(ctx, &mut state, &unlimited, by, &mut out)?;
        r.latest_arrivals(ctx, &mut state, by)?;
        let all_fail;
        (all_fail, less) = r.one_step_less(ctx, &state, by)?;
        if all_fail {
            break;
        }
    }
    out.needed_from = r.runway(ctx, &state, by, runway)?;
    out.orders = state;
    out.one_step_less = less;
    Ok(out)
}

impl Rollout<'_> {
    /// Every lever ordered without limit, arriving on the given days.
    fn ample_at(&self, arrivals: &[Date]) -> Vec<Placed> {
        self.levers
            .iter()
            .zip(arrivals)
            .map(|(r, &a)| Placed {
                resource: r.clone(),
                quantity: self.ample,
                arrives: a,
            })
            .collect()
    }

    /// The date to plan for: `by`, or, when even unlimited orders arriving today miss it, the
    /// earliest that works (`None`: none in the horizon; the levers are then left alone).
    fn reachable(
        &self,
        ctx: &Ctx,
        unlimited: &RolloutProbe,
        by: usize,
        out: &mut RolloutPlan,
        left_alone: &mut Vec<LeftAlone>,
    ) -> Option<usize> {
        if unlimited.met_on(by) >= ctx.level {
            return Some(by);
        }
        let model = &self.model;
        let what = unlimited.bottleneck().map_or(
            "the policy's enable target or the staff's devices".into(),
            |c| {
                format!(
                    "{} ({:.0} staff held back)",
                    c.label(),
                    unlimited.held_back[c.index()]
                )
            },
        );
        out.feasible = false;
        out.limits.push(if self.levers.is_empty() {
            format!(
                "the enable target is unmet on {}, limited by {what}, and nothing that limits the rollout may be ordered",
                model.date(by)
            )
        } else {
            format!(
                "even unlimited orders arriving on {} leave the enable target unmet on {}: limited by {what}",
                self.today,
                model.date(by)
            )
        });
        let earliest = (by..model.days).find(|&d| unlimited.met_on(d) >= ctx.level);
        if earliest.is_none() {
            for r in self.levers {
                left_alone.push(LeftAlone::new(self.base, r, "the enable target cannot be reached within the horizon even with unlimited orders"));
            }
        }
        earliest
    }

    /// Every order at the earliest its lead time allows; if even that is too late, the lead
    /// times move the date. Returns the date and the orders (unlimited), or `None` when no date
    /// in the horizon works.
    fn in_time(
        &self,
        ctx: &mut Ctx,
        by: usize,
        out: &mut RolloutPlan,
    ) -> Result<Option<(usize, Vec<Placed>)>, SimError> {
        let (base, model, today) = (self.base, &self.model, self.today);
        let last = model.date(model.days - 1);
        let earliest: Vec<Date> = self
            .levers
            .iter()
            .map(|r| today.add_days(facts(base, r).lead_days() as i32).min(last))
            .collect();
        let state = self.ample_at(&earliest);
        let timed = ctx.probe(&apply(base, &state), by)?;
        if timed.met_on(by) >= ctx.level {
            return Ok(Some((by, state)));
        }
        out.feasible = false;
        for (i, r) in self.levers.iter().enumerate() {
            if earliest[i] == today {
                continue;
            }
            let mut sooner = state.clone();
            sooner[i].arrives = today;
            if ctx.probe(&apply(base, &sooner), by)?.met_on(by) >= ctx.level {
                out.limits.push(format!(
                    "{}: its lead time of {} days lets it arrive on {} at the earliest, too late for {}",
                    r.key(base),
                    facts(base, r).lead_days(),
                    earliest[i],
                    model.date(by)
                ));
            }
        }
        match (by..model.days).find(|&d| timed.met_on(d) >= ctx.level) {
            Some(d) => {
                if out.limits.is_empty() {
                    out.limits.push(format!(
                        "the lead times together let the enable target be met on {} at the earliest",
                        model.date(d)
                    ));
                }
                Ok(Some((d, state)))
            }
            None => {
                out.limits
                    .push("no date within the horizon works with these lead times".into());
                Ok(None)
            }
        }
    }

    /// Whether `state` meets the target on `by` (recorded as tried, against lever `i`), and the
    /// share of replications that does.
    fn meets(
        &self,
        ctx: &mut Ctx,
        state: &[Placed],
        i: usize,
        by: usize,
    ) -> Result<(bool, f64), SimError> {
        let p = ctx.probe(&apply(self.base, state), by)?;
        let share = p.met_on(by);
        let ok = share >= ctx.level;
        ctx.tried.push(Tried::of(
            self.base,
            &state[i],
            ok,
            format!("target met in {:.0}% of replications", share * 100.0),
        ));
        Ok((ok, share))
    }

    /// Coordinate-wise: cut each order in turn to the least that still meets the target, the
    /// others as they stand, until none moves (cutting one can free another: fewer hardware
    /// tokens send more staff to software ones). The first pass starts from the closed forms.
    fn cut(
        &self,
        ctx: &mut Ctx,
        state: &mut [Placed],
        unlimited: &RolloutProbe,
        by: usize,
        out: &mut RolloutPlan,
    ) -> Result<(), SimError> {
        let base = self.base;
        for pass in 0..MAX_ROUNDS {
            let mut moved = false;
            for i in 0..self.levers.len() {
                let lever = &self.levers[i];
                let f = facts(base, lever);
                let step = f.step();
                let kmin = f.min.unwrap_or(step).div_ceil(step);
                let kmax = f.max.map_or(self.ample.div_ceil(step), |m| m / step);
                let start = if pass == 0 {
                    closed_form(&self.model, base, lever, unlimited, by).div_ceil(step)
                } else {
                    state[i].quantity / step
                };
                let found = least_steps(kmin, kmax, start, |k| {
                    let mut trial = state.to_vec();
                    trial[i].quantity = k * step;
                    self.meets(ctx, &trial, i, by).map(|m| m.0)
                })?;
                let k = found.unwrap_or_else(|| {
                    if pass == 0 {
                        out.feasible = false;
                        out.limits.push(format!(
                            "{}: even the largest order that can be placed ({} {}) leaves the target unmet",
                            lever.key(base),
                            kmax * step,
                            lever.unit(base)
                        ));
                    }
                    kmax
                });
                moved |= k * step != state[i].quantity;
                state[i].quantity = k * step;
            }
            if !moved {
                break;
            }
        }
        Ok(())
    }

    /// Each order as late as it can arrive and still meet the target: when it is needed.
    fn latest_arrivals(
        &self,
        ctx: &mut Ctx,
        state: &mut [Placed],
        by: usize,
    ) -> Result<(), SimError> {
        let model = &self.model;
        for i in 0..state.len() {
            if state[i].quantity == 0 {
                continue;
            }
            let (mut ok, mut bad) = (model.day_of(state[i].arrives).unwrap_or(0), by + 1);
            while bad - ok > 1 {
                let mid = ok + (bad - ok) / 2;
                let mut trial = state.to_vec();
                trial[i].arrives = model.date(mid);
                if ctx.probe(&apply(self.base, &trial), by)?.met_on(by) >= ctx.level {
                    ok = mid;
                } else {
                    bad = mid;
                }
            }
            state[i].arrives = model.date(ok);
        }
        Ok(())
    }

    /// The evidence: what one order step less of each does. Returns whether each fails, and
    /// the words per order.
    fn one_step_less(
        &self,
        ctx: &mut Ctx,
        state: &[Placed],
        by: usize,
    ) -> Result<(bool, Vec<Option<String>>), SimError> {
        let mut all_fail = true;
        let mut less = vec![None; state.len()];
        for i in 0..state.len() {
            let q = state[i].quantity;
            if q == 0 {
                continue;
            }
            let f = facts(self.base, &self.levers[i]);
            let fewer = q.saturating_sub(f.step());
            let fewer = if fewer < f.min.unwrap_or(0) { 0 } else { fewer };
            let mut trial = state.to_vec();
            trial[i].quantity = fewer;
            let (ok, share) = self.meets(ctx, &trial, i, by)?;
            all_fail &= !ok;
            less[i] = Some(format!(
                "{fewer}: the enable target is met on {} in {:.0}% of replications (needs {:.0}%)",
                self.model.date(by),
                share * 100.0,
                ctx.level * 100.0
            ));
        }
        Ok((all_fail, less))
    }

    /// The runway: each resource at today's stock with the rest of the plan in place, against
    /// an unlimited supply of it from today: the first day it holds anyone back, how far behind
    /// the rollout is the day before its order arrives, and how many it leaves short on the
    /// date if never ordered. Returns the first day each is short.
    fn runway(
        &self,
        ctx: &mut Ctx,
        state: &[Placed],
        by: usize,
        runway: &mut Vec<RunwayLine>,
    ) -> Result<Vec<Option<Date>>, SimError> {
        let (base, model) = (self.base, &self.model);
        let planned = ctx.probe(&apply(base, state), by)?;
        let mut needed = Vec::new();
        for (i, r) in self.levers.iter().enumerate() {
            let mut without = state.to_vec();
            without[i].quantity = 0;
            let alone = ctx.probe(&apply(base, &without), by)?;
            let mut free = state.to_vec();
            free[i] = Placed {
                resource: r.clone(),
                quantity: self.ample,
                arrives: self.today,
            };
            let free = ctx.probe(&apply(base, &free), by)?;
            let runs_out = (0..=by).find(|&d| alone.enabled[d] + 1e-9 < free.enabled[d]);
            let ordered = state[i].quantity > 0;
            let before_arrival = model
                .day_of(state[i].arrives)
                .map_or(0, |a| a.saturating_sub(1))
                .min(by);
            runway.push(RunwayLine {
                resource: r.key(base),
                unit: r.unit(base),
                runs_out: runs_out.map(|d| model.date(d)),
                behind_until_arrival: (ordered && runs_out.is_some()).then(|| {
                    (free.enabled[before_arrival] - planned.enabled[before_arrival]).max(0.0)
                }),
                short_without_order: runs_out
                    .map(|_| (planned.enabled[by] - alone.enabled[by]).max(0.0)),
                order_arrives: ordered.then_some(state[i].arrives),
            });
            needed.push(runs_out.map(|d| model.date(d)));
        }
        Ok(needed)
    }
}
