//! The every-kind client split into a feature per tag compiles with each
//! feature alone, with none and with all, warnings denied; and this crate's
//! `[features]` table is the spec's groups.

#[path = "../../tests/scratch/mod.rs"]
mod scratch;

fn generated() -> openapi_gen::Generated {
    openapi_gen::Config::new()
        .spec(scratch::root().join("spec/kinds.yaml"))
        .mock(true)
        .features_by(openapi_gen::FeaturesBy::Tag)
        .generate()
        .expect("kinds.yaml generates")
}

#[test]
fn this_crate_declares_the_spec_groups() {
    let g = generated();
    let features = g.report.features.as_ref().expect("split into features");
    let names: Vec<&str> = features.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["auth", "bodies", "pages", "retries", "streaming", "untagged"]);
    let cargo_toml = std::fs::read_to_string(scratch::root().join("Cargo.toml")).expect("Cargo.toml");
    if let Err(problem) = features.check_manifest(&cargo_toml) {
        panic!("{problem}; the table:\n{}", features.table(true));
    }
}

#[test]
fn each_feature_alone_none_and_all_compile_without_warnings() {
    let g = generated();
    let features = g.report.features.as_ref().expect("split into features");
    let table = format!("{}mock = [\"openapi-gen-runtime/mock\"]\n", features.table(false));
    let manifest = scratch::client_crate("kinds-features", &g.code, &g.parts, &table);
    let mut runs: Vec<Vec<String>> = vec![vec![], vec!["--all-features".into()]];
    runs.extend(features.groups.iter().map(|group| vec!["--features".into(), group.name.clone()]));
    for args in runs {
        let mut all: Vec<&str> = vec!["--lib", "--tests"];
        all.extend(args.iter().map(String::as_str));
        let (ok, out) = scratch::check_with(&manifest, &all);
        assert!(ok, "cargo check {all:?} of the kinds client fails:\n{out}");
    }
    // A group's operations are there with it and gone without it.
    let auth_only = format!("{}\npub fn uses(c: &Client) {{ let _ = c.auth_bearer(); }}\n", g.code);
    let manifest = scratch::client_crate("kinds-features-use", &auth_only, &g.parts, &table);
    assert!(scratch::check_with(&manifest, &["--features", "auth"]).0, "auth_bearer with the auth feature");
    let (ok, out) = scratch::check_with(&manifest, &["--features", "pages"]);
    assert!(!ok && out.contains("auth_bearer"), "auth_bearer is compiled out without the auth feature:\n{out}");
}
