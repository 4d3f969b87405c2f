//! The JSON members of an object that its schema does not list.
//!
//! Every generated object type without declared additional properties has a
//! field of type [`Extra`]: what a server sends beyond the spec is kept there
//! (and written back when the value is serialized), and what a caller adds is
//! sent beside the typed fields.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// Members of a JSON object beyond those its type declares, in the order
/// they arrived.
///
/// ```
/// use openapi_gen_runtime::Extra;
/// let mut extra = Extra::new();
/// extra.insert("guided_json", serde_json::json!({"type": "object"}));
/// extra.insert("repetition_penalty", 1.1);
/// assert_eq!(extra.get::<f64>("repetition_penalty").unwrap(), Some(1.1));
/// assert_eq!(extra.get::<f64>("absent").unwrap(), None);
/// assert!(extra.get::<String>("repetition_penalty").is_err(), "a member of another type is an error");
/// ```
#[derive(Clone, Default)]
pub struct Extra {
    /// `None` until a member arrives: one pointer in every generated object
    /// (which servers rarely send anything extra for), where the map and the
    /// error are 96 bytes that every decode and move would copy.
    inner: Option<Box<Inner>>,
}

#[derive(Clone, Default)]
struct Inner {
    members: Map<String, Value>,
    /// The first value that could not be encoded; serializing the object fails with it.
    error: Option<String>,
}

/// The members of an `Extra` that has none.
fn no_members() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

impl Extra {
    /// No members.
    pub fn new() -> Self {
        Self::default()
    }

    fn inner(&mut self) -> &mut Inner {
        self.inner.get_or_insert_with(Box::default)
    }

    /// The member `name` decoded as `T`: `Ok(None)` when it is absent, an
    /// error when it does not decode as `T`.
    pub fn get<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, serde_json::Error> {
        self.as_map().get(name).map(T::deserialize).transpose()
    }

    /// The member `name` as it arrived.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.as_map().get(name)
    }

    /// Sets the member `name` to any serializable value, replacing one of
    /// the same name. A value that cannot be encoded as JSON (a map with
    /// non-string keys) makes serializing the object an error.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Serialize) -> &mut Self {
        let name = name.into();
        match serde_json::to_value(value) {
            Ok(value) => {
                self.inner().members.insert(name, value);
            }
            Err(e) => {
                self.inner().error.get_or_insert_with(|| format!("extra member `{name}`: {e}"));
            }
        }
        self
    }

    /// Removes the member `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.inner.as_mut()?.members.shift_remove(name)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.as_map().iter()
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.as_map().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.as_map().is_empty()
    }

    /// The members as a JSON map.
    pub fn as_map(&self) -> &Map<String, Value> {
        match &self.inner {
            Some(inner) => &inner.members,
            None => no_members(),
        }
    }

    /// The members as a JSON map, to keep.
    pub fn into_map(self) -> Map<String, Value> {
        self.inner.map(|inner| inner.members).unwrap_or_default()
    }

    pub(crate) fn error(&self) -> Option<&str> {
        self.inner.as_ref()?.error.as_deref()
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.as_map() == other.as_map() && self.error() == other.error()
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Extra").field("members", self.as_map()).field("error", &self.error()).finish()
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(members: Map<String, Value>) -> Self {
        let inner = (!members.is_empty()).then(|| Box::new(Inner { members, error: None }));
        Extra { inner }
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_map().iter()
    }
}

/// Where an object's reader puts properties it does not declare, and where
/// its writer finds them: [`Extra`], or the typed map of declared
/// `additionalProperties`.
pub trait Others: Default {
    /// The type of one value.
    type Value: Serialize;
    /// Keeps one property.
    fn keep<'de, A: serde::de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error>;
    /// The properties, in order.
    fn entries(&self) -> impl Iterator<Item = (&String, &Self::Value)>;
    /// An error to report instead of writing them.
    fn error(&self) -> Option<&str> {
        None
    }
}

impl Others for Extra {
    type Value = Value;
    fn keep<'de, A: serde::de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.inner().members.insert(key, value);
        Ok(())
    }
    fn entries(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.iter()
    }
    fn error(&self) -> Option<&str> {
        Extra::error(self)
    }
}

impl<V: Serialize + DeserializeOwned> Others for std::collections::BTreeMap<String, V> {
    type Value = V;
    fn keep<'de, A: serde::de::MapAccess<'de>>(&mut self, key: String, map: &mut A) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key, value);
        Ok(())
    }
    fn entries(&self) -> impl Iterator<Item = (&String, &V)> {
        self.iter()
    }
}
