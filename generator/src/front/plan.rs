//! What to generate: the specs, their mounts and filters, and the manifest
//! (`openapi-gen.toml`) that lets a `spec/` directory describe a multi-spec API.
//!
//! A manifest is `openapi-gen.toml` beside the specs:
//!
//! ```toml
//! env_prefix = "NEBIUS"          # optional: NEBIUS_API_KEY, NEBIUS_BASE_URL
//! exclude = ["tag:Internal"]     # optional: filters for every spec
//! detect_pagination = false      # optional: page only operations with x-pagination
//! mock = true                    # optional: a typed mock server behind the crate's `mock` feature
//! features_by = "tag"            # optional: a cargo feature per API group, by "tag" or "path"
//!
//! [[feature]]                    # optional: a group by name (its operations go there first)
//! name = "batches"
//! operations = ["tag:Batch"]     # patterns, as in include
//!
//! [[pagination]]                 # optional: how operations page (their x-pagination)
//! operations = "GET /v1/things"  # a pattern, as in include
//! style = "cursor"               # cursor, token, link, link-header, time, page, offset, or none
//! param = "after"                # and items, next, item_key, has_more, size as needed
//!
//! [[polling]]                    # optional: how `.wait()` polls a job (its x-polling)
//! operations = "GET /v1/batches/{batch_id}"
//! status = "status"              # the member with the state (the default)
//! done = ["completed", "failed", "expired", "cancelled"]
//! failed = ["failed", "expired", "cancelled"]
//!
//! [[spec]]
//! file = "datasets.openapi.yaml" # the first spec names the API and its server
//!
//! [[spec]]
//! files = "nebius/*.yaml"        # the fragments of one document: alike components are
//!                                # shared, a component defined differently is an error
//!
//! [[spec]]
//! file = "nebius/odd.yaml"       # one fragment listed on its own (the pattern leaves it
//! document = "nebius/*.yaml"     # out) to rename what it defines differently
//! rename = { "schemas/Foo" = "FooOdd" }
//!
//! [[spec]]
//! file = "openai.yaml"
//! # mount = "/v1"                # default: the path of the spec's first server URL
//! include = ["POST /v1/chat/completions", "GET /v1/models"]
//! overlays = ["openai.nebius.overlay.yaml"] # optional: corrections, applied in order
//! undeclared_errors = "ErrorResponse"        # optional: the schema of every error status
//!                                            # an operation does not declare
//! ```

use crate::front::settings::{Overrides, Settings};
use crate::ground::diag::GenError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The manifest's file name in a spec directory.
pub(crate) const MANIFEST: &str = "openapi-gen.toml";

/// One spec of the API, with how it is mounted and filtered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpecSource {
    pub path: PathBuf,
    /// Prefix for its paths. Default: none for a single spec; for several,
    /// the path of each spec's first server URL.
    pub mount: Option<String>,
    /// Operation patterns, as for [`crate::Config::include`]: `GET|POST /v1/files`, `tag:Files`, an operationId.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Overlays (OpenAPI Overlay 1.0/1.1 files) applied to the spec, in order,
    /// before anything else reads it.
    pub overlays: Vec<PathBuf>,
    /// A schema of this spec (a name under `#/components/schemas`) that types
    /// the error statuses its operations do not declare.
    pub undeclared_errors: Option<String>,
    /// The document this file is a fragment of (`files = "nebius/*.yaml"`
    /// names it by its pattern): fragments of one document share what they
    /// define alike, and a component they define differently is an error at
    /// both places, where separate specs would keep both under two names.
    pub document: Option<String>,
    /// Components renamed before merging (section, name, new name), such as
    /// (`schemas`, `Foo`, `FooUpload`): references follow.
    pub renames: Vec<(String, String, String)>,
}

impl SpecSource {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        SpecSource { path: path.into(), ..SpecSource::default() }
    }

    /// Mount its paths under `prefix` (`/v1`).
    pub fn mount(mut self, prefix: impl Into<String>) -> Self {
        self.mount = Some(prefix.into());
        self
    }

    /// Keep only the operations `pattern` matches (with the other includes).
    pub fn include(mut self, pattern: impl Into<String>) -> Self {
        self.include.push(pattern.into());
        self
    }

    /// Leave out the operations `pattern` matches.
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.exclude.push(pattern.into());
        self
    }

    /// Apply an overlay to it, after those added before.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// Type the error statuses its operations do not declare with this schema.
    pub fn undeclared_errors(mut self, schema: impl Into<String>) -> Self {
        self.undeclared_errors = Some(schema.into());
        self
    }

    /// Read it as a fragment of the document `name`.
    pub fn document(mut self, name: impl Into<String>) -> Self {
        self.document = Some(name.into());
        self
    }

    /// Rename a component before merging (`section` such as `schemas`).
    pub fn rename(mut self, section: impl Into<String>, name: impl Into<String>, new: impl Into<String>) -> Self {
        self.renames.push((section.into(), name.into(), new.into()));
        self
    }

    pub(crate) fn name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// What to generate, once the spec directory and manifest are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Plan {
    pub sources: Vec<SpecSource>,
    /// Every other setting (filters for every spec, prefix, pagination by
    /// convention, mock, features, diagnostic levels).
    pub settings: Settings,
    /// `x-pagination` declarations for the operations a pattern matches
    /// (`METHOD /path`, `tag:NAME` or an operationId, after mounting), in order.
    pub pagination: Vec<(String, serde_json::Value)>,
    /// `x-polling` declarations for the operations a pattern matches, in order.
    pub polling: Vec<(String, serde_json::Value)>,
    /// Groups by name: (feature, operation patterns). An operation goes to the
    /// first list that matches it, the rest by `features_by`.
    pub feature_lists: Vec<(String, Vec<String>)>,
    /// Files whose change means regenerating (specs and manifest).
    pub inputs: Vec<PathBuf>,
    /// The main file's name without `.rs`: a client split into features
    /// puts the files of its groups in a folder of that name beside it
    /// (empty: `client`).
    pub main_stem: String,
}

/// How operations are grouped into cargo features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeaturesBy {
    /// By the operation's first tag (`untagged` when it has none). When a
    /// spec has more tags than crates.io allows features, by the tags' first
    /// segment (`users` for `users.user`), then by path prefix.
    Tag,
    /// By the first segment of the path after the segments every path
    /// shares (`/v1/chat/completions` goes to `chat`).
    Path,
}

impl std::str::FromStr for FeaturesBy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "tag" => Ok(FeaturesBy::Tag),
            "path" => Ok(FeaturesBy::Path),
            other => Err(format!("features are grouped by `tag` or `path`, not `{other}`")),
        }
    }
}

impl Plan {
    /// The folder of a split client's files (see [`Plan::main_stem`]).
    pub(crate) fn parts_dir(&self) -> &str {
        if self.main_stem.is_empty() {
            "client"
        } else {
            &self.main_stem
        }
    }

    /// The grouping that applies: named lists alone group the rest by tag.
    pub(crate) fn grouping(&self) -> Option<FeaturesBy> {
        self.settings.features_by.or((!self.feature_lists.is_empty()).then_some(FeaturesBy::Tag))
    }
}

/// The manifest's tables; its other keys are [`Settings`], read through
/// [`Overrides`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    pagination: Vec<ManifestPaging>,
    #[serde(default)]
    polling: Vec<ManifestPolling>,
    #[serde(default, rename = "feature")]
    features: Vec<ManifestFeature>,
    #[serde(default, rename = "spec")]
    specs: Vec<ManifestSpec>,
}

/// The manifest's keys that are not settings.
const MANIFEST_TABLES: [&str; 4] = ["pagination", "polling", "feature", "spec"];

/// One `[[pagination]]`: `operations` (a pattern) and what `x-pagination`
/// takes (`style = "none"` turns paging off).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestPaging {
    operations: String,
    style: String,
    param: Option<String>,
    items: Option<String>,
    next: Option<String>,
    item_key: Option<String>,
    has_more: Option<String>,
    size: Option<String>,
}

impl ManifestPaging {
    fn declaration(self) -> (String, serde_json::Value) {
        if self.style == "none" {
            return (self.operations, serde_json::Value::Bool(false));
        }
        let mut out = serde_json::Map::new();
        out.insert("style".into(), self.style.into());
        let keys = [
            ("param", self.param),
            ("items", self.items),
            ("next", self.next),
            ("item_key", self.item_key),
            ("has_more", self.has_more),
            ("size", self.size),
        ];
        for (key, value) in keys {
            if let Some(v) = value {
                out.insert(key.into(), v.into());
            }
        }
        (self.operations, serde_json::Value::Object(out))
    }
}

/// One `[[polling]]`: `operations` (a pattern) and what `x-polling` takes
/// (`done = []` turns polling off).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestPolling {
    operations: String,
    status: Option<String>,
    done: Vec<String>,
    #[serde(default)]
    failed: Vec<String>,
}

impl ManifestPolling {
    fn declaration(self) -> (String, serde_json::Value) {
        if self.done.is_empty() {
            return (self.operations, serde_json::Value::Bool(false));
        }
        let mut out = serde_json::json!({"done": self.done, "failed": self.failed});
        if let Some(status) = self.status {
            out["status"] = status.into();
        }
        (self.operations, out)
    }
}

/// One `[[feature]]`: a named group and the operations it holds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFeature {
    name: String,
    operations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestSpec {
    /// One file, or `files`: a pattern (`*` in the file name) whose files are
    /// the fragments of one document.
    file: Option<PathBuf>,
    files: Option<String>,
    /// The document a `file` is a fragment of (with `files`: the pattern).
    document: Option<String>,
    /// `"schemas/Foo" = "FooUpload"`: components renamed before merging.
    #[serde(default)]
    rename: std::collections::BTreeMap<String, String>,
    mount: Option<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    overlays: Vec<PathBuf>,
    undeclared_errors: Option<String>,
}

/// The files the sources are read from: each spec, then its overlays.
pub(crate) fn input_files(sources: &[SpecSource]) -> Vec<PathBuf> {
    sources.iter().flat_map(|s| std::iter::once(&s.path).chain(&s.overlays)).cloned().collect()
}

/// The files a pattern (`nebius/*.yaml`, `*` only in the file name) matches
/// under `dir`, sorted, and the folder they are in.
fn fragments(dir: &Path, pattern: &str) -> Result<(Vec<PathBuf>, PathBuf), String> {
    let (folder, name) = match pattern.rsplit_once('/') {
        Some((folder, name)) => (dir.join(folder), name),
        None => (dir.to_path_buf(), pattern),
    };
    if folder.to_string_lossy().contains('*') {
        return Err(format!("`{pattern}`: `*` goes in the file name, not the folder"));
    }
    let entries = std::fs::read_dir(&folder).map_err(|e| format!("`{pattern}`: {}: {e}", folder.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| crate::stages::filter::glob(name, &e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    if files.is_empty() {
        return Err(format!("`{pattern}` matches no file in {}", folder.display()));
    }
    files.sort();
    Ok((files, folder))
}

/// The line of the first key the message names in backquotes (`unknown field
/// \`flie\``), if a line of the text sets it.
fn key_line(text: &str, message: &str) -> Option<usize> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .find_map(|key| {
            text.lines()
                .position(|l| l.trim_start().strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')))
        })
        .map(|i| i + 1)
}

/// Read a manifest; spec files are relative to its directory.
pub(crate) fn read_manifest(path: &Path) -> Result<Plan, GenError> {
    let place = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| GenError::io(path, "read the manifest", e))?;
    let invalid_at = |line: Option<usize>, message: String| GenError::Config {
        place: place.clone(),
        line,
        message: format!("invalid manifest: {message}"),
    };
    let line_of =
        |span: Option<std::ops::Range<usize>>| span.map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    let mut table: toml::Table =
        toml::from_str(&text).map_err(|e| invalid_at(line_of(e.span()), e.message().to_string()))?;
    let tables: toml::Table =
        MANIFEST_TABLES.iter().filter_map(|key| table.remove(*key).map(|v| (key.to_string(), v))).collect();
    // Read from tables, errors have no span: the line is the first that sets
    // the key the message names.
    let keyed = |e: toml::de::Error| {
        let message = e.message().to_string();
        invalid_at(key_line(&text, &message), message)
    };
    let overrides = Overrides::deserialize(toml::Value::Table(table.clone())).map_err(|e| {
        // Which key: the first that fails on its own.
        let alone = |(k, v): (&String, &toml::Value)| toml::Table::from_iter([(k.clone(), v.clone())]);
        let key = table.iter().find(|kv| Overrides::deserialize(toml::Value::Table(alone(*kv))).is_err());
        let message = e.message().to_string();
        invalid_at(key.and_then(|(k, _)| key_line(&text, &format!("`{k}`"))), message)
    })?;
    let file = ManifestFile::deserialize(toml::Value::Table(tables)).map_err(keyed)?;
    if file.specs.is_empty() {
        return Err(GenError::config(&place, "the manifest lists no [[spec]]"));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let invalid = |message: String| invalid_at(None, message);
    // With whether a pattern found it: a file also listed on its own is
    // taken from its own entry.
    let mut sources: Vec<(SpecSource, bool)> = Vec::new();
    let mut inputs = Vec::new();
    for s in file.specs {
        let renames = s
            .rename
            .iter()
            .map(|(from, to)| match from.split_once('/') {
                Some((section, name)) if !name.is_empty() => Ok((section.to_string(), name.to_string(), to.clone())),
                _ => Err(invalid(format!("rename `{from}`: name a component as `schemas/Name`"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let source = SpecSource {
            path: PathBuf::new(),
            mount: s.mount,
            include: s.include,
            exclude: s.exclude,
            overlays: s.overlays.iter().map(|o| dir.join(o)).collect(),
            undeclared_errors: s.undeclared_errors,
            document: s.document.clone(),
            renames,
        };
        match (s.file, s.files) {
            (Some(file), None) => sources.push((SpecSource { path: dir.join(file), ..source }, false)),
            (None, Some(pattern)) => {
                if !source.overlays.is_empty() || !source.renames.is_empty() {
                    return Err(invalid(format!(
                        "`{pattern}`: overlays and renames apply to one file; list that fragment with `file` and `document`"
                    )));
                }
                let (fragments, folder) = fragments(dir, &pattern).map_err(invalid)?;
                inputs.push(folder);
                let document = Some(s.document.unwrap_or_else(|| pattern.clone()));
                let found =
                    fragments.into_iter().map(|path| SpecSource { path, document: document.clone(), ..source.clone() });
                sources.extend(found.map(|s| (s, true)));
            }
            _ => return Err(invalid("each [[spec]] names its `file` or its `files`, not both".into())),
        }
    }
    let listed: Vec<PathBuf> = sources.iter().filter(|(_, found)| !found).map(|(s, _)| s.path.clone()).collect();
    let sources: Vec<SpecSource> =
        sources.into_iter().filter(|(s, found)| !found || !listed.contains(&s.path)).map(|(s, _)| s).collect();
    inputs.extend(input_files(&sources));
    inputs.push(path.to_path_buf());
    let mut settings = Settings::default();
    overrides.apply(&mut settings);
    Ok(Plan {
        sources,
        settings,
        pagination: file.pagination.into_iter().map(ManifestPaging::declaration).collect(),
        polling: file.polling.into_iter().map(ManifestPolling::declaration).collect(),
        feature_lists: file.features.into_iter().map(|f| (f.name, f.operations)).collect(),
        inputs,
        main_stem: String::new(),
    })
}
