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

/// Pools built so far, by their number of threads. A run takes the pool of its thread count
/// that earlier runs in this process built: its threads keep their workday buffers (see
/// `workday::Buffers`), so the points of a sizing search, or repeated calls of the library,
/// do not allocate them, and fault their pages in, again each time.
static POOLS: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(Vec::new());

impl Workers {
    pub(super) fn new(threads: Option<usize>) -> Result<Workers, SimError> {
        if rayon::current_thread_index().is_some() {
            return Ok(Workers::Current);
        }
        let wanted = threads.map_or(0, |t| t.max(1));
        // A poisoned lock only means another run panicked while holding it; the list is
        // still whole (it is only pushed to).
        let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, pool)) = pools.iter().find(|(t, _)| *t == wanted) {
            return Ok(Workers::Own(Arc::clone(pool)));
        }
        let mut b = rayon::ThreadPoolBuilder::new();
        if wanted > 0 {
            b = b.num_threads(wanted);
        }
        let pool = Arc::new(b.build().map_err(|e| SimError::Threads {
            threads: threads.unwrap_or(0),
            reason: e.to_string(),
        })?);
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
