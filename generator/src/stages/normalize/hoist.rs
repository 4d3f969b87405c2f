//! Refs to nested places (`#/components/schemas/A/properties/b`,
//! `#/definitions/X`, `#/paths/.../schema`) become component refs: the
//! target schema is copied once into `components/schemas` under a name
//! derived from its place, and every ref to it is rewritten. Later stages then
//! only ever see `#/components/<section>/<name>`.

use crate::ground::diag::{Code, Diagnostics};
use crate::ground::pointer::{self, ComponentTarget};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// Tokens that say where inside a schema, not what it is.
const STRUCTURAL: &[&str] = &[
    "components",
    "schemas",
    "properties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "additionalProperties",
    "definitions",
    "$defs",
    "paths",
    "content",
    "schema",
    "parameters",
    "requestBody",
    "responses",
    "application",
    "json",
    "not",
];

/// References into this document that do not name a component.
fn collect_refs(v: &Value, out: &mut HashSet<String>) {
    pointer::for_each_ref(v, |r| {
        if r.starts_with("#/") && pointer::component_target(r) == ComponentTarget::Elsewhere {
            out.insert(r.to_string());
        }
    });
}

fn rewrite_refs(v: &mut Value, names: &BTreeMap<String, String>) {
    pointer::for_each_ref_mut(v, |r| {
        if let Some(name) = names.get(r.as_str()) {
            *r = pointer::component_ref("schemas", name);
        }
    });
}

/// A component name for a pointer: `A/properties/b` gives `A_b`.
fn name_for(tokens: &[String], taken: &HashSet<String>) -> String {
    let words: Vec<String> =
        tokens.iter().filter(|t| !STRUCTURAL.contains(&t.as_str()) && t.parse::<usize>().is_err()).cloned().collect();
    // Joined with `_` so the Rust name keeps the word boundaries (`A_b` gives `AB`).
    let base = if words.is_empty() { "Hoisted".to_string() } else { words.join("_") };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// Hoist nested ref targets into `components/schemas`.
pub(super) fn hoist_nested_refs(doc: &mut Value, diags: &mut Diagnostics) {
    let mut refs = HashSet::new();
    collect_refs(doc, &mut refs);
    if refs.is_empty() {
        return;
    }
    let mut refs: Vec<String> = refs.into_iter().collect();
    refs.sort();
    let mut taken: HashSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut names = BTreeMap::new();
    let mut hoisted = Vec::new();
    for r in refs {
        let tokens = pointer::ref_tokens(&r).unwrap_or_default();
        let target = pointer::join(&tokens);
        match pointer::get(doc, &tokens) {
            Some(target) if target.is_object() || target.is_boolean() => {
                let name = name_for(&tokens, &taken);
                taken.insert(name.clone());
                hoisted.push((name.clone(), target.clone()));
                names.insert(r, name);
            }
            _ => diags.add(Code::DanglingRef, &target, "$ref points nowhere in this document; left as is"),
        }
    }
    rewrite_refs(doc, &names);
    let Some(root) = doc.as_object_mut() else { return };
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    let Some(components) = components.as_object_mut() else { return };
    let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
    if let Some(schemas) = schemas.as_object_mut() {
        for (name, mut target) in hoisted {
            // The copy may hold refs to other hoisted places too.
            rewrite_refs(&mut target, &names);
            schemas.insert(name, target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_and_definitions_refs_become_components() {
        let mut doc = json!({
            "paths": {},
            "definitions": {"Legacy": {"type": "string"}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"type": "object", "properties": {"c": {"$ref": "#/definitions/Legacy"}}}}},
                "User": {"$ref": "#/components/schemas/A/properties/b"},
                "Other": {"$ref": "#/components/schemas/A"}
            }}
        });
        let mut diags = Diagnostics::default();
        hoist_nested_refs(&mut doc, &mut diags);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["User"], json!({"$ref": "#/components/schemas/A_b"}));
        assert_eq!(schemas["Other"], json!({"$ref": "#/components/schemas/A"}), "canonical refs stay");
        assert_eq!(schemas["Legacy"], json!({"type": "string"}));
        assert_eq!(schemas["A_b"]["properties"]["c"], json!({"$ref": "#/components/schemas/Legacy"}));
        assert_eq!(schemas["A"]["properties"]["b"]["properties"]["c"], json!({"$ref": "#/components/schemas/Legacy"}));
        assert!(diags.items.is_empty());
    }

    #[test]
    fn dangling_refs_are_reported_and_kept() {
        let mut doc = json!({"components": {"schemas": {"A": {"$ref": "#/nowhere/X"}}}});
        let mut diags = Diagnostics::default();
        hoist_nested_refs(&mut doc, &mut diags);
        assert_eq!(doc["components"]["schemas"]["A"], json!({"$ref": "#/nowhere/X"}));
        assert_eq!(diags.items.len(), 1);
    }
}
