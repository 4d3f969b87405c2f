//! Several specs, one API: mount each spec's paths under its server's base
//! path, share identical components, keep differing ones under distinct names.
//!
//! Runs on normalized documents (each spec is normalized on its own, so a 3.0
//! and a 3.1 spec merge), before typing. The first spec is the primary one:
//! its `info` and its server's origin are the merged API's.

use crate::ground::diag::{Code, Diagnostic, Diagnostics, GenError};
use crate::ground::http::{is_method, HttpMethod};
use crate::ground::naming;
use crate::ground::pointer::{self, child, component_pointer};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One normalized spec, about to be merged.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// The file, for messages (`spec/openai.yaml`).
    pub source: String,
    pub doc: Value,
    /// The prefix its paths were mounted under (`/v1`), or empty.
    pub mount: String,
    /// The document it is a fragment of: a component it defines unlike an
    /// earlier fragment of the same document is an error, not a rename.
    pub document: Option<String>,
    /// Components renamed before the merge (section, old name, new name).
    pub renamed: Vec<(String, String, String)>,
}

/// Where each part of the merged document came from, to point diagnostics
/// of the later stages back into the spec files.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    /// (section, merged name) to (file, name in that file).
    components: HashMap<(String, String), (String, String)>,
    /// Merged path to (file, path in that file), per method (`""` for the item).
    paths: HashMap<(String, String), (String, String)>,
    /// (section, merged name) to the document its first definer is a fragment of.
    documents: HashMap<(String, String), String>,
    /// Per document read from fragments, what merging them did.
    summaries: Vec<DocumentSummary>,
}

impl DocumentSummary {
    /// Lines for the command line: `nebius: 23 fragments, 7 shared components ..`.
    pub fn summary(&self) -> String {
        let names = |v: &[String]| v.iter().map(|n| n.rsplit('/').next().unwrap_or(n)).collect::<Vec<_>>().join(", ");
        let mut out =
            format!("{}: {} fragments, {} shared components", self.name, self.fragments, self.shared_components.len());
        if !self.shared_components.is_empty() {
            out.push_str(&format!(" ({})", names(&self.shared_components)));
        }
        out.push('\n');
        if !self.renamed.is_empty() {
            out.push_str(&format!("  renamed by the manifest: {}\n", self.renamed.join(", ")));
        }
        out
    }
}

/// What merging the fragments of one document did (in the `--report` JSON).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct DocumentSummary {
    /// The document's name (`document = ".."` in the manifest).
    pub name: String,
    /// How many files it was read from.
    pub fragments: usize,
    /// Components more than one fragment defines, alike, so merged into one
    /// (`schemas/HTTPValidationError`), sorted.
    pub shared_components: Vec<String>,
    /// Components a fragment's entry renamed (`schemas/OpenAIFile -> NebiusFile`):
    /// the conflicts the manifest resolved. One left unresolved stops the build.
    pub renamed: Vec<String>,
}

impl Origins {
    /// The file and the pointer in it that a merged pointer stands for.
    pub(crate) fn original(&self, pointer: &str) -> Option<(String, String)> {
        let mut tokens = pointer::tokens(pointer);
        let file = match tokens.first().map(String::as_str) {
            Some("components") if tokens.len() >= 3 => {
                let (file, name) = self.components.get(&(tokens[1].clone(), tokens[2].clone()))?;
                tokens[2] = name.clone();
                file
            }
            Some("paths") if tokens.len() >= 2 => {
                let method = tokens.get(2).cloned().unwrap_or_default();
                let (file, path) = self
                    .paths
                    .get(&(tokens[1].clone(), method))
                    .or_else(|| self.paths.get(&(tokens[1].clone(), String::new())))?;
                tokens[1] = path.clone();
                file
            }
            _ => return None,
        };
        let pointer = pointer::join(&tokens);
        Some((file.clone(), pointer))
    }

    /// The file a merged component came from.
    fn owner(&self, section: &str, name: &str) -> Option<&str> {
        self.components.get(&(section.to_string(), name.to_string())).map(|(file, _)| file.as_str())
    }

    /// What merging did to each document read from fragments, in order of
    /// first appearance.
    pub(crate) fn documents(&self) -> &[DocumentSummary] {
        &self.summaries
    }

    fn summarize(&mut self, part: &Part) {
        let Some(document) = &part.document else { return };
        let index = match self.summaries.iter().position(|s| &s.name == document) {
            Some(i) => i,
            None => {
                self.summaries.push(DocumentSummary {
                    name: document.clone(),
                    fragments: 0,
                    shared_components: Vec::new(),
                    renamed: Vec::new(),
                });
                self.summaries.len() - 1
            }
        };
        let mut shared = Vec::new();
        for (section, entries) in part.doc.get("components").and_then(Value::as_object).into_iter().flatten() {
            for name in entries.as_object().into_iter().flat_map(|e| e.keys()) {
                let key = (section.clone(), name.clone());
                if self.components.contains_key(&key) && self.documents.get(&key) == Some(document) {
                    shared.push(format!("{section}/{name}"));
                }
            }
        }
        let summary = &mut self.summaries[index];
        summary.fragments += 1;
        summary.renamed.extend(part.renamed.iter().map(|(section, old, new)| format!("{section}/{old} -> {new}")));
        for name in shared {
            if let Err(at) = summary.shared_components.binary_search(&name) {
                summary.shared_components.insert(at, name);
            }
        }
    }

    fn record(&mut self, part: &Part, renames: &[(String, String, String)]) {
        self.summarize(part);
        if let Some(sections) = part.doc.get("components").and_then(Value::as_object) {
            for (section, entries) in sections {
                for name in entries.as_object().into_iter().flat_map(|e| e.keys()) {
                    let original = renames
                        .iter()
                        .chain(&part.renamed)
                        .find(|(s, _, new)| s == section && new == name)
                        .map(|(_, old, _)| old.clone())
                        .unwrap_or_else(|| name.clone());
                    let key = (section.clone(), name.clone());
                    if let Some(document) = &part.document {
                        self.documents.entry(key.clone()).or_insert_with(|| document.clone());
                    }
                    self.components.entry(key).or_insert((part.source.clone(), original));
                }
            }
        }
        if let Some(paths) = part.doc.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let original = path.strip_prefix(part.mount.as_str()).unwrap_or(path).to_string();
                let methods = item.as_object().into_iter().flat_map(|o| o.keys()).filter(|k| is_method(k));
                for key in std::iter::once(&String::new()).chain(methods) {
                    self.paths.entry((path.clone(), key.clone())).or_insert((part.source.clone(), original.clone()));
                }
            }
        }
    }
}

/// The path part of the first server URL (`https://api.openai.com/v1` gives `/v1`);
/// empty for none or `/`.
pub(crate) fn base_path(doc: &Value) -> String {
    let url = first_server_url(doc);
    let (_, path) = split_url(&url);
    path.trim_end_matches('/').to_string()
}

fn first_server_url(doc: &Value) -> String {
    doc.pointer("/servers/0/url").and_then(Value::as_str).unwrap_or("").to_string()
}

/// `https://h/x/y` to (`https://h`, `/x/y`); `/x` to (``, `/x`).
fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => url.split_at(after_scheme + i),
        None if after_scheme > 0 => (url, ""),
        None => ("", url),
    }
}

/// Prefix every path with `prefix` (such as `/v1`); refs into `#/paths` follow.
pub(crate) fn mount(doc: &mut Value, prefix: &str) {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        return;
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let old = std::mem::take(paths);
    let mut renames = HashMap::new();
    for (path, item) in old {
        let mounted = format!("{prefix}{path}");
        paths.insert(mounted.clone(), item);
        renames.insert(path, mounted);
    }
    rewrite_refs(doc, |tokens| match tokens {
        [paths, path, ..] if paths == "paths" => renames.get(path.as_str()).map(|new| *path = new.clone()).is_some(),
        _ => false,
    });
}

/// Rewrite every reference into this document whose decoded tokens `f`
/// changes (it returns whether it did); the others keep their spelling.
fn rewrite_refs(doc: &mut Value, f: impl Fn(&mut [String]) -> bool) {
    pointer::for_each_ref_mut(doc, |r| {
        let Some(mut tokens) = pointer::ref_tokens(r) else { return };
        if f(&mut tokens) {
            *r = pointer::to_ref(&tokens);
        }
    });
}

/// A spec's top-level `security` applies to each of its operations that has
/// none of its own; after merging, each operation carries its own.
fn push_down_security(doc: &mut Value) {
    let Some(root) = doc.as_object_mut() else { return };
    let Some(security) = root.remove("security") else { return };
    for_each_operation(root, |_, _, op| {
        op.entry("security").or_insert_with(|| security.clone());
    });
}

/// Path-level parameters move into each operation (an operation's own of the
/// same name and place wins), so that path items of two specs can share a path.
fn push_down_parameters(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        let Some(Value::Array(shared)) = item.remove("parameters") else { continue };
        for m in HttpMethod::ALL {
            let Some(op) = item.get_mut(m.key()).and_then(Value::as_object_mut) else { continue };
            let own = op.entry("parameters").or_insert_with(|| Value::Array(Vec::new()));
            let Some(own) = own.as_array_mut() else { continue };
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned(), p.get("$ref").cloned());
            let taken: Vec<_> = own.iter().map(key).collect();
            let mut merged: Vec<Value> = shared.iter().filter(|p| !taken.contains(&key(p))).cloned().collect();
            merged.append(own);
            *own = merged;
        }
    }
}

fn for_each_operation(root: &mut Map<String, Value>, mut f: impl FnMut(&str, &str, &mut Map<String, Value>)) {
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for m in HttpMethod::ALL {
            if let Some(op) = item.get_mut(m.key()).and_then(Value::as_object_mut) {
                f(path, m.key(), op);
            }
        }
    }
}

/// The Rust method name the IR will give an operation (to report collisions here,
/// naming both specs, rather than renaming one silently).
fn method_name(path: &str, method: &str, op: &Map<String, Value>) -> naming::Ident {
    naming::operation_method_name(op.get("operationId").and_then(Value::as_str), method, path)
}

/// Merge normalized, mounted, filtered specs into one document.
pub(crate) fn merge(parts: Vec<Part>, diags: &mut Diagnostics) -> Result<(Value, Origins), GenError> {
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return Err(GenError::config("the plan", "no spec to generate from"));
    };
    let mut origins = Origins::default();
    origins.record(&first, &[]);
    let mut merged = first.doc;
    push_down_security(&mut merged);
    push_down_parameters(&mut merged);
    let origin = split_url(&first_server_url(&merged)).0.to_string();
    if let Some(server) = merged.pointer_mut("/servers/0").and_then(Value::as_object_mut) {
        server.insert("url".into(), Value::String(origin));
    }
    // Method name -> (source, pointer) of every operation so far.
    let mut names: HashMap<naming::Ident, (String, String)> = HashMap::new();
    let mut errors = Vec::new();
    register_operations(&mut merged, &first.source, &mut names, &mut errors);
    for mut part in parts {
        push_down_security(&mut part.doc);
        push_down_parameters(&mut part.doc);
        let renames = share_components(&mut merged, &mut part, &origins, diags, &mut errors);
        origins.record(&part, &renames);
        register_operations(&mut part.doc, &part.source, &mut names, &mut errors);
        move_paths(&mut merged, &mut part, &mut errors);
        move_components(&mut merged, &mut part);
        move_tags(&mut merged, &mut part);
    }
    if errors.is_empty() {
        Ok((merged, origins))
    } else {
        Err(GenError::Spec(errors))
    }
}

fn register_operations(
    doc: &mut Value,
    source: &str,
    names: &mut HashMap<naming::Ident, (String, String)>,
    errors: &mut Vec<Diagnostic>,
) {
    let Some(root) = doc.as_object_mut() else { return };
    for_each_operation(root, |path, method, op| {
        let name = method_name(path, method, op);
        let pointer = child(&child("#/paths", path), method);
        match names.get(&name) {
            Some((other_source, other)) => errors.push(
                Diagnostic::new(
                    Code::Conflict,
                    pointer,
                    format!(
                        "operation name `{name}` is also the name of {other_source}{other}; \
                         drop one with an exclude pattern"
                    ),
                )
                .in_file(source),
            ),
            None => {
                names.insert(name, (source.to_string(), pointer));
            }
        }
    });
}

fn move_paths(merged: &mut Value, part: &mut Part, errors: &mut Vec<Diagnostic>) {
    let Some(paths) = part.doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let target = object_at(merged, "paths");
    for (path, item) in std::mem::take(paths) {
        let Value::Object(item) = item else { continue };
        let slot = target.entry(path.clone()).or_insert_with(|| Value::Object(Map::new()));
        let Some(slot) = slot.as_object_mut() else { continue };
        for (key, value) in item {
            if is_method(&key) && slot.contains_key(&key) {
                let pointer = child(&child("#/paths", &path), &key);
                errors.push(
                    Diagnostic::new(
                        Code::Conflict,
                        pointer,
                        format!("{} {path} is already defined by an earlier spec", key.to_ascii_uppercase()),
                    )
                    .in_file(&part.source),
                );
                continue;
            }
            slot.entry(key).or_insert(value);
        }
    }
}

fn object_at<'a>(doc: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    if !doc.get(key).is_some_and(Value::is_object) {
        doc[key] = Value::Object(Map::new());
    }
    match doc.get_mut(key) {
        Some(Value::Object(m)) => m,
        _ => unreachable!("set to an object above"),
    }
}

/// Rename the part's components whose names the merged API already uses for
/// something different, until every shared name means the same thing.
/// Renaming changes the text of what refers to the renamed component, so
/// repeat until nothing differs (each round renames at least one).
fn share_components(
    merged: &mut Value,
    part: &mut Part,
    origins: &Origins,
    diags: &mut Diagnostics,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, String, String)> {
    conflicts_within_document(merged, part, origins, errors);
    let mut all = Vec::new();
    loop {
        let mut renames: Vec<(String, String, String)> = Vec::new();
        let (Some(ours), Some(theirs)) = (
            merged.get("components").and_then(Value::as_object),
            part.doc.get("components").and_then(Value::as_object),
        ) else {
            return all;
        };
        for (section, entries) in theirs {
            let (Some(entries), Some(existing)) = (entries.as_object(), ours.get(section).and_then(Value::as_object))
            else {
                continue;
            };
            for (name, value) in entries {
                if existing.get(name).is_some_and(|e| e != value) && !same_document(origins, part, section, name) {
                    let new = free_name(name, &part.source, existing, entries);
                    renames.push((section.clone(), name.clone(), new));
                }
            }
        }
        if renames.is_empty() {
            return all;
        }
        for (section, old, new) in renames {
            let earlier = origins.owner(&section, &old).unwrap_or("an earlier spec");
            diags.push(
                Diagnostic::new(
                    Code::Renamed,
                    component_pointer(&section, &old),
                    format!(
                        "differs from {earlier}{}, a component of the same name; kept as `{new}`",
                        component_pointer(&section, &old)
                    ),
                )
                .in_file(&part.source),
            );
            rename_component(&mut part.doc, &section, &old, &new);
            // A second round may rename a renamed one: keep the first name.
            let first = all
                .iter()
                .find(|(s, _, n): &&(String, String, String)| *s == section && *n == old)
                .map(|(_, o, _)| o.clone());
            all.push((section, first.unwrap_or(old), new));
        }
    }
}

/// Whether the merged API's component of this name came from a fragment of
/// the part's own document.
fn same_document(origins: &Origins, part: &Part, section: &str, name: &str) -> bool {
    part.document.as_ref().is_some_and(|d| origins.documents.get(&(section.to_string(), name.to_string())) == Some(d))
}

/// A component two fragments of one document define differently: an error
/// at each definition, naming the other (a `rename` of one resolves it).
fn conflicts_within_document(merged: &Value, part: &Part, origins: &Origins, errors: &mut Vec<Diagnostic>) {
    let (Some(ours), Some(theirs)) =
        (merged.get("components").and_then(Value::as_object), part.doc.get("components").and_then(Value::as_object))
    else {
        return;
    };
    for (section, entries) in theirs {
        let (Some(entries), Some(existing)) = (entries.as_object(), ours.get(section).and_then(Value::as_object))
        else {
            continue;
        };
        for (name, value) in entries {
            if !existing.get(name).is_some_and(|e| e != value) || !same_document(origins, part, section, name) {
                continue;
            }
            let here = component_pointer(section, name);
            let (file, there) =
                origins.original(&here).unwrap_or_else(|| (String::from("an earlier fragment"), here.clone()));
            let document = part.document.as_deref().unwrap_or_default();
            let fix = format!("rename one in the manifest: rename = {{ \"{section}/{name}\" = \"...\" }}");
            errors.push(
                Diagnostic::new(
                    Code::Conflict,
                    here.clone(),
                    format!("`{name}` is defined differently in {file}{there}, a fragment of the same document ({document}); {fix}"),
                )
                .in_file(&part.source),
            );
            errors.push(
                Diagnostic::new(
                    Code::Conflict,
                    there,
                    format!("`{name}` is defined differently in {}{here}, a fragment of the same document ({document}); {fix}", part.source),
                )
                .in_file(&file),
            );
        }
    }
}

/// `Error` from `openai.yaml` becomes `Error_openai` (then `_2`, `_3`, … if taken).
fn free_name(name: &str, source: &str, a: &Map<String, Value>, b: &Map<String, Value>) -> String {
    let file = std::path::Path::new(source).file_stem().map(|s| s.to_string_lossy().into_owned());
    let stem: String = file
        .unwrap_or_else(|| "spec".into())
        .split('.')
        .next()
        .unwrap_or("spec")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let base = format!("{name}_{stem}");
    let mut candidate = base.clone();
    let mut n = 2;
    while a.contains_key(&candidate) || b.contains_key(&candidate) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

pub(crate) fn rename_component(doc: &mut Value, section: &str, old: &str, new: &str) {
    if let Some(entries) = doc.pointer_mut(&format!("/components/{section}")).and_then(Value::as_object_mut) {
        // Keep the position: rebuild the map with the key replaced.
        let taken = std::mem::take(entries);
        for (k, v) in taken {
            entries.insert(if k == old { new.to_string() } else { k }, v);
        }
    }
    rewrite_refs(doc, |tokens| match tokens {
        [components, s, name, ..] if components == "components" && s == section && name == old => {
            *name = new.to_string();
            true
        }
        _ => false,
    });
    if section == "securitySchemes" {
        let Some(root) = doc.as_object_mut() else { return };
        for_each_operation(root, |_, _, op| {
            let Some(alternatives) = op.get_mut("security").and_then(Value::as_array_mut) else { return };
            for alt in alternatives.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(scopes) = alt.remove(old) {
                    alt.insert(new.to_string(), scopes);
                }
            }
        });
    }
}

fn move_components(merged: &mut Value, part: &mut Part) {
    let Some(Value::Object(sections)) = part.doc.get_mut("components").map(Value::take) else { return };
    let target = object_at(merged, "components");
    for (section, entries) in sections {
        let Value::Object(entries) = entries else { continue };
        let slot = target.entry(section).or_insert_with(|| Value::Object(Map::new()));
        let Some(slot) = slot.as_object_mut() else { continue };
        for (name, value) in entries {
            // Same name: identical by now (see share_components).
            slot.entry(name).or_insert(value);
        }
    }
}

fn move_tags(merged: &mut Value, part: &mut Part) {
    let Some(Value::Array(tags)) = part.doc.get_mut("tags").map(Value::take) else { return };
    if !merged.get("tags").is_some_and(Value::is_array) {
        merged["tags"] = Value::Array(Vec::new());
    }
    if let Some(Value::Array(existing)) = merged.get_mut("tags") {
        for tag in tags {
            if !existing.iter().any(|t| t.get("name") == tag.get("name")) {
                existing.push(tag);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base_paths_come_from_the_first_server() {
        assert_eq!(base_path(&json!({"servers": [{"url": "https://api.openai.com/v1"}]})), "/v1");
        assert_eq!(base_path(&json!({"servers": [{"url": "https://h.example/"}]})), "");
        assert_eq!(base_path(&json!({"servers": [{"url": "/api/v3/"}]})), "/api/v3");
        assert_eq!(base_path(&json!({})), "");
        assert_eq!(split_url("https://h:8080/x"), ("https://h:8080", "/x"));
        assert_eq!(split_url("https://h"), ("https://h", ""));
    }

    #[test]
    fn mounting_moves_paths_and_the_refs_into_them() {
        let mut d = json!({"paths": {"/a/{id}": {"get": {}}}, "x": {"$ref": "#/paths/~1a~1{id}/get"}});
        mount(&mut d, "/v1/");
        assert!(d["paths"].get("/v1/a/{id}").is_some());
        assert_eq!(d["x"]["$ref"], "#/paths/~1v1~1a~1{id}/get");
    }

    fn spec(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas}})
    }

    #[test]
    fn identical_components_are_shared_and_different_ones_renamed_with_their_users() {
        let a = spec(
            json!({"/x": {"get": {"operationId": "getX"}}}),
            json!({"Same": {"type": "string"}, "Error": {"properties": {"a": {"type": "string"}}},
                   "UsesError": {"properties": {"e": {"$ref": "#/components/schemas/Error"}}}}),
        );
        let b = spec(
            json!({"/y": {"get": {"operationId": "getY",
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/UsesError"}}}}}}}}),
            json!({"Same": {"type": "string"}, "Error": {"properties": {"b": {"type": "integer"}}},
                   "UsesError": {"properties": {"e": {"$ref": "#/components/schemas/Error"}}}}),
        );
        let mut diags = Diagnostics::default();
        let parts = vec![
            Part { source: "a.yaml".into(), doc: a, mount: String::new(), document: None, renamed: Vec::new() },
            Part { source: "b.yaml".into(), doc: b, mount: String::new(), document: None, renamed: Vec::new() },
        ];
        let (m, origins) = merge(parts, &mut diags).unwrap();
        let schemas: Vec<&String> = m["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["Same", "Error", "UsesError", "Error_b", "UsesError_b"]);
        assert_eq!(
            m["components"]["schemas"]["UsesError_b"]["properties"]["e"]["$ref"],
            "#/components/schemas/Error_b"
        );
        let r = &m["paths"]["/y"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(r, "#/components/schemas/UsesError_b");
        let warned: Vec<String> =
            diags.items.iter().map(|d| format!("{}{}", d.file.as_deref().unwrap_or(""), d.pointer)).collect();
        assert_eq!(warned, ["b.yaml#/components/schemas/Error", "b.yaml#/components/schemas/UsesError"]);
        assert!(diags.items.iter().all(|d| d.code == Code::Renamed), "{diags:?}");
        assert!(diags.items[0].message.contains("a.yaml#/components/schemas/Error"), "{}", diags.items[0].message);
        // Pointers into the merged document lead back into the files.
        let back = |p: &str| origins.original(p);
        assert_eq!(
            back("#/components/schemas/UsesError_b/properties/e"),
            Some(("b.yaml".into(), "#/components/schemas/UsesError/properties/e".into()))
        );
        assert_eq!(back("#/components/schemas/Same"), Some(("a.yaml".into(), "#/components/schemas/Same".into())));
        assert_eq!(back("#/paths/~1y/get/responses"), Some(("b.yaml".into(), "#/paths/~1y/get/responses".into())));
        assert_eq!(back("#/info"), None);
        assert!(diags.items[0].message.contains("`Error_b`"), "{}", diags.items[0].message);
    }

    #[test]
    fn colliding_operation_names_and_routes_are_errors_naming_both() {
        let a = spec(json!({"/x": {"get": {"operationId": "listThings"}}}), json!({}));
        let b = spec(
            json!({"/y": {"get": {"operationId": "list_things"}}, "/x": {"get": {"operationId": "other"}}}),
            json!({}),
        );
        let parts = vec![
            Part { source: "a.yaml".into(), doc: a, mount: String::new(), document: None, renamed: Vec::new() },
            Part { source: "b.yaml".into(), doc: b, mount: String::new(), document: None, renamed: Vec::new() },
        ];
        let err = merge(parts, &mut Diagnostics::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("b.yaml#/paths/~1y/get") && text.contains("a.yaml#/paths/~1x/get"), "{text}");
        assert!(text.contains("`list_things`"), "{text}");
        assert!(text.contains("GET /x is already defined"), "{text}");
    }

    #[test]
    fn top_level_security_and_path_parameters_move_into_operations() {
        let mut a = spec(json!({"/a": {"get": {}}}), json!({}));
        a["servers"] = json!([{"url": "https://nebius.example"}]);
        let mut b = spec(
            json!({"/b/{id}": {"parameters": [{"name": "id", "in": "path"}],
                   "get": {}, "post": {"security": [], "parameters": [{"name": "id", "in": "path", "x": 1}]}}}),
            json!({}),
        );
        b["security"] = json!([{"Key": []}]);
        b["components"]["securitySchemes"] = json!({"Key": {"type": "http", "scheme": "bearer"}});
        let parts = vec![
            Part { source: "a".into(), doc: a, mount: String::new(), document: None, renamed: Vec::new() },
            Part { source: "b".into(), doc: b, mount: String::new(), document: None, renamed: Vec::new() },
        ];
        let (m, _) = merge(parts, &mut Diagnostics::default()).unwrap();
        assert_eq!(m["paths"]["/b/{id}"]["get"]["security"], json!([{"Key": []}]));
        assert_eq!(m["paths"]["/b/{id}"]["post"]["security"], json!([]));
        assert_eq!(m["paths"]["/b/{id}"]["get"]["parameters"], json!([{"name": "id", "in": "path"}]));
        assert_eq!(m["paths"]["/b/{id}"]["post"]["parameters"], json!([{"name": "id", "in": "path", "x": 1}]));
        assert!(m.get("security").is_none());
        assert_eq!(m["servers"][0]["url"], "https://nebius.example");
    }

    #[test]
    fn renamed_security_schemes_follow_into_requirements() {
        let mut a = spec(json!({}), json!({}));
        a["components"]["securitySchemes"] = json!({"Auth": {"type": "http", "scheme": "bearer"}});
        let mut b = spec(json!({"/b": {"get": {"security": [{"Auth": []}]}}}), json!({}));
        b["components"]["securitySchemes"] = json!({"Auth": {"type": "http", "scheme": "basic"}});
        let parts = vec![
            Part { source: "a".into(), doc: a, mount: String::new(), document: None, renamed: Vec::new() },
            Part { source: "b".into(), doc: b, mount: String::new(), document: None, renamed: Vec::new() },
        ];
        let (m, _) = merge(parts, &mut Diagnostics::default()).unwrap();
        assert_eq!(m["paths"]["/b"]["get"]["security"], json!([{"Auth_b": []}]));
        assert_eq!(m["components"]["securitySchemes"]["Auth_b"]["scheme"], "basic");
    }
}
