//! The scenario reader and the model's checks on arbitrary text: an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = std::path::Path::new("fuzz.ron");
    if let Ok(scenario) = hinterland::scenario::parse(text, path) {
        let _ = hinterland::Model::from_scenario(&scenario, path);
    }
});
