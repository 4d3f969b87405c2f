//! The report of one generation (`openapi-gen generate --report`): counts,
//! what was skipped or replaced by a fallback, what the filters left out, and
//! every operation of the client.

use crate::ground::diag::{Code, Diagnostics, Kind};
use crate::stages::filter::Removed;
use serde::Serialize;

/// The `--report` JSON.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Report {
    pub operations: usize,
    pub types: usize,
    pub skipped_operations: Vec<Entry>,
    pub fallbacks: Vec<Entry>,
    pub warnings: Vec<Entry>,
    /// What the operation filters left out.
    pub removed_by_filter: Removed,
    /// Every generated operation, in client order.
    pub operation_list: Vec<OperationEntry>,
    /// The cargo features the client is split into, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<crate::outputs::cargo_features::FeatureReport>,
    /// Each document read from fragments: how many, what they share, what
    /// the manifest renamed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<crate::stages::merge::DocumentSummary>,
}

/// One operation of the generated client.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationEntry {
    /// `GET`, `POST`, ...
    pub method: String,
    pub path: String,
    /// The client method.
    pub name: String,
    /// The operation's first tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The cargo feature it is compiled with, when the client is split.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// For a streamed operation whose protocol ends with a marker event, its
    /// data (`[DONE]`): a stream that ends without it is an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_end: Option<String>,
    /// For a list operation, how `.paginate()` pages through it, and whether
    /// that was detected or declared (`x-pagination`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<String>,
    /// For an operation that reads a job's state, how `.wait()` polls it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polling: Option<String>,
    /// The document (or spec file) it comes from, when the client merges several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl OperationEntry {
    pub(crate) fn from_ir(op: &crate::stages::ir::Operation, feature: Option<String>) -> Self {
        OperationEntry {
            feature,
            method: op.method.as_str().to_string(),
            path: op.path.clone(),
            name: op.name.to_string(),
            group: op.group.clone(),
            summary: op.summary.clone(),
            stream_end: match (&op.stream, &op.success) {
                (Some(crate::stages::ir::StreamForm::Events { end, .. }), _)
                | (_, crate::stages::ir::Success::One(crate::stages::ir::ResponseBody::Events { end, .. })) => {
                    end.clone()
                }
                _ => None,
            },
            pagination: op.pagination.as_ref().map(crate::stages::ir::pagination::Paging::describe),
            polling: op.polling.as_ref().map(crate::stages::ir::polling::Polling::describe),
            source: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Entry {
    /// The diagnostic's code (`OAG0200`).
    pub code: Code,
    pub pointer: String,
    pub reason: String,
}

impl Report {
    pub(crate) fn new(operations: usize, types: usize, diags: &Diagnostics) -> Self {
        let entries = |kind| {
            diags
                .of_kind(kind)
                .map(|d| Entry { code: d.code, pointer: d.pointer.clone(), reason: d.message.clone() })
                .collect()
        };
        Report {
            operations,
            types,
            skipped_operations: entries(Kind::SkippedOperation),
            fallbacks: entries(Kind::Fallback),
            warnings: entries(Kind::Note),
            removed_by_filter: Default::default(),
            operation_list: Vec::new(),
            features: None,
            documents: Vec::new(),
        }
    }
}

impl Report {
    /// A Markdown table of the client's operations, grouped by their cargo
    /// feature when the client is split, else by their first tag (groups in
    /// order of first appearance).
    pub fn operations_table(&self) -> String {
        let mut groups: Vec<(&str, Vec<&OperationEntry>)> = Vec::new();
        let split = self.features.is_some();
        for op in &self.operation_list {
            let group = if split { op.feature.as_deref() } else { op.group.as_deref() };
            let group = group.unwrap_or("Other");
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, ops)) => ops.push(op),
                None => groups.push((group, vec![op])),
            }
        }
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let head = if split { "Feature" } else { "Group" };
        let sourced = self.operation_list.iter().any(|op| op.source.is_some());
        let mut out = format!("| {head} | Client method | HTTP |");
        out.push_str(if sourced { " From |\n|---|---|---|---|\n" } else { "\n|---|---|---|\n" });
        for (group, ops) in groups {
            for op in ops {
                out.push_str(&format!("| {} | `{}` | `{} {}` |", cell(group), op.name, op.method, op.path));
                if sourced {
                    out.push_str(&format!(" {} |", cell(op.source.as_deref().unwrap_or_default())));
                }
                out.push('\n');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_groups_by_kind() {
        let mut diags = Diagnostics::default();
        diags.add(Code::UntypedSchema, "#/a", "x");
        diags.add(Code::SkippedOperation, "#/b", "y");
        diags.add(Code::Malformed, "#/c", "z");
        let r = Report::new(3, 4, &diags);
        assert_eq!(r.fallbacks.len(), 1);
        assert_eq!(r.skipped_operations[0].pointer, "#/b");
        assert_eq!(r.warnings[0].reason, "z");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["operations"], 3);
        assert_eq!(json["fallbacks"][0]["pointer"], "#/a");
        assert_eq!(json["fallbacks"][0]["code"], "OAG0200");
        assert_eq!(json["warnings"][0]["code"], "OAG0101");
    }
}
