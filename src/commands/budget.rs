//! Cost before work: every simulating command estimates its run first
//! ([`rapt::sim::estimate`]), warns on stderr when it is large, lowers the thread count when
//! memory rather than cores binds, and refuses a run that would not fit in memory.

use std::io::Write;

use rapt::sim::{CostEstimate, Model, SimOptions};

use crate::Exit;
pub use crate::cli::MemoryLimit;

/// A run estimated above this many bytes gets a warning on stderr.
pub const WARN_BYTES: u64 = 1 << 30;

/// A run estimated above this many remote-worker-days (over all replications) gets a warning
/// on stderr: about ten CPU-minutes at the rate measured on a 2-core reference machine.
pub const WARN_WORK: u128 = 10_000_000_000;

/// Share of the machine's memory a run may take by default.
const DEFAULT_SHARE: f64 = 0.8;

/// The limit in bytes and where it comes from, or `None` for no limit.
fn resolve(limit: MemoryLimit) -> Option<(u64, String)> {
    {
        match limit {
            MemoryLimit::Given(b) => Some((b, "--max-memory".to_string())),
            MemoryLimit::Unlimited => None,
            MemoryLimit::Machine => machine_memory().map(|m| {
                (
                    (m as f64 * DEFAULT_SHARE) as u64,
                    format!(
                        "{:.0}% of this machine's {}; --max-memory changes it",
                        DEFAULT_SHARE * 100.0,
                        bytes(m)
                    ),
                )
            }),
        }
    }
}

/// Physical memory, or the control group's memory limit if lower (Linux); `None` elsewhere.
fn machine_memory() -> Option<u64> {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .map(|kib| kib * 1024)
        })?;
    let cgroup = [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .filter_map(|p| std::fs::read_to_string(p).ok())
    .filter_map(|v| v.trim().parse::<u64>().ok())
    .min();
    Some(cgroup.map_or(total, |c| c.min(total)))
}

/// What to do before a run: the limit, whether only to print the estimate.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// The memory limit.
    pub limit: MemoryLimit,
    /// `--estimate`: print the estimate and run nothing.
    pub estimate_only: bool,
    /// `--quiet`: no warning (a refusal is still printed).
    pub quiet: bool,
}

impl Budget {
    /// The budget the run arguments ask for (`--max-memory`, `--estimate`).
    pub fn of(run: &crate::cli::RunArgs, quiet: bool) -> Budget {
        Budget {
            limit: run.max_memory.unwrap_or(MemoryLimit::Machine),
            estimate_only: run.estimate,
            quiet,
        }
    }

    /// Estimates the run of `model` and decides: `Ok(opts)` to run with (the thread count
    /// lowered if memory binds), or `Err(exit)` when only the estimate was asked for
    /// (success) or the run was refused (failure). `concurrent` runs of this size share the
    /// memory (a sweep's points in parallel).
    pub fn admit(
        &self,
        label: &str,
        model: &Model,
        opts: &SimOptions,
        concurrent: usize,
    ) -> Result<SimOptions, Exit> {
        let mut cost = rapt::sim::estimate(model, opts);
        let concurrent = concurrent.max(1) as u64;
        cost.shared_bytes = cost.shared_bytes.saturating_mul(concurrent);
        let limit = resolve(self.limit);
        if self.estimate_only {
            print_estimate(label, &cost, limit.as_ref(), concurrent);
            return Err(Exit::Success);
        }
        match decide(&cost, limit.as_ref().map(|(l, _)| *l)) {
            Decision::Refuse => {
                let (l, why) = limit.unwrap_or_default();
                eprintln!(
                    "error: {label}: this run needs about {} of memory ({}), more than the limit of {} ({why}); nothing was simulated.\n  \
                     To reduce it: fewer replications (-n), a shorter run.horizon, \
                     `run.login_simulation: peak_day`, fewer pools; or raise the limit with --max-memory.",
                    bytes(cost.bytes_with(1)),
                    breakdown(&cost, 1),
                    bytes(l),
                );
                Err(Exit::Failure)
            }
            Decision::Lower(t) => {
                if !self.quiet {
                    eprintln!(
                        "note: {label}: memory, not cores, bounds this run: {} of {} \
                         ({} estimated; results are the same for any thread count)",
                        t,
                        threads(cost.threads),
                        bytes(cost.bytes_with(t))
                    );
                }
                Ok(SimOptions {
                    threads: Some(t),
                    ..opts.clone()
                })
            }
            Decision::Warn if !self.quiet => {
                eprintln!(
                    "warning: {label}: a large run: about {} of memory ({}) and {} \
                     remote-worker-days to simulate; `--estimate` shows the figures",
                    bytes(cost.bytes()),
                    breakdown(&cost, cost.threads),
                    count(cost.work()),
                );
                Ok(opts.clone())
            }
            Decision::Warn | Decision::Run => Ok(opts.clone()),
        }
    }
}

/// What to do with a run of this cost under this limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decision {
    /// Run as asked.
    Run,
    /// Run as asked, with a warning: above [`WARN_BYTES`] or [`WARN_WORK`].
    Warn,
    /// Run on this many threads: more would not fit in the limit.
    Lower(usize),
    /// Do not run: one thread does not fit in the limit.
    Refuse,
}

fn decide(cost: &CostEstimate, limit: Option<u64>) -> Decision {
    match limit.map(|l| cost.threads_within(l)) {
        Some(None) => Decision::Refuse,
        Some(Some(t)) if t < cost.threads => Decision::Lower(t),
        _ if cost.bytes() > WARN_BYTES || cost.work() > WARN_WORK => Decision::Warn,
        _ => Decision::Run,
    }
}

/// "1 thread", "4 threads".
fn threads(n: usize) -> String {
    if n == 1 {
        "1 thread".to_string()
    } else {
        format!("{n} threads")
    }
}

fn breakdown(cost: &CostEstimate, threads: usize) -> String {
    format!(
        "{} shared + {threads} × {} per thread",
        bytes(cost.shared_bytes),
        bytes(cost.per_thread_bytes)
    )
}

fn print_estimate(
    label: &str,
    cost: &CostEstimate,
    limit: Option<&(u64, String)>,
    concurrent: u64,
) {
    let mut out = super::stdout();
    let limit_text = match limit {
        Some((l, why)) => format!("{} ({why})", bytes(*l)),
        None => "none".to_string(),
    };
    let fit = match decide(cost, limit.map(|(l, _)| *l)) {
        Decision::Refuse => "refused: more than the limit even on one thread".to_string(),
        Decision::Lower(t) => format!("runs on {t} of {}", threads(cost.threads)),
        Decision::Warn => format!(
            "runs on {}, with a warning (a large run)",
            threads(cost.threads)
        ),
        Decision::Run => format!("runs on {}", threads(cost.threads)),
    };
    let concurrent_text = if concurrent > 1 {
        format!(" ({concurrent} runs at once)")
    } else {
        String::new()
    };
    // A closed stdout is not an error worth more than the exit code.
    let _ = writeln!(
        out,
        "cost estimate for {label}{concurrent_text} (before any work)\n\
         replications:        {}\n\
         simulated workdays:  {} per replication\n\
         remote-worker-days:  {} per replication, {} in all\n\
         memory:              {} ({}; {} bytes)\n\
         memory limit:        {limit_text}\n\
         verdict:             {fit}",
        cost.replications,
        cost.simulated_days,
        count(u128::from(cost.remote_worker_days)),
        count(cost.work()),
        bytes(cost.bytes()),
        breakdown(cost, cost.threads),
        cost.bytes(),
    );
    let _ = out.flush();
}

/// With `RAPT_PEAK_MEMORY=1` in the environment, prints the process's peak resident memory on
/// stderr at exit (Linux), to hold against `--estimate`.
pub fn report_peak_memory() {
    if std::env::var_os("RAPT_PEAK_MEMORY").is_none_or(|v| v != "1") {
        return;
    }
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
    match peak {
        Some(kib) => eprintln!("peak memory: {} ({} bytes)", bytes(kib * 1024), kib * 1024),
        None => eprintln!("peak memory: unknown on this system"),
    }
}

/// Bytes in binary units (`1.5 GiB`).
fn bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{b} bytes")
    } else {
        format!("{v:.1} {}", UNITS[i])
    }
}

/// A count with thousands separators up to 10^12, then in scientific notation.
fn count(n: u128) -> String {
    if n >= 1_000_000_000_000 {
        return format!("{:.2e}", n as f64);
    }
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_decimal_and_binary_units() {
        assert_eq!(MemoryLimit::parse("8GiB"), Ok(MemoryLimit::Given(8 << 30)));
        assert_eq!(
            MemoryLimit::parse("500MB"),
            Ok(MemoryLimit::Given(500_000_000))
        );
        assert_eq!(
            MemoryLimit::parse("1.5 GB"),
            Ok(MemoryLimit::Given(1_500_000_000))
        );
        assert_eq!(MemoryLimit::parse("4096"), Ok(MemoryLimit::Given(4096)));
        assert_eq!(MemoryLimit::parse("unlimited"), Ok(MemoryLimit::Unlimited));
        for bad in ["", "GB", "-1GB", "0", "8 parsecs", "1e400"] {
            assert!(MemoryLimit::parse(bad).is_err(), "{bad}");
        }
    }

    fn cost(shared: u64, per_thread: u64, threads: usize, work: u64) -> CostEstimate {
        CostEstimate {
            replications: 1,
            simulated_days: 1,
            remote_worker_days: work,
            remote_workers_max: 0,
            threads,
            shared_bytes: shared,
            per_thread_bytes: per_thread,
        }
    }

    #[test]
    fn runs_warns_lowers_threads_or_refuses() {
        const MIB: u64 = 1 << 20;
        let small = cost(20 * MIB, 2 * MIB, 4, 1000);
        assert_eq!(decide(&small, Some(1 << 30)), Decision::Run);
        assert_eq!(decide(&small, None), Decision::Run);
        // Above the warning threshold in memory or in work, below the limit.
        let big = cost(WARN_BYTES, MIB, 2, 1000);
        assert_eq!(decide(&big, Some(8 << 30)), Decision::Warn);
        let long = cost(MIB, MIB, 2, (WARN_WORK + 1) as u64);
        assert_eq!(decide(&long, None), Decision::Warn);
        // 100 MiB shared + 4 × 100 MiB: 300 MiB leave room for 2 threads.
        let wide = cost(100 * MIB, 100 * MIB, 4, 1000);
        assert_eq!(decide(&wide, Some(300 * MIB)), Decision::Lower(2));
        assert_eq!(decide(&wide, Some(500 * MIB)), Decision::Run);
        assert_eq!(decide(&wide, Some(199 * MIB)), Decision::Refuse);
        assert_eq!(decide(&wide, None), Decision::Run);
    }

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(bytes(512), "512 bytes");
        assert_eq!(bytes(3 << 29), "1.5 GiB");
        assert_eq!(count(36_123_456), "36,123,456");
        assert_eq!(count(999), "999");
        assert_eq!(count(2_500_000_000_000), "2.50e12");
    }
}
