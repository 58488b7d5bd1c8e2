//! Wire types for the Feishu / Lark Open Platform group APIs.
//!
//! This crate is sans-IO: it describes what goes over the wire and nothing
//! else. Each API call is one struct implementing [`Endpoint`]; turning it into
//! a [`RequestSpec`] (method, encoded path, query pairs, JSON body) is a pure
//! function, so any HTTP stack can send it.
//!
//! ```
//! use feishu_model::{auth::TenantAccessTokenInternal, Endpoint, Method, ResponseShape};
//!
//! let call = TenantAccessTokenInternal::new("cli_slkdjalasdkjasd", "dskLLdkasdjlasdKK");
//! let request = call.to_request().unwrap();
//! assert_eq!(request.method, Method::Post);
//! assert_eq!(request.path, "/open-apis/auth/v3/tenant_access_token/internal");
//! assert_eq!(TenantAccessTokenInternal::RESPONSE, ResponseShape::Flat);
//! // Secrets never show in Debug output.
//! assert!(!format!("{call:?}").contains("dskLLdkasdjlasdKK"));
//! ```
//!
//! ## Growing without breaking you
//!
//! - **Request bodies and parameters** have public fields and `Default`:
//!   name the fields you set and end with `..Default::default()`, so a field
//!   added in a later version does not break your code.
//! - **Outputs and event payloads** are `#[non_exhaustive]`: read their
//!   fields, but build them (in a test or a fake server) with [`fill!`],
//!   which starts from `Default` and sets what you name.
//! - Fields the documentation does not list are kept in each output's
//!   `extra` ([`Extra`]), and unknown enum values in `Unknown(..)`.
//!
//! ```
//! use feishu_model::im::chat::{Chat, CreateChatBody};
//! use feishu_model::im::types::ChatType;
//!
//! let body = CreateChatBody {
//!     name: Some("INC-7".into()),
//!     chat_type: Some(ChatType::Private),
//!     ..Default::default()
//! };
//! assert!(body.description.is_none());
//!
//! let chat: Chat = serde_json::from_str(r#"{"name":"INC-7","added_later":1}"#).unwrap();
//! assert_eq!(chat.extra.get("added_later"), Some(&serde_json::json!(1)));
//! let expected = feishu_model::fill!(Chat { name: Some("INC-7".into()), extra: chat.extra.clone() });
//! assert_eq!(chat, expected);
//! ```
#![forbid(unsafe_code)]

mod endpoint;
mod enums;
mod extra;
mod flat;
mod ids;
mod secret;
pub mod wire;

pub(crate) use feishu_model_derive::WireDeserialize;

pub mod auth;
pub mod card;
pub mod codes;
pub mod common;
pub mod download;
pub mod envelope;
pub mod jsonpath;
pub mod lenient;
pub mod multipart;
pub mod registry;
pub mod validate;

pub use common::{
    MemberIdType, MemberIdTypeParam, Page, Paged, PagedQuery, UserIdType, UserIdTypeParam,
};
pub use endpoint::{
    fill_path, query_pairs, EncodedBody, Endpoint, Family, Method, NoParams, Params, RateLimit,
    RequestSpec, ResponseShape, TokenKind, JSON_CONTENT_TYPE,
};
pub use envelope::{Envelope, ErrorDetail};
pub use extra::{Empty, Extra, ExtraIter};
pub use ids::{AppId, ChatId, MemberId, TaskId, TenantKey};
pub use secret::Secret;
pub use validate::{Invalid, RuleKind};

pub mod apaas;
pub mod docx;
pub mod events;
pub mod im;
