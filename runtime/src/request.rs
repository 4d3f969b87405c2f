//! One request as generated code describes it, encoded as it is built:
//! the path, parameters, body, security and per-request options.

use crate::auth::Security;
use crate::body::{BinaryBody, BinaryInner, Encoded, ToMultipart};
use crate::encode::{self, QueryStyle};
use crate::retry::RetryPolicy;
use crate::upload::Streamed;
use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use std::time::Duration;

/// A request under construction. Invalid arguments are remembered and
/// reported by `send` as [`crate::Error::InvalidRequest`], before anything is sent.
#[derive(Debug)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// `(parameter, key, value)`: a parameter set twice replaces its pairs;
    /// the parameter is empty for one the spec does not list ([`Request::extra_query`]).
    pub(crate) query: Vec<(&'static str, String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) security: Security,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) max_retries: Option<u32>,
    /// The largest body read whole, instead of the client's (`Some(None)`: no limit).
    pub(crate) max_response_bytes: Option<Option<usize>>,
    pub(crate) error: Option<String>,
    /// The operation's name and path template, for traces (never the filled path).
    pub(crate) operation: &'static str,
    pub(crate) template: &'static str,
}

#[derive(Debug)]
pub(crate) enum Body {
    /// Bytes sent as they are on every attempt.
    Bytes { content_type: String, data: Bytes },
    /// A JSON object kept as bytes; flags like `stream: true` can still be set.
    Json { content_type: String, data: Vec<u8> },
    /// Sent as it is read (files, readers, multipart bodies with them);
    /// retried when it can be produced again.
    Stream { content_type: String, body: Streamed },
}

impl Request {
    pub fn new(method: Method, security: Security) -> Self {
        Request {
            method,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            security,
            timeout: None,
            retry: None,
            max_retries: None,
            max_response_bytes: None,
            error: None,
            operation: "",
            template: "",
        }
    }

    /// A request of the operation `operation` (its client method), whose
    /// path template is `template`: what traces name it by.
    pub fn for_operation(method: Method, security: Security, operation: &'static str, template: &'static str) -> Self {
        Request { operation, template, ..Request::new(method, security) }
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// A literal piece of the path template.
    pub fn path(&mut self, literal: &str) -> &mut Self {
        self.path.push_str(literal);
        self
    }

    /// A path parameter, encoded as exactly one segment.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        match encode::to_json(value).map(|v| encode::value_string(&v)).and_then(|raw| encode::path_segment(name, &raw))
        {
            Ok(segment) => self.path.push_str(&segment),
            Err(e) => self.fail(e),
        }
        self
    }

    /// A query parameter in its style; setting it again replaces the old value.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: QueryStyle) -> &mut Self {
        self.query.retain(|(p, _, _)| *p != name);
        match encode::to_json(value) {
            Ok(v) => self.query.extend(encode::query_pairs(name, &v, style).into_iter().map(|(k, v)| (name, k, v))),
            Err(e) => self.fail(format!("query parameter `{name}`: {e}")),
        }
        self
    }

    /// A header parameter; values with CR, LF or NUL are refused.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        let text = encode::param_string(value);
        if let Err(e) = encode::check_header_value(name, &text) {
            self.fail(e);
        }
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), text));
        self
    }

    /// A cookie parameter; merged with cookie credentials into one `Cookie` header.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> &mut Self {
        self.cookies.retain(|(n, _)| *n != name);
        self.cookies.push((name, encode::param_string(value)));
        self
    }

    /// A JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T, content_type: &str) -> &mut Self {
        match serde_json::to_vec(body) {
            Ok(data) => self.body = Some(Body::Json { content_type: content_type.to_string(), data }),
            Err(e) => self.fail(format!("cannot encode the body: {e}")),
        }
        self
    }

    /// Set a boolean member of a JSON object body (OpenAI's `stream: true`).
    pub fn json_flag(&mut self, member: &str, value: bool) -> &mut Self {
        if let Some(Body::Json { data, .. }) = &mut self.body {
            if let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice(data) {
                map.insert(member.to_string(), serde_json::Value::Bool(value));
                if let Ok(bytes) = serde_json::to_vec(&map) {
                    *data = bytes;
                }
            }
        }
        self
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T, content_type: &str) -> &mut Self {
        match encode::to_json(body) {
            Ok(v) => self.bytes(encode::form_string(&encode::form_pairs(&v)).into(), content_type),
            Err(e) => {
                self.fail(format!("cannot encode the form body: {e}"));
                self
            }
        }
    }

    /// A `multipart/form-data` body.
    pub fn multipart<T: ToMultipart + ?Sized>(&mut self, body: &T) -> &mut Self {
        let mut form = crate::body::Multipart::new();
        body.to_multipart(&mut form);
        if let Some(e) = form.take_error() {
            self.fail(e);
        }
        let (boundary, encoded) = form.encode();
        let content_type = format!("multipart/form-data; boundary={boundary}");
        match encoded {
            Encoded::Bytes(data) => self.bytes(data.into(), &content_type),
            Encoded::Streamed(body) => {
                self.body = Some(Body::Stream { content_type, body });
                self
            }
        }
    }

    /// A text body.
    pub fn text(&mut self, body: impl Into<String>, content_type: &str) -> &mut Self {
        self.bytes(Bytes::from(body.into()), content_type)
    }

    /// A binary body: bytes, or streamed (a file, retried; a reader, sent once).
    pub fn binary(&mut self, body: impl Into<BinaryBody>, content_type: &str) -> &mut Self {
        let body = body.into();
        self.body = Some(match body.0 {
            BinaryInner::Bytes(data) => Body::Bytes { content_type: content_type.to_string(), data },
            BinaryInner::Streamed(body) => Body::Stream { content_type: content_type.to_string(), body },
        });
        self
    }

    fn bytes(&mut self, data: Bytes, content_type: &str) -> &mut Self {
        self.body = Some(Body::Bytes { content_type: content_type.to_string(), data });
        self
    }

    /// This request's overall timeout, instead of the client's.
    pub fn set_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = Some(timeout);
        self
    }

    /// This request's retry policy, instead of the client's.
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) -> &mut Self {
        self.retry = Some(policy);
        self
    }

    /// Set the number of retries of this request, keeping the rest of the policy.
    pub fn set_max_retries(&mut self, max_retries: u32) -> &mut Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// The largest body this request reads whole (`None`: no limit), instead of the client's.
    pub fn set_max_response_bytes(&mut self, limit: Option<usize>) -> &mut Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// An extra header for this request (after the parameters; replaces one of the same name).
    pub fn extra_header(&mut self, name: &str, value: &str) -> &mut Self {
        if let Err(e) = encode::check_header_value(name, value) {
            self.fail(e);
        }
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// A query parameter the spec does not list, after the others; setting
    /// it again replaces the old value. Arrays repeat the name (`a=1&a=2`).
    pub fn extra_query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        self.query.retain(|(p, k, _)| !(p.is_empty() && k == name));
        match encode::to_json(value) {
            Ok(v) => {
                let pairs = encode::query_pairs(name, &v, QueryStyle::FormExplode);
                self.query.extend(pairs.into_iter().map(|(k, v)| ("", k, v)));
            }
            Err(e) => self.fail(format!("query parameter `{name}`: {e}")),
        }
        self
    }

    /// Sets a member of a JSON object body, replacing the typed field of that
    /// name if there is one (the way to send what a spec types wrongly).
    /// Without a JSON object body it is an error when sending.
    pub fn extra_body<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(e) => {
                self.fail(format!("body member `{name}`: {e}"));
                return self;
            }
        };
        let updated = match &self.body {
            Some(Body::Json { data, .. }) => match serde_json::from_slice(data) {
                Ok(serde_json::Value::Object(mut map)) => {
                    map.insert(name.to_string(), value);
                    serde_json::to_vec(&map).ok()
                }
                _ => None,
            },
            _ => None,
        };
        match (updated, &mut self.body) {
            (Some(bytes), Some(Body::Json { data, .. })) => *data = bytes,
            _ => self.fail(format!("body member `{name}`: the request has no JSON object body")),
        }
        self
    }

    /// A copy to send again (for the next page), unless the body is a
    /// stream that cannot be produced again.
    pub(crate) fn try_clone(&self) -> Option<Request> {
        let body = match &self.body {
            None => None,
            Some(Body::Bytes { content_type, data }) => {
                Some(Body::Bytes { content_type: content_type.clone(), data: data.clone() })
            }
            Some(Body::Json { content_type, data }) => {
                Some(Body::Json { content_type: content_type.clone(), data: data.clone() })
            }
            Some(Body::Stream { content_type, body }) if body.replayable() => {
                Some(Body::Stream { content_type: content_type.clone(), body: body.clone() })
            }
            Some(Body::Stream { .. }) => return None,
        };
        Some(Request {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body,
            security: self.security,
            timeout: self.timeout,
            retry: self.retry,
            max_retries: self.max_retries,
            max_response_bytes: self.max_response_bytes,
            error: self.error.clone(),
            operation: self.operation,
            template: self.template,
        })
    }

    /// The value of the query parameter `param`, as encoded (its first pair).
    pub(crate) fn query_value(&self, param: &str) -> Option<&str> {
        self.query.iter().find(|(p, _, _)| !param.is_empty() && *p == param).map(|(_, _, v)| v.as_str())
    }

    /// Ask for `path_and_query` (a link to the next page, already checked to
    /// be under the base URL) instead of the path and query built.
    pub(crate) fn follow(&mut self, path_and_query: &str) -> &mut Self {
        self.path = path_and_query.to_string();
        self.query.clear();
        self
    }

    /// The path and encoded query, as sent (for tests and logs; credentials in
    /// the query are added only when sending).
    pub fn path_and_query(&self) -> String {
        let pairs: Vec<(String, String)> = self.query.iter().map(|(_, k, v)| (k.clone(), v.clone())).collect();
        if pairs.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, encode::form_string(&pairs))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_encoded_and_replaced() {
        let mut r = Request::new(Method::GET, &[]);
        r.path("/a/").path_param("id", "x/y").path("/b");
        r.query("q", "a b", QueryStyle::FormExplode).query("list", &[1, 2], QueryStyle::FormCsv);
        r.query("q", "c&d", QueryStyle::FormExplode);
        assert_eq!(r.path_and_query(), "/a/x%2Fy/b?list=1%2C2&q=c%26d");
        assert!(r.error.is_none());
        r.path_param("id", "..");
        r.header("X-Trace", "a\r\nEvil: 1");
        assert_eq!(r.error.as_deref(), Some("path parameter `id` cannot be \"..\""), "the first error is kept");
    }

    #[test]
    fn extra_query_parameters_and_body_members_are_added_and_replaced() {
        let mut r = Request::new(Method::POST, &[]);
        r.path("/v1/x").query("limit", &5, QueryStyle::FormExplode);
        r.extra_query("api-version", "1").extra_query("tag", &["a", "b"]).extra_query("api-version", "2");
        assert_eq!(r.path_and_query(), "/v1/x?limit=5&tag=a&tag=b&api-version=2");
        r.extra_body("guided_json", &serde_json::json!({"type": "object"}));
        assert_eq!(r.error.as_deref(), Some("body member `guided_json`: the request has no JSON object body"));
        let mut r = Request::new(Method::POST, &[]);
        r.json(&serde_json::json!({"model": "m", "top_k": 1}), "application/json");
        r.extra_body("top_k", &5).extra_body("guided_json", &serde_json::json!({"type": "object"}));
        let Some(Body::Json { data, .. }) = &r.body else { panic!("json body") };
        let v: serde_json::Value = serde_json::from_slice(data).unwrap();
        assert_eq!(v, serde_json::json!({"model": "m", "top_k": 5, "guided_json": {"type": "object"}}));
        assert!(r.error.is_none());
    }

    #[test]
    fn the_stream_flag_is_set_on_json_bodies() {
        let mut r = Request::new(Method::POST, &[]);
        r.json(&serde_json::json!({"model": "m", "stream": false}), "application/json").json_flag("stream", true);
        let Some(Body::Json { data, .. }) = &r.body else { panic!("json body") };
        let v: serde_json::Value = serde_json::from_slice(data).unwrap();
        assert_eq!(v, serde_json::json!({"model": "m", "stream": true}));
    }
}
