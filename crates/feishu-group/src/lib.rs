//! Every Feishu / Lark group endpoint, typed end to end: chats, members,
//! managers, moderation, top notice, announcement (legacy and upgraded
//! docx), tabs and menus, plus the
//! group events.
//!
//! A [`Group`] wraps a [`feishu_transport::Client`]; its handles hand out
//! calls that are awaited directly. Paginated listings are lazy streams,
//! member writes over the per-call maximum are split and merged, and member
//! writes to one chat are serialized.
//!
//! Features: `reqwest` (default) makes feishu-transport's reqwest transport
//! the client's default; `rustls` (default) gives it TLS, for the platform's
//! `https://` address.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), feishu_transport::Error> {
//! use std::sync::Arc;
//! use feishu_group::Group;
//! use feishu_model::UserIdType;
//! use feishu_transport::{Client, ScriptedTransport};
//! use serde_json::json;
//!
//! // A scripted transport stands in for Feishu here; use `Client::builder()
//! // .credentials(..)` with the default transport against the real API.
//! let transport = Arc::new(ScriptedTransport::new());
//! transport.push_json(200, &json!({"code": 0, "msg": "success",
//!     "data": {"name": "incident-42", "chat_mode": "group", "user_count": "3"}}));
//! let client = Client::builder().static_tenant_token("t-example").transport(transport.clone()).build()?;
//! let group = Group::new(&client);
//!
//! let chat = group.chats().get("oc_a0553eda9014c201e6969b478895c230")
//!     .user_id_type(UserIdType::UnionId)
//!     .await?;
//! assert_eq!(chat.name.as_deref(), Some("incident-42"));
//! assert!(transport.requests()[0].url().ends_with("/chats/oc_a0553eda9014c201e6969b478895c230?user_id_type=union_id"));
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod announcement;
mod announcement_doc;
mod batch;
pub mod blocks;
mod chats;
mod locks;
mod managers;
mod members;
mod menu;
mod moderation;
mod tabs;
mod top_notice;

pub use announcement::Announcement;
pub use announcement_doc::{AnnouncementDoc, Revision};
pub use batch::{BatchCall, IdListWrite};
pub use chats::Chats;
pub use managers::Managers;
pub use members::Members;
pub use menu::Menu;
pub use moderation::Moderation;
pub use tabs::Tabs;
pub use top_notice::TopNotices;

pub use feishu_model::docx;
pub use feishu_model::events;
pub use feishu_model::im as model;

use feishu_model::ChatId;
use feishu_transport::Client;

/// The group services of one client. Cheap to clone; clones share the
/// per-chat write serialization.
#[derive(Debug, Clone)]
pub struct Group {
    client: Client,
    locks: locks::ChatLocks,
}

impl Group {
    /// The group services over `client` (which is cloned: clones share
    /// their connection pool, tokens and rate limiter).
    pub fn new(client: &Client) -> Self {
        Group {
            client: client.clone(),
            locks: locks::ChatLocks::default(),
        }
    }

    /// The underlying client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Chat calls: create, delete, update, get, list, search, link.
    pub fn chats(&self) -> Chats {
        Chats {
            group: self.clone(),
        }
    }

    /// Member calls of one chat.
    pub fn members(&self, chat_id: impl Into<ChatId>) -> Members {
        Members {
            group: self.clone(),
            chat_id: chat_id.into(),
        }
    }

    /// Manager calls of one chat.
    pub fn managers(&self, chat_id: impl Into<ChatId>) -> Managers {
        Managers {
            group: self.clone(),
            chat_id: chat_id.into(),
        }
    }

    /// Moderation calls of one chat.
    pub fn moderation(&self, chat_id: impl Into<ChatId>) -> Moderation {
        Moderation {
            group: self.clone(),
            chat_id: chat_id.into(),
        }
    }

    /// Top notice calls of one chat.
    pub fn top_notice(&self, chat_id: impl Into<ChatId>) -> TopNotices {
        TopNotices {
            group: self.clone(),
            chat_id: chat_id.into(),
        }
    }

    /// Announcement calls of one chat.
    pub fn announcement(&self, chat_id: impl Into<ChatId>) -> Announcement {
        Announcement {
            group: self.clone(),
            chat_id: chat_id.into(),
        }
    }

    /// Calls on the upgraded (docx, block-based) announcement of one chat;
    /// [`Group::announcement`] serves legacy chats.
    pub fn announcement_doc(&self, chat_id: impl Into<ChatId>) -> AnnouncementDoc {
        AnnouncementDoc {
            group: self.clone(),
            chat_id: chat_id.into(),
        }
    }

    /// Tab calls of one chat.
    pub fn tabs(&self, chat_id: impl Into<ChatId>) -> Tabs {
        Tabs {
            group: self.clone(),
            chat_id: chat_id.into(),
        }
    }

    /// Menu calls of one chat.
    pub fn menu(&self, chat_id: impl Into<ChatId>) -> Menu {
        Menu {
            group: self.clone(),
            chat_id: chat_id.into(),
        }
    }
}
