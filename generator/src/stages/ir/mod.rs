//! The intermediate representation: the [`ir`](crate::pipeline) stage (the
//! pipeline numbers the stages).
//!
//! Named types live in one table ([`TypeSpace`]) addressed by [`TypeId`];
//! every use site is a [`TypeRef`]. All naming (Rust identifiers, collision
//! handling), deduplication, boxing of recursive types and union tagging is
//! decided here, so codegen only spells out what the IR says. Nothing here is a
//! token.

mod bodies;
mod boxing;
mod build;
mod dedupe;
mod ergonomics;
pub(crate) mod examples;
mod extensions;
pub(crate) mod features;

mod operation;
pub(crate) mod pagination;
pub(crate) mod polling;
mod reach;
mod responses;
mod schema;
pub(crate) mod security;
mod unions;
mod view;

pub(crate) use crate::ground::http::HttpMethod;
use crate::ground::naming::Ident;
use serde_json::Value;

pub(crate) use build::{build, IrOptions};

/// Index of a named type in [`TypeSpace::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TypeId(pub u32);

/// A type at a use site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum TypeRef {
    Named(TypeId),
    Prim(Prim),
    Vec(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    Option(Box<TypeRef>),
    /// A JSON array of exactly these elements (`prefixItems`, closed).
    Tuple(Vec<TypeRef>),
}

impl TypeRef {
    pub(crate) fn any() -> TypeRef {
        TypeRef::Prim(Prim::Any)
    }

    pub(crate) fn is_option(&self) -> bool {
        matches!(self, TypeRef::Option(_))
    }

    /// Wrap in `Option` unless it already is one.
    pub(crate) fn optional(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            // `Value` already represents `null`.
            TypeRef::Prim(Prim::Any) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }

    /// The type without an outer `Option`.
    pub(crate) fn required(&self) -> &TypeRef {
        match self {
            TypeRef::Option(inner) => inner,
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Prim {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F64,
    /// Any JSON value (`serde_json::Value`).
    Any,
    /// A string of a format, typed by the runtime's `Formatted` (the text
    /// kept, the value parsed when it is valid).
    Formatted(StringFormat),
}

/// The string formats with a Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum StringFormat {
    /// `date-time`: `runtime::DateTime`.
    DateTime,
    /// `date`: `runtime::Date`.
    Date,
    /// `time`: `runtime::Time`.
    Time,
    /// `uuid`: `runtime::Uuid`.
    Uuid,
    /// `byte` (base64): `runtime::Base64`.
    Base64,
}

impl StringFormat {
    /// The format of a `format` keyword of a string, if it has a type.
    pub(crate) fn of(format: &str) -> Option<StringFormat> {
        Some(match format {
            "date-time" => StringFormat::DateTime,
            "date" => StringFormat::Date,
            "time" => StringFormat::Time,
            "uuid" => StringFormat::Uuid,
            "byte" => StringFormat::Base64,
            _ => return None,
        })
    }

    /// The runtime's name of its type.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            StringFormat::DateTime => "DateTime",
            StringFormat::Date => "Date",
            StringFormat::Time => "Time",
            StringFormat::Uuid => "Uuid",
            StringFormat::Base64 => "Base64",
        }
    }
}

impl Prim {
    /// Cheap to pass by value.
    pub(crate) fn is_copy(self) -> bool {
        !matches!(self, Prim::String | Prim::Any | Prim::Formatted(_))
    }
}

/// Documentation taken from the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}

impl Docs {
    /// Drop a title or description that only repeats the item's own name
    /// (FastAPI's `title: Upload Id` on `upload_id`): it is noise in the docs.
    pub(crate) fn drop_name_echo(&mut self, names: &[&str]) {
        let key = |s: &str| -> String {
            s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
        };
        let echoes = |text: &Option<String>| text.as_deref().is_some_and(|t| names.iter().any(|n| key(n) == key(t)));
        if echoes(&self.title) {
            self.title = None;
        }
        if echoes(&self.description) {
            self.description = None;
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct NamedType {
    /// The Rust identifier, unique in the types module.
    pub name: String,
    pub docs: Docs,
    /// Where it was defined (JSON pointer).
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// `pub type Name = T;`
    Alias(TypeRef),
    /// `pub struct Name(pub T);`, for recursive aliases.
    Newtype(TypeRef),
    /// Per-operation enum of documented error bodies.
    ErrorEnum(ErrorEnum),
    /// Per-operation enum of several 2xx bodies, a variant per status.
    SuccessEnum(SuccessEnum),
    /// A `multipart/form-data` body: a struct whose file fields take bytes.
    Multipart(MultipartBody),
    /// Not yet filled in (only during construction).
    Pending,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Struct {
    pub fields: Vec<Field>,
    /// Properties beyond the named ones (`additionalProperties`), flattened;
    /// `None`: the runtime's `Extra` keeps whatever else the JSON holds.
    pub additional: Option<TypeRef>,
    /// The field that holds them (a name no other field has).
    pub additional_name: String,
    /// The chained setter that adds an `Extra` member (`extra`, or
    /// `with_extra` when a field's setter is `extra`); used on types with
    /// setters and no declared additional properties.
    pub extra_setter: String,
    /// How callers build it.
    pub build: Build,
}

/// How a struct is built by hand (decided by the ergonomics pass).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Build {
    /// Every field has a default (optional, nullable, or one allowed value): `Default`.
    pub default: bool,
    /// `new(..)` takes these fields (indices, in the spec's `required` order);
    /// empty when there is no constructor.
    pub constructor: Vec<usize>,
    /// A chained setter per optional field (types sent in requests).
    pub setters: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub name: Ident,
    /// Its setter, when it has one (`with_new` for a field named `new`).
    pub setter: Ident,
    pub wire: String,
    /// `Option<..>` when the field may be absent or null.
    pub ty: TypeRef,
    /// Absent when `None` (not required); required fields serialize `null`.
    pub skip_if_none: bool,
    pub boxed: bool,
    pub docs: Docs,
    pub read_only: bool,
    /// Required with one allowed value: filled in when the JSON lacks it
    /// (decided by the ergonomics pass).
    pub constant: bool,
    /// `x-packed-base64`: an array of numbers that may arrive as base64.
    pub packed: Option<Packed>,
    /// `x-client-default`: what `new()` and `Default` set it to.
    pub client_default: Option<ClientDefault>,
}

/// The width of the numbers in a packed base64 vector (`x-packed-base64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Packed {
    Float32,
    Float64,
}

impl Packed {
    /// The spec's spelling (`float32`).
    pub(crate) fn parse(name: &str) -> Option<Packed> {
        match name {
            "float32" => Some(Packed::Float32),
            "float64" => Some(Packed::Float64),
            _ => None,
        }
    }

    /// Its codec in a `runtime::object!`'s `packed` entry (`as
    /// base64_f32`), which the runtime names.
    pub(crate) fn codec(self) -> &'static str {
        match self {
            Packed::Float32 => "base64_f32",
            Packed::Float64 => "base64_f64",
        }
    }
}

/// A value the client sends for an optional field the caller leaves unset
/// (`x-client-default`), checked against the field's type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ClientDefault {
    /// A string, or a value of a string enumeration (converted from its wire form).
    Str(String),
    Bool(bool),
    Int(i64),
}

/// How a field is present on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    /// Always there, never `null`.
    Required,
    /// May be absent; `None` is left out.
    Optional,
    /// Always there, maybe `null`; `None` is written as `null`.
    Nullable,
}

impl Presence {
    /// The keyword of a `runtime::object!` entry, which the runtime macro
    /// matches (and the API snapshot's spelling).
    pub fn keyword(self) -> &'static str {
        match self {
            Presence::Required => "required",
            Presence::Optional => "optional",
            Presence::Nullable => "nullable",
        }
    }
}

impl Field {
    /// How the field is present on the wire; decided here once for the
    /// generated `runtime::object!` entries and the API diff.
    pub(crate) fn presence(&self) -> Presence {
        match (self.ty.is_option(), self.skip_if_none) {
            (false, _) => Presence::Required,
            (true, true) => Presence::Optional,
            (true, false) => Presence::Nullable,
        }
    }

    /// The keyword of its `runtime::object!` entry: the presence's, or
    /// `constant` for a required field with one allowed value.
    pub(crate) fn object_keyword(&self) -> &'static str {
        match self.presence() {
            Presence::Required if self.constant => "constant",
            presence => presence.keyword(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// One allowed value: it is the `Default`, filled in for callers.
    pub default: bool,
    /// The catch-all variant that unknown strings deserialize into (every
    /// string enum has one, so a value the spec adds later breaks nobody).
    pub other: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EnumVariant {
    pub name: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Union {
    pub variants: Vec<UnionVariant>,
    pub tagging: Tagging,
    /// Set by the spec (`discriminator`); mapping values are component refs.
    pub discriminator: Option<Discriminator>,
    /// Variants with a `From` impl from their type (those whose type no other variant shares).
    pub conversions: Vec<usize>,
    /// The `String` variant, also built `From<&str>`.
    pub from_str: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Discriminator {
    pub property: String,
    pub mapping: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    pub boxed: bool,
    /// The component it came from, for discriminator mapping.
    pub component: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tagging {
    /// Try each variant in order (already sorted most specific first).
    Untagged,
    /// Dispatch on a string property that every variant carries.
    Tagged {
        property: String,
        /// Tag value and the variant index it selects.
        cases: Vec<(String, usize)>,
        /// What a tag not listed gives.
        fallback: Fallback,
    },
}

/// What a tagged union makes of a tag it does not list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fallback {
    /// This variant (the one variant that takes any tag).
    Variant(usize),
    /// A variant of this name that keeps the JSON value.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ErrorEnum {
    pub variants: Vec<ErrorVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ErrorVariant {
    pub name: String,
    pub status: StatusMatch,
    pub ty: TypeRef,
    pub docs: Docs,
    /// The type of undeclared statuses (`undeclared_errors`): a body that
    /// does not fit is an untyped error, not a decode error.
    pub lenient: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SuccessEnum {
    pub variants: Vec<SuccessVariant>,
    /// The variant for a 2xx status the spec does not list (its raw body);
    /// `None` when a `default` variant takes them.
    pub other: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SuccessVariant {
    pub name: String,
    pub status: StatusMatch,
    pub body: ResponseBody,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MultipartBody {
    pub fields: Vec<MultipartField>,
}

/// How a multipart field is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartKind {
    /// Text (scalars), repeated parts (arrays) or a JSON part (objects).
    Value,
    /// One file.
    File,
    /// Several files under the same name.
    Files,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MultipartField {
    pub name: Ident,
    /// Its setter, when optional (`with_new` for a field named `new`).
    pub setter: Ident,
    pub wire: String,
    /// The value type for [`PartKind::Value`] (without `Option`).
    pub ty: TypeRef,
    pub kind: PartKind,
    pub required: bool,
    /// The part's content type from the spec's `encoding`.
    pub content_type: Option<String>,
    pub docs: Docs,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TypeSpace {
    pub types: Vec<NamedType>,
}

impl TypeSpace {
    pub(crate) fn get(&self, id: TypeId) -> &NamedType {
        &self.types[id.0 as usize]
    }

    pub(crate) fn get_mut(&mut self, id: TypeId) -> &mut NamedType {
        &mut self.types[id.0 as usize]
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = TypeId> {
        (0..self.types.len() as u32).map(TypeId)
    }

    fn add(&mut self, t: NamedType) -> TypeId {
        self.types.push(t);
        TypeId(self.types.len() as u32 - 1)
    }

    /// Follow aliases to the underlying use-site type.
    pub(crate) fn unalias<'a>(&'a self, mut t: &'a TypeRef) -> &'a TypeRef {
        for _ in 0..64 {
            match t {
                TypeRef::Named(id) => match &self.get(*id).kind {
                    TypeKind::Alias(inner) => t = inner,
                    _ => return t,
                },
                _ => return t,
            }
        }
        t
    }
}

// ---------------------------------------------------------------- operations

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum QueryStyle {
    /// `a=1&a=2` (form, explode) for arrays; `k=v` pairs for objects.
    FormExplode,
    /// `a=1,2`
    FormCsv,
    SpaceDelimited,
    PipeDelimited,
    /// `a[k]=v`
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Param {
    /// Rust argument name (required) or builder setter name (optional), unique within the operation.
    pub name: Ident,
    pub wire: String,
    pub location: ParamLocation,
    /// The value type (without `Option`); see `required`.
    pub ty: TypeRef,
    pub required: bool,
    pub style: QueryStyle,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathPart {
    Literal(String),
    /// Index into [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Json,
    /// `application/x-www-form-urlencoded`
    Form,
    /// `multipart/form-data`; the type is a [`TypeKind::Multipart`] (or any
    /// value, filled by hand through `runtime::Multipart`).
    Multipart,
    /// Raw bytes with a content type.
    Binary,
    /// A text body (`text/*`).
    Text,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Body {
    pub kind: BodyKind,
    /// The builder setter that sends this body (alternatives and optional bodies).
    pub setter: String,
    pub content_type: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum StatusMatch {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u8),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ResponseBody {
    Json(TypeRef),
    Text,
    Binary,
    Empty,
    /// `text/event-stream`: events whose data is this type (JSON), or text;
    /// `end` is the data of the event that ends the stream, when the
    /// protocol has one (a body that ends without it was cut short).
    Events {
        data: TypeRef,
        json: bool,
        end: Option<String>,
    },
}

/// What a successful call gives.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Success {
    One(ResponseBody),
    /// Several 2xx statuses with different bodies: a [`TypeKind::SuccessEnum`].
    ByStatus(TypeId),
}

/// The streaming form of an operation, beside its buffered one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StreamForm {
    /// The success body as events (`text/event-stream` next to JSON);
    /// `flag` is a boolean body property the streaming call sets to true;
    /// `end` is the data of the event that ends the stream, when the
    /// protocol has one (a body that ends without it was cut short).
    Events { data: TypeRef, json: bool, flag: Option<String>, end: Option<String> },
    /// A binary success body as a stream of chunks.
    Bytes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum AuthKind {
    Bearer,
    Basic,
    /// An API key sent in a header, query parameter or cookie of this name.
    ApiKey(ParamLocation),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SecurityScheme {
    /// The key in `components/securitySchemes`.
    pub id: String,
    pub kind: AuthKind,
    /// Header/query/cookie name for API keys.
    pub param_name: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// Rust method name, unique on the client.
    pub name: Ident,
    pub method: HttpMethod,
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub params: Vec<Param>,
    /// The request builder's type name, unique among builders.
    pub builder: String,
    /// Request bodies by media type; the first is the default (JSON when offered).
    pub bodies: Vec<Body>,
    /// The success response (2xx, or `default` when no 2xx exists).
    pub success: Success,
    pub stream: Option<StreamForm>,
    /// Documented non-success responses with a typed body.
    pub error_type: Option<TypeId>,
    /// Alternatives, each a set of schemes used together; an empty one means
    /// "no credentials". Empty: the operation needs none.
    pub security: Vec<Vec<SecurityScheme>>,
    pub docs: Docs,
    pub summary: Option<String>,
    /// The operation's first tag, for grouping in docs.
    pub group: Option<String>,
    /// The cargo feature the spec or the manifest puts it in
    /// (`x-openapi-gen-feature`), before any grouping rule.
    pub feature: Option<String>,
    /// How it pages through a list, when it does.
    pub pagination: Option<pagination::Paging>,
    /// How `.wait()` polls it until its state is terminal (`x-polling`).
    pub polling: Option<polling::Polling>,
    /// Its method on the generated mock server (its own name unless the mock
    /// server defines that name).
    pub mock_name: Ident,
    /// Its subcommand on the generated command line.
    pub cli: CliName,
}

/// Where an operation is on the generated command line: `<group> <command>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CliName {
    /// The group's subcommand: the first tag in kebab case (`api` without one).
    pub group: String,
    /// The operation's: its method's name in kebab case, unique in the group.
    pub command: String,
}

/// One spec a client is generated from.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SpecInfo {
    /// The file's name (empty for a document given as a value).
    pub file: String,
    pub title: String,
    pub version: String,
    /// The overlays applied to it, in order: (file name, title, version).
    pub overlays: Vec<(String, String, String)>,
}

/// Everything codegen needs.
#[derive(Debug, Clone)]
pub(crate) struct Ir {
    pub title: String,
    pub version: String,
    /// Every spec merged into this API, in order (the first names it).
    pub specs: Vec<SpecInfo>,
    pub description: Option<String>,
    pub default_base_url: String,
    pub env_prefix: String,
    /// Every security scheme an operation uses, with the variable `from_env` reads for it.
    pub security_schemes: Vec<(SecurityScheme, String)>,
    /// A typed setter on the client per security scheme.
    pub credential_setters: Vec<security::CredentialSetter>,
    pub types: TypeSpace,
    pub operations: Vec<Operation>,
    /// Schema examples to round-trip: (type, value, where from).
    pub examples: Vec<Example>,
    /// The cargo feature of each operation and type, when the client is split.
    pub features: Option<features::Features>,
}

#[derive(Debug, Clone)]
pub(crate) struct Example {
    pub ty: TypeRef,
    pub value: Value,
    pub origin: String,
    /// The name of its round-trip test, given when the examples are selected.
    pub test_name: String,
}

impl Example {
    /// An example found in the spec, not yet checked or named.
    pub(crate) fn new(ty: TypeRef, value: Value, origin: String) -> Self {
        Example { ty, value, origin, test_name: String::new() }
    }
}

#[cfg(test)]
mod tests;
