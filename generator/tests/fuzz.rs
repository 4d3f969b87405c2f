//! Fuzzing: real specs, mutated (keys deleted, wrong types, dangling and
//! cyclic refs, hostile names, huge numbers, deep nesting, reference bombs,
//! duplicate operationIds, undeclared path parameters), must each end in code
//! that parses (the corpus check compiles a sample) or in an error naming a
//! place. Never a panic, an overflow or a hang.
//!
//! `cargo test -p openapi-gen --test fuzz` runs a bounded number of cases.
//! A longer run: `FUZZ_CASES=20000 cargo test --release -p openapi-gen --test fuzz -- --nocapture`
//! (`FUZZ_SEED` picks another starting seed). A failing case is written to
//! `target/fuzz-failures/` with its seed; copy it into `tests/fuzz-regressions/`
//! to keep it as a regression test.

#[path = "../../tests/shared/mod.rs"]
mod shared;

use openapi_gen::diag::{GenError, Severity};
use openapi_gen::mutate::{mutate, Rng};
use openapi_gen::Config;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Cases in a plain `cargo test` run.
const DEFAULT_CASES: u64 = 200;
/// Longer than any sane generation of a small spec, even in a debug build.
const CASE_TIMEOUT: Duration = Duration::from_secs(60);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The specs mutated: the seed, the every-kind spec, and the small real specs
/// of the corpus (when it is there).
fn bases() -> Vec<(String, Value)> {
    let mut files =
        vec![root().join("spec/nebius-complete-upload.openapi.yaml"), root().join("client-tests/spec/kinds.yaml")];
    let corpus = shared::or_skip(
        "corpus/apis-guru",
        "fuzzing the corpus's small specs (the seed and every-kind spec are fuzzed)",
    );
    let mut stack: Vec<PathBuf> = corpus.into_iter().collect();
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") && e.metadata().is_ok_and(|m| m.len() < 40_000) {
                found.push(p);
            }
        }
    }
    found.sort();
    files.extend(found);
    files
        .into_iter()
        .filter_map(|f| {
            let doc = openapi_gen::load::load_file(&f).ok()?;
            Some((f.file_name()?.to_string_lossy().into_owned(), doc))
        })
        .collect()
}

/// What went wrong with one case, if anything; `Ok(true)` when code was generated.
fn check(doc: Value) -> Result<bool, String> {
    check_with(Config::new(), doc)
}

fn check_with(config: Config, doc: Value) -> Result<bool, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(move || {
            let result = config.generate_value(doc, "fuzz.json");
            let _ = tx.send(result);
        })
        .map_err(|e| format!("cannot spawn: {e}"))?;
    let result = rx.recv_timeout(CASE_TIMEOUT).map_err(|_| format!("no result within {CASE_TIMEOUT:?} (a hang)"))?;
    match result {
        Ok(g) => syn::parse_file(&g.code).map(|_| true).map_err(|e| format!("generated code does not parse: {e}")),
        Err(GenError::Internal(what)) => Err(format!("a panic or an internal error: {what}")),
        Err(GenError::Spec(diagnostics)) => {
            for d in &diagnostics {
                if d.severity != Severity::Error || !d.pointer.starts_with('#') || d.message.trim().is_empty() {
                    return Err(format!("an error that names no place: {d}"));
                }
            }
            if diagnostics.is_empty() {
                return Err("an error without a diagnostic".into());
            }
            Ok(false)
        }
        Err(other) => Err(format!("a spec's problem reported as another kind of error: {other}")),
    }
}

fn save_failure(seed: u64, doc: &Value, why: &str) -> PathBuf {
    let dir = root().join("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("case-{seed}.json"));
    let _ = std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap_or_default());
    let _ = std::fs::write(dir.join(format!("case-{seed}.why.txt")), why);
    path
}

/// Documents nested thousands deep are built, cloned and dropped here, and
/// serde_json does each recursively: give the run room.
fn on_big_stack(f: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new().stack_size(512 << 20).spawn(f).expect("spawn");
    if let Err(panic) = handle.join() {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn mutated_real_specs_generate_or_fail_with_a_place() {
    on_big_stack(fuzz_run);
}

fn fuzz_run() {
    let cases: u64 = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES);
    let first: u64 = std::env::var("FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let bases = bases();
    assert!(bases.len() >= 2, "the seed and kinds specs load");
    let mut failures = Vec::new();
    let (mut generated, mut refused) = (0, 0);
    for seed in first..first + cases {
        let mut rng = Rng::new(seed);
        let (name, base) = rng.pick(&bases).clone();
        let mut doc = base;
        let count = 1 + rng.below(4);
        let did = mutate(&mut doc, &mut rng, count);
        let input = doc.clone();
        let started = std::time::Instant::now();
        let outcome = check(doc);
        if std::env::var_os("FUZZ_VERBOSE").is_some() {
            eprintln!("seed {seed}: {:?} {}: {}", started.elapsed(), name, did.join("; "));
        }
        match outcome {
            Ok(true) => generated += 1,
            Ok(false) => refused += 1,
            Err(why) => {
                let saved = save_failure(seed, &input, &why);
                failures.push(format!(
                    "seed {seed} ({name}: {}): {why}\n  saved to {}",
                    did.join("; "),
                    saved.display()
                ));
            }
        }
    }
    eprintln!("fuzz: {cases} cases from seed {first}: {generated} generated, {refused} refused with a located error");
    assert!(failures.is_empty(), "{} of {cases} cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// Every input that ever failed stays a test.
#[test]
fn fuzz_regressions_hold() {
    on_big_stack(regressions);
}

fn regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    let mut failures = Vec::new();
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else { continue };
        let loaded = openapi_gen::load::parse(&bytes, openapi_gen::load::Syntax::from_path(f, &bytes));
        let result = match loaded {
            Ok(doc) => check(doc).map(|_| ()),
            Err(e) if e.diagnostics().iter().all(|d| d.pointer.starts_with('#')) => Ok(()),
            Err(e) => Err(format!("load error without a place: {e}")),
        };
        if let Err(why) = result {
            failures.push(format!("{}: {why}", f.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Arbitrary bytes: real spec texts cut short at random places, with bytes
/// flipped, and pure noise. Loading fails at a place, or what loads generates.
#[test]
fn damaged_spec_texts_fail_at_a_place_or_generate() {
    on_big_stack(damaged_texts);
}

fn damaged_texts() {
    let texts: Vec<(String, Vec<u8>)> =
        [root().join("spec/nebius-complete-upload.openapi.yaml"), root().join("client-tests/spec/kinds.yaml")]
            .into_iter()
            .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), std::fs::read(&p).ok()?)))
            .collect();
    assert_eq!(texts.len(), 2);
    let cases: u64 = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES) / 2;
    let mut failures = Vec::new();
    for seed in 1..=cases {
        let mut rng = Rng::new(seed ^ 0xB17E5);
        let (name, text) = rng.pick(&texts).clone();
        let mut bytes = text.clone();
        match rng.below(3) {
            0 => bytes.truncate(rng.below(bytes.len())),
            1 => {
                for _ in 0..1 + rng.below(8) {
                    let i = rng.below(bytes.len());
                    bytes[i] = (rng.next_u64() & 0xFF) as u8;
                }
            }
            _ => bytes = (0..rng.below(2000)).map(|_| (rng.next_u64() & 0xFF) as u8).collect(),
        }
        let syntax = if rng.below(2) == 0 { openapi_gen::load::Syntax::Yaml } else { openapi_gen::load::Syntax::Json };
        let outcome = match openapi_gen::load::parse(&bytes, syntax) {
            Ok(doc) => check(doc).map(|_| ()),
            Err(e) if !e.diagnostics().is_empty() && e.diagnostics().iter().all(|d| d.pointer.starts_with('#')) => {
                Ok(())
            }
            Err(e) => Err(format!("a load error without a place: {e}")),
        };
        if let Err(why) = outcome {
            failures.push(format!("seed {seed} ({name}): {why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An overlay with every kind of action, over the every-kind spec.
const OVERLAY: &str = r#"{"overlay": "1.1.0", "info": {"title": "fuzz", "version": "1"}, "actions": [
  {"target": "$.paths.*.*", "update": {"x-seen": true}},
  {"target": "$.paths['/chat/completions'].post", "update": {"parameters": [{"name": "project", "in": "query", "schema": {"type": "string"}}]}},
  {"target": "$.components.schemas[?@.type == 'object'].properties", "update": {"extra": {"type": "integer"}}},
  {"target": "$.paths['/public'].get", "remove": true},
  {"target": "$.paths['/stall'].get", "copy": "$.paths['/search'].get"}
]}"#;

/// Mutated overlays (wrong types, deleted keys, hostile names, deep nesting)
/// apply or fail at a place, like mutated specs.
#[test]
fn mutated_overlays_apply_or_fail_with_a_place() {
    on_big_stack(|| {
        let spec = openapi_gen::load::load_file(&root().join("client-tests/spec/kinds.yaml")).expect("the kinds spec");
        let base: Value = serde_json::from_str(OVERLAY).expect("the overlay");
        let dir = std::env::temp_dir().join(format!("openapi-gen-fuzz-overlays-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let cases: u64 = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES) / 2;
        let mut failures = Vec::new();
        for seed in 1..=cases {
            let mut rng = Rng::new(seed);
            let mut overlay = base.clone();
            let count = 1 + rng.below(4);
            let did = mutate(&mut overlay, &mut rng, count);
            let file = dir.join(format!("overlay-{seed}.json"));
            std::fs::write(&file, serde_json::to_string(&overlay).unwrap_or_default()).expect("written");
            let mut config = Config::new();
            config.overlay(&file);
            if let Err(why) = check_with(config, spec.clone()) {
                failures.push(format!("seed {seed} ({}): {why}", did.join("; ")));
            }
        }
        assert!(failures.is_empty(), "{} of {cases} mutated overlays failed:\n{}", failures.len(), failures.join("\n"));
    });
}
