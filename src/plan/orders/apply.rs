//! Orders written into a scenario: a delivery, a dated increase or a pool expansion, exactly
//! as a user would write them, so the plan simulates what it emits.

use crate::scenario::{
    Delivery, Expansion, Increase, LicenceModel, PoolKind, Procurement, Resource, Scenario,
    TokenKind,
};
use crate::units::{Bandwidth, Date};

/// One order: how much of a resource, arriving when.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// What is ordered.
    pub resource: Resource,
    /// How many units.
    pub quantity: u64,
    /// Planned arrival (first day in service).
    pub arrives: Date,
}

/// The procurement facts of a resource (defaults when the scenario gives none).
pub fn facts<'a>(s: &'a Scenario, r: &Resource) -> std::borrow::Cow<'a, Procurement> {
    match s.procurement.get(&r.key(s)) {
        Some(p) => std::borrow::Cow::Borrowed(p),
        None => std::borrow::Cow::Owned(Procurement::default()),
    }
}

/// The scenario with the orders applied.
pub fn apply(base: &Scenario, orders: &[Placed]) -> Scenario {
    let mut s = base.clone();
    for o in orders.iter().filter(|o| o.quantity > 0) {
        let delay = facts(base, &o.resource).delay.clone();
        let delivery = Delivery {
            date: o.arrives,
            quantity: o.quantity,
            delay,
        };
        match &o.resource {
            Resource::NotebookStock => {
                if let Some(n) = s.devices.notebooks.as_mut() {
                    insert_by_date(&mut n.deliveries, delivery, |d| d.date);
                }
            }
            Resource::TokenStock => {
                if let Some(h) = s.tokens.hardware.as_mut() {
                    insert_by_date(&mut h.deliveries, delivery, |d| d.date);
                }
            }
            Resource::PoolUnits(p) => {
                let per_unit = throughput_per_unit(&s, p);
                if let Some(pool) = s.pools.get_mut(p) {
                    let rd = pool.kind == PoolKind::RemoteDesktop;
                    let e = Expansion {
                        date: o.arrives,
                        tunnels: (!rd).then_some(o.quantity),
                        hosts: rd.then_some(o.quantity),
                        throughput: per_unit.map(|b| Bandwidth::from_bps(b * o.quantity as f64)),
                        licences: None,
                    };
                    insert_by_date(&mut pool.expansions, e, |e| e.date);
                }
            }
            Resource::PoolLicences(p) => {
                if let Some(pool) = s.pools.get_mut(p) {
                    let e = Expansion {
                        date: o.arrives,
                        tunnels: None,
                        hosts: None,
                        throughput: None,
                        licences: Some(o.quantity),
                    };
                    insert_by_date(&mut pool.expansions, e, |e| e.date);
                }
            }
            r => {
                let field = r.key(base);
                s.increases.push(Increase {
                    date: o.arrives,
                    field,
                    add: o.quantity,
                });
            }
        }
    }
    s
}

fn insert_by_date<T>(list: &mut Vec<T>, item: T, date: impl Fn(&T) -> Date) {
    let at = list.partition_point(|x| date(x) <= date(&item));
    list.insert(at, item);
}

/// Throughput that one more tunnel or host brings: the pool's built-out throughput over its
/// built-out units (a pool grows by units like the ones it has). `None` without throughput.
fn throughput_per_unit(s: &Scenario, pool: &str) -> Option<f64> {
    let p = s.pools.get(pool)?;
    let units = |t: Option<u64>, h: Option<u64>| match p.kind {
        PoolKind::RemoteDesktop => h.unwrap_or(0),
        _ => t.unwrap_or(0),
    };
    let total_units = units(p.tunnels, p.hosts)
        + p.expansions
            .iter()
            .map(|e| units(e.tunnels, e.hosts))
            .sum::<u64>();
    let total_bps = p.throughput.map_or(0.0, |b| b.bps())
        + p.expansions
            .iter()
            .filter_map(|e| e.throughput.map(|b| b.bps()))
            .sum::<f64>();
    (p.throughput.is_some() && total_units > 0).then(|| total_bps / total_units as f64)
}

/// The resource's value on `date` without new orders: stock plus deliveries planned by then,
/// the rate in force, the pool's units or licences.
pub fn have(s: &Scenario, r: &Resource, date: Date) -> u64 {
    let raised = |field: &str, base: u64| {
        base + s
            .increases
            .iter()
            .filter(|i| i.field == field && i.date <= date)
            .map(|i| i.add)
            .sum::<u64>()
    };
    let stock = |sup: Option<&crate::scenario::Supply>| {
        sup.map_or(0, |n| {
            n.stock
                + n.deliveries
                    .iter()
                    .filter(|d| d.date <= date)
                    .map(|d| d.quantity)
                    .sum::<u64>()
        })
    };
    let key = r.key(s);
    match r {
        Resource::NotebookStock => stock(s.devices.notebooks.as_ref()),
        Resource::TokenStock => stock(s.tokens.hardware.as_ref()),
        Resource::NotebookHandout => raised(
            &key,
            s.devices
                .notebooks
                .as_ref()
                .map_or(0, |n| n.handout_per_day),
        ),
        Resource::TokenHandout => raised(
            &key,
            s.tokens.hardware.as_ref().map_or(0, |n| n.handout_per_day),
        ),
        Resource::SoftwareLicences => {
            raised(&key, s.tokens.software.as_ref().map_or(0, |t| t.licences))
        }
        Resource::SoftwareActivations => raised(
            &key,
            s.tokens
                .software
                .as_ref()
                .map_or(0, |t| t.activations_per_day),
        ),
        Resource::Onboarding => raised(&key, s.onboarding.as_ref().map_or(0, |o| o.per_day)),
        Resource::AuthRate => raised(
            &key,
            s.auth
                .as_ref()
                .map_or(0, |a| a.rate.per_minute().round() as u64),
        ),
        Resource::PoolUnits(p) => s.pools.get(p).map_or(0, |p| {
            let rd = p.kind == PoolKind::RemoteDesktop;
            let pick = |t: Option<u64>, h: Option<u64>| if rd { h } else { t }.unwrap_or(0);
            pick(p.tunnels, p.hosts)
                + p.expansions
                    .iter()
                    .filter(|e| e.date <= date)
                    .map(|e| pick(e.tunnels, e.hosts))
                    .sum::<u64>()
        }),
        Resource::PoolLicences(p) => s.pools.get(p).map_or(0, |p| {
            p.licences.unwrap_or(0)
                + p.expansions
                    .iter()
                    .filter(|e| e.date <= date)
                    .filter_map(|e| e.licences)
                    .sum::<u64>()
        }),
    }
}

/// Whether the scenario uses the resource at all: some path needs it, or it limits something
/// the service level judges.
pub fn used(s: &Scenario, r: &Resource) -> bool {
    let path_needs = |f: &dyn Fn(&crate::scenario::AccessPath) -> bool| {
        s.staff
            .values()
            .flat_map(|g| &g.access)
            .filter_map(|a| s.paths.get(&a.path))
            .any(f)
    };
    let tok = |k: &[TokenKind]| path_needs(&|p| k.contains(&p.token));
    match r {
        Resource::NotebookStock | Resource::NotebookHandout => {
            s.devices.notebooks.is_some()
                && path_needs(&|p| p.device == crate::scenario::DeviceKind::Managed)
        }
        Resource::TokenStock | Resource::TokenHandout => {
            s.tokens.hardware.is_some() && tok(&[TokenKind::Hardware, TokenKind::Any])
        }
        Resource::SoftwareLicences | Resource::SoftwareActivations => {
            s.tokens.software.is_some() && tok(&[TokenKind::Software, TokenKind::Any])
        }
        Resource::Onboarding => s.onboarding.is_some(),
        Resource::AuthRate => s.auth.is_some(),
        Resource::PoolUnits(p) => path_needs(&|x| &x.pool == p),
        Resource::PoolLicences(p) => {
            path_needs(&|x| &x.pool == p) && s.pools.get(p).is_some_and(|p| p.licences.is_some())
        }
    }
}

/// Whether the resource limits the rollout (who can be enabled) rather than sessions.
pub fn limits_rollout(s: &Scenario, r: &Resource) -> bool {
    match r {
        Resource::PoolLicences(p) => s
            .pools
            .get(p)
            .is_some_and(|p| p.licence_model == LicenceModel::Named),
        r => r.is_rollout(),
    }
}
