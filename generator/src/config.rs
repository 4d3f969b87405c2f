//! Generation settings ([`Config`], in the spirit of `prost_build::Config`) and
//! the manifest that lets a `spec/` directory describe a multi-spec API.
//!
//! A manifest is `openapi-gen.toml` beside the specs:
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

use crate::diag::{Diagnostic, Diagnostics, GenError, Report, Severity};
use crate::filter::{self, Filter, Removed};
use crate::merge::{self, Part};
use crate::{codegen, format, ir, load, normalize, on_big_stack, write_if_changed, Generated};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The manifest's file name in a spec directory.
pub const MANIFEST: &str = "openapi-gen.toml";

/// One spec of the API, with how it is mounted and filtered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecSource {
    pub path: PathBuf,
    /// Prefix for its paths. Default: none for a single spec; for several,
    /// the path of each spec's first server URL.
    pub mount: Option<String>,
    /// Operation patterns (see [`crate::filter`]).
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl SpecSource {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        SpecSource { path: path.into(), ..SpecSource::default() }
    }

    fn name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// What to generate, once the spec directory and manifest are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub sources: Vec<SpecSource>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub env_prefix: Option<String>,
    /// Files whose change means regenerating (specs and manifest).
    pub inputs: Vec<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    env_prefix: Option<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default, rename = "spec")]
    specs: Vec<ManifestSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestSpec {
    file: PathBuf,
    mount: Option<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

/// Make and format `items` on every core: they are split into runs, each made
/// into tokens and formatted on one thread (tokens cannot move between
/// threads), and the texts joined in order.
fn in_parallel<T: Sync>(
    items: &[T],
    run: impl Fn(&[T]) -> Result<String, GenError> + Sync,
) -> Result<String, GenError> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    // Small specs: one run, no threads.
    if threads == 1 || items.len() < 200 {
        return run(items);
    }
    let per = items.len().div_ceil(threads * 4);
    let chunks: Vec<&[T]> = items.chunks(per).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<Option<Result<String, GenError>>> = (0..chunks.len()).map(|_| None).collect();
    let results = std::sync::Mutex::new(&mut done);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let spawned = std::thread::Builder::new().stack_size(64 << 20).spawn_scoped(scope, || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(chunk) = chunks.get(i) else { break };
                let formatted = run(chunk);
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(formatted);
                }
            });
            if spawned.is_err() {
                break;
            }
        }
    });
    let mut body = String::new();
    for (i, part) in done.into_iter().enumerate() {
        match part {
            Some(Ok(text)) => body.push_str(&text),
            Some(Err(e)) => return Err(e),
            // A thread could not start: do its share here.
            None => body.push_str(&run(chunks[i])?),
        }
    }
    Ok(body)
}

/// Read a manifest; spec files are relative to its directory.
pub fn read_manifest(path: &Path) -> Result<Plan, GenError> {
    let place = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| GenError::single(Diagnostic::error(&place, format!("cannot read the manifest: {e}"))))?;
    let file: ManifestFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let message = e.message().to_string();
        GenError::single(Diagnostic::error(&place, format!("invalid manifest: {message}")).at_line_opt(line))
    })?;
    if file.specs.is_empty() {
        return Err(GenError::single(Diagnostic::error(&place, "the manifest lists no [[spec]]")));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let sources: Vec<SpecSource> = file
        .specs
        .into_iter()
        .map(|s| SpecSource { path: dir.join(s.file), mount: s.mount, include: s.include, exclude: s.exclude })
        .collect();
    let mut inputs: Vec<PathBuf> = sources.iter().map(|s| s.path.clone()).collect();
    inputs.push(path.to_path_buf());
    Ok(Plan { sources, include: file.include, exclude: file.exclude, env_prefix: file.env_prefix, inputs })
}

/// Generation settings.
#[derive(Debug, Clone)]
pub struct Config {
    specs: Vec<SpecSource>,
    spec_dir: Option<PathBuf>,
    manifest: Option<PathBuf>,
    include: Vec<String>,
    exclude: Vec<String>,
    env_prefix: Option<String>,
    example_tests: bool,
    deny_warnings: bool,
    out_file_name: String,
    /// Stop after the IR: the Rust API only, no code (`Config::api`).
    api_only: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            specs: Vec::new(),
            spec_dir: None,
            manifest: None,
            include: Vec::new(),
            exclude: Vec::new(),
            env_prefix: None,
            example_tests: true,
            deny_warnings: false,
            out_file_name: "client.rs".into(),
            api_only: false,
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

    /// Keep only operations matching this pattern (and any other includes),
    /// in every spec: `GET|POST /v1/files`, `tag:Files`, `createFile`; `*` is a wildcard.
    pub fn include(&mut self, pattern: impl Into<String>) -> &mut Self {
        self.include.push(pattern.into());
        self
    }

    /// Leave out operations matching this pattern, in every spec.
    pub fn exclude(&mut self, pattern: impl Into<String>) -> &mut Self {
        self.exclude.push(pattern.into());
        self
    }

    /// Prefix of the variables `Client::from_env` reads: `NEBIUS` gives
    /// `NEBIUS_API_KEY` and `NEBIUS_BASE_URL`. Default: the manifest's, or the
    /// first word of the spec's title.
    pub fn env_prefix(&mut self, prefix: impl Into<String>) -> &mut Self {
        self.env_prefix = Some(prefix.into());
        self
    }

    /// Emit a round-trip test for every example in the spec (default: on).
    pub fn example_tests(&mut self, on: bool) -> &mut Self {
        self.example_tests = on;
        self
    }

    /// Fail when the spec gives any warning (default: warnings pass, reported).
    pub fn deny_warnings(&mut self, on: bool) -> &mut Self {
        self.deny_warnings = on;
        self
    }

    /// File name written into `OUT_DIR` by [`Config::build_script`] (default `client.rs`).
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
        if plan.inputs.is_empty() {
            plan.inputs = plan.sources.iter().map(|s| s.path.clone()).collect();
        }
        plan.include.extend(self.include.iter().cloned());
        plan.exclude.extend(self.exclude.iter().cloned());
        if self.env_prefix.is_some() {
            plan.env_prefix = self.env_prefix.clone();
        }
        Ok(plan)
    }

    /// The Rust API the client would have (what `openapi-gen diff` compares),
    /// without generating its code.
    pub fn api(&self) -> Result<crate::diff::Surface, GenError> {
        let mut quick = self.clone();
        quick.api_only = true;
        quick.example_tests = false;
        quick.generate().map(|g| g.surface)
    }

    /// Generate the client source.
    pub fn generate(&self) -> Result<Generated, GenError> {
        let generated = on_big_stack(|| self.generate_here())?;
        let warnings = generated.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        if self.deny_warnings && warnings > 0 {
            let mut diagnostics = generated.diagnostics;
            diagnostics.push(Diagnostic::error("#", format!("{warnings} warnings, and warnings are denied")));
            return Err(GenError { diagnostics });
        }
        Ok(generated)
    }

    fn generate_here(&self) -> Result<Generated, GenError> {
        let mut timings = crate::Timings::default();
        let mut mark = std::time::Instant::now();
        let plan = self.plan()?;
        let multi = plan.sources.len() > 1;
        let global = Filter {
            include: filter::parse_patterns(plan.include.iter().map(String::as_str), "include")?,
            exclude: filter::parse_patterns(plan.exclude.iter().map(String::as_str), "exclude")?,
        };
        let mut diags = Diagnostics::default();
        let mut removed = Removed::default();
        let mut parts = Vec::new();
        let mut specs = Vec::new();
        for source in &plan.sources {
            let name = source.name();
            let file = source.path.display().to_string();
            // Every message of this spec's own stages names its file.
            let located =
                |e: GenError| GenError { diagnostics: e.diagnostics.into_iter().map(|d| d.in_file(&file)).collect() };
            let mut doc = load::load_file(&source.path).map_err(located)?;
            timings.lap("load", &mut mark);
            let mut local = Diagnostics::default();
            normalize::normalize(&mut doc, &mut local).map_err(located)?;
            timings.lap("normalize", &mut mark);
            let mount = source.mount.clone().or_else(|| multi.then(|| merge::base_path(&doc))).unwrap_or_default();
            merge::mount(&mut doc, &mount);
            let own = Filter {
                include: filter::parse_patterns(source.include.iter().map(String::as_str), &name)?,
                exclude: filter::parse_patterns(source.exclude.iter().map(String::as_str), &name)?,
            };
            removed.extend(filter::apply(&mut doc, &global.and(&own), &mut local));
            diags.items.extend(local.items.into_iter().map(|d| d.in_file(&file)));
            timings.lap("merge and filter", &mut mark);
            let info = |key: &str| {
                doc.pointer(&format!("/info/{key}")).and_then(|v| v.as_str()).unwrap_or_default().to_string()
            };
            specs.push(ir::SpecInfo { file: name.clone(), title: info("title"), version: info("version") });
            parts.push(Part { source: file, doc, mount: mount.trim_end_matches('/').to_string() });
        }
        let names: Vec<String> = plan.sources.iter().map(SpecSource::name).collect();
        // One spec: the later stages' pointers are into its file too.
        let single_file = (!multi).then(|| parts.first().map(|p| p.source.clone())).flatten();
        let (doc, origins) = if multi {
            merge::merge(parts, &mut diags)?
        } else {
            let doc = parts.pop().map(|p| p.doc);
            (
                doc.ok_or_else(|| GenError::single(Diagnostic::error("#", "no spec to generate from")))?,
                merge::Origins::default(),
            )
        };
        timings.lap("merge and filter", &mut mark);
        let ir_options = ir::IrOptions { env_prefix: plan.env_prefix.clone(), specs };
        // Point the later stages' messages into the files: the one spec, or
        // through the merge's record of where each part came from.
        let in_file = |mut d: Diagnostic| {
            if d.file.is_some() {
                return d;
            }
            if let Some(f) = &single_file {
                return d.in_file(f);
            }
            if let Some((file, pointer)) = origins.original(&d.pointer) {
                d.pointer = pointer;
                d.file = Some(file);
            }
            d
        };
        match self.finish(doc, &names.join(", "), diags, removed, &ir_options, &mut timings, &mut mark) {
            Ok(mut g) => {
                g.diagnostics = g.diagnostics.into_iter().map(in_file).collect();
                Ok(g)
            }
            Err(e) => Err(GenError { diagnostics: e.diagnostics.into_iter().map(in_file).collect() }),
        }
    }

    /// Generate from an already loaded document.
    pub fn generate_value(&self, mut doc: serde_json::Value, source_name: &str) -> Result<Generated, GenError> {
        on_big_stack(move || {
            let mut diags = Diagnostics::default();
            normalize::normalize(&mut doc, &mut diags)?;
            let ir_options = ir::IrOptions { env_prefix: self.env_prefix.clone(), specs: Vec::new() };
            let (mut timings, mut mark) = (crate::Timings::default(), std::time::Instant::now());
            self.finish(doc, source_name, diags, Removed::default(), &ir_options, &mut timings, &mut mark)
        })
    }

    /// From a normalized document to formatted code.
    fn finish(
        &self,
        doc: serde_json::Value,
        source_name: &str,
        mut diags: Diagnostics,
        removed: Removed,
        options: &ir::IrOptions,
        timings: &mut crate::Timings,
        mark: &mut std::time::Instant,
    ) -> Result<Generated, GenError> {
        let api = normalize::typed::into_model(doc, &mut diags)?;
        timings.lap("typed model", mark);
        let ir = ir::build(&api, options, &mut diags);
        // The typed document is not needed past the IR: free it before the
        // code, the largest part, is made.
        drop(api);
        timings.lap("ir", mark);
        if self.api_only {
            return Ok(Generated {
                code: String::new(),
                report: Report::new(ir.operations.len(), ir.types.types.len(), &diags),
                diagnostics: diags.items,
                example_tests: 0,
                timings: std::mem::take(timings),
                surface: crate::diff::surface(&ir),
            });
        }
        let header = format!(
            "Generated by openapi-gen {} from {source_name} ({} {}). Do not edit by hand.",
            env!("CARGO_PKG_VERSION"),
            ir.title,
            ir.version
        );
        let frame = codegen::generate_frame(&ir, codegen::CodegenOptions { example_tests: self.example_tests })?;
        let frame = format::format(frame, &header)?;
        let missing = |what: &str| {
            GenError::single(Diagnostic::error("#", format!("internal error in openapi-gen: no {what} to fill")))
        };
        let order = codegen::type_order(&ir);
        let ops: Vec<usize> = (0..ir.operations.len()).collect();
        let types = in_parallel(&order, |ids| format::format_module_body(codegen::type_items(&ir, ids)))?;
        let builders = in_parallel(&ops, |ops| format::format_module_body(codegen::builder_items(&ir, ops)))?;
        let methods = in_parallel(&ops, |ops| format::format_impl_body(codegen::method_items(&ir, ops)))?;
        let code = format::splice_module(&frame, "types", &types).ok_or_else(|| missing("types module"))?;
        let code = format::splice_module(&code, "builders", &builders).ok_or_else(|| missing("builders module"))?;
        let code = format::splice_block(&code, "impl Client {", &methods).ok_or_else(|| missing("client impl"))?;
        timings.lap("codegen and format", mark);
        let mut report = Report::new(ir.operations.len(), ir.types.types.len(), &diags);
        report.removed_by_filter = removed;
        report.operation_list = ir.operations.iter().map(crate::diag::OperationEntry::from_ir).collect();
        Ok(Generated {
            code,
            report,
            diagnostics: diags.items,
            example_tests: if self.example_tests { ir.examples.len() } else { 0 },
            timings: std::mem::take(timings),
            surface: crate::diff::surface(&ir),
        })
    }

    /// The stages up to the IR: normalize, type, resolve and name.
    pub fn build_ir(&self, mut doc: serde_json::Value) -> Result<(ir::Ir, Diagnostics), GenError> {
        on_big_stack(move || {
            let mut diags = Diagnostics::default();
            normalize::normalize(&mut doc, &mut diags)?;
            let api = normalize::typed::into_model(doc, &mut diags)?;
            let ir =
                ir::build(&api, &ir::IrOptions { env_prefix: self.env_prefix.clone(), specs: Vec::new() }, &mut diags);
            Ok((ir, diags))
        })
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
        let generated = self.generate()?;
        let warnings: Vec<_> = generated.diagnostics.iter().filter(|d| d.severity == Severity::Warning).collect();
        let mut sources = crate::source::Sources::default();
        sources.prepare(&generated.diagnostics);
        for d in warnings.iter().take(20) {
            println!("cargo:warning={}", sources.one_line(d));
        }
        if warnings.len() > 20 {
            if let Some(summary) = crate::source::summary(&generated.diagnostics) {
                println!("cargo:warning={summary} (run `openapi-gen` to see them all)");
            }
        }
        let out_dir = std::env::var_os("OUT_DIR")
            .ok_or_else(|| GenError::single(Diagnostic::error("#", "OUT_DIR is not set (not in a build script?)")))?;
        let out = Path::new(&out_dir).join(&self.out_file_name);
        write_if_changed(&out, &generated.code)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(plan.exclude, ["tag:Admin"]);
        assert_eq!(plan.env_prefix.as_deref(), Some("X"));
        assert!(plan.inputs.contains(&dir.join(MANIFEST)));
        let plan = Config::new().spec_dir(&dir).env_prefix("Y").exclude("x").plan().unwrap();
        assert_eq!(plan.env_prefix.as_deref(), Some("Y"));
        assert_eq!(plan.exclude, ["tag:Admin", "x"]);
    }

    #[test]
    fn manifest_errors_name_the_file_and_line() {
        let dir = temp_dir("bad-manifest");
        std::fs::write(dir.join(MANIFEST), "[[spec]]\nfile = \"a.yaml\"\nflie = 1\n").unwrap();
        let err = Config::new().spec_dir(&dir).plan().unwrap_err();
        let d = &err.diagnostics[0];
        assert!(d.pointer.ends_with(MANIFEST), "{d}");
        assert_eq!(d.line, Some(3), "{d}");
        assert!(d.message.contains("flie"), "{d}");
        std::fs::write(dir.join(MANIFEST), "env_prefix = \"X\"\n").unwrap();
        assert!(Config::new().spec_dir(&dir).plan().unwrap_err().to_string().contains("no [[spec]]"));
    }
}
