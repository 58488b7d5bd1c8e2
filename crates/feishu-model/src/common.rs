//! Parameters shared by many endpoints, defined once.

use serde::{Deserialize, Serialize};

use crate::validate::{self, Invalid};

crate::wire_enum! {
    /// Which kind of user id a request uses and a response returns (`user_id_type`).
    pub enum UserIdType {
        /// `open_id`: a user's identity within one app.
        OpenId => "open_id",
        /// `union_id`: a user's identity across one developer's apps.
        UnionId => "union_id",
        /// `user_id`: a user's identity within one tenant.
        UserId => "user_id",
    }
}

crate::wire_enum! {
    /// Which kind of member id a member call uses (`member_id_type`).
    pub enum MemberIdType {
        /// `open_id`
        OpenId => "open_id",
        /// `union_id`
        UnionId => "union_id",
        /// `user_id`
        UserId => "user_id",
        /// `app_id`: the member is a bot, named by its app id.
        AppId => "app_id",
    }
}

/// Pagination query parameters (`page_size`, `page_token`), shared by every
/// paginated endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// Items per page.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_u32"
    )]
    pub page_size: Option<u32>,
    /// Token from the previous page's `page_token`; absent for the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}

impl Page {
    /// Checks `page_size` against the endpoint's documented maximum.
    pub fn check(&self, max: u32) -> Result<(), Invalid> {
        match self.page_size {
            Some(n) => validate::range("page_size", n, 1, max),
            None => Ok(()),
        }
    }
}

/// Implemented by every paginated output: where the next page token is.
pub trait Paged {
    /// The item type.
    type Item;
    /// Whether another page follows.
    fn has_more(&self) -> bool;
    /// Token for the next page.
    fn page_token(&self) -> Option<&str>;
    /// Takes the items of this page.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Implements [`Paged`] for an output with `items: Option<Vec<Item>>`,
/// `has_more: Option<bool>` and `page_token: Option<String>` (an empty token
/// counts as none).
#[macro_export]
macro_rules! paged {
    ($($output:ty => $item:ty),+ $(,)?) => {
        $(impl $crate::Paged for $output {
            type Item = $item;
            fn has_more(&self) -> bool {
                self.has_more.unwrap_or(false)
            }
            fn page_token(&self) -> Option<&str> {
                self.page_token.as_deref().filter(|t| !t.is_empty())
            }
            fn into_items(self) -> Vec<$item> {
                self.items.unwrap_or_default()
            }
        })+
    };
}

/// Declares the `data` of a paginated answer that holds nothing but the
/// page (`items`, `has_more`, `page_token`, and undocumented fields kept),
/// with its [`Paged`] implementation.
macro_rules! page_output {
    ($(#[$meta:meta])* pub struct $name:ident { items: $item:ty, $items_doc:literal }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, crate::WireDeserialize)]
        #[non_exhaustive]
        pub struct $name {
            #[doc = $items_doc]
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub items: Option<Vec<$item>>,
            /// Whether another page follows.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub has_more: Option<bool>,
            /// Token for the next page, present when `has_more` is true.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub page_token: Option<String>,
            /// Undocumented fields.
            #[serde(flatten)]
            pub extra: crate::Extra,
        }

        crate::paged!($name => $item);
    };
}
pub(crate) use page_output;

/// Implemented by the query of every paginated endpoint.
pub trait PagedQuery {
    /// The pagination parameters.
    fn page_mut(&mut self) -> &mut Page;

    /// Sets the `page_token` for the next request.
    fn set_page_token(&mut self, token: Option<String>) {
        self.page_mut().page_token = token;
    }

    /// Sets the `page_size`.
    fn set_page_size(&mut self, size: u32) {
        self.page_mut().page_size = Some(size);
    }
}

/// Implemented by every query with a `user_id_type` parameter.
pub trait UserIdTypeParam {
    /// Sets `user_id_type`.
    fn set_user_id_type(&mut self, id_type: UserIdType);
}

/// Implemented by every query with a `member_id_type` parameter.
pub trait MemberIdTypeParam {
    /// Sets `member_id_type`.
    fn set_member_id_type(&mut self, id_type: MemberIdType);
}

/// Implements [`UserIdTypeParam`] (`user`) or [`MemberIdTypeParam`]
/// (`member`) for query structs with an `Option` field of that name. A
/// `member_id_type` typed [`UserIdType`] takes the same string.
#[macro_export]
macro_rules! id_type_params {
    (user: $($t:ty),+ $(,)?) => {
        $(impl $crate::UserIdTypeParam for $t {
            fn set_user_id_type(&mut self, id_type: $crate::UserIdType) {
                self.user_id_type = Some(id_type);
            }
        })+
    };
    (member: $($t:ty),+ $(,)?) => {
        $(impl $crate::MemberIdTypeParam for $t {
            fn set_member_id_type(&mut self, id_type: $crate::MemberIdType) {
                self.member_id_type = Some(::std::convert::From::from(id_type.as_str()));
            }
        })+
    };
}
