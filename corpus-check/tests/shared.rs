//! Every Rust source that reads `../shared` (the corpus, its bumps, the
//! benchmark specs) finds it through `tests/shared/mod.rs`, so that each one
//! skips cleanly on a fresh clone and honours `OPENAPI_GEN_SHARED`.

#[path = "../../tests/scratch/mod.rs"]
mod scratch;

use std::path::{Path, PathBuf};

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if p.is_dir() {
            if !matches!(name.to_str(), Some("target" | ".git" | "generated")) {
                rust_sources(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn only_the_helper_names_the_shared_folder() {
    let root = scratch::workspace();
    let helper = root.join("tests/shared/mod.rs");
    let mut files = Vec::new();
    rust_sources(&root, &mut files);
    assert!(files.contains(&helper), "the helper is among the sources");
    // Spelled apart, so that this file does not name it.
    let needle = ["..", "shared"].join("/");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| **f != helper) {
        let text = std::fs::read_to_string(file).expect("a source");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if !code.starts_with("//") && code.contains(&needle) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, code));
            }
        }
    }
    assert!(found.is_empty(), "these read {needle} without tests/shared/mod.rs:\n{}", found.join("\n"));
}
