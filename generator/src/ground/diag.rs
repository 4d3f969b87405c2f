//! Diagnostics: every message names the place in the spec (a JSON pointer, and
//! a line where the loader knows it) and carries a stable [`Code`]. Ground
//! every stage stands on: it imports no stage.
//!
//! [`GenError`] says why nothing was generated, and keeps apart what the user
//! fixes in different places: the spec (located diagnostics), a file that
//! cannot be read or written, the settings, and a bug in openapi-gen.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What the generator did with a part of the spec it could not take as is
/// (each [`Code`] is of one kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Read the part another way, or left it out.
    Note,
    /// The part became `serde_json::Value` (or a looser type) instead of an exact type.
    Fallback,
    /// The operation was left out of the client.
    SkippedOperation,
}

/// Declares the codes: each variant's doc comment is its explanation
/// (`openapi-gen explain CODE`), its first line the title summaries use.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $code:literal, $severity:ident, $kind:ident; )+) => {
        /// Every kind of diagnostic, with a stable code (as rustc's `E0308`):
        /// a code keeps its meaning, new kinds get new codes. Shown in every
        /// message, summarized by code, and selected by `--allow`/`--deny`
        /// (and the manifest's `allow`/`deny`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// `OAG0200`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)+ }
            }

            /// Errors stop the generation; warnings are reported, and can be
            /// allowed or denied.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)+ }
            }

            pub fn kind(self) -> Kind {
                match self { $(Code::$variant => Kind::$kind,)+ }
            }

            /// The variant's doc comment, as written.
            fn doc(self) -> &'static str {
                match self { $(Code::$variant => concat!($($doc, "\n"),+),)+ }
            }
        }
    };
}

codes! {
    /// The file is not a JSON or YAML document.
    ///
    /// It does not parse, is not UTF-8, nests deeper than the loader allows, or its
    /// top level is not an object. The message names the line and column where
    /// reading stopped. Fix the file; nothing is generated until it reads.
    Syntax = "OAG0001", Error, Note;
    /// The document is not an OpenAPI 3 document.
    ///
    /// A Swagger 2.0 document (convert it first, for example with
    /// `npx swagger2openapi spec.json -o openapi.yaml`), or one whose parts do not
    /// fit the OpenAPI model even after normalization.
    NotOpenApi = "OAG0002", Error, Note;
    /// Two specs, or two fragments of one document, define the same thing.
    ///
    /// The same operation, the same client method name, or a component defined
    /// differently by fragments of one document. Both places are named. Drop one
    /// with an `exclude` pattern, or rename a component in the manifest
    /// (`rename = { "schemas/Foo" = "FooOther" }`).
    Conflict = "OAG0003", Error, Note;
    /// An overlay cannot be applied.
    ///
    /// Its document is not an Overlay 1.0/1.1 document, a target is not a JSONPath
    /// the generator reads, or an action cannot be done at its target. The message
    /// names the overlay file and the action.
    Overlay = "OAG0004", Error, Note;
    /// A setting names a part of the spec that is not there.
    ///
    /// `undeclared_errors` names a schema the spec does not define, or a `rename`
    /// names a component the spec does not have.
    MissingTarget = "OAG0005", Error, Note;
    /// The `openapi` version is missing or unknown.
    ///
    /// The document is read as OpenAPI 3.x. Set `openapi: 3.1.0` (or `3.0.3`) to
    /// silence this.
    Version = "OAG0100", Warning, Note;
    /// A part of the spec does not have the shape OpenAPI gives it; it is ignored.
    ///
    /// For example `servers` that is not a list, a parameter without a name or in
    /// an unknown location, a response under a key that is not a status code, a
    /// request body or `content` that is not an object. The client is generated
    /// without that part; correct it in the spec or with an overlay.
    Malformed = "OAG0101", Warning, Note;
    /// A `$ref` points nowhere in the document; it is left as it is.
    ///
    /// Where it is used, the type falls back to any JSON value (see `OAG0200`).
    DanglingRef = "OAG0102", Warning, Note;
    /// A security scheme the client cannot apply; requirements naming it are left out.
    ///
    /// An undefined scheme, an HTTP scheme other than bearer and basic, or a type
    /// OpenAPI does not define. Calls are sent without that credential; set the
    /// header yourself through the client's middleware if the API needs it.
    Security = "OAG0103", Warning, Note;
    /// An overlay action's target selects nothing in the spec.
    ///
    /// The action does nothing. Usually the spec changed under the overlay: update
    /// the target, or drop the action.
    OverlayTarget = "OAG0104", Warning, Note;
    /// A component differs from one of the same name in an earlier spec; kept under a new name.
    ///
    /// Both specs keep their own type: the later one's is renamed, and the message
    /// says to what. Name it yourself with the manifest's `rename`.
    Renamed = "OAG0105", Warning, Note;
    /// A schema the generator cannot type; that value is any JSON value (`serde_json::Value`).
    ///
    /// The schema is not an object, names an unknown `type`, has a `$ref` that is
    /// not a string or names no schema, or does not fit the OpenAPI model. The
    /// value still round-trips; only its type is loose. Correct the schema in the
    /// spec or with an overlay to get an exact type.
    UntypedSchema = "OAG0200", Warning, Fallback;
    /// A cycle of `$ref`s with no schema in between; any JSON value is accepted there.
    RefCycle = "OAG0201", Warning, Fallback;
    /// `properties` or `allOf` beside `oneOf`/`anyOf`; the alternatives are not typed.
    ///
    /// The value is any JSON value. Move the shared members into each alternative
    /// (with an overlay) to get a typed union.
    MixedUnion = "OAG0202", Warning, Fallback;
    /// The parts of an `allOf` cannot be merged into one struct; any JSON value is accepted.
    ///
    /// The parts contradict each other (a member of two different types, an object
    /// with a non-object). The message gives the reason.
    UnmergedAllOf = "OAG0203", Warning, Fallback;
    /// Tuple items that are not a closed tuple of at most 12; the elements are any JSON value.
    ///
    /// A tuple is typed as a Rust tuple when its `prefixItems` (or 3.0 `items`
    /// list) is closed (`items: false`, or `minItems` = `maxItems`) and at most 12 long.
    LooseTuple = "OAG0204", Warning, Fallback;
    /// A response's body cannot be typed; that status gives an untyped body or error.
    ResponseBody = "OAG0205", Warning, Fallback;
    /// A multipart body without object properties; its parts are built by hand.
    ///
    /// The method takes a `runtime::Multipart` the caller fills.
    Multipart = "OAG0206", Warning, Fallback;
    /// A parameter described by `content` instead of `schema`; sent as the text the caller gives.
    ParameterContent = "OAG0207", Warning, Fallback;
    /// An `x-packed-base64` or `x-client-default` that does not fit its schema; it is ignored.
    ///
    /// `x-packed-base64` (`float32` or `float64`) belongs on an array of numbers;
    /// `x-client-default` on an optional property, with a string for a string
    /// or string enum, a boolean for a boolean, an integer in the integer's range.
    Extension = "OAG0208", Warning, Note;
    /// An operation the generator cannot model; it is left out of the client.
    ///
    /// The operation (or its path item, or its request body) does not fit the
    /// OpenAPI model, or a path item is a `$ref`. The message gives the reason; the
    /// report lists it under `skipped_operations`.
    SkippedOperation = "OAG0300", Warning, SkippedOperation;
    /// A header parameter the client sets itself (`Accept`, `Content-Type`, `Authorization`); not offered.
    ClientHeader = "OAG0301", Warning, Note;
    /// The path and the declared path parameters disagree.
    ///
    /// A `{name}` in the path that no parameter declares is taken as a string
    /// argument; a declared path parameter not in the path is ignored.
    PathParameter = "OAG0302", Warning, Note;
    /// A request media type is not offered as its own method; another is sent instead.
    MediaType = "OAG0303", Warning, Note;
    /// An `x-pagination` declaration that cannot be read; the operation is not paginated.
    Pagination = "OAG0304", Warning, Note;
    /// An example does not match its schema; it gets no round-trip test.
    ///
    /// Either the example or the schema is wrong; the message says where they part.
    Example = "OAG0305", Warning, Note;
    /// An `x-polling` declaration that cannot be read; the operation gets no `.wait()`.
    ///
    /// `done` lists the states that end the wait, `failed` those of them that
    /// are failures, and `status` (default `status`) the member of the JSON body
    /// holding the state; when that member is an enum, every state must be one
    /// of its values.
    Polling = "OAG0306", Warning, Note;
    /// A pattern (include, pagination, feature) matches no operation.
    ///
    /// Usually the spec changed, or the pattern has a typo: patterns are
    /// `METHOD /path` (with `*` and `|`), `tag:NAME`, or an operationId, matched
    /// after mounting.
    UnmatchedPattern = "OAG0400", Warning, Note;
    /// More API groups than the 300 features a crate may have; the client is not split.
    ///
    /// Name the groups yourself with `[[feature]]` lists, or group by `path`.
    TooManyFeatures = "OAG0401", Warning, Note;
}

impl Code {
    /// What the code means, what the generator did, and how to fix it
    /// (Markdown): the title, a blank line, the details.
    pub fn explanation(self) -> String {
        self.doc().lines().map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l))).collect()
    }

    /// The title: the explanation's first line.
    pub fn title(self) -> &'static str {
        self.doc().lines().next().unwrap_or_default().trim()
    }

    /// Every code explained, as the docs page `docs/diagnostics.md` shows them.
    pub fn page() -> String {
        let mut out = String::from(
            "# Diagnostic codes\n\nEvery message of openapi-gen carries one of these codes. Warnings can be \
             allowed (not shown) or denied (an error) with `--allow CODE` / `--deny CODE`, or the manifest's \
             `allow = [\"CODE\"]` / `deny = [...]` (`deny = [\"warnings\"]` denies them all). \
             `openapi-gen explain CODE` prints one entry.\n\nThis page is generated from `generator/src/ground/diag.rs`; \
             a test checks it is current.\n",
        );
        for code in Code::ALL {
            let level = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!("\n## {} ({level})\n\n{}", code.as_str(), code.explanation()));
        }
        out
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            format!("`{s}` is not a diagnostic code (they are OAG0001 to OAG0401; `openapi-gen explain` lists them)")
        })
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What a user selects with `--allow`/`--deny`: one warning code, or every warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lint {
    /// Every warning (`warnings`).
    Warnings,
    Code(Code),
}

impl Lint {
    fn covers(self, code: Code) -> bool {
        match self {
            Lint::Warnings => code.severity() == Severity::Warning,
            Lint::Code(c) => c == code,
        }
    }
}

impl From<Code> for Lint {
    fn from(code: Code) -> Self {
        Lint::Code(code)
    }
}

impl std::str::FromStr for Lint {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        if s.trim() == "warnings" {
            return Ok(Lint::Warnings);
        }
        let code: Code = s.parse()?;
        match code.severity() {
            Severity::Warning => Ok(Lint::Code(code)),
            Severity::Error => Err(format!("{code} is an error: only warnings are allowed or denied")),
        }
    }
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lint::Warnings => f.write_str("warnings"),
            Lint::Code(c) => c.fmt(f),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Lint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Lint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Which warnings are dropped and which stop the generation; a code both
/// allowed and denied is denied.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Levels<'a> {
    pub allow: &'a [Lint],
    pub deny: &'a [Lint],
}

impl Levels<'_> {
    /// The diagnostics to show: allowed warnings dropped, denied ones made errors.
    pub(crate) fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if d.severity == Severity::Warning && self.deny.iter().any(|l| l.covers(d.code)) {
                    d.severity = Severity::Error;
                    return Some(d);
                }
                let allowed = d.severity == Severity::Warning && self.allow.iter().any(|l| l.covers(d.code));
                (!allowed).then_some(d)
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
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
    /// A diagnostic of `code`, at its code's severity.
    pub fn new(code: Code, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            pointer: pointer.into(),
            message: message.into(),
            line: None,
            column: None,
            file: None,
        }
    }

    pub fn kind(&self) -> Kind {
        self.code.kind()
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

    /// `error[OAG0001]` or `warning[OAG0200]`.
    pub fn level(&self) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!("{level}[{}]", self.code)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.as_deref().unwrap_or("");
        write!(f, "{}: {file}{}: {}", self.level(), self.pointer, self.message)?;
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        Ok(())
    }
}

/// Why nothing was generated.
#[derive(Debug)]
#[non_exhaustive]
pub enum GenError {
    /// The spec (or an overlay of it) has problems, each located; warnings
    /// the settings deny are among them.
    Spec(Vec<Diagnostic>),
    /// A file could not be read or written.
    Io { path: PathBuf, action: &'static str, error: std::io::Error },
    /// The settings are wrong: the manifest (`place` is its path, with the
    /// line when known), a pattern, a `Config` call or a command-line flag.
    Config { place: String, line: Option<usize>, message: String },
    /// A bug in openapi-gen.
    Internal(String),
}

impl GenError {
    pub fn single(d: Diagnostic) -> Self {
        GenError::Spec(vec![d])
    }

    /// A spec problem at `pointer`.
    pub fn spec(code: Code, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        GenError::single(Diagnostic::new(code, pointer, message))
    }

    pub fn io(path: impl Into<PathBuf>, action: &'static str, error: std::io::Error) -> Self {
        GenError::Io { path: path.into(), action, error }
    }

    pub fn config(place: impl Into<String>, message: impl Into<String>) -> Self {
        GenError::Config { place: place.into(), line: None, message: message.into() }
    }

    /// The spec's diagnostics (none for the other kinds of error).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            GenError::Spec(d) => d,
            _ => &[],
        }
    }

    /// Name the file of every diagnostic that names none yet.
    pub fn in_file(self, file: &str) -> Self {
        self.map_diagnostics(|d| d.in_file(file))
    }

    /// Change every diagnostic of a spec error.
    pub fn map_diagnostics(self, f: impl FnMut(Diagnostic) -> Diagnostic) -> Self {
        match self {
            GenError::Spec(d) => GenError::Spec(d.into_iter().map(f).collect()),
            other => other,
        }
    }
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::Spec(diagnostics) => {
                for (i, d) in diagnostics.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            GenError::Io { path, action, error } => write!(f, "error: cannot {action} {}: {error}", path.display()),
            GenError::Config { place, line: Some(line), message } => write!(f, "error: {place}:{line}: {message}"),
            GenError::Config { place, line: None, message } => write!(f, "error: {place}: {message}"),
            GenError::Internal(what) => {
                write!(f, "error: internal error in openapi-gen (please report it with the spec): {what}")
            }
        }
    }
}

impl std::error::Error for GenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GenError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Collects warnings from every stage; stages push, nobody removes.
#[derive(Debug, Default, Clone)]
pub(crate) struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Report `code` at `pointer`.
    pub(crate) fn add(&mut self, code: Code, pointer: &str, message: impl Into<String>) {
        self.push(Diagnostic::new(code, pointer, message));
    }

    pub(crate) fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(move |d| d.kind() == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_code_place_and_line() {
        let d = Diagnostic::new(Code::Syntax, "#/paths", "bad").at_line(7);
        assert_eq!(d.to_string(), "error[OAG0001]: #/paths: bad (line 7)");
    }

    #[test]
    fn codes_are_unique_explained_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(code.as_str().len() == 7 && code.as_str().starts_with("OAG"), "{code}");
            assert!(!code.title().is_empty(), "{code} has a title");
            assert_eq!(code.as_str().parse::<Code>(), Ok(*code));
            assert_eq!(code.as_str().to_lowercase().parse::<Code>(), Ok(*code));
        }
        assert!("OAG9999".parse::<Code>().is_err());
    }

    #[test]
    fn allowed_warnings_go_and_denied_ones_become_errors() {
        let ds = vec![
            Diagnostic::new(Code::UntypedSchema, "#/a", "x"),
            Diagnostic::new(Code::Malformed, "#/b", "y"),
            Diagnostic::new(Code::Example, "#/c", "z"),
        ];
        let allow = [Lint::Code(Code::UntypedSchema), Lint::Code(Code::Example)];
        let deny = [Lint::Code(Code::Example)];
        let out = Levels { allow: &allow, deny: &deny }.apply(ds.clone());
        let got: Vec<_> = out.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(got, [(Code::Malformed, Severity::Warning), (Code::Example, Severity::Error)], "deny wins");
        let out = Levels { allow: &[], deny: &[Lint::Warnings] }.apply(ds);
        assert!(out.iter().all(|d| d.severity == Severity::Error));
        assert!("OAG0001".parse::<Lint>().is_err(), "errors cannot be allowed");
        assert_eq!("warnings".parse::<Lint>(), Ok(Lint::Warnings));
    }
}
