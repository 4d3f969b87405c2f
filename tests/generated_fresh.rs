//! `generated/client.rs` must be what the generator makes of `spec/` now, and
//! `generated/api.json` the Rust API it has (what the next bump is diffed against).

#[test]
fn generated_client_is_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = openapi_gen::Config::new().spec_dir(root.join("spec")).generate().expect("spec/ generates");
    let committed = std::fs::read_to_string(root.join("generated/client.rs")).unwrap_or_default();
    assert!(
        committed == fresh.code,
        "generated/client.rs is stale; regenerate it with `cargo run -p openapi-gen` and commit the result"
    );
    // Each group's files beside it, and no file the client no longer has.
    assert!(!fresh.parts.is_empty(), "the crate is split into features: its groups have files of their own");
    for (path, text) in &fresh.parts {
        let committed = std::fs::read_to_string(root.join("generated").join(path)).unwrap_or_default();
        assert!(committed == *text, "generated/{path} is stale; regenerate it with `cargo run -p openapi-gen`");
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(root.join("generated/client"))
        .expect("generated/client/")
        .map(|e| format!("client/{}", e.expect("an entry").file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = fresh.parts.iter().map(|(p, _)| p.clone()).collect();
    expected.sort();
    assert_eq!(on_disk, expected, "generated/client/ holds a file per part, no more");
    let snapshot = std::fs::read_to_string(root.join("generated/api.json")).unwrap_or_default();
    let committed = openapi_gen::diff::read_snapshot(&snapshot).expect("generated/api.json is an API snapshot");
    let diff = openapi_gen::diff::Diff::new(&committed, &fresh.surface);
    assert!(diff.is_empty(), "generated/api.json is stale; `cargo run -p openapi-gen` rewrites it:\n{}", diff.render());
    assert_eq!(snapshot, openapi_gen::diff::write_snapshot(&fresh.surface));
}

#[cfg(feature = "regenerate")]
#[test]
fn the_build_script_output_is_the_committed_file() {
    let out = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    let committed = include_str!("../generated/client.rs");
    assert!(out == committed, "OUT_DIR/client.rs differs from generated/client.rs; run `cargo run -p openapi-gen`");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("generated/client")).expect("generated/client/") {
        let name = entry.expect("an entry").file_name();
        let committed = std::fs::read_to_string(root.join("generated/client").join(&name)).expect("committed part");
        let built = std::path::Path::new(env!("OUT_DIR")).join("client").join(&name);
        let out = std::fs::read_to_string(&built).unwrap_or_default();
        assert!(out == committed, "{} differs from generated/client/{name:?}", built.display());
    }
}

#[test]
fn the_readme_lists_every_operation_of_the_client() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = openapi_gen::Config::new().spec_dir(root.join("spec")).generate().expect("spec/ generates");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let table = openapi_gen::readme::operations_table(&readme).expect("README.md has the operations markers");
    let expected = fresh.report.operations_table();
    assert!(
        table == expected.trim_matches('\n'),
        "README.md's table of operations is stale; `cargo run -p openapi-gen` rewrites it. Expected:\n{expected}"
    );
    assert_eq!(table.lines().count(), fresh.report.operations + 2, "a row per operation");
}

#[test]
fn cargo_toml_declares_a_feature_per_api_group() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = openapi_gen::Config::new().spec_dir(root.join("spec")).generate().expect("spec/ generates");
    let features = fresh.report.features.as_ref().expect("spec/openapi-gen.toml splits the client into features");
    let names: Vec<&str> = features.groups.iter().map(|g| g.name.as_str()).collect();
    for group in
        ["chat", "completions", "embeddings", "images", "models", "files", "batches", "fine_tuning", "datasets"]
    {
        assert!(names.contains(&group), "no `{group}` group in {names:?}");
    }
    let cargo_toml = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    if let Err(problem) = features.check_manifest(&cargo_toml) {
        panic!("{problem}; the table to paste:\n{}", features.table(true));
    }
}
