//! What changed between two API surfaces, in the generated Rust API's terms,
//! each change classified as breaking or not for code that uses the crate.
//!
//! The rules follow how the client is called and read:
//! - a method's arguments are its required parameters and body; a new,
//!   removed or retyped argument breaks its callers. Optional parameters are
//!   builder setters: a new one breaks nobody, a removed one breaks callers.
//! - request types are built with `new(required..)` and setters: a new
//!   required field breaks them, a new optional one does not. Response types
//!   are read: new fields break nobody.
//! - removing anything, or changing a type someone reads or writes (a field
//!   turning nullable, `T` to `Option<T>`, included) breaks.
//! - string enums are open: a new value breaks nobody; a removed value's
//!   variant is gone. A union (a Rust enum over types) with a new variant
//!   breaks exhaustive matches.
//! - a type renamed with the same shape breaks code that names it; it is
//!   reported as a rename.

use super::surface::{Field, Method, Shape, Surface, Type};
use crate::stages::ir::Presence;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Added,
    Removed,
    Changed,
    Renamed,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct Change {
    pub breaking: bool,
    /// What kind of item: `method`, `argument`, `setter`, `type`, `field`, `value`, `variant`, `auth`.
    pub item: &'static str,
    /// `create_project`, `ProjectCreateRequest::geography`, `Status::"done"`.
    pub path: String,
    pub action: Action,
    /// Old and new types or shapes, in words.
    pub detail: String,
}

fn change(breaking: bool, item: &'static str, path: String, action: Action, detail: String) -> Change {
    Change { breaking, item, path, action, detail }
}

/// Every change from `old` to `new`, breaking ones first.
pub fn compare(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Vec::new();
    methods(&old.methods, &new.methods, &mut out);
    types(old, new, &mut out);
    out.sort_by(|a, b| b.breaking.cmp(&a.breaking).then_with(|| a.path.cmp(&b.path)).then_with(|| a.item.cmp(b.item)));
    out
}

fn methods(old: &BTreeMap<String, Method>, new: &BTreeMap<String, Method>, out: &mut Vec<Change>) {
    for (name, m) in old {
        if !new.contains_key(name) {
            out.push(change(true, "method", name.clone(), Action::Removed, m.http.clone()));
        }
    }
    for (name, n) in new {
        let Some(o) = old.get(name) else {
            out.push(change(false, "method", name.clone(), Action::Added, n.http.clone()));
            continue;
        };
        if o.http != n.http {
            out.push(change(false, "method", name.clone(), Action::Changed, format!("{} -> {}", o.http, n.http)));
        }
        if o.arguments != n.arguments {
            let list =
                |m: &Method| m.arguments.iter().map(|a| format!("{}: {}", a.name, a.ty)).collect::<Vec<_>>().join(", ");
            out.push(change(
                true,
                "argument",
                name.clone(),
                Action::Changed,
                format!("({}) -> ({})", list(o), list(n)),
            ));
        }
        for (setter, ty) in &o.setters {
            match n.setters.get(setter) {
                None => out.push(change(true, "setter", format!("{name}::{setter}"), Action::Removed, ty.clone())),
                Some(t) if t != ty => out.push(change(
                    true,
                    "setter",
                    format!("{name}::{setter}"),
                    Action::Changed,
                    format!("{ty} -> {t}"),
                )),
                Some(_) => {}
            }
        }
        for (setter, ty) in &n.setters {
            if !o.setters.contains_key(setter) {
                out.push(change(false, "setter", format!("{name}::{setter}"), Action::Added, ty.clone()));
            }
        }
        if o.returns != n.returns {
            out.push(change(
                true,
                "method",
                name.clone(),
                Action::Changed,
                format!("returns: {} -> {}", o.returns, n.returns),
            ));
        }
        // A new streaming form breaks nobody; any change of the error type
        // does (code naming `Error`, which is `Error<Infallible>`, no longer
        // fits an operation that gains an error enum). Variants added to an
        // error enum break nobody: generated enums are `#[non_exhaustive]`.
        for (what, a, b) in [("errors", &o.errors, &n.errors), ("stream", &o.stream, &n.stream)] {
            if a != b {
                let show = |v: &Option<String>| v.as_deref().unwrap_or("none").to_string();
                out.push(change(
                    what == "errors" || a.is_some(),
                    "method",
                    name.clone(),
                    Action::Changed,
                    format!("{what}: {} -> {}", show(a), show(b)),
                ));
            }
        }
        if o.auth != n.auth {
            // Credentials are set on the client at run time: no code breaks,
            // but a client without the new scheme's credential is refused.
            out.push(change(
                false,
                "auth",
                name.clone(),
                Action::Changed,
                format!("[{}] -> [{}]", o.auth.join(", "), n.auth.join(", ")),
            ));
        }
        if o.feature != n.feature {
            // Moved to another group: code built with only the old one's
            // feature loses it. Splitting or joining the client breaks
            // nobody: every group is on by default.
            let show = |v: &Option<String>| v.as_deref().unwrap_or("none").to_string();
            out.push(change(
                o.feature.is_some() && n.feature.is_some(),
                "method",
                name.clone(),
                Action::Changed,
                format!("feature: {} -> {}", show(&o.feature), show(&n.feature)),
            ));
        }
        if o.deprecated != n.deprecated {
            let what = if n.deprecated { "deprecated" } else { "no longer deprecated" };
            out.push(change(false, "method", name.clone(), Action::Changed, what.to_string()));
        }
    }
}

fn types(old: &Surface, new: &Surface, out: &mut Vec<Change>) {
    let removed: Vec<&String> = old.types.keys().filter(|k| !new.types.contains_key(*k)).collect();
    let mut added: Vec<&String> = new.types.keys().filter(|k| !old.types.contains_key(*k)).collect();
    for name in removed {
        let o = &old.types[name];
        // The same shape under a new name: a rename.
        if let Some(pos) = added.iter().position(|a| new.types[*a].shape == o.shape) {
            let to = added.remove(pos);
            out.push(change(true, "type", name.clone(), Action::Renamed, format!("{name} -> {to} (same shape)")));
            continue;
        }
        out.push(change(true, "type", name.clone(), Action::Removed, describe(&o.shape)));
    }
    for name in added {
        out.push(change(false, "type", name.clone(), Action::Added, describe(&new.types[name].shape)));
    }
    for (name, n) in &new.types {
        if let Some(o) = old.types.get(name) {
            shapes(name, o, n, out);
        }
    }
}

fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Struct { fields, .. } => format!("struct, {} fields", fields.len()),
        Shape::Enum { values, .. } => format!("string enum, {} values", values.len()),
        Shape::Union { variants } => format!("enum of {} types", variants.len()),
        Shape::Alias { target } => format!("alias of {target}"),
        Shape::Newtype { inner } => format!("newtype over {inner}"),
        Shape::Responses { variants } => format!("responses by status, {} variants", variants.len()),
        Shape::Multipart { fields } => format!("multipart body, {} fields", fields.len()),
    }
}

fn shapes(name: &str, o: &Type, n: &Type, out: &mut Vec<Change>) {
    // Input if either version was built by callers, output if read.
    let input = o.input || n.input;
    match (&o.shape, &n.shape) {
        (Shape::Struct { fields: of, others: oo }, Shape::Struct { fields: nf, others: no }) => {
            fields(name, of, nf, input, out);
            if oo != no {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_string());
                out.push(change(
                    oo.is_some(),
                    "field",
                    format!("{name}::<others>"),
                    Action::Changed,
                    format!("{} -> {}", show(oo), show(no)),
                ));
            }
        }
        (Shape::Multipart { fields: of }, Shape::Multipart { fields: nf }) => fields(name, of, nf, true, out),
        (Shape::Enum { values: ov }, Shape::Enum { values: nv }) => {
            for v in ov.iter().filter(|v| !nv.contains(v)) {
                out.push(change(true, "value", format!("{name}::{v:?}"), Action::Removed, String::new()));
            }
            // String enums are open (unknown values go to their catch-all):
            // a new value breaks nobody.
            for v in nv.iter().filter(|v| !ov.contains(v)) {
                out.push(change(false, "value", format!("{name}::{v:?}"), Action::Added, String::new()));
            }
        }
        (Shape::Union { variants: ov }, Shape::Union { variants: nv })
        | (Shape::Responses { variants: ov }, Shape::Responses { variants: nv }) => {
            for (v, t) in ov {
                match nv.get(v) {
                    None => out.push(change(true, "variant", format!("{name}::{v}"), Action::Removed, t.clone())),
                    Some(nt) if nt != t => out.push(change(
                        true,
                        "variant",
                        format!("{name}::{v}"),
                        Action::Changed,
                        format!("{t} -> {nt}"),
                    )),
                    Some(_) => {}
                }
            }
            // Generated enums are `#[non_exhaustive]`: matches outside the
            // crate already have a `_` arm, so a new variant breaks nobody.
            for (v, t) in nv.iter().filter(|(v, _)| !ov.contains_key(*v)) {
                out.push(change(false, "variant", format!("{name}::{v}"), Action::Added, t.clone()));
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(change(
            true,
            "type",
            name.to_string(),
            Action::Changed,
            format!("{} -> {}", describe(a), describe(b)),
        )),
    }
}

fn fields(
    name: &str,
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    input: bool,
    out: &mut Vec<Change>,
) {
    for (f, o) in old {
        let path = format!("{name}::{f}");
        let Some(n) = new.get(f) else {
            out.push(change(true, "field", path, Action::Removed, format!("{} {}", o.kind.keyword(), o.ty)));
            continue;
        };
        if o.ty != n.ty {
            let nullable = n.ty == format!("Option<{}>", o.ty);
            let detail = if nullable {
                format!("{} -> {} (now nullable or optional)", o.ty, n.ty)
            } else {
                format!("{} -> {}", o.ty, n.ty)
            };
            out.push(change(true, "field", path, Action::Changed, detail));
        } else if o.kind != n.kind {
            // Same Rust type (optional and nullable are both `Option`): what is
            // sent changes (absent or `null`), no code does.
            out.push(change(
                false,
                "field",
                path,
                Action::Changed,
                format!("{} -> {}", o.kind.keyword(), n.kind.keyword()),
            ));
        } else if o.wire != n.wire {
            out.push(change(false, "field", path, Action::Changed, format!("sent as {:?} -> {:?}", o.wire, n.wire)));
        }
    }
    for (f, n) in new.iter().filter(|(f, _)| !old.contains_key(*f)) {
        // A request type's new required field is a new `new(..)` argument.
        let breaking = input && n.kind == Presence::Required;
        out.push(change(
            breaking,
            "field",
            format!("{name}::{f}"),
            Action::Added,
            format!("{} {}", n.kind.keyword(), n.ty),
        ));
    }
}
