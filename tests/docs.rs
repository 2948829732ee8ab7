//! The documentation users read: every relative link of the README and of `docs/` resolves,
//! and the model note the code cites is in the repository.

use std::path::Path;

use crate::common::repo;

/// The targets of the Markdown links `[text](target)` of `text`.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        if let Some(end) = rest.find(')') {
            found.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    found
}

fn check_links(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let folder = file.parent().unwrap();
    links(&text)
        .into_iter()
        .filter(|target| !target.starts_with("http") && !target.starts_with('#'))
        .filter(|target| {
            let path = target.split('#').next().unwrap();
            !folder.join(path).exists()
        })
        .map(|target| format!("{}: {target}", file.display()))
        .collect()
}

#[test]
fn every_relative_link_of_the_readme_and_the_docs_resolves() {
    let mut broken = check_links(&repo("README.md"));
    for entry in std::fs::read_dir(repo("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            broken.extend(check_links(&path));
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // the reader finds links at all
    assert!(links("see [the model](docs/model.md) and [x](y#z)").len() == 2);
}

#[test]
fn the_model_note_is_shipped_and_cited_by_its_path() {
    let model = std::fs::read_to_string(repo("docs/model.md")).unwrap();
    for section in [
        "## 3. One day of dynamics",
        "## 5. Backup capacity",
        "## 10. Defaults",
    ] {
        assert!(model.contains(section), "docs/model.md lacks {section:?}");
    }
    // the README points to it, and no file cites a note users do not have
    assert!(
        std::fs::read_to_string(repo("README.md"))
            .unwrap()
            .contains("docs/model.md")
    );
    let mut stack = vec![repo("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains("MODEL.md"),
                    "{} cites MODEL.md",
                    path.display()
                );
            }
        }
    }
}
