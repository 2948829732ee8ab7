//! The loader on the committed corpus of bad folders and on randomly damaged tables.

use std::fs;
use std::path::Path;

use super::load_mrio;
use super::tests::{BAD, PARAMS, X, Y, Z};

/// The committed corpus under tests/fixtures/mrio-bad, as listed in expected.txt (file `-`:
/// the table reads, and making the economy refuses it).
#[test]
fn committed_bad_corpus() {
    let list = fs::read_to_string(Path::new(BAD).join("expected.txt")).expect("expected.txt");
    let mut cases = 0;
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 5, "bad line in expected.txt: {line:?}");
        let num = |s: &str| (s != "-").then(|| s.parse::<usize>().expect("number"));
        let dir = Path::new(BAD).join(f[0]);
        let (message, shown) = if f[1] == "-" {
            // a readable table that cannot be a baseline: refused when the economy is made
            let table = load_mrio(&dir).unwrap_or_else(|e| panic!("case {}: {e}", f[0]));
            let params = crate::model::EconomyParams::new(
                &dir,
                1,
                1,
                crate::kinds::FirmSizes::default(),
                1,
                4.0,
            )
            .expect("params");
            let e = crate::economy::Economy::from_mrio(&table, &params).expect_err(f[0]);
            (e.message.clone(), e.to_string())
        } else {
            let e = load_mrio(&dir).expect_err(f[0]);
            assert_eq!(e.path, dir.join(f[1]), "case {}: {e}", f[0]);
            assert_eq!((e.row, e.col), (num(f[2]), num(f[3])), "case {}: {e}", f[0]);
            (e.message.clone(), e.to_string())
        };
        assert!(
            message.contains(f[4]),
            "case {}: {shown} lacks {:?}",
            f[0],
            f[4]
        );
        cases += 1;
    }
    assert!(cases >= 10);
}

/// Random damage to a good table never panics.
#[test]
fn damaged_tables_do_not_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("file_parameters.json"), PARAMS).expect("write");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    let inserts = ["\t", "\n", "\"", ",", "-", "nan", "\r", "", "x", "1e999"];
    for _ in 0..400 {
        for (name, base) in [("Z.txt", Z), ("Y.txt", Y), ("x.txt", X)] {
            let mut bytes = base.as_bytes().to_vec();
            for _ in 0..next(4) {
                let at = next(bytes.len() + 1);
                if next(2) == 0 && at < bytes.len() {
                    bytes.remove(at);
                } else {
                    let ins = inserts[next(inserts.len())].as_bytes();
                    bytes.splice(at..at, ins.iter().copied());
                }
            }
            fs::write(dir.path().join(name), bytes).expect("write");
        }
        if let Ok(t) = load_mrio(dir.path()) {
            let n = t.n_industries();
            assert_eq!(t.z.len(), n * n);
            assert_eq!(t.y.len(), n * t.n_final_demand_columns());
            assert_eq!(t.x.len(), n);
        }
    }
}
