//! Schemas to types: every schema position becomes a [`TypeRef`]; objects,
//! string enums and unions become named types in the [`TypeSpace`].

use super::extensions;
use super::view::{Props, RefOr, View};
use super::{
    Build, Docs, EnumVariant, Example, Field, NamedType, Prim, StringEnum, Struct, TypeId, TypeKind, TypeRef,
    TypeSpace, Union, UnionVariant,
};
use crate::ground::diag::{Code, Diagnostics};
use crate::ground::naming::{self, NameSet};
use crate::ground::pointer::child;
use crate::stages::resolve::{ComponentRef, Resolver};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Converts schemas; owns the type table while the IR is built.
pub(crate) struct Converter<'a, 'd> {
    pub resolver: Resolver<'a>,
    pub space: TypeSpace,
    pub type_names: NameSet,
    pub diags: &'d mut Diagnostics,
    pub examples: Vec<Example>,
    /// Fields with an `x-client-default`, checked once every type is filled:
    /// the struct, the field's index, the property's pointer.
    client_defaults: Vec<(TypeId, usize, String)>,
    /// Component schema name to its (pre-allocated) type.
    components: HashMap<&'a str, TypeId>,
    /// Components whose schema is `nullable`: their uses are `Option`.
    nullable_components: HashSet<TypeId>,
    /// How many references name each component schema, counted on first use.
    schema_references: Option<HashMap<String, usize>>,
}

/// How deep `allOf` merging follows references before giving up.
const MAX_MERGE_DEPTH: usize = 32;

struct Merged<'a> {
    /// Components already merged in: each is collected once (cycles, diamonds).
    visited: HashSet<&'a str>,
    props: Vec<(String, RefOr<'a>, String)>,
    /// In the spec's order (constructor arguments follow it).
    required: Vec<String>,
    additional: Option<&'a AdditionalProperties>,
    docs: Docs,
}

impl<'a, 'd> Converter<'a, 'd> {
    pub(crate) fn new(resolver: Resolver<'a>, type_names: NameSet, diags: &'d mut Diagnostics) -> Self {
        Converter {
            resolver,
            space: TypeSpace::default(),
            type_names,
            diags,
            examples: Vec::new(),
            client_defaults: Vec::new(),
            components: HashMap::new(),
            nullable_components: HashSet::new(),
            schema_references: None,
        }
    }

    /// How many `$ref`s in the whole document name this component schema.
    pub(crate) fn references_to(&mut self, name: &str) -> usize {
        let api = self.resolver.api();
        let counts = self.schema_references.get_or_insert_with(|| {
            let mut counts = HashMap::new();
            let document = serde_json::to_value(api).unwrap_or_default();
            crate::ground::pointer::for_each_ref(&document, |r| {
                if let crate::ground::pointer::ComponentTarget::Component { section, name } =
                    crate::ground::pointer::component_target(r)
                {
                    if section == "schemas" {
                        *counts.entry(name).or_insert(0) += 1;
                    }
                }
            });
            counts
        });
        counts.get(name).copied().unwrap_or(0)
    }

    pub(crate) fn space_add(&mut self, t: NamedType) -> TypeId {
        self.space.add(t)
    }

    /// Give every component schema a name and an id before converting any, so
    /// references (including cyclic ones) resolve without recursion.
    pub(crate) fn declare_components(&mut self, names: &[(&'a str, String)], merged: &[(&'a str, &'a str)]) {
        for (raw, rust) in names {
            let name = self.type_names.claim(rust);
            let id = self.space.add(NamedType {
                name,
                docs: Docs::default(),
                origin: child("#/components/schemas", raw),
                kind: TypeKind::Pending,
            });
            self.components.insert(raw, id);
            if let Some(openapiv3::ReferenceOr::Item(schema)) = self.resolver.schema(raw) {
                let view = View::of(schema);
                if view.data.nullable || view.enum_values.iter().any(Value::is_null) {
                    self.nullable_components.insert(id);
                }
            }
        }
        for (alias, target) in merged {
            if let Some(id) = self.components.get(target).copied() {
                self.components.insert(alias, id);
            }
        }
    }

    /// Convert the body of every declared component.
    pub(crate) fn fill_components(&mut self) {
        let schemas = self.resolver.schemas();
        for (raw, schema) in schemas {
            let Some(&id) = self.components.get(raw.as_str()) else { continue };
            if !matches!(self.space.get(id).kind, TypeKind::Pending) {
                continue; // a merged twin, already filled
            }
            let ptr = self.space.get(id).origin.clone();
            let hint = self.space.get(id).name.clone();
            let t = match RefOr::of(schema) {
                RefOr::Item(s) => {
                    let view = View::of(s);
                    self.space.get_mut(id).docs = docs_of(&view);
                    if view.data.nullable {
                        self.nullable_components.insert(id);
                    }
                    self.shape(&view, &hint, &ptr, Some(id))
                }
                RefOr::Ref(r) => self.reference(r, &ptr),
            };
            if let RefOr::Item(s) = RefOr::of(schema) {
                self.record_examples(&View::of(s), &TypeRef::Named(id), &ptr);
            }
            let slot = self.space.get_mut(id);
            if matches!(slot.kind, TypeKind::Pending) {
                slot.kind = TypeKind::Alias(t.required().clone());
            }
        }
    }

    /// Drops each `x-client-default` that does not fit its field (a warning).
    pub(crate) fn check_client_defaults(&mut self) {
        for (id, index, ptr) in std::mem::take(&mut self.client_defaults) {
            extensions::check_client_default(&mut self.space, id, index, &ptr, self.diags);
        }
    }

    /// The type of a schema position.
    pub(crate) fn convert(&mut self, s: RefOr<'a>, hint: &str, ptr: &str) -> TypeRef {
        match s {
            RefOr::Ref(r) => self.reference(r, ptr),
            RefOr::Item(schema) => self.inline(schema, hint, ptr),
        }
    }

    fn inline(&mut self, schema: &'a Schema, hint: &str, ptr: &str) -> TypeRef {
        let view = View::of(schema);
        let t = self.shape(&view, hint, ptr, None);
        self.record_examples(&view, &t, ptr);
        if view.data.nullable {
            t.optional()
        } else {
            t
        }
    }

    fn reference(&mut self, r: &str, ptr: &str) -> TypeRef {
        match self.resolver.schema_ref(r) {
            Ok(ComponentRef { name, .. }) => match self.components.get(name) {
                Some(&id) if self.nullable_components.contains(&id) => TypeRef::Named(id).optional(),
                Some(&id) => TypeRef::Named(id),
                None => {
                    self.diags.add(
                        Code::UntypedSchema,
                        ptr,
                        format!("$ref {r:?} names no schema; any JSON value is accepted"),
                    );
                    TypeRef::any()
                }
            },
            Err(reason) => {
                self.diags.add(Code::UntypedSchema, ptr, format!("{reason}; any JSON value is accepted"));
                TypeRef::any()
            }
        }
    }

    fn record_examples(&mut self, view: &View<'a>, t: &TypeRef, ptr: &str) {
        for ex in view.examples() {
            if ex.is_null() {
                continue;
            }
            self.examples.push(Example::new(t.required().clone(), ex.clone(), ptr.to_string()));
        }
    }

    /// Allocate a named type (or use the component's pre-allocated slot).
    fn alloc(&mut self, slot: Option<TypeId>, hint: &str, docs: Docs, ptr: &str) -> TypeId {
        match slot {
            Some(id) => id,
            None => {
                let name = self.type_names.claim(&naming::safe_type_name(hint));
                self.space.add(NamedType { name, docs, origin: ptr.to_string(), kind: TypeKind::Pending })
            }
        }
    }

    fn shape(&mut self, v: &View<'a>, hint: &str, ptr: &str, slot: Option<TypeId>) -> TypeRef {
        if !v.enum_values.is_empty() {
            return self.enumeration(v, hint, ptr, slot);
        }
        let one_of = meaningful(v.one_of);
        let any_of = meaningful(v.any_of);
        if !one_of.is_empty() || !any_of.is_empty() {
            if !v.has_properties() && v.all_of.is_empty() {
                let (key, branches) = if one_of.is_empty() { ("anyOf", any_of) } else { ("oneOf", one_of) };
                return self.union(v, branches, hint, &child(ptr, key), slot);
            }
            self.diags.add(
                Code::MixedUnion,
                ptr,
                "properties or allOf next to oneOf/anyOf; the alternatives are not typed",
            );
        }
        if !shaping_parts(v.all_of).is_empty() {
            return self.all_of(v, hint, ptr, slot);
        }
        match v.ty {
            Some("string") => TypeRef::Prim(string_prim(v.format.as_deref())),
            Some("boolean") => TypeRef::Prim(Prim::Bool),
            Some("integer") => TypeRef::Prim(integer_prim(v.format.as_deref(), v.non_negative)),
            Some("number") => TypeRef::Prim(number_prim(v.format.as_deref())),
            Some("array") => self.array(v, hint, ptr),
            Some("object") => self.object(v, hint, ptr, slot),
            None if v.has_properties() || v.additional.is_some() => self.object(v, hint, ptr, slot),
            None if v.items.is_some() => self.array(v, hint, ptr),
            None if v.format.is_some() => TypeRef::Prim(string_prim(v.format.as_deref())),
            None => TypeRef::any(),
            Some(other) => {
                self.diags.add(Code::UntypedSchema, ptr, format!("unknown type {other:?}; any JSON value is accepted"));
                TypeRef::any()
            }
        }
    }

    fn array(&mut self, v: &View<'a>, hint: &str, ptr: &str) -> TypeRef {
        if let Some(elements) = self.tuple_elements(v) {
            let elements = elements
                .iter()
                .enumerate()
                .map(|(i, e)| self.convert(RefOr::of(e), &format!("{hint}{i}"), &format!("{ptr}/prefixItems/{i}")));
            return TypeRef::Tuple(elements.collect());
        }
        let item = match v.items {
            Some(items) => self.convert(RefOr::of_box(items), &format!("{hint}Item"), &child(ptr, "items")),
            None => TypeRef::any(),
        };
        TypeRef::Vec(Box::new(item))
    }

    /// A closed tuple's elements, as normalize left them: marked a tuple,
    /// the elements the `oneOf` of its `items`.
    fn tuple_elements(&self, v: &View<'a>) -> Option<&'a [ReferenceOr<Schema>]> {
        if !crate::ground::marks::is_tuple(&v.data.extensions) {
            return None;
        }
        let ReferenceOr::Item(items) = v.items? else { return None };
        match &items.schema_kind {
            SchemaKind::OneOf { one_of } if !one_of.is_empty() => Some(one_of),
            _ => None,
        }
    }

    fn object(&mut self, v: &View<'a>, hint: &str, ptr: &str, slot: Option<TypeId>) -> TypeRef {
        if !v.has_properties() {
            let value = match v.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let p = child(ptr, "additionalProperties");
                    self.convert(RefOr::of(s), &format!("{hint}Value"), &p)
                }
                _ => TypeRef::any(),
            };
            return TypeRef::Map(Box::new(value));
        }
        let props: Vec<(String, RefOr<'a>, String)> = v
            .properties
            .into_iter()
            .flat_map(|p: &'a Props| p.iter())
            .map(|(name, s)| (name.clone(), RefOr::of_box(s), child(&child(ptr, "properties"), name)))
            .collect();
        let merged = Merged {
            visited: HashSet::new(),
            props,
            required: {
                let mut r = Vec::new();
                extend_required(&mut r, v.required);
                r
            },
            additional: v.additional,
            docs: docs_of(v),
        };
        self.structure(merged, hint, ptr, slot)
    }

    fn structure(&mut self, m: Merged<'a>, hint: &str, ptr: &str, slot: Option<TypeId>) -> TypeRef {
        let id = self.alloc(slot, hint, m.docs, ptr);
        let type_name = self.space.get(id).name.clone();
        let mut field_names = NameSet::new();
        let mut fields = Vec::new();
        for (wire, schema, prop_ptr) in m.props {
            let prop_hint = format!("{type_name}{}", naming::type_name(&wire));
            let ty = self.convert(schema, &prop_hint, &prop_ptr);
            let (docs, read_only, write_only, data) = match schema {
                RefOr::Item(s) => {
                    let view = View::of(s);
                    (docs_of(&view), view.data.read_only, view.data.write_only, Some(&s.schema_data))
                }
                RefOr::Ref(_) => (Docs::default(), false, false, None),
            };
            let required = m.required.contains(&wire) && !read_only && !write_only;
            let skip_if_none = !required;
            let ty = if required { ty } else { ty.optional() };
            let name = field_names.claim_value(&naming::value_name(&wire));
            let packed = data.and_then(|d| extensions::packed(&self.space, d, &ty, &prop_ptr, self.diags));
            let client_default = data.and_then(|d| extensions::client_default(d, &prop_ptr, self.diags));
            if client_default.is_some() {
                self.client_defaults.push((id, fields.len(), prop_ptr.clone()));
            }
            fields.push(Field {
                setter: naming::setter_name(&name, &["new", "default"]),
                name,
                wire,
                ty,
                skip_if_none,
                boxed: false,
                docs,
                read_only,
                constant: false,
                packed,
                client_default,
            });
        }
        let additional = match m.additional {
            Some(AdditionalProperties::Schema(s)) => {
                let p = child(ptr, "additionalProperties");
                Some(self.convert(RefOr::of(s), &format!("{type_name}Value"), &p))
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::any()),
            _ => None,
        };
        // Constructor order: the spec's `required` list (the IR's ergonomics pass trims it).
        let constructor = m
            .required
            .iter()
            .filter_map(|r| fields.iter().position(|f: &Field| &f.wire == r && !f.ty.is_option()))
            .collect();
        let build = Build { constructor, ..Build::default() };
        let base = if additional.is_some() { "additional_properties" } else { "extra" };
        let additional_name = naming::free_field_name(base, fields.iter().map(|f| f.name.as_str()));
        let setters = || fields.iter().map(|f| f.setter.as_str());
        let extra_setter = match setters().any(|s| s == "extra") {
            true => naming::free_field_name("with_extra", setters()),
            false => "extra".to_string(),
        };
        self.space.get_mut(id).kind =
            TypeKind::Struct(Struct { fields, additional, additional_name, extra_setter, build });
        TypeRef::Named(id)
    }

    fn enumeration(&mut self, v: &View<'a>, hint: &str, ptr: &str, slot: Option<TypeId>) -> TypeRef {
        let nullable = v.enum_values.iter().any(Value::is_null);
        let values: Vec<&Value> = v.enum_values.iter().filter(|x| !x.is_null()).collect();
        let t = if values.is_empty() {
            // `enum: [null]`: only null.
            TypeRef::any()
        } else if values.iter().all(|x| x.is_string()) {
            let id = self.alloc(slot, hint, docs_of(v), ptr);
            let mut names = NameSet::with_reserved(&["Self"]);
            let mut variants = Vec::new();
            let mut seen = HashSet::new();
            for x in values {
                let wire = x.as_str().unwrap_or_default().to_string();
                if !seen.insert(wire.clone()) {
                    continue;
                }
                let base = if wire.is_empty() { "Empty".to_string() } else { naming::type_name(&wire) };
                variants.push(EnumVariant { name: names.claim(&base), wire });
            }
            let other = names.claim("Other");
            self.space.get_mut(id).kind = TypeKind::Enum(StringEnum { variants, default: false, other });
            TypeRef::Named(id)
        } else {
            // Integer, number, boolean and mixed enums keep their primitive type.
            match v.ty {
                Some("integer") => TypeRef::Prim(integer_prim(v.format.as_deref(), v.non_negative)),
                Some("number") => TypeRef::Prim(number_prim(v.format.as_deref())),
                Some("boolean") => TypeRef::Prim(Prim::Bool),
                _ if values.iter().all(|x| x.is_i64()) => TypeRef::Prim(Prim::I64),
                _ if values.iter().all(|x| x.is_number()) => TypeRef::Prim(Prim::F64),
                _ if values.iter().all(|x| x.is_boolean()) => TypeRef::Prim(Prim::Bool),
                _ => TypeRef::any(),
            }
        };
        if nullable {
            t.optional()
        } else {
            t
        }
    }

    fn union(
        &mut self,
        v: &View<'a>,
        branches: Vec<RefOr<'a>>,
        hint: &str,
        ptr: &str,
        slot: Option<TypeId>,
    ) -> TypeRef {
        if branches.len() == 1 {
            let t = self.convert(branches[0], hint, &child(ptr, "0"));
            if let Some(id) = slot {
                self.space.get_mut(id).kind = TypeKind::Alias(t.required().clone());
            }
            return t;
        }
        let id = self.alloc(slot, hint, docs_of(v), ptr);
        let union_name = self.space.get(id).name.clone();
        let mut names = NameSet::with_reserved(&["Self", "Unknown"]);
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut nullable = false;
        for (i, b) in branches.into_iter().enumerate() {
            let bptr = child(ptr, &i.to_string());
            let component = match b {
                RefOr::Ref(r) => self.resolver.schema_ref(r).ok().map(|c| c.name.to_string()),
                RefOr::Item(_) => None,
            };
            let hint = match b {
                RefOr::Item(s) => match &s.schema_data.title {
                    Some(t) => format!("{union_name}{}", naming::type_name(t)),
                    None => format!("{union_name}Variant{i}"),
                },
                RefOr::Ref(_) => format!("{union_name}Variant{i}"),
            };
            let ty = self.convert(b, &hint, &bptr);
            nullable |= ty.is_option();
            let ty = ty.required().clone();
            if variants.iter().any(|x| x.ty == ty) {
                continue;
            }
            let base = variant_name(&self.space, &ty);
            variants.push(UnionVariant { name: names.claim(&base), ty, boxed: false, component });
        }
        let discriminator = v.data.discriminator.as_ref().map(|d| super::Discriminator {
            property: d.property_name.clone(),
            mapping: d.mapping.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        });
        let kind = if variants.len() == 1 {
            TypeKind::Alias(variants[0].ty.clone())
        } else {
            TypeKind::Union(Union {
                variants,
                tagging: super::Tagging::Untagged,
                discriminator,
                conversions: Vec::new(),
                from_str: None,
            })
        };
        self.space.get_mut(id).kind = kind;
        let t = TypeRef::Named(id);
        if nullable {
            t.optional()
        } else {
            t
        }
    }

    fn all_of(&mut self, v: &View<'a>, hint: &str, ptr: &str, slot: Option<TypeId>) -> TypeRef {
        let parts = shaping_parts(v.all_of);
        if parts.len() == 1 && !v.has_properties() && v.additional.is_none() {
            let t = self.convert(parts[0], hint, &child(ptr, "allOf/0"));
            if let Some(id) = slot {
                self.space.get_mut(id).kind = TypeKind::Alias(t.required().clone());
            }
            return t;
        }
        let mut merged = Merged {
            visited: HashSet::new(),
            props: Vec::new(),
            required: Vec::new(),
            additional: None,
            docs: docs_of(v),
        };
        let all_of_ptr = child(ptr, "allOf");
        for (i, part) in parts.iter().enumerate() {
            if let Err(reason) = self.collect(*part, &child(&all_of_ptr, &i.to_string()), &mut merged, 0) {
                self.diags.add(
                    Code::UnmergedAllOf,
                    ptr,
                    format!("allOf cannot be merged into one struct ({reason}); any JSON value is accepted"),
                );
                return TypeRef::any();
            }
        }
        if let Some(props) = v.properties {
            for (name, s) in props {
                let p = child(&child(ptr, "properties"), name);
                upsert(&mut merged.props, name.clone(), RefOr::of_box(s), p);
            }
        }
        extend_required(&mut merged.required, v.required);
        if v.additional.is_some() {
            merged.additional = v.additional;
        }
        if merged.props.is_empty() && merged.additional.is_none() {
            // Only constraints and docs: an object without a fixed shape.
            return TypeRef::Map(Box::new(TypeRef::any()));
        }
        self.structure(merged, hint, ptr, slot)
    }

    /// Collect the properties of one `allOf` part, following refs and nested `allOf`.
    fn collect(&mut self, part: RefOr<'a>, ptr: &str, into: &mut Merged<'a>, depth: usize) -> Result<(), String> {
        if depth > MAX_MERGE_DEPTH {
            return Err("allOf nests too deep (cyclic?)".into());
        }
        let (schema, ptr) = match part {
            RefOr::Ref(r) => {
                let c = self.resolver.schema_ref(r)?;
                if !into.visited.insert(c.name) {
                    return Ok(());
                }
                let schema = self.resolver.schema(c.name).ok_or_else(|| format!("$ref {r:?} names no schema"))?;
                match RefOr::of(schema) {
                    RefOr::Ref(r2) => return self.collect(RefOr::Ref(r2), ptr, into, depth + 1),
                    RefOr::Item(s) => (s, child("#/components/schemas", c.name)),
                }
            }
            RefOr::Item(s) => (s, ptr.to_string()),
        };
        let v = View::of(schema);
        if !meaningful(v.one_of).is_empty() || !meaningful(v.any_of).is_empty() {
            return Err("a part is a oneOf/anyOf".into());
        }
        if matches!(v.ty, Some("string" | "integer" | "number" | "boolean" | "array")) || !v.enum_values.is_empty() {
            return Err(format!("a part is not an object ({})", v.ty.unwrap_or("enum")));
        }
        for (i, p) in shaping_parts(v.all_of).into_iter().enumerate() {
            self.collect(p, &child(&child(&ptr, "allOf"), &i.to_string()), into, depth + 1)?;
        }
        if let Some(props) = v.properties {
            for (name, s) in props {
                let p = child(&child(&ptr, "properties"), name);
                upsert(&mut into.props, name.clone(), RefOr::of_box(s), p);
            }
        }
        extend_required(&mut into.required, v.required);
        if v.additional.is_some() {
            into.additional = v.additional;
        }
        if into.docs.description.is_none() {
            into.docs.description = v.data.description.clone();
        }
        Ok(())
    }
}

/// Later `allOf` parts override a property of the same name in place.
fn upsert<'a>(props: &mut Vec<(String, RefOr<'a>, String)>, name: String, s: RefOr<'a>, ptr: String) {
    match props.iter_mut().find(|(n, _, _)| *n == name) {
        Some(slot) => {
            slot.1 = s;
            slot.2 = ptr;
        }
        None => props.push((name, s, ptr)),
    }
}

/// Branches that add shape (constraint-only branches are validation, not types).
fn meaningful(list: &[openapiv3::ReferenceOr<Schema>]) -> Vec<RefOr<'_>> {
    list.iter()
        .map(RefOr::of)
        .filter(|b| match b {
            RefOr::Ref(_) => true,
            RefOr::Item(s) => !View::of(s).is_constraint_only(),
        })
        .collect()
}

/// `allOf` parts that add shape: docs-only parts just annotate the others.
fn shaping_parts(list: &[openapiv3::ReferenceOr<Schema>]) -> Vec<RefOr<'_>> {
    list.iter()
        .map(RefOr::of)
        .filter(|b| match b {
            RefOr::Ref(_) => true,
            RefOr::Item(s) => !View::of(s).adds_no_shape(),
        })
        .collect()
}

pub(super) fn docs_of(v: &View<'_>) -> Docs {
    Docs { title: v.data.title.clone(), description: v.data.description.clone(), deprecated: v.data.deprecated }
}

/// A string's type: a runtime format type when the format has one.
fn string_prim(format: Option<&str>) -> Prim {
    format.and_then(super::StringFormat::of).map_or(Prim::String, Prim::Formatted)
}

/// An integer's type: by its format, unsigned when its minimum is 0 or more
/// (the unsigned type of the same width holds every value it allows).
fn integer_prim(format: Option<&str>, non_negative: bool) -> Prim {
    if non_negative {
        match format {
            Some("int8") => return Prim::U8,
            Some("int16") => return Prim::U16,
            Some("int32") => return Prim::U32,
            Some("int64") | None => return Prim::U64,
            _ => {}
        }
    }
    match format {
        Some("int8") => Prim::I8,
        Some("int16") => Prim::I16,
        Some("int32") => Prim::I32,
        Some("uint8") => Prim::U8,
        Some("uint16") => Prim::U16,
        Some("uint32") => Prim::U32,
        Some("uint64" | "uint") => Prim::U64,
        _ => Prim::I64,
    }
}

/// Every JSON number is a double; `format: float` as `f32` would lose digits
/// of real values (a latitude of 51.503541 came back as 51.5035400390625).
fn number_prim(_format: Option<&str>) -> Prim {
    Prim::F64
}

/// A variant name that says what the variant holds.
fn variant_name(space: &TypeSpace, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => space.get(*id).name.clone(),
        TypeRef::Prim(p) => match p {
            Prim::String => "String",
            Prim::Bool => "Boolean",
            Prim::F64 => "Number",
            Prim::Any => "Any",
            Prim::Formatted(f) => f.type_name(),
            _ => "Integer",
        }
        .to_string(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(space, inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(space, inner)),
        TypeRef::Tuple(_) => "Tuple".to_string(),
        TypeRef::Option(inner) => variant_name(space, inner),
    }
}

/// Append required names not yet listed, keeping the spec's order.
fn extend_required(into: &mut Vec<String>, more: &[String]) {
    for r in more {
        if !into.contains(r) {
            into.push(r.clone());
        }
    }
}
