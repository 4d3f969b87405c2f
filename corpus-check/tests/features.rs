//! Real specs split into a feature per tag compile with one feature on,
//! warnings denied: the types that group reaches are all there. Their
//! command line (`cli`) is checked with that group's subcommands alone.

#[path = "../../tests/scratch/mod.rs"]
mod scratch;
#[path = "../../tests/shared/mod.rs"]
mod shared;

/// A spec of the corpus (`../shared/corpus`) and the group to compile (`None`: its first).
const CASES: [(&str, Option<&str>); 4] = [
    ("github.json", Some("issues")),
    ("openai.yaml", Some("chat")),
    ("apis-guru/googleapis.com/calendar.json", None),
    ("apis-guru/airbyte.local/config.json", None),
];

#[test]
fn real_specs_compile_with_one_feature_on() {
    let Some(corpus) = shared::or_skip("corpus", "compiling real specs with one feature on") else { return };
    for (file, group) in CASES {
        let spec = corpus.join(file);
        assert!(spec.is_file(), "the corpus has {file}");
        let g = openapi_gen::Config::new()
            .spec(&spec)
            .example_tests(false)
            .features_by(openapi_gen::FeaturesBy::Tag)
            .cli(true)
            .generate()
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let features = g.report.features.as_ref().unwrap_or_else(|| panic!("{file} is split"));
        let group = group.or_else(|| features.groups.first().map(|g| g.name.as_str())).expect("a group");
        assert!(features.groups.iter().any(|g| g.name == group), "{file} has no group {group}");
        let name = format!("corpus-feature-{}", group.replace('_', "-"));
        let table = format!("{}cli = [\"openapi-gen-runtime/cli\"]\n", features.table(false));
        let manifest = scratch::client_crate(&name, &g.code, &g.parts, &table);
        let (ok, out) = scratch::check_with(&manifest, &["--lib", "--features", group]);
        assert!(ok, "{file} with only `{group}` does not compile:\n{out}");
        let (ok, out) = scratch::check_with(&manifest, &["--lib", "--features", &format!("{group},cli")]);
        assert!(ok, "{file}'s command line with only `{group}` does not compile:\n{out}");
    }
}
