//! References, resolved for the `typed` and `ir` stages (see the pipeline).
//!
//! After normalization every reference the generator follows points into
//! `#/components/<section>/<name>`. The resolver answers those lookups on the
//! typed model by borrowing (nothing is copied), follows chains of refs with a
//! hop limit (so `A -> B -> A` is an error, not a hang), and turns every other
//! form into an error message the caller reports with its own pointer.

use crate::ground::pointer::{self, ComponentTarget};
use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};

const MAX_HOPS: usize = 32;

#[derive(Debug, Clone, Copy)]
pub(crate) struct ComponentRef<'a> {
    /// The component's key, borrowed from the document.
    pub name: &'a str,
}

#[derive(Clone, Copy)]
pub(crate) struct Resolver<'a> {
    api: &'a OpenAPI,
}

/// The section and decoded name of a `#/components/<section>/<name>` reference.
pub(crate) fn component_ref(r: &str) -> Result<(String, String), String> {
    match pointer::component_target(r) {
        ComponentTarget::Component { section, name } => Ok((section, name)),
        ComponentTarget::External => {
            Err(format!("$ref {r:?} points into another document, which is not supported here"))
        }
        ComponentTarget::Elsewhere if r.starts_with("#/components/") => {
            Err(format!("$ref {r:?} points inside a component, which is not supported here"))
        }
        ComponentTarget::Elsewhere => {
            Err(format!("$ref {r:?} points inside another object, which is not supported here"))
        }
    }
}

impl<'a> Resolver<'a> {
    pub(crate) fn new(api: &'a OpenAPI) -> Self {
        Resolver { api }
    }

    pub(crate) fn api(&self) -> &'a OpenAPI {
        self.api
    }

    fn components(&self) -> Option<&'a Components> {
        self.api.components.as_ref()
    }

    /// All component schemas, in document order.
    pub(crate) fn schemas(&self) -> Vec<(&'a String, &'a ReferenceOr<Schema>)> {
        self.components().map(|c| c.schemas.iter().collect()).unwrap_or_default()
    }

    pub(crate) fn schema(&self, name: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.components()?.schemas.get(name)
    }

    /// The component a schema `$ref` names.
    pub(crate) fn schema_ref(&self, r: &str) -> Result<ComponentRef<'a>, String> {
        let (section, name) = component_ref(r)?;
        if section != "schemas" {
            return Err(format!("$ref {r:?} is not a schema reference"));
        }
        let key = self
            .components()
            .and_then(|c| c.schemas.get_key_value(name.as_str()))
            .map(|(k, _)| k.as_str())
            .ok_or_else(|| format!("$ref {r:?} names no schema"))?;
        Ok(ComponentRef { name: key })
    }

    fn follow<T>(
        &self,
        item: &'a ReferenceOr<T>,
        section: &str,
        map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<&'a T, String> {
        self.follow_at(item, "", section, map).map(|(t, _)| t)
    }

    /// What `item` (at `ptr`) stands for, and where that is: `ptr`, or the
    /// component its `$ref` chain ends at.
    fn follow_at<T>(
        &self,
        item: &'a ReferenceOr<T>,
        ptr: &str,
        section: &str,
        map: impl Fn(&'a Components) -> &'a IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'a T, String), String> {
        let mut current = item;
        let mut at = ptr.to_string();
        for _ in 0..MAX_HOPS {
            match current {
                ReferenceOr::Item(t) => return Ok((t, at)),
                ReferenceOr::Reference { reference } => {
                    at.clone_from(reference);
                    let (sec, name) = component_ref(reference)?;
                    if sec != section {
                        return Err(format!("$ref {reference:?} should point into #/components/{section}"));
                    }
                    current = self
                        .components()
                        .and_then(|c| map(c).get(name.as_str()))
                        .ok_or_else(|| format!("$ref {reference:?} names nothing"))?;
                }
            }
        }
        Err(format!("references in #/components/{section} form a cycle"))
    }

    /// A parameter (at `ptr`), and the pointer of where it is defined.
    pub(crate) fn parameter_at(
        &self,
        p: &'a ReferenceOr<Parameter>,
        ptr: &str,
    ) -> Result<(&'a Parameter, String), String> {
        self.follow_at(p, ptr, "parameters", |c| &c.parameters)
    }

    /// A request body (at `ptr`), and the pointer of where it is defined.
    pub(crate) fn request_body_at(
        &self,
        b: &'a ReferenceOr<RequestBody>,
        ptr: &str,
    ) -> Result<(&'a RequestBody, String), String> {
        self.follow_at(b, ptr, "requestBodies", |c| &c.request_bodies)
    }

    pub(crate) fn response(&self, r: &'a ReferenceOr<Response>) -> Result<&'a Response, String> {
        self.follow(r, "responses", |c| &c.responses)
    }

    /// A response (at `ptr`), and the pointer of where it is defined.
    pub(crate) fn response_at(
        &self,
        r: &'a ReferenceOr<Response>,
        ptr: &str,
    ) -> Result<(&'a Response, String), String> {
        self.follow_at(r, ptr, "responses", |c| &c.responses)
    }

    pub(crate) fn security_scheme(&self, name: &str) -> Option<&'a SecurityScheme> {
        match self.components()?.security_schemes.get(name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api(v: serde_json::Value) -> OpenAPI {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn schema_refs_resolve_to_component_keys() {
        let a = api(json!({"openapi": "3.0.3", "info": {"title": "", "version": ""}, "paths": {},
            "components": {"schemas": {"A B": {"type": "string"}}}}));
        let r = Resolver::new(&a);
        assert_eq!(r.schema_ref("#/components/schemas/A%20B").unwrap().name, "A B");
        assert!(r.schema_ref("#/components/schemas/Missing").unwrap_err().contains("names no schema"));
        assert!(r.schema_ref("other.yaml#/A").unwrap_err().contains("another document"));
        assert!(r.schema_ref("#/components/schemas/A/properties/b").unwrap_err().contains("inside a component"));
    }

    #[test]
    fn parameter_ref_cycles_are_errors_not_hangs() {
        let a = api(json!({"openapi": "3.0.3", "info": {"title": "", "version": ""}, "paths": {},
        "components": {"parameters": {
            "A": {"$ref": "#/components/parameters/B"},
            "B": {"$ref": "#/components/parameters/A"}
        }}}));
        let r = Resolver::new(&a);
        let p = ReferenceOr::Reference { reference: "#/components/parameters/A".into() };
        assert!(r.parameter_at(&p, "#/x").unwrap_err().contains("cycle"));
    }

    #[test]
    fn a_referenced_part_is_placed_at_its_component() {
        let a = api(json!({"openapi": "3.0.3", "info": {"title": "", "version": ""}, "paths": {},
        "components": {"parameters": {
            "A": {"$ref": "#/components/parameters/B"},
            "B": {"name": "b", "in": "query", "schema": {"type": "string"}}
        }}}));
        let r = Resolver::new(&a);
        let p = ReferenceOr::Reference { reference: "#/components/parameters/A".into() };
        let (param, at) = r.parameter_at(&p, "#/paths/~1x/get/parameters/0").unwrap();
        assert_eq!((param.parameter_data_ref().name.as_str(), at.as_str()), ("b", "#/components/parameters/B"));
    }
}
