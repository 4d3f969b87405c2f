//! Which operations list pages of items, and how the next page is asked for.
//!
//! Detected from the spec for the common conventions, in this order:
//! - a cursor in the query and the next one in the body: OpenAI's `after`,
//!   with `has_more` and `last_id` or the last item's `id`;
//! - a token in the body (`next_page_token`, `nextPageToken`, `next_cursor`, ..)
//!   sent back in a query parameter (`page_token`, `pageToken`, `cursor`, ..);
//! - a link in the body (`next`, `nextLink`, `@odata.nextLink`, `next_url`);
//! - a `Link` response header (GitHub);
//! - a timestamp cursor (`cursor_time`) sent back from the last item's
//!   creation time (`created_at`, a string or Unix seconds);
//! - a page number (`page`, with `per_page`, `page_size` or `limit`);
//! - an offset (`offset` or `skip`, with `limit`).
//!
//! An operation's `x-pagination` (which an overlay or the manifest can set)
//! declares it instead: `false`, or `{style, param, items, next, item_key,
//! has_more, size}`. Only `GET` operations with one JSON success body whose
//! items are an array are paginated.

use super::{
    HttpMethod, Operation, ParamLocation, Prim, ResponseBody, StringFormat, Success, TypeKind, TypeRef, TypeSpace,
};
use crate::ground::declared::{Declared, OperationKey};
use crate::ground::diag::{Code, Diagnostics};
use serde_json::Value;

/// How an operation pages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Paging {
    /// The page's member holding the items; `None`: the page is the array.
    pub items: Option<String>,
    /// An item's type.
    pub item: TypeRef,
    /// A page's type (the operation's success body).
    pub page: TypeRef,
    pub next: PageNext,
    /// Declared by `x-pagination` rather than detected.
    pub declared: bool,
}

/// How the next page is asked for (see the runtime's `Next`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PageNext {
    Cursor { param: String, from: Option<String>, item_key: Option<String>, has_more: Option<String> },
    Token { param: String, from: String },
    Link { from: String },
    LinkHeader,
    Time { param: String, item_key: String, size: Option<String> },
    Page { param: String, size: Option<String> },
    Offset { param: String, size: Option<String> },
}

impl Paging {
    /// One line for the report: `cursor after <- last_id or items[-1].id while has_more; items in data`.
    pub(crate) fn describe(&self) -> String {
        let next = match &self.next {
            PageNext::Cursor { param, from, item_key, has_more } => {
                let mut sources: Vec<String> = from.iter().cloned().collect();
                sources.extend(item_key.iter().map(|k| format!("the last item's {k}")));
                let more =
                    has_more.as_ref().map_or(" until a page has no items".to_string(), |m| format!(" while {m}"));
                format!("cursor {param} <- {}{more}", sources.join(" or "))
            }
            PageNext::Token { param, from } => format!("token {param} <- {from}"),
            PageNext::Link { from } => format!("next link in {from}"),
            PageNext::LinkHeader => "Link header rel=next".to_string(),
            PageNext::Time { param, item_key, size } => {
                format!("timestamp cursor {param} <- the last item's {item_key}{}", sized(size))
            }
            PageNext::Page { param, size } => format!("page number {param}{}", sized(size)),
            PageNext::Offset { param, size } => format!("offset {param}{}", sized(size)),
        };
        let items = self.items.as_deref().map_or("the page is the list".to_string(), |i| format!("items in {i}"));
        let how = if self.declared { "declared" } else { "detected" };
        format!("{next}; {items} ({how})")
    }
}

fn sized(size: &Option<String>) -> String {
    size.as_ref().map_or(String::new(), |s| format!(" (page size {s})"))
}

const ITEM_MEMBERS: &[&str] = &["data", "items", "results", "value", "entries", "records", "elements"];
const CURSOR_PARAMS: &[&str] = &["after", "starting_after"];
const TOKEN_MEMBERS: &[&str] = &[
    "next_page_token",
    "nextPageToken",
    "next_cursor",
    "nextCursor",
    "next_token",
    "nextToken",
    "continuation_token",
    "next_page",
];
const TOKEN_PARAMS: &[&str] =
    &["page_token", "pageToken", "cursor", "next_token", "nextToken", "continuation_token", "token", "after", "page"];
const LINK_MEMBERS: &[&str] =
    &["@odata.nextLink", "nextLink", "next_link", "next", "next_url", "nextUrl", "next_page_url"];
const TIME_PARAMS: &[&str] = &["cursor_time", "cursorTime", "cursor_timestamp"];
const TIME_MEMBERS: &[&str] = &["created_at", "createdAt", "created", "timestamp"];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip"];
const SIZE_PARAMS: &[&str] = &["per_page", "page_size", "pageSize", "limit", "size", "count", "top", "$top"];

/// Where paging is declared besides an operation's own `x-pagination`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sources<'a> {
    /// Page by the conventions above when nothing declares paging.
    pub detect: bool,
    /// The manifest's `[[pagination]]`, which wins over `x-pagination`.
    pub declared: &'a Declared,
}

/// Decide each operation's paging: what the manifest declares, its
/// `x-pagination`, or (unless detection is off) the conventions above. A
/// declaration that does not fit the operation is a warning at its pointer.
pub(crate) fn decide(
    space: &TypeSpace,
    api: &openapiv3::OpenAPI,
    operations: &mut [Operation],
    sources: Sources<'_>,
    diags: &mut Diagnostics,
) {
    let detect = sources.detect;
    for op in operations.iter_mut() {
        let Some(raw) = raw_operation(api, op) else { continue };
        let ptr = crate::ground::pointer::join(["paths", op.path.as_str(), op.method.key(), "x-pagination"]);
        let key = OperationKey::new(&op.path, op.method);
        op.pagination = match sources.declared.pagination.get(&key).or(raw.extensions.get("x-pagination")) {
            Some(Value::Bool(false)) => None,
            Some(declared) => match declare(space, op, declared) {
                Ok(p) => Some(p),
                Err(e) => {
                    diags.add(Code::Pagination, &ptr, format!("x-pagination: {e}; the operation is not paginated"));
                    None
                }
            },
            None if detect => detected(space, op, link_header(api, raw)),
            None => None,
        };
    }
}

pub(super) fn raw_operation<'a>(api: &'a openapiv3::OpenAPI, op: &Operation) -> Option<&'a openapiv3::Operation> {
    match api.paths.paths.get(&op.path)? {
        openapiv3::ReferenceOr::Item(item) => item.iter().find(|(m, _)| *m == op.method.key()).map(|(_, o)| o),
        openapiv3::ReferenceOr::Reference { .. } => None,
    }
}

/// A 2xx response of the operation declares a `Link` header.
fn link_header(api: &openapiv3::OpenAPI, op: &openapiv3::Operation) -> bool {
    let resolver = crate::stages::resolve::Resolver::new(api);
    op.responses.responses.iter().any(|(status, r)| {
        let success = matches!(status, openapiv3::StatusCode::Code(c) if (200..300).contains(c))
            || matches!(status, openapiv3::StatusCode::Range(2));
        success && resolver.response(r).is_ok_and(|r| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
    })
}

/// The page type, the member holding its items (if not the page itself) and an item's type.
fn items(space: &TypeSpace, op: &Operation, declared: Option<&str>) -> Option<(TypeRef, Option<String>, TypeRef)> {
    let Success::One(ResponseBody::Json(page)) = &op.success else { return None };
    let page = page.required().clone();
    if let TypeRef::Vec(item) = space.unalias(&page) {
        return declared.is_none().then(|| (page.clone(), None, (**item).clone()));
    }
    let TypeRef::Named(id) = space.unalias(&page) else { return None };
    let TypeKind::Struct(s) = &space.get(*id).kind else { return None };
    let arrays: Vec<(&str, &TypeRef)> = s
        .fields
        .iter()
        .filter_map(|f| match space.unalias(f.ty.required()) {
            TypeRef::Vec(item) => Some((f.wire.as_str(), &**item)),
            _ => None,
        })
        .collect();
    let found = match declared {
        Some(name) => arrays.iter().find(|(w, _)| *w == name),
        None => ITEM_MEMBERS
            .iter()
            .find_map(|m| arrays.iter().find(|(w, _)| w == m))
            .or_else(|| (arrays.len() == 1).then(|| &arrays[0])),
    }?;
    Some((page.clone(), Some(found.0.to_string()), found.1.clone()))
}

/// The page's members: (wire name, type).
fn members<'a>(space: &'a TypeSpace, page: &TypeRef) -> Vec<(&'a str, &'a TypeRef)> {
    match space.unalias(page) {
        TypeRef::Named(id) => match &space.get(*id).kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| (f.wire.as_str(), space.unalias(f.ty.required()))).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn detected(space: &TypeSpace, op: &Operation, link_header: bool) -> Option<Paging> {
    if op.method != HttpMethod::Get {
        return None;
    }
    let (page, items, item) = items(space, op, None)?;
    let query_of = |want: fn(&TypeRef) -> bool| -> Vec<&str> {
        op.params
            .iter()
            .filter(|p| p.location == ParamLocation::Query && !p.required && want(space.unalias(&p.ty)))
            .map(|p| p.wire.as_str())
            .collect()
    };
    let query = query_of(|_| true);
    let strings = query_of(|t| matches!(t, TypeRef::Prim(Prim::String)));
    let times = query_of(|t| matches!(t, TypeRef::Prim(Prim::String | Prim::Formatted(StringFormat::DateTime))));
    let integers = query_of(|t| matches!(t, TypeRef::Prim(Prim::I64 | Prim::I32 | Prim::U64 | Prim::U32)));
    let members = members(space, &page);
    let member = |names: &[&str], want: fn(&TypeRef) -> bool| {
        names.iter().find(|n| members.iter().any(|(w, t)| w == *n && want(t))).map(|n| n.to_string())
    };
    let param = |names: &[&str], among: &[&str]| names.iter().find(|n| among.contains(n)).map(|n| n.to_string());
    let is_string = |t: &TypeRef| matches!(t, TypeRef::Prim(Prim::String));
    let is_bool = |t: &TypeRef| matches!(t, TypeRef::Prim(Prim::Bool));
    let item_id = member_of(space, &item, "id");
    // OpenAI's cursor: `has_more` or `last_id` says it is one (an `after`
    // alone is often an opaque cursor from elsewhere, such as GitHub's Link).
    let last_id = member(&["last_id", "next", "next_cursor"], is_string);
    let cursor_page = member(&["has_more"], is_bool).is_some() || last_id.is_some();
    let next =
        if let (Some(param), true) = (param(CURSOR_PARAMS, &strings), cursor_page && (item_id || last_id.is_some())) {
            PageNext::Cursor {
                param,
                from: last_id,
                item_key: item_id.then(|| "id".to_string()),
                has_more: member(&["has_more"], is_bool),
            }
        } else if let (Some(from), Some(param)) = (member(TOKEN_MEMBERS, is_string), param(TOKEN_PARAMS, &strings)) {
            PageNext::Token { param, from }
        } else if let Some(from) = member(LINK_MEMBERS, is_string) {
            PageNext::Link { from }
        } else if link_header {
            PageNext::LinkHeader
        } else if let (Some(param), Some(item_key)) =
            (param(TIME_PARAMS, &times), TIME_MEMBERS.iter().find(|m| time_member_of(space, &item, m)))
        {
            PageNext::Time { param, item_key: item_key.to_string(), size: param_of(SIZE_PARAMS, &query) }
        } else if let Some(param) = param(PAGE_PARAMS, &integers) {
            PageNext::Page { param, size: param_of(SIZE_PARAMS, &query) }
        } else if let (Some(param), Some(size)) = (param(OFFSET_PARAMS, &integers), param_of(SIZE_PARAMS, &query)) {
            PageNext::Offset { param, size: Some(size) }
        } else {
            return None;
        };
    Some(Paging { items, item, page, next, declared: false })
}

fn param_of(names: &[&str], query: &[&str]) -> Option<String> {
    names.iter().find(|n| query.contains(n)).map(|n| n.to_string())
}

/// An item of this type has a string or integer member `name`.
fn member_of(space: &TypeSpace, item: &TypeRef, name: &str) -> bool {
    members(space, item).iter().any(|(w, t)| {
        *w == name && matches!(t, TypeRef::Prim(Prim::String | Prim::I64 | Prim::I32 | Prim::U64 | Prim::U32))
    })
}

/// An item of this type has a member `name` holding a time: a string
/// (`date-time` or not) or an integer (Unix seconds).
fn time_member_of(space: &TypeSpace, item: &TypeRef, name: &str) -> bool {
    members(space, item).iter().any(|(w, t)| {
        *w == name
            && matches!(
                t,
                TypeRef::Prim(
                    Prim::String
                        | Prim::Formatted(StringFormat::DateTime)
                        | Prim::I64
                        | Prim::I32
                        | Prim::U64
                        | Prim::U32
                )
            )
    })
}

/// The paging an `x-pagination` object declares.
fn declare(space: &TypeSpace, op: &Operation, declared: &Value) -> Result<Paging, String> {
    let text = |key: &str| declared.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let style = text("style").ok_or("`style` is required (cursor, token, link, link-header, time, page or offset)")?;
    let wanted = text("items");
    let (page, items, item) = items(space, op, wanted.as_deref()).ok_or(match &wanted {
        Some(name) => format!("the success body has no array member `{name}`"),
        None => "the operation has no JSON list to page through (a body that is an array or holds one)".to_string(),
    })?;
    let param = || text("param").ok_or(format!("style `{style}` needs `param`, the query parameter"));
    let next = match style.as_str() {
        "cursor" => PageNext::Cursor {
            param: param()?,
            from: text("next"),
            item_key: text("item_key").or_else(|| text("next").is_none().then(|| "id".to_string())),
            has_more: text("has_more"),
        },
        "token" => PageNext::Token { param: param()?, from: text("next").ok_or("style `token` needs `next`")? },
        "link" => PageNext::Link { from: text("next").ok_or("style `link` needs `next`, the member with the URL")? },
        "link-header" => PageNext::LinkHeader,
        "time" => PageNext::Time {
            param: param()?,
            item_key: text("item_key").unwrap_or_else(|| "created_at".to_string()),
            size: text("size"),
        },
        "page" => PageNext::Page { param: param()?, size: text("size") },
        "offset" => PageNext::Offset { param: param()?, size: text("size") },
        other => return Err(format!("unknown style `{other}`")),
    };
    Ok(Paging { items, item, page, next, declared: true })
}
