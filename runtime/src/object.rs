//! Serialization of generated object types through shared code.
//!
//! `#[derive(Serialize, Deserialize)]` expands to about 200 lines per
//! struct, which is most of what a large generated client costs to compile.
//! Generated structs instead implement [`Object`] with one short loop over
//! the fields and leave the rest to the generic code here, which the
//! compiler checks once. The behaviour matches the derive's where it can:
//! a missing non-`Option` field and a duplicate key are errors, a missing
//! `Option` field is `None`, and errors from `serde_json` keep their line and
//! column. Unlike the derive, a type with an `..others` field keeps the keys
//! it does not declare (in [`crate::Extra`], or its declared additional
//! properties) and writes them back; and a `constant` field (one allowed
//! value) that is missing takes its default, that one value.

use crate::extra::Others;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// A JSON object type that generated code reads field by field.
pub trait Object: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// The fields' names on the wire, in declaration order.
    const FIELDS: &'static [&'static str];
    /// Each field's kind: `required`, `constant`, `optional` or `nullable`.
    const KINDS: &'static [&'static str];
    /// Whether properties not listed are kept (in a map of additional properties).
    const OTHERS: bool;
    /// Builds the value from the object's entries.
    fn read<'de, A: MapAccess<'de>>(fields: Fields<'de, A, Self>) -> Result<Self, A::Error>;
    /// Writes the value's entries (the writer keeps the first error).
    fn write<M: SerializeMap>(&self, object: &mut ObjectWriter<M>);
}

/// Implements [`Object`], `Serialize` and `Deserialize` for a struct from
/// its fields: index, name, name on the wire, kind — `required`, `constant`
/// (required, with one allowed value: its `Default` when missing), `optional`
/// (absent when `None`) or `nullable` (required, `null` when `None`) — and
/// type; and, last, `..name` for the field that keeps the properties not
/// listed ([`crate::Extra`], or a map of declared additional properties).
/// A listed name among them is an error when writing: the typed field is
/// the one to set. Entries `packed 1 embedding as base64_f32` (or `as
/// base64_f64`) at the end read those `Vec<f64>` fields from a JSON array or
/// a packed base64 string ([`crate::packed`]).
///
/// ```
/// #[derive(Debug, PartialEq)]
/// struct Pet { name: String, r#type: Option<String>, tag: Option<i64>, extra: openapi_gen_runtime::Extra }
/// openapi_gen_runtime::object!(Pet {
///     0 name "name" required: String,
///     1 r#type "type" optional: Option<String>,
///     2 tag "tag" nullable: Option<i64>,
///     ..extra
/// });
/// let pet: Pet = serde_json::from_str(r#"{"name": "Rex", "other": true}"#).unwrap();
/// assert_eq!((pet.name.as_str(), pet.r#type.as_ref(), pet.tag), ("Rex", None, None));
/// assert_eq!(pet.extra.get::<bool>("other").unwrap(), Some(true));
/// assert_eq!(serde_json::to_string(&pet).unwrap(), r#"{"name":"Rex","tag":null,"other":true}"#);
/// ```
#[macro_export]
macro_rules! object {
    ($name:ident { $($index:literal $field:ident $wire:literal $kind:ident : $ty:ty),*
        $(, packed $pindex:literal $pfield:ident as $codec:ident)* $(,)? }) => {
        $crate::object!(@impl $name [$($index $field $wire $kind $ty),*] [] [$($pindex $pfield as $codec),*]);
    };
    ($name:ident { $($index:literal $field:ident $wire:literal $kind:ident : $ty:ty,)* ..$extra:ident
        $(, packed $pindex:literal $pfield:ident as $codec:ident)* $(,)? }) => {
        $crate::object!(@impl $name [$($index $field $wire $kind $ty),*] [$extra] [$($pindex $pfield as $codec),*]);
    };
    // Generic parameters are named `__A` and `__M`: the fields' types are
    // written in their scope and may be called `A` or `M`.
    // Each field is read into a typed slot. The generated code keeps to one
    // `?` in the loop and none after it: every early return drops all the
    // slots, so a `?` per field would grow with the square of the fields.
    // Packed fields (listed last, so a type without them expands to exactly
    // the code it would without the feature) are matched first.
    (@impl $name:ident [$($index:literal $field:ident $wire:literal $kind:ident $ty:ty),*] [$($extra:ident)?]
        [$($pindex:literal $pfield:ident as $codec:ident),* $(,)?]) => {
        impl $crate::object::Object for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];
            const KINDS: &'static [&'static str] = &[$(::std::stringify!($kind)),*];
            const OTHERS: bool = $crate::__object_others!($($extra)?);
            fn read<'de, __A: ::serde::de::MapAccess<'de>>(
                mut entries: $crate::object::Fields<'de, __A, Self>,
            ) -> ::std::result::Result<Self, __A::Error> {
                $(let mut $field: ::std::option::Option<$ty> = ::std::option::Option::None;)*
                $(let mut $extra = ::std::default::Default::default();)?
                while let ::std::option::Option::Some(key) = entries.next_key()? {
                    #[allow(unreachable_patterns)]
                    match key {
                        $(::std::result::Result::Ok($pindex) => entries.packed::<$crate::packed::codec::$codec, _>($pindex, &mut $pfield),)*
                        $(::std::result::Result::Ok($index) => entries.value($index, &mut $field),)*
                        ::std::result::Result::Ok(_) => entries.skip(),
                        ::std::result::Result::Err(key) => $crate::__object_other!(entries key $($extra)?),
                    }?
                }
                #[allow(unreachable_patterns)]
                match ($($field,)*) {
                    ($($crate::__object_slot!($kind $field),)*) => ::std::result::Result::Ok(Self {
                        $($field: $crate::__object_value!($kind $field),)*
                        $($extra,)?
                    }),
                    _ => ::std::result::Result::Err(entries.missing()),
                }
            }
            fn write<__M: ::serde::ser::SerializeMap>(&self, object: &mut $crate::object::ObjectWriter<__M>) {
                let _ = object $(.$kind($wire, &self.$field))* $(.others(<Self as $crate::object::Object>::FIELDS, &self.$extra))?;
            }
        }
        $crate::object_serde!($name);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __object_other {
    ($entries:ident $key:ident) => {{
        let _ = $key;
        $entries.skip()
    }};
    ($entries:ident $key:ident $extra:ident) => {
        $entries.other($key, &mut $extra)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __object_others {
    () => {
        false
    };
    ($extra:ident) => {
        true
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __object_slot {
    (required $field:ident) => {
        ::std::option::Option::Some($field)
    };
    ($kind:ident $field:ident) => {
        $field
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __object_value {
    (required $field:ident) => {
        $field
    };
    (constant $field:ident) => {
        ::std::option::Option::unwrap_or_default($field)
    };
    ($kind:ident $field:ident) => {
        ::std::option::Option::flatten($field)
    };
}

/// `Serialize` and `Deserialize` for a type that implements [`Object`] by hand.
#[doc(hidden)]
#[macro_export]
macro_rules! object_serde {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::object::deserialize_object(deserializer)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::object::serialize_object(self, serializer)
            }
        }
    };
}

/// The body of a generated `Deserialize::deserialize`.
pub fn deserialize_object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor::<T>(PhantomData))
}

/// The body of a generated `Serialize::serialize`.
pub fn serialize_object<S: Serializer, T: Object>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut object = ObjectWriter { map: serializer.serialize_map(None)?, error: None };
    value.write(&mut object);
    match object.error {
        Some(error) => Err(error),
        None => object.map.end(),
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(Fields { map, seen: Seen::default(), _types: PhantomData })
    }
}

/// The entries of an object being read into `T`.
pub struct Fields<'de, A, T> {
    map: A,
    seen: Seen,
    _types: PhantomData<(&'de (), T)>,
}

/// Which fields were read: bits for the first 64 (no allocation for an
/// object of that size, the usual case), a list for the rest.
#[derive(Default)]
struct Seen {
    bits: u64,
    more: Vec<bool>,
}

impl Seen {
    fn contains(&self, index: usize) -> bool {
        match index {
            0..64 => self.bits & (1 << index) != 0,
            _ => self.more.get(index - 64).copied().unwrap_or(false),
        }
    }

    fn insert(&mut self, index: usize) {
        match index {
            0..64 => self.bits |= 1 << index,
            _ => {
                if self.more.len() <= index - 64 {
                    self.more.resize(index - 63, false);
                }
                self.more[index - 64] = true;
            }
        }
    }
}

/// One key of an object: a declared field (by index) or another name (empty
/// unless the type keeps other properties).
pub type Key = Result<usize, String>;

impl<'de, A: MapAccess<'de>, T: Object> Fields<'de, A, T> {
    /// The next key.
    pub fn next_key(&mut self) -> Result<Option<Key>, A::Error> {
        self.map.next_key_seed(KeySeed { fields: T::FIELDS, keep_other: T::OTHERS })
    }

    /// Reads the value of field `index` into `slot`; a second value for it is an error.
    pub fn value<V: Deserialize<'de>>(&mut self, index: usize, slot: &mut Option<V>) -> Result<(), A::Error> {
        if !self.claim(index)? {
            return self.skip();
        }
        *slot = Some(self.map.next_value()?);
        Ok(())
    }

    /// Reads the value of field `index` into `slot` as a number vector that
    /// may come packed as base64 of `W` numbers ([`crate::packed`]); a second
    /// value for it is an error.
    pub fn packed<W: crate::packed::Width, V: crate::packed::Packed>(
        &mut self,
        index: usize,
        slot: &mut Option<V>,
    ) -> Result<(), A::Error> {
        if !self.claim(index)? {
            return self.skip();
        }
        *slot = Some(self.map.next_value_seed(crate::packed::Seed::<V, W>(PhantomData))?);
        Ok(())
    }

    /// Marks field `index` as read: `false` for an index the type does not
    /// have (the value is to be skipped); a second value is an error.
    fn claim(&mut self, index: usize) -> Result<bool, A::Error> {
        let Some(name) = T::FIELDS.get(index) else { return Ok(false) };
        if self.seen.contains(index) {
            return Err(de::Error::duplicate_field(name));
        }
        self.seen.insert(index);
        Ok(true)
    }

    /// Skips a value.
    pub fn skip(&mut self) -> Result<(), A::Error> {
        self.map.next_value::<IgnoredAny>().map(drop)
    }

    /// Keeps the value of a property the type does not declare.
    pub fn other<O: Others>(&mut self, key: String, others: &mut O) -> Result<(), A::Error> {
        others.keep(key, &mut self.map)
    }

    /// The error for the first required field that was not given.
    pub fn missing(&self) -> A::Error {
        let missing = (0..T::KINDS.len()).position(|i| T::KINDS[i] == "required" && !self.seen.contains(i));
        de::Error::missing_field(missing.and_then(|i| T::FIELDS.get(i)).copied().unwrap_or(T::NAME))
    }
}

struct KeySeed {
    fields: &'static [&'static str],
    keep_other: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        match self.fields.iter().position(|f| *f == key) {
            Some(index) => Ok(Ok(index)),
            None if self.keep_other => Ok(Err(key.to_owned())),
            None => Ok(Err(String::new())),
        }
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Key, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(key), &self)),
        }
    }
}

/// Where an [`Object`] writes its entries. Writing goes on as a chain; the
/// first error is kept and returned at the end.
pub struct ObjectWriter<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> ObjectWriter<M> {
    fn entry<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> &mut Self {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
        self
    }

    /// Writes a required field.
    pub fn required<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> &mut Self {
        self.entry(key, value)
    }

    /// Writes a required nullable field (`None` is `null`).
    pub fn nullable<V: Serialize>(&mut self, key: &str, value: &Option<V>) -> &mut Self {
        self.entry(key, value)
    }

    /// Writes an optional field if it is set.
    pub fn optional<V: Serialize>(&mut self, key: &str, value: &Option<V>) -> &mut Self {
        match value {
            Some(value) => self.entry(key, value),
            None => self,
        }
    }

    /// Writes a required field with one allowed value.
    pub fn constant<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> &mut Self {
        self.entry(key, value)
    }

    /// Writes the properties the type does not declare; one named like a
    /// declared field is an error (set the field instead).
    pub fn others<O: Others>(&mut self, fields: &[&str], others: &O) -> &mut Self {
        if let Some(e) = others.error() {
            self.fail(e.to_string());
        }
        for (key, value) in others.entries() {
            if fields.contains(&key.as_str()) {
                self.fail(format!("extra member `{key}` is a declared field: set the field instead"));
            }
            self.entry(key, value);
        }
        self
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(serde::ser::Error::custom(message));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq)]
    struct Pet {
        name: String,
        r#type: Option<String>,
        tag: Option<Box<Pet>>,
        extra: BTreeMap<String, i64>,
    }

    crate::object!(Pet {
        0 name "name" required: String,
        1 r#type "type" nullable: Option<String>,
        2 tag "tag" optional: Option<Box<Pet>>,
        ..extra
    });

    #[derive(Debug, PartialEq)]
    struct Plain {
        id: i64,
    }

    crate::object!(Plain { 0 id "id" required: i64 });

    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    enum Kind {
        #[default]
        Message,
    }

    impl serde::Serialize for Kind {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str("message")
        }
    }

    impl<'de> serde::Deserialize<'de> for Kind {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            match String::deserialize(d)?.as_str() {
                "message" => Ok(Kind::Message),
                other => Err(serde::de::Error::custom(format!("not a kind: {other}"))),
            }
        }
    }

    #[derive(Debug, PartialEq)]
    struct Message {
        object: Kind,
        text: String,
        extra: crate::Extra,
    }

    crate::object!(Message { 0 object "object" constant: Kind, 1 text "text" required: String, ..extra });

    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::object!(Empty {});

    #[test]
    fn fields_seen_past_the_first_64_are_kept_too() {
        let mut seen = super::Seen::default();
        for index in [0, 5, 63, 64, 65, 130] {
            assert!(!seen.contains(index), "{index}");
            seen.insert(index);
            assert!(seen.contains(index), "{index}");
        }
        let all: Vec<usize> = (0..200).filter(|i| seen.contains(*i)).collect();
        assert_eq!(all, [0, 5, 63, 64, 65, 130]);
    }

    #[test]
    fn reads_fields_options_and_other_properties() {
        let pet: Pet =
            serde_json::from_str(r#"{"x": 1, "name": "Rex", "type": null, "tag": {"name": "inner"}}"#).unwrap();
        assert_eq!(pet.name, "Rex");
        assert_eq!(pet.r#type, None);
        assert_eq!(pet.tag.as_ref().map(|t| t.name.as_str()), Some("inner"));
        assert_eq!(pet.extra.get("x"), Some(&1));
        let back = serde_json::to_value(&pet).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"name": "Rex", "type": null, "tag": {"name": "inner", "type": null}, "x": 1})
        );
        // From a buffered value too (unions deserialize variants that way).
        let again: Pet = serde_json::from_value(back).unwrap();
        assert_eq!(again, pet);
    }

    #[test]
    fn errors_match_the_derive_and_keep_positions() {
        let missing = serde_json::from_str::<Pet>(r#"{"type": "dog"}"#).unwrap_err().to_string();
        assert_eq!(missing, "missing field `name` at line 1 column 15");
        let twice = serde_json::from_str::<Pet>(r#"{"name": "a", "name": "b"}"#).unwrap_err().to_string();
        assert!(twice.starts_with("duplicate field `name`"), "{twice}");
        let wrong = serde_json::from_str::<Pet>(r#"{"name": 5}"#).unwrap_err().to_string();
        assert!(wrong.contains("line 1 column 10"), "{wrong}");
        let not_object = serde_json::from_str::<Pet>("[1]").unwrap_err().to_string();
        assert!(not_object.starts_with("invalid type: sequence, expected an object (Pet)"), "{not_object}");
        // Another property whose value does not fit the map is an error, as with `#[serde(flatten)]`.
        assert!(serde_json::from_str::<Pet>(r#"{"name": "a", "x": "str"}"#).is_err());
    }

    #[test]
    fn keys_not_declared_are_kept_in_order_and_written_back() {
        let text = r#"{"z":1,"text":"hi","reasoning_content":"because","object":"message","a":{"b":[null]}}"#;
        let message: Message = serde_json::from_str(text).unwrap();
        assert_eq!(message.extra.get::<String>("reasoning_content").unwrap().as_deref(), Some("because"));
        let keys: Vec<&str> = message.extra.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "reasoning_content", "a"]);
        assert_eq!(
            serde_json::to_string(&message).unwrap(),
            r#"{"object":"message","text":"hi","z":1,"reasoning_content":"because","a":{"b":[null]}}"#
        );
    }

    #[test]
    fn a_missing_constant_takes_its_one_value_and_nothing_else_is_relaxed() {
        let message: Message = serde_json::from_str(r#"{"text": "hi"}"#).unwrap();
        assert_eq!(message.object, Kind::Message);
        let wrong = serde_json::from_str::<Message>(r#"{"text": "hi", "object": "other"}"#).unwrap_err();
        assert!(wrong.to_string().starts_with("not a kind: other"), "{wrong}");
        let missing = serde_json::from_str::<Message>(r#"{"object": "message"}"#).unwrap_err();
        assert!(missing.to_string().starts_with("missing field `text`"), "{missing}");
    }

    #[test]
    fn an_extra_member_named_like_a_field_or_not_encodable_is_an_error_when_writing() {
        let mut message = Message { object: Kind::Message, text: "hi".into(), extra: crate::Extra::new() };
        message.extra.insert("guided_json", serde_json::json!({"type": "object"}));
        assert_eq!(
            serde_json::to_value(&message).unwrap(),
            serde_json::json!({"object": "message", "text": "hi", "guided_json": {"type": "object"}})
        );
        message.extra.insert("text", "shadow");
        let e = serde_json::to_string(&message).unwrap_err().to_string();
        assert!(e.contains("extra member `text` is a declared field"), "{e}");
        message.extra.remove("text");
        let mut bad = BTreeMap::new();
        bad.insert(vec![1u8], 1);
        message.extra.insert("bad", bad);
        let e = serde_json::to_string(&message).unwrap_err().to_string();
        assert!(e.contains("extra member `bad`"), "{e}");
    }

    #[test]
    fn unknown_keys_are_skipped_whatever_their_value() {
        let plain: Plain = serde_json::from_str(r#"{"a": {"deep": [1, {"b": null}]}, "id": 7, "z": "s"}"#).unwrap();
        assert_eq!(serde_json::from_str::<Empty>(r#"{"a": 1, "b": [2]}"#).unwrap(), Empty {});
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
        assert_eq!(plain, Plain { id: 7 });
        assert!(serde_json::from_str::<Plain>(r#"{"id": 1, "id": 2}"#).is_err());
    }

    #[derive(Debug, PartialEq)]
    struct Vectors {
        embedding: Vec<f64>,
        wide: Option<Vec<f64>>,
        plain: Vec<f64>,
    }

    crate::object!(Vectors {
        0 embedding "embedding" required: Vec<f64>,
        1 wide "wide" optional: Option<Vec<f64>>,
        2 plain "plain" required: Vec<f64>,
        packed 0 embedding as base64_f32,
        packed 1 wide as base64_f64,
    });

    #[test]
    fn a_packed_field_reads_an_array_or_base64_and_writes_an_array() {
        use base64::Engine as _;
        let b64 = |bytes: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(bytes);
        let f32s = b64([0.5_f32, -2.0].iter().flat_map(|v| v.to_le_bytes()).collect());
        let f64s = b64([0.1_f64].iter().flat_map(|v| v.to_le_bytes()).collect());
        let json = format!(r#"{{"embedding": "{f32s}", "wide": "{f64s}", "plain": [1]}}"#);
        let v: Vectors = serde_json::from_str(&json).unwrap();
        assert_eq!(v, Vectors { embedding: vec![0.5, -2.0], wide: Some(vec![0.1]), plain: vec![1.0] });
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"embedding":[0.5,-2.0],"wide":[0.1],"plain":[1.0]}"#);
        let v: Vectors = serde_json::from_str(r#"{"embedding": [0.5], "plain": []}"#).unwrap();
        assert_eq!(v, Vectors { embedding: vec![0.5], wide: None, plain: vec![] });
        // Only the marked field reads base64; a duplicate is an error as for any field.
        assert!(serde_json::from_str::<Vectors>(&format!(r#"{{"embedding": [], "plain": "{f32s}"}}"#)).is_err());
        let e = serde_json::from_str::<Vectors>(r#"{"embedding": [], "embedding": [], "plain": []}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate field `embedding`"), "{e}");
        let e = serde_json::from_str::<Vectors>(r#"{"embedding": "AAAAAAA=", "plain": []}"#).unwrap_err();
        assert!(e.to_string().contains("not a whole number of float32 values"), "{e}");
    }
}
