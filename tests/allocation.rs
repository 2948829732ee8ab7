//! The daily step allocates nothing (docs/model.md / developers' guide: flat arrays, no per-day
//! allocation), counted by a global allocator that tallies the current thread's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use crate::common::{self, repo};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(|n| n.get())
}

/// Allocations made by `days` steps after a warm-up of 3 days (scratch rows reach their size).
fn allocations_while_stepping(scenario: &str, days: usize) -> u64 {
    let model = common::model(&repo(scenario));
    assert!(!model.has_policies(), "{scenario}: expected no policies");
    let study = common::study(&model, &common::build(&model));
    let mut simulation = study.simulation(0, 0);
    for _ in 0..3 {
        simulation.step();
    }
    let before = allocations();
    for _ in 0..days {
        simulation.step();
    }
    allocations() - before
}

#[test]
fn the_counter_counts() {
    let before = allocations();
    let v: Vec<u64> = std::hint::black_box(vec![1, 2, 3]);
    assert!(allocations() > before, "{v:?}");
}

#[test]
fn stepping_allocates_nothing() {
    // BoARIO rules with dense rows and implicit orders; Clean with link blocks and stored
    // orders; a sparse synthetic firm network
    for (scenario, days) in [
        ("scenarios/boario-reference-b.ron", 200),
        ("tests/fixtures/boario/h_noalt.ron", 200),
        ("scenarios/test-mrio-crises.ron", 200),
        ("scenarios/synthetic-small.ron", 60),
    ] {
        assert_eq!(allocations_while_stepping(scenario, days), 0, "{scenario}");
    }
}
