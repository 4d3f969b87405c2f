//! Operations to methods on `Client` and their request builders, and the
//! client itself.

mod bodies;
mod builder;
mod params;
mod responses;

pub(super) use builder::{builder, error_param};

use super::docs::lines;
use super::ident;
use crate::stages::ir::{AuthKind, Ir, Operation, ParamLocation, PathPart};
use proc_macro2::TokenStream;
use quote::quote;

fn method_docs(op: &Operation) -> TokenStream {
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
    let documented: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| {
            p.docs.description.as_ref().map(|d| {
                let first = d.lines().next().unwrap_or("").trim();
                format!("- `{}`: {first}", p.name.bare())
            })
        })
        .collect();
    if !documented.is_empty() {
        text.push_str("\n\n# Arguments\n");
        text.push_str(&documented.join("\n"));
    }
    let optional: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`{}`", p.name.bare()))
        .chain(
            op.bodies.iter().enumerate().filter(|(i, b)| *i > 0 || !b.required).map(|(_, b)| format!("`{}`", b.setter)),
        )
        .collect();
    if !optional.is_empty() {
        text.push_str(&format!("\n\nOptional, on the returned builder: {}.", optional.join(", ")));
    }
    if op.docs.deprecated {
        text.push_str("\n\n**Deprecated** in the API specification.");
    }
    lines(&text)
}

fn security(op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|alt| {
        let schemes = alt.iter().map(|s| {
            let id = &s.id;
            let n = &s.param_name;
            match s.kind {
                AuthKind::Bearer => quote!(runtime::Auth::bearer(#id)),
                AuthKind::Basic => quote!(runtime::Auth::basic(#id)),
                AuthKind::ApiKey(ParamLocation::Query) => quote!(runtime::Auth::query(#id, #n)),
                AuthKind::ApiKey(ParamLocation::Cookie) => quote!(runtime::Auth::cookie(#id, #n)),
                AuthKind::ApiKey(_) => quote!(runtime::Auth::header(#id, #n)),
            }
        });
        quote!(&[#(#schemes),*])
    });
    quote!(&[#(#alternatives),*])
}

/// `pub fn op(&self, required...) -> builders::Op<'_>`.
pub(super) fn method(ir: &Ir, op: &Operation) -> TokenStream {
    let space = &ir.types;
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let docs = method_docs(op);
    let target = quote!(request);
    let mut args = Vec::new();
    let mut stmts = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(l) => stmts.push(quote!(request.path(#l);)),
            PathPart::Param(i) => stmts.push(params::apply(&op.params[*i], &target, &{
                let n = ident(&op.params[*i].name);
                quote!(#n)
            })),
        }
    }
    for p in &op.params {
        if !p.required {
            continue;
        }
        let n = ident(&p.name);
        let t = params::arg_type(space, &p.ty);
        args.push(quote!(#n: #t));
        if p.location != ParamLocation::Path {
            stmts.push(params::apply(p, &target, &quote!(#n)));
        }
    }
    if let Some(b) = op.bodies.first().filter(|b| b.required) {
        let t = bodies::body_type(space, b);
        args.push(quote!(body: #t));
        stmts.push(bodies::apply(b, &target, &quote!(body)));
    }
    let http_method = ident(op.method.as_str());
    let (method_name, template) = (op.name.bare(), op.path.as_str());
    let sec = security(op);
    quote! {
        #docs
        pub fn #name(&self, #(#args),*) -> builders::#builder<'_> {
            const SECURITY: runtime::Security = #sec;
            let mut request = runtime::Request::for_operation(runtime::Method::#http_method, SECURITY, #method_name, #template);
            #(#stmts)*
            builders::#builder { client: self.runtime(), request }
        }
    }
}

/// The mock server for tests of code that uses the client (behind the
/// crate's `mock` feature): a typed expectation method per operation.
pub(super) fn mock(ir: &Ir) -> TokenStream {
    let space = &ir.types;
    let methods = ir.operations.iter().enumerate().map(|(i, op)| {
        let gate = crate::stages::codegen::gates::operation(ir, i);
        let name = ident(&op.mock_name);
        let operation = op.name.bare();
        let template = op.path.as_str();
        let method = ident(op.method.as_str());
        let request = match op.bodies.first() {
            Some(b) if b.kind == crate::stages::ir::BodyKind::Json => {
                let t = crate::stages::codegen::type_ref::ty(space, &b.ty, crate::stages::codegen::Scope::Outside);
                quote!(runtime::mock::Json<#t>)
            }
            _ => quote!(runtime::mock::Raw),
        };
        let response = match &op.success {
            crate::stages::ir::Success::One(crate::stages::ir::ResponseBody::Json(t)) => {
                let t = crate::stages::codegen::type_ref::ty(space, t, crate::stages::codegen::Scope::Outside);
                quote!(runtime::mock::Json<#t>)
            }
            _ => quote!(runtime::mock::Raw),
        };
        let doc = format!(
            " Expect calls of [`Client::{operation}`](super::Client::{operation}) (`{} {template}`).",
            op.method.as_str()
        );
        quote! {
            #gate
            #[doc = #doc]
            pub fn #name(&self) -> runtime::mock::Expect<'_, #request, #response> {
                runtime::mock::Expect::new(&self.inner, #operation, runtime::Method::#method, #template)
            }
        }
    });
    quote! {
        /// A mock server for tests of code that uses this client (the crate's
        /// `mock` feature, with `openapi-gen-runtime/mock`): real HTTP on
        /// 127.0.0.1, a typed expectation per operation. A request no
        /// expectation matches, and an expectation not met, fail the test when
        /// the server is dropped.
        #[cfg(feature = "mock")]
        pub mod mock {
            #![allow(clippy::all, clippy::pedantic, clippy::nursery)]
            #[allow(unused_imports)]
            use super::{runtime, types};
            pub use runtime::mock::{MockRequest, MockResponse};

            /// The mock server; see the module.
            #[derive(Debug)]
            pub struct MockServer {
                inner: runtime::mock::MockServer,
            }

            impl MockServer {
                /// A server on 127.0.0.1 with an ephemeral port.
                pub async fn start() -> ::std::io::Result<Self> {
                    ::std::result::Result::Ok(MockServer { inner: runtime::mock::MockServer::start().await? })
                }

                /// A client of this server, without credentials.
                pub fn client(&self) -> ::std::result::Result<super::Client, runtime::Error> {
                    super::Client::with_base_url(self.inner.base_url())
                }

                /// The server's base URL.
                pub fn base_url(&self) -> &str {
                    self.inner.base_url()
                }

                /// The untyped server: requests received, call counts, problems.
                pub fn server(&self) -> &runtime::mock::MockServer {
                    &self.inner
                }

                #(#methods)*
            }
        }
    }
}

/// A typed setter per security scheme, for the client's `impl` block.
pub(super) fn credential_setters(ir: &Ir) -> TokenStream {
    let setters = ir.credential_setters.iter().map(|c| {
        let (setter, scheme) = (ident(&c.setter), &c.scheme);
        if c.basic {
            let doc = format!(" User and password for the `{scheme}` scheme (HTTP basic).");
            quote! {
                #[doc = #doc]
                pub fn #setter(self, user: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.basic_credential(#scheme, user, password)
                }
            }
        } else {
            let doc = format!(" The credential for the `{scheme}` scheme.");
            quote! {
                #[doc = #doc]
                pub fn #setter(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.credential(#scheme, token)
                }
            }
        }
    });
    quote!(#(#setters)*)
}

/// The client type and the constants `from_env` uses.
pub(super) fn client(ir: &Ir) -> TokenStream {
    let url = &ir.default_base_url;
    let key_env = format!("{}_API_KEY", ir.env_prefix);
    let url_env = format!("{}_BASE_URL", ir.env_prefix);
    let schemes = ir.security_schemes.iter().map(|(s, var)| {
        let id = &s.id;
        let basic = s.kind == AuthKind::Basic;
        quote!((#id, #var, #basic))
    });
    let mut doc = format!("Client for {} {}. Cheap to clone.", ir.title, ir.version);
    if !ir.security_schemes.is_empty() {
        doc.push_str("\n\nCredentials: `bearer_token` (or `api_key`) serves every token scheme; `credential(scheme, token)` one scheme.");
        doc.push_str(&format!(" `from_env` reads `{key_env}`"));
        for (s, var) in &ir.security_schemes {
            doc.push_str(&format!(", `{var}` ({})", s.id));
        }
        doc.push('.');
    }
    let doc = lines(&doc);
    // A user-agent token: visible ASCII without separators.
    let agent_version: String =
        ir.version.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_+~".contains(c) { c } else { '-' }).collect();
    let (title, version) = (&ir.title, &ir.version);
    let specs = ir.specs.iter().map(|s| {
        let (file, title, version) = (&s.file, &s.title, &s.version);
        quote!((#file, #title, #version))
    });
    // Each overlay noted beside the spec it changes.
    let mut specs_doc = String::from(
        "Every spec the client was generated from: (file, or the document its fragments make, title, version).",
    );
    for s in ir.specs.iter().filter(|s| !s.overlays.is_empty()) {
        specs_doc.push_str(&format!("\n\n`{}` is read with overlays applied, in order:", s.file));
        for (file, title, version) in &s.overlays {
            specs_doc.push_str(&format!("\n- `{file}`: {title} {version}"));
        }
    }
    let specs_doc = lines(&specs_doc);
    quote! {
        runtime::api_client! {
            #doc
            pub struct Client;
            base_url = #url;
            env = (#url_env, #key_env, &[#(#schemes),*]);
            api_version = #agent_version;
        }

        /// The title of the API specification (`info.title`).
        pub const API_TITLE: &str = #title;
        /// The version of the API specification (`info.version`) this client
        /// was generated from; the default user agent carries it.
        pub const API_VERSION: &str = #version;
        #specs_doc
        pub const SPECS: &[(&str, &str, &str)] = &[#(#specs),*];

        /// The first server of the API specification.
        pub const DEFAULT_BASE_URL: &str = #url;
        /// The environment variable [`Client::from_env`] reads the API key from.
        pub const API_KEY_ENV: &str = #key_env;
        /// The environment variable [`Client::from_env`] reads the base URL from.
        pub const BASE_URL_ENV: &str = #url_env;
    }
}
