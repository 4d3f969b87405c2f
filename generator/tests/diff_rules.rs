//! The diff's "not breaking" holds for code outside the crate: a user crate
//! written against a client generated from `tests/data/pets-v1.json` still
//! compiles against the client of `pets-v2.json`, which makes one change of
//! each kind `openapi-gen diff` calls not breaking (a new method, setter,
//! optional request field, response field, enum value, union variant and
//! error status; a field turned nullable; a deprecation). And the compiler
//! enforces what makes that true: an exhaustive `match` on a generated enum
//! does not compile outside the crate. (The client crate is built by the
//! Nebius crate's build script, as a user's crate would be; the scratch
//! crates' target dir is the one its `spec_bump` test uses.)

#[path = "../../tests/scratch/mod.rs"]
mod scratch;

use openapi_gen::diff::Diff;
use scratch::{check, root, workspace, write};
use std::path::Path;

/// Code written against v1, as the diff's rules say it may be written.
const USER_CODE: &str = r#"
use pets::types::{Label, ListPetsError, NewPet, Pet, PetKind};

pub fn describe(pet: &Pet) -> String {
    let kind = match &pet.kind {
        PetKind::Dog => "dog",
        PetKind::Cat => "cat",
        _ => "another kind",
    };
    let label = match &pet.label {
        Some(Label::String(s)) => s.clone(),
        Some(Label::Integer(i)) => i.to_string(),
        Some(_) | None => String::new(),
    };
    format!("{} {} {kind} {label} {:?}", pet.id, pet.name, pet.note)
}

pub async fn run(client: &pets::Client) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let new = NewPet::new("Rex").nickname("R");
    let created = client.create_pet(&new).await?;
    let listed = match client.list_pets().limit(10).await {
        Ok(pets) => pets,
        Err(pets::Error::Api { body: ListPetsError::Status400(problem), .. }) => {
            return Err(problem.detail.unwrap_or_default().into())
        }
        Err(pets::Error::Api { .. }) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    Ok(std::iter::once(&created).chain(&listed).map(describe).collect())
}
"#;

#[test]
fn code_written_against_the_old_spec_compiles_against_every_change_the_diff_calls_not_breaking() {
    let data = root().join("tests/data");
    let (v1, v2) = (data.join("pets-v1.json"), data.join("pets-v2.json"));
    let api = |p: &Path| openapi_gen::Config::new().spec(p).api().expect("the spec generates");
    let diff = Diff::new(&api(&v1), &api(&v2));
    assert!(diff.changes.len() >= 9 && diff.changes.iter().all(|c| !c.breaking), "{:#?}", diff.changes);

    let dir = std::env::temp_dir().join(format!("diff-rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root = workspace();
    let path = |p: &str| root.join(p).display().to_string().replace('\\', "/");
    write(
        &dir.join("pets/Cargo.toml"),
        &format!(
            "[package]\nname = \"pets\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n\
             [dependencies]\nopenapi-gen-runtime = {{ path = \"{}\" }}\nserde = \"1\"\nserde_json = \"1\"\n\n\
             [build-dependencies]\nopenapi-gen = {{ path = \"{}\", optional = true }}\n\n\
             [features]\ndefault = [\"regenerate\"]\nregenerate = [\"dep:openapi-gen\"]\n",
            path("runtime"),
            path("generator")
        ),
    );
    std::fs::copy(root.join("build.rs"), dir.join("pets/build.rs")).expect("build.rs is copied");
    write(&dir.join("pets/src/lib.rs"), "include!(concat!(env!(\"OUT_DIR\"), \"/client.rs\"));\n");
    write(
        &dir.join("user/Cargo.toml"),
        "[package]\nname = \"user\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\npets = { path = \"../pets\" }\n\n[workspace]\n",
    );
    std::fs::copy(root.join("Cargo.lock"), dir.join("user/Cargo.lock")).expect("Cargo.lock is copied");
    let spec = dir.join("pets/spec/api.json");
    let copy = |from: &Path| write(&spec, &std::fs::read_to_string(from).expect("the spec is read"));

    // The compiler holds user code to the rules: no exhaustive match on a generated enum.
    copy(&v1);
    let exhaustive = "pub fn f(k: &pets::types::PetKind) -> u8 {\n\
        match k { pets::types::PetKind::Dog => 0, pets::types::PetKind::Cat => 1, pets::types::PetKind::Other(_) => 2 }\n}\n";
    write(&dir.join("user/src/lib.rs"), exhaustive);
    let (ok, log) = check(&dir.join("user/Cargo.toml"));
    assert!(!ok && log.contains("E0004"), "an exhaustive match on a generated enum must not compile:\n{log}");

    write(&dir.join("user/src/lib.rs"), USER_CODE);
    let (ok, log) = check(&dir.join("user/Cargo.toml"));
    assert!(ok, "the user crate builds against v1:\n{log}");
    copy(&v2);
    let (ok, log) = check(&dir.join("user/Cargo.toml"));
    assert!(ok, "every change the diff calls not breaking keeps the user crate building:\n{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
