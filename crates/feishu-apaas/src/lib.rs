//! The Feishu aPaaS flow user-task APIs: list a user's tasks, decide on them,
//! and start a group chat from one.
//!
//! Features: `reqwest` (default) makes feishu-transport's reqwest transport
//! the client's default; `rustls` (default) gives it TLS, for the platform's
//! `https://` address.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use feishu_apaas::Apaas;
//! use feishu_transport::{Client, ScriptedTransport};
//!
//! // A scripted transport stands in for Feishu: it answers the documented
//! // response and records the request.
//! let transport = Arc::new(ScriptedTransport::new());
//! transport.push_json(200, &serde_json::json!({
//!     "code": 0, "msg": "success", "data": {"chat_id": "oc_escalation"}
//! }));
//! let client = Client::builder()
//!     .static_tenant_token("t-example")
//!     .transport(transport.clone())
//!     .build()?;
//! let apaas = Apaas::new(&client);
//!
//! // Task 1234 escalates: a new chat with the approver and the initiator.
//! let out = apaas
//!     .user_tasks()
//!     .chat_group("1234", "1783981209205788")
//!     .invite(["1783981209205789", "1783981209205790"])
//!     .new_chat("Escalation: purchase request 1234")
//!     .await?;
//! assert_eq!(out.chat_id.map(|c| c.0).as_deref(), Some("oc_escalation"));
//!
//! let sent = &transport.requests()[0];
//! assert_eq!(sent.url(), "https://open.feishu.cn/open-apis/apaas/v1/user_tasks/1234/chat_group");
//! assert_eq!(sent.header("authorization"), Some("Bearer t-example"));
//! assert_eq!(sent.json(), Some(serde_json::json!({
//!     "operator_user_id": "1783981209205788",
//!     "invite_user_ids": ["1783981209205789", "1783981209205790"],
//!     "chat_name": "Escalation: purchase request 1234"
//! })));
//! # Ok(())
//! # }
//! ```
//!
//! [`Apaas`] owns a clone of a [`Client`]: `Apaas::new(&client)`. Its handles
//! group the eleven endpoints as the API does:
//!
//! | handle | methods |
//! | --- | --- |
//! | [`Apaas::user_tasks`] | [`query`](UserTasks::query), [`chat_group`](UserTasks::chat_group), [`cc`](UserTasks::cc), [`expediting`](UserTasks::expediting), [`rollback_points`](UserTasks::rollback_points), [`rollback`](UserTasks::rollback) |
//! | [`Apaas::approval_tasks`] | [`agree`](ApprovalTasks::agree), [`reject`](ApprovalTasks::reject), [`transfer`](ApprovalTasks::transfer), [`add_assignee`](ApprovalTasks::add_assignee) |
//! | [`Apaas::approval_instances`] | [`cancel`](ApprovalInstances::cancel) |
//!
//! Each method takes the required inputs as arguments and returns a
//! [`Call`]: `.await` it, or `.send_full()` for the log id and HTTP status;
//! set optional fields with [`WithOpinion`], [`QueryFilters`] or
//! [`Call::configure`]. Every call goes through the [`Client`] pipeline, so:
//!
//! - the endpoints accept only `tenant_access_token`: a call given a
//!   `user_access_token` is refused before sending ([`Error::Rejected`]);
//! - the client-side limiter keeps each endpoint under its documented
//!   100 calls a minute (per app and tenant), waiting instead of failing;
//! - a broken documented rule (more than 20 invitees, a `limit` over 50, an
//!   empty id) is refused before sending, naming the field;
//! - `2320001` (`param is invalid`) comes back as [`Error::Api`] with the
//!   code, the HTTP status and the `x-tt-logid`
//!   ([`PARAM_INVALID`](model::PARAM_INVALID)).
#![forbid(unsafe_code)]

mod approval_instances;
mod approval_tasks;
mod chat_group;
mod user_tasks;

pub use approval_instances::ApprovalInstances;
pub use approval_tasks::{ApprovalTasks, WithOpinion};
pub use chat_group::ChatGroup;
pub use user_tasks::{QueryFilters, UserTasks};

/// The wire types of these endpoints (request bodies, outputs, enums).
/// The aPaaS wire types of `feishu_model::apaas`, in one place.
pub mod model {
    pub use feishu_model::apaas::approval_instance::*;
    pub use feishu_model::apaas::approval_task::*;
    pub use feishu_model::apaas::user_task::*;
}
pub use feishu_transport::{Call, Client, Error};

/// The setter traits, to import at once: `use feishu_apaas::prelude::*;`.
pub mod prelude {
    pub use crate::{QueryFilters, WithOpinion};
}

/// The aPaaS services of a client.
#[derive(Debug, Clone)]
pub struct Apaas {
    client: Client,
}

impl Apaas {
    /// The aPaaS services of `client`; calls share its tokens, limiter and retries.
    /// The client is cloned (clones share the connection pool, tokens and
    /// rate limiter), so `Apaas` and the calls it hands out own what they use.
    pub fn new(client: &Client) -> Self {
        Apaas {
            client: client.clone(),
        }
    }

    /// The client calls go through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// User tasks: query, chat_group, cc, expediting, rollback_points, rollback.
    pub fn user_tasks(&self) -> UserTasks {
        UserTasks::new(self.client.clone())
    }

    /// Approval tasks: agree, reject, transfer, add_assignee.
    pub fn approval_tasks(&self) -> ApprovalTasks {
        ApprovalTasks::new(self.client.clone())
    }

    /// Approval instances: cancel.
    pub fn approval_instances(&self) -> ApprovalInstances {
        ApprovalInstances::new(self.client.clone())
    }
}
