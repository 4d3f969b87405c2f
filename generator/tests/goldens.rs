//! Small goldens: one small spec per concern in `goldens/specs/` (a file, or
//! a folder with an `openapi-gen.toml` for what needs a manifest: features,
//! overlays, merges), each with its generated module in `goldens/out/`, a
//! reviewed snapshot. A codegen change shows as a readable diff of these
//! files; `UPDATE_GOLDENS=1 cargo test -p openapi-gen --test goldens`
//! rewrites them, to be reviewed like any change. The corpus check compiles
//! them, warnings denied.

use std::path::{Path, PathBuf};

/// Relative to the package (the tests' working directory), so diagnostics
/// name the same files on every machine.
fn dir() -> PathBuf {
    PathBuf::from("tests/goldens")
}

/// Each case: its name and what to generate from.
fn cases() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(dir().join("specs"))
        .expect("tests/goldens/specs")
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_string();
            if p.is_dir() {
                Some((name, p.join("openapi-gen.toml")))
            } else {
                matches!(p.extension()?.to_str()?, "yaml" | "json").then_some((name, p))
            }
        })
        .collect();
    cases.sort();
    cases
}

fn generate(input: &Path) -> String {
    let mut config = openapi_gen::Config::new();
    if input.file_name().is_some_and(|n| n == "openapi-gen.toml") {
        config.manifest(input);
    } else {
        config.spec(input);
    }
    match config.generate() {
        Ok(g) => {
            // What the generator said is part of what is reviewed.
            let mut out = g.all_code();
            for d in &g.diagnostics {
                out.push_str(&format!("// {}\n", d.to_string().lines().next().unwrap_or_default()));
            }
            out
        }
        Err(e) => panic!("{} does not generate: {e}", input.display()),
    }
}

/// The first lines where `want` and `got` differ, with a little context.
fn first_difference(want: &str, got: &str) -> String {
    let (want, got): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let at = want.iter().zip(&got).position(|(w, g)| w != g).unwrap_or(want.len().min(got.len()));
    let show = |lines: &[&str]| lines.iter().skip(at.saturating_sub(2)).take(8).cloned().collect::<Vec<_>>().join("\n");
    format!("first difference at line {}:\n--- snapshot\n{}\n--- generated\n{}", at + 1, show(&want), show(&got))
}

#[test]
fn every_small_spec_generates_its_reviewed_snapshot() {
    let update = std::env::var_os("UPDATE_GOLDENS").is_some();
    let out = dir().join("out");
    let mut problems = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 14, "the goldens are there: {cases:?}");
    for (name, input) in &cases {
        let code = generate(input);
        let snapshot = out.join(format!("{name}.rs"));
        match std::fs::read_to_string(&snapshot) {
            Ok(want) if want == code => {}
            _ if update => std::fs::write(&snapshot, &code).expect("the snapshot is written"),
            Ok(want) => problems.push(format!("{name}: {}", first_difference(&want, &code))),
            Err(_) => problems.push(format!("{name}: no snapshot {}", snapshot.display())),
        }
    }
    // A snapshot whose case is gone is stale.
    for entry in std::fs::read_dir(&out).expect("tests/goldens/out").flatten() {
        let path = entry.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if !cases.iter().any(|(name, _)| *name == stem) {
            problems.push(format!("{} has no case in tests/goldens/specs", path.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nIf the change is intended: UPDATE_GOLDENS=1 cargo test -p openapi-gen --test goldens, and review the diff.",
        problems.join("\n\n")
    );
}
