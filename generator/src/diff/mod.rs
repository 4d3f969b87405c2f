//! `openapi-gen diff`: what a spec bump changes in the generated Rust API.
//!
//! Both sides are built to the IR (the same stages as generation, so names
//! are the generated ones), reduced to a [`Surface`], and compared.

mod compare;
mod surface;

pub use crate::ir::Presence;
pub use compare::{compare, Action, Change};
pub(crate) use surface::surface;
pub use surface::Surface;

use serde::Serialize;

/// The changes between two surfaces, with what they were made from.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub old: Version,
    pub new: Version,
    pub breaking: usize,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
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
            for c in group {
                let sign = match c.action {
                    Action::Added => '+',
                    Action::Removed => '-',
                    Action::Changed | Action::Renamed => '~',
                };
                let action = format!("{:?}", c.action).to_lowercase();
                let detail = if c.detail.is_empty() { String::new() } else { format!(": {}", c.detail) };
                out.push_str(&format!("  {sign} {} `{}` {action}{detail}\n", c.item, c.path));
            }
        }
        out
    }

    /// For tools.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
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
