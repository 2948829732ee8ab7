//! Interruption: SIGINT (Ctrl-C) and SIGTERM set a flag, and the work in progress checks it at
//! safe points (between days of a run, before each file written, before an output folder is
//! moved into place) and returns an error. The output folder under construction is then
//! removed once, by its owner, on the thread that was writing it, and the binary exits with
//! `128 + signal` (130 or 143) and a one-line message. A second signal while this happens
//! ends the process at once.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The signal received, 0 for none.
static SIGNAL: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Work stopped by a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted by {}: nothing was written", name(*.0))]
pub struct Interrupted(pub i32);

/// `SIGINT`, `SIGTERM` or `a signal`.
pub fn signal_name(signal: i32) -> &'static str {
    name(signal)
}

fn name(signal: i32) -> &'static str {
    match signal {
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    }
}

/// Watch SIGINT and SIGTERM (call once, from the binary). Without it, nothing is ever
/// interrupted.
pub fn watch() -> std::io::Result<()> {
    let flag = SIGNAL.get_or_init(|| Arc::new(AtomicUsize::new(0))).clone();
    let received = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    let signals = [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM];
    #[cfg(not(unix))]
    let signals = [signal_hook::consts::SIGINT];
    for signal in signals {
        // a second signal while the first is being handled ends the process at once
        signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, received.clone())?;
        signal_hook::flag::register(signal, received.clone())?;
        signal_hook::flag::register_usize(signal, flag.clone(), signal as usize)?;
    }
    Ok(())
}

/// The signal received, if any.
pub fn requested() -> Option<i32> {
    let signal = SIGNAL.get()?.load(Ordering::Relaxed);
    (signal != 0).then_some(signal as i32)
}

/// `Err` once a signal has been received.
pub fn check() -> Result<(), Interrupted> {
    requested().map_or(Ok(()), |signal| Err(Interrupted(signal)))
}
