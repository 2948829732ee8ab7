//! The runs' daily series kept in an anonymous temporary file instead of memory, for
//! ensembles whose series would not fit comfortably (a 1,000-run ensemble of the default
//! Chinese economy keeps about 0.9 GB of them).
//!
//! Each run's series are appended as they are summarised, as raw native-endian `f64`; the
//! bands read one series of every run at a time. The values read back are the values
//! written, bit for bit, so the statistics are those of the series kept in memory. The file
//! has no name (`tempfile::tempfile`): the system removes it when the process ends, however
//! it ends. Its pages live in the page cache, which the system gives back under pressure.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// Ensembles whose daily series would take more than this many bytes keep them in a file.
pub const SPILL_ABOVE: u64 = 256 << 20;

/// Where one run's series are in the file.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    offset: u64,
    /// Length of each series, in values.
    lengths: Vec<u32>,
}

/// An anonymous file of series, appended from any thread.
#[derive(Debug)]
pub struct Spill {
    file: Mutex<(File, u64)>,
}

impl Spill {
    /// A new, empty spill file.
    pub fn new() -> std::io::Result<Spill> {
        Ok(Spill {
            file: Mutex::new((tempfile::tempfile()?, 0)),
        })
    }

    /// Append `series`; where they are.
    pub fn put(&self, series: &[Vec<f64>]) -> std::io::Result<Stored> {
        let mut bytes = Vec::with_capacity(series.iter().map(|s| s.len() * 8).sum());
        for value in series.iter().flatten() {
            bytes.extend_from_slice(&value.to_ne_bytes());
        }
        let lengths = series
            .iter()
            .map(|s| u32::try_from(s.len()).expect("a series of fewer than 2^32 days"))
            .collect();
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, end) = &mut *guard;
        file.seek(SeekFrom::Start(*end))?;
        file.write_all(&bytes)?;
        let offset = *end;
        *end += bytes.len() as u64;
        Ok(Stored { offset, lengths })
    }

    /// Series `i` of a run stored at `stored`.
    pub fn get(&self, stored: &Stored, i: usize) -> std::io::Result<Vec<f64>> {
        let before: u64 = stored.lengths[..i].iter().map(|&n| u64::from(n)).sum();
        let mut bytes = vec![0u8; stored.lengths[i] as usize * 8];
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, _) = &mut *guard;
        file.seek(SeekFrom::Start(stored.offset + before * 8))?;
        file.read_exact(&mut bytes)?;
        Ok(bytes
            .chunks_exact(8)
            .map(|b| f64::from_ne_bytes(b.try_into().expect("8 bytes")))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_come_back_bit_for_bit() {
        let spill = Spill::new().unwrap();
        let a = vec![
            vec![1.0, -0.0, f64::MIN_POSITIVE / 2.0],
            vec![],
            vec![f64::NAN, 3e300],
        ];
        let b = vec![vec![0.1 + 0.2], vec![-7.5; 1000]];
        let (sa, sb) = (spill.put(&a).unwrap(), spill.put(&b).unwrap());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for (stored, series) in [(&sa, &a), (&sb, &b)] {
            for (i, s) in series.iter().enumerate() {
                assert_eq!(bits(&spill.get(stored, i).unwrap()), bits(s), "series {i}");
            }
        }
    }
}
