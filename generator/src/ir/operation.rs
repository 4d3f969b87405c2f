//! Operations: parameters, bodies, responses and auth of every path item.

use super::naming::{self, NameSet};
use super::schema::Converter;
use super::view::RefOr;
use super::{
    AuthKind, Body, BodyKind, Docs, ErrorEnum, ErrorVariant, NamedType, Operation, Param, ParamLocation,
    PathPart, Prim, QueryStyle, ResponseBody, SecurityScheme, StatusMatch, TypeKind, TypeRef,
};
use crate::diag::{child, Diagnostic};
use crate::normalize::X_EXAMPLES;
use openapiv3::{
    APIKeyLocation, MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, Response, StatusCode,
};
use serde_json::Value;

/// Method names the client itself uses.
const CLIENT_METHODS: &[&str] = &[
    "new", "from_env", "from_env_vars", "with_http_client", "with_base_url", "base_url", "http_client", "bearer_token",
    "basic_auth", "api_key", "request", "clone", "fmt", "default",
];

pub fn operations(conv: &mut Converter<'_, '_>) -> Vec<super::Operation> {
    let api = conv.resolver.api();
    let mut method_names = NameSet::with_reserved(CLIENT_METHODS);
    let mut out = Vec::new();
    for (path, item) in api.paths.paths.iter() {
        let item_ptr = child("#/paths", path);
        let item: &PathItem = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { reference } => {
                conv.diags.push(Diagnostic::skipped(&item_ptr, format!("path item $ref {reference:?} is not supported")));
                continue;
            }
        };
        for (method, op) in item.iter() {
            let ptr = child(&item_ptr, method);
            match operation(conv, path, method, item, op, &ptr, &mut method_names) {
                Ok(o) => out.push(o),
                Err(reason) => conv.diags.push(Diagnostic::skipped(&ptr, reason)),
            }
        }
    }
    out
}

fn operation<'a>(
    conv: &mut Converter<'a, '_>,
    path: &str,
    method: &str,
    item: &'a PathItem,
    op: &'a openapiv3::Operation,
    ptr: &str,
    method_names: &mut NameSet,
) -> Result<Operation, String> {
    let base = match &op.operation_id {
        Some(id) if !id.trim().is_empty() => naming::value_name(naming::strip_fastapi_suffix(id, path, method)),
        _ => naming::method_path_name(method, path),
    };
    let name = method_names.claim(&base);
    let pascal = naming::type_name(naming::unraw(&name));

    // The generated method body uses these names for its own locals.
    let mut arg_names = NameSet::with_reserved(&["body", "self_", "request", "response", "query", "url", "path", "cookies", "value"]);
    let mut params: Vec<Param> = Vec::new();
    // Path-level parameters first; an operation parameter of the same name and place replaces one.
    let all = item.parameters.iter().map(|p| (p, "parameters")).chain(op.parameters.iter().map(|p| (p, "op")));
    let mut resolved: Vec<(&'a Parameter, String)> = Vec::new();
    for (i, (p, origin)) in all.enumerate() {
        let pptr = if origin == "op" {
            child(&child(ptr, "parameters"), &(i - item.parameters.len()).to_string())
        } else {
            let item_ptr = ptr.rsplit_once('/').map(|(a, _)| a).unwrap_or(ptr);
            child(&child(item_ptr, "parameters"), &i.to_string())
        };
        let param = conv.resolver.parameter(p).map_err(|e| format!("parameter: {e}"))?;
        let data = param.parameter_data_ref();
        resolved.retain(|(q, _)| !(q.parameter_data_ref().name == data.name && same_location(q, param)));
        resolved.push((param, pptr));
    }
    for (param, pptr) in resolved {
        let data = param.parameter_data_ref();
        let (location, style) = match param {
            Parameter::Path { .. } => (ParamLocation::Path, QueryStyle::FormCsv),
            Parameter::Header { .. } => (ParamLocation::Header, QueryStyle::FormCsv),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, QueryStyle::FormCsv),
            Parameter::Query { style, .. } => (ParamLocation::Query, query_style(style, data.explode)),
        };
        if location == ParamLocation::Header && is_managed_header(&data.name) {
            continue;
        }
        let hint = format!("{pascal}{}", naming::type_name(&data.name));
        let (ty, examples) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                let t = conv.convert(RefOr::of(s), &hint, &child(&pptr, "schema"));
                let ex = match s {
                    ReferenceOr::Item(s) => super::view::View::of(s).examples().into_iter().cloned().collect(),
                    ReferenceOr::Reference { .. } => Vec::new(),
                };
                (t, ex)
            }
            ParameterSchemaOrContent::Content(_) => (TypeRef::Prim(Prim::String), Vec::new()),
        };
        params.push(Param {
            name: arg_names.claim(&naming::value_name(&data.name)),
            wire: data.name.clone(),
            location,
            ty: ty.required().clone(),
            required: data.required || location == ParamLocation::Path,
            style,
            docs: Docs { title: None, description: data.description.clone(), deprecated: data.deprecated.unwrap_or(false) },
            examples,
        });
    }
    let path_parts = path_template(path, &mut params, &mut arg_names, conv, ptr);

    let body = match &op.request_body {
        Some(b) => {
            let b = conv.resolver.request_body(b).map_err(|e| format!("request body: {e}"))?;
            request_body(conv, b, &pascal, &child(ptr, "requestBody"))?
        }
        None => None,
    };
    let (success, error_type) = responses(conv, op, &pascal, &child(ptr, "responses"));
    let security = security(conv, op, ptr);
    // Arguments: path parameters in template order, then the rest as declared.
    let mut order: Vec<usize> = Vec::new();
    for part in &path_parts {
        if let PathPart::Param(i) = part {
            if !order.contains(i) {
                order.push(*i);
            }
        }
    }
    order.extend((0..params.len()).filter(|i| params[*i].location != ParamLocation::Path));
    let sorted: Vec<Param> = order.iter().map(|i| params[*i].clone()).collect();
    let remap: Vec<usize> = (0..params.len()).map(|i| order.iter().position(|j| *j == i).unwrap_or(0)).collect();
    let path_parts = path_parts
        .into_iter()
        .map(|p| match p {
            PathPart::Param(i) => PathPart::Param(remap[i]),
            lit => lit,
        })
        .collect();
    Ok(Operation {
        name,
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        path_parts,
        params: sorted,
        body,
        success,
        error_type,
        security,
        docs: Docs { title: None, description: op.description.clone(), deprecated: op.deprecated },
        summary: op.summary.clone(),
        pointer: ptr.to_string(),
    })
}

fn same_location(a: &Parameter, b: &Parameter) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Headers the HTTP client sets itself.
fn is_managed_header(name: &str) -> bool {
    ["content-type", "accept", "authorization", "content-length"].contains(&name.to_ascii_lowercase().as_str())
}

fn query_style(style: &openapiv3::QueryStyle, explode: Option<bool>) -> QueryStyle {
    match style {
        openapiv3::QueryStyle::Form if explode == Some(false) => QueryStyle::FormCsv,
        openapiv3::QueryStyle::Form => QueryStyle::FormExplode,
        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
    }
}

/// Split `/a/{id}/b` into literals and parameters; a placeholder without a
/// declared parameter gets a string parameter, a declared path parameter
/// missing from the template is dropped.
fn path_template(path: &str, params: &mut Vec<Param>, names: &mut NameSet, conv: &mut Converter<'_, '_>, ptr: &str) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    let mut used = Vec::new();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else { break };
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_string()));
        }
        let wire = &rest[open + 1..close];
        let idx = match params.iter().position(|p| p.location == ParamLocation::Path && p.wire == wire) {
            Some(i) => i,
            None => {
                conv.diags.warn(ptr, format!("path parameter {{{wire}}} is not declared; taken as a string"));
                params.push(Param {
                    name: names.claim(&naming::value_name(wire)),
                    wire: wire.to_string(),
                    location: ParamLocation::Path,
                    ty: TypeRef::Prim(Prim::String),
                    required: true,
                    style: QueryStyle::FormCsv,
                    docs: Docs::default(),
                    examples: Vec::new(),
                });
                params.len() - 1
            }
        };
        used.push(idx);
        parts.push(PathPart::Param(idx));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_string()));
    }
    let unused: Vec<String> = params
        .iter()
        .enumerate()
        .filter(|(i, p)| p.location == ParamLocation::Path && !used.contains(i))
        .map(|(_, p)| p.wire.clone())
        .collect();
    if !unused.is_empty() {
        conv.diags.warn(ptr, format!("path parameters {unused:?} are not in the path; ignored"));
        // Remove them and renumber the parts.
        let mut map = Vec::new();
        let mut kept = Vec::new();
        for (i, p) in params.drain(..).enumerate() {
            if p.location == ParamLocation::Path && !used.contains(&i) {
                map.push(usize::MAX);
            } else {
                map.push(kept.len());
                kept.push(p);
            }
        }
        *params = kept;
        for part in parts.iter_mut() {
            if let PathPart::Param(i) = part {
                *i = map[*i];
            }
        }
    }
    parts
}

fn media_kind(media: &str) -> Option<BodyKind> {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if m.contains("json") {
        Some(BodyKind::Json)
    } else if m == "application/x-www-form-urlencoded" {
        Some(BodyKind::Form)
    } else if m.starts_with("multipart/") {
        None
    } else if m.starts_with("text/") {
        Some(BodyKind::Text)
    } else {
        Some(BodyKind::Binary)
    }
}

/// Preference among the media types of one body.
fn rank(kind: Option<BodyKind>) -> u8 {
    match kind {
        Some(BodyKind::Json) => 0,
        Some(BodyKind::Form) => 1,
        Some(BodyKind::Text) => 2,
        Some(BodyKind::Binary) => 3,
        None => 4,
    }
}

fn pick_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&String, &MediaType, Option<BodyKind>)> {
    content.iter().map(|(k, m)| (k, m, media_kind(k))).min_by_key(|(_, _, kind)| rank(*kind))
}

fn media_examples(m: &MediaType) -> Vec<Value> {
    match m.extensions.get(X_EXAMPLES) {
        Some(Value::Array(list)) => list.clone(),
        _ => Vec::new(),
    }
}

fn request_body<'a>(conv: &mut Converter<'a, '_>, b: &'a openapiv3::RequestBody, pascal: &str, ptr: &str) -> Result<Option<Body>, String> {
    let Some((media, m, kind)) = pick_media(&b.content) else { return Ok(None) };
    let Some(kind) = kind else {
        return Err(format!("request body {media} (multipart) is not supported yet"));
    };
    let mptr = child(&child(ptr, "content"), media);
    let ty = match (kind, &m.schema) {
        (BodyKind::Json | BodyKind::Form, Some(s)) => conv.convert(RefOr::of(s), &format!("{pascal}Body"), &child(&mptr, "schema")),
        (BodyKind::Json, None) => TypeRef::any(),
        (BodyKind::Form, None) => TypeRef::Map(Box::new(TypeRef::Prim(Prim::String))),
        (BodyKind::Text, _) => TypeRef::Prim(Prim::String),
        (BodyKind::Binary, _) => TypeRef::Vec(Box::new(TypeRef::Prim(Prim::U8))),
    };
    if kind == BodyKind::Json {
        for ex in media_examples(m) {
            conv.examples.push(super::Example { ty: ty.required().clone(), value: ex, origin: mptr.clone() });
        }
    }
    Ok(Some(Body {
        kind,
        content_type: media.clone(),
        ty: ty.required().clone(),
        required: b.required,
        docs: Docs { title: None, description: b.description.clone(), deprecated: false },
    }))
}

fn response_body<'a>(conv: &mut Converter<'a, '_>, r: &'a Response, hint: &str, ptr: &str) -> ResponseBody {
    let Some((media, m, kind)) = pick_media(&r.content) else { return ResponseBody::Empty };
    let mptr = child(&child(ptr, "content"), media);
    match (kind, &m.schema) {
        (Some(BodyKind::Json), schema) => {
            let ty = match schema {
                Some(s) => conv.convert(RefOr::of(s), hint, &child(&mptr, "schema")),
                None => TypeRef::any(),
            };
            for ex in media_examples(m) {
                conv.examples.push(super::Example { ty: ty.required().clone(), value: ex, origin: mptr.clone() });
            }
            ResponseBody::Json(ty)
        }
        (Some(BodyKind::Text), _) => ResponseBody::Text,
        _ => ResponseBody::Binary,
    }
}

fn responses<'a>(conv: &mut Converter<'a, '_>, op: &'a openapiv3::Operation, pascal: &str, ptr: &str) -> (ResponseBody, Option<super::TypeId>) {
    let mut successes: Vec<(StatusMatch, &'a ReferenceOr<Response>)> = Vec::new();
    let mut errors: Vec<(StatusMatch, &'a ReferenceOr<Response>)> = Vec::new();
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
    let mut success = ResponseBody::Empty;
    let mut any_empty = false;
    for (status, r) in &successes {
        let rptr = child(ptr, &status_key(*status));
        let Ok(resp) = conv.resolver.response(r) else { continue };
        let body = response_body(conv, resp, &format!("{pascal}Response"), &rptr);
        match (&success, body) {
            (_, ResponseBody::Empty) => any_empty = true,
            (ResponseBody::Empty, b) => success = b,
            (ResponseBody::Json(a), ResponseBody::Json(b)) if *a != b => {
                conv.diags.fallback(&rptr, "several 2xx responses with different bodies; the result is any JSON value");
                success = ResponseBody::Json(TypeRef::any());
            }
            _ => {}
        }
    }
    if any_empty {
        if let ResponseBody::Json(t) = success {
            success = ResponseBody::Json(t.optional());
        }
    }

    let mut variants = Vec::new();
    let mut names = NameSet::new();
    for (status, r) in &errors {
        let rptr = child(ptr, &status_key(*status));
        let Ok(resp) = conv.resolver.response(r) else { continue };
        let name = match status {
            StatusMatch::Code(c) => format!("Status{c}"),
            StatusMatch::Range(r) => format!("Status{r}xx"),
            StatusMatch::Default => "Default".to_string(),
        };
        if let ResponseBody::Json(ty) = response_body(conv, resp, &format!("{pascal}{name}"), &rptr) {
            let docs = Docs { title: None, description: Some(resp.description.clone()).filter(|d| !d.is_empty()), deprecated: false };
            variants.push(ErrorVariant { name: names.claim(&name), status: *status, ty, docs });
        }
    }
    let error_type = if variants.is_empty() {
        None
    } else {
        variants.sort_by_key(|v| v.status);
        let name = conv.type_names.claim(&naming::safe_type_name(&format!("{pascal}Error")));
        let docs = Docs { title: None, description: Some("Documented error responses.".into()), deprecated: false };
        Some(conv.space_add(NamedType { name, docs, origin: ptr.to_string(), kind: TypeKind::ErrorEnum(ErrorEnum { variants }) }))
    };
    (success, error_type)
}

fn status_key(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".into(),
    }
}

fn security(conv: &mut Converter<'_, '_>, op: &openapiv3::Operation, ptr: &str) -> Vec<SecurityScheme> {
    let api = conv.resolver.api();
    let reqs = op.security.as_ref().or(api.security.as_ref());
    let mut out: Vec<SecurityScheme> = Vec::new();
    for req in reqs.into_iter().flatten() {
        for id in req.keys() {
            if out.iter().any(|s| &s.id == id) {
                continue;
            }
            let Some(scheme) = conv.resolver.security_scheme(id) else {
                conv.diags.warn(ptr, format!("security scheme {id:?} is not defined; ignored"));
                continue;
            };
            let (kind, param_name) = match scheme {
                openapiv3::SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => (AuthKind::Bearer, String::new()),
                openapiv3::SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => (AuthKind::Basic, String::new()),
                openapiv3::SecurityScheme::HTTP { scheme, .. } => {
                    conv.diags.warn(ptr, format!("HTTP auth scheme {scheme:?} is not supported; ignored"));
                    continue;
                }
                openapiv3::SecurityScheme::APIKey { location, name, .. } => {
                    let loc = match location {
                        APIKeyLocation::Query => ParamLocation::Query,
                        APIKeyLocation::Header => ParamLocation::Header,
                        APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    (AuthKind::ApiKey(loc), name.clone())
                }
                openapiv3::SecurityScheme::OAuth2 { .. } | openapiv3::SecurityScheme::OpenIDConnect { .. } => (AuthKind::Bearer, String::new()),
            };
            out.push(SecurityScheme { id: id.clone(), kind, param_name });
        }
    }
    out
}
