//! The worker threads replications run on.

use std::sync::{Arc, Mutex};

use super::error::SimError;

/// Where replications run: a pool of its own, or, when the caller is already a task of a
/// rayon pool (a sweep running points in parallel), that pool, so nested parallelism shares
/// the cores instead of multiplying threads.
pub(super) enum Workers {
    Own(Arc<rayon::ThreadPool>),
    Current,
}

/// Pools kept for later runs, by their number of threads (0: rayon's default). A run of a
/// small model takes the pool of its thread count that an earlier run in this process built:
/// its threads keep their workday buffers (see `workday::Buffers`), so the points of a sizing
/// search, or repeated calls of the library, do not allocate them, and fault their pages in,
/// again each time (that was a quarter of a 100-replication login-storm run).
static POOLS: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(Vec::new());

/// Most bytes of workday buffers a thread of a kept pool may be left holding: a run whose
/// staff could need more gets a pool of its own, whose threads end with the run and free
/// their buffers, so a large run's memory is not held after it (nor counted twice against
/// `--max-memory` by a later run on other threads).
pub(super) const KEPT_BUFFER_BYTES: u64 = 16 << 20;

impl Workers {
    /// Workers for a run on `threads` threads; `keep`: the run's buffers are small (at most
    /// [`KEPT_BUFFER_BYTES`] a thread), so its pool may be kept for later runs.
    pub(super) fn new(threads: Option<usize>, keep: bool) -> Result<Workers, SimError> {
        if rayon::current_thread_index().is_some() {
            return Ok(Workers::Current);
        }
        let wanted = threads.map_or(0, |t| t.max(1));
        let build = || {
            let mut b = rayon::ThreadPoolBuilder::new();
            if wanted > 0 {
                b = b.num_threads(wanted);
            }
            b.build().map(Arc::new).map_err(|e| SimError::Threads {
                threads: threads.unwrap_or(0),
                reason: e.to_string(),
            })
        };
        if !keep {
            return build().map(Workers::Own);
        }
        // A poisoned lock only means another run panicked while holding it; the list is
        // still whole (it is only pushed to).
        let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, pool)) = pools.iter().find(|(t, _)| *t == wanted) {
            return Ok(Workers::Own(Arc::clone(pool)));
        }
        let pool = build()?;
        pools.push((wanted, Arc::clone(&pool)));
        Ok(Workers::Own(pool))
    }

    pub(super) fn threads(&self) -> usize {
        match self {
            Workers::Own(pool) => pool.current_num_threads(),
            Workers::Current => rayon::current_num_threads(),
        }
    }

    pub(super) fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match self {
            Workers::Own(pool) => pool.install(f),
            Workers::Current => f(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(w: &Workers) -> &Arc<rayon::ThreadPool> {
        match w {
            Workers::Own(p) => p,
            Workers::Current => panic!("called from outside any pool"),
        }
    }

    /// Runs of small models share the pool of their thread count; a large model's run gets
    /// one of its own (freed with it), and so does another thread count.
    #[test]
    fn small_runs_share_a_pool_and_large_ones_do_not() {
        let a = Workers::new(Some(3), true).expect("a pool");
        let b = Workers::new(Some(3), true).expect("a pool");
        assert!(Arc::ptr_eq(pool(&a), pool(&b)));
        assert_eq!(a.threads(), 3);
        let large = Workers::new(Some(3), false).expect("a pool");
        assert!(!Arc::ptr_eq(pool(&a), pool(&large)));
        let other = Workers::new(Some(4), true).expect("a pool");
        assert!(!Arc::ptr_eq(pool(&a), pool(&other)));
        assert_eq!(other.threads(), 4);
        // Inside a pool's task, the run shares that pool's threads.
        assert!(pool(&a).install(|| matches!(Workers::new(Some(2), true), Ok(Workers::Current))));
    }
}
