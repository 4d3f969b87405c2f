//! The cargo features of a client split into API groups (`features_by`):
//! what the report says of them, the `[features]` table a crate declares,
//! and the check that a crate's table matches the spec's groups.

use serde::Serialize;

/// The features of a split client (in the `--report` JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FeatureReport {
    /// The rule that grouped the operations no list or `x-openapi-gen-feature` names:
    /// `tag`, `tag-segment` or `path`.
    pub rule: String,
    /// The rule in words, with why it applied.
    pub rule_note: String,
    /// Operations put in a group by name.
    pub named_operations: usize,
    /// Sorted by name.
    pub groups: Vec<FeatureGroup>,
    /// Named types every group reaches: always compiled.
    pub shared_types: usize,
    /// Named types no operation reaches: compiled with `full`.
    pub unreached_types: usize,
}

/// One group: a cargo feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FeatureGroup {
    pub name: String,
    pub operations: usize,
    /// Named types compiled when it is on (its own and those it shares).
    pub types: usize,
}

/// The feature that turns every group on.
pub const FULL: &str = "full";

impl FeatureReport {
    pub(crate) fn from_ir(f: &crate::stages::ir::features::Features) -> Self {
        use crate::stages::ir::features::Gate;
        let count = |want: fn(&Gate) -> bool| f.type_gates.iter().filter(|g| want(g)).count();
        FeatureReport {
            rule: serde_json::to_value(f.rule).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            rule_note: f.rule.describe().to_string(),
            named_operations: f.named,
            groups: f
                .groups
                .iter()
                .map(|g| FeatureGroup { name: g.name.clone(), operations: g.operations, types: g.types })
                .collect(),
            shared_types: count(|g| matches!(g, Gate::Always)),
            unreached_types: count(|g| matches!(g, Gate::Full)),
        }
    }

    /// The crate's `[features]` table: a feature per group, `full` with all
    /// of them, and `default = ["full"]` (or empty).
    pub fn table(&self, default_full: bool) -> String {
        let mut out = String::from("[features]\n");
        out.push_str(if default_full { "default = [\"full\"]\n" } else { "default = []\n" });
        out.push_str("# Every API group.\n");
        let names: Vec<String> = self.groups.iter().map(|g| format!("\"{}\"", g.name)).collect();
        out.push_str(&format!("{FULL} = [{}]\n", names.join(", ")));
        for g in &self.groups {
            out.push_str(&format!("{} = []\n", g.name));
        }
        out
    }

    /// One line a group, for people: `chat: 1 operation, 120 types`.
    pub fn summary(&self) -> String {
        let mut out = format!("{} features, grouped {}", self.groups.len(), self.rule_note);
        if self.named_operations > 0 {
            out.push_str(&format!(" ({} operations named into a group)", self.named_operations));
        }
        out.push('\n');
        for g in &self.groups {
            let s = if g.operations == 1 { "" } else { "s" };
            out.push_str(&format!("  {}: {} operation{s}, {} types\n", g.name, g.operations, g.types));
        }
        out.push_str(&format!(
            "  ({} types every group uses are always compiled; {} that no operation uses, only with `full`)\n",
            self.shared_types, self.unreached_types
        ));
        out
    }

    /// Whether a crate's `Cargo.toml` declares the features this client is
    /// compiled with: each group, and `full` listing every group and nothing
    /// that is not one (a group the spec no longer has). The crate's own
    /// features (such as `mock`) may stand beside them. The error says what
    /// differs.
    pub fn check_manifest(&self, cargo_toml: &str) -> Result<(), String> {
        let table: toml::Table = toml::from_str(cargo_toml).map_err(|e| format!("Cargo.toml does not parse: {e}"))?;
        let declared = table.get("features").and_then(toml::Value::as_table);
        let has = |name: &str| declared.is_some_and(|t| t.contains_key(name));
        let full: Vec<&str> = declared
            .and_then(|t| t.get(FULL))
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(toml::Value::as_str).collect())
            .unwrap_or_default();
        let mut problems = Vec::new();
        let missing: Vec<&str> = self.groups.iter().map(|g| g.name.as_str()).filter(|n| !has(n)).collect();
        if !missing.is_empty() {
            problems.push(format!("no feature {}", list(&missing)));
        }
        if !has(FULL) {
            problems.push(format!("no feature `{FULL}`"));
        } else {
            let not_in_full: Vec<&str> =
                self.groups.iter().map(|g| g.name.as_str()).filter(|n| !full.contains(n)).collect();
            if !not_in_full.is_empty() {
                problems.push(format!("`{FULL}` lacks {}", list(&not_in_full)));
            }
            let stale: Vec<&str> = full.iter().copied().filter(|n| !self.groups.iter().any(|g| g.name == *n)).collect();
            if !stale.is_empty() {
                problems.push(format!("`{FULL}` lists {}, which the spec has no group for", list(&stale)));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("the crate's [features] do not match the spec's API groups: {}", problems.join("; ")))
        }
    }
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(groups: &[&str]) -> FeatureReport {
        FeatureReport {
            rule: "tag".into(),
            rule_note: "by tag".into(),
            named_operations: 0,
            groups: groups.iter().map(|g| FeatureGroup { name: g.to_string(), operations: 1, types: 2 }).collect(),
            shared_types: 0,
            unreached_types: 0,
        }
    }

    #[test]
    fn the_table_declares_every_group_and_passes_its_own_check() {
        let r = report(&["chat", "files"]);
        let table = r.table(true);
        assert!(table.contains("default = [\"full\"]\n") && table.contains("full = [\"chat\", \"files\"]\n"));
        assert!(r.table(false).contains("default = []\n"));
        let crate_toml = format!("[package]\nname = \"x\"\n\n{table}mock = [\"runtime/mock\"]\n");
        assert_eq!(r.check_manifest(&crate_toml), Ok(()));
    }

    #[test]
    fn a_table_that_disagrees_says_how() {
        let r = report(&["chat", "files"]);
        let err = r.check_manifest("[features]\nfull = [\"chat\", \"models\"]\nchat = []\n").unwrap_err();
        assert!(err.contains("no feature `files`"), "{err}");
        assert!(err.contains("`full` lacks `files`"), "{err}");
        assert!(err.contains("`full` lists `models`"), "{err}");
        assert!(r.check_manifest("[package]\nname = \"x\"\n").unwrap_err().contains("no feature `full`"));
    }
}
