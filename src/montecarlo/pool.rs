//! The worker threads of a study: one rayon pool, built once, on which the economy is loaded
//! and every run of every variant is simulated.

use crate::Error;

/// Most worker threads accepted: a pool this large already oversubscribes any machine, and
/// far larger counts exhaust memory for stacks before any work is done.
pub const MAX_THREADS: usize = 1024;

/// Worker threads: a pool of a chosen size, or rayon's global pool (one thread per core).
#[derive(Debug)]
pub struct Pool(Option<rayon::ThreadPool>);

impl Pool {
    /// `threads` workers, or one per core with `None`.
    pub fn new(threads: Option<usize>) -> Result<Pool, Error> {
        match threads {
            None => Ok(Pool(None)),
            Some(n) if n == 0 || n > MAX_THREADS => Err(Error::Options(format!(
                "--threads {n}: expected 1 to {MAX_THREADS}"
            ))),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(|pool| Pool(Some(pool)))
                .map_err(|err| Error::Threads(err.to_string())),
        }
    }

    /// Run `work` on the pool's threads.
    pub fn install<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        match &self.0 {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }

    /// Number of worker threads.
    pub fn threads(&self) -> usize {
        self.install(rayon::current_num_threads)
    }
}
