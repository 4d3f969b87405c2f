//! Helpers generated types call: union deserialization and example round trips.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Deserialize a buffered value inside a hand-written `Deserialize` impl.
pub fn from_value<T: DeserializeOwned, D: serde::de::Error>(v: serde_json::Value) -> Result<T, D> {
    T::deserialize(v).map_err(D::custom)
}

/// Try one variant of an untagged union.
pub fn try_from_value<T: DeserializeOwned>(v: &serde_json::Value) -> Option<T> {
    T::deserialize(v).ok()
}

/// Check that a spec example deserializes into `T` and serializes back to the
/// same JSON (absent optionals and `null`s aside). Used by generated tests.
pub fn round_trip<T: Serialize + DeserializeOwned>(json: &str) -> Result<(), String> {
    let original: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("example is not JSON: {e}"))?;
    let typed: T = serde_json::from_value(original.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    if without_nulls(&original) == without_nulls(&back) {
        Ok(())
    } else {
        Err(format!("round trip changed the value:\n  from {original}\n  to   {back}"))
    }
}

fn without_nulls(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(without_nulls).collect()),
        serde_json::Value::Number(n) => match n.as_f64() {
            // 1 and 1.0 are the same number to JSON.
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => serde_json::Value::from(f as i64),
            _ => v.clone(),
        },
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_ignores_nulls_and_float_spelling() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct T {
            #[serde(skip_serializing_if = "Option::is_none")]
            a: Option<String>,
            b: f64,
        }
        assert!(round_trip::<T>(r#"{"a": null, "b": 1}"#).is_ok());
        assert!(round_trip::<T>(r#"{"b": "x"}"#).is_err());
    }
}
