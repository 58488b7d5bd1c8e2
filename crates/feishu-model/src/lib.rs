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
#![forbid(unsafe_code)]

mod endpoint;
mod enums;
mod extra;
mod ids;
mod secret;
mod wire;

pub(crate) use feishu_model_derive::WireDeserialize;

pub mod auth;
pub mod codes;
pub mod common;
pub mod envelope;
pub mod jsonpath;
pub mod lenient;
pub mod registry;
pub mod validate;

pub use common::{
    MemberIdType, MemberIdTypeParam, Page, Paged, PagedQuery, UserIdType, UserIdTypeParam,
};
pub use endpoint::{
    fill_path, query_pairs, Endpoint, Method, NoParams, Params, RateLimit, RequestSpec,
    ResponseShape, TokenKind,
};
pub use envelope::{Envelope, ErrorDetail};
pub use extra::{Empty, Extra};
pub use ids::{AppId, ChatId, MemberId, TaskId, TenantKey};
pub use secret::Secret;
pub use validate::Invalid;

pub mod apaas;
pub mod docx;
pub mod events;
pub mod im;
