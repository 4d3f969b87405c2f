//! What a program that depends on the crate compiles: the runtime and the
//! committed client, never the generator (an optional build dependency
//! behind `regenerate`) and, by default, no aws-lc C build (HTTPS through
//! rustls with ring). Read from `cargo tree` of a new crate beside this one,
//! resolved offline against this workspace's lock file; nothing is built.

mod scratch;

use std::process::Command;

/// The dependency tree (normal and build dependencies, every crate once)
/// of a new crate depending on this one with `dependency`'s options.
fn tree_of_dependent(name: &str, dependency: &str) -> String {
    let dir = std::env::temp_dir().join(format!("nebius-dependent-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root = scratch::root().display().to_string().replace('\\', "/");
    scratch::write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n\
             nebius-token-factory = {{ path = \"{root}\"{dependency} }}\n\n[workspace]\n"
        ),
    );
    scratch::write(&dir.join("src/main.rs"), "fn main() {}\n");
    std::fs::copy(scratch::workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock is copied");
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--prefix", "none", "--no-dedupe", "-e", "normal,build", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn has(tree: &str, krate: &str) -> bool {
    tree.lines().any(|line| line.split(' ').next() == Some(krate))
}

#[test]
fn a_dependent_compiles_the_committed_client_not_the_generator() {
    for (name, dependency) in
        [("dependent-default", ""), ("dependent-chat", ", default-features = false, features = [\"chat\"]")]
    {
        let tree = tree_of_dependent(name, dependency);
        assert!(has(&tree, "openapi-gen-runtime"), "{name} uses the runtime:\n{tree}");
        for absent in ["openapi-gen", "prettyplease", "openapiv3", "serde-saphyr", "serde_json_path", "aws-lc-sys"] {
            assert!(!has(&tree, absent), "{name} compiles {absent}:\n{tree}");
        }
        assert!(has(&tree, "ring"), "{name} has HTTPS through ring:\n{tree}");
    }
    // Asking for them brings them: the generator with `regenerate`, aws-lc with `tls-aws-lc`.
    let tree = tree_of_dependent("dependent-regenerate", ", features = [\"regenerate\", \"tls-aws-lc\"]");
    assert!(has(&tree, "openapi-gen") && has(&tree, "aws-lc-sys"), "{tree}");
}
