//! The `openapi-gen` command line contract: exit codes, --report, --check, crate.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/nebius-complete-upload.openapi.yaml")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn generate_writes_code_and_report() {
    let dir = tmp("generate");
    let out = dir.join("client.rs");
    let report = dir.join("report.json");
    let o = bin().arg("generate").arg(seed()).arg("-o").arg(&out).arg("--report").arg(&report).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let code = std::fs::read_to_string(&out).unwrap();
    assert!(code.contains("pub fn complete_upload("));
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["operations"], 1);
    assert!(r["types"].as_u64().unwrap() >= 10);
    assert_eq!(r["skipped_operations"], serde_json::json!([]));
    assert_eq!(r["fallbacks"], serde_json::json!([]));

    // --check: fresh passes, stale fails with 1.
    let check = |out: &Path| bin().arg("generate").arg(seed()).arg("-o").arg(out).arg("--check").output().unwrap();
    assert_eq!(check(&out).status.code(), Some(0));
    std::fs::write(&out, "// edited\n").unwrap();
    let o = check(&out);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("stale"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "// edited\n", "--check writes nothing");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["frobnicate"],
        vec!["generate"],
        vec!["generate", "x.yaml"],
        vec!["generate", "x.yaml", "-o"],
        vec!["generate", "x.yaml", "-o", "y", "--bogus"],
    ] {
        let o = bin().args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("error: ") && stderr(&o).contains("--help"), "{args:?}: {}", stderr(&o));
    }
    let o = bin().args(["generate", "a.yaml", "--manifest", "m.toml", "-o", "x.rs"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "specs and a manifest exclude each other: {}", stderr(&o));
}

#[test]
fn every_command_has_help() {
    for args in [vec!["--help"], vec!["generate", "--help"], vec!["crate", "--help"], vec!["help", "generate"]] {
        let o = bin().args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("Usage: openapi-gen"), "{args:?}: {out}");
    }
    let o = bin().args(["generate", "--help"]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("--include <PATTERN>") && out.contains("--manifest <FILE>") && out.contains("--check"),
        "{out}"
    );
}

/// Two specs, mounted, filtered and merged from the command line; the report
/// says what the filters removed.
#[test]
fn several_specs_merge_into_one_client() {
    let dir = tmp("multi");
    let other = dir.join("other.yaml");
    let yaml = r#"openapi: 3.0.3
info: {title: Other, version: '2'}
servers: [{url: 'https://other.example/v1'}]
paths:
  /models:
    get:
      operationId: listModels
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Model'}
  /secret:
    get:
      operationId: secret
      responses: {'204': {description: gone}}
components:
  schemas:
    Model: {type: object, properties: {id: {type: string}}}
    Unused: {type: object, properties: {x: {type: string}}}
"#;
    std::fs::write(&other, yaml).unwrap();
    let out = dir.join("client.rs");
    let report = dir.join("report.json");
    let o = bin()
        .arg("generate")
        .arg(seed())
        .arg(&other)
        .args(["--exclude", "GET /v1/secret", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let code = std::fs::read_to_string(&out).unwrap();
    assert!(code.contains("pub fn complete_upload(") && code.contains("pub fn list_models("));
    assert!(code.contains("request.path(\"/v1/models\")"), "mounted under the server's /v1");
    assert!(code.contains("\"https://api.tokenfactory.nebius.com\""), "the first spec's server");
    assert!(!code.contains("fn secret(") && !code.contains("struct Unused"), "filtered, and pruned");
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["operations"], 2);
    assert_eq!(r["removed_by_filter"]["operations"], serde_json::json!(["GET /v1/secret (secret)"]));
    assert_eq!(r["removed_by_filter"]["components"], serde_json::json!(["#/components/schemas/Unused"]));
    let names: Vec<&str> = r["operation_list"].as_array().unwrap().iter().filter_map(|o| o["name"].as_str()).collect();
    assert_eq!(names, ["complete_upload", "list_models"]);
}

#[test]
fn specs_that_cannot_be_generated_exit_1_naming_the_place() {
    let dir = tmp("bad");
    let cases = [
        ("swagger.json", r#"{"swagger": "2.0", "info": {}, "paths": {}}"#, "npx swagger2openapi"),
        ("broken.yaml", "openapi: 3.0.0\npaths: [\n", "invalid YAML"),
        ("list.json", "[1, 2]", "not an object"),
        ("missing.yaml", "", "cannot read"),
    ];
    for (name, text, expected) in cases {
        let spec = dir.join(name);
        if !text.is_empty() {
            std::fs::write(&spec, text).unwrap();
        }
        let o = bin().arg("generate").arg(&spec).arg("-o").arg(dir.join("out.rs")).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{name}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{name}");
    }
}

#[test]
fn warnings_go_to_stderr_and_still_exit_0() {
    let dir = tmp("warn");
    let spec = dir.join("warn.json");
    std::fs::write(
        &spec,
        r#"{"openapi": "3.1.0", "info": {"title": "W", "version": "1"}, "paths": {"/x/{id}": {"get": {
            "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"type": "blob"}}}}}}}}}"#,
    )
    .unwrap();
    let report = dir.join("r.json");
    let o =
        bin().arg("generate").arg(&spec).arg("-o").arg(dir.join("o.rs")).arg("--report").arg(&report).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    // Rendered like rustc: message, file:line:column, the line with a caret, the pointer; then a count.
    let at = format!(" --> {}:2:97\n", spec.display());
    assert!(err.starts_with("warning[OAG0200]: unknown `type` \"blob\"") && err.contains(&at), "{err}");
    assert!(err.contains("{\"type\": \"blob\"}}}}}}}}}\n  |") && err.contains("^\n"), "{err}");
    assert!(err.contains("= at #/paths/~1x~1{id}/get/responses/200/content/application~1json/schema"), "{err}");
    assert!(err.contains("warning: 2 warnings: 1 × OAG0200 (a schema the generator cannot type), 1 × OAG0302 (the path and the declared path parameters disagree)"), "{err}");
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["fallbacks"][0]["pointer"], "#/paths/~1x~1{id}/get/responses/200/content/application~1json/schema");

    let denied =
        bin().arg("generate").arg(&spec).arg("-o").arg(dir.join("o.rs")).arg("--deny-warnings").output().unwrap();
    assert_eq!(denied.status.code(), Some(1), "--deny-warnings makes a warning fatal");
    assert!(stderr(&denied).contains("error[OAG0200]: unknown `type`"), "{}", stderr(&denied));
    let end = "error: nothing generated: 2 errors (warnings denied by the settings: OAG0200, OAG0302)\n";
    assert!(stderr(&denied).ends_with(end), "{}", stderr(&denied));
    // One code denied, the other allowed; then both allowed.
    let generate =
        |flags: &[&str]| bin().arg("generate").arg(&spec).arg("-o").arg(dir.join("o.rs")).args(flags).output().unwrap();
    let one = generate(&["--deny", "OAG0302", "--allow", "OAG0200"]);
    assert_eq!(one.status.code(), Some(1));
    assert!(stderr(&one).contains("error[OAG0302]") && !stderr(&one).contains("OAG0200]"), "{}", stderr(&one));
    let quiet = generate(&["--allow", "oag0200", "--allow", "OAG0302"]);
    assert_eq!((quiet.status.code(), stderr(&quiet)), (Some(0), String::new()), "allowed codes are not shown");
    let bad = generate(&["--allow", "OAG0001"]);
    assert_eq!(bad.status.code(), Some(2), "an error's code cannot be allowed: a usage error");
    assert!(stderr(&bad).contains("OAG0001 is an error"), "{}", stderr(&bad));
}

#[test]
fn explain_prints_what_a_code_means() {
    let o = bin().args(["explain", "OAG0200"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("OAG0200: A schema the generator cannot type"), "{out}");
    assert!(out.contains("overlay"), "says how to fix it: {out}");
    let o = bin().arg("explain").output().unwrap();
    let list = String::from_utf8_lossy(&o.stdout);
    assert!(list.lines().any(|l| l.starts_with("OAG0001  The file is not a JSON or YAML document.")), "{list}");
    let o = bin().args(["explain", "OAG9999"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "an unknown code is a usage error");
}

#[test]
fn the_docs_page_of_codes_is_current() {
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    let o = bin().args(["explain", "--all"]).output().unwrap();
    let now = String::from_utf8_lossy(&o.stdout).into_owned();
    if std::env::var_os("UPDATE_GOLDENS").is_some() {
        std::fs::write(&page, &now).unwrap();
    }
    let committed = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(committed == now, "generator/docs/diagnostics.md is stale: rerun with UPDATE_GOLDENS=1");
}

#[test]
fn crate_writes_a_standalone_crate() {
    let dir = tmp("crate");
    let o = bin().arg("crate").arg(seed()).arg("-o").arg(&dir).arg("--name").arg("My Client").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-client\""), "{manifest}");
    assert!(
        manifest.contains("openapi-gen-runtime") && manifest.contains("serde_json") && manifest.contains("[workspace]")
    );
    assert!(manifest.contains(&format!("openapi-gen-runtime = \"{}\"", openapi_gen::RUNTIME_VERSION)), "{manifest}");

    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let o = bin().arg("crate").arg(seed()).arg("-o").arg(&dir).arg("--runtime-path").arg(&runtime).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let local = std::fs::canonicalize(&runtime).unwrap().display().to_string();
    assert!(manifest.contains(&format!("path = \"{local}\"")), "{manifest}");
    assert!(std::fs::read_to_string(dir.join("src/lib.rs")).unwrap().contains("pub struct UploadResponse"));
}

#[test]
fn crate_with_cli_declares_the_feature_and_a_binary_named_after_it() {
    let dir = tmp("crate-cli");
    let o = bin()
        .arg("crate")
        .arg(seed())
        .arg("-o")
        .arg(&dir)
        .args(["--name", "seed-api", "--cli", "--mock"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("[features]\nmock = [\"openapi-gen-runtime/mock\"]\ncli = [\"openapi-gen-runtime/cli\"]\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("[[bin]]\nname = \"seed-api\"\npath = \"src/main.rs\"\nrequired-features = [\"cli\"]\n"),
        "{manifest}"
    );
    let main = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
    assert!(main.contains("seed_api::cli::main()"), "{main}");
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    assert!(lib.contains("#[cfg(feature = \"cli\")]\npub mod cli {"), "the module is behind the feature");
    assert!(lib.contains("name: \"complete-upload\""), "a subcommand per operation");

    // Without the setting: neither the module nor the binary.
    let plain = tmp("crate-no-cli");
    let o = bin().arg("crate").arg(seed()).arg("-o").arg(&plain).arg("--cli=false").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!std::fs::read_to_string(plain.join("Cargo.toml")).unwrap().contains("[[bin]]"));
    assert!(!plain.join("src/main.rs").exists());
    assert!(!std::fs::read_to_string(plain.join("src/lib.rs")).unwrap().contains("pub mod cli"));
}

#[test]
fn example_tests_are_left_out_by_either_flag() {
    for flag in ["--example-tests=false", "--no-example-tests"] {
        let out = tmp(&format!("examples-{}", flag.trim_start_matches('-').replace('=', "-")));
        let o = bin().arg("generate").arg(seed()).arg("-o").arg(out.join("client.rs")).arg(flag).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let code = std::fs::read_to_string(out.join("client.rs")).unwrap();
        assert!(!code.contains("mod spec_examples"), "{flag} leaves the example tests out");
    }
    let out = tmp("examples-default");
    let o = bin().arg("generate").arg(seed()).arg("-o").arg(out.join("client.rs")).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(out.join("client.rs")).unwrap().contains("mod spec_examples"));
}

#[test]
fn diff_shows_the_rust_api_change_and_fails_on_breaking_when_asked() {
    let dir = tmp("diff");
    let seed_text = std::fs::read_to_string(seed()).unwrap();
    let old = dir.join("old.yaml");
    std::fs::write(&old, &seed_text).unwrap();
    // The bump: the optional query parameter is gone (its setter too).
    let new = dir.join("new.yaml");
    let cut = seed_text.find("        - name: ai_project_id").expect("the seed has ai_project_id");
    let end = cut + seed_text[cut..].find("      requestBody:").expect("then the body");
    std::fs::write(&new, format!("{}{}", &seed_text[..cut], &seed_text[end..])).unwrap();

    let o = bin().arg("diff").arg(&old).arg(&new).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(text.contains("1 change to the Rust API, 1 breaking"), "{text}");
    assert!(text.contains("- setter `complete_upload::ai_project_id` removed"), "{text}");

    let o = bin().args(["diff", "--json", "--fail-on-breaking"]).arg(&old).arg(&new).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "breaking changes fail with --fail-on-breaking");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("--json prints JSON");
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["changes"][0]["path"], "complete_upload::ai_project_id");
    assert_eq!(json["changes"][0]["action"], "removed");

    // The other way round adds a setter: nothing breaks. A directory of specs works as a side too.
    let new_dir = dir.join("new-spec");
    std::fs::create_dir_all(&new_dir).unwrap();
    std::fs::copy(&old, new_dir.join("api.yaml")).unwrap();
    let o = bin().args(["diff", "--fail-on-breaking"]).arg(&new).arg(&new_dir).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("+ setter `complete_upload::ai_project_id` added"));
}

#[test]
fn crate_with_features_by_writes_the_features_table_and_lists_the_groups() {
    let dir = tmp("crate-features");
    let kinds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client-tests/spec/kinds.yaml");
    let o = bin().arg("crate").arg(&kinds).arg("-o").arg(&dir).args(["--features-by", "tag"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[features]\ndefault = [\"full\"]\n"), "{manifest}");
    assert!(manifest.contains("full = [\"auth\", \"bodies\", \"pages\", \"retries\", \"streaming\", \"untagged\"]"));
    assert!(
        stderr(&o).contains("6 features, grouped by tag") && stderr(&o).contains("  auth: 6 operations,"),
        "{}",
        stderr(&o)
    );
    let o = bin()
        .arg("crate")
        .arg(&kinds)
        .arg("-o")
        .arg(&dir)
        .args(["--features-by", "tag", "--default-features", "none"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(dir.join("Cargo.toml")).unwrap().contains("default = []\n"));
    let bad = bin().arg("crate").arg(&kinds).arg("-o").arg(&dir).args(["--features-by", "tags"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2), "a usage error: {}", stderr(&bad));
}

#[test]
fn a_client_split_into_features_is_written_a_file_per_group_beside_the_module() {
    let dir = tmp("split");
    let kinds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client-tests/spec/kinds.yaml");
    let out = dir.join("api.rs");
    let generate = |extra: &[&str]| {
        bin()
            .arg("generate")
            .arg(&kinds)
            .arg("-o")
            .arg(&out)
            .args(["--features-by", "tag"])
            .args(extra)
            .output()
            .unwrap()
    };
    // A file an earlier generation wrote, and one of the user's.
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join("api/gone.types.rs"), "// Generated by openapi-gen 0.0.0 from old.\n").unwrap();
    std::fs::write(dir.join("api/mine.rs"), "// kept\n").unwrap();
    let o = generate(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let main = std::fs::read_to_string(&out).unwrap();
    assert!(main.contains("#[cfg(feature = \"auth\")]\ninclude!(\"api/auth.methods.rs\");"), "{main}");
    assert!(main.contains("include!(\"api/auth.builders.rs\");") && !main.contains("pub fn auth_bearer("));
    let methods = std::fs::read_to_string(dir.join("api/auth.methods.rs")).unwrap();
    assert!(methods.starts_with("// Generated by openapi-gen") && methods.contains("pub fn auth_bearer("), "{methods}");
    assert!(!dir.join("api/gone.types.rs").exists(), "a part the client no longer has is removed");
    assert!(dir.join("api/mine.rs").exists(), "a file the generator did not write is left alone");
    assert_eq!(generate(&["--check"]).status.code(), Some(0), "fresh");
    std::fs::write(dir.join("api/auth.methods.rs"), "// edited\n").unwrap();
    let stale = generate(&["--check"]);
    assert_eq!(stale.status.code(), Some(1), "a stale part fails the check");
    assert!(stderr(&stale).contains("auth.methods.rs is stale"), "{}", stderr(&stale));
}

#[test]
fn a_tuple_warning_points_at_the_line_of_its_prefix_items() {
    let dir = tmp("tuple");
    let spec = dir.join("tuple.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /p:\n    get:\n      responses:\n        '200':\n\
         \x20         description: ok\n          content:\n            application/json:\n              schema:\n\
         \x20               type: array\n                prefixItems:\n                  - type: integer\n",
    )
    .unwrap();
    let o = bin().arg("generate").arg(&spec).arg("-o").arg(dir.join("o.rs")).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let at = format!(" --> {}:13:", spec.display());
    assert!(stderr(&o).contains(&at) && stderr(&o).contains("/schema/prefixItems"), "{}", stderr(&o));
}

#[test]
fn without_arguments_it_finds_the_project_as_cargo_finds_a_manifest() {
    let root = tmp("project");
    std::fs::create_dir_all(root.join("spec")).expect("spec/");
    std::fs::create_dir_all(root.join("src/deep")).expect("a subdirectory");
    std::fs::copy(seed(), root.join("spec/seed.yaml")).expect("the seed copied");
    std::fs::write(root.join("spec/openapi-gen.toml"), "[[spec]]\nfile = \"seed.yaml\"\n").expect("a manifest");
    // From the project root and from a directory below it: the same project.
    for from in [root.clone(), root.join("src/deep")] {
        let _ = std::fs::remove_file(root.join("generated/client.rs"));
        let o = bin().current_dir(&from).output().expect("runs");
        assert!(o.status.success(), "from {}: {}", from.display(), stderr(&o));
        let code = std::fs::read_to_string(root.join("generated/client.rs")).expect("written under the project root");
        assert!(code.contains("pub fn complete_upload("));
        assert!(root.join("generated/api.json").is_file(), "the API snapshot beside it");
    }
    // A manifest in the directory itself makes it the project.
    let flat = tmp("flat-project");
    std::fs::copy(seed(), flat.join("seed.yaml")).expect("the seed copied");
    std::fs::write(flat.join("openapi-gen.toml"), "[[spec]]\nfile = \"seed.yaml\"\n").expect("a manifest");
    let o = bin().current_dir(&flat).output().expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(flat.join("generated/client.rs").is_file());
    // None here or above: an error that says what was looked for.
    let empty = tmp("no-project");
    let o = bin().current_dir(&empty).output().expect("runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no openapi-gen.toml here") && stderr(&o).contains("generate SPEC"), "{}", stderr(&o));
}
