//! Overlays (the OpenAPI Overlay Specification 1.0.0 and 1.1.0) applied to a
//! loaded spec, before normalize: corrections to an upstream spec that live
//! beside it and survive its bumps.
//!
//! Each action's `target` is an RFC 9535 JSONPath, evaluated by the
//! `serde_json_path` crate (it implements the RFC in full, filters and
//! function extensions included, and is tested against the JSONPath
//! Compliance Test Suite). Then, in order:
//! - `remove: true` removes every selected node from its object or array;
//! - `update` is merged into every selected object (recursively: objects merge
//!   key by key, any other value replaces what was there), appended to every
//!   selected array, and replaces a selected string, number, boolean or null;
//! - `copy` (1.1.0) does what `update` does with the one node its JSONPath
//!   selects in the document.
//!
//! An action that selects nothing is a warning at its `target` in the overlay
//! file; a malformed overlay is an error at its place there. What an update
//! adds is recorded, so that a later diagnostic about it points into the
//! overlay file ([`Added`]).

use crate::ground::diag::{Code, Diagnostic, Diagnostics, GenError};
use crate::ground::pointer;
use serde_json::{Map, Value};
use serde_json_path::JsonPath;
use std::path::Path;

/// A loaded overlay document.
#[derive(Debug, Clone)]
pub(crate) struct Overlay {
    /// The file, as messages name it.
    file: String,
    doc: Value,
}

/// Where the parts that overlays added to a spec came from: a place in the
/// spec (its tokens) and the place in an overlay file that put it there.
#[derive(Debug, Clone, Default)]
pub(crate) struct Added {
    entries: Vec<(Vec<String>, String, String)>,
}

impl Added {
    /// The overlay file and pointer that a pointer into the spec stands for,
    /// when an overlay added that part.
    pub(crate) fn original(&self, pointer: &str) -> Option<(String, String)> {
        let tokens = pointer::tokens(pointer);
        // The deepest addition that holds the place; of equals, the latest
        // (`max_by_key` keeps the last).
        let (place, file, origin) = self
            .entries
            .iter()
            .filter(|(place, _, _)| tokens.starts_with(place))
            .max_by_key(|(place, _, _)| place.len())?;
        let rest = tokens.get(place.len()..).unwrap_or_default();
        Some((file.clone(), rest.iter().fold(origin.clone(), |p, t| pointer::child(&p, t))))
    }

    fn record(&mut self, place: Vec<String>, file: &str, origin: String) {
        self.entries.push((place, file.to_string(), origin));
    }
}

/// Read an overlay file (YAML or JSON).
pub(crate) fn load(path: &Path) -> Result<Overlay, GenError> {
    let file = path.display().to_string();
    let doc = crate::stages::load::load_file(path).map_err(|e| e.in_file(&file))?;
    Ok(Overlay { file, doc })
}

impl Overlay {
    /// Its file's name, and its `info` title and version.
    pub(crate) fn about(&self) -> (String, String, String) {
        let name = Path::new(&self.file).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let info = |key: &str| self.doc.pointer(&format!("/info/{key}")).and_then(Value::as_str).unwrap_or_default();
        (name, info("title").to_string(), info("version").to_string())
    }
}

/// One action, checked.
struct Action<'o> {
    /// Its pointer in the overlay document.
    at: String,
    target: JsonPath,
    change: Change<'o>,
}

enum Change<'o> {
    Remove,
    /// A value to merge, and the overlay pointer it is at.
    Update(&'o Value, String),
    /// A JSONPath selecting the value to merge.
    Copy(JsonPath),
}

impl Overlay {
    fn error(&self, pointer: &str, message: impl Into<String>) -> GenError {
        GenError::single(Diagnostic::new(Code::Overlay, pointer, message).in_file(&self.file))
    }

    /// The version and actions, or an error at the first malformed place.
    fn actions(&self) -> Result<Vec<Action<'_>>, GenError> {
        let Some(root) = self.doc.as_object() else {
            return Err(self.error("#", "an overlay must be an object with `overlay`, `info` and `actions`"));
        };
        let version = match root.get("overlay") {
            Some(Value::String(v)) => v.as_str(),
            Some(_) => return Err(self.error("#/overlay", "`overlay` must be a version string such as \"1.0.0\"")),
            None => return Err(self.error("#", "not an overlay: no `overlay` version (such as \"1.0.0\")")),
        };
        let copy_allowed = match version.split('.').take(2).collect::<Vec<_>>().as_slice() {
            ["1", "0"] => false,
            ["1", "1"] => true,
            _ => {
                return Err(self.error("#/overlay", format!("Overlay {version} is not supported (1.0.x and 1.1.x are)")))
            }
        };
        let Some(Value::Array(list)) = root.get("actions") else {
            return Err(self.error("#", "an overlay needs `actions`, a list of actions"));
        };
        let mut actions = Vec::with_capacity(list.len());
        for (i, action) in list.iter().enumerate() {
            let at = format!("#/actions/{i}");
            let Some(action) = action.as_object() else {
                return Err(self.error(&at, "an action must be an object with a `target`"));
            };
            let target = self.path(action.get("target"), &pointer::child(&at, "target"), "target")?;
            let change = if action.get("remove").and_then(Value::as_bool) == Some(true) {
                Change::Remove
            } else if let Some(update) = action.get("update") {
                Change::Update(update, pointer::child(&at, "update"))
            } else if let Some(copy) = action.get("copy") {
                let copy_at = pointer::child(&at, "copy");
                if !copy_allowed {
                    return Err(
                        self.error(&copy_at, format!("`copy` is an Overlay 1.1 action; this overlay is {version}"))
                    );
                }
                Change::Copy(self.path(Some(copy), &copy_at, "copy")?)
            } else {
                return Err(self.error(&at, "an action needs `update`, `remove: true` or `copy`"));
            };
            actions.push(Action { at, target, change });
        }
        Ok(actions)
    }

    /// A JSONPath field, parsed.
    fn path(&self, value: Option<&Value>, at: &str, field: &str) -> Result<JsonPath, GenError> {
        let Some(Value::String(text)) = value else {
            return Err(self.error(at, format!("`{field}` must be a JSONPath string such as \"$.paths['/x'].get\"")));
        };
        JsonPath::parse(text).map_err(|e| {
            self.error(
                at,
                format!("`{field}` is not a JSONPath ({text:?}, at character {}): {}", e.position() + 1, e.message()),
            )
        })
    }

    /// Apply every action, in order, to `doc`.
    pub(crate) fn apply(&self, doc: &mut Value, added: &mut Added, diags: &mut Diagnostics) -> Result<(), GenError> {
        for action in self.actions()? {
            let places = select(&action.target, doc);
            if places.is_empty() {
                diags.push(
                    Diagnostic::new(
                        Code::OverlayTarget,
                        pointer::child(&action.at, "target"),
                        "this overlay action's target selects nothing in the spec",
                    )
                    .in_file(&self.file),
                );
                continue;
            }
            match &action.change {
                Change::Remove => remove(doc, places),
                Change::Update(value, origin) => {
                    for place in places {
                        self.update(doc, &place, value, origin, added)?;
                    }
                }
                Change::Copy(source) => {
                    let found = select(source, doc);
                    let [from] = found.as_slice() else {
                        let message = format!("`copy` must select exactly one node; it selects {}", found.len());
                        return Err(self.error(&pointer::child(&action.at, "copy"), message));
                    };
                    let value = pointer::get(doc, from).cloned().unwrap_or(Value::Null);
                    for place in places {
                        // What a copy adds points at the copy field.
                        self.update(doc, &place, &value, &pointer::child(&action.at, "copy"), added)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Merge `value` into the node at `place`.
    fn update(
        &self,
        doc: &mut Value,
        place: &[String],
        value: &Value,
        origin: &str,
        added: &mut Added,
    ) -> Result<(), GenError> {
        let Some(target) = pointer::get_mut(doc, place) else { return Ok(()) };
        match (target, value) {
            (Value::Object(into), Value::Object(from)) => merge(into, from, place, &self.file, origin, added),
            (Value::Object(_), _) => {
                return Err(self.error(origin, "the target is an object: `update` must be an object to merge into it"))
            }
            // An array's items are appended one by one (as Overlay 1.1 and
            // Speakeasy read it); any other value is appended as one item.
            (Value::Array(items), v) => {
                let (new, origins): (Vec<&Value>, Vec<String>) = match v {
                    Value::Array(list) => {
                        list.iter().enumerate().map(|(i, item)| (item, pointer::child(origin, &i.to_string()))).unzip()
                    }
                    one => (vec![one], vec![origin.to_string()]),
                };
                for (item, origin) in new.into_iter().zip(origins) {
                    let mut at = place.to_vec();
                    at.push(items.len().to_string());
                    added.record(at, &self.file, origin);
                    items.push(item.clone());
                }
            }
            (slot, v) => {
                added.record(place.to_vec(), &self.file, origin.to_string());
                *slot = v.clone();
            }
        }
        Ok(())
    }
}

/// Objects merge key by key; any other value replaces what was there.
fn merge(
    into: &mut Map<String, Value>,
    from: &Map<String, Value>,
    place: &[String],
    file: &str,
    origin: &str,
    added: &mut Added,
) {
    for (key, value) in from {
        let mut at = place.to_vec();
        at.push(key.clone());
        let origin = pointer::child(origin, key);
        match (into.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(more)) => merge(inner, more, &at, file, &origin, added),
            _ => {
                added.record(at, file, origin);
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The places a JSONPath selects, as pointer tokens, in document order.
fn select(path: &JsonPath, doc: &Value) -> Vec<Vec<String>> {
    path.query_located(doc)
        .locations()
        .map(|location| {
            location
                .iter()
                .map(|element| match element {
                    serde_json_path::PathElement::Name(name) => name.to_string(),
                    serde_json_path::PathElement::Index(i) => i.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Remove the nodes at `places` from their parents: the last array items
/// first, so that the indices of the others still hold.
fn remove(doc: &mut Value, mut places: Vec<Vec<String>>) {
    let index = |t: &String| t.parse::<usize>().unwrap_or(usize::MAX);
    places.sort_by(|a, b| {
        a.iter()
            .zip(b.iter())
            .map(|(x, y)| index(x).cmp(&index(y)).then(x.cmp(y)))
            .find(|o| o.is_ne())
            .unwrap_or(a.len().cmp(&b.len()))
    });
    for place in places.into_iter().rev() {
        let Some((last, parent)) = place.split_last() else {
            // `$` itself: the whole document cannot be removed; leave it.
            continue;
        };
        match pointer::get_mut(doc, parent) {
            Some(Value::Object(map)) => {
                map.shift_remove(last);
            }
            Some(Value::Array(items)) => {
                if let Some(i) = last.parse::<usize>().ok().filter(|i| *i < items.len()) {
                    items.remove(i);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
