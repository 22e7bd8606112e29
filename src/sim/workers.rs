//! The worker threads replications run on.

use super::error::SimError;

/// Where replications run: a pool of its own, or, when the caller is already a task of a
/// rayon pool (a sweep running points in parallel), that pool, so nested parallelism shares
/// the cores instead of multiplying threads.
pub(super) enum Workers {
    Own(rayon::ThreadPool),
    Current,
}

impl Workers {
    pub(super) fn new(threads: Option<usize>) -> Result<Workers, SimError> {
        if rayon::current_thread_index().is_some() {
            return Ok(Workers::Current);
        }
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(t) = threads {
            b = b.num_threads(t.max(1));
        }
        b.build().map(Workers::Own).map_err(|e| SimError::Threads {
            threads: threads.unwrap_or(0),
            reason: e.to_string(),
        })
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
