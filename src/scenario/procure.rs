//! What can be ordered and what has been: the resources a plan may change, their procurement
//! facts, and dated increases of rates.
//!
//! Every orderable resource is named by the field path it changes, so a procurement entry, a
//! dated increase and a plan's order line all use the same words:
//!
//! | key | what one unit is | how an order arrives |
//! |---|---|---|
//! | `devices.notebooks.stock` | a notebook | a delivery |
//! | `devices.notebooks.handout_per_day` | one more notebook prepared per workday | an increase |
//! | `tokens.hardware.stock` | a hardware token | a delivery |
//! | `tokens.hardware.handout_per_day` | one more token handed out per workday | an increase |
//! | `tokens.software.licences` | a software-token licence | an increase |
//! | `tokens.software.activations_per_day` | one more activation per workday | an increase |
//! | `onboarding.per_day` | one more member of staff enabled per workday | an increase |
//! | `auth.rate` | one more login verified per minute | an increase |
//! | `pools.NAME.tunnels` / `pools.NAME.hosts` | a tunnel or line / a host | an expansion |
//! | `pools.NAME.licences` | a pool licence | an expansion |

use serde::Serialize;

use super::types::{PoolKind, Scenario};

/// A resource a plan can order, named by the field it changes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    /// Notebooks in stock (an order is a delivery).
    NotebookStock,
    /// Notebooks prepared and handed out per workday.
    NotebookHandout,
    /// Hardware tokens in stock (an order is a delivery).
    TokenStock,
    /// Hardware tokens handed out per workday.
    TokenHandout,
    /// Software-token licences.
    SoftwareLicences,
    /// Software-token activations per workday.
    SoftwareActivations,
    /// Staff IT can enable per workday.
    Onboarding,
    /// Logins the authentication service verifies per minute.
    AuthRate,
    /// Tunnels, lines or hosts of the named pool.
    PoolUnits(String),
    /// Licences of the named pool.
    PoolLicences(String),
}

/// The fields a dated increase may raise.
pub const INCREASABLE: [&str; 6] = [
    "devices.notebooks.handout_per_day",
    "tokens.hardware.handout_per_day",
    "tokens.software.licences",
    "tokens.software.activations_per_day",
    "onboarding.per_day",
    "auth.rate",
];

impl Resource {
    /// The field path naming the resource in `scenario`.
    pub fn key(&self, scenario: &Scenario) -> String {
        match self {
            Resource::NotebookStock => "devices.notebooks.stock".into(),
            Resource::NotebookHandout => "devices.notebooks.handout_per_day".into(),
            Resource::TokenStock => "tokens.hardware.stock".into(),
            Resource::TokenHandout => "tokens.hardware.handout_per_day".into(),
            Resource::SoftwareLicences => "tokens.software.licences".into(),
            Resource::SoftwareActivations => "tokens.software.activations_per_day".into(),
            Resource::Onboarding => "onboarding.per_day".into(),
            Resource::AuthRate => "auth.rate".into(),
            Resource::PoolUnits(p) => {
                let unit = match scenario.pools.get(p).map(|p| p.kind) {
                    Some(PoolKind::RemoteDesktop) => "hosts",
                    _ => "tunnels",
                };
                format!("pools.{p}.{unit}")
            }
            Resource::PoolLicences(p) => format!("pools.{p}.licences"),
        }
    }

    /// The resource a field path names in `scenario`, or what was expected.
    pub fn parse(key: &str, scenario: &Scenario) -> Result<Resource, String> {
        let fixed = match key {
            "devices.notebooks.stock" => Some(Resource::NotebookStock),
            "devices.notebooks.handout_per_day" => Some(Resource::NotebookHandout),
            "tokens.hardware.stock" => Some(Resource::TokenStock),
            "tokens.hardware.handout_per_day" => Some(Resource::TokenHandout),
            "tokens.software.licences" => Some(Resource::SoftwareLicences),
            "tokens.software.activations_per_day" => Some(Resource::SoftwareActivations),
            "onboarding.per_day" => Some(Resource::Onboarding),
            "auth.rate" => Some(Resource::AuthRate),
            _ => None,
        };
        if let Some(r) = fixed {
            return Ok(r);
        }
        let pool_field = key
            .strip_prefix("pools.")
            .and_then(|rest| rest.rsplit_once('.'));
        if let Some((pool, field)) = pool_field {
            let Some(p) = scenario.pools.get(pool) else {
                return Err(format!("no pool named `{pool}`"));
            };
            let unit = if p.kind == PoolKind::RemoteDesktop {
                "hosts"
            } else {
                "tunnels"
            };
            return match field {
                "licences" => Ok(Resource::PoolLicences(pool.into())),
                f if f == unit => Ok(Resource::PoolUnits(pool.into())),
                _ => Err(format!(
                    "pool `{pool}` is ordered by `{unit}` or `licences`"
                )),
            };
        }
        Err("not an orderable resource".into())
    }

    /// What one unit of the resource is, for people.
    pub fn unit(&self, scenario: &Scenario) -> &'static str {
        match self {
            Resource::NotebookStock => "notebooks",
            Resource::NotebookHandout => "notebooks per workday",
            Resource::TokenStock => "tokens",
            Resource::TokenHandout => "tokens per workday",
            Resource::SoftwareLicences | Resource::PoolLicences(_) => "licences",
            Resource::SoftwareActivations => "activations per workday",
            Resource::Onboarding => "staff per workday",
            Resource::AuthRate => "logins per minute",
            Resource::PoolUnits(p) => match scenario.pools.get(p).map(|p| p.kind) {
                Some(PoolKind::RemoteDesktop) => "hosts",
                Some(PoolKind::DialIn) => "lines",
                _ => "tunnels",
            },
        }
    }

    /// Whether the resource changes who can be enabled (rather than how sessions fare).
    pub fn is_rollout(&self) -> bool {
        !matches!(
            self,
            Resource::AuthRate | Resource::PoolUnits(_) | Resource::PoolLicences(_)
        )
    }

    /// Whether an order of it is a delivery to a stock (which may carry a delay).
    pub fn is_stock(&self) -> bool {
        matches!(self, Resource::NotebookStock | Resource::TokenStock)
    }
}

/// Every orderable key, for messages.
pub const ORDERABLE: &str = "devices.notebooks.stock, devices.notebooks.handout_per_day, tokens.hardware.stock, tokens.hardware.handout_per_day, tokens.software.licences, tokens.software.activations_per_day, onboarding.per_day, auth.rate, pools.NAME.tunnels (or .hosts for a remote-desktop pool), pools.NAME.licences";
