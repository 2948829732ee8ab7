//! The table reader (CSV) and the MRIO loader's table parser on arbitrary bytes: an error,
//! never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.csv");
    let _ = hinterland::table::Table::parse(data, path);
    let _ = hinterland::table::records(data, hinterland::table::detect_delimiter(data));
    if let Ok(text) = std::str::from_utf8(data) {
        for nr_header in [1, 2] {
            let _ = hinterland::economy::mrio::parse_table_text(text, nr_header);
        }
    }
});
