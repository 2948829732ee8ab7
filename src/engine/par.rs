//! Within-run parallelism: the firms split into contiguous blocks that rayon steps in parallel.
//!
//! Every phase of the daily step computes each firm's (input's, link's) new value from values
//! of the previous phase only, in a fixed order of its own. A block of firms `f0..f1` owns the
//! contiguous ranges of their inputs (`firm_inputs[f0]..firm_inputs[f1]`) and links
//! (`input_links[..]`), so blocks write disjoint ranges and the result of every element is the
//! same whichever thread computes it and however the firms are split: outputs are identical to
//! the serial step for any thread count. Small economies run as one block on the calling
//! thread, without rayon.

use std::ops::Range;

use rayon::prelude::*;

use crate::economy::Economy;

/// Below this much work (links + inputs + firms) a run steps on one thread: rayon's task
/// overhead (microseconds per phase) would cost more than it saves.
pub const PARALLEL_MIN_WORK: usize = 200_000;

/// Blocks per thread, so that uneven blocks balance out by work stealing.
pub(super) const BLOCKS_PER_THREAD: usize = 4;

/// A partition of the firms into contiguous blocks of about equal work.
#[derive(Debug, Clone)]
pub struct Blocks {
    ranges: Vec<Range<usize>>,
    parallel: bool,
}

impl Blocks {
    /// Blocks for `economy` on the current rayon pool (one block when it is small or the pool
    /// has one thread).
    pub fn new(economy: &Economy) -> Blocks {
        let total: usize = (0..economy.n_firms()).map(|f| work(economy, f)).sum();
        let threads = rayon::current_num_threads();
        if threads < 2 || total < PARALLEL_MIN_WORK {
            return Blocks::split(economy, 1);
        }
        Blocks::split(economy, threads * BLOCKS_PER_THREAD)
    }

    /// About `count` blocks of about equal work (fewer when there are fewer firms), stepped
    /// in parallel when there are several.
    pub fn split(economy: &Economy, count: usize) -> Blocks {
        let n = economy.n_firms();
        let total: usize = (0..n).map(|f| work(economy, f)).sum();
        let count = count.clamp(1, n.max(1));
        let per_block = total.div_ceil(count);
        let mut ranges = Vec::with_capacity(count);
        let (mut start, mut acc) = (0, 0);
        for f in 0..n {
            acc += work(economy, f);
            if acc >= per_block {
                ranges.push(start..f + 1);
                start = f + 1;
                acc = 0;
            }
        }
        if start < n || ranges.is_empty() {
            ranges.push(start..n);
        }
        Blocks {
            parallel: ranges.len() > 1,
            ranges,
        }
    }

    /// Whether the blocks step in parallel.
    pub fn is_parallel(&self) -> bool {
        self.parallel
    }

    /// Number of blocks.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Run `body(block, firms)` on every block, in parallel when the blocks are parallel.
    pub fn run<F>(&self, body: F)
    where
        F: Fn(usize, Range<usize>) + Sync + Send,
    {
        if self.parallel {
            self.ranges
                .par_iter()
                .enumerate()
                .for_each(|(b, r)| body(b, r.clone()));
        } else {
            for (b, r) in self.ranges.iter().enumerate() {
                body(b, r.clone());
            }
        }
    }

    /// Whether `test(block, firms)` holds on every block; every block is evaluated (bodies
    /// may write).
    pub fn all<F>(&self, test: F) -> bool
    where
        F: Fn(usize, Range<usize>) -> bool + Sync + Send,
    {
        if self.parallel {
            self.ranges
                .par_iter()
                .enumerate()
                .map(|(b, r)| test(b, r.clone()))
                .reduce(|| true, |a, b| a && b)
        } else {
            let mut all = true;
            for (b, r) in self.ranges.iter().enumerate() {
                all &= test(b, r.clone());
            }
            all
        }
    }
}

/// Work of firm `f` in a day: roughly its inputs, links bought over and links sold over.
fn work(e: &Economy, f: usize) -> usize {
    let inputs = e.firm_inputs[f] as usize..e.firm_inputs[f + 1] as usize;
    let links = e.input_links[inputs.end] as usize - e.input_links[inputs.start] as usize;
    let sales = e.firm_sales[f + 1] as usize - e.firm_sales[f] as usize;
    1 + inputs.len() + links + sales
}

/// A mutable slice that blocks write in disjoint ranges from several threads.
pub struct Disjoint<T> {
    ptr: *mut T,
    len: usize,
}

impl<T> Clone for Disjoint<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Disjoint<T> {}

// SAFETY: a `Disjoint` only hands out `&mut` sub-slices through `range`, whose callers
// guarantee the ranges in use at the same time do not overlap (each block owns its firms',
// inputs' and links' ranges); the elements are `Send`.
unsafe impl<T: Send> Send for Disjoint<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Disjoint<T> {}

impl<T> Disjoint<T> {
    /// Share `slice` for disjoint writes; the slice must not be used otherwise while this lives.
    pub fn new(slice: &mut [T]) -> Disjoint<T> {
        Disjoint {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
        }
    }

    /// The elements `range`.
    ///
    /// # Safety
    /// No other live slice from this `Disjoint` overlaps `range`, and the slice it was made
    /// from outlives the result.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn range<'a>(self, range: Range<usize>) -> &'a mut [T] {
        assert!(range.start <= range.end && range.end <= self.len);
        // SAFETY: in bounds (checked above); exclusive by the caller's contract.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(range.start), range.len()) }
    }
}

/// The input and link ranges of the firms `firms` (contiguous by construction of the CSR).
pub fn spans(e: &Economy, firms: &Range<usize>) -> (Range<usize>, Range<usize>) {
    let inputs = e.firm_inputs[firms.start] as usize..e.firm_inputs[firms.end] as usize;
    let links = e.input_links[inputs.start] as usize..e.input_links[inputs.end] as usize;
    (inputs, links)
}

/// How many links ahead random reads are prefetched.
pub const PREFETCH_AHEAD: usize = 12;

/// Hint the CPU to bring `slice[index]` into cache (no effect out of bounds or off x86-64).
/// Links point at random suppliers and buyers; on networks larger than the cache, waiting for
/// each of those reads in turn is most of a day's time.
#[inline(always)]
pub fn prefetch<T>(slice: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(item) = slice.get(index) {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: a prefetch never faults and reads nothing observable; the address is valid.
        #[allow(unused_unsafe)]
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>((item as *const T).cast::<i8>());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slice, index);
}
