//! Responses: the success type (one body, or an enum by status), the
//! streaming form, and the enum of documented error bodies.

use super::bodies::media_examples;
use super::schema::Converter;
use super::view::RefOr;
use super::{
    Body, BodyKind, Docs, ErrorEnum, ErrorVariant, NamedType, Prim, ResponseBody, StatusMatch, StreamForm, Success,
    SuccessEnum, SuccessVariant, TypeId, TypeKind, TypeRef,
};
use crate::ground::diag::Code;
use crate::ground::naming::{self, NameSet};

/// The success variant for a 2xx status the spec does not list.
const OTHER: &str = "Other";
use crate::ground::pointer::child;
use openapiv3::{MediaType, ReferenceOr, Response, StatusCode};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Media {
    Json,
    Text,
    Binary,
    Events,
}

fn media(m: &str) -> Media {
    let m = m.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if m == "text/event-stream" {
        Media::Events
    } else if m.contains("json") {
        Media::Json
    } else if m.starts_with("text/") || m.ends_with("+xml") || m == "application/xml" {
        Media::Text
    } else {
        Media::Binary
    }
}

/// One response's body, and its `text/event-stream` alternative if it has
/// one beside another media type.
fn response_body<'a>(
    conv: &mut Converter<'a, '_>,
    r: &'a Response,
    hint: &str,
    ptr: &str,
) -> (ResponseBody, Option<ResponseBody>) {
    let mut list: Vec<(&'a String, &'a MediaType, Media)> = r.content.iter().map(|(k, m)| (k, m, media(k))).collect();
    list.sort_by_key(|(_, _, m)| match m {
        Media::Json => 0,
        Media::Text => 1,
        Media::Binary => 2,
        Media::Events => 3,
    });
    let mut primary = None;
    let mut events = None;
    for (media_type, m, kind) in list {
        let mptr = child(&child(ptr, "content"), media_type);
        let body = match kind {
            Media::Json => {
                let ty = match &m.schema {
                    Some(s) => conv.convert(RefOr::of(s), hint, &child(&mptr, "schema")),
                    None => TypeRef::any(),
                };
                for ex in media_examples(m) {
                    conv.examples.push(super::Example::new(ty.required().clone(), ex, mptr.clone()));
                }
                ResponseBody::Json(ty)
            }
            Media::Events => {
                let data = match &m.schema {
                    Some(s) => conv.convert(RefOr::of(s), &format!("{hint}Event"), &child(&mptr, "schema")),
                    None => TypeRef::Prim(Prim::String),
                };
                let json = data.required() != &TypeRef::Prim(Prim::String);
                let body = ResponseBody::Events { data, json, end: None };
                if primary.is_some() {
                    events.get_or_insert(body);
                    continue;
                }
                body
            }
            Media::Text => ResponseBody::Text,
            Media::Binary => ResponseBody::Binary,
        };
        if primary.is_none() {
            primary = Some(body);
        }
    }
    (primary.unwrap_or(ResponseBody::Empty), events)
}

fn status_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("Status{c}"),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".to_string(),
    }
}

fn status_key(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".into(),
    }
}

type Listed<'a> = Vec<(StatusMatch, &'a ReferenceOr<Response>)>;

/// Successes (2xx, or `default` when there is none) and errors.
fn split(op: &openapiv3::Operation) -> (Listed<'_>, Listed<'_>) {
    let mut successes = Vec::new();
    let mut errors = Vec::new();
    for (code, r) in op.responses.responses.iter() {
        let (status, success) = match code {
            StatusCode::Code(c) => (StatusMatch::Code(*c), (200..300).contains(c)),
            StatusCode::Range(r) => (StatusMatch::Range(*r as u8), *r == 2),
        };
        if success {
            successes.push((status, r));
        } else {
            errors.push((status, r));
        }
    }
    if let Some(d) = &op.responses.default {
        if successes.is_empty() {
            successes.push((StatusMatch::Default, d));
        } else {
            errors.push((StatusMatch::Default, d));
        }
    }
    (successes, errors)
}

pub(super) fn responses<'a>(
    conv: &mut Converter<'a, '_>,
    op: &'a openapiv3::Operation,
    pascal: &str,
    ptr: &str,
    bodies: &[Body],
    lenient_default: bool,
) -> (Success, Option<StreamForm>, Option<TypeId>) {
    let (successes, errors) = split(op);
    let mut found: Vec<(StatusMatch, ResponseBody, Docs)> = Vec::new();
    let mut events = None;
    for (status, r) in &successes {
        let rptr = child(ptr, &status_key(*status));
        let (resp, rptr) = match conv.resolver.response_at(r, &rptr) {
            Ok(found) => found,
            Err(e) => {
                conv.diags.add(Code::ResponseBody, &rptr, format!("{e}; this status gives no typed body"));
                continue;
            }
        };
        let (body, alt) = response_body(conv, resp, &format!("{pascal}Response"), &rptr);
        if events.is_none() {
            events = alt;
        }
        let docs = Docs {
            title: None,
            description: Some(resp.description.clone()).filter(|d| !d.trim().is_empty()),
            deprecated: false,
        };
        found.push((*status, body, docs));
    }
    let mut success = success_type(conv, pascal, ptr, found);
    // A body of events alone ends as its operation declares or says.
    if let Success::One(ResponseBody::Events { data, end, .. }) = &mut success {
        *end = stream_end(conv, op, false, data);
    }
    let stream = match (&success, events) {
        (_, Some(ResponseBody::Events { data, json, .. })) => {
            let flag = stream_flag(conv, bodies);
            let end = stream_end(conv, op, flag.is_some(), &data);
            Some(StreamForm::Events { data, json, flag, end })
        }
        (Success::One(ResponseBody::Binary), _) => Some(StreamForm::Bytes),
        _ => None,
    };
    (success, stream, error_type(conv, &errors, pascal, ptr, lenient_default))
}

/// One body when every 2xx agrees (an empty one making JSON optional),
/// else an enum with a variant per status.
fn success_type(
    conv: &mut Converter<'_, '_>,
    pascal: &str,
    ptr: &str,
    found: Vec<(StatusMatch, ResponseBody, Docs)>,
) -> Success {
    let bodies: Vec<&ResponseBody> = found.iter().map(|(_, b, _)| b).filter(|b| **b != ResponseBody::Empty).collect();
    let any_empty = bodies.len() < found.len();
    match bodies.first() {
        None => return Success::One(ResponseBody::Empty),
        Some(first) if bodies.iter().all(|b| b == first) => {
            return Success::One(match (*first).clone() {
                ResponseBody::Json(t) if any_empty => ResponseBody::Json(t.optional()),
                other => other,
            });
        }
        Some(_) => {}
    }
    // `Other` is the variant for statuses the spec does not list.
    let mut names = NameSet::with_reserved(&[OTHER]);
    let has_default = found.iter().any(|(status, _, _)| *status == StatusMatch::Default);
    let variants = found
        .into_iter()
        .map(|(status, body, docs)| SuccessVariant { name: names.claim(&status_name(status)), status, body, docs })
        .collect();
    let name = conv.type_names.claim(&naming::safe_type_name(&format!("{pascal}Success")));
    let docs =
        Docs { title: None, description: Some("The successful responses, by status.".into()), deprecated: false };
    let kind = TypeKind::SuccessEnum(SuccessEnum { variants, other: (!has_default).then(|| OTHER.to_string()) });
    Success::ByStatus(conv.space_add(NamedType { name, docs, origin: ptr.to_string(), kind }))
}

/// The marker OpenAI's streams end with.
const DONE: &str = "[DONE]";

/// The data of the event that ends an operation's stream:
/// 1. the operation's `x-stream-end` (a string; `false` or `null` for none),
///    which an overlay can set;
/// 2. `[DONE]` when the operation's text says its stream ends with `data: [DONE]`;
/// 3. `[DONE]` for OpenAI's convention: a `stream: true` body flag and
///    events of one object type (chat and text completions), not a union of
///    typed events (the Responses API, which ends with its own event);
/// 4. otherwise none.
fn stream_end(conv: &Converter<'_, '_>, op: &openapiv3::Operation, flagged: bool, data: &TypeRef) -> Option<String> {
    if let Some(declared) = op.extensions.get("x-stream-end") {
        return declared.as_str().map(str::to_string);
    }
    if serde_json::to_string(op).is_ok_and(|text| text.contains("data: [DONE]")) {
        return Some(DONE.to_string());
    }
    let one_type = match conv.space.unalias(data) {
        TypeRef::Named(id) => matches!(conv.space.get(*id).kind, TypeKind::Struct(_)),
        _ => false,
    };
    (flagged && one_type).then(|| DONE.to_string())
}

/// The boolean body property the streaming call sets (OpenAI's `stream`).
fn stream_flag(conv: &Converter<'_, '_>, bodies: &[Body]) -> Option<String> {
    let body = bodies.iter().find(|b| b.kind == BodyKind::Json)?;
    let TypeRef::Named(id) = conv.space.unalias(&body.ty) else { return None };
    let TypeKind::Struct(s) = &conv.space.get(*id).kind else { return None };
    s.fields
        .iter()
        .find(|f| f.wire == "stream" && matches!(conv.space.unalias(f.ty.required()), TypeRef::Prim(Prim::Bool)))
        .map(|f| f.wire.clone())
}

/// The operation's error enum; with `lenient_default`, its `default`
/// response was added by `undeclared_errors` and a body that does not fit it
/// stays an untyped error.
fn error_type<'a>(
    conv: &mut Converter<'a, '_>,
    errors: &Listed<'a>,
    pascal: &str,
    ptr: &str,
    lenient_default: bool,
) -> Option<TypeId> {
    let mut variants = Vec::new();
    let mut names = NameSet::new();
    for (status, r) in errors {
        let rptr = child(ptr, &status_key(*status));
        let (resp, rptr) = match conv.resolver.response_at(r, &rptr) {
            Ok(found) => found,
            Err(e) => {
                conv.diags.add(Code::ResponseBody, &rptr, format!("{e}; this status gives an untyped error"));
                continue;
            }
        };
        let name = status_name(*status);
        if let (ResponseBody::Json(ty), _) = response_body(conv, resp, &format!("{pascal}{name}"), &rptr) {
            let docs = Docs {
                title: None,
                description: Some(resp.description.clone()).filter(|d| !d.is_empty()),
                deprecated: false,
            };
            let lenient = lenient_default && matches!(status, StatusMatch::Default);
            variants.push(ErrorVariant { name: names.claim(&name), status: *status, ty, docs, lenient });
        }
    }
    if variants.is_empty() {
        return None;
    }
    variants.sort_by_key(|v| v.status);
    let name = conv.type_names.claim(&naming::safe_type_name(&format!("{pascal}Error")));
    let docs = Docs { title: None, description: Some("Documented error responses.".into()), deprecated: false };
    Some(conv.space_add(NamedType {
        name,
        docs,
        origin: ptr.to_string(),
        kind: TypeKind::ErrorEnum(ErrorEnum { variants }),
    }))
}
