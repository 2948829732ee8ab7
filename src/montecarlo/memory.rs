//! Memory: what a study will hold at its peak, estimated from the scenario's counts before
//! anything large is allocated, and what the machine can give it. A study that would not fit
//! is refused (exit 2) rather than aborted by the allocator halfway through.
//!
//! The estimate is the largest of three moments, plus a fixed overhead (program, thread
//! stacks, output buffers):
//! - **building**: the loaded MRIO table, the economy, and the builder's temporaries;
//! - **running**: the economy and every variant's own copy (backup units appended, another
//!   network or capital), one simulation and its daily records per thread, one summary per run
//!   of every variant, and the records of every run when they are all written (`--records`);
//! - **charting**: once the study is freed, the charts read back the daily bands (variants ×
//!   days × series) and the first run's records.
//!
//! The budget is the least of `MemAvailable` (`/proc/meminfo`), the room left under the
//! memory limit of the process's cgroup and its parents (v2 `memory.max`, v1
//! `memory.limit_in_bytes`; the page cache is not counted as used), and the room left under
//! the address-space limit (`ulimit -v`); or `--max-memory` when given, which
//! replaces them (for a machine whose swap or overcommit the user knows better).

use std::fmt::Write as _;
use std::path::Path;

use super::spill::SPILL_ABOVE;

/// A checkpoint piece of `hinterland run` holds at most this many bytes of daily series
/// (`commands::shards::compute_pieces`).
pub const PIECE_BYTES: u64 = 16 << 20;
use crate::Error;
use crate::economy::{MAX_COUNT, Size, Sizer};
use crate::engine::{batch_bytes, state_bytes};
use crate::kinds::RecordKind;
use crate::metrics::ensemble::NEEDED_RECORDS;
use crate::metrics::{records_bytes, summary_bytes};
use crate::model::{EconomyDef, Model};
use crate::policy::extended_size;

/// Bytes the program needs whatever the scenario: code, allocator, thread stacks in use, the
/// output being written and the charts being drawn (measured: 10 to 12 MiB for the smallest
/// scenarios, `docs/performance.md`).
const OVERHEAD: u64 = 12 << 20;

/// Bytes the chart reader holds per row of `daily.csv` (one row per variant, day and series;
/// `plot::ensemble`, measured on chip-embargo: 45 MB for 101,470 rows), and per value of the
/// first run's records (`plot::draw_all`).
const CHART_BYTES_PER_DAILY_ROW: u64 = 450;
const CHART_BYTES_PER_RECORD_VALUE: u64 = 40;

/// One part of the estimate: what it is (with the scenario fields that set it) and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// What holds the memory, and what sets its size.
    pub what: String,
    /// Bytes.
    pub bytes: u64,
}

/// The memory a study will hold at its peak.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// What is estimated: the largest variant's economy, runs, variants, days and threads.
    pub study: String,
    /// Bytes at the peak.
    pub total: u64,
    /// The parts of the peak, largest first.
    pub parts: Vec<Part>,
}

/// What the estimate needs besides the model: the runs and threads of this invocation, and
/// whether every run's records are kept.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Runs per variant.
    pub runs: u64,
    /// Worker threads.
    pub threads: u64,
    /// Runs stepped together by each thread (`--batch`).
    pub batch: u64,
    /// Keep the records of every run of "base" (`--records`, or one run).
    pub keep_records: bool,
    /// With `keep_records`: of every variant, not only "base" (`--variant-records`).
    pub variant_records: bool,
}

/// The bytes a study of `model` holds at its peak, with the economy's size from `sizer`.
pub fn estimate(model: &Model, sizer: &Sizer, plan: Plan) -> Estimate {
    let base = sizer.size(model.economy());
    let synthetic = matches!(model.economy(), EconomyDef::Synthetic(_));
    let sizing = match model.economy() {
        EconomyDef::Synthetic(_) => "`economy.firms` × `mean_suppliers`",
        EconomyDef::Mrio(_) => "the table × `firms_per_industry` × `suppliers_per_input`",
    };
    let days = model.days() as u64;
    let mut kinds: Vec<RecordKind> = model.records().to_vec();
    for kind in NEEDED_RECORDS {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    // the economy of every variant, the largest simulation and run records
    let (mut copies, mut copies_bytes) = (0u64, 0u64);
    let (mut state, mut records, mut kept) = (0u64, 0u64, 0u64);
    let (mut largest, mut largest_units) = (base, 0u64);
    // each thread steps a batch of runs of one variant at a time
    let lanes = plan.batch.clamp(1, plan.runs.max(1));
    let mut batch = 0u64;
    for (v, variant) in model.variants().iter().enumerate() {
        let own = variant.model();
        let regular = sizer.size(own.economy());
        let extended = extended_size(own, &regular);
        if extended != base || own.economy() != model.economy() {
            copies += 1;
            copies_bytes = copies_bytes.saturating_add(extended.bytes());
        }
        let link_shocks = own.shocks().iter().any(|s| s.kind.may_block_links());
        state = state.max(state_bytes(&extended, link_shocks, plan.threads));
        batch = batch.max(batch_bytes(&extended, link_shocks, plan.threads, lanes));
        let units = extended.firms - regular.firms;
        if extended.links > largest.links || extended.firms > largest.firms {
            (largest, largest_units) = (extended, units);
        }
        let reserves = own.reserves().len() as u64;
        records = records.max(records_bytes(&extended, &kinds, days, units, reserves));
        if plan.keep_records && (v == 0 || plan.variant_records) {
            kept += records_bytes(&extended, model.records(), days, units, reserves);
        }
    }
    let variants = model.variants().len() as u64;
    let batches = variants.saturating_mul(plan.runs.div_ceil(lanes));
    let busy = plan.threads.min(batches).max(1);
    let in_flight = busy.saturating_mul(lanes);
    let summaries = plan.runs.saturating_mul(variants);
    // the daily series but the national one go to a temporary file when large (`spill`)
    let series = 1 + base.regions + base.sectors + 2 + base.demand_regions + 1;
    let series_bytes = series.saturating_mul(days).saturating_mul(8);
    let spills = series_bytes.saturating_mul(summaries) > SPILL_ABOVE;
    let summary = if spills {
        summary_bytes(&base, days)
            .saturating_sub(series_bytes)
            .saturating_add(days.saturating_mul(8))
    } else {
        summary_bytes(&base, days)
    };

    let economy = Part {
        what: format!(
            "the economy: {} firms, {} links ({sizing})",
            base.firms, base.links
        ),
        bytes: base.bytes(),
    };
    let table = Part {
        what: format!(
            "the MRIO table: {} industries and {} final-demand columns",
            base.industries, base.final_demand_columns
        ),
        bytes: sizer.table_bytes(),
    };
    let building = Part {
        what: if synthetic {
            format!(
                "drawing the network: its links, and two `sectors` × `sectors` matrices \
                 ({} sectors)",
                base.sectors
            )
        } else {
            "disaggregating the table".to_string()
        },
        bytes: base.build_bytes(synthetic),
    };
    let variant_copies = Part {
        what: format!(
            "{} (with backup units `backup[].firms`, or their own network)",
            count(copies, "variant economy", "variant economies")
        ),
        bytes: copies_bytes,
    };
    let simulations = Part {
        what: format!(
            "{} at once ({} per thread, `--threads`, `--batch`) of the largest variant",
            count(in_flight, "simulation", "simulations"),
            lanes
        ),
        bytes: if lanes > 1 {
            batch.saturating_mul(busy)
        } else {
            state.saturating_mul(in_flight)
        },
    };
    let run_records = Part {
        what: format!(
            "the daily records of {} in flight ({days} `days` × industries, demand regions, \
             units)",
            count(in_flight, "run", "runs")
        ),
        bytes: records.saturating_mul(in_flight),
    };
    let run_summaries = Part {
        what: format!(
            "{} ({} × {} × {days} `days`){}",
            count(summaries, "run summary", "run summaries"),
            count(
                plan.runs,
                "run (`runs` or `--runs`)",
                "runs (`runs` or `--runs`)"
            ),
            count(variants, "variant", "variants"),
            if spills {
                "; their daily series but the national one in a temporary file"
            } else {
                ""
            }
        ),
        bytes: summary.saturating_mul(summaries),
    };
    // `run` checkpoints its runs in pieces of at most PIECE_BYTES of daily series: a piece's
    // series wait for the save, and are written out once as bytes (a copy); without the
    // temporary file they are the summaries' own, so only the copy counts
    let piece_runs = (PIECE_BYTES / series_bytes.max(1)).clamp(1, summaries.max(1));
    let piece_series = piece_runs.saturating_mul(series_bytes);
    let checkpoint_piece = Part {
        what: format!(
            "a checkpoint piece: the daily series of {}{}",
            count(piece_runs, "run", "runs"),
            if spills {
                ", held until saved, and their bytes"
            } else {
                ", their bytes"
            }
        ),
        bytes: if spills {
            piece_series.saturating_mul(2)
        } else {
            piece_series
        },
    };
    let kept_records = Part {
        what: format!(
            "the daily records of every run ({} × {days} `days`; `--records`)",
            count(plan.runs, "run", "runs")
        ),
        bytes: kept.saturating_mul(plan.runs),
    };
    // national, regions, sectors, backup output and activity, unmet demand, reserve stock,
    // national vs no policies
    let series = 1 + base.regions + base.sectors + 2 + base.demand_regions + 2;
    let charts = Part {
        what: format!(
            "drawing the charts: {} × {days} `days` × {series} daily series",
            count(variants, "variant", "variants")
        ),
        bytes: variants
            .saturating_mul(days)
            .saturating_mul(series)
            .saturating_mul(CHART_BYTES_PER_DAILY_ROW)
            .saturating_add(
                days.saturating_mul(base.industries)
                    .saturating_mul(CHART_BYTES_PER_RECORD_VALUE),
            ),
    };
    let overhead = Part {
        what: "the program, its threads and output buffers".to_string(),
        bytes: OVERHEAD,
    };
    let sum = |parts: &[&Part]| parts.iter().map(|p| p.bytes).fold(0, u64::saturating_add);
    let build_phase = [&table, &economy, &building];
    let run_phase = [
        &economy,
        &variant_copies,
        &simulations,
        &run_records,
        &run_summaries,
        &checkpoint_piece,
        &kept_records,
    ];
    // the study is freed before the charts are drawn from the files written
    let chart_phase = [&charts];
    let peak: &[&Part] = [&build_phase[..], &run_phase[..], &chart_phase[..]]
        .into_iter()
        .max_by_key(|phase| sum(phase))
        .unwrap_or(&chart_phase);
    let mut parts: Vec<Part> = peak
        .iter()
        .chain([&&overhead])
        .filter(|p| p.bytes > 0)
        .map(|&p| p.clone())
        .collect();
    parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
    let study = format!(
        "{} firms{} and {} links, {} × {}, {days} days, {}",
        largest.firms,
        if largest_units > 0 {
            format!(" ({largest_units} of them backup units, `backup[].firms`)")
        } else {
            String::new()
        },
        largest.links,
        count(plan.runs, "run", "runs"),
        count(variants, "variant", "variants"),
        count(plan.threads, "thread", "threads"),
    ) + &if lanes > 1 {
        format!(", batches of {lanes}")
    } else {
        String::new()
    };
    Estimate {
        study,
        total: sum(&parts.iter().collect::<Vec<_>>()),
        parts,
    }
}

/// The bytes a benchmark of one simulation holds at its peak: the economy of `size`, built
/// (with the builder's temporaries), then one simulation on `threads` threads, and the
/// program.
pub fn simulation_peak(size: &Size, synthetic: bool, threads: u64) -> u64 {
    let economy = size.bytes();
    let building = size.build_bytes(synthetic);
    let simulation = state_bytes(size, false, threads);
    OVERHEAD
        .saturating_add(economy)
        .saturating_add(building.max(simulation))
}

/// The memory a study may use, and where that figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Bytes.
    pub bytes: u64,
    /// Where the figure comes from, for messages (`MemAvailable in /proc/meminfo`, …).
    pub source: String,
}

impl Budget {
    /// `--max-memory` when given, else what this machine has now (`None` where it cannot be
    /// read: the study is then not checked).
    pub fn new(max_memory: Option<u64>) -> Option<Budget> {
        if let Some(bytes) = max_memory {
            return Some(Budget {
                bytes,
                source: "--max-memory".into(),
            });
        }
        [available(), cgroup_room(), address_space_room()]
            .into_iter()
            .flatten()
            .min_by_key(|b| b.bytes)
    }
}

/// `MemAvailable` of `/proc/meminfo`.
fn available() -> Option<Budget> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib = field_kib(&meminfo, "MemAvailable:")?;
    Some(Budget {
        bytes: kib.saturating_mul(1024),
        source: "MemAvailable in /proc/meminfo".into(),
    })
}

/// The value in KiB of the line `name  N kB` of a `/proc` file.
fn field_kib(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

/// Room under the memory limit of this process's cgroup and its parents.
fn cgroup_room() -> Option<Budget> {
    let cgroup = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let bytes = cgroup_room_in(&cgroup, Path::new("/sys/fs/cgroup"))?;
    Some(Budget {
        bytes,
        source: "the room left under the cgroup's memory limit".into(),
    })
}

/// The least room left under the memory limits of the cgroup named in `proc_cgroup` (the
/// text of `/proc/self/cgroup`) and its parents, under `root` (`/sys/fs/cgroup`): cgroup v2
/// (`memory.max`, `memory.current`, `file` of `memory.stat`) or v1 (`memory/…`:
/// `memory.limit_in_bytes`, `memory.usage_in_bytes`, `total_cache`). The page cache counts in
/// the usage but is given back under pressure, so it is not counted as used. `None` when no
/// limit applies.
fn cgroup_room_in(proc_cgroup: &str, root: &Path) -> Option<u64> {
    // (group directory, top directory, limit file, usage file, cache key in memory.stat)
    let mut layouts = Vec::new();
    for line in proc_cgroup.lines() {
        let mut fields = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let path = path.trim_start_matches('/');
        if controllers.is_empty() {
            layouts.push((
                root.join(path),
                root.to_path_buf(),
                "memory.max",
                "memory.current",
                "file",
            ));
        } else if controllers.split(',').any(|c| c == "memory") {
            let top = root.join("memory");
            layouts.push((
                top.join(path),
                top,
                "memory.limit_in_bytes",
                "memory.usage_in_bytes",
                "total_cache",
            ));
        }
    }
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    let mut room: Option<u64> = None;
    for (mut dir, top, limit_file, usage_file, cache_key) in layouts {
        loop {
            let limit = read(&dir.join(limit_file)).and_then(|t| t.trim().parse::<u64>().ok());
            let usage = read(&dir.join(usage_file)).and_then(|t| t.trim().parse::<u64>().ok());
            // v1 writes "no limit" as a number near 2^63
            if let (Some(limit), Some(usage)) = (limit, usage)
                && limit < 1 << 62
            {
                let cache = read(&dir.join("memory.stat"))
                    .and_then(|stat| {
                        stat.lines().find_map(|l| {
                            let (key, value) = l.split_once(' ')?;
                            (key == cache_key).then(|| value.trim().parse::<u64>().ok())?
                        })
                    })
                    .unwrap_or(0);
                let left = limit.saturating_sub(usage.saturating_sub(cache));
                room = Some(room.map_or(left, |r| r.min(left)));
            }
            if dir == top || !dir.pop() || !dir.starts_with(&top) {
                break;
            }
        }
    }
    room
}

/// Room under the address-space limit (`ulimit -v`): the soft limit less the address space
/// already mapped.
fn address_space_room() -> Option<Budget> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))?;
    let soft: u64 = line["Max address space".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let mapped = field_kib(&status, "VmSize:")?.saturating_mul(1024);
    Some(Budget {
        bytes: soft.saturating_sub(mapped),
        source: "the room left under the address-space limit (ulimit -v)".into(),
    })
}

/// Refuse a study of `model` that would hold more than `budget`, or whose economy would have
/// more firms, inputs or links than it can index.
pub fn check(
    model: &Model,
    sizer: &Sizer,
    plan: Plan,
    budget: Option<&Budget>,
) -> Result<Estimate, Error> {
    let file = model.source();
    for variant in model.variants() {
        let size = extended_size(variant.model(), &sizer.size(variant.model().economy()));
        if let Some((what, count)) = size.over_limit() {
            return Err(Error::TooLarge {
                file: file.to_path_buf(),
                message: format!(
                    "the economy would have {count} {what}{}, more than the {MAX_COUNT} it can \
                     index: reduce `economy`'s counts or the backup units",
                    if variant.name() == "base" {
                        String::new()
                    } else {
                        format!(" in variant {:?}", variant.name())
                    }
                ),
            });
        }
    }
    let estimate = estimate(model, sizer, plan);
    if let Some(budget) = budget
        && estimate.total > budget.bytes
    {
        let mut message = format!(
            "needs about {} of memory, more than the {} this run may use ({}), for {}. The \
             largest parts:",
            bytes(estimate.total),
            bytes(budget.bytes),
            budget.source,
            estimate.study
        );
        for part in estimate.parts.iter().take(3) {
            let _ = write!(message, " {} for {};", bytes(part.bytes), part.what);
        }
        message.pop();
        message.push_str(
            ". Reduce them, or give --max-memory if this machine can hold more (docs/performance.md)",
        );
        return Err(Error::TooLarge {
            file: file.to_path_buf(),
            message,
        });
    }
    Ok(estimate)
}

/// `1 run`, `2 runs`.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `bytes` for people: `12.3 MiB`, `4.0 GiB`.
pub fn bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A byte count as given to `--max-memory`: a number with an optional binary suffix `K`, `M`,
/// `G` or `T` (`KiB`… and `KB`… are read the same), e.g. `512M`, `1.5G`, `64GiB`.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let shift = match suffix.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        other => {
            return Err(format!(
                "unknown unit {other:?}: expected a number with K, M, G or T, e.g. 8G"
            ));
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size: expected e.g. 512M or 8G"))?;
    let value = value * (1u64 << shift) as f64;
    if !(value >= 1.0 && value < u64::MAX as f64) {
        return Err(format!("{text:?}: expected a size of at least 1 byte"));
    }
    Ok(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_binary_suffixes() {
        assert_eq!(parse_bytes("512"), Ok(512));
        assert_eq!(parse_bytes("512M"), Ok(512 << 20));
        assert_eq!(parse_bytes("8G"), Ok(8 << 30));
        assert_eq!(parse_bytes("8GiB"), Ok(8 << 30));
        assert_eq!(parse_bytes("8gb"), Ok(8 << 30));
        assert_eq!(parse_bytes("1.5K"), Ok(1536));
        assert_eq!(parse_bytes(" 2T "), Ok(2 << 40));
        for bad in ["", "0", "G", "-1G", "8X", "1e3", "1.2.3M"] {
            assert!(parse_bytes(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn bytes_are_shown_in_binary_units() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(12 << 20), "12.0 MiB");
        assert_eq!(bytes(u64::MAX), "16384.0 PiB");
    }

    #[test]
    fn cgroup_limits_are_read_from_v2_and_v1_with_the_page_cache_not_counted() {
        let root = tempfile::tempdir().unwrap();
        let write = |dir: &str, files: &[(&str, &str)]| {
            let dir = root.path().join(dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (name, text) in files {
                std::fs::write(dir.join(name), text).unwrap();
            }
        };
        // v2: the job's group allows 8 GiB with 3 GiB used, 1 GiB of it cache; its parent
        // allows 16 GiB with 15 GiB used (no cache): the parent is the tighter
        write(
            "jobs/job1",
            &[
                ("memory.max", "8589934592\n"),
                ("memory.current", "3221225472\n"),
                ("memory.stat", "anon 2147483648\nfile 1073741824\n"),
            ],
        );
        write(
            "jobs",
            &[
                ("memory.max", "17179869184\n"),
                ("memory.current", "16106127360\n"),
            ],
        );
        write("", &[("memory.max", "max\n"), ("memory.current", "1\n")]);
        assert_eq!(
            cgroup_room_in("0::/jobs/job1\n", root.path()),
            Some(1 << 30)
        );
        // without the parent's limit, the job's own: 8 − (3 − 1) GiB
        std::fs::write(root.path().join("jobs/memory.max"), "max\n").unwrap();
        assert_eq!(
            cgroup_room_in("0::/jobs/job1\n", root.path()),
            Some(6 << 30)
        );
        // v1: memory controller in its own hierarchy; "no limit" is a number near 2^63
        write(
            "memory/box",
            &[
                ("memory.limit_in_bytes", "4294967296\n"),
                ("memory.usage_in_bytes", "3221225472\n"),
                ("memory.stat", "cache 99\ntotal_cache 2147483648\n"),
            ],
        );
        write(
            "memory",
            &[
                ("memory.limit_in_bytes", "9223372036854771712\n"),
                ("memory.usage_in_bytes", "5\n"),
            ],
        );
        assert_eq!(
            cgroup_room_in("4:memory:/box\n1:cpu:/\n", root.path()),
            Some(3 << 30)
        );
        // no limit anywhere
        assert_eq!(cgroup_room_in("4:memory:/\n", root.path()), None);
        assert_eq!(cgroup_room_in("", root.path()), None);
    }

    #[test]
    fn proc_fields_are_read_in_kib() {
        let text = "MemTotal:       24000000 kB\nMemAvailable:    1234 kB\n";
        assert_eq!(field_kib(text, "MemAvailable:"), Some(1234));
        assert_eq!(field_kib(text, "Missing:"), None);
    }
}
