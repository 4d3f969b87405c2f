//! `openapi-gen diff`: what a spec bump changes in the generated Rust API.
//!
//! Both sides are built to the IR (the same stages as generation, so names
//! are the generated ones), reduced to a [`Surface`], and compared.

mod compare;
mod surface;

pub use crate::stages::ir::Presence;
pub use compare::{compare, Action, Change};
pub(crate) use surface::surface;
pub use surface::Surface;

use serde::Serialize;

/// The changes between two surfaces, with what they were made from.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Diff {
    pub old: Version,
    pub new: Version,
    pub breaking: usize,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Version {
    pub title: String,
    pub version: String,
}

impl Diff {
    pub fn new(old: &Surface, new: &Surface) -> Diff {
        let changes = compare(old, new);
        Diff {
            old: Version { title: old.title.clone(), version: old.version.clone() },
            new: Version { title: new.title.clone(), version: new.version.clone() },
            breaking: changes.iter().filter(|c| c.breaking).count(),
            changes,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// For people: a line per change, breaking ones first.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let versions = if self.old.version == self.new.version {
            format!("{} {}", self.new.title, self.new.version)
        } else {
            format!("{} {} -> {}", self.new.title, self.old.version, self.new.version)
        };
        if self.changes.is_empty() {
            out.push_str(&format!("{versions}: no change to the Rust API\n"));
            return out;
        }
        out.push_str(&format!(
            "{versions}: {} change{} to the Rust API, {} breaking\n",
            self.changes.len(),
            if self.changes.len() == 1 { "" } else { "s" },
            self.breaking
        ));
        for (breaking, heading) in [(true, "breaking"), (false, "not breaking")] {
            let group: Vec<&Change> = self.changes.iter().filter(|c| c.breaking == breaking).collect();
            if group.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{heading}:\n"));
            for line in grouped(&group) {
                out.push_str(&line);
            }
        }
        out
    }

    /// For tools.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A change repeated this many times or more (the same change to many
/// methods or types) is one line with a count and a few names.
const GROUP_AT: usize = 4;
/// How many names such a line shows.
const GROUP_NAMES: usize = 3;

/// The lines of some changes, a repeated change once: `~ method `*` changed:
/// errors: none -> *Error (315 methods: a, b, c, …)`. Each change is keyed
/// by its kind with its own name (the path's first segment, in the detail
/// also in `PascalCase`) replaced by `*`.
fn grouped(changes: &[&Change]) -> Vec<String> {
    let keys: Vec<(String, String)> = changes.iter().map(|c| pattern(c)).collect();
    let mut members: std::collections::HashMap<(&str, &str, &str, Action), Vec<usize>> = Default::default();
    for (i, (c, (path, detail))) in changes.iter().zip(&keys).enumerate() {
        members.entry((c.item, path.as_str(), detail.as_str(), c.action)).or_default().push(i);
    }
    let mut lines = Vec::new();
    for (i, (c, (path, detail))) in changes.iter().zip(&keys).enumerate() {
        let same = &members[&(c.item, path.as_str(), detail.as_str(), c.action)];
        if same.len() < GROUP_AT {
            lines.push(line(c, &c.path, &c.detail, ""));
        } else if same[0] == i {
            let names: Vec<&str> = same.iter().take(GROUP_NAMES).map(|j| subject(&changes[*j].path)).collect();
            let more = if same.len() > GROUP_NAMES { ", …" } else { "" };
            let count = format!(" ({} {}s: {}{more})", same.len(), c.item, names.join(", "));
            lines.push(line(c, path, detail, &count));
        }
    }
    lines
}

fn line(c: &Change, path: &str, detail: &str, count: &str) -> String {
    let sign = match c.action {
        Action::Added => '+',
        Action::Removed => '-',
        Action::Changed | Action::Renamed => '~',
    };
    let action = format!("{:?}", c.action).to_lowercase();
    let detail = if detail.is_empty() { String::new() } else { format!(": {detail}") };
    format!("  {sign} {} `{path}` {action}{detail}{count}\n", c.item)
}

/// The method or type a change is about: its path's first segment.
fn subject(path: &str) -> &str {
    path.split("::").next().unwrap_or(path)
}

/// A change's path and detail with its own name replaced by `*`.
fn pattern(c: &Change) -> (String, String) {
    use heck::ToUpperCamelCase;
    let name = subject(&c.path);
    let path = format!("*{}", &c.path[name.len()..]);
    let pascal = name.to_upper_camel_case();
    let detail = replace_word(&replace_word(&c.detail, &pascal), name);
    (path, detail)
}

/// `text` with `name` replaced by `*` where it starts a word (so
/// `ListFilesError` matches `ListFiles`, `PetList` does not match `List`).
fn replace_word(text: &str, name: &str) -> String {
    if name.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(name) {
        let starts_word = rest[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '_');
        out.push_str(&rest[..at]);
        out.push_str(if starts_word { "*" } else { name });
        rest = &rest[at + name.len()..];
    }
    out.push_str(rest);
    out
}

/// A surface from a snapshot file's text (`generated/api.json`), if it is one.
pub fn read_snapshot(text: &str) -> Option<Surface> {
    let s: Surface = serde_json::from_str(text).ok()?;
    (s.format == surface::FORMAT).then_some(s)
}

/// The snapshot file's text.
pub fn write_snapshot(s: &Surface) -> String {
    let mut text = serde_json::to_string_pretty(s).unwrap_or_default();
    text.push('\n');
    text
}
