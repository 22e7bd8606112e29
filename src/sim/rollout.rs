//! The rollout: one step a day. Deliveries and expansions arrive, onboarding enables staff per
//! group and access path within the tightest constraint, and each enabled person decides
//! whether to work remotely that day.

use rand::Rng;
use rand_distr::{Binomial, Distribution as _};
use serde::Serialize;

use crate::scenario::{DeviceKind, TokenKind};

use super::model::Model;
use super::rng::{Purpose, stream};

/// What can limit onboarding on a day.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// IT's capacity to set up accounts and permissions.
    Onboarding,
    /// Managed notebooks in stock.
    Notebooks,
    /// Notebooks that can be prepared and handed out per day.
    NotebookHandout,
    /// Private devices fit for the BYOD path.
    PrivateDevices,
    /// Hardware tokens in stock.
    HardwareTokens,
    /// Hardware tokens that can be handed out per day.
    TokenHandout,
    /// Software tokens (licences or activations per day, or not yet available).
    SoftwareTokens,
    /// Named licences of the pool.
    Licences,
}

impl Constraint {
    /// All constraints, in reporting order.
    pub const ALL: [Constraint; 8] = [
        Constraint::Onboarding,
        Constraint::Notebooks,
        Constraint::NotebookHandout,
        Constraint::PrivateDevices,
        Constraint::HardwareTokens,
        Constraint::TokenHandout,
        Constraint::SoftwareTokens,
        Constraint::Licences,
    ];

    /// Position in [`Constraint::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Constraint::Onboarding => "onboarding",
            Constraint::Notebooks => "notebooks",
            Constraint::NotebookHandout => "notebook hand-out",
            Constraint::PrivateDevices => "private devices",
            Constraint::HardwareTokens => "hardware tokens",
            Constraint::TokenHandout => "token hand-out",
            Constraint::SoftwareTokens => "software tokens",
            Constraint::Licences => "licences",
        }
    }
}

/// One replication's rollout on one day.
#[derive(Clone, Debug, Default)]
pub struct RolloutDay {
    /// Enabled staff per slot after the day's onboarding.
    pub enabled: Vec<u64>,
    /// Remote workers per slot.
    pub remote: Vec<u64>,
    /// Suitable staff who would work remotely under the day's policy (enabled or not).
    pub demand: u64,
    /// Staff held back per constraint (how many more would have been enabled without it).
    pub held_back: [u64; 8],
    /// Whether every group reached its enable target (where one is set).
    pub target_met: bool,
}

impl RolloutDay {
    /// The constraint that held back the most staff, if any held anyone back.
    pub fn bottleneck(&self) -> Option<Constraint> {
        let (i, &max) = self
            .held_back
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))?;
        (max > 0).then(|| Constraint::ALL[i])
    }
}

struct Stock {
    stock: u64,
    handout_left: u64,
    arrivals: Vec<(usize, u64)>,
}

impl Stock {
    fn new(model: &Model, sup: &super::model::SupplyModel, rng: &mut impl Rng) -> Stock {
        let mut arrivals: Vec<(usize, u64)> = sup
            .deliveries
            .iter()
            .map(|(day, qty, delay)| {
                let extra = delay
                    .as_ref()
                    .map_or(0.0, |s| s.sample(rng).max(0.0) / 86_400.0);
                let d = (*day as f64 + extra.round()).clamp(0.0, model.days as f64);
                (d as usize, *qty)
            })
            .collect();
        arrivals.sort_by_key(|a| a.0);
        Stock {
            stock: sup.stock,
            handout_left: 0,
            arrivals,
        }
    }

    fn arrive(&mut self, day: usize) {
        for (d, q) in &self.arrivals {
            if *d == day {
                self.stock = self.stock.saturating_add(*q);
            }
        }
    }
}

/// Runs one replication's rollout over the whole horizon, calling `each_day` after every day.
pub fn run_rollout(
    model: &Model,
    seed: u64,
    replication: u64,
    mut each_day: impl FnMut(usize, &RolloutDay),
) {
    let mut setup = stream(seed, Purpose::Setup, replication, 0);
    let mut attendance = stream(seed, Purpose::Attendance, replication, 0);
    let mut notebooks = model
        .notebooks
        .as_ref()
        .map(|s| Stock::new(model, s, &mut setup));
    let mut hw = model
        .hardware_tokens
        .as_ref()
        .map(|s| Stock::new(model, s, &mut setup));
    let mut sw_used: u64 = 0;
    let n_slots = model.slots.len();
    let mut day_state = RolloutDay {
        enabled: vec![0; n_slots],
        remote: vec![0; n_slots],
        ..Default::default()
    };
    let mut named_used = vec![0u64; model.pools.len()];
    let mut byod_used = vec![0u64; model.groups.len()];
    let mut enabled_by_group = vec![0u64; model.groups.len()];
    for (i, slot) in model.slots.iter().enumerate() {
        day_state.enabled[i] = slot.initially_enabled;
        named_used[slot.pool] += slot.initially_enabled;
        enabled_by_group[slot.group] += slot.initially_enabled;
        if model.paths[slot.path].device == DeviceKind::Byod {
            byod_used[slot.group] += slot.initially_enabled;
        }
    }

    for day in 0..model.days {
        if let Some(n) = notebooks.as_mut() {
            n.arrive(day);
        }
        if let Some(h) = hw.as_mut() {
            h.arrive(day);
        }
        day_state.held_back = [0; 8];
        let phase =
            &model.phases[model.phase_of_day[day].min(model.phases.len().saturating_sub(1))];
        let is_workday = model.workday[day];

        if is_workday {
            let mut onboarding_left = model
                .onboarding_per_day
                .as_ref()
                .map_or(u64::MAX, |o| o[day]);
            if let Some(n) = notebooks.as_mut() {
                n.handout_left = model
                    .notebooks
                    .as_ref()
                    .map_or(0, |s| s.handout_per_day[day]);
            }
            if let Some(h) = hw.as_mut() {
                h.handout_left = model
                    .hardware_tokens
                    .as_ref()
                    .map_or(0, |s| s.handout_per_day[day]);
            }
            let mut sw_activations_left =
                model.software_tokens.as_ref().map_or(0, |t| t.per_day[day]);
            let sw_open = model
                .software_tokens
                .as_ref()
                .is_some_and(|t| day as i64 >= t.from_day);

            for (gi, group) in model.groups.iter().enumerate() {
                let target = model.enable_goal(phase, gi);
                let mut want = target.saturating_sub(enabled_by_group[gi]);
                if want == 0 {
                    continue;
                }
                let mut attempts: Vec<(Constraint, u64)> = Vec::new();
                for (si, slot) in model
                    .slots
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.group == gi)
                {
                    if want == 0 {
                        break;
                    }
                    let path = &model.paths[slot.path];
                    let mut limits: Vec<(Constraint, u64)> = Vec::with_capacity(6);
                    if model.onboarding_per_day.is_some() {
                        limits.push((Constraint::Onboarding, onboarding_left));
                    }
                    match path.device {
                        DeviceKind::Managed => {
                            let (stock, handout) = notebooks
                                .as_ref()
                                .map_or((0, 0), |n| (n.stock, n.handout_left));
                            limits.push((Constraint::Notebooks, stock));
                            limits.push((Constraint::NotebookHandout, handout));
                        }
                        DeviceKind::Byod => {
                            limits.push((
                                Constraint::PrivateDevices,
                                group.byod_capacity.saturating_sub(byod_used[gi]),
                            ));
                        }
                        DeviceKind::Existing => {}
                    }
                    let sw_avail = if sw_open {
                        let lic = model
                            .software_tokens
                            .as_ref()
                            .map_or(0, |t| t.licences[day].saturating_sub(sw_used));
                        lic.min(sw_activations_left)
                    } else {
                        0
                    };
                    let (hw_stock, hw_handout) =
                        hw.as_ref().map_or((0, 0), |h| (h.stock, h.handout_left));
                    let hw_name = if hw_handout < hw_stock {
                        Constraint::TokenHandout
                    } else {
                        Constraint::HardwareTokens
                    };
                    match path.token {
                        TokenKind::Hardware => limits.push((hw_name, hw_stock.min(hw_handout))),
                        TokenKind::Software => limits.push((Constraint::SoftwareTokens, sw_avail)),
                        TokenKind::Any => {
                            let name = if sw_avail > 0 || model.hardware_tokens.is_none() {
                                Constraint::SoftwareTokens
                            } else {
                                hw_name
                            };
                            limits.push((name, sw_avail.saturating_add(hw_stock.min(hw_handout))));
                        }
                        TokenKind::None => {}
                    }
                    if let Some(lic) = model.pools[slot.pool].named_licences(day) {
                        limits.push((
                            Constraint::Licences,
                            lic.saturating_sub(named_used[slot.pool]),
                        ));
                    }
                    let n = limits
                        .iter()
                        .map(|l| l.1)
                        .min()
                        .unwrap_or(u64::MAX)
                        .min(want);
                    if n < want {
                        // How many more this path would have taken had each binding limit been lifted.
                        for (c, v) in &limits {
                            if *v == n {
                                let others = limits
                                    .iter()
                                    .filter(|l| l.0 != *c)
                                    .map(|l| l.1)
                                    .min()
                                    .unwrap_or(u64::MAX)
                                    .min(want);
                                attempts.push((*c, others - n));
                            }
                        }
                    }
                    if n == 0 {
                        continue;
                    }
                    // Consume.
                    onboarding_left = onboarding_left.saturating_sub(n);
                    match path.device {
                        DeviceKind::Managed => {
                            if let Some(nb) = notebooks.as_mut() {
                                nb.stock -= n;
                                nb.handout_left -= n;
                            }
                        }
                        DeviceKind::Byod => byod_used[gi] += n,
                        DeviceKind::Existing => {}
                    }
                    let hw_take = |h: &mut Option<Stock>, k: u64| {
                        if let Some(h) = h.as_mut() {
                            h.stock = h.stock.saturating_sub(k);
                            h.handout_left = h.handout_left.saturating_sub(k);
                        }
                    };
                    match path.token {
                        TokenKind::Hardware => hw_take(&mut hw, n),
                        TokenKind::Software => {
                            sw_used += n;
                            sw_activations_left -= n;
                        }
                        TokenKind::Any => {
                            let s = n.min(sw_avail);
                            sw_used += s;
                            sw_activations_left -= s;
                            hw_take(&mut hw, n - s);
                        }
                        TokenKind::None => {}
                    }
                    named_used[slot.pool] += n;
                    day_state.enabled[si] += n;
                    enabled_by_group[gi] += n;
                    want -= n;
                }
                if want > 0 {
                    let mut attributed = false;
                    for (c, extra) in &attempts {
                        let v = (*extra).min(want);
                        if v > 0 {
                            day_state.held_back[c.index()] += v;
                            attributed = true;
                        }
                    }
                    if !attributed && let Some((c, _)) = attempts.first() {
                        // Several limits tied: lifting one alone helps nobody; name the first.
                        day_state.held_back[c.index()] += want;
                    }
                }
            }
        }

        // Attendance: each suitable person wants to work remotely with the phase's share;
        // the enabled ones can.
        let mut demand = 0u64;
        let mut target_met = true;
        let mut any_target = false;
        let weekday = model.date(day).weekday();
        for (gi, group) in model.groups.iter().enumerate() {
            let share = phase.share_on(gi, weekday).clamp(0.0, 1.0);
            let target = model.enable_goal(phase, gi);
            if target > 0 {
                any_target = true;
                target_met &= enabled_by_group[gi] >= target;
            }
            if is_workday {
                let not_enabled = group.suitable.saturating_sub(enabled_by_group[gi]);
                demand += binomial(&mut attendance, not_enabled, share);
            }
        }
        for (si, slot) in model.slots.iter().enumerate() {
            let share = phase.share_on(slot.group, weekday).clamp(0.0, 1.0);
            let r = if is_workday {
                binomial(&mut attendance, day_state.enabled[si], share)
            } else {
                0
            };
            day_state.remote[si] = r;
            demand += r;
        }
        day_state.demand = demand;
        day_state.target_met = any_target && target_met;
        each_day(day, &day_state);
    }
}

fn binomial(rng: &mut impl Rng, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    match Binomial::new(n, p) {
        Ok(b) => b.sample(rng),
        Err(_) => (n as f64 * p).round() as u64,
    }
}
