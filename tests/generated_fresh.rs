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
