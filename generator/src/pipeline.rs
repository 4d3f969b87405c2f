//! The pipeline: the one place that runs the stages, in order. Open this
//! first. Each stage is a function that takes the artifact of the one before
//! and returns its own:
//!
//! | stage | function | artifact |
//! |---|---|---|
//! | 1 | [`load`] | [`Loaded`]: each spec file parsed to JSON |
//! | 1b | [`overlay`] | [`Overlaid`]: each spec with its overlays applied |
//! | 2 | [`normalize`] | [`Normalized`]: each spec in the form the model takes |
//! | 3 | [`merge`] | [`Merged`]: mounted, filtered and merged into one document |
//! | 4 | [`typed`] | [`Typed`]: the `openapiv3` model |
//! | 5 | [`ir`] | [`Modeled`]: named types and operations |
//! | 6 | [`codegen`] | [`codegen::Tokens`] |
//! | 7 | [`format`] | the formatted source |
//!
//! [`generate`], [`generate_loaded`] and [`api`] are the runs that
//! [`crate::Config`] offers; every way in goes through them.

use crate::front::plan::{Plan, SpecSource};
use crate::front::settings::Settings;
use crate::ground::declared::Declared;
use crate::ground::diag::{Code, Diagnostic, Diagnostics, GenError, Severity};
use crate::on_big_stack;
use crate::outputs::diff;
use crate::outputs::report::{OperationEntry, Report};
use crate::stages::codegen::{self, CodegenOptions};
use crate::stages::declare;
use crate::stages::filter::{self, Filter, Patterns, Removed};
use crate::stages::ir::{self, Ir};
use crate::stages::load;
use crate::stages::merge::{self, Origins, Part};
use crate::stages::overlay::{self, Added};
use openapiv3::OpenAPI;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The result of one generation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Generated {
    /// Formatted Rust source of the client module: its main file.
    pub code: String,
    /// A client split into features also has a file per group and per set
    /// of groups sharing types, which the main file brings in (`include!`)
    /// under their `#[cfg]`: each file's path relative to the main file's
    /// folder (`client/chat.types.rs`), and its text. Empty otherwise.
    pub parts: Vec<(String, String)>,
    pub report: Report,
    /// Warnings, in the order the stages found them.
    pub diagnostics: Vec<Diagnostic>,
    /// Examples turned into round-trip tests.
    pub example_tests: usize,
    /// How long each stage took.
    pub timings: Timings,
    /// The Rust API of the client, for `openapi-gen diff` and `generated/api.json`.
    pub surface: diff::Surface,
}

impl Generated {
    /// Write the main file at `main` and the parts in their folder beside
    /// it, removing `.rs` files of that folder the client no longer has;
    /// whether anything changed.
    pub fn write(&self, main: &std::path::Path) -> Result<bool, GenError> {
        let dir = main.parent().unwrap_or(std::path::Path::new("."));
        let mut changed = crate::write_if_changed(main, &self.code)?;
        for (path, text) in &self.parts {
            changed |= crate::write_if_changed(&dir.join(path), text)?;
        }
        let Some(stem) = main.file_stem() else { return Ok(changed) };
        let folder = dir.join(stem);
        let keep: Vec<std::path::PathBuf> = self.parts.iter().map(|(p, _)| dir.join(p)).collect();
        if let Ok(entries) = std::fs::read_dir(&folder) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "rs") && !keep.contains(&path) {
                    std::fs::remove_file(&path).map_err(|error| GenError::io(&path, "remove", error))?;
                    changed = true;
                }
            }
        }
        Ok(changed)
    }

    /// The main file with each part's text after it: everything generated,
    /// in one string (what a test searches).
    pub fn all_code(&self) -> String {
        let mut all = self.code.clone();
        for (path, text) in &self.parts {
            all.push_str(&format!("\n// ---- {path}\n"));
            all.push_str(text);
        }
        all
    }

    /// The `[features]` table the crate declares when the client is split
    /// into features (`default = ["full"]`).
    pub fn features_table(&self) -> Option<String> {
        self.report.features.as_ref().map(|f| f.table(true))
    }
}

/// Wall time per stage of one generation (`openapi-gen generate --timings`).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Run `stage` and add its time to `name`.
    fn time<R>(&mut self, name: &'static str, stage: impl FnOnce() -> R) -> R {
        let start = Instant::now();
        let r = stage();
        let took = start.elapsed();
        match self.stages.iter_mut().find(|(s, _)| *s == name) {
            Some((_, d)) => *d += took,
            None => self.stages.push((name, took)),
        }
        r
    }

    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, d)| *d).sum()
    }
}

/// One spec of the plan, as it goes through the per-spec stages.
pub(crate) struct Spec {
    source: SpecSource,
    /// The file, as messages name it.
    file: String,
    doc: Value,
    /// Its warnings so far, each naming its file; they join the others when
    /// the specs merge, so that each spec's stay together.
    diags: Diagnostics,
    /// What its overlays added.
    added: Added,
    /// The overlays applied, for the client's docs: (file name, title, version).
    overlays: Vec<(String, String, String)>,
}

impl Spec {
    fn new(source: SpecSource, file: String, doc: Value) -> Self {
        Spec { source, file, doc, diags: Diagnostics::default(), added: Added::default(), overlays: Vec::new() }
    }

    /// Point a message about this spec into its file, or into the overlay
    /// that added the part it is about.
    fn place(&self, d: Diagnostic) -> Diagnostic {
        place_in(&self.file, &self.added, d)
    }
}

fn place_in(file: &str, added: &Added, mut d: Diagnostic) -> Diagnostic {
    if d.file.is_some() {
        return d;
    }
    match added.original(&d.pointer) {
        Some((overlay, pointer)) => {
            d.pointer = pointer;
            d.file = Some(overlay);
            d
        }
        None => d.in_file(file),
    }
}

/// Stage 1's artifact: each spec file parsed.
pub(crate) struct Loaded {
    specs: Vec<Spec>,
}

/// Stage 1b's artifact: each spec with its overlays applied.
pub(crate) struct Overlaid {
    specs: Vec<Spec>,
}

/// Stage 2's artifact: each spec normalized on its own (so a 3.0 and a 3.1 spec merge).
pub(crate) struct Normalized {
    specs: Vec<Spec>,
}

/// What the later stages carry along about where the merged document came from.
pub(crate) struct About {
    /// The spec files' names, joined, for the header (a document's
    /// fragments as the document: `nebius (9 fragments)`).
    names: String,
    /// Each spec file (as messages name it) and the document or file name
    /// its operations are listed under in the report.
    sources: Vec<(String, String)>,
    specs: Vec<ir::SpecInfo>,
    removed: Removed,
    locator: Locator,
    /// The plan's settings, `features_by` resolved (named groups alone
    /// group the rest by tag).
    settings: Settings,
    /// What the merge decided about operations from the settings.
    declared: Declared,
    /// The folder of a split client's files, beside its main file.
    parts_dir: String,
}

impl About {
    /// The document or file an operation came from, when the client has more than one.
    fn source_of(&self, op: &ir::Operation) -> Option<String> {
        if self.sources.iter().all(|(_, label)| *label == self.sources[0].1) {
            return None;
        }
        let pointer =
            crate::ground::pointer::child(&crate::ground::pointer::child("#/paths", &op.path), op.method.key());
        let file = self.locator.file_of(&pointer)?;
        self.sources.iter().find(|(f, _)| *f == file).map(|(_, label)| label.clone())
    }
}

/// Stage 3's artifact: one document.
pub(crate) struct Merged {
    doc: Value,
    about: About,
}

/// Stage 4's artifact.
pub(crate) struct Typed {
    api: OpenAPI,
    about: About,
}

/// Stage 5's artifact.
pub(crate) struct Modeled {
    ir: Ir,
    about: About,
}

/// Points the later stages' messages into the spec files.
enum Locator {
    /// One spec: every pointer is into its file, or its overlays.
    Single(String, Added),
    /// Several: through the merge's record of where each part came from,
    /// then each file's overlays.
    Merged(Origins, Vec<(String, Added)>),
}

impl Locator {
    fn place(&self, mut d: Diagnostic) -> Diagnostic {
        if d.file.is_some() {
            return d;
        }
        match self {
            Locator::Single(file, added) => place_in(file, added, d),
            Locator::Merged(origins, added) => {
                let Some((file, pointer)) = origins.original(&d.pointer) else { return d };
                d.pointer = pointer;
                match added.iter().find(|(f, _)| *f == file) {
                    Some((_, added)) => place_in(&file, added, d),
                    None => d.in_file(file),
                }
            }
        }
    }

    /// The spec file a pointer into the merged document is in.
    fn file_of(&self, pointer: &str) -> Option<String> {
        match self {
            Locator::Single(file, _) => Some(file.clone()),
            Locator::Merged(origins, _) => origins.original(pointer).map(|(file, _)| file),
        }
    }

    fn place_all(&self, e: GenError) -> GenError {
        e.map_diagnostics(|d| self.place(d))
    }
}

/// Stage 1: read and parse every spec of the plan.
pub(crate) fn load(plan: &Plan) -> Result<Loaded, GenError> {
    let specs = plan.sources.iter().map(|source| {
        let file = source.path.display().to_string();
        let doc = load::load_file(&source.path).map_err(|e| e.in_file(&file))?;
        Ok(Spec::new(source.clone(), file, doc))
    });
    Ok(Loaded { specs: specs.collect::<Result<_, GenError>>()? })
}

/// Stage 1b: apply each spec's overlays, in order.
pub(crate) fn overlay(loaded: Loaded) -> Result<Overlaid, GenError> {
    let mut specs = loaded.specs;
    for spec in &mut specs {
        for path in &spec.source.overlays {
            let overlay = overlay::load(path)?;
            overlay.apply(&mut spec.doc, &mut spec.added, &mut spec.diags)?;
            spec.overlays.push(overlay.about());
        }
    }
    Ok(Overlaid { specs })
}

/// Stage 2: normalize each spec.
pub(crate) fn normalize(overlaid: Overlaid) -> Result<Normalized, GenError> {
    let mut specs = overlaid.specs;
    for spec in &mut specs {
        let mut own = Diagnostics::default();
        crate::stages::normalize::normalize(&mut spec.doc, &mut own)
            .map_err(|e| e.map_diagnostics(|d| spec.place(d)))?;
        let placed: Vec<Diagnostic> = own.items.into_iter().map(|d| spec.place(d)).collect();
        spec.diags.items.extend(placed);
    }
    Ok(Normalized { specs })
}

/// Stage 3: mount each spec (several are mounted under their server's base
/// path), apply the plan's filters and each spec's own, merge, and decide
/// what the settings declare about the operations.
pub(crate) fn merge(normalized: Normalized, plan: &Plan, diags: &mut Diagnostics) -> Result<Merged, GenError> {
    let patterns = Patterns::parse(plan)?;
    let multi = normalized.specs.len() > 1;
    let (mut parts, mut overlays, mut labels) = (Vec::new(), Vec::new(), Labels::default());
    let (mut removed, mut declared) = (Removed::default(), Declared::default());
    for (spec, own) in normalized.specs.into_iter().zip(&patterns.specs) {
        let Spec { source, file, doc, diags: own_diags, added, overlays: applied } = spec;
        diags.items.extend(own_diags.items);
        overlays.push((file.clone(), added));
        let filter = patterns.global.and(own);
        let part = prepare(&source, file, doc, multi, &filter, (&mut removed, &mut declared), diags)?;
        labels.add(&source, &part, applied);
        parts.push(part);
    }
    let (doc, locator) = if multi {
        let (doc, origins) = merge::merge(parts, diags)?;
        (doc, Locator::Merged(origins, overlays))
    } else {
        let part = parts.pop().ok_or_else(|| GenError::config("the plan", "no spec to generate from"))?;
        let added = overlays.pop().map(|(_, added)| added).unwrap_or_default();
        (part.doc, Locator::Single(part.source, added))
    };
    declare::declare(&doc, &patterns, &mut declared, diags);
    let settings = Settings { features_by: plan.grouping(), ..plan.settings.clone() };
    let (names, sources, specs) = labels.finish();
    let parts_dir = plan.parts_dir().to_string();
    let about = About { names, sources, specs, removed, locator, settings, declared, parts_dir };
    Ok(Merged { doc, about })
}

/// One spec made ready to merge: its components renamed, its paths mounted,
/// `undeclared_errors` given, and filtered (its warnings naming its file).
fn prepare(
    source: &SpecSource,
    file: String,
    mut doc: Value,
    multi: bool,
    filter: &Filter,
    (removed, declared): (&mut Removed, &mut Declared),
    diags: &mut Diagnostics,
) -> Result<Part, GenError> {
    for (section, old, new) in &source.renames {
        if doc.pointer(&format!("/components/{section}/{}", crate::ground::pointer::escape(old))).is_none() {
            let message = format!("rename `{section}/{old}`: {} defines no such component", source.name());
            let d = Diagnostic::new(Code::MissingTarget, "#/components", message).in_file(&file);
            return Err(GenError::single(d));
        }
        merge::rename_component(&mut doc, section, old, new);
    }
    let mount = source.mount.clone().or_else(|| multi.then(|| merge::base_path(&doc))).unwrap_or_default();
    merge::mount(&mut doc, &mount);
    if let Some(schema) = &source.undeclared_errors {
        let given =
            declare::type_undeclared_errors(&mut doc, schema).map_err(|d| GenError::single(d.in_file(&file)))?;
        declared.undeclared_errors.extend(given);
    }
    let mut local = Diagnostics::default();
    removed.extend(filter::apply(&mut doc, filter, &mut local));
    diags.items.extend(local.items.into_iter().map(|d| d.in_file(&file)));
    Ok(Part {
        source: file,
        doc,
        mount: mount.trim_end_matches('/').to_string(),
        document: source.document.clone(),
        renamed: source.renames.clone(),
    })
}

/// What the client says it was made from: each spec (a document's fragments
/// as one), with its title, version and overlays, and each file's label.
#[derive(Default)]
struct Labels {
    specs: Vec<ir::SpecInfo>,
    /// Each label, and how many fragments it has (0 for a plain spec file).
    names: Vec<(String, usize)>,
    /// Each spec file, and the label its operations are listed under.
    sources: Vec<(String, String)>,
}

impl Labels {
    fn add(&mut self, source: &SpecSource, part: &Part, applied: Vec<(String, String, String)>) {
        let info =
            |key: &str| part.doc.pointer(&format!("/info/{key}")).and_then(Value::as_str).unwrap_or_default().into();
        // A document's fragments are one spec of the client, named by the document.
        let label = source.document.clone().unwrap_or_else(|| source.name());
        match self.specs.iter_mut().find(|s| s.file == label) {
            Some(spec) => spec.overlays.extend(applied),
            None => self.specs.push(ir::SpecInfo {
                file: label.clone(),
                title: info("title"),
                version: info("version"),
                overlays: applied,
            }),
        }
        match self.names.iter_mut().find(|(l, _)| *l == label) {
            Some((_, fragments)) => *fragments += 1,
            None => self.names.push((label.clone(), usize::from(source.document.is_some()))),
        }
        self.sources.push((part.source.clone(), label));
    }

    /// The names joined for the header (`nebius (9 fragments)`), the
    /// sources, and the specs.
    fn finish(self) -> (String, Vec<(String, String)>, Vec<ir::SpecInfo>) {
        let names = self
            .names
            .into_iter()
            .map(|(label, fragments)| match fragments {
                0 | 1 => label,
                n => format!("{label} ({n} fragments)"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        (names, self.sources, self.specs)
    }
}

/// Stage 4: the typed model.
pub(crate) fn typed(merged: Merged, diags: &mut Diagnostics) -> Result<Typed, GenError> {
    let Merged { doc, about } = merged;
    let api = crate::stages::typed::into_model(doc, diags).map_err(|e| about.locator.place_all(e))?;
    Ok(Typed { api, about })
}

/// Stage 5: the IR. The typed document is dropped here, before the code,
/// the largest part, is made.
pub(crate) fn ir(typed: Typed, diags: &mut Diagnostics) -> Modeled {
    let Typed { api, about } = typed;
    let options = ir::IrOptions { settings: &about.settings, specs: &about.specs, declared: &about.declared };
    Modeled { ir: ir::build(&api, &options, diags), about }
}

/// Stage 6: tokens.
pub(crate) fn codegen(modeled: &Modeled) -> Result<codegen::Tokens<'_>, GenError> {
    let settings = &modeled.about.settings;
    let parts_dir = &modeled.about.parts_dir;
    codegen::tokens(
        &modeled.ir,
        CodegenOptions { example_tests: settings.example_tests, mock: settings.mock, parts_dir },
    )
}

/// Stage 7: the formatted source, with its header.
pub(crate) fn format(tokens: codegen::Tokens<'_>, modeled: &Modeled) -> Result<crate::stages::format::Files, GenError> {
    let header = format!(
        "Generated by openapi-gen {} from {} ({} {}). Do not edit by hand.",
        env!("CARGO_PKG_VERSION"),
        modeled.about.names,
        modeled.ir.title,
        modeled.ir.version
    );
    crate::stages::format::client(tokens, &header)
}

/// Stages 1 to 3 for a plan.
fn front(plan: &Plan, diags: &mut Diagnostics, timings: &mut Timings) -> Result<Merged, GenError> {
    let loaded = timings.time("load", || load(plan))?;
    let overlaid = timings.time("overlays", || overlay(loaded))?;
    let normalized = timings.time("normalize", || normalize(overlaid))?;
    timings.time("merge and filter", || merge(normalized, plan, diags))
}

/// Stages 4 and 5, and what follows them.
fn model(merged: Merged, diags: &mut Diagnostics, timings: &mut Timings) -> Result<Modeled, GenError> {
    let typed = timings.time("typed model", || typed(merged, diags))?;
    Ok(timings.time("ir", || ir(typed, diags)))
}

/// Generate the client for a plan.
pub(crate) fn generate(plan: &Plan) -> Result<Generated, GenError> {
    on_big_stack(|| {
        let (mut diags, mut timings) = (Diagnostics::default(), Timings::default());
        let merged = front(plan, &mut diags, &mut timings)?;
        back(merged, diags, timings)
    })
}

/// Generate the client for a plan of one spec whose document is already
/// loaded: the same stages from normalize on.
pub(crate) fn generate_loaded(plan: Plan, doc: Value) -> Result<Generated, GenError> {
    on_big_stack(move || {
        let (mut diags, mut timings) = (Diagnostics::default(), Timings::default());
        let merged = loaded_front(&plan, doc, &mut diags, &mut timings)?;
        back(merged, diags, timings)
    })
}

/// Stages 2 and 3 for a plan whose one document is already loaded.
fn loaded_front(plan: &Plan, doc: Value, diags: &mut Diagnostics, timings: &mut Timings) -> Result<Merged, GenError> {
    let source = plan.sources.first().cloned().unwrap_or_default();
    let file = source.path.display().to_string();
    let loaded = Loaded { specs: vec![Spec::new(source, file, doc)] };
    let overlaid = timings.time("overlays", || overlay(loaded))?;
    let normalized = timings.time("normalize", || normalize(overlaid))?;
    timings.time("merge and filter", || merge(normalized, plan, diags))
}

/// From the merged document to the generated client, warnings denied if asked.
fn back(merged: Merged, mut diags: Diagnostics, mut timings: Timings) -> Result<Generated, GenError> {
    let modeled = model(merged, &mut diags, &mut timings)?;
    let files = timings
        .time("codegen and format", || format(codegen(&modeled)?, &modeled))
        .map_err(|e| modeled.about.locator.place_all(e))?;
    let Modeled { ir, about } = modeled;
    let placed = diags.items.iter().cloned().map(|d| about.locator.place(d)).collect();
    let diagnostics = about.settings.levels().apply(placed);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(GenError::Spec(diagnostics));
    }
    let mut report = Report::new(ir.operations.len(), ir.types.types.len(), &diags);
    let feature = |i: usize| {
        let f = ir.features.as_ref()?;
        f.operation_groups.get(i).and_then(|g| f.groups.get(*g)).map(|g| g.name.clone())
    };
    report.operation_list = ir
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| OperationEntry { source: about.source_of(op), ..OperationEntry::from_ir(op, feature(i)) })
        .collect();
    report.removed_by_filter = about.removed;
    report.features = ir.features.as_ref().map(crate::outputs::cargo_features::FeatureReport::from_ir);
    if let Locator::Merged(origins, _) = &about.locator {
        report.documents = origins.documents().to_vec();
    }
    Ok(Generated {
        code: files.main,
        parts: files.parts,
        report,
        diagnostics,
        example_tests: if about.settings.example_tests { ir.examples.len() } else { 0 },
        timings,
        surface: diff::surface(&ir),
    })
}

/// The Rust API a plan's client would have, without its code: stages 1 to 5.
pub(crate) fn api(plan: &Plan) -> Result<diff::Surface, GenError> {
    on_big_stack(|| {
        let (mut diags, mut timings) = (Diagnostics::default(), Timings::default());
        let merged = front(plan, &mut diags, &mut timings)?;
        let modeled = model(merged, &mut diags, &mut timings)?;
        Ok(diff::surface(&modeled.ir))
    })
}

/// Stages up to the IR, on a document already loaded (for the IR's tests).
#[cfg(test)]
pub(crate) fn ir_of_loaded(plan: Plan, doc: Value) -> Result<(Ir, Diagnostics), GenError> {
    on_big_stack(move || {
        let (mut diags, mut timings) = (Diagnostics::default(), Timings::default());
        let merged = loaded_front(&plan, doc, &mut diags, &mut timings)?;
        let modeled = model(merged, &mut diags, &mut timings)?;
        Ok((modeled.ir, diags))
    })
}
