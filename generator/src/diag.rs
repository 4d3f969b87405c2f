//! Diagnostics: every message names the place in the spec (a JSON pointer, and
//! a line where the loader knows it). Ground every stage stands on: it imports
//! no stage.

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

    /// Name the file of every diagnostic that names none yet.
    pub fn in_file(self, file: &str) -> Self {
        GenError { diagnostics: self.diagnostics.into_iter().map(|d| d.in_file(file)).collect() }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_place_and_line() {
        let d = Diagnostic::error("#/paths", "bad").at_line(7);
        assert_eq!(d.to_string(), "error: #/paths: bad (line 7)");
    }
}
