//! Generation settings ([`Config`], in the spirit of `prost_build::Config`):
//! what build scripts, the command line and tests call. [`Config::plan`] says
//! what to generate; [`crate::pipeline`] generates it.
//!
//! A spec directory can describe a multi-spec API in a manifest,
//! `openapi-gen.toml`, beside the specs:
//!
//! ```toml
//! env_prefix = "NEBIUS"          # optional: NEBIUS_API_KEY, NEBIUS_BASE_URL
//! exclude = ["tag:Internal"]     # optional: filters for every spec
//!
//! [[spec]]
//! file = "datasets.openapi.yaml" # the first spec names the API and its server
//!
//! [[spec]]
//! file = "openai.yaml"
//! # mount = "/v1"                # default: the path of the spec's first server URL
//! include = ["POST /v1/chat/completions", "GET /v1/models"]
//! ```

use crate::front::plan::{read_manifest, Plan, SpecSource, MANIFEST};
use crate::front::settings::{Overrides, Settings};
#[cfg(test)]
use crate::ground::diag::Diagnostics;
use crate::ground::diag::{GenError, Lint, Severity};
use crate::pipeline::{self, Generated};
use crate::write_if_changed;
use std::path::{Path, PathBuf};

/// Generation settings.
#[derive(Debug, Clone)]
pub struct Config {
    specs: Vec<SpecSource>,
    spec_dir: Option<PathBuf>,
    manifest: Option<PathBuf>,
    /// What the calls of the settings' methods set (they are declared in
    /// [`crate::front::settings`], with the manifest keys and flags they bind to).
    pub(crate) overrides: Overrides,
    out_file_name: String,
    /// Overlays for the plan's first spec (given before any `spec`).
    overlays: Vec<PathBuf>,
    undeclared_errors: Option<String>,
    pagination: Vec<(String, serde_json::Value)>,
    polling: Vec<(String, serde_json::Value)>,
    feature_lists: Vec<(String, Vec<String>)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            specs: Vec::new(),
            spec_dir: None,
            manifest: None,
            overrides: Overrides::default(),
            out_file_name: "client.rs".into(),
            overlays: Vec::new(),
            undeclared_errors: None,
            pagination: Vec::new(),
            polling: Vec::new(),
            feature_lists: Vec::new(),
        }
    }
}

impl Config {
    pub fn new() -> Self {
        Config::default()
    }

    /// A spec file to generate from. Call it again to merge several specs
    /// into one client; the first names the API and its server.
    pub fn spec(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.specs.push(SpecSource::new(path));
        self
    }

    /// A spec with its own mount point and filters.
    pub fn spec_source(&mut self, source: SpecSource) -> &mut Self {
        self.specs.push(source);
        self
    }

    /// An overlay (OpenAPI Overlay 1.0 or 1.1) for the spec added last with
    /// [`Config::spec`]; before any, for the first spec of the plan (the one
    /// spec of a spec directory). Overlays apply in the order given.
    pub fn overlay(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        match self.specs.last_mut() {
            Some(spec) => spec.overlays.push(path.into()),
            None => self.overlays.push(path.into()),
        }
        self
    }

    /// A feature named `name` holding the operations the patterns match
    /// (the manifest's `[[feature]]`); the rest are grouped by
    /// [`Config::features_by`] (by tag when it is not set).
    pub fn feature<S: Into<String>>(
        &mut self,
        name: impl Into<String>,
        patterns: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        self.feature_lists.push((name.into(), patterns.into_iter().map(Into::into).collect()));
        self
    }

    /// How the operations `pattern` matches page (`METHOD /path`, `tag:NAME`
    /// or an operationId): what their `x-pagination` would say, such as
    /// `json!({"style": "cursor", "param": "after", "next": "last_id"})`,
    /// or `false` for none. Later declarations win.
    pub fn pagination(&mut self, pattern: impl Into<String>, declaration: serde_json::Value) -> &mut Self {
        self.pagination.push((pattern.into(), declaration));
        self
    }

    /// How the operations `pattern` matches are polled by `.wait()`: what
    /// their `x-polling` would say, such as `json!({"status": "status",
    /// "done": ["completed", "failed"], "failed": ["failed"]})`, or `false`
    /// for not. Later declarations win.
    pub fn polling(&mut self, pattern: impl Into<String>, declaration: serde_json::Value) -> &mut Self {
        self.polling.push((pattern.into(), declaration));
        self
    }

    /// A schema (a name under `#/components/schemas`) that types every error
    /// status an operation of the spec added last with [`Config::spec`] does
    /// not declare; before any, of the first spec of the plan. OpenAI's is
    /// `ErrorResponse`. A body that does not fit it stays an untyped error.
    pub fn undeclared_errors(&mut self, schema: impl Into<String>) -> &mut Self {
        match self.specs.last_mut() {
            Some(spec) => spec.undeclared_errors = Some(schema.into()),
            None => self.undeclared_errors = Some(schema.into()),
        }
        self
    }

    /// A directory holding either a manifest (`openapi-gen.toml`) or one spec
    /// file (`*.yaml`, `*.yml` or `*.json`).
    pub fn spec_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.spec_dir = Some(dir.into());
        self
    }

    /// A manifest file (see the module docs).
    pub fn manifest(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.manifest = Some(path.into());
        self
    }

    /// Fail when the spec gives any warning (default: warnings pass,
    /// reported): the setting `deny` with `warnings`.
    pub fn deny_warnings(&mut self, on: bool) -> &mut Self {
        self.overrides.deny.retain(|l| *l != Lint::Warnings);
        if on {
            self.overrides.deny.push(Lint::Warnings);
        }
        self
    }

    /// Apply settings a binding gathered (the command line's flags): lists
    /// add to what was set, the rest override it.
    pub fn overrides(&mut self, later: &Overrides) -> &mut Self {
        self.overrides.and(later);
        self
    }

    /// The client's main file name (default `client.rs`): what
    /// [`Config::build_script`] writes into `OUT_DIR`, and what names the
    /// folder beside it of a client split into features (`client/`).
    pub fn out_file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.out_file_name = name.into();
        self
    }

    /// The specs, filters and prefix this configuration stands for.
    pub fn plan(&self) -> Result<Plan, GenError> {
        let mut plan = if !self.specs.is_empty() {
            Plan { sources: self.specs.clone(), ..Plan::default() }
        } else if let Some(manifest) = &self.manifest {
            read_manifest(manifest)?
        } else {
            let dir = self.spec_dir.clone().unwrap_or_else(|| PathBuf::from("spec"));
            if dir.join(MANIFEST).is_file() {
                read_manifest(&dir.join(MANIFEST))?
            } else {
                Plan { sources: vec![SpecSource::new(crate::find_spec(&dir)?)], ..Plan::default() }
            }
        };
        if let Some(first) = plan.sources.first_mut() {
            first.overlays.extend(self.overlays.iter().cloned());
            if self.undeclared_errors.is_some() {
                first.undeclared_errors = self.undeclared_errors.clone();
            }
        }
        if plan.inputs.is_empty() {
            plan.inputs = crate::front::plan::input_files(&plan.sources);
        } else {
            plan.inputs.extend(self.overlays.iter().cloned());
        }
        self.overrides.apply(&mut plan.settings);
        plan.main_stem = self.main_stem();
        plan.pagination.extend(self.pagination.iter().cloned());
        plan.polling.extend(self.polling.iter().cloned());
        plan.feature_lists.extend(self.feature_lists.iter().cloned());
        Ok(plan)
    }

    /// Generate the client source.
    pub fn generate(&self) -> Result<Generated, GenError> {
        pipeline::generate(&self.plan()?)
    }

    /// Generate from a document already loaded (named `source_name` in
    /// messages), with this configuration's filters and settings.
    pub fn generate_value(&self, doc: serde_json::Value, source_name: &str) -> Result<Generated, GenError> {
        pipeline::generate_loaded(self.loaded_plan(source_name), doc)
    }

    /// The Rust API the client would have (what `openapi-gen diff` compares),
    /// without generating its code.
    pub fn api(&self) -> Result<crate::outputs::diff::Surface, GenError> {
        pipeline::api(&self.plan()?)
    }

    /// The plan for one document handed over already loaded.
    fn loaded_plan(&self, source_name: &str) -> Plan {
        let mut settings = Settings::default();
        self.overrides.apply(&mut settings);
        Plan {
            sources: vec![SpecSource {
                overlays: self.overlays.clone(),
                undeclared_errors: self.undeclared_errors.clone(),
                ..SpecSource::new(source_name)
            }],
            settings,
            pagination: self.pagination.clone(),
            polling: self.polling.clone(),
            feature_lists: self.feature_lists.clone(),
            inputs: Vec::new(),
            main_stem: self.main_stem(),
        }
    }

    /// The main file's name without `.rs` (see [`Plan::main_stem`]).
    fn main_stem(&self) -> String {
        self.out_file_name.strip_suffix(".rs").unwrap_or(&self.out_file_name).to_string()
    }

    /// The stages up to the IR, on a document already loaded.
    #[cfg(test)]
    pub(crate) fn build_ir(&self, doc: serde_json::Value) -> Result<(crate::stages::ir::Ir, Diagnostics), GenError> {
        pipeline::ir_of_loaded(self.loaded_plan("spec.json"), doc)
    }

    /// For `build.rs`: generate into `$OUT_DIR/<out_file_name>`, ask cargo to
    /// rerun when a spec or the manifest changes, and pass warnings on as cargo warnings.
    pub fn build_script(&self) -> Result<PathBuf, GenError> {
        let plan = self.plan()?;
        for input in &plan.inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        if let Some(dir) = &self.spec_dir {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
        let mut generated = self.generate()?;
        let warnings: Vec<_> = generated.diagnostics.iter().filter(|d| d.severity == Severity::Warning).collect();
        for d in warnings.iter().take(20) {
            println!("cargo:warning={}", generated.sources.one_line(d));
        }
        if warnings.len() > 20 {
            if let Some(summary) = crate::ground::source::summary(&generated.diagnostics) {
                println!("cargo:warning={summary} (run `openapi-gen` to see them all)");
            }
        }
        let out_dir = std::env::var_os("OUT_DIR")
            .ok_or_else(|| GenError::config("the environment", "OUT_DIR is not set (not in a build script?)"))?;
        let out = Path::new(&out_dir).join(&self.out_file_name);
        generated.write(&out)?;
        if let Some(features) = &generated.report.features {
            check_crate_features(features, Path::new(&out_dir))?;
        }
        Ok(out)
    }
}

/// In a build script, whether the crate being built declares the client's
/// features; when it does not, cargo warnings say what differs and where the
/// table to paste is (`$OUT_DIR/features.toml`).
fn check_crate_features(
    features: &crate::outputs::cargo_features::FeatureReport,
    out_dir: &Path,
) -> Result<(), GenError> {
    let table = features.table(true);
    let path = out_dir.join("features.toml");
    write_if_changed(&path, &table)?;
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else { return Ok(()) };
    let manifest = Path::new(&dir).join("Cargo.toml");
    println!("cargo:rerun-if-changed={}", manifest.display());
    let text = std::fs::read_to_string(&manifest).unwrap_or_default();
    if let Err(problem) = features.check_manifest(&text) {
        println!("cargo:warning={problem}");
        println!("cargo:warning=the [features] table to paste into Cargo.toml is in {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::diag::Code;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("openapi-gen-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_manifest_lists_specs_relative_to_itself() {
        let dir = temp_dir("manifest");
        std::fs::write(
            dir.join(MANIFEST),
            "env_prefix = \"X\"\nexclude = [\"tag:Admin\"]\n[[spec]]\nfile = \"a.yaml\"\n\
             [[spec]]\nfile = \"b.json\"\nmount = \"/v2\"\ninclude = [\"GET /v2/*\"]\n",
        )
        .unwrap();
        let plan = Config::new().spec_dir(&dir).plan().unwrap();
        assert_eq!(plan.sources.len(), 2);
        assert_eq!(plan.sources[0].path, dir.join("a.yaml"));
        assert_eq!(plan.sources[1].mount.as_deref(), Some("/v2"));
        assert_eq!(plan.sources[1].include, ["GET /v2/*"]);
        assert_eq!(plan.settings.exclude, ["tag:Admin"]);
        assert_eq!(plan.settings.env_prefix.as_deref(), Some("X"));
        assert!(plan.inputs.contains(&dir.join(MANIFEST)));
        let plan = Config::new().spec_dir(&dir).env_prefix("Y").exclude("x").plan().unwrap();
        assert_eq!(plan.settings.env_prefix.as_deref(), Some("Y"));
        assert_eq!(plan.settings.exclude, ["tag:Admin", "x"]);
    }

    #[test]
    fn a_manifest_splits_the_client_into_features() {
        let dir = temp_dir("features");
        let spec = "[[spec]]\nfile = \"a.yaml\"\n";
        std::fs::write(
            dir.join(MANIFEST),
            format!("features_by = \"path\"\n[[feature]]\nname = \"batches\"\noperations = [\"tag:Batch\"]\n{spec}"),
        )
        .unwrap();
        let plan = Config::new().spec_dir(&dir).plan().unwrap();
        assert_eq!(plan.settings.features_by, Some(crate::FeaturesBy::Path));
        assert_eq!(plan.feature_lists, [("batches".to_string(), vec!["tag:Batch".to_string()])]);
        std::fs::write(dir.join(MANIFEST), format!("features_by = \"tags\"\n{spec}")).unwrap();
        let err = Config::new().spec_dir(&dir).plan().unwrap_err().to_string();
        assert!(err.contains("`tag` or `path`, not `tags`"), "{err}");
        std::fs::write(dir.join(MANIFEST), spec).unwrap();
        assert_eq!(Config::new().spec_dir(&dir).plan().unwrap().grouping(), None, "not split unless asked");
        let plan = Config::new().spec_dir(&dir).feature("x", ["getX"]).plan().unwrap();
        assert_eq!(plan.grouping(), Some(crate::FeaturesBy::Tag), "lists alone group the rest by tag");
    }

    #[test]
    fn manifest_errors_name_the_file_and_line() {
        let dir = temp_dir("bad-manifest");
        std::fs::write(dir.join(MANIFEST), "[[spec]]\nfile = \"a.yaml\"\nflie = 1\n").unwrap();
        let err = Config::new().spec_dir(&dir).plan().unwrap_err();
        let GenError::Config { place, line, message } = &err else { panic!("not a settings error: {err}") };
        assert!(place.ends_with(MANIFEST), "{err}");
        assert_eq!(*line, Some(3), "{err}");
        assert!(message.contains("flie"), "{err}");
        std::fs::write(dir.join(MANIFEST), "mock = \"yes\"\n[[spec]]\nfile = \"a.yaml\"\n").unwrap();
        let err = Config::new().spec_dir(&dir).plan().unwrap_err();
        assert!(matches!(err, GenError::Config { line: Some(1), .. }), "a setting's line: {err}");
        std::fs::write(dir.join(MANIFEST), "deny = [\"OAG0001\"]\n[[spec]]\nfile = \"a.yaml\"\n").unwrap();
        let err = Config::new().spec_dir(&dir).plan().unwrap_err().to_string();
        assert!(err.contains("OAG0001 is an error"), "{err}");
        std::fs::write(dir.join(MANIFEST), "env_prefix = \"X\"\n").unwrap();
        assert!(Config::new().spec_dir(&dir).plan().unwrap_err().to_string().contains("no [[spec]]"));
    }

    #[test]
    fn a_loaded_document_goes_through_the_filters_and_denied_warnings() {
        let doc = serde_json::json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {
            "/a": {"get": {"operationId": "getA", "responses": {"204": {"description": "ok"}}}},
            "/b": {"get": {"operationId": "getB", "parameters": [{"name": "Accept", "in": "header", "schema": {"type": "string"}}],
                "responses": {"204": {"description": "ok"}}}}
        }});
        let g = Config::new().include("getA").generate_value(doc.clone(), "t.json").unwrap();
        assert!(g.code.contains("pub fn get_a(") && !g.code.contains("pub fn get_b("), "filtered");
        assert_eq!(g.report.removed_by_filter.operations.len(), 1);
        let g = Config::new().generate_value(doc.clone(), "t.json").unwrap();
        assert!(!g.diagnostics.is_empty(), "the Accept header is reported");
        let err = Config::new().deny_warnings(true).generate_value(doc.clone(), "t.json").unwrap_err();
        let codes: Vec<_> = err.diagnostics().iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(codes, [(Code::ClientHeader, Severity::Error)], "{err}");
        let err = Config::new().deny(Code::ClientHeader).generate_value(doc.clone(), "t.json").unwrap_err();
        assert_eq!(err.diagnostics()[0].code, Code::ClientHeader);
        let g = Config::new().deny(Code::Example).generate_value(doc.clone(), "t.json").unwrap();
        assert_eq!(g.diagnostics[0].severity, Severity::Warning, "only the denied code stops it");
        let g = Config::new().allow(Code::ClientHeader).deny_warnings(true).generate_value(doc, "t.json");
        assert!(g.is_err(), "a code both allowed and denied is denied");
    }
}
