//! Number vectors that may arrive packed.
//!
//! A field the spec marks `x-packed-base64: float32` (or `float64`) is an
//! array of numbers that the server may also send as one base64 string of
//! little-endian IEEE 754 numbers of that width. OpenAI-compatible embedding
//! endpoints answer so for `encoding_format: "base64"`: about 5.3 characters
//! a number instead of 10–20, and no decimal parsing. Both forms decode into
//! the same `Vec<f64>` (a `float32` widens exactly), so the caller never sees
//! which one came; the vector is always written as a JSON array.
//!
//! Generated code reaches this through `runtime::object!`: its fields, then
//! entries such as `packed 1 embedding as base64_f32`.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// The width of each packed number.
pub trait Width {
    /// Bytes per number.
    const BYTES: usize;
    /// The spec's name for it (`float32`).
    const NAME: &'static str;
    /// One number from exactly [`Self::BYTES`] little-endian bytes.
    fn read(bytes: &[u8]) -> f64;
}

/// `x-packed-base64: float32`.
pub struct F32;
/// `x-packed-base64: float64`.
pub struct F64;

impl Width for F32 {
    const BYTES: usize = 4;
    const NAME: &'static str = "float32";
    fn read(bytes: &[u8]) -> f64 {
        let mut b = [0; 4];
        b.copy_from_slice(bytes);
        f64::from(f32::from_le_bytes(b))
    }
}

impl Width for F64 {
    const BYTES: usize = 8;
    const NAME: &'static str = "float64";
    fn read(bytes: &[u8]) -> f64 {
        let mut b = [0; 8];
        b.copy_from_slice(bytes);
        f64::from_le_bytes(b)
    }
}

/// The codecs `runtime::object!`'s `packed` entries name (`as base64_f32`).
#[doc(hidden)]
#[allow(non_camel_case_types)]
pub mod codec {
    /// `x-packed-base64: float32`.
    pub type base64_f32 = super::F32;
    /// `x-packed-base64: float64`.
    pub type base64_f64 = super::F64;
}

/// A field type that can be read packed: `Vec<f64>`, or `Option<Vec<f64>>`
/// (absent or `null` is `None`).
pub trait Packed: Sized {
    /// Reads a JSON array of numbers, or a base64 string of `W` numbers.
    fn read<'de, W: Width, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

impl Packed for Vec<f64> {
    fn read<'de, W: Width, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Numbers::<W>(PhantomData))
    }
}

impl Packed for Option<Vec<f64>> {
    fn read<'de, W: Width, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(MaybeNumbers::<W>(PhantomData))
    }
}

/// Standard alphabet, padding optional (servers differ).
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64 text into numbers of width `W`, a block at a time (no
/// intermediate buffer of the whole byte string).
pub fn decode<W: Width>(text: &str) -> Result<Vec<f64>, String> {
    // 4 characters are 3 bytes; a block of 1,024 characters is 768 bytes, a
    // whole number of 4- and 8-byte numbers. Padding can only end the text.
    const BLOCK: usize = 1024;
    let text = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 4 * 3 / W::BYTES);
    let mut bytes = [0u8; BLOCK / 4 * 3];
    let mut rest: &[u8] = &[];
    for block in text.chunks(BLOCK) {
        if !rest.is_empty() {
            return Err("base64 padding before the end".to_string());
        }
        let n = ENGINE.decode_slice(block, &mut bytes).map_err(|e| format!("invalid base64: {e}"))?;
        let numbers = bytes[..n].chunks_exact(W::BYTES);
        rest = numbers.remainder();
        out.extend(numbers.map(W::read));
    }
    if !rest.is_empty() {
        return Err(format!(
            "{} bytes of base64 are not a whole number of {} values",
            out.len() * W::BYTES + rest.len(),
            W::NAME
        ));
    }
    Ok(out)
}

struct Numbers<W>(PhantomData<W>);

impl<'de, W: Width> Visitor<'de> for Numbers<W> {
    type Value = Vec<f64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of numbers, or base64 of {} values", W::NAME)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(x) = seq.next_element()? {
            out.push(x);
        }
        Ok(out)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<f64>, E> {
        decode::<W>(text).map_err(E::custom)
    }
}

struct MaybeNumbers<W>(PhantomData<W>);

impl<'de, W: Width> Visitor<'de> for MaybeNumbers<W> {
    type Value = Option<Vec<f64>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "null, an array of numbers, or base64 of {} values", W::NAME)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Vec::<f64>::read::<W, D>(deserializer).map(Some)
    }
}

/// Reads `T` through [`Packed`] as a `DeserializeSeed`.
pub(crate) struct Seed<T, W>(pub(crate) PhantomData<(T, W)>);

impl<'de, T: Packed, W: Width> de::DeserializeSeed<'de> for Seed<T, W> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::read::<W, D>(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

    fn packed32(values: &[f32]) -> String {
        STANDARD.encode(values.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>())
    }

    fn read<T: Packed, W: Width>(json: &str) -> Result<T, serde_json::Error> {
        T::read::<W, _>(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn both_forms_give_the_same_numbers() {
        // Long enough to cross several blocks, and a length that is not a
        // multiple of the block, so the last block is partial and padded.
        // Eighths: their decimals parse back exactly (serde_json's own float
        // parsing is not correctly rounded for every number).
        let values: Vec<f32> = (0..1_003).map(|i| (i as f32 - 500.0) / 8.0).collect();
        let widened: Vec<f64> = values.iter().map(|v| f64::from(*v)).collect();
        let packed = read::<Vec<f64>, F32>(&format!("\"{}\"", packed32(&values))).unwrap();
        assert_eq!(packed, widened);
        let array = read::<Vec<f64>, F32>(&serde_json::to_string(&widened).unwrap()).unwrap();
        assert_eq!(array, widened);
    }

    #[test]
    fn float64_and_unpadded_text() {
        let values = [0.1_f64, -2.5e-300, 1e300, 3.0];
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        for text in [STANDARD.encode(&bytes), STANDARD_NO_PAD.encode(&bytes)] {
            assert_eq!(read::<Vec<f64>, F64>(&format!("\"{text}\"")).unwrap(), values);
        }
        let one = STANDARD_NO_PAD.encode(1.5_f32.to_le_bytes());
        assert_eq!(read::<Vec<f64>, F32>(&format!("\"{one}\"")).unwrap(), [1.5]);
    }

    #[test]
    fn optional_vectors() {
        assert_eq!(read::<Option<Vec<f64>>, F32>("null").unwrap(), None);
        assert_eq!(read::<Option<Vec<f64>>, F32>("[1, 2.5]").unwrap(), Some(vec![1.0, 2.5]));
        let packed = format!("\"{}\"", packed32(&[0.25, -4.0]));
        assert_eq!(read::<Option<Vec<f64>>, F32>(&packed).unwrap(), Some(vec![0.25, -4.0]));
        assert_eq!(read::<Vec<f64>, F32>("\"\"").unwrap(), Vec::<f64>::new());
    }

    #[test]
    fn what_is_not_a_vector_is_an_error() {
        // 6 bytes: one float32 and two bytes over.
        let ragged = format!("\"{}\"", STANDARD.encode([0u8; 6]));
        let e = read::<Vec<f64>, F32>(&ragged).unwrap_err().to_string();
        assert!(e.contains("not a whole number of float32 values"), "{e}");
        let e = read::<Vec<f64>, F32>("\"not base64!\"").unwrap_err().to_string();
        assert!(e.contains("invalid base64"), "{e}");
        // Padding in the middle (two padded texts joined) is not one vector.
        let two = format!("\"{}{}\"", STANDARD.encode([1u8; 4]), STANDARD.encode([2u8; 4]));
        assert!(read::<Vec<f64>, F32>(&two).is_err());
        let e = read::<Vec<f64>, F32>("[1, \"x\"]").unwrap_err().to_string();
        assert!(e.contains("invalid type"), "{e}");
        assert!(read::<Vec<f64>, F32>("{}").is_err());
        assert!(read::<Vec<f64>, F32>("null").is_err());
    }
}
