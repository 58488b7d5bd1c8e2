//! ID newtypes where a mix-up would be a bug (a chat id passed as a user id).

/// Declares a string ID newtype: transparent on the wire, `From<&str>`,
/// `From<String>`, `AsRef<str>`, `Display`.
#[macro_export]
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub ::std::string::String);

        impl $name {
            /// A new id from anything string-like.
            pub fn new(value: impl Into<::std::string::String>) -> Self {
                $name(value.into())
            }
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self { $name(value.to_owned()) }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self { $name(value) }
        }
        impl ::std::convert::From<&$name> for $name {
            fn from(value: &$name) -> Self { value.clone() }
        }
        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str { &self.0 }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(&self.0) }
        }
    };
}

id_type!(
    /// A chat id (`oc_...`).
    ChatId
);
id_type!(
    /// An app id (`cli_...`).
    AppId
);
id_type!(
    /// A tenant key: the tenant's unique identifier.
    TenantKey
);
id_type!(
    /// A user or bot id whose kind is given by a separate `*_id_type` parameter
    /// (`open_id` `ou_...`, `union_id` `on_...`, `user_id`, or an app id for bots).
    MemberId
);
id_type!(
    /// An aPaaS user task id.
    TaskId
);
