//! A request's URL: the client's base URL, parsed once, with the
//! operation's path and query.

use reqwest::Url;

/// The base URL as configured, and parsed when it can take a path: the
/// host of every request is then parsed once, not once per request.
#[derive(Clone)]
pub(crate) struct Base {
    text: String,
    parsed: Option<Url>,
}

impl Base {
    pub(crate) fn new(url: String) -> Base {
        let text = url.trim_end_matches('/').to_string();
        let parsed =
            Url::parse(&text).ok().filter(|u| !u.cannot_be_a_base() && u.query().is_none() && u.fragment().is_none());
        Base { text, parsed }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The URL of `path` (the operation's path, filled and encoded; it may
    /// carry a fixed query) with the query `pairs`, form-encoded: the same
    /// URL as parsing the base URL and the path written one after the other.
    pub(crate) fn join(&self, path: &str, pairs: &[(String, String)]) -> Result<Url, String> {
        match &self.parsed {
            // A path that is not one (no leading slash) would change the
            // host or port it is written after: parsed whole, as written.
            Some(base) if (path.is_empty() || path.starts_with('/')) && !path.contains('#') => {
                let (path, fixed) = match path.split_once('?') {
                    Some((path, query)) => (path, Some(query)),
                    None => (path, None),
                };
                let mut url = base.clone();
                let mut full = String::with_capacity(base.path().len() + path.len());
                full.push_str(base.path().trim_end_matches('/'));
                full.push_str(path);
                url.set_path(&full);
                let query = match (fixed, pairs.is_empty()) {
                    (fixed, true) => fixed.map(str::to_string),
                    (None, false) => Some(crate::encode::form_string(pairs)),
                    (Some(fixed), false) => Some(format!("{fixed}&{}", crate::encode::form_string(pairs))),
                };
                url.set_query(query.as_deref());
                Ok(url)
            }
            _ => Url::parse(&self.written(path, pairs)).map_err(|e| e.to_string()),
        }
    }

    /// The URL as text, base and path one after the other.
    fn written(&self, path: &str, pairs: &[(String, String)]) -> String {
        let mut url = format!("{}{path}", self.text);
        if !pairs.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&crate::encode::form_string(pairs));
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::Base;
    use reqwest::Url;

    #[test]
    fn joined_urls_are_the_urls_parsed_from_the_whole_text() {
        let bases = [
            "http://127.0.0.1:9",
            "https://api.example.com/",
            "https://api.example.com/v1",
            "https://api.example.com/v1/",
            "https://Bücher.example/v1",
            "http://[::1]:8080/a b/",
            "https://h.example/v1?key=1",
            "https://h.example/v1#top",
            "mailto:someone@example.com",
            "not a url",
            "",
        ];
        let paths = [
            "/chat/completions",
            "",
            "/",
            "chat",
            "/files/a%2Fb/content",
            "/x?fixed=1",
            "/x?",
            "/a b/ü/%zz/./../c",
            "/a\\b",
            "/x#frag",
            "//double",
            "/q?a=1#f",
            "/a?b?c",
            "/..",
            "/v2/../x/.",
            "/%7E/%2e%2E/tab\there",
        ];
        let pairs: [&[(&str, &str)]; 3] = [&[], &[("limit", "10")], &[("q", "a b&c=d"), ("ü", "#")]];
        for base in bases {
            let base = Base::new(base.to_string());
            for path in paths {
                for pairs in pairs {
                    let pairs: Vec<(String, String)> =
                        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                    let whole = Url::parse(&base.written(path, &pairs)).map_err(|e| e.to_string());
                    assert_eq!(base.join(path, &pairs), whole, "{:?} + {path:?} + {pairs:?}", base.text);
                }
            }
        }
        assert!(Base::new("https://api.example.com/v1".into()).parsed.is_some(), "the fast path is taken");
    }
}
