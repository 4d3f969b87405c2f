//! Operation filters, and pruning what the kept operations do not reach.
//!
//! Runs on the normalized document (before typing), one spec at a time, after
//! its paths are mounted: patterns name the paths the client will call.
//!
//! A pattern is one of:
//! - `METHOD /path`: `GET /v1/models`, `GET|DELETE /v1/files/{file_id}`,
//!   `* /v1/files*`. `*` matches any run of characters, `/` included.
//! - `tag:NAME`: every operation carrying that tag (`*` allowed).
//! - anything else: an operationId (`*` allowed), such as `createChatCompletion`.

use crate::ground::diag::{Code, Diagnostics, GenError};
use crate::ground::http::HttpMethod;
use crate::ground::pointer;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;

/// One include or exclude pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// Methods (empty for any) and a path glob.
    Route {
        methods: Vec<HttpMethod>,
        path: String,
    },
    Tag(String),
    OperationId(String),
}

impl Pattern {
    pub(crate) fn parse(text: &str) -> Result<Pattern, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("an empty operation pattern".into());
        }
        if let Some(tag) = text.strip_prefix("tag:") {
            return Ok(Pattern::Tag(tag.trim().to_string()));
        }
        let Some((methods, path)) = text.split_once(char::is_whitespace) else {
            return Ok(Pattern::OperationId(text.to_string()));
        };
        let path = path.trim();
        if !path.starts_with('/') && path != "*" {
            return Err(format!("{text:?}: the path must start with `/`"));
        }
        let mut list = Vec::new();
        if methods != "*" {
            for m in methods.split('|') {
                let key = m.trim().to_ascii_lowercase();
                let Some(method) = HttpMethod::from_key(&key) else {
                    return Err(format!("{text:?}: unknown HTTP method {key:?}"));
                };
                list.push(method);
            }
        }
        Ok(Pattern::Route { methods: list, path: path.to_string() })
    }

    pub(crate) fn matches(&self, method: HttpMethod, path: &str, op: &Value) -> bool {
        match self {
            Pattern::Route { methods, path: p } => (methods.is_empty() || methods.contains(&method)) && glob(p, path),
            Pattern::Tag(t) => op
                .get("tags")
                .and_then(Value::as_array)
                .is_some_and(|tags| tags.iter().filter_map(Value::as_str).any(|tag| glob(t, tag))),
            Pattern::OperationId(id) => op.get("operationId").and_then(Value::as_str).is_some_and(|o| glob(id, o)),
        }
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pattern::Route { methods, path } if methods.is_empty() => write!(f, "* {path}"),
            Pattern::Route { methods, path } => {
                let names: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
                write!(f, "{} {path}", names.join("|"))
            }
            Pattern::Tag(t) => write!(f, "tag:{t}"),
            Pattern::OperationId(id) => f.write_str(id),
        }
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matcher with one backtrack point (the last `*`).
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Which operations to keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    /// When not empty, only operations matching one of these are kept.
    pub include: Vec<Pattern>,
    /// Operations matching one of these are dropped.
    pub exclude: Vec<Pattern>,
}

impl Filter {
    pub(crate) fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }

    /// This filter and another, both applying.
    pub(crate) fn and(&self, other: &Filter) -> Filter {
        Filter {
            include: self.include.iter().chain(&other.include).cloned().collect(),
            exclude: self.exclude.iter().chain(&other.exclude).cloned().collect(),
        }
    }

    fn keeps(&self, method: HttpMethod, path: &str, op: &Value, used: &mut [bool]) -> bool {
        let mut included = self.include.is_empty();
        for (i, p) in self.include.iter().enumerate() {
            if p.matches(method, path, op) {
                used[i] = true;
                included = true;
            }
        }
        included && !self.exclude.iter().any(|p| p.matches(method, path, op))
    }
}

/// What a filter took out of the API, for the report.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Removed {
    /// `METHOD /path (operationId)` of every operation left out.
    pub operations: Vec<String>,
    /// Pointers of the components no kept operation reaches.
    pub components: Vec<String>,
}

impl Removed {
    pub fn extend(&mut self, other: Removed) {
        self.operations.extend(other.operations);
        self.components.extend(other.components);
    }
}

/// Drop the operations the filter does not keep, then every component they
/// alone reached. An include pattern that matches nothing is a warning
/// (a typo in a manifest should not pass silently).
pub(crate) fn apply(doc: &mut Value, filter: &Filter, diags: &mut Diagnostics) -> Removed {
    let mut removed = Removed::default();
    if filter.is_empty() {
        return removed;
    }
    let mut used = vec![false; filter.include.len()];
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for method in HttpMethod::ALL {
                let Some(op) = item.get(method.key()) else { continue };
                if !filter.keeps(method, path, op, &mut used) {
                    let id = op.get("operationId").and_then(Value::as_str).map(|id| format!(" ({id})"));
                    removed.operations.push(format!("{method} {path}{}", id.unwrap_or_default()));
                    item.remove(method.key());
                }
            }
        }
        paths.retain(|_, item| item.as_object().is_none_or(|o| o.keys().any(|k| crate::ground::http::is_method(k))));
    }
    for (pattern, used) in filter.include.iter().zip(used) {
        if !used {
            diags.add(
                Code::UnmatchedPattern,
                "#/paths",
                format!("the include pattern `{pattern}` matches no operation"),
            );
        }
    }
    removed.components = prune_unreachable(doc);
    removed
}

/// Component sections whose entries are reached only through `$ref`.
const PRUNED_SECTIONS: [&str; 9] =
    ["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks", "pathItems"];

/// Remove components that nothing outside `components` reaches, directly or
/// through other components; returns their pointers. Security schemes stay.
pub(crate) fn prune_unreachable(doc: &mut Value) -> Vec<String> {
    let mut reached: HashSet<(String, String)> = HashSet::new();
    let mut work: Vec<(String, String)> = Vec::new();
    if let Some(root) = doc.as_object() {
        for (key, value) in root {
            if key != "components" {
                collect_component_refs(value, &mut work);
            }
        }
    }
    while let Some(target) = work.pop() {
        if !reached.insert(target.clone()) {
            continue;
        }
        if let Some(v) = doc.get("components").and_then(|c| c.get(&target.0)).and_then(|s| s.get(&target.1)) {
            collect_component_refs(v, &mut work);
        }
    }
    let mut pruned = Vec::new();
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else { return pruned };
    for section in PRUNED_SECTIONS {
        let Some(entries) = components.get_mut(section).and_then(Value::as_object_mut) else { continue };
        entries.retain(|name, _| {
            let keep = reached.contains(&(section.to_string(), name.clone()));
            if !keep {
                pruned.push(pointer::component_pointer(section, name));
            }
            keep
        });
    }
    pruned
}

/// Every `(section, name)` a value refers to: `$ref`s and discriminator mappings.
fn collect_component_refs(v: &Value, out: &mut Vec<(String, String)>) {
    pointer::for_each_ref(v, |r| out.extend(pointer::component_of(r)));
}

/// Parse a list of patterns, naming the bad one.
fn parse_patterns<'a>(patterns: impl IntoIterator<Item = &'a String>, origin: &str) -> Result<Vec<Pattern>, GenError> {
    patterns.into_iter().map(|p| Pattern::parse(p).map_err(|e| GenError::config(origin, e))).collect()
}

/// Every pattern of a plan, parsed once: the filters, and the patterns of
/// the declarations (`[[pagination]]`, `[[feature]]`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Patterns {
    /// The filter for every spec (the settings' `include` and `exclude`).
    pub global: Filter,
    /// Each spec's own filter, in plan order.
    pub specs: Vec<Filter>,
    /// `[[pagination]]`: the operations a pattern matches, and what they declare.
    pub pagination: Vec<(Pattern, Value)>,
    /// `[[polling]]`: the operations a pattern matches, and how they are polled.
    pub polling: Vec<(Pattern, Value)>,
    /// `[[feature]]`: a feature's name and the patterns of its operations.
    pub features: Vec<(String, Vec<Pattern>)>,
}

impl Patterns {
    /// The patterns of `plan`; a bad one is a settings error naming where it is.
    pub(crate) fn parse(plan: &crate::Plan) -> Result<Patterns, GenError> {
        let global = Filter {
            include: parse_patterns(&plan.settings.include, "include")?,
            exclude: parse_patterns(&plan.settings.exclude, "exclude")?,
        };
        let specs = plan
            .sources
            .iter()
            .map(|s| {
                let name = s.name();
                Ok(Filter { include: parse_patterns(&s.include, &name)?, exclude: parse_patterns(&s.exclude, &name)? })
            })
            .collect::<Result<_, GenError>>()?;
        let pagination = plan
            .pagination
            .iter()
            .map(|(p, v)| Ok((Pattern::parse(p).map_err(|e| GenError::config("pagination", e))?, v.clone())))
            .collect::<Result<_, GenError>>()?;
        let polling = plan
            .polling
            .iter()
            .map(|(p, v)| Ok((Pattern::parse(p).map_err(|e| GenError::config("polling", e))?, v.clone())))
            .collect::<Result<_, GenError>>()?;
        let features = plan
            .feature_lists
            .iter()
            .map(|(name, patterns)| Ok((name.clone(), parse_patterns(patterns, &format!("feature {name}"))?)))
            .collect::<Result<_, GenError>>()?;
        Ok(Patterns { global, specs, pagination, polling, features })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn globs_match_any_run_of_characters() {
        assert!(glob("/v1/files/*", "/v1/files/{file_id}/content"));
        assert!(glob("*Completion", "createChatCompletion"));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
        assert!(glob("/v1/models", "/v1/models"));
        assert!(!glob("/v1/models", "/v1/models/{id}"));
        assert!(glob("*", ""));
    }

    #[test]
    fn patterns_parse_each_form() {
        assert_eq!(
            Pattern::parse("POST|get /v1/files").unwrap(),
            Pattern::Route { methods: vec![HttpMethod::Post, HttpMethod::Get], path: "/v1/files".into() }
        );
        assert_eq!(Pattern::parse("tag:Files").unwrap(), Pattern::Tag("Files".into()));
        assert_eq!(Pattern::parse("createFile").unwrap(), Pattern::OperationId("createFile".into()));
        assert!(Pattern::parse("FETCH /x").unwrap_err().contains("FETCH"));
        assert!(Pattern::parse("GET v1/x").is_err());
        assert!(Pattern::parse("  ").is_err());
        assert_eq!(Pattern::parse("GET|DELETE /a").unwrap().to_string(), "GET|DELETE /a");
    }

    fn doc() -> Value {
        json!({
            "paths": {
                "/a": {
                    "get": {"operationId": "getA", "tags": ["A"], "responses": {"200": {"$ref": "#/components/responses/R"}}},
                    "post": {"operationId": "postA", "tags": ["B"],
                             "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}}}
                },
                "/b": {"get": {"operationId": "getB", "responses": {}}}
            },
            "components": {
                "schemas": {
                    "In": {"properties": {"x": {"$ref": "#/components/schemas/Nested"}}},
                    "Nested": {"type": "string"},
                    "Out": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "t", "mapping": {"c": "#/components/schemas/Cat"}}},
                    "Cat": {"type": "object"},
                    "Unused": {"type": "object"}
                },
                "responses": {"R": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}},
                "securitySchemes": {"S": {"type": "http", "scheme": "bearer"}}
            }
        })
    }

    #[test]
    fn include_keeps_matches_and_prunes_what_only_the_others_reach() {
        let mut d = doc();
        let filter = Filter { include: vec![Pattern::parse("GET /a").unwrap()], exclude: vec![] };
        let mut diags = Diagnostics::default();
        let removed = apply(&mut d, &filter, &mut diags);
        assert_eq!(removed.operations, vec!["POST /a (postA)", "GET /b (getB)"]);
        let schemas: Vec<&String> = d["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["Out", "Cat"], "reached through a response and a discriminator mapping");
        assert!(d["paths"].get("/b").is_none(), "an empty path item goes");
        assert!(d["components"]["securitySchemes"].get("S").is_some());
        assert!(removed.components.contains(&"#/components/schemas/Unused".to_string()));
        assert!(diags.items.is_empty());
    }

    #[test]
    fn exclude_by_tag_and_id_and_unmatched_includes_warn() {
        let mut d = doc();
        let filter = Filter {
            include: vec![Pattern::parse("* /*").unwrap(), Pattern::parse("tag:Nope").unwrap()],
            exclude: vec![Pattern::parse("tag:B").unwrap(), Pattern::parse("get*B").unwrap()],
        };
        let mut diags = Diagnostics::default();
        let removed = apply(&mut d, &filter, &mut diags);
        assert_eq!(removed.operations, vec!["POST /a (postA)", "GET /b (getB)"]);
        assert_eq!(diags.items.len(), 1);
        assert_eq!(diags.items[0].code, Code::UnmatchedPattern);
        assert!(diags.items[0].message.contains("tag:Nope"), "{}", diags.items[0].message);
    }

    #[test]
    fn an_empty_filter_changes_nothing() {
        let mut d = doc();
        let removed = apply(&mut d, &Filter::default(), &mut Diagnostics::default());
        assert_eq!(d, doc());
        assert_eq!(removed, Removed::default());
    }
}
