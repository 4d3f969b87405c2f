//! Generate a client for every spec of `../shared/corpus` (relative to the
//! workspace root) into OUT_DIR, and a `mods.rs` including each as a module.
//! A spec that does not generate fails the build, naming the spec.

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

fn module_name(corpus: &Path, spec: &Path) -> String {
    let rel = spec.strip_prefix(corpus).unwrap_or(spec).with_extension("");
    let name: String = rel
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    format!("spec_{name}")
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../../shared/corpus");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed={}", corpus.display());
    println!("cargo:rerun-if-changed=build.rs");
    let mut list = Vec::new();
    specs(&corpus, &mut list);
    list.sort();
    if list.is_empty() {
        println!("cargo:warning=no corpus at {}; nothing to check", corpus.display());
    }
    let mut mods = String::new();
    let mut failed = Vec::new();
    for spec in &list {
        let name = module_name(&corpus, spec);
        println!("cargo:rerun-if-changed={}", spec.display());
        match openapi_gen::Config::new().spec(spec).generate() {
            Ok(g) => {
                let file = out_dir.join(format!("{name}.rs"));
                if let Err(e) = openapi_gen::write_if_changed(&file, &g.code) {
                    failed.push(format!("{}: {e}", spec.display()));
                }
                mods.push_str(&format!(
                    "pub mod {name} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{name}.rs\")); }}\n"
                ));
            }
            Err(e) => failed.push(format!("{}: {e}", spec.display())),
        }
    }
    if !failed.is_empty() {
        for f in &failed {
            eprintln!("{f}");
        }
        panic!("{} corpus specs did not generate", failed.len());
    }
    openapi_gen::write_if_changed(&out_dir.join("mods.rs"), &mods).expect("write mods.rs");
}
