//! Operations to async methods on `Client`.

use super::docs::lines;
use super::ident;
use super::types::{prim, ty};
use super::Scope;
use crate::ir::{
    AuthKind, BodyKind, Ir, Operation, Param, ParamLocation, PathPart, Prim, QueryStyle, ResponseBody,
    StatusMatch, TypeKind, TypeRef, TypeSpace,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The argument type of a parameter or body: strings as `&str`, slices for
/// lists, small values by value, everything else by reference.
fn arg_type(space: &TypeSpace, t: &TypeRef, required: bool) -> TokenStream {
    let base = match t {
        TypeRef::Prim(Prim::String) => quote!(&str),
        TypeRef::Prim(p) if p.is_copy() => prim(*p),
        TypeRef::Vec(inner) => {
            let inner = ty(space, inner, Scope::Outside);
            quote!(&[#inner])
        }
        other => {
            let t = ty(space, other, Scope::Outside);
            quote!(&#t)
        }
    };
    if required {
        base
    } else {
        quote!(::std::option::Option<#base>)
    }
}

fn query_style(s: QueryStyle) -> TokenStream {
    match s {
        QueryStyle::FormExplode => quote!(runtime::QueryStyle::FormExplode),
        QueryStyle::FormCsv => quote!(runtime::QueryStyle::FormCsv),
        QueryStyle::SpaceDelimited => quote!(runtime::QueryStyle::SpaceDelimited),
        QueryStyle::PipeDelimited => quote!(runtime::QueryStyle::PipeDelimited),
        QueryStyle::DeepObject => quote!(runtime::QueryStyle::DeepObject),
    }
}

fn method_docs(op: &Operation, params: &[Param]) -> TokenStream {
    let mut text = String::new();
    if let Some(s) = &op.summary {
        text.push_str(s.trim());
        text.push_str("\n\n");
    }
    if let Some(d) = &op.docs.description {
        if op.summary.as_deref().map(str::trim) != Some(d.trim()) {
            text.push_str(d);
            text.push_str("\n\n");
        }
    }
    text.push_str(&format!("`{} {}`", op.method, op.path));
    let documented: Vec<String> = params
        .iter()
        .filter_map(|p| {
            p.docs.description.as_ref().map(|d| {
                let first = d.lines().next().unwrap_or("").trim();
                format!("- `{}`: {first}", crate::ir::naming::unraw(&p.name))
            })
        })
        .collect();
    if !documented.is_empty() {
        text.push_str("\n\n# Arguments\n");
        text.push_str(&documented.join("\n"));
    }
    if op.docs.deprecated {
        text.push_str("\n\n**Deprecated** in the API specification.");
    }
    lines(&text)
}

pub fn operation(ir: &Ir, op: &Operation) -> TokenStream {
    let space = &ir.types;
    let name = ident(&op.name);
    let docs = method_docs(op, &op.params);

    let mut args = Vec::new();
    for p in &op.params {
        let n = ident(&p.name);
        let t = arg_type(space, &p.ty, p.required);
        args.push(quote!(#n: #t));
    }
    if let Some(b) = &op.body {
        let t = match b.kind {
            BodyKind::Binary => quote!(::std::vec::Vec<u8>),
            _ => arg_type(space, &b.ty, true),
        };
        let t = if b.required { t } else { quote!(::std::option::Option<#t>) };
        args.push(quote!(body: #t));
    }

    let err_param = match op.error_type {
        Some(id) => {
            let n = ident(&space.get(id).name);
            quote!(types::#n)
        }
        None => quote!(::std::convert::Infallible),
    };
    // Path
    let path_stmts = op.path_parts.iter().map(|part| match part {
        PathPart::Literal(l) => quote!(path.push_str(#l);),
        PathPart::Param(i) => {
            let p = &op.params[*i];
            let n = ident(&p.name);
            let wire = &p.wire;
            quote!(path.push_str(&runtime::path_segment::<_, #err_param>(#wire, &#n)?);)
        }
    });

    // Query, headers, cookies
    let query_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Query).collect();
    let query = if query_params.is_empty() {
        quote!()
    } else {
        let pushes = query_params.iter().map(|p| {
            let n = ident(&p.name);
            let wire = &p.wire;
            let style = query_style(p.style);
            if p.required {
                quote!(runtime::push_query(&mut query, #wire, &#n, #style);)
            } else {
                quote!(if let ::std::option::Option::Some(value) = &#n { runtime::push_query(&mut query, #wire, value, #style); })
            }
        });
        quote! {
            let mut query: ::std::vec::Vec<(::std::string::String, ::std::string::String)> = ::std::vec::Vec::new();
            #(#pushes)*
            request = request.query(&query);
        }
    };
    let headers = op.params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| {
        let n = ident(&p.name);
        let wire = &p.wire;
        if p.required {
            quote!(request = request.header(#wire, runtime::param_string(&#n));)
        } else {
            quote!(if let ::std::option::Option::Some(value) = &#n { request = request.header(#wire, runtime::param_string(value)); })
        }
    });
    let cookie_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Cookie).collect();
    let cookies = if cookie_params.is_empty() {
        quote!()
    } else {
        let pushes = cookie_params.iter().map(|p| {
            let n = ident(&p.name);
            let wire = &p.wire;
            if p.required {
                quote!(cookies.push(format!("{}={}", #wire, runtime::param_string(&#n)));)
            } else {
                quote!(if let ::std::option::Option::Some(value) = &#n { cookies.push(format!("{}={}", #wire, runtime::param_string(value))); })
            }
        });
        quote! {
            let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#pushes)*
            if !cookies.is_empty() {
                request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
            }
        }
    };

    let body = op.body.as_ref().map(|b| {
        let ct = &b.content_type;
        let set = match b.kind {
            BodyKind::Json => quote!(request = runtime::json_body::<_, #err_param>(request, body, #ct)?;),
            BodyKind::Form => quote!(request = request.form(body);),
            BodyKind::Text => quote!(request = request.header(::reqwest::header::CONTENT_TYPE, #ct).body(body.to_string());),
            BodyKind::Binary => quote!(request = request.header(::reqwest::header::CONTENT_TYPE, #ct).body(body);),
        };
        if b.required {
            set
        } else {
            quote!(if let ::std::option::Option::Some(body) = body { #set })
        }
    });

    let auth = op.security.iter().map(|s| match s.kind {
        AuthKind::Bearer => quote!(runtime::AuthScheme::Bearer),
        AuthKind::Basic => quote!(runtime::AuthScheme::Basic),
        AuthKind::ApiKey(ParamLocation::Header) => {
            let n = &s.param_name;
            quote!(runtime::AuthScheme::ApiKeyHeader(#n))
        }
        AuthKind::ApiKey(ParamLocation::Query) => {
            let n = &s.param_name;
            quote!(runtime::AuthScheme::ApiKeyQuery(#n))
        }
        AuthKind::ApiKey(_) => {
            let n = &s.param_name;
            quote!(runtime::AuthScheme::ApiKeyCookie(#n))
        }
    });

    let (ok_ty, ok_read) = match &op.success {
        ResponseBody::Json(t) => (ty(space, t, Scope::Outside), quote!(runtime::json(response).await)),
        ResponseBody::Text => (quote!(::std::string::String), quote!(runtime::text(response).await)),
        ResponseBody::Binary => (quote!(::std::vec::Vec<u8>), quote!(runtime::bytes(response).await)),
        ResponseBody::Empty => (quote!(()), quote!(runtime::empty(response).await)),
    };
    let (err_ty, error_arms) = match op.error_type {
        None => (quote!(Error), quote!(_ => ::std::result::Result::Err(runtime::unexpected(response).await),)),
        Some(id) => {
            let t = &space.get(id);
            let tname = ident(&t.name);
            let TypeKind::ErrorEnum(e) = &t.kind else { return quote!() };
            let mut has_default = false;
            let arms = e.variants.iter().map(|v| {
                let vname = ident(&v.name);
                let pat = match v.status {
                    StatusMatch::Code(c) => {
                        let c = Literal::u16_unsuffixed(c);
                        quote!(#c)
                    }
                    StatusMatch::Range(r) => {
                        let lo = Literal::u16_unsuffixed(u16::from(r) * 100);
                        let hi = Literal::u16_unsuffixed(u16::from(r) * 100 + 99);
                        quote!(#lo..=#hi)
                    }
                    StatusMatch::Default => {
                        has_default = true;
                        quote!(_)
                    }
                };
                quote!(#pat => ::std::result::Result::Err(runtime::api_error(response, types::#tname::#vname).await),)
            });
            let arms: Vec<TokenStream> = arms.collect();
            let fallthrough = if has_default {
                quote!()
            } else {
                quote!(_ => ::std::result::Result::Err(runtime::unexpected(response).await),)
            };
            (quote!(Error<types::#tname>), quote!(#(#arms)* #fallthrough))
        }
    };

    let method = ident(&op.method);
    quote! {
        #docs
        pub async fn #name(&self, #(#args),*) -> ::std::result::Result<#ok_ty, #err_ty> {
            let mut path = ::std::string::String::new();
            #(#path_stmts)*
            #[allow(unused_mut)]
            let mut request = self.request(::reqwest::Method::#method, &path, &[#(#auth),*]);
            #query
            #(#headers)*
            #cookies
            #body
            let response = runtime::send::<#err_param>(request).await?;
            match response.status().as_u16() {
                200..=299 => #ok_read,
                #error_arms
            }
        }
    }
}

/// `Client::new`/`from_env` and the constants they use.
pub fn constructors(ir: &Ir) -> TokenStream {
    let url = &ir.default_base_url;
    let key_env = format!("{}_API_KEY", ir.env_prefix);
    let url_env = format!("{}_BASE_URL", ir.env_prefix);
    let key_doc = format!(" Reads the API key from `{key_env}` (required) and the base URL from `{url_env}` (optional, default [`DEFAULT_BASE_URL`]).");
    quote! {
        /// The first server of the API specification.
        pub const DEFAULT_BASE_URL: &str = #url;
        /// The environment variable [`Client::from_env`] reads the API key from.
        pub const API_KEY_ENV: &str = #key_env;
        /// The environment variable [`Client::from_env`] reads the base URL from.
        pub const BASE_URL_ENV: &str = #url_env;

        impl Client {
            /// A client for [`DEFAULT_BASE_URL`] without credentials.
            pub fn new() -> ::std::result::Result<Self, Error> {
                Self::with_base_url(DEFAULT_BASE_URL)
            }

            /// A client configured from the environment.
            ///
            #[doc = #key_doc]
            pub fn from_env() -> ::std::result::Result<Self, Error> {
                Self::from_env_vars(API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL)
            }
        }
    }
}

