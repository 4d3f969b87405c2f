//! The Nebius client compiles with each of its features alone, with none
//! and with all (the command line, `cli`, among them), warnings denied (in a crate of its own, as a user's build
//! would compile it).

mod scratch;

#[test]
fn each_api_group_alone_none_and_all_compile_without_warnings() {
    let g = openapi_gen::Config::new().spec_dir(scratch::root().join("spec")).generate().expect("spec/ generates");
    let features = g.report.features.as_ref().expect("spec/openapi-gen.toml splits the client");
    let table = format!(
        "{}mock = [\"openapi-gen-runtime/mock\"]\ncli = [\"openapi-gen-runtime/cli\"]\n",
        features.table(false)
    );
    let manifest = scratch::client_crate("nebius-features", &g.code, &g.parts, &table);
    let mut runs: Vec<Vec<String>> = vec![vec![], vec!["--all-features".into()]];
    runs.extend(features.groups.iter().map(|group| vec!["--features".into(), group.name.clone()]));
    for args in runs {
        let mut all: Vec<&str> = vec!["--lib", "--tests"];
        all.extend(args.iter().map(String::as_str));
        let (ok, out) = scratch::check_with(&manifest, &all);
        assert!(ok, "cargo check {all:?} of the Nebius client fails:\n{out}");
    }
}
