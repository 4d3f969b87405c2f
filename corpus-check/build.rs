//! Generate a client for every spec of the corpus (`../shared/corpus`, found
//! by `tests/shared`; without it, a warning and none) into OUT_DIR, and a
//! `mods.rs` including each as a module. A spec that does not generate fails
//! the build, naming the spec. The hand-written edge cases in `specs/` are
//! compiled with them, and so are the generator's small goldens
//! (`generator/tests/goldens/specs`) but those split into cargo features.

#[path = "../tests/shared/mod.rs"]
mod shared;

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

/// The generator's small goldens: a spec file, or a folder with a manifest.
/// One split into cargo features needs a crate that declares them: the
/// every-kind client tests that (`client-tests/tests/features.rs`).
fn goldens(dir: &Path, out_dir: &Path, mods: &mut String) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut cases: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    cases.sort();
    for case in cases {
        let mut config = openapi_gen::Config::new();
        if case.is_dir() {
            config.manifest(case.join("openapi-gen.toml"));
            let mut files = Vec::new();
            specs(&case, &mut files);
            for f in files {
                println!("cargo:rerun-if-changed={}", f.display());
            }
            println!("cargo:rerun-if-changed={}", case.join("openapi-gen.toml").display());
        } else {
            config.spec(&case);
        }
        println!("cargo:rerun-if-changed={}", case.display());
        let g = config.generate().unwrap_or_else(|e| panic!("golden {} does not generate: {e}", case.display()));
        if g.report.features.is_some() {
            continue;
        }
        let stem = case.file_stem().and_then(|s| s.to_str()).unwrap_or("case");
        let name = format!("golden_{}", stem.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
        let file = out_dir.join(format!("{name}.rs"));
        openapi_gen::write_if_changed(&file, &g.code).expect("write a golden's module");
        mods.push_str(&format!("pub mod {name} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{name}.rs\")); }}\n"));
    }
}

/// Mutated specs compiled beside the corpus: the fuzz test checks that what
/// the generator emits parses; this checks that a sample of it compiles.
const FUZZ_SAMPLE: u64 = 24;

/// The fuzz sample: the generated code of the mutated specs that generate.
fn fuzz_sample(root: &Path, corpus: Option<&Path>, out_dir: &Path, mods: &mut String) {
    let mut bases =
        vec![root.join("spec/nebius-complete-upload.openapi.yaml"), root.join("client-tests/spec/kinds.yaml")];
    let mut small = Vec::new();
    if let Some(corpus) = corpus {
        specs(&corpus.join("apis-guru"), &mut small);
    }
    small.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.len() < 40_000));
    small.sort();
    bases.extend(small);
    let docs: Vec<_> = bases.iter().filter_map(|b| openapi_gen::load::load_file(b).ok()).collect();
    if docs.is_empty() {
        return;
    }
    // CORPUS_CHECK_FUZZ_SAMPLE=N compiles a bigger sample.
    let sample = std::env::var("CORPUS_CHECK_FUZZ_SAMPLE").ok().and_then(|v| v.parse().ok()).unwrap_or(FUZZ_SAMPLE);
    for seed in 1..=sample {
        let mut rng = openapi_gen::mutate::Rng::new(seed);
        let mut doc = rng.pick(&docs).clone();
        let count = 1 + rng.below(4);
        openapi_gen::mutate::mutate(&mut doc, &mut rng, count);
        let Ok(g) = openapi_gen::Config::new().example_tests(false).generate_value(doc, "fuzz.json") else { continue };
        let name = format!("fuzz_{seed}");
        openapi_gen::write_if_changed(&out_dir.join(format!("{name}.rs")), &g.code).expect("write a fuzz case");
        mods.push_str(&format!("pub mod {name} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{name}.rs\")); }}\n"));
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let corpus = shared::locate("corpus");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    match &corpus {
        Ok(corpus) => println!("cargo:rerun-if-changed={}", corpus.display()),
        Err(missing) => println!("cargo:warning=the corpus is not compiled: {missing}"),
    }
    let corpus = corpus.ok();
    println!("cargo:rerun-if-env-changed={}", shared::DIR_VAR);
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CORPUS_CHECK_ONLY_FUZZ");
    println!("cargo:rerun-if-env-changed=CORPUS_CHECK_FUZZ_SAMPLE");
    let mut list = Vec::new();
    // CORPUS_CHECK_ONLY_FUZZ=1 compiles the fuzz sample alone (a quick check).
    if let Some(corpus) = corpus.as_deref().filter(|_| std::env::var_os("CORPUS_CHECK_ONLY_FUZZ").is_none()) {
        specs(corpus, &mut list);
    }
    let edge_cases = manifest.join("specs");
    println!("cargo:rerun-if-changed={}", edge_cases.display());
    specs(&edge_cases, &mut list);
    list.sort();
    let mut mods = String::new();
    let mut failed = Vec::new();
    for spec in &list {
        let name = if spec.starts_with(&edge_cases) {
            module_name(&edge_cases, spec).replacen("spec_", "edge_", 1)
        } else {
            module_name(corpus.as_deref().unwrap_or(&edge_cases), spec)
        };
        println!("cargo:rerun-if-changed={}", spec.display());
        match openapi_gen::Config::new().spec(spec).generate() {
            Ok(g) => {
                let file = out_dir.join(format!("{name}.rs"));
                if let Err(e) = openapi_gen::write_if_changed(&file, &g.code) {
                    failed.push(format!("{}: {e}", spec.display()));
                }
                mods.push_str(&format!("pub mod {name} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{name}.rs\")); }}\n"));
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
    // Mutated documents can nest thousands deep, and serde_json drops them recursively.
    let fuzz_mods = std::thread::scope(|scope| {
        let run = std::thread::Builder::new().stack_size(256 << 20).spawn_scoped(scope, || {
            let mut fuzz_mods = String::new();
            fuzz_sample(&manifest.join(".."), corpus.as_deref(), &out_dir, &mut fuzz_mods);
            fuzz_mods
        });
        run.expect("spawn the fuzz sample").join().expect("the fuzz sample generates")
    });
    mods.push_str(&fuzz_mods);
    goldens(&manifest.join("../generator/tests/goldens/specs"), &out_dir, &mut mods);
    openapi_gen::write_if_changed(&out_dir.join("mods.rs"), &mods).expect("write mods.rs");
}
