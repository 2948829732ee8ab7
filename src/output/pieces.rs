//! The runs of `hinterland run` kept between processes: a checkpoint's batches
//! (`.checkpoint/<first pair>.bin`) and a shard's runs (`shards/<I>-of-<N>/runs.bin`).
//!
//! A run of an ensemble keeps its daily series (a run of the default Chinese economy about
//! 220 kB of them), so the file is binary: `HLRUNS01`, then each run ([`RunPiece`]) as
//! little-endian fields: `u64` counts and indices, `f64` by their bits (read back bit for
//! bit), strings as a count and UTF-8 bytes, an absent value as a `0` byte before it. Every
//! count is checked against what is left of the file before anything is allocated, so a
//! damaged file is an error naming it, never an abort.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use super::OutputError;
use crate::kinds::RecordKind;
use crate::metrics::Record;
use crate::metrics::catalogue::{CATALOGUE, Values};
use crate::metrics::ensemble::RunSummary;
use crate::montecarlo::{PolicyOutcome, RunPiece};
use crate::shocks::Draw;

/// The first bytes of a file of runs.
const MAGIC: &[u8; 8] = b"HLRUNS01";

/// The file of a shard's runs of `hinterland run`.
pub const SHARD_PIECES: &str = "runs.bin";

/// The start of a file of runs.
pub fn header() -> &'static [u8] {
    MAGIC
}

/// Append `piece` to `out` (after a [`header`]).
pub fn write_piece(out: &mut Vec<u8>, piece: &RunPiece) {
    let mut w = Writer(out);
    w.count(piece.variant);
    w.count(piece.run);
    w.optional(piece.failure.as_deref(), Writer::text);
    w.count(piece.draws.len());
    for d in &piece.draws {
        w.text(&d.shock);
        w.text(d.parameter);
        w.number(d.value);
    }
    w.count(piece.policies.len());
    for p in &piece.policies {
        w.text(&p.name);
        w.text(p.kind);
        w.optional(p.activation_day, |w, day| w.count(day as usize));
        w.count(p.activations as usize);
        w.number(p.delivered);
        w.number(p.holding_cost);
        w.number(p.activation_cost);
    }
    let s = &piece.summary;
    w.count(s.metrics.as_slice().len());
    for value in s.metrics.as_slice() {
        w.optional(*value, Writer::number);
    }
    w.numbers(&s.national);
    w.lists(&s.regions);
    w.lists(&s.sectors);
    w.numbers(&s.backup_output);
    w.numbers(&s.backup_active);
    w.lists(&s.unmet);
    w.numbers(&s.reserve_stock);
    w.numbers(&s.industry_loss_pct);
    w.count(piece.records.len());
    for r in &piece.records {
        w.text(r.kind.file_stem());
        w.count(r.columns.len());
        for c in &r.columns {
            w.text(c);
        }
        w.numbers(&r.values);
    }
}

struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn count(&mut self, n: usize) {
        self.0.extend_from_slice(&(n as u64).to_le_bytes());
    }
    fn number(&mut self, x: f64) {
        self.0.extend_from_slice(&x.to_bits().to_le_bytes());
    }
    fn text(&mut self, s: &str) {
        self.count(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn optional<T>(&mut self, value: Option<T>, each: impl FnOnce(&mut Self, T)) {
        match value {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                each(self, v);
            }
        }
    }
    fn numbers(&mut self, xs: &[f64]) {
        self.count(xs.len());
        for &x in xs {
            self.number(x);
        }
    }
    fn lists(&mut self, lists: &[Vec<f64>]) {
        self.count(lists.len());
        for xs in lists {
            self.numbers(xs);
        }
    }
}

/// Read the runs of `path`, written by [`header`] and [`write_piece`], handing each to `each`
/// as it is read (a shard's runs need not fit in memory at once). A damaged or truncated
/// file is an error naming it and the byte where it goes wrong.
pub fn read_pieces<E: From<OutputError>>(
    path: &Path,
    mut each: impl FnMut(RunPiece) -> Result<(), E>,
) -> Result<(), E> {
    let io_error = |e: io::Error| OutputError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let file = File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    let mut r = Reader {
        input: BufReader::with_capacity(1 << 20, file),
        left: size,
        at: 0,
        path: path.to_path_buf(),
    };
    let mut magic = [0u8; 8];
    r.exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(r
            .bad("not a file of runs written by this hinterland")
            .into());
    }
    while r.left > 0 {
        let piece = r.piece()?;
        each(piece)?;
    }
    Ok(())
}

struct Reader {
    input: BufReader<File>,
    left: u64,
    at: u64,
    path: PathBuf,
}

impl Reader {
    fn bad(&self, message: &str) -> OutputError {
        OutputError::Malformed {
            path: self.path.clone(),
            message: format!("byte {}: {message}", self.at),
        }
    }
    fn exact(&mut self, bytes: &mut [u8]) -> Result<(), OutputError> {
        if (bytes.len() as u64) > self.left {
            return Err(self.bad("the file ends in the middle of a run"));
        }
        self.input.read_exact(bytes).map_err(|e| OutputError::Io {
            path: self.path.clone(),
            source: e,
        })?;
        self.left -= bytes.len() as u64;
        self.at += bytes.len() as u64;
        Ok(())
    }
    fn u64(&mut self) -> Result<u64, OutputError> {
        let mut b = [0u8; 8];
        self.exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn count(&mut self) -> Result<usize, OutputError> {
        let n = self.u64()?;
        usize::try_from(n).map_err(|_| self.bad("a count too large"))
    }
    /// A count of items of at least `size` bytes each, which must fit in what is left.
    fn items(&mut self, size: u64) -> Result<usize, OutputError> {
        let n = self.u64()?;
        if n.saturating_mul(size) > self.left {
            return Err(self.bad("a count larger than the rest of the file"));
        }
        Ok(n as usize)
    }
    fn number(&mut self) -> Result<f64, OutputError> {
        Ok(f64::from_bits(self.u64()?))
    }
    fn text(&mut self) -> Result<String, OutputError> {
        let n = self.items(1)?;
        let mut bytes = vec![0u8; n];
        self.exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(|_| self.bad("text that is not UTF-8"))
    }
    fn flag(&mut self) -> Result<bool, OutputError> {
        let mut b = [0u8; 1];
        self.exact(&mut b)?;
        match b[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.bad("a flag that is neither 0 nor 1")),
        }
    }
    fn numbers(&mut self) -> Result<Vec<f64>, OutputError> {
        let n = self.items(8)?;
        (0..n).map(|_| self.number()).collect()
    }
    fn lists(&mut self) -> Result<Vec<Vec<f64>>, OutputError> {
        let n = self.items(8)?;
        (0..n).map(|_| self.numbers()).collect()
    }
    fn piece(&mut self) -> Result<RunPiece, OutputError> {
        let variant = self.count()?;
        let run = self.count()?;
        let failure = if self.flag()? {
            Some(self.text()?)
        } else {
            None
        };
        let n = self.items(24)?;
        let mut draws = Vec::with_capacity(n);
        for _ in 0..n {
            let shock = self.text()?;
            let parameter = super::pairs::interned(&self.text()?);
            draws.push(Draw {
                shock,
                parameter,
                value: self.number()?,
            });
        }
        let n = self.items(49)?;
        let mut policies = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.text()?;
            let kind = match self.text()?.as_str() {
                "backup" => "backup",
                "reserve" => "reserve",
                _ => return Err(self.bad("a policy neither a backup nor a reserve")),
            };
            let activation_day = if self.flag()? {
                Some(u32::try_from(self.u64()?).map_err(|_| self.bad("a day too large"))?)
            } else {
                None
            };
            let activations =
                u32::try_from(self.u64()?).map_err(|_| self.bad("a count too large"))?;
            policies.push(PolicyOutcome {
                name,
                kind,
                activation_day,
                activations,
                delivered: self.number()?,
                holding_cost: self.number()?,
                activation_cost: self.number()?,
            });
        }
        let n = self.items(1)?;
        if n != CATALOGUE.len() {
            return Err(self.bad(&format!(
                "{n} metrics, this hinterland has {}",
                CATALOGUE.len()
            )));
        }
        let mut metrics = Vec::with_capacity(n);
        for _ in 0..n {
            metrics.push(if self.flag()? {
                Some(self.number()?)
            } else {
                None
            });
        }
        let summary = RunSummary {
            metrics: Values::from_list(metrics),
            national: self.numbers()?,
            regions: self.lists()?,
            sectors: self.lists()?,
            backup_output: self.numbers()?,
            backup_active: self.numbers()?,
            unmet: self.lists()?,
            reserve_stock: self.numbers()?,
            industry_loss_pct: self.numbers()?,
        };
        let n = self.items(24)?;
        let mut records = Vec::with_capacity(n);
        for _ in 0..n {
            let stem = self.text()?;
            let kind = RecordKind::ALL
                .into_iter()
                .find(|k| k.file_stem() == stem)
                .ok_or_else(|| self.bad(&format!("{stem:?} is not a record")))?;
            let c = self.items(8)?;
            let columns = (0..c).map(|_| self.text()).collect::<Result<_, _>>()?;
            records.push(Record {
                kind,
                columns,
                values: self.numbers()?,
            });
        }
        Ok(RunPiece {
            variant,
            run,
            failure,
            draws,
            policies,
            summary,
            records,
        })
    }
}

/// Write `pieces` as a whole file of runs to `out`.
pub fn write_pieces(out: &mut impl Write, pieces: &[RunPiece]) -> io::Result<()> {
    let mut bytes = header().to_vec();
    for piece in pieces {
        write_piece(&mut bytes, piece);
    }
    out.write_all(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece() -> RunPiece {
        let awkward = [0.1 + 0.2, -0.0, 5e-324, f64::INFINITY, f64::NAN, -1.0 / 3.0];
        let metrics: Vec<Option<f64>> = (0..CATALOGUE.len())
            .map(|m| (m % 3 != 1).then(|| awkward[m % awkward.len()] * (m as f64 + 1.0)))
            .collect();
        RunPiece {
            variant: 3,
            run: 17,
            failure: None,
            draws: vec![Draw {
                shock: "typhoon \"Ma\"".into(),
                parameter: "start_day",
                value: 0.1 + 0.7,
            }],
            policies: vec![PolicyOutcome {
                name: "inland chips".into(),
                kind: "reserve",
                activation_day: Some(12),
                activations: 2,
                delivered: 1.0 / 7.0,
                holding_cost: 3.25,
                activation_cost: 0.0,
            }],
            summary: RunSummary {
                metrics: Values::from_list(metrics),
                national: vec![1.0, 0.9, 0.95],
                regions: vec![vec![1.0, 0.5, 0.75], vec![]],
                sectors: vec![vec![0.3; 3]],
                backup_output: vec![0.0, 2.0, 1.0],
                backup_active: vec![0.0, 1.0, 0.5],
                unmet: vec![vec![0.0, 1e-300, 0.0]],
                reserve_stock: Vec::new(),
                industry_loss_pct: vec![1.5, -0.0],
            },
            records: vec![Record {
                kind: RecordKind::ValueAdded,
                columns: vec!["east|chips".into(), "west|chips".into()],
                values: vec![1.0, 2.0, 3.0, 4.0],
            }],
        }
    }

    fn bits(p: &RunPiece) -> Vec<u8> {
        let mut bytes = Vec::new();
        write_piece(&mut bytes, p);
        bytes
    }

    #[test]
    fn runs_read_back_to_the_same_bits() {
        let failed = RunPiece {
            variant: 0,
            run: 0,
            failure: Some("panic: line\nbreak".into()),
            policies: Vec::new(),
            summary: RunSummary::failed(),
            records: Vec::new(),
            ..piece()
        };
        let runs = vec![piece(), failed];
        let mut bytes = Vec::new();
        write_pieces(&mut bytes, &runs).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.bin");
        std::fs::write(&path, &bytes).unwrap();
        let mut read = Vec::new();
        read_pieces::<OutputError>(&path, |p| {
            read.push(p);
            Ok(())
        })
        .unwrap();
        assert_eq!(read.len(), 2);
        // bit for bit (NaN included, which == would not see)
        for (a, b) in runs.iter().zip(&read) {
            assert_eq!(bits(a), bits(b));
        }
        assert_eq!(read[1].failure.as_deref(), Some("panic: line\nbreak"));
        assert_eq!(read[0].records[0].kind, RecordKind::ValueAdded);
        assert_eq!(read[0].policies[0].activation_day, Some(12));
        // every cut inside a run is an error naming the file, never a panic or a huge
        // allocation (a cut between runs leaves fewer runs, which `merge` counts)
        for cut in [3, 20, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let err = read_pieces::<OutputError>(&path, |_| Ok(()))
                .unwrap_err()
                .to_string();
            assert!(err.contains("runs.bin") && err.contains("byte"), "{err}");
        }
        // a count that claims more than the file holds
        let mut huge = bytes.clone();
        let at = 8 + 8 + 8 + 1; // variant, run, failure flag: the count of draws
        huge[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        std::fs::write(&path, &huge).unwrap();
        let err = read_pieces::<OutputError>(&path, |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("larger than the rest"), "{err}");
    }
}
