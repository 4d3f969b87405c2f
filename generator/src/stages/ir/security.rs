//! Security requirements of operations, and the variables `from_env` reads.

use super::schema::Converter;
use super::{AuthKind, Operation, ParamLocation, SecurityScheme};
use crate::ground::diag::Code;
use crate::ground::naming::{self, Ident, NameSet};
use heck::ToShoutySnakeCase;
use openapiv3::APIKeyLocation;

/// An operation's alternatives (its own `security`, or the document's), each
/// a set of schemes used together. Undefined or unsupported schemes make
/// their alternative unusable, with a warning.
pub(crate) fn requirements(
    conv: &mut Converter<'_, '_>,
    op: &openapiv3::Operation,
    ptr: &str,
) -> Vec<Vec<SecurityScheme>> {
    let api = conv.resolver.api();
    let Some(reqs) = op.security.as_ref().or(api.security.as_ref()) else { return Vec::new() };
    let mut out = Vec::new();
    for req in reqs {
        let mut alternative = Vec::new();
        let mut usable = true;
        for id in req.keys() {
            match scheme(conv, id, ptr) {
                Some(s) => alternative.push(s),
                None => usable = false,
            }
        }
        if usable && !out.contains(&alternative) {
            out.push(alternative);
        }
    }
    // Only `{}` alternatives: no credentials at all.
    if out.iter().all(Vec::is_empty) {
        out.clear();
    }
    out
}

fn scheme(conv: &mut Converter<'_, '_>, id: &str, ptr: &str) -> Option<SecurityScheme> {
    let Some(scheme) = conv.resolver.security_scheme(id) else {
        conv.diags.add(
            Code::Security,
            ptr,
            format!("security scheme {id:?} is not defined; requirements naming it are left out"),
        );
        return None;
    };
    let (kind, param_name) = match scheme {
        openapiv3::SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
            (AuthKind::Bearer, String::new())
        }
        openapiv3::SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
            (AuthKind::Basic, String::new())
        }
        openapiv3::SecurityScheme::HTTP { scheme, .. } => {
            conv.diags.add(
                Code::Security,
                ptr,
                format!("HTTP auth scheme {scheme:?} ({id}) is not supported; requirements naming it are left out"),
            );
            return None;
        }
        openapiv3::SecurityScheme::APIKey { location, name, .. } => {
            let loc = match location {
                APIKeyLocation::Query => ParamLocation::Query,
                APIKeyLocation::Header => ParamLocation::Header,
                APIKeyLocation::Cookie => ParamLocation::Cookie,
            };
            (AuthKind::ApiKey(loc), name.clone())
        }
        openapiv3::SecurityScheme::OAuth2 { .. } | openapiv3::SecurityScheme::OpenIDConnect { .. } => {
            (AuthKind::Bearer, String::new())
        }
    };
    Some(SecurityScheme { id: id.to_string(), kind, param_name })
}

/// Every scheme the operations use, once, with its environment variable
/// `{PREFIX}_{SCHEME}` (basic schemes hold `user:password`).
pub(crate) fn env_schemes(operations: &[Operation], prefix: &str) -> Vec<(SecurityScheme, String)> {
    let mut out: Vec<(SecurityScheme, String)> = Vec::new();
    for s in operations.iter().flat_map(|o| o.security.iter().flatten()) {
        if out.iter().any(|(known, _)| known.id == s.id) {
            continue;
        }
        let mut var = format!("{prefix}_{}", s.id.to_shouty_snake_case());
        if var.ends_with('_') || var == format!("{prefix}_API_KEY") || var == format!("{prefix}_BASE_URL") {
            var = format!("{prefix}_{}_CREDENTIAL", s.id.to_shouty_snake_case());
        }
        out.push((s.clone(), var));
    }
    out
}

/// A typed credential setter on the client for one security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CredentialSetter {
    /// The scheme's key in `components/securitySchemes`.
    pub scheme: String,
    /// The method: the scheme's name in snake case (`api_key_header` for
    /// `APIKeyHeader`), with `_credential` when the client has that name.
    pub setter: Ident,
    /// HTTP basic: the setter takes a user and a password.
    pub basic: bool,
}

/// One setter per scheme the operations use, named clear of the client's
/// own methods and of every operation's.
pub(crate) fn credential_setters(
    operations: &[Operation],
    schemes: &[(SecurityScheme, String)],
) -> Vec<CredentialSetter> {
    let mut names = NameSet::with_reserved(super::operation::CLIENT_METHODS);
    for op in operations {
        names.claim_value(&op.name);
    }
    schemes
        .iter()
        .map(|(s, _)| {
            let base = naming::value_name(&s.id);
            let setter = if names.is_free(base.as_str()) {
                names.claim_value(&base)
            } else {
                names.claim_value(&naming::value_name(&format!("{}_credential", base.bare())))
            };
            CredentialSetter { scheme: s.id.clone(), setter, basic: s.kind == AuthKind::Basic }
        })
        .collect()
}
