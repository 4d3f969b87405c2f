//! Generated clients document cleanly: `cargo doc` of the edge-case specs
//! (Rust keywords as field, parameter, part, operation and enum names among
//! them) and of a real spec with keyword-named fields (OpenAI's, from the
//! corpus) finds nothing to warn about, rustdoc's warnings denied.

#[path = "../../tests/scratch/mod.rs"]
mod scratch;
#[path = "../../tests/shared/mod.rs"]
mod shared;

use std::path::PathBuf;

#[test]
fn clients_with_keyword_names_document_without_warnings() {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(scratch::root().join("specs"))
        .expect("the edge cases")
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    specs.sort();
    assert!(specs.iter().any(|s| s.ends_with("keyword-names.yaml")), "the keyword edge case is among them");
    specs.extend(shared::or_skip("corpus/openai.yaml", "documenting a real client with keyword-named fields"));
    let manifest = scratch::client_crate("docs", "", &[], "");
    let src = manifest.with_file_name("src");
    let mut lib = String::from("//! Generated clients, documented.\n#![deny(warnings)]\n");
    for (i, spec) in specs.iter().enumerate() {
        let g = openapi_gen::Config::new()
            .spec(spec)
            .example_tests(false)
            .generate()
            .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        scratch::write(&src.join(format!("client_{i}.rs")), &g.code);
        lib.push_str(&format!("/// The client of `{}`.\npub mod client_{i};\n", spec.display()));
    }
    scratch::write(&src.join("lib.rs"), &lib);
    let (ok, out) = scratch::doc(&manifest);
    assert!(ok, "the generated docs have warnings:\n{out}");
}
