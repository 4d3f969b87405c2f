//! A spec's prose made clean for rustdoc, which reads it as Markdown and
//! warns (an error under `-D warnings`) about text no spec author meant as
//! Rust docs: a bare URL (`bare_urls`), a word in brackets that resolves to
//! no item (`[PROJECT_ID]`, `broken_intra_doc_links`), a placeholder in angle
//! brackets that is an unclosed HTML tag (`<key>`, `invalid_html_tags`). Each
//! is rewritten so that the page shows the text as written: URLs become
//! autolinks, brackets and placeholders are escaped. Code spans, Markdown
//! links and real HTML (a tag closed in the same text, or a void element)
//! are left alone.

/// HTML elements that take no closing tag.
const VOID: [&str; 13] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// The tags one doc text opens and closes, by lowercase name: a tag is kept
/// when its counterpart is somewhere in the same text.
pub(super) struct Tags {
    opened: Vec<String>,
    closed: Vec<String>,
}

impl Tags {
    pub(super) fn of(text: &str) -> Tags {
        let mut tags = Tags { opened: Vec::new(), closed: Vec::new() };
        let mut rest = text;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            if let Some(tag) = tag(rest) {
                let list = if tag.closing { &mut tags.closed } else { &mut tags.opened };
                list.push(tag.name);
            }
        }
        tags
    }

    /// Whether rustdoc takes the tag at `<` + `rest` as balanced HTML.
    fn keeps(&self, tag: &Tag) -> bool {
        let void = VOID.contains(&tag.name.as_str());
        if tag.closing {
            self.opened.contains(&tag.name)
        } else if tag.self_closing {
            void
        } else {
            void || self.closed.contains(&tag.name)
        }
    }
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    /// Bytes from after `<` through `>`.
    len: usize,
}

/// The tag that `rest` (the text after a `<`) starts, if it looks like one:
/// an optional `/`, a name of ASCII letters and digits, then anything up to `>`
/// on the same line.
fn tag(rest: &str) -> Option<Tag> {
    let closing = rest.starts_with('/');
    let body = if closing { &rest[1..] } else { rest };
    let name_len = body.find(|c: char| !c.is_ascii_alphanumeric() && c != '-').unwrap_or(body.len());
    if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = rest.find(['>', '\n'])?;
    if rest.as_bytes()[end] != b'>' {
        return None;
    }
    Some(Tag {
        name: body[..name_len].to_ascii_lowercase(),
        closing,
        self_closing: rest[..end].ends_with('/'),
        len: end + 1,
    })
}

/// Prose (no code block in it), rewritten as the module's docs say.
pub(super) fn clean(text: &str, tags: &Tags) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    let mut in_code = false;
    while let Some(at) = rest.find(['`', 'h', '[', '<']) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let c = from.as_bytes()[0];
        if c == b'`' {
            in_code = !in_code;
        }
        let taken = if in_code || c == b'`' {
            0
        } else {
            match c {
                b'h' => url(from, &mut out),
                b'[' => bracket(from, &mut out),
                _ => angle(from, tags, &mut out),
            }
        };
        if taken == 0 {
            out.push(c as char);
            rest = &from[1..];
        } else {
            rest = &from[taken..];
        }
    }
    out.push_str(rest);
    out
}

/// A bare URL at the start of `from` as an autolink; the bytes taken, or 0
/// when it is none or already a link's (quotes do not hide it from rustdoc).
fn url(from: &str, out: &mut String) -> usize {
    if !(from.starts_with("https://") || from.starts_with("http://")) {
        return 0;
    }
    if matches!(out.chars().last(), Some('<' | '[')) || out.ends_with("](") {
        return 0;
    }
    let end = from.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(from.len());
    let mut url = &from[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*', '_']);
        let trimmed = match trimmed.strip_suffix(')') {
            Some(t) if t.matches('(').count() <= t.matches(')').count() => t,
            _ => trimmed,
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    if url.len() <= "https://".len() {
        return 0;
    }
    out.push('<');
    out.push_str(url);
    out.push('>');
    url.len()
}

/// `[` that opens no Markdown link (`[text](url)`, within the paragraph),
/// escaped so that rustdoc does not look for an item of that name.
fn bracket(from: &str, out: &mut String) -> usize {
    let paragraph = &from[..from.find("\n\n").unwrap_or(from.len())];
    let link = paragraph.find(']').is_some_and(|close| paragraph[close + 1..].starts_with('('));
    if link || out.ends_with('\\') {
        return 0;
    }
    out.push_str("\\[");
    1
}

/// `<` that opens no HTML rustdoc would accept (an autolink, or a tag whose
/// counterpart is in the text), escaped as `&lt;`.
fn angle(from: &str, tags: &Tags, out: &mut String) -> usize {
    let rest = &from[1..];
    if rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("mailto:") {
        return 0;
    }
    match tag(rest) {
        // Copied whole, so that a URL in an attribute stays as it is.
        Some(t) if tags.keeps(&t) => {
            out.push_str(&from[..1 + t.len]);
            1 + t.len
        }
        Some(_) => {
            out.push_str("&lt;");
            1
        }
        // `a < b`, `<=`: no tag to rustdoc.
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> String {
        super::clean(text, &Tags::of(text))
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(clean("see https://a.example/x."), "see <https://a.example/x>.");
        assert_eq!(clean("(docs: http://a.example/b_(c))"), "(docs: <http://a.example/b_(c)>)");
        assert_eq!(clean("at https://a.example/x, then"), "at <https://a.example/x>, then");
        assert_eq!(clean("(https://a.example)"), "(<https://a.example>)");
        assert_eq!(clean("curl 'https://a.example/x?a=1&b=2'"), "curl '<https://a.example/x?a=1&b=2>'");
    }

    #[test]
    fn brackets_that_link_nothing_are_escaped() {
        assert_eq!(clean("projects/[PROJECT_ID]/x"), "projects/\\[PROJECT_ID]/x");
        assert_eq!(clean("a [google.protobuf.Duration][] b"), "a \\[google.protobuf.Duration]\\[] b");
        assert_eq!(clean("[user:a@b.example]"), "\\[user:a@b.example]");
    }

    #[test]
    fn placeholders_in_angle_brackets_are_escaped() {
        assert_eq!(clean("as <key>:<value>"), "as &lt;key>:&lt;value>");
        assert_eq!(clean("<language code>-<country code>"), "&lt;language code>-&lt;country code>");
        assert_eq!(clean("one<p/>two"), "one&lt;p/>two");
        assert_eq!(clean("use <b> tags"), "use &lt;b> tags");
    }

    #[test]
    fn links_html_and_code_are_kept() {
        for kept in [
            "[here](https://a.example)",
            "read the [Structured Outputs\nguide](/docs/guides)",
            "[https://a.example](https://a.example)",
            "<https://a.example>",
            "<a href=\"https://a.example\">x</a>",
            "<b>bold</b> and <br> and <br/>",
            "<p>one\ntwo</p>",
            "`curl https://a.example/[id]/<key>`",
            "the http:// scheme",
            "a < b and c <= d",
            "already \\[escaped]",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }
}
