//! Fragments of one document (`files = "dir/*.yaml"` in the manifest) merge
//! as one spec: what they define alike is one type, what they define
//! differently is an error at both places unless the manifest renames one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-gen-fragments-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("api")).expect("a temporary directory");
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("written");
}

/// A fragment as FastAPI's reference pages show them: one operation, the
/// components it uses, `Problem` spelled as `problem` says.
fn fragment(path: &str, id: &str, problem: &str) -> String {
    format!(
        r##"openapi: 3.1.0
info: {{title: Fragments, version: "1"}}
servers: [{{url: "https://api.example.com"}}]
paths:
  {path}:
    get:
      operationId: {id}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Thing"}}
        "422":
          description: Validation Error
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Problem"}}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {{type: string}}
    Problem:
{problem}
"##
    )
}

const PROBLEM: &str = "      type: object\n      properties:\n        detail: {type: string}";
const OTHER_PROBLEM: &str = "      type: object\n      properties:\n        detail: {type: integer}";

fn generate(dir: &Path, manifest: &str) -> (Output, String) {
    write(dir, "openapi-gen.toml", manifest);
    let out = dir.join("client.rs");
    let output = Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .arg("generate")
        .arg("--manifest")
        .arg(dir.join("openapi-gen.toml"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    (output, std::fs::read_to_string(&out).unwrap_or_default())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn fragments_of_a_pattern_share_what_they_define_alike() {
    let dir = tmp("alike");
    write(&dir.join("api"), "a.yaml", &fragment("/v1/a", "get_a", PROBLEM));
    write(&dir.join("api"), "b.yaml", &fragment("/v1/b", "get_b", PROBLEM));
    write(&dir.join("api"), "notes.txt", "not a fragment");
    let (o, code) = generate(&dir, "[[spec]]\nfiles = \"api/*.yaml\"\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(code.contains("pub fn get_a(") && code.contains("pub fn get_b("), "both operations");
    assert_eq!(code.matches("pub struct Thing ").count(), 1, "one Thing");
    assert_eq!(code.matches("pub struct Problem ").count(), 1, "one Problem");
    assert!(!code.contains("Problem_b"), "nothing renamed");
}

#[test]
fn a_component_defined_differently_is_an_error_at_both_places() {
    let dir = tmp("differ");
    write(&dir.join("api"), "a.yaml", &fragment("/v1/a", "get_a", PROBLEM));
    write(&dir.join("api"), "b.yaml", &fragment("/v1/b", "get_b", OTHER_PROBLEM));
    let (o, _) = generate(&dir, "[[spec]]\nfiles = \"api/*.yaml\"\n");
    let err = stderr(&o);
    assert!(!o.status.success(), "a conflict fails");
    // `Problem:` is line 25 of each fragment, its name at column 5; each
    // error is placed at one and names the other.
    for (file, other) in [("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")] {
        let here = format!("api/{file}:25:5");
        let error = err
            .split("error[OAG0003]: ")
            .find(|e| e.contains(&here))
            .unwrap_or_else(|| panic!("an error at {here}:\n{err}"));
        let message = error.lines().next().unwrap_or_default();
        assert!(message.contains(&format!("api/{other}#/components/schemas/Problem")), "{message}");
        assert!(message.contains("defined differently"), "{message}");
    }
    assert!(err.contains("rename"), "says how to resolve it: {err}");
}

#[test]
fn a_rename_in_the_manifest_resolves_a_conflict() {
    let dir = tmp("rename");
    write(&dir.join("api"), "a.yaml", &fragment("/v1/a", "get_a", PROBLEM));
    write(&dir.join("api"), "b.yaml", &fragment("/v1/b", "get_b", OTHER_PROBLEM));
    let manifest = "[[spec]]\nfiles = \"api/*.yaml\"\n\n[[spec]]\nfile = \"api/b.yaml\"\ndocument = \"api/*.yaml\"\n\
                    rename = { \"schemas/Problem\" = \"NumberedProblem\" }\n";
    let (o, code) = generate(&dir, manifest);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(code.matches("pub struct Thing ").count(), 1, "Thing is still shared");
    assert!(code.contains("pub struct Problem ") && code.contains("pub struct NumberedProblem "), "both kept");
    assert!(
        code.contains("pub fn get_a(") && code.contains("pub fn get_b("),
        "b.yaml is read once, from its own entry"
    );
    assert!(stderr(&o).contains("renamed by the manifest: schemas/Problem -> NumberedProblem"), "{}", stderr(&o));
}

#[test]
fn the_report_counts_fragments_and_names_what_they_share_and_what_was_renamed() {
    let dir = tmp("report");
    write(&dir.join("api"), "a.yaml", &fragment("/v1/a", "get_a", PROBLEM));
    write(&dir.join("api"), "b.yaml", &fragment("/v1/b", "get_b", PROBLEM));
    write(&dir.join("api"), "c.yaml", &fragment("/v1/c", "get_c", OTHER_PROBLEM));
    let manifest = "[[spec]]\nfiles = \"api/*.yaml\"\ndocument = \"api\"\n\n[[spec]]\nfile = \"api/c.yaml\"\n\
                    document = \"api\"\nrename = { \"schemas/Problem\" = \"NumberedProblem\" }\n";
    write(&dir, "openapi-gen.toml", manifest);
    let report = dir.join("report.json");
    let o = Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .args(["generate", "--manifest"])
        .arg(dir.join("openapi-gen.toml"))
        .arg("-o")
        .arg(dir.join("client.rs"))
        .arg("--report")
        .arg(&report)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("a report")).expect("JSON");
    assert_eq!(
        json["documents"],
        serde_json::json!([{
            "name": "api",
            "fragments": 3,
            "shared_components": ["schemas/Problem", "schemas/Thing"],
            "renamed": ["schemas/Problem -> NumberedProblem"],
        }]),
        "Thing is in all three, Problem in a and b; c's Problem is renamed"
    );
    assert!(stderr(&o).contains("api: 3 fragments, 2 shared components (Problem, Thing)"), "{}", stderr(&o));
}

#[test]
fn a_pattern_that_matches_nothing_is_an_error() {
    let dir = tmp("none");
    let (o, _) = generate(&dir, "[[spec]]\nfiles = \"api/*.json\"\n");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("matches no file"), "{}", stderr(&o));
}

#[test]
fn manifest_mistakes_are_named() {
    let dir = tmp("mistakes");
    write(&dir.join("api"), "a.yaml", &fragment("/v1/a", "get_a", PROBLEM));
    let cases = [
        ("[[spec]]\nfile = \"api/a.yaml\"\nfiles = \"api/*.yaml\"\n", "not both"),
        ("[[spec]]\nfiles = \"api/*.yaml\"\noverlays = [\"o.yaml\"]\n", "apply to one file"),
        ("[[spec]]\nfiles = \"*/a.yaml\"\n", "not the folder"),
        ("[[spec]]\nfile = \"api/a.yaml\"\nrename = { \"Problem\" = \"P\" }\n", "schemas/Name"),
        ("[[spec]]\nfile = \"api/a.yaml\"\nrename = { \"schemas/Nothing\" = \"P\" }\n", "defines no such component"),
    ];
    for (manifest, says) in cases {
        let (o, _) = generate(&dir, manifest);
        assert!(!o.status.success(), "{manifest}");
        assert!(stderr(&o).contains(says), "{manifest}: {}", stderr(&o));
    }
}
