//! Diagnostics: every message names the place in the spec (a JSON pointer, and
//! a line where the loader knows it), and the report the CLI writes.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What the generator did with a part of the spec it could not take as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A plain message.
    Note,
    /// The part became `serde_json::Value` (or a looser type) instead of an exact type.
    Fallback,
    /// The operation was left out of the client.
    SkippedOperation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    #[serde(skip)]
    pub kind: Kind,
    /// JSON pointer into the (normalized) document, such as `#/paths/~1v1~1x/post`.
    pub pointer: String,
    #[serde(rename = "reason")]
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The spec file the pointer is in, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind: Kind::Note,
            pointer: pointer.into(),
            message: message.into(),
            line: None,
            column: None,
            file: None,
        }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(pointer, message) }
    }

    pub fn fallback(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { kind: Kind::Fallback, ..Diagnostic::warning(pointer, message) }
    }

    pub fn skipped(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { kind: Kind::SkippedOperation, ..Diagnostic::warning(pointer, message) }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_line_opt(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// Name the file the pointer is in (kept if already set).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = self.file.as_deref().unwrap_or("");
        write!(f, "{level}: {file}{}: {}", self.pointer, self.message)?;
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        Ok(())
    }
}

/// Why a spec could not be generated at all.
#[derive(Debug, Clone)]
pub struct GenError {
    pub diagnostics: Vec<Diagnostic>,
}

impl GenError {
    pub fn single(d: Diagnostic) -> Self {
        GenError { diagnostics: vec![d] }
    }
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for GenError {}

/// Collects warnings from every stage; stages push, nobody removes.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn fallback(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Diagnostic::fallback(pointer, message));
    }

    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(Diagnostic::warning(pointer, message));
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(move |d| d.kind == kind)
    }
}

/// The `--report` JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub operations: usize,
    pub types: usize,
    pub skipped_operations: Vec<Entry>,
    pub fallbacks: Vec<Entry>,
    pub warnings: Vec<Entry>,
    /// What the operation filters left out.
    pub removed_by_filter: crate::filter::Removed,
    /// Every generated operation, in client order.
    pub operation_list: Vec<OperationEntry>,
}

/// One operation of the generated client.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OperationEntry {
    /// `GET`, `POST`, ...
    pub method: String,
    pub path: String,
    /// The client method.
    pub name: String,
    /// The operation's first tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl OperationEntry {
    pub fn from_ir(op: &crate::ir::Operation) -> Self {
        OperationEntry {
            method: op.method.to_ascii_uppercase(),
            path: op.path.clone(),
            name: op.name.clone(),
            group: op.group.clone(),
            summary: op.summary.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub pointer: String,
    pub reason: String,
}

impl Report {
    pub fn new(operations: usize, types: usize, diags: &Diagnostics) -> Self {
        let entries = |kind| {
            diags.of_kind(kind).map(|d| Entry { pointer: d.pointer.clone(), reason: d.message.clone() }).collect()
        };
        Report {
            operations,
            types,
            skipped_operations: entries(Kind::SkippedOperation),
            fallbacks: entries(Kind::Fallback),
            warnings: entries(Kind::Note),
            removed_by_filter: Default::default(),
            operation_list: Vec::new(),
        }
    }
}

impl Report {
    /// A Markdown table of the client's operations, grouped by their first tag
    /// (groups in order of first appearance).
    pub fn operations_table(&self) -> String {
        let mut groups: Vec<(&str, Vec<&OperationEntry>)> = Vec::new();
        for op in &self.operation_list {
            let group = op.group.as_deref().unwrap_or("Other");
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, ops)) => ops.push(op),
                None => groups.push((group, vec![op])),
            }
        }
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut out = String::from("| Group | Client method | HTTP |\n|---|---|---|\n");
        for (group, ops) in groups {
            for op in ops {
                out.push_str(&format!("| {} | `{}` | `{} {}` |\n", cell(group), op.name, op.method, op.path));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_place_and_line() {
        let d = Diagnostic::error("#/paths", "bad").at_line(7);
        assert_eq!(d.to_string(), "error: #/paths: bad (line 7)");
    }

    #[test]
    fn report_groups_by_kind() {
        let mut diags = Diagnostics::default();
        diags.fallback("#/a", "x");
        diags.push(Diagnostic::skipped("#/b", "y"));
        diags.warn("#/c", "z");
        let r = Report::new(3, 4, &diags);
        assert_eq!(r.fallbacks.len(), 1);
        assert_eq!(r.skipped_operations[0].pointer, "#/b");
        assert_eq!(r.warnings[0].reason, "z");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["operations"], 3);
        assert_eq!(json["fallbacks"][0]["pointer"], "#/a");
    }
}
