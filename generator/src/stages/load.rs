//! The `load` stage (see the pipeline): bytes to a JSON document.
//!
//! Everything later works on `serde_json::Value` (normalize) and then on the
//! typed `openapiv3` model, so loading only has to decide the syntax. YAML goes
//! through [`parse_yaml`], the one place that knows which YAML library is used:
//! serde-saphyr, because serde_yaml 0.9 and its forks reject real specs whose
//! integers do not fit in an `i64` (OpenAI's `seed.minimum`).

use crate::ground::diag::{Code, Diagnostic, GenError};
use serde_json::Value;
use std::path::Path;

/// The syntax of a spec document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

impl Syntax {
    /// Guess from the file name; unknown extensions are sniffed from content.
    pub fn from_path(path: &Path, bytes: &[u8]) -> Syntax {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) {
            Some(ext) if ext == "json" => Syntax::Json,
            Some(ext) if ext == "yaml" || ext == "yml" => Syntax::Yaml,
            _ => Syntax::sniff(bytes),
        }
    }

    fn sniff(bytes: &[u8]) -> Syntax {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first == Some(&b'{') {
            Syntax::Json
        } else {
            Syntax::Yaml
        }
    }
}

/// Read and parse a spec file.
pub fn load_file(path: &Path) -> Result<Value, GenError> {
    let bytes = std::fs::read(path).map_err(|e| GenError::io(path, "read", e))?;
    parse(&bytes, Syntax::from_path(path, &bytes))
}

/// Parse document bytes of a known syntax (on a large stack: parsers recurse).
pub fn parse(bytes: &[u8], syntax: Syntax) -> Result<Value, GenError> {
    crate::on_big_stack(|| parse_here(bytes, syntax))
}

fn parse_here(bytes: &[u8], syntax: Syntax) -> Result<Value, GenError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = utf8(bytes)?;
    let value = match syntax {
        Syntax::Json => serde_json::from_str::<Value>(text).map_err(|e| {
            let mut d = Diagnostic::new(Code::Syntax, "#", format!("invalid JSON: {e}")).at_line(e.line());
            d.column = Some(e.column().max(1));
            GenError::single(d)
        })?,
        Syntax::Yaml => parse_yaml(text)?,
    };
    if !value.is_object() {
        return Err(GenError::spec(Code::Syntax, "#", "the document is not an object (expected an OpenAPI document)"));
    }
    Ok(value)
}

/// The text of a spec, or an error at the line and column of the first byte
/// that is not UTF-8.
fn utf8(bytes: &[u8]) -> Result<&str, GenError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
        let mut d = Diagnostic::new(
            Code::Syntax,
            "#",
            format!("the spec is not UTF-8: byte 0x{byte:02X} at offset {}", e.valid_up_to()),
        )
        .at_line(line);
        d.column = Some(column);
        GenError::single(d)
    })
}

/// The deepest nesting of objects and arrays a document may have (serde_json's limit).
pub const MAX_DEPTH: usize = 128;

/// The single YAML entry point.
pub fn parse_yaml(text: &str) -> Result<Value, GenError> {
    let mut budget = serde_saphyr::Budget::default();
    // Real specs are large (OpenAI's is 3 MB); the defaults target config files.
    budget.max_events = usize::MAX / 2;
    budget.max_nodes = usize::MAX / 2;
    budget.max_total_scalar_bytes = usize::MAX / 2;
    // As deep as serde_json allows (real specs nest about 25 levels); deeper
    // input is refused here, with its line, before anything recurses over it.
    budget.max_depth = MAX_DEPTH;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // OpenAPI documents are YAML 1.2: only `true` and `false` are booleans,
    // so `required: [id, n]` and `enum: [y, n, on, off]` stay strings (YAML
    // 1.1 would read them as booleans: the "Norway problem").
    options.strict_booleans = true;
    serde_saphyr::from_str_with_options::<Value>(text, options).map_err(|e| {
        let message = e.to_string();
        let line = number_after(&message, "line ");
        let first = message.lines().next().unwrap_or("").to_string();
        let first = if first.contains("budget breached: Depth") || first.contains("recursion limit") {
            format!("the document nests deeper than {MAX_DEPTH} levels")
        } else {
            format!("invalid YAML: {first}")
        };
        let mut d = Diagnostic::new(Code::Syntax, "#", first).at_line_opt(line);
        d.column = number_after(&message, "column ");
        GenError::single(d)
    })
}

/// serde-saphyr renders the location into its message ("line N column M"); take it from there.
fn number_after(message: &str, label: &str) -> Option<usize> {
    let idx = message.find(label)?;
    let digits: String = message[idx + label.len()..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_give_the_same_document() {
        let yaml = parse(b"openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n", Syntax::Yaml).unwrap();
        let json = parse(br#"{"openapi":"3.1.0","info":{"title":"T","version":"1"}}"#, Syntax::Json).unwrap();
        assert_eq!(yaml, json);
    }

    #[test]
    fn yaml_integers_beyond_i64_load() {
        let v = parse(b"a: 1\nminimum: -9223372036854775809\nmax: 18446744073709551615\n", Syntax::Yaml).unwrap();
        assert!(v["minimum"].is_number());
        assert_eq!(v["max"].as_u64(), Some(u64::MAX));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = parse(b"a: 1\nb: [1, 2\nc: 3\n", Syntax::Yaml).unwrap_err();
        let d = &err.diagnostics()[0];
        assert!(d.message.starts_with("invalid YAML") && d.code == Code::Syntax, "{d}");
        assert!(d.column.is_some(), "{d:?}");
        let err = parse(b"{\n\"a\": 1,\n}", Syntax::Json).unwrap_err();
        assert_eq!((err.diagnostics()[0].line, err.diagnostics()[0].column), (Some(3), Some(1)));
    }

    #[test]
    fn yaml_is_read_as_yaml_1_2_so_yes_no_y_n_on_off_stay_strings() {
        let v =
            parse_yaml("required: [id, n, y, no, yes, on, off]\nflags: [true, false, True]\nenum: [N, Y]\n").unwrap();
        assert_eq!(v["required"], serde_json::json!(["id", "n", "y", "no", "yes", "on", "off"]));
        assert_eq!(v["flags"], serde_json::json!([true, false, true]));
        assert_eq!(v["enum"], serde_json::json!(["N", "Y"]));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_errors_at_their_line_and_column() {
        for syntax in [Syntax::Yaml, Syntax::Json] {
            let err = parse(b"{\"a\": \"\xC3\xA9\",\n \"b\": \"x\xFFy\"}", syntax).unwrap_err();
            let d = &err.diagnostics()[0];
            assert_eq!((d.line, d.column), (Some(2), Some(9)), "{syntax:?}: {d:?}");
            assert!(d.message.contains("not UTF-8") && d.message.contains("0xFF"), "{}", d.message);
        }
    }

    #[test]
    fn non_object_documents_are_rejected() {
        assert!(parse(b"- 1\n- 2\n", Syntax::Yaml).is_err());
        assert!(parse(b"42", Syntax::Json).is_err());
    }

    #[test]
    fn syntax_is_sniffed_for_unknown_extensions() {
        assert_eq!(Syntax::from_path(Path::new("x.txt"), b"  {\"a\":1}"), Syntax::Json);
        assert_eq!(Syntax::from_path(Path::new("x"), b"a: 1"), Syntax::Yaml);
        assert_eq!(Syntax::from_path(Path::new("x.YML"), b"{}"), Syntax::Yaml);
    }
}
