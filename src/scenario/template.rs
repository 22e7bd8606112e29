//! The starter scenario written by `rapt init`.

/// A commented starter scenario covering every section of the language.
pub const STARTER: &str = r#"# yaml-language-server: $schema=scenario.schema.json
# A starter scenario for rapt. Every figure below is a placeholder: replace it with your own,
# and list what you assumed under meta.assumptions. Check it with `rapt validate FILE`.

meta:
  name: My administration, spring lockdown
  organisation: Example City
  description: What happens if we send every suitable employee home on Monday?
  sources: []
  assumptions:
    - field: staff.office.login
      reason: Placeholder - office staff log in around 08:00 give or take 45 minutes.

run:
  start: 2020-03-16       # first simulated day (a Monday)
  horizon: 60d            # whole days
  seed: 1
  replications: 20
  workdays: [mon, tue, wed, thu, fri]
  interval: 5min          # resolution of the workday load curve

staff:
  office:                 # a staff group
    headcount: 2000
    remote_suitable: 80%  # share of the headcount whose tasks can be done from home
    login: { normal: { mean: "08:00", sd: 45min } }
    session: { lognormal: { median: 7h30m, sigma: 0.35 } }
    bandwidth: 250kbit/s  # per active session
    access:               # paths in order of preference
      - path: vpn-notebook
        enabled: 100      # already enabled on the first day
      - path: web-portal

devices:
  notebooks:
    stock: 200
    handout_per_day: 80
    deliveries:
      - { date: 2020-03-30, quantity: 500 }
  byod:
    allowed: true
    share_with_device: 70%

tokens:
  hardware: { stock: 300, handout_per_day: 100 }
  software: { available_from: 2020-03-23, licences: 2000, activations_per_day: 400 }

auth:
  rate: 600/min           # logins the authentication service verifies

onboarding:
  per_day: 300            # accounts and permissions IT can set up per workday

paths:
  vpn-notebook: { device: managed, token: any, pool: vpn }
  web-portal:   { device: byod, token: software, pool: rds }

pools:
  vpn:
    kind: vpn
    tunnels: 500
    throughput: 1Gbit/s
    licences: 500
    expansions:
      - { date: 2020-03-25, tunnels: 500, licences: 500 }
  rds:
    kind: remote_desktop
    hosts: 10
    sessions_per_host: 25
    expansions:
      - { date: 2020-03-30, hosts: 20 }

# Who is at home is a product of three shares, each of the one before:
#   headcount × remote_suitable × enable_target × remote_share = staff at home on a workday
#   2000      × 80%             × 100%          × 90%          = 1440 office staff
# so 60% suitable, 60% enabled and 60% remote send 22% of the staff home, not 60%.
# `rapt simulate` prints this chain per group ("Staff at home on …").
policy:
  lockdown:
    from: 2020-03-16
    remote_share: 90%     # of the ENABLED staff, on a given workday
    enable_target: 100%   # of the remote-SUITABLE staff, enabled during this phase

workday:
  retry: { max_retries: 3, backoff: { exponential: { mean: 5min } } }

service_level:
  max_blocking: 1%
  max_utilisation: 80%
  quantile: p95

observed: []
"#;
