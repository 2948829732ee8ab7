//! `hinterland example`: the annotated example scenario written beside the table it runs on,
//! so that it runs from any directory on a machine that has only the binary.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::output::{OutputDir, check_destination};

/// The annotated scenario that uses every feature. It lives beside the scenario types it
/// illustrates; its MRIO path, `data/pymrio-test`, is relative to the scenario file:
/// [`write_example`] writes the table there, and the repository root has it. (The command
/// owns it because only `model` may reach the scenario module.)
pub const EXAMPLE: &str = include_str!("../scenario/example.ron");

/// The scenario's file name in the folder written.
pub const EXAMPLE_SCENARIO: &str = "example.ron";

/// The folder `hinterland example` writes when not told where.
pub const EXAMPLE_DIR: &str = "hinterland-example";

/// The table the example runs on, embedded in the binary: pymrio's test MRIO, 68 KB, at the
/// path the scenario names (`data/pymrio-test`, relative to the scenario file), with its
/// README, which gives its origin and licence (GPL v3, pymrio's) and must travel with it.
const EXAMPLE_DATA: &[(&str, &[u8])] = &[
    (
        "data/pymrio-test/README.md",
        include_bytes!("../../data/pymrio-test/README.md"),
    ),
    (
        "data/pymrio-test/Y.txt",
        include_bytes!("../../data/pymrio-test/Y.txt"),
    ),
    (
        "data/pymrio-test/Z.txt",
        include_bytes!("../../data/pymrio-test/Z.txt"),
    ),
    (
        "data/pymrio-test/file_parameters.json",
        include_bytes!("../../data/pymrio-test/file_parameters.json"),
    ),
    (
        "data/pymrio-test/metadata.json",
        include_bytes!("../../data/pymrio-test/metadata.json"),
    ),
    (
        "data/pymrio-test/unit.txt",
        include_bytes!("../../data/pymrio-test/unit.txt"),
    ),
    (
        "data/pymrio-test/x.txt",
        include_bytes!("../../data/pymrio-test/x.txt"),
    ),
];

/// What `hinterland example` wrote.
#[derive(Debug, Clone)]
pub struct ExampleReport {
    /// The folder written.
    pub dir: PathBuf,
    /// The scenario file in it.
    pub scenario: PathBuf,
    /// Every file written, relative to `dir`: the scenario first, then the table.
    pub files: Vec<String>,
}

/// Write the example scenario and its table into `destination`, which may exist only with
/// `force` (then it is replaced). The folder appears whole or not at all, like a run's output.
pub fn write_example(destination: &Path, force: bool) -> Result<ExampleReport, Error> {
    check_destination(destination, force, &[])?;
    let dir = OutputDir::create(destination, force)?;
    let mut files = Vec::with_capacity(1 + EXAMPLE_DATA.len());
    let all =
        std::iter::once((EXAMPLE_SCENARIO, EXAMPLE.as_bytes())).chain(EXAMPLE_DATA.iter().copied());
    for (relative, bytes) in all {
        dir.write_file(relative, |out| std::io::Write::write_all(out, bytes))?;
        files.push(relative.to_string());
    }
    let written = dir.commit()?;
    Ok(ExampleReport {
        scenario: written.join(EXAMPLE_SCENARIO),
        dir: written,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded table is the shipped one, file for file and byte for byte: a file added
    /// to or changed in `data/pymrio-test` must be embedded too.
    #[test]
    fn the_embedded_table_is_the_shipped_one() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pymrio-test");
        let mut on_disk: Vec<String> = std::fs::read_dir(&shipped)
            .unwrap()
            .map(|e| {
                format!(
                    "data/pymrio-test/{}",
                    e.unwrap().file_name().to_string_lossy()
                )
            })
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = EXAMPLE_DATA.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(embedded, on_disk);
        for (name, bytes) in EXAMPLE_DATA {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
            assert!(std::fs::read(&path).unwrap() == *bytes, "{name} differs");
        }
        // the scenario reads the table where it is written
        assert!(EXAMPLE.contains(r#"path: "data/pymrio-test""#));
    }
}
