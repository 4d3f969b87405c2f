//! The impls every generated string enum has, from one macro call.

/// Implements `as_str`, `From<&str>`, `FromStr`, `Display`, `Serialize` and
/// `Deserialize` for an open string enum: each variant with its value on the
/// wire, and last, `..Other`, the variant holding values not listed.
///
/// ```
/// #[derive(Debug, Clone, PartialEq)]
/// enum Status { Available, Sold, Other(String) }
/// openapi_gen_runtime::string_enum!(Status { Available "available", Sold "sold", ..Other });
/// assert_eq!(Status::from("sold"), Status::Sold);
/// assert_eq!("new".parse::<Status>(), Ok(Status::Other("new".into())));
/// assert_eq!(Status::Available.to_string(), "available");
/// assert_eq!(serde_json::to_string(&Status::Sold).unwrap(), "\"sold\"");
/// let other: Status = serde_json::from_str("\"pending\"").unwrap();
/// assert_eq!(other.as_str(), "pending");
/// ```
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident $wire:literal,)* ..$other:ident $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$other(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$other(::std::string::ToString::to_string(other)),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    };
}
