//! What the stages know of HTTP: the methods a path item may hold. Ground
//! every stage stands on; it imports none.

/// The method of an operation, a path item's key in lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Every method, in the order OpenAPI lists a path item's fields.
    pub(crate) const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The method of a path item's key (`get`, `post`, ...).
    pub(crate) fn from_key(key: &str) -> Option<Self> {
        HttpMethod::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Its key in a path item: `get`, `post`, ...
    pub(crate) fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// `GET`, `POST`, ...: as HTTP and `reqwest::Method`'s constants spell it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Is this key of a path item an operation?
pub(crate) fn is_method(key: &str) -> bool {
    HttpMethod::from_key(key).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_names_round_trip() {
        for m in HttpMethod::ALL {
            assert_eq!(HttpMethod::from_key(m.key()), Some(m));
            assert_eq!(m.as_str().to_ascii_lowercase(), m.key());
        }
        assert_eq!(HttpMethod::from_key("GET"), None, "keys are lowercase");
        assert!(!is_method("parameters"));
    }
}
