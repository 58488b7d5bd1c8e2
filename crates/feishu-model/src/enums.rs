//! The one mechanism behind every server-side enum.
//!
//! Feishu adds enum values over time. Every enum the API documents is declared
//! with [`wire_enum!`](crate::wire_enum): it is `#[non_exhaustive]`, carries an
//! `Unknown` variant that keeps the exact wire value, and serializes back to the
//! value it was decoded from.

/// Declares a forward-compatible enum whose wire form is a string.
///
/// The generated type has `as_str()`, `From<&str>`, `From<String>`,
/// `Display`, `Serialize` and `Deserialize`; any value the macro does not
/// list decodes to `Unknown(value)` and encodes back to `value` unchanged.
///
/// ```
/// feishu_model::wire_enum! {
///     /// Colour of a thing.
///     pub enum Colour {
///         /// Red.
///         Red => "red",
///         /// Blue.
///         Blue => "blue",
///     }
/// }
/// assert_eq!(Colour::from("red"), Colour::Red);
/// assert_eq!(Colour::from("green").as_str(), "green");
/// assert_eq!(serde_json::to_string(&Colour::from("green")).unwrap(), "\"green\"");
/// ```
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know; kept verbatim.
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every value the documentation lists, in documented order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The exact string that goes over the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other.as_str(),
                }
            }

            /// Whether this is a value the documentation lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $wire => $name::$variant, )+
                    _ => $name::Unknown(value),
                }
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

        impl $crate::wire::FromKey for $name {
            fn from_key(key: $crate::wire::Key<'_>) -> Self {
                match key {
                    $crate::wire::Key::Borrowed(text) => $name::from(text),
                    $crate::wire::Key::Owned(text) => $name::from(text),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                // Known values borrow the input; only an unknown one is copied.
                <$crate::wire::Key<'de> as ::serde::Deserialize>::deserialize(deserializer)
                    .map(<$name as $crate::wire::FromKey>::from_key)
            }
        }
    };
}

/// Declares a forward-compatible enum whose wire form is an integer.
///
/// Same contract as [`wire_enum!`](crate::wire_enum): unknown numbers decode to
/// `Unknown(n)` and encode back to `n`.
///
/// ```
/// feishu_model::wire_int_enum! {
///     /// Size of a thing.
///     pub enum Size {
///         /// Small.
///         Small => 1,
///         /// Large.
///         Large => 2,
///     }
/// }
/// assert_eq!(Size::from(2), Size::Large);
/// assert_eq!(serde_json::to_string(&Size::from(7)).unwrap(), "7");
/// ```
#[macro_export]
macro_rules! wire_int_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know; kept verbatim.
            Unknown(i64),
        }

        impl $name {
            /// Every value the documentation lists, in documented order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The exact number that goes over the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => *other,
                }
            }

            /// Whether this is a value the documentation lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.as_i64())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                Ok($name::from(<i64 as ::serde::Deserialize>::deserialize(deserializer)?))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    crate::wire_enum! {
        /// Test enum.
        pub enum Mode {
            /// a
            A => "a",
            /// b
            B => "b",
        }
    }

    crate::wire_int_enum! {
        /// Test enum.
        pub enum Level {
            /// one
            One => 1,
        }
    }

    #[test]
    fn known_values_map_to_variants() {
        assert_eq!(Mode::from("a"), Mode::A);
        assert_eq!(Mode::B.as_str(), "b");
        assert!(Mode::A.is_known());
        assert_eq!(Mode::KNOWN, &[Mode::A, Mode::B]);
        assert_eq!(Level::from(1), Level::One);
        assert!(!Level::from(9).is_known());
        assert_eq!(Level::KNOWN, &[Level::One]);
    }

    proptest! {
        #[test]
        fn any_string_round_trips(s in ".*") {
            let json = serde_json::to_string(&s).unwrap();
            let decoded: Mode = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(decoded.as_str(), s.as_str());
            prop_assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
        }

        #[test]
        fn any_int_round_trips(n in any::<i64>()) {
            let decoded: Level = serde_json::from_str(&n.to_string()).unwrap();
            prop_assert_eq!(decoded.as_i64(), n);
            prop_assert_eq!(serde_json::to_string(&decoded).unwrap(), n.to_string());
        }
    }
}
