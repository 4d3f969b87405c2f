//! Operations: parameters, bodies, responses and auth of every path item.

use super::schema::Converter;
use super::view::RefOr;
use super::{bodies, responses, security, Docs, Operation, Param, ParamLocation, PathPart, Prim, QueryStyle, TypeRef};
use crate::ground::declared::{Declared, OperationKey};
use crate::ground::diag::Code;
use crate::ground::naming::{self, NameSet};
use crate::ground::pointer::child;
use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr};

/// Method names the client itself uses (its own and those of the runtime client it derefs to).
pub(crate) const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_env",
    "builder_from_env",
    "from_env_vars",
    "with_http_client",
    "with_base_url",
    "base_url",
    "http_client",
    "bearer_token",
    "basic_auth",
    "api_key",
    "credential",
    "basic_credential",
    "with_credentials",
    "timeout",
    "timeout_value",
    "retry",
    "retry_policy",
    "redirect_policy",
    "max_response_bytes",
    "runtime",
    "execute",
    "request",
    "clone",
    "fmt",
    "default",
    "deref",
    "from",
    "into",
    "from_http",
];

/// Names a request builder uses itself, and locals of the generated method.
pub(crate) const BUILDER_NAMES: &[&str] = &[
    "send",
    "send_with_response",
    "stream",
    "stream_bytes",
    "with_timeout",
    "with_header",
    "with_retries",
    "with_retry_policy",
    "with_max_response_bytes",
    "extra_query",
    "extra_body",
    "send_raw",
    "send_raw_stream",
    "request_mut",
    "into_parts",
    "paginate",
    "pages",
    "into_future",
    "client",
    "request",
    "self_",
    "body",
];

/// The names operations take on the client: its methods and their builders.
struct ClientNames {
    methods: NameSet,
    builders: NameSet,
}

pub(super) fn operations(conv: &mut Converter<'_, '_>, declared: &Declared) -> Vec<super::Operation> {
    let api = conv.resolver.api();
    let mut names = ClientNames { methods: NameSet::with_reserved(CLIENT_METHODS), builders: NameSet::new() };
    let mut out = Vec::new();
    for (path, item) in api.paths.paths.iter() {
        let item_ptr = child("#/paths", path);
        let item: &PathItem = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { reference } => {
                conv.diags.add(
                    Code::SkippedOperation,
                    &item_ptr,
                    format!("path item $ref {reference:?} is not supported"),
                );
                continue;
            }
        };
        for (method, op) in item.iter() {
            let ptr = child(&item_ptr, method);
            let Some(method) = super::HttpMethod::from_key(method) else { continue };
            let key = OperationKey::new(path, method);
            match operation(conv, &key, item, op, &ptr, &mut names, declared) {
                Ok(o) => out.push(o),
                Err(reason) => conv.diags.add(Code::SkippedOperation, &ptr, reason),
            }
        }
    }
    // The mock server's method per operation: its client method's name,
    // clear of what the mock server defines itself.
    let mut mock = NameSet::with_reserved(MOCK_METHODS);
    for op in &mut out {
        op.mock_name = mock.claim_value(&op.name);
    }
    out
}

/// Subcommands the generated command line defines itself.
const CLI_COMMANDS: &[&str] = &["completions", "help"];

/// Each operation's `<group> <command>` on the command line: the group is
/// its cargo feature's when the client is split into features, else its
/// first tag's.
pub(super) fn cli_names(ops: &mut [Operation], features: Option<&super::features::Features>) {
    use heck::ToKebabCase;
    let mut taken: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    for (i, op) in ops.iter_mut().enumerate() {
        let feature = features.and_then(|f| f.groups.get(*f.operation_groups.get(i)?)).map(|g| g.name.as_str());
        let named = feature.or(op.group.as_deref());
        let mut group = named.map(|t| t.to_kebab_case()).filter(|g| !g.is_empty()).unwrap_or("api".into());
        if CLI_COMMANDS.contains(&group.as_str()) {
            group.push_str("-api");
        }
        let base = op.name.bare().to_kebab_case();
        let mut command = if base == "help" { "help-op".to_string() } else { base.clone() };
        let mut n = 2;
        while !taken.insert((group.clone(), command.clone())) {
            command = format!("{base}-{n}");
            n += 1;
        }
        op.cli = super::CliName { group, command };
    }
}

/// The extension by which a spec or overlay names an operation's cargo
/// feature (its API group); it wins over a manifest's `[[feature]]` list.
const FEATURE_EXTENSION: &str = "x-openapi-gen-feature";

/// Names a generated mock server defines itself.
pub(crate) const MOCK_METHODS: &[&str] = &["start", "client", "base_url", "server", "inner"];

fn operation<'a>(
    conv: &mut Converter<'a, '_>,
    key: &OperationKey,
    item: &'a PathItem,
    op: &'a openapiv3::Operation,
    ptr: &str,
    names: &mut ClientNames,
    declared: &Declared,
) -> Result<Operation, String> {
    let (path, method) = (key.path.as_str(), key.method);
    let name =
        names.methods.claim_value(&naming::operation_method_name(op.operation_id.as_deref(), method.as_str(), path));
    let pascal = naming::type_name(name.bare());
    let builder = names.builders.claim(&pascal);

    // Arguments and setters share one namespace with the builder's own methods.
    let mut arg_names = NameSet::with_reserved(BUILDER_NAMES);
    // A polled operation's builder has `.wait()`: a parameter of that name takes another.
    let polled = declared.polling.get(key).or(op.extensions.get("x-polling"));
    if polled.is_some_and(|p| *p != serde_json::Value::Bool(false)) {
        arg_names.claim("wait");
    }
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
        let (param, pptr) = conv.resolver.parameter_at(p, &pptr).map_err(|e| format!("parameter: {e}"))?;
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
            conv.diags.add(
                Code::ClientHeader,
                &pptr,
                format!("header parameter {:?} is set by the client itself; not offered", data.name),
            );
            continue;
        }
        let hint = format!("{pascal}{}", naming::type_name(&data.name));
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => conv.convert(RefOr::of(s), &hint, &child(&pptr, "schema")),
            ParameterSchemaOrContent::Content(_) => {
                conv.diags.add(
                    Code::ParameterContent,
                    &pptr,
                    "a parameter with `content` is sent as the text the caller gives",
                );
                TypeRef::Prim(Prim::String)
            }
        };
        params.push(Param {
            name: arg_names.claim_value(&naming::value_name(&data.name)),
            wire: data.name.clone(),
            location,
            ty: ty.required().clone(),
            required: data.required || location == ParamLocation::Path,
            style,
            docs: Docs {
                title: None,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            },
        });
    }
    let path_parts = path_template(path, &mut params, &mut arg_names, conv, ptr);

    let bodies = match &op.request_body {
        Some(b) => {
            let (b, bptr) = conv
                .resolver
                .request_body_at(b, &child(ptr, "requestBody"))
                .map_err(|e| format!("request body: {e}"))?;
            bodies::request_bodies(conv, b, &pascal, &bptr, &mut arg_names)
        }
        None => Vec::new(),
    };
    let lenient_default = declared.undeclared_errors.contains(key);
    let (success, stream, error_type) =
        responses::responses(conv, op, &pascal, &child(ptr, "responses"), &bodies, lenient_default);
    let security = security::requirements(conv, op, ptr);
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
    let name_for_mock = name.clone();
    Ok(Operation {
        name,
        method,
        path: path.to_string(),
        path_parts,
        params: sorted,
        builder,
        bodies,
        success,
        stream,
        error_type,
        security,
        docs: Docs { title: None, description: op.description.clone(), deprecated: op.deprecated },
        summary: op.summary.clone(),
        group: op.tags.first().cloned(),
        feature: op
            .extensions
            .get(FEATURE_EXTENSION)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .or_else(|| declared.features.get(key).cloned()),
        pagination: None,
        polling: None,
        mock_name: name_for_mock.clone(),
        cli: super::CliName::default(),
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
fn path_template(
    path: &str,
    params: &mut Vec<Param>,
    names: &mut NameSet,
    conv: &mut Converter<'_, '_>,
    ptr: &str,
) -> Vec<PathPart> {
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
                conv.diags.add(
                    Code::PathParameter,
                    ptr,
                    format!("path parameter {{{wire}}} is not declared; taken as a string"),
                );
                params.push(Param {
                    name: names.claim_value(&naming::value_name(wire)),
                    wire: wire.to_string(),
                    location: ParamLocation::Path,
                    ty: TypeRef::Prim(Prim::String),
                    required: true,
                    style: QueryStyle::FormCsv,
                    docs: Docs::default(),
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
        conv.diags.add(Code::PathParameter, ptr, format!("path parameters {unused:?} are not in the path; ignored"));
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
