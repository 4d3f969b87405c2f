//! From a JSON pointer back to a line and column in the spec's text, for
//! diagnostics. Loading keeps no positions (the loaders build plain values);
//! a pointer is looked up in the text only when a diagnostic is shown.
//!
//! JSON is followed exactly. YAML is followed through block mappings and
//! sequences (the style of real specs); inside a flow collection (`{..}`,
//! `[..]`) the position of the collection is given.

use crate::ground::diag::{Code, Diagnostic, Severity};
use crate::ground::pointer::tokens;
use std::collections::HashMap;

/// Spec texts, read once, to show where diagnostics point.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    texts: HashMap<String, Option<String>>,
    /// Positions found ahead of time, by (file, pointer), with their byte offsets.
    positions: HashMap<(String, String), (Position, usize)>,
}

impl Sources {
    fn text(&mut self, file: &str) -> Option<&str> {
        self.texts
            .entry(file.to_string())
            .or_insert_with(|| {
                // Lossy: a load error at a byte that is not UTF-8 still shows its line.
                std::fs::read(file).ok().map(|b| {
                    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
                })
            })
            .as_deref()
    }

    /// The texts of `diags`' files, their positions found.
    pub fn for_diagnostics(diags: &[Diagnostic]) -> Sources {
        let mut sources = Sources::default();
        sources.prepare(diags);
        sources
    }

    /// Find the positions of many diagnostics at once: for a JSON file, one
    /// pass over its text instead of one per diagnostic (large specs give
    /// hundreds of warnings).
    pub fn prepare(&mut self, diags: &[Diagnostic]) {
        let mut by_file: HashMap<&str, Vec<&str>> = HashMap::new();
        for d in diags.iter().filter(|d| d.line.is_none()) {
            if let Some(f) = d.file.as_deref() {
                by_file.entry(f).or_default().push(d.pointer.as_str());
            }
        }
        for (file, pointers) in by_file {
            if self.text(file).is_none() {
                continue;
            }
            let Some(text) = self.texts.get(file).and_then(Option::as_deref) else { continue };
            for (pointer, found) in positions_of(text, pointers) {
                self.positions.insert((file.to_string(), pointer), found);
            }
        }
    }

    /// Where a diagnostic points: its own line (load errors) or its pointer looked up.
    pub fn position(&mut self, d: &Diagnostic) -> Option<Position> {
        if let Some(line) = d.line {
            return Some(Position { line, column: d.column.unwrap_or(1) });
        }
        let file = d.file.clone()?;
        if let Some((p, _)) = self.positions.get(&(file.clone(), d.pointer.clone())) {
            return Some(*p);
        }
        locate(self.text(&file)?, &d.pointer)
    }

    /// A diagnostic as rustc shows one: the message, the file, line and
    /// column, the line itself with a caret, and the JSON pointer.
    pub fn render(&mut self, d: &Diagnostic) -> String {
        let mut out = format!("{}: {}\n", d.level(), d.message);
        let position = self.position(d);
        match (&d.file, position) {
            (Some(file), Some(p)) => {
                let offset =
                    d.file.as_ref().and_then(|f| self.positions.get(&(f.clone(), d.pointer.clone()))).map(|(_, o)| *o);
                let (shown, caret) = match (offset, self.text(file)) {
                    (Some(offset), Some(text)) => window_at(text, offset),
                    (None, Some(text)) => window_in_line(text.lines().nth(p.line - 1).unwrap_or(""), p.column),
                    _ => (String::new(), 0),
                };
                let width = p.line.to_string().len();
                let pad = " ".repeat(width);
                out.push_str(&format!("{pad}--> {file}:{}:{}\n", p.line, p.column));
                if !shown.trim().is_empty() {
                    let caret = " ".repeat(caret);
                    out.push_str(&format!("{pad} |\n{} | {shown}\n{pad} | {caret}^\n", p.line));
                }
                out.push_str(&format!("{pad} = at {}\n", d.pointer));
            }
            (Some(file), None) => out.push_str(&format!("  --> {file}\n   = at {}\n", d.pointer)),
            (None, _) => out.push_str(&format!("   = at {}\n", d.pointer)),
        }
        out
    }

    /// One line for a build script's `cargo:warning=`: `file:line:col: message (at pointer)`.
    pub fn one_line(&mut self, d: &Diagnostic) -> String {
        let place = match (&d.file, self.position(d)) {
            (Some(f), Some(p)) => format!("{f}:{}:{}: ", p.line, p.column),
            (Some(f), None) => format!("{f}: "),
            (None, _) => String::new(),
        };
        format!("{place}{} [{}] (at {})", d.message, d.code, d.pointer)
    }
}

/// The positions (and byte offsets) of many pointers in one text: for JSON,
/// one pass over the text instead of one per pointer.
fn positions_of(text: &str, pointers: Vec<&str>) -> Vec<(String, (Position, usize))> {
    let mut out = Vec::new();
    if !text.trim_start().starts_with(['{', '[']) {
        // YAML: the text split into lines once for all the pointers.
        let lines = yaml::lines(text);
        let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        for pointer in pointers {
            if let Some(p) = yaml::locate_in(lines.clone(), &tokens(pointer)) {
                out.push((pointer.to_string(), (p, offset_of(text, &starts, p))));
            }
        }
        return out;
    }
    let mut found = json::offsets(text, &pointers);
    found.sort();
    // Offsets to lines and columns, in one pass.
    // (Columns counted on from the previous offset: one-line JSON files are common.)
    let (mut line, mut column, mut at) = (1, 1, 0);
    for (offset, pointer) in found {
        let between = &text[at..offset];
        match between.rfind('\n') {
            Some(i) => {
                line += between.matches('\n').count();
                column = between[i + 1..].chars().count() + 1;
            }
            None => column += between.chars().count(),
        }
        at = offset;
        out.push((pointer, (Position { line, column }, offset)));
    }
    out
}

/// The part of a line shown around a column (`…` where it is cut), and the
/// caret's place in it.
fn window_in_line(line: &str, column: usize) -> (String, usize) {
    let column = column.saturating_sub(1);
    let skip = column.saturating_sub(80);
    let prefix = if skip > 0 { "…" } else { "" };
    let shown: String = line.chars().skip(skip).take(160).collect();
    (format!("{prefix}{shown}"), column - skip + prefix.chars().count())
}

/// The same around a byte offset, looking at most a few hundred bytes either
/// way (a JSON spec may be one line of megabytes).
fn window_at(text: &str, offset: usize) -> (String, usize) {
    let floor = |mut i: usize| {
        while i > 0 && !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let offset = floor(offset.min(text.len()));
    let from = floor(offset.saturating_sub(320));
    let start = text[from..offset].rfind('\n').map(|i| from + i + 1).unwrap_or(from);
    let to = floor((offset + 640).min(text.len()));
    let end = text[offset..to].find('\n').map(|i| offset + i).unwrap_or(to);
    let column = text[start..offset].chars().count() + 1;
    let (shown, caret) = window_in_line(&text[start..end], column);
    if start == from && from > 0 && !shown.starts_with('…') {
        return (format!("…{shown}"), caret + 1);
    }
    (shown, caret)
}

/// Warnings counted by code, most frequent first:
/// `6 warnings: 4 × OAG0305 (an example does not match its schema), 2 × …`.
pub fn summary(diags: &[Diagnostic]) -> Option<String> {
    let warnings: Vec<&Diagnostic> = diags.iter().filter(|d| d.severity == Severity::Warning).collect();
    if warnings.is_empty() {
        return None;
    }
    let mut groups: Vec<(Code, usize)> = Vec::new();
    for d in &warnings {
        match groups.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, n)) => *n += 1,
            None => groups.push((d.code, 1)),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    let parts: Vec<String> = groups.iter().map(|(c, n)| format!("{n} × {c} ({})", title_phrase(*c))).collect();
    let plural = if warnings.len() == 1 { "" } else { "s" };
    Some(format!(
        "{} warning{plural}: {} (`openapi-gen explain CODE` says more; `--allow CODE` hides one)",
        warnings.len(),
        parts.join(", ")
    ))
}

/// The last line of a failed generation: how many errors, and which codes
/// were warnings the settings denied.
pub fn error_summary(diags: &[Diagnostic]) -> Option<String> {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    if errors == 0 {
        return None;
    }
    let mut denied: Vec<Code> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code.severity() == Severity::Warning)
        .map(|d| d.code)
        .collect();
    denied.sort();
    denied.dedup();
    let plural = if errors == 1 { "" } else { "s" };
    let mut out = format!("nothing generated: {errors} error{plural}");
    if !denied.is_empty() {
        let codes: Vec<&str> = denied.iter().map(|c| c.as_str()).collect();
        out.push_str(&format!(" (warnings denied by the settings: {})", codes.join(", ")));
    }
    Some(out)
}

/// A code's title as a phrase inside a sentence: lower-case start, no final
/// period, cut at its first `;`.
fn title_phrase(code: Code) -> String {
    let title = code.title();
    let title = title.split(';').next().unwrap_or(title).trim_end_matches('.');
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A line and a column, both from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Where `pointer` is in `text` (JSON or YAML, told apart by the first character).
pub fn locate(text: &str, pointer: &str) -> Option<Position> {
    let tokens = tokens(pointer);
    if text.trim_start().starts_with(['{', '[']) {
        json::locate(text, &tokens)
    } else {
        yaml::locate(text, &tokens)
    }
}

/// The byte offset of a line and column (columns count characters), given
/// where each line starts.
fn offset_of(text: &str, starts: &[usize], p: Position) -> usize {
    let start = starts.get(p.line.saturating_sub(1)).copied().unwrap_or(text.len()).min(text.len());
    let line = &text[start..];
    start + line.char_indices().nth(p.column.saturating_sub(1)).map_or(line.len(), |(i, _)| i)
}

/// Line and column of a byte offset.
fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    Position { line, column }
}

mod json {
    use super::{position_of, Position};

    struct Cursor<'a> {
        b: &'a [u8],
        i: usize,
    }

    impl Cursor<'_> {
        fn ws(&mut self) {
            while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
        }

        fn peek(&self) -> Option<u8> {
            self.b.get(self.i).copied()
        }

        /// A string starting at the cursor; returns its decoded text (escapes
        /// other than `\"` and `\\` are kept as written, enough for keys).
        fn string(&mut self) -> Option<String> {
            if self.peek() != Some(b'"') {
                return None;
            }
            self.i += 1;
            let mut out = Vec::new();
            while let Some(c) = self.peek() {
                self.i += 1;
                match c {
                    b'"' => return Some(String::from_utf8_lossy(&out).into_owned()),
                    b'\\' => {
                        let e = self.peek()?;
                        self.i += 1;
                        match e {
                            b'"' | b'\\' | b'/' => out.push(e),
                            b'n' => out.push(b'\n'),
                            b't' => out.push(b'\t'),
                            other => out.extend([b'\\', other]),
                        }
                    }
                    c => out.push(c),
                }
            }
            None
        }

        /// Pass over a string starting at the cursor without decoding it.
        fn skip_string(&mut self) -> Option<()> {
            self.i += 1;
            loop {
                self.i += memchr::memchr2(b'"', b'\\', self.b.get(self.i..)?)?;
                let c = self.b[self.i];
                self.i += if c == b'"' { 1 } else { 2 };
                if c == b'"' {
                    return Some(());
                }
            }
        }

        /// Skip one value, iteratively.
        fn skip(&mut self) -> Option<()> {
            let mut depth = 0usize;
            loop {
                self.ws();
                match self.peek()? {
                    b'"' => self.skip_string()?,
                    b'{' | b'[' => {
                        depth += 1;
                        self.i += 1;
                        continue;
                    }
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        self.i += 1;
                    }
                    b',' | b':' => {
                        self.i += 1;
                        continue;
                    }
                    _ => {
                        while self.peek().is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                        {
                            self.i += 1;
                        }
                    }
                }
                if depth == 0 {
                    return Some(());
                }
            }
        }
    }

    /// Byte offsets of many pointers in one pass: only the branches that lead
    /// to a wanted pointer are entered, the rest are skipped.
    pub(super) fn offsets(text: &str, pointers: &[&str]) -> Vec<(usize, String)> {
        let wanted: std::collections::HashSet<&str> = pointers.iter().copied().collect();
        let mut prefixes: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for p in pointers {
            let mut cur = *p;
            while let Some(i) = cur.rfind('/') {
                cur = &cur[..i];
                prefixes.insert(cur);
            }
        }
        let mut c = Cursor { b: text.as_bytes(), i: 0 };
        let mut out = Vec::new();
        let mut pointer = String::from("#");
        let _ = walk(&mut c, &mut pointer, &wanted, &prefixes, &mut out, 0);
        out
    }

    fn walk(
        c: &mut Cursor<'_>,
        pointer: &mut String,
        wanted: &std::collections::HashSet<&str>,
        prefixes: &std::collections::HashSet<&str>,
        out: &mut Vec<(usize, String)>,
        depth: usize,
    ) -> Option<()> {
        c.ws();
        if wanted.contains(pointer.as_str()) {
            out.push((c.i, pointer.clone()));
        }
        if !prefixes.contains(pointer.as_str()) || depth > crate::stages::load::MAX_DEPTH {
            return c.skip();
        }
        let close = match c.peek()? {
            b'{' => b'}',
            b'[' => b']',
            _ => return c.skip(),
        };
        c.i += 1;
        let mut index = 0usize;
        loop {
            c.ws();
            if c.peek()? == close {
                c.i += 1;
                return Some(());
            }
            let token = if close == b'}' {
                let key = c.string()?;
                c.ws();
                if c.peek()? != b':' {
                    return None;
                }
                c.i += 1;
                crate::ground::pointer::escape(&key)
            } else {
                index.to_string()
            };
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&token);
            walk(c, pointer, wanted, prefixes, out, depth + 1)?;
            pointer.truncate(len);
            index += 1;
            c.ws();
            if c.peek() == Some(b',') {
                c.i += 1;
            }
        }
    }

    pub(super) fn locate(text: &str, tokens: &[String]) -> Option<Position> {
        let mut c = Cursor { b: text.as_bytes(), i: 0 };
        c.ws();
        for token in tokens {
            match c.peek()? {
                b'{' => {
                    c.i += 1;
                    loop {
                        c.ws();
                        if c.peek()? == b'}' {
                            return None;
                        }
                        let key = c.string()?;
                        c.ws();
                        if c.peek()? != b':' {
                            return None;
                        }
                        c.i += 1;
                        c.ws();
                        if &key == token {
                            break;
                        }
                        c.skip()?;
                        c.ws();
                        if c.peek() == Some(b',') {
                            c.i += 1;
                        }
                    }
                }
                b'[' => {
                    let index: usize = token.parse().ok()?;
                    c.i += 1;
                    for _ in 0..index {
                        c.ws();
                        c.skip()?;
                        c.ws();
                        if c.peek()? != b',' {
                            return None;
                        }
                        c.i += 1;
                    }
                    c.ws();
                }
                _ => return None,
            }
        }
        Some(position_of(text, c.i))
    }
}

mod yaml {
    use super::Position;

    #[derive(Clone)]
    pub(super) struct Line<'a> {
        number: usize,
        indent: usize,
        content: &'a str,
    }

    pub(super) fn lines(text: &str) -> Vec<Line<'_>> {
        text.lines()
            .enumerate()
            .filter_map(|(i, l)| {
                let content = l.trim_start();
                if content.is_empty() || content.starts_with('#') || content == "---" {
                    return None;
                }
                Some(Line { number: i + 1, indent: l.len() - content.len(), content })
            })
            .collect()
    }

    /// `key: ...` to the key, unquoted.
    fn key_of(content: &str) -> Option<String> {
        let (key, rest) = if let Some(q) = content.strip_prefix('"') {
            let end = q.find('"')?;
            (q[..end].to_string(), &q[end + 1..])
        } else if let Some(q) = content.strip_prefix('\'') {
            let end = q.find('\'')?;
            (q[..end].to_string(), &q[end + 1..])
        } else {
            let end = content.find(": ").or_else(|| content.strip_suffix(':').map(|k| k.len()))?;
            (content[..end].trim_end().to_string(), &content[end..])
        };
        rest.trim_start().starts_with(':').then_some(key)
    }

    /// Follow the tokens through block collections. `items` are the lines of
    /// the current node's children; a sequence item's first line is seen with
    /// its `- ` removed (its indent moved past the dash).
    pub(super) fn locate(text: &str, tokens: &[String]) -> Option<Position> {
        locate_in(lines(text), tokens)
    }

    /// [`locate`] in a text already split into [`lines`].
    pub(super) fn locate_in(all: Vec<Line<'_>>, tokens: &[String]) -> Option<Position> {
        let mut region: Vec<Line<'_>> = all;
        let mut at = Position { line: 1, column: 1 };
        for token in tokens {
            let first = region.first()?;
            let indent = first.indent;
            let found = if first.content.starts_with("- ") || first.content == "-" {
                let index: usize = token.parse().ok()?;
                let starts: Vec<usize> = (0..region.len())
                    .filter(|&i| {
                        region[i].indent == indent && (region[i].content.starts_with("- ") || region[i].content == "-")
                    })
                    .collect();
                let start = *starts.get(index)?;
                let end = starts.get(index + 1).copied().unwrap_or_else(|| {
                    (start + 1..region.len()).find(|&i| region[i].indent < indent).unwrap_or(region.len())
                });
                let dash = &region[start];
                let rest = dash.content[1..].trim_start();
                let moved = dash.content.len() - rest.len();
                at = Position { line: dash.number, column: dash.indent + moved + 1 };
                let mut item: Vec<Line<'_>> = Vec::new();
                if !rest.is_empty() {
                    item.push(Line { number: dash.number, indent: dash.indent + moved, content: rest });
                }
                item.extend(region.drain(start + 1..end));
                item
            } else {
                let pos = (0..region.len())
                    .find(|&i| region[i].indent == indent && key_of(region[i].content).as_deref() == Some(token))?;
                let line = &region[pos];
                at = Position { line: line.number, column: line.indent + 1 };
                let end = (pos + 1..region.len()).find(|&i| region[i].indent <= indent).unwrap_or(region.len());
                // An inline value (`key: {a: 1}`, `key: value`): nothing deeper to follow.
                let after = line.content.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
                if !after.is_empty() && !after.starts_with('|') && !after.starts_with('>') && !after.starts_with('&') {
                    if after.starts_with('{') || after.starts_with('[') {
                        return Some(at);
                    }
                    // A scalar: the token was the last one, or the pointer goes nowhere.
                    return (token == tokens.last()?).then_some(at);
                }
                region.drain(pos + 1..end).collect()
            };
            region = found;
        }
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_render_like_rustc() {
        let dir = std::env::temp_dir().join(format!("openapi-gen-render-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("s.yaml");
        std::fs::write(&file, YAML).unwrap();
        let file = file.display().to_string();
        let d = Diagnostic::new(Code::Malformed, "#/paths/~1a~1{id}/get/parameters/1", "odd parameter").in_file(&file);
        let mut sources = Sources::default();
        let text = sources.render(&d);
        let expected = format!(
            "warning[OAG0101]: odd parameter\n  --> {file}:10:11\n   |\n10 |         - name: q\n   |           ^\n   = at #/paths/~1a~1{{id}}/get/parameters/1\n"
        );
        assert_eq!(text, expected);
        // Prepared ahead (one split of the YAML for all pointers): the same.
        let mut prepared = Sources::default();
        prepared.prepare(std::slice::from_ref(&d));
        assert_eq!(prepared.render(&d), expected);
        assert_eq!(
            sources.one_line(&d),
            format!("{file}:10:11: odd parameter [OAG0101] (at #/paths/~1a~1{{id}}/get/parameters/1)")
        );
        let loose = Diagnostic::new(Code::Syntax, "#/x", "no file");
        assert_eq!(sources.render(&loose), "error[OAG0001]: no file\n   = at #/x\n");
    }

    #[test]
    fn warnings_are_counted_by_code() {
        let diags = [
            Diagnostic::new(Code::Example, "#", "example does not match its schema (expected an array); not tested"),
            Diagnostic::new(Code::Malformed, "#", "`servers` is not a list; ignored"),
            Diagnostic::new(Code::Example, "#", "example does not match its schema (expected a string); not tested"),
            Diagnostic::new(Code::Syntax, "#", "not counted"),
        ];
        let text = summary(&diags).unwrap();
        assert!(
            text.starts_with(
                "3 warnings: 2 × OAG0305 (an example does not match its schema), \
                 1 × OAG0101 (a part of the spec does not have the shape OpenAPI gives it)"
            ),
            "{text}"
        );
        assert_eq!(summary(&diags[3..]), None);
    }

    const YAML: &str = "openapi: 3.1.0\ninfo:\n  title: T\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - name: q\n          schema: {type: string}\n      responses:\n        '200':\n          description: ok\ncomponents:\n  schemas:\n    \"A/B\":\n      type: object\n";

    #[test]
    fn yaml_pointers_find_their_lines() {
        assert_eq!(locate(YAML, "#/info/title"), Some(Position { line: 3, column: 3 }));
        assert_eq!(locate(YAML, "#/paths/~1a~1{id}/get"), Some(Position { line: 6, column: 5 }));
        assert_eq!(locate(YAML, "#/paths/~1a~1{id}/get/parameters/1"), Some(Position { line: 10, column: 11 }));
        assert_eq!(locate(YAML, "#/paths/~1a~1{id}/get/parameters/1/name"), Some(Position { line: 10, column: 11 }));
        assert_eq!(locate(YAML, "#/paths/~1a~1{id}/get/parameters/0/in"), Some(Position { line: 9, column: 11 }));
        assert_eq!(
            locate(YAML, "#/paths/~1a~1{id}/get/parameters/1/schema/type"),
            Some(Position { line: 11, column: 11 }),
            "inside a flow map: the map"
        );
        assert_eq!(
            locate(YAML, "#/paths/~1a~1{id}/get/responses/200/description"),
            Some(Position { line: 14, column: 11 })
        );
        assert_eq!(locate(YAML, "#/components/schemas/A~1B/type"), Some(Position { line: 18, column: 7 }));
        assert_eq!(locate(YAML, "#/paths/~1nope"), None);
        assert_eq!(locate(YAML, "#/info/title/deeper"), None);
    }

    #[test]
    fn json_pointers_find_their_lines() {
        let json = "{\n  \"a\": {\"b\": [1, {\"c\": \"x\\\"y\"}, 3]},\n  \"d/e\": {\n    \"f\": null\n  }\n}";
        assert_eq!(locate(json, "#/a/b/1/c"), Some(Position { line: 2, column: 24 }));
        assert_eq!(locate(json, "#/a/b/2"), Some(Position { line: 2, column: 33 }));
        assert_eq!(locate(json, "#/d~1e/f"), Some(Position { line: 4, column: 10 }));
        assert_eq!(locate(json, "#"), Some(Position { line: 1, column: 1 }));
        assert_eq!(locate(json, "#/a/x"), None);
        assert_eq!(locate(json, "#/a/b/9"), None);
        // Many at once, in one pass.
        let found = json::offsets(json, &["#/a/b/1/c", "#/d~1e/f", "#/a/x", "#"]);
        let at = |p: &str| found.iter().find(|(_, q)| q == p).map(|(o, _)| position_of(json, *o));
        assert_eq!(at("#/a/b/1/c"), Some(Position { line: 2, column: 24 }));
        assert_eq!(at("#/d~1e/f"), Some(Position { line: 4, column: 10 }));
        assert_eq!(at("#"), Some(Position { line: 1, column: 1 }));
        assert_eq!(at("#/a/x"), None);
    }
}
