//! Every warning about a real spec points at a place its file has: the JSON
//! pointer a diagnostic shows resolves in the document as loaded, so its
//! line and column are always found.

#[path = "../../tests/shared/mod.rs"]
mod shared;

use openapi_gen::Config;
use std::path::{Path, PathBuf};

fn specs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            specs(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("json" | "yaml" | "yml")) {
            out.push(p);
        }
    }
}

/// `#/a/b~1c` as JSON pointer tokens (`/a/b~1c`).
fn json_pointer(pointer: &str) -> &str {
    pointer.strip_prefix('#').unwrap_or(pointer)
}

#[test]
fn every_corpus_warning_points_at_a_place_in_its_file() {
    let Some(corpus) = shared::or_skip("corpus", "the located warnings of the real specs") else { return };
    let mut files = Vec::new();
    specs(&corpus, &mut files);
    files.retain(|f| !f.components().any(|c| c.as_os_str() == "bumps"));
    files.sort();
    assert!(files.len() > 10, "the corpus has its specs: {}", corpus.display());
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in &files {
        let Ok(g) = Config::new().spec(file).example_tests(false).generate() else { continue };
        let doc = openapi_gen::load::load_file(file).expect("it loaded once");
        for d in &g.diagnostics {
            if d.file.as_deref().is_some_and(|f| Path::new(f) != file.as_path()) {
                continue;
            }
            checked += 1;
            if doc.pointer(json_pointer(&d.pointer)).is_none() {
                missing.push(format!("{}: {} ({})", file.display(), d.pointer, d.message));
            }
        }
    }
    assert!(checked > 0, "the corpus gives warnings to check");
    assert!(
        missing.is_empty(),
        "{} of {checked} pointers are not in their file:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
