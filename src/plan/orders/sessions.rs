//! The session resources (a pool's tunnels or hosts, its concurrent licences, the
//! authentication rate): with the rollout's orders in place, so who is remote is settled, the
//! least expansion of each that keeps the service level on every judged day.
//!
//! A pool's expansion arrives on its first breaching day, or as soon as its lead time allows;
//! the search starts from Erlang B on the peak offered with ample capacity, and judges only the
//! pool's own targets (login delay is the authentication rate's).

use crate::erlang;
use crate::plan::service::{Targets, judge};
use crate::scenario::{JudgedWindow, LicenceModel, Resource, Scenario};
use crate::sim::days::judged_days;
use crate::sim::{DayMetric, Model, SimError, SimResult};
use crate::units::Date;

use super::apply::{Placed, apply, facts, have};
use super::search::least_steps;
use super::{Ctx, LeftAlone, RunwayLine, Tried};

/// One session order with what justifies it.
pub(super) struct SessionOrder {
    pub placed: Placed,
    pub needed_from: Option<Date>,
    pub one_step_less: Option<String>,
}

/// The first judged day on which any of `targets` breaches for `pool`.
fn first_breach(
    r: &SimResult,
    targets: &Targets,
    q: crate::scenario::Quantile,
    pool: Option<usize>,
) -> Option<Date> {
    judge(r, targets, q, pool)
        .checks
        .iter()
        .filter(|c| !c.met)
        .filter_map(|c| c.first_breach)
        .min()
}

fn pool_targets(t: &Targets) -> Targets {
    Targets {
        max_login_delay_secs: None,
        ..*t
    }
}

fn delay_targets(t: &Targets) -> Targets {
    Targets {
        max_login_delay_secs: t.max_login_delay_secs,
        ..Targets::default()
    }
}

/// What the session planning carries from pool to pool.
struct Sessions<'a> {
    planned: &'a Scenario,
    levers: &'a [Resource],
    window: JudgedWindow,
    today: Date,
    last: Date,
    staff: u64,
    q: crate::scenario::Quantile,
    /// The scenario with every session order so far.
    current: Scenario,
    orders: Vec<SessionOrder>,
    runway: &'a mut Vec<RunwayLine>,
    limits: &'a mut Vec<String>,
}

/// Plans every session resource in `levers` on top of `planned` (the rollout's orders
/// applied): each pool on its own targets, then the authentication rate on login delay.
pub(super) fn plan(
    ctx: &mut Ctx,
    planned: &Scenario,
    levers: &[Resource],
    window: JudgedWindow,
    runway: &mut Vec<RunwayLine>,
    left_alone: &mut Vec<LeftAlone>,
    limits: &mut Vec<String>,
) -> Result<(Scenario, Vec<SessionOrder>), SimError> {
    let model = Model::from_scenario(planned);
    let mut s = Sessions {
        planned,
        levers,
        window,
        today: planned.run.start,
        last: model.date(model.days - 1),
        staff: model.groups.iter().map(|g| g.suitable).sum::<u64>().max(1),
        q: ctx.quantile,
        current: planned.clone(),
        orders: Vec::new(),
        runway,
        limits,
    };
    let before = ctx.simulate(&s.current, window)?;
    for (pi, pool) in model.pools.iter().enumerate() {
        s.pool(ctx, pi, pool, &before)?;
    }
    s.auth(ctx, &model, left_alone)?;
    Ok((s.current, s.orders))
}

impl Sessions<'_> {
    /// The least expansion of one pool (units, then concurrent licences), if it breaches.
    fn pool(
        &mut self,
        ctx: &mut Ctx,
        pi: usize,
        pool: &crate::sim::model::PoolModel,
        before: &SimResult,
    ) -> Result<(), SimError> {
        let (planned, levers, window) = (self.planned, self.levers, self.window);
        let (today, last, staff, q) = (self.today, self.last, self.staff, self.q);
        let units = Resource::PoolUnits(pool.name.clone());
        let lic = Resource::PoolLicences(pool.name.clone());
        let size_units = levers.contains(&units);
        let size_lic = levers.contains(&lic) && pool.licence_model == LicenceModel::Concurrent;
        let Some(need) = first_breach(before, &pool_targets(&ctx.targets), q, Some(pi)) else {
            return Ok(());
        };
        self.runway.push(RunwayLine {
            resource: units.key(planned),
            unit: units.unit(planned),
            runs_out: Some(need),
            behind_until_arrival: None,
            short_without_order: None,
            order_arrives: None,
        });
        if !size_units && !size_lic {
            self.limits.push(format!(
                    "pool `{}` breaches the service level from {need}, and neither its capacity nor its licences may be ordered",
                    pool.name
                ));
            return Ok(());
        }
        let arrival = |r: &Resource| {
            let earliest = today.add_days(facts(planned, r).lead_days() as i32);
            need.max(earliest).min(last)
        };
        let lead_limit = [&units, &lic]
            .into_iter()
            .filter(|r| levers.contains(r))
            .map(&arrival)
            .max()
            .unwrap_or(need);
        let mut win = window;
        if lead_limit > need {
            self.limits.push(format!(
                    "pool `{}` breaches the service level from {need}, but its order cannot arrive before {lead_limit} (lead time)",
                    pool.name
                ));
            win.from = Some(lead_limit);
        }
        let targets = pool_targets(&ctx.targets);
        let per = pool.sessions_per_host.max(1);
        let ample_units = staff.div_ceil(per);
        let ample_lic = Placed {
            resource: lic.clone(),
            quantity: staff,
            arrives: arrival(&lic),
        };
        let mut fixed_orders: Vec<Placed> = Vec::new();

        if size_units {
            let f = facts(planned, &units);
            let step = f.step();
            let at = arrival(&units);
            let with = |k: u64| {
                let mut o = vec![Placed {
                    resource: units.clone(),
                    quantity: k * step,
                    arrives: at,
                }];
                if size_lic {
                    o.push(ample_lic.clone());
                }
                o
            };
            // The trials differ from this probe only in the pool's units: they take its
            // workdays on which the pool turned nobody away.
            let (probe, reference) = ctx.simulate_keeping(
                &apply(&self.current, &with(ample_units.div_ceil(step))),
                win,
                pi,
            )?;
            let offered = judged_days(&probe.timeline, probe.summary.window)
                .filter_map(|d| d.pools.get(pi))
                .map(|p| p.peak_sessions.at(q))
                .fold(0.0, f64::max);
            let servers = erlang::erlang_b_servers_for(
                offered,
                targets.max_blocking.unwrap_or(0.01).clamp(1e-9, 0.999),
            )
            .unwrap_or(staff);
            let start = servers
                .div_ceil(per)
                .saturating_sub(have(&self.current, &units, at))
                .div_ceil(step);
            let kmin = f.min.unwrap_or(step).div_ceil(step);
            let kmax = f.max.map_or(ample_units.div_ceil(step), |m| m / step);
            let found = least_steps(kmin, kmax, start, |k| {
                let r =
                    ctx.simulate_taking(&apply(&self.current, &with(k)), win, reference.as_ref())?;
                let ok = first_breach(&r, &targets, q, Some(pi)).is_none();
                ctx.tried.push(Tried::of(
                    planned,
                    &with(k)[0],
                    ok,
                    "pool judged on its own targets".into(),
                ));
                Ok::<_, SimError>(ok)
            })?;
            let k = found.unwrap_or_else(|| {
                    self.limits.push(format!("pool `{}`: even the largest order that can be placed leaves the service level breached", pool.name));
                    kmax
                });
            fixed_orders.push(with(k).remove(0));
        }
        if size_lic {
            let f = facts(planned, &lic);
            let step = f.step();
            let at = arrival(&lic);
            let with = |k: u64| {
                let mut o = fixed_orders.clone();
                o.push(Placed {
                    resource: lic.clone(),
                    quantity: k * step,
                    arrives: at,
                });
                o
            };
            let sessions = (have(&self.current, &units, at)
                + fixed_orders.first().map_or(0, |o| o.quantity))
                * per;
            let start = sessions
                .saturating_sub(have(&self.current, &lic, at))
                .div_ceil(step);
            let kmin = f.min.unwrap_or(step).div_ceil(step);
            let kmax = f.max.map_or(staff.div_ceil(step), |m| m / step);
            let found = least_steps(kmin, kmax, start, |k| {
                let r = ctx.simulate(&apply(&self.current, &with(k)), win)?;
                let ok = first_breach(&r, &targets, q, Some(pi)).is_none();
                ctx.tried.push(Tried::of(
                    planned,
                    with(k).last().expect("licence order"),
                    ok,
                    "pool judged on its own targets".into(),
                ));
                Ok::<_, SimError>(ok)
            })?;
            let k = found.unwrap_or_else(|| {
                    self.limits.push(format!("pool `{}`: even the largest licence order that can be placed leaves the service level breached", pool.name));
                    kmax
                });
            fixed_orders = with(k);
        }
        // Minimality: one step less of each order fails.
        for i in 0..fixed_orders.len() {
            let o = &fixed_orders[i];
            if o.quantity == 0 {
                return Ok(());
            }
            let f = facts(planned, &o.resource);
            let mut trial = fixed_orders.clone();
            let fewer = o.quantity.saturating_sub(f.step());
            trial[i].quantity = if fewer < f.min.unwrap_or(0) { 0 } else { fewer };
            let r = ctx.simulate(&apply(&self.current, &trial), win)?;
            let v = judge(&r, &targets, q, Some(pi));
            let worst = v
                .checks
                .iter()
                .filter(|c| !c.met)
                .map(describe)
                .collect::<Vec<_>>();
            self.orders.push(SessionOrder {
                placed: o.clone(),
                needed_from: Some(need),
                one_step_less: Some(if worst.is_empty() {
                    format!(
                        "{}: still meets the service level (the search is not monotone here)",
                        trial[i].quantity
                    )
                } else {
                    format!("{}: {}", trial[i].quantity, worst.join("; "))
                }),
            });
        }
        self.current = apply(&self.current, &fixed_orders);
        if let Some(line) = self.runway.last_mut() {
            line.order_arrives = fixed_orders
                .iter()
                .filter(|o| o.quantity > 0)
                .map(|o| o.arrives)
                .min();
        }
        Ok(())
    }

    /// The least raise of the authentication rate that keeps login delay within its target.
    fn auth(
        &mut self,
        ctx: &mut Ctx,
        model: &Model,
        left_alone: &mut Vec<LeftAlone>,
    ) -> Result<(), SimError> {
        let (planned, levers, window) = (self.planned, self.levers, self.window);
        let (today, last, staff, q) = (self.today, self.last, self.staff, self.q);
        let auth = Resource::AuthRate;
        if ctx.targets.max_login_delay_secs.is_some() && model.auth_service_secs.is_some() {
            // Its curve gives the busiest interval's login rate.
            let r = ctx.run(&self.current, window, true)?;
            if let Some(need) = first_breach(&r, &delay_targets(&ctx.targets), q, None) {
                self.runway.push(RunwayLine {
                    resource: auth.key(planned),
                    unit: auth.unit(planned),
                    runs_out: Some(need),
                    behind_until_arrival: None,
                    short_without_order: None,
                    order_arrives: None,
                });
                if !levers.contains(&auth) {
                    self.limits.push(format!("login delay breaches the service level from {need}, and the authentication rate may not be ordered"));
                } else {
                    let f = facts(planned, &auth);
                    let step = f.step();
                    let earliest = today.add_days(f.lead_days() as i32);
                    let at = need.max(earliest).min(last);
                    let mut win = window;
                    if at > need {
                        self.limits.push(format!("login delay breaches the service level from {need}, but a faster authentication service cannot arrive before {at}"));
                        win.from = Some(at);
                    }
                    let have_rate = have(&self.current, &auth, at);
                    let busiest = r.curve.as_ref().map_or(have_rate as f64, |c| {
                        let n = c.pools.first().map_or(0, |p| p.points.len());
                        (0..n)
                            .map(|i| c.pools.iter().map(|p| p.points[i].logins).sum::<f64>())
                            .fold(0.0, f64::max)
                            / (c.interval_secs / 60.0)
                    });
                    let start = (busiest.ceil() as u64)
                        .saturating_sub(have_rate)
                        .div_ceil(step);
                    let with = |k: u64| Placed {
                        resource: auth.clone(),
                        quantity: k * step,
                        arrives: at,
                    };
                    let kmax = f.max.map_or((staff.max(60)).div_ceil(step), |m| m / step);
                    let targets = delay_targets(&ctx.targets);
                    let found =
                        least_steps(f.min.unwrap_or(step).div_ceil(step), kmax, start, |k| {
                            let r = ctx.simulate(&apply(&self.current, &[with(k)]), win)?;
                            let ok = first_breach(&r, &targets, q, None).is_none();
                            ctx.tried.push(Tried::of(
                                planned,
                                &with(k),
                                ok,
                                "login delay judged".into(),
                            ));
                            Ok::<_, SimError>(ok)
                        })?;
                    let k = found.unwrap_or(kmax);
                    let fewer = with(k.saturating_sub(1));
                    let r1 =
                        ctx.simulate(&apply(&self.current, std::slice::from_ref(&fewer)), win)?;
                    let v = judge(&r1, &targets, q, None);
                    let worst: Vec<String> =
                        v.checks.iter().filter(|c| !c.met).map(describe).collect();
                    self.orders.push(SessionOrder {
                        placed: with(k),
                        needed_from: Some(need),
                        one_step_less: Some(format!(
                            "{}: {}",
                            fewer.quantity,
                            if worst.is_empty() {
                                "still meets the service level".into()
                            } else {
                                worst.join("; ")
                            }
                        )),
                    });
                    self.current = apply(&self.current, &[with(k)]);
                    if let Some(line) = self.runway.last_mut() {
                        line.order_arrives = (k > 0).then_some(at);
                    }
                }
            }
        } else if levers.contains(&auth) {
            left_alone.push(LeftAlone::new(planned, &auth, "login delay is not a target of the service level, so the authentication rate cannot help"));
        }
        Ok(())
    }
}

/// A breached check in words.
pub(super) fn describe(c: &crate::plan::service::Check) -> String {
    let what = match c.target {
        DayMetric::BlockingProbability => "blocking",
        DayMetric::BandwidthUtilisation => "bandwidth utilisation",
        _ => "login delay",
    };
    let value = if c.target == DayMetric::LoginDelayMax {
        format!("{:.0} s (limit {:.0} s)", c.worst_value, c.limit)
    } else {
        format!(
            "{:.2}% (limit {:.2}%)",
            c.worst_value * 100.0,
            c.limit * 100.0
        )
    };
    let pool = c
        .pool
        .as_ref()
        .map_or(String::new(), |p| format!(" in `{p}`"));
    let day = c.worst_day.map_or(String::new(), |d| format!(" on {d}"));
    format!(
        "{what}{pool} {value}{day}, {} breaching days",
        c.breaching_days
    )
}
