//! Orchestrates the IR stage: names, components, operations, then the
//! whole-table passes (alias cycles, union tagging, boxing).

use super::schema::Converter;
use super::{boxing, dedupe, ergonomics, operation, security, unions, Ir};
use crate::ground::diag::{Code, Diagnostics};
use crate::ground::naming::{self, NameSet};
use crate::stages::resolve::Resolver;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use std::collections::HashSet;

/// Names the generated types module must keep free for itself.
const RESERVED_TYPE_NAMES: &[&str] = &["Client", "Error"];

/// What the IR reads besides the document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IrOptions<'a> {
    /// The settings: `env_prefix`, `detect_pagination`, `features_by`.
    pub settings: &'a crate::front::settings::Settings,
    /// The specs the document was made from (several when merged); empty
    /// means the document's own `info`.
    pub specs: &'a [super::SpecInfo],
    /// What the merge decided about operations from the settings.
    pub declared: &'a crate::ground::declared::Declared,
}

pub(crate) fn build(api: &OpenAPI, options: &IrOptions<'_>, diags: &mut Diagnostics) -> Ir {
    let resolver = Resolver::new(api);
    let (mut names, merged) = component_names(&resolver);
    rename_fastapi_bodies(api, &mut names);
    let mut conv = Converter::new(resolver, NameSet::with_reserved(RESERVED_TYPE_NAMES), diags);
    conv.declare_components(&names, &merged);
    conv.fill_components();
    let mut operations = operation::operations(&mut conv, options.declared);
    conv.check_client_defaults();
    for origin in boxing::collapse_empty_cycles(&mut conv.space) {
        conv.diags.add(
            Code::RefCycle,
            &origin,
            "a cycle of references with no schema in between; any JSON value is accepted here",
        );
    }
    boxing::break_alias_cycles(&mut conv.space);
    unions::finalize(&mut conv.space);
    boxing::box_recursive(&mut conv.space);
    dedupe::dedupe(&mut conv.space);
    ergonomics::finalize(&mut conv.space, &mut operations);
    let paging = super::pagination::Sources { detect: options.settings.detect_pagination, declared: options.declared };
    super::pagination::decide(&conv.space, api, &mut operations, paging, conv.diags);
    super::polling::decide(&conv.space, api, &mut operations, options.declared, conv.diags);
    // Multipart bodies have no JSON form to round-trip.
    let space = &conv.space;
    let raw_examples: Vec<_> = std::mem::take(&mut conv.examples)
        .into_iter()
        .filter(|e| !matches!(space.unalias(&e.ty), super::TypeRef::Named(id) if matches!(space.get(*id).kind, super::TypeKind::Multipart(_))))
        .collect();
    let examples = super::examples::select(&conv.space, raw_examples, conv.diags);
    let env_prefix = options.settings.env_prefix.clone().unwrap_or_else(|| env_prefix_from_title(&api.info.title));
    let security_schemes = security::env_schemes(&operations, &env_prefix);
    let features =
        options.settings.features_by.and_then(|by| super::features::decide(&conv.space, &operations, by, conv.diags));
    super::operation::cli_names(&mut operations, features.as_ref());
    Ir {
        features,
        credential_setters: security::credential_setters(&operations, &security_schemes),
        security_schemes,
        env_prefix,
        specs: if options.specs.is_empty() {
            vec![super::SpecInfo {
                file: String::new(),
                title: api.info.title.clone(),
                version: api.info.version.clone(),
                overlays: Vec::new(),
            }]
        } else {
            options.specs.to_vec()
        },
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api.info.description.clone(),
        default_base_url: default_base_url(api),
        types: conv.space,
        operations,
        examples,
    }
}

/// FastAPI names a form or multipart body schema `Body_{operationId}`; it is
/// named after the operation instead (`UploadModelFileBody`).
fn rename_fastapi_bodies(api: &OpenAPI, names: &mut [(&str, String)]) {
    let mut by_key = std::collections::HashMap::new();
    for (path, item) in api.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, op) in item.iter() {
            let Some(id) = op.operation_id.as_deref() else { continue };
            let clean = naming::strip_fastapi_suffix(id, path, method);
            by_key.insert(format!("Body_{id}"), format!("{}Body", naming::type_name(clean)));
        }
    }
    for (key, name) in names.iter_mut() {
        if let Some(new) = by_key.get(*key) {
            *name = naming::safe_type_name(new);
        }
    }
}

/// `servers[0].url` with its variables set to their defaults.
fn default_base_url(api: &OpenAPI) -> String {
    let Some(server) = api.servers.first() else { return String::new() };
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url.trim_end_matches('/').to_string()
}

/// `NEBIUS` from "Nebius OpenAI-compatible inference API".
pub(super) fn env_prefix_from_title(title: &str) -> String {
    let word: String = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty() && !w.as_bytes()[0].is_ascii_digit())
        .unwrap_or("API")
        .to_ascii_uppercase();
    word
}

/// Rust names for component schemas. FastAPI splits a model used in both
/// directions into `Name-Input` and `Name-Output`: identical twins are merged
/// into `Name`, a lone twin is called `Name`, differing twins keep both words.
#[allow(clippy::type_complexity)]
fn component_names<'a>(resolver: &Resolver<'a>) -> (Vec<(&'a str, String)>, Vec<(&'a str, &'a str)>) {
    let schemas = resolver.schemas();
    let keys: HashSet<&str> = schemas.iter().map(|(k, _)| k.as_str()).collect();
    let mut names = Vec::new();
    let mut merged = Vec::new();
    for (key, schema) in &schemas {
        let key = key.as_str();
        let twin = |suffix: &str, other: &str| key.strip_suffix(suffix).map(|b| (b, format!("{b}{other}")));
        let split = twin("-Input", "-Output")
            .map(|(b, t)| (b, t, true))
            .or_else(|| twin("-Output", "-Input").map(|(b, t)| (b, t, false)));
        let name = match split {
            Some((base, other, is_input)) if keys.contains(other.as_str()) => {
                let other_schema = resolver.schema(&other);
                if other_schema.is_some_and(|o| same_twin(schema, o)) {
                    if !is_input {
                        // The `-Input` twin carries the name; this one becomes an alias of it.
                        if let Some((other_key, _)) = schemas.iter().find(|(k, _)| k.as_str() == other) {
                            merged.push((key, other_key.as_str()));
                        }
                        continue;
                    }
                    naming::safe_type_name(base)
                } else {
                    naming::safe_type_name(key)
                }
            }
            Some((base, _, _)) if !keys.contains(base) => naming::safe_type_name(base),
            _ => naming::safe_type_name(key),
        };
        names.push((key, name));
    }
    (names, merged)
}

fn same_twin(a: &ReferenceOr<Schema>, b: &ReferenceOr<Schema>) -> bool {
    let canon = |s: &ReferenceOr<Schema>| {
        serde_json::to_string(s).map(|t| t.replace("-Output\"", "\"").replace("-Input\"", "\"")).unwrap_or_default()
    };
    canon(a) == canon(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_prefix_is_the_first_word_of_the_title() {
        assert_eq!(env_prefix_from_title("Nebius OpenAI-compatible inference API"), "NEBIUS");
        assert_eq!(env_prefix_from_title("  "), "API");
        assert_eq!(env_prefix_from_title("3D printing"), "PRINTING");
    }
}
