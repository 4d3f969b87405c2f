//! Strings of a known format (`date-time`, `date`, `time`, `uuid`, `byte`):
//! typed, yet never a reason a response fails to decode.
//!
//! A [`Formatted<T>`] keeps the text the server sent and the value parsed
//! from it, when it parses. A timestamp without a zone (`2026-11-28
//! 05:00:00`) or any other value the format does not allow decodes like a
//! valid one: [`Formatted::get`] is `None` and [`Formatted::as_str`] has the
//! text. It is written back exactly as it was read, so nothing is lost on
//! the way through. Built from a value, it holds the format's canonical text.
//!
//! The value types are [`chrono`]'s (`DateTime<FixedOffset>`, which keeps the
//! offset the server wrote, `NaiveDate`, `NaiveTime`), [`uuid::Uuid`], and
//! bytes for base64.

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A value that has a text form: how a [`Formatted`] parses and writes it.
pub trait Format: Sized {
    /// The format's name in OpenAPI (`date-time`).
    const NAME: &'static str;
    /// The value of `text`, if it is one.
    fn parse(text: &str) -> Option<Self>;
    /// The canonical text of the value.
    fn write(&self) -> String;
}

/// A string of a format: the text as sent, and its value when it parses.
#[derive(Clone)]
pub struct Formatted<T> {
    text: String,
    value: Option<T>,
}

/// `format: date-time` (RFC 3339).
pub type DateTime = Formatted<chrono::DateTime<chrono::FixedOffset>>;
/// `format: date` (`2026-11-28`).
pub type Date = Formatted<chrono::NaiveDate>;
/// `format: time` (`05:00:00`, an offset allowed and kept in the text).
pub type Time = Formatted<chrono::NaiveTime>;
/// `format: uuid`.
pub type Uuid = Formatted<uuid::Uuid>;
/// `format: byte`: bytes sent as base64.
pub type Base64 = Formatted<Vec<u8>>;

impl<T: Format> Formatted<T> {
    /// From text, parsed if it is valid.
    pub fn from_text(text: impl Into<String>) -> Self {
        let text = text.into();
        let value = T::parse(&text);
        Formatted { text, value }
    }

    /// The value, or `None` when the text is not valid for the format.
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// The value, or the text when it is not valid (an error naming the format).
    pub fn value(&self) -> Result<&T, InvalidFormat> {
        self.value.as_ref().ok_or_else(|| InvalidFormat { format: T::NAME, text: self.text.clone() })
    }

    /// Whether the text is valid for the format.
    pub fn is_valid(&self) -> bool {
        self.value.is_some()
    }

    /// The value, if valid.
    pub fn into_value(self) -> Option<T> {
        self.value
    }
}

impl<T> Formatted<T> {
    /// The text, as the server sent it (or as written from a value).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text.
    pub fn into_string(self) -> String {
        self.text
    }
}

/// A formatted string that is not valid for its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFormat {
    pub format: &'static str,
    pub text: String,
}

impl fmt::Display for InvalidFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a valid {}", self.text, self.format)
    }
}

impl std::error::Error for InvalidFormat {}

impl<T: Format> From<T> for Formatted<T> {
    fn from(value: T) -> Self {
        Formatted { text: value.write(), value: Some(value) }
    }
}

impl<T: Format> From<&str> for Formatted<T> {
    fn from(text: &str) -> Self {
        Formatted::from_text(text)
    }
}

impl<T: Format> From<String> for Formatted<T> {
    fn from(text: String) -> Self {
        Formatted::from_text(text)
    }
}

impl<T: fmt::Debug> fmt::Debug for Formatted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(v) => v.fmt(f),
            None => write!(f, "Invalid({:?})", self.text),
        }
    }
}

impl<T> fmt::Display for Formatted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Equal when the texts are: what the server sent is what is compared.
impl<T> PartialEq for Formatted<T> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<T> Eq for Formatted<T> {}

impl<T> Hash for Formatted<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

/// By value (invalid texts first), then by text: timestamps sort by time.
impl<T: Ord> Ord for Formatted<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value).then_with(|| self.text.cmp(&other.text))
    }
}

impl<T: Ord> PartialOrd for Formatted<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Serialize for Formatted<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, T: Format> Deserialize<'de> for Formatted<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Formatted::from_text)
    }
}

impl Format for chrono::DateTime<chrono::FixedOffset> {
    const NAME: &'static str = "date-time";

    fn parse(text: &str) -> Option<Self> {
        chrono::DateTime::parse_from_rfc3339(text).ok()
    }

    fn write(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

impl Format for chrono::NaiveDate {
    const NAME: &'static str = "date";

    fn parse(text: &str) -> Option<Self> {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    fn write(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl Format for chrono::NaiveTime {
    const NAME: &'static str = "time";

    /// `HH:MM:SS[.frac]`, with an RFC 3339 offset (`Z`, `+01:00`) or none.
    fn parse(text: &str) -> Option<Self> {
        let local = match text.find(['Z', 'z', '+']).or_else(|| text.rfind('-')) {
            Some(at) => &text[..at],
            None => text,
        };
        chrono::NaiveTime::parse_from_str(local, "%H:%M:%S%.f").ok()
    }

    fn write(&self) -> String {
        self.format("%H:%M:%S%.f").to_string()
    }
}

impl Format for uuid::Uuid {
    const NAME: &'static str = "uuid";

    /// Hyphenated, either case (`Uuid::parse_str` also takes braces and URNs).
    fn parse(text: &str) -> Option<Self> {
        uuid::Uuid::parse_str(text).ok()
    }

    fn write(&self) -> String {
        self.hyphenated().to_string()
    }
}

impl Format for Vec<u8> {
    const NAME: &'static str = "byte";

    /// Standard base64, padded or not; the URL-safe alphabet too.
    fn parse(text: &str) -> Option<Self> {
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(text).ok())
    }

    fn write(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: Format>(json: &str) -> Formatted<T> {
        serde_json::from_str(json).expect("any string decodes")
    }

    #[test]
    fn valid_values_parse_and_write_back_the_text_they_came_from() {
        for text in ["2026-11-28T05:00:00Z", "2026-11-28T05:00:00.123456+00:00", "1969-07-20T20:17:40-05:00"] {
            let d: DateTime = decode(&format!("{text:?}"));
            assert!(d.is_valid(), "{text}");
            assert_eq!(serde_json::to_string(&d).unwrap(), format!("{text:?}"));
        }
        let a: DateTime = decode("\"2026-11-28T05:00:00Z\"");
        let b: DateTime = decode("\"2026-11-28T06:00:00+01:00\"");
        assert_eq!(a.get(), b.get(), "the same instant");
        assert_ne!(a, b, "different texts");
        let date: Date = decode("\"1912-06-23\"");
        assert_eq!(date.get(), chrono::NaiveDate::from_ymd_opt(1912, 6, 23).as_ref());
        let time: Time = decode("\"05:00:00.5+02:00\"");
        assert_eq!(time.get(), chrono::NaiveTime::from_hms_milli_opt(5, 0, 0, 500).as_ref());
        let id: Uuid = decode("\"6F9619FF-8B86-D011-B42D-00CF4FC964FF\"");
        assert_eq!(id.get().map(|u| u.to_string()), Some("6f9619ff-8b86-d011-b42d-00cf4fc964ff".to_string()));
        assert_eq!(id.as_str(), "6F9619FF-8B86-D011-B42D-00CF4FC964FF", "the text as sent");
        let bytes: Base64 = decode("\"aGVsbG8=\"");
        assert_eq!(bytes.get().map(Vec::as_slice), Some(&b"hello"[..]));
    }

    #[test]
    fn an_invalid_value_decodes_keeping_its_text() {
        let d: DateTime = decode("\"2026-11-28 05:00:00\"");
        assert!(!d.is_valid());
        assert_eq!(d.as_str(), "2026-11-28 05:00:00");
        assert_eq!(d.value().unwrap_err().to_string(), "\"2026-11-28 05:00:00\" is not a valid date-time");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-11-28 05:00:00\"");
        assert!(serde_json::from_str::<DateTime>("5").is_err(), "not a string at all");
    }

    #[test]
    fn built_from_a_value_it_holds_the_canonical_text_and_sorts_by_value() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-28T05:00:00+00:00").unwrap();
        let d = DateTime::from(t);
        assert_eq!(d.as_str(), "2026-11-28T05:00:00Z");
        let mut list: Vec<DateTime> =
            vec!["2026-11-28T07:00:00Z".into(), "junk".into(), "2026-11-28T06:00:00+02:00".into()];
        list.sort();
        let texts: Vec<&str> = list.iter().map(Formatted::as_str).collect();
        assert_eq!(texts, ["junk", "2026-11-28T06:00:00+02:00", "2026-11-28T07:00:00Z"]);
        assert_eq!(Base64::from(b"hi".to_vec()).as_str(), "aGk=");
        assert_eq!(Uuid::from(uuid::Uuid::nil()).as_str(), "00000000-0000-0000-0000-000000000000");
    }
}
