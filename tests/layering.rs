//! The shape of the house (`docs/guide.md`, "Layout"): data flows one way, scenario → model →
//! economy → shocks → policy → engine → metrics → montecarlo → explore → output → plot, with
//! the leaves (`numeric`, `seeding`, `table`, then `kinds`) below everything and the commands
//! on top. This test reads every `crate::…` path in `src/` (plain, grouped and in code), and
//! checks that no module reaches a module after it, that nothing after `model` reaches the
//! `scenario` file types, that sibling files of a module form no circle, and that the shared
//! vocabulary `kinds` defines its own types and imports nothing of the crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::repo;

/// The one-way order: a module may use only modules of a lower rank.
const ORDER: &[(&str, u32)] = &[
    ("numeric", 0),
    ("seeding", 0),
    ("table", 0),
    ("interrupt", 0),
    ("kinds", 1),
    ("scenario", 2),
    ("model", 3),
    ("economy", 4),
    ("shocks", 5),
    ("policy", 6),
    ("engine", 7),
    ("metrics", 8),
    ("montecarlo", 9),
    ("explore", 10),
    ("output", 11),
    ("plot", 12),
    ("china", 13),
    ("commands", 14),
];

/// The crate root and its error type may be used by any module.
const ROOT: &[&str] = &["Error", "error"];

fn rank(module: &str) -> Option<u32> {
    ORDER.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The code of a file without comments and string literals (so that a path written in a
/// doc comment or a message is not taken for a use).
fn code(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if text[i..].starts_with("/*") {
            i += text[i..].find("*/").map_or(bytes.len() - i, |e| e + 2);
        } else if text[i..].starts_with("r#\"") {
            i += 3;
            i += text[i..].find("\"#").map_or(bytes.len() - i, |e| e + 2);
            out.push_str("\"\"");
        } else if bytes[i] == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if text[i..].starts_with("'\"'") {
            i += 3;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The top-level modules a file's code names through `crate::`, grouped `use crate::{…}`
/// included.
fn crate_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // the top-level names of a grouped use
            let mut depth = 0;
            let mut start = 0;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        used.insert(ident(&group[start..k]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        used.insert(ident(&group[start..k]));
                        start = k + 1;
                    }
                    _ => {}
                }
            }
        } else {
            used.insert(ident(rest));
        }
    }
    used.remove("");
    used
}

/// `(top-level module, file)` of every file under `src/` but the crate roots.
fn modules() -> Vec<(String, PathBuf, String)> {
    let src = repo("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(&src).unwrap().to_path_buf();
            let first = relative.iter().next()?.to_string_lossy().into_owned();
            let module = first.trim_end_matches(".rs").to_string();
            // the crate roots, the error type, and the binary's flags (`cli`, beside `main`)
            if ["lib", "main", "cli", "error"].contains(&module.as_str()) {
                return None;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            Some((module, relative, code(&text)))
        })
        .collect()
}

#[test]
fn modules_use_only_modules_before_them_and_nothing_after_model_reads_scenario_types() {
    let mut violations = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for (module, file, code) in modules() {
        seen_modules.insert(module.clone());
        let own = rank(&module).unwrap_or_else(|| {
            panic!(
                "src/{}: module {module} has no place in ORDER",
                file.display()
            )
        });
        for used in crate_modules(&code) {
            if used == module || ROOT.contains(&used.as_str()) {
                continue;
            }
            let Some(theirs) = rank(&used) else {
                violations.push(format!(
                    "src/{}: uses unknown module crate::{used}",
                    file.display()
                ));
                continue;
            };
            if theirs >= own {
                violations.push(format!(
                    "src/{}: {module} uses crate::{used}, which comes after it (or beside it)",
                    file.display()
                ));
            }
            if used == "scenario" && own > rank("model").unwrap() {
                violations.push(format!(
                    "src/{}: {module} reaches the scenario file types; only model reads them",
                    file.display()
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    // the test knows every module the crate has
    assert!(seen_modules.len() >= 15, "{seen_modules:?}");
}

#[test]
fn sibling_files_of_a_module_form_no_circle() {
    // edges between sibling files (`super::x` or `crate::m::x` from another file of `m`)
    let mut edges: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (module, file, code) in modules() {
        let parent: Vec<String> = file
            .parent()
            .map(|p| p.iter().map(|c| c.to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "mod" || stem == "tests" {
            continue;
        }
        let folder = parent.join("/");
        let mut targets = BTreeSet::new();
        for (at, _) in code.match_indices("super::") {
            let rest = &code[at + "super::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                targets.insert(name);
            }
        }
        let prefix = format!("crate::{}::", parent.join("::"));
        if !parent.is_empty() {
            for (at, _) in code.match_indices(&prefix) {
                let name: String = code[at + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                targets.insert(name);
            }
        }
        targets.remove(&stem);
        let _ = module;
        edges.insert((folder, stem), targets);
    }
    // depth-first search for a cycle among the files of each folder
    let files: BTreeSet<(String, String)> = edges.keys().cloned().collect();
    fn visit(
        node: &(String, String),
        edges: &BTreeMap<(String, String), BTreeSet<String>>,
        files: &BTreeSet<(String, String)>,
        path: &mut Vec<(String, String)>,
        done: &mut BTreeSet<(String, String)>,
    ) -> Option<Vec<String>> {
        if let Some(k) = path.iter().position(|n| n == node) {
            return Some(
                path[k..]
                    .iter()
                    .map(|(f, s)| format!("{f}/{s}.rs"))
                    .collect(),
            );
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.clone());
        for target in edges.get(node).into_iter().flatten() {
            let next = (node.0.clone(), target.clone());
            if files.contains(&next)
                && let Some(cycle) = visit(&next, edges, files, path, done)
            {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    for node in &files {
        if let Some(cycle) = visit(node, &edges, &files, &mut Vec::new(), &mut done) {
            panic!("a circle of imports: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_vocabulary_defines_its_own_types_and_imports_nothing_of_the_crate() {
    for (module, file, code) in modules() {
        if module != "kinds" {
            continue;
        }
        let outside: Vec<String> = crate_modules(&code)
            .into_iter()
            .filter(|m| m != "kinds" && !(m == "seeding" && code.contains("mod tests")))
            .collect();
        assert!(
            outside.is_empty(),
            "src/{}: kinds uses {outside:?}",
            file.display()
        );
        for line in code
            .lines()
            .filter(|l| l.trim_start().starts_with("pub use"))
        {
            let path = line.trim_start().trim_start_matches("pub use").trim();
            assert!(
                path.starts_with("checked::") || path.starts_with("dist::"),
                "src/{}: kinds re-exports {path}",
                file.display()
            );
        }
    }
}

#[test]
fn the_reader_finds_plain_grouped_and_nested_paths() {
    let code = code(
        "use crate::{economy::Economy, kinds::{Dist, Select}};\n\
         use crate::model::Model; // crate::plot in a comment\n\
         let _ = crate::engine::DAILY; let s = \"crate::output\";",
    );
    let used: Vec<String> = crate_modules(&code).into_iter().collect();
    assert_eq!(used, ["economy", "engine", "kinds", "model"]);
}
