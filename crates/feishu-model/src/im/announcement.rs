//! The legacy chat announcement (old doc format): read it and edit it.
//!
//! The content is serialized legacy-doc data and edits are legacy-doc edit
//! requests, both carried as JSON text inside strings. Chats upgraded to the
//! docx announcement use the docx v1 APIs instead.

use serde::{Deserialize, Serialize};

use crate::im::types::{ChatPath, UserIdTypeQuery};
use crate::{endpoint, ChatId, Empty, Extra, Invalid, MemberId, MemberIdType, NoParams, Params};

/// Output of [`GetAnnouncement`]: the announcement document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Announcement {
    /// The content, as serialized legacy-doc data (JSON text in a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Current revision of the document (an int64 as text); pass it to
    /// [`PatchAnnouncement`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// When the document was created (Unix seconds, as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// When the document was last updated (Unix seconds, as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// The kind of `owner_id`: the query's `user_id_type` for a user, `app_id` for a bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id_type: Option<MemberIdType>,
    /// The document owner's id, of the kind given by `owner_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<MemberId>,
    /// The kind of `modifier_id`: the query's `user_id_type` for a user, `app_id` for a bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifier_id_type: Option<MemberIdType>,
    /// The last modifier's id, of the kind given by `modifier_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifier_id: Option<MemberId>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of [`PatchAnnouncement`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchAnnouncementBody {
    /// The document's current revision (an int64 as text, from
    /// [`GetAnnouncement`]); at most 100 behind the latest revision.
    pub revision: String,
    /// Legacy-doc edit requests, each one JSON text in a string. Must not be
    /// empty.
    #[serde(default)]
    pub requests: Vec<String>,
}

impl Params for PatchAnnouncementBody {
    fn validate(&self) -> Result<(), Invalid> {
        crate::validate::required("revision", Some(&self.revision))?;
        if self.revision.parse::<i64>().is_err() {
            return Err(Invalid::bad_format(
                "revision",
                format!("must be an int64 in decimal text, got {:?}", self.revision),
            ));
        }
        if self.requests.is_empty() {
            return Err(Invalid::required(
                "requests",
                "is required and must not be empty",
            ));
        }
        Ok(())
    }
}

endpoint! {
    /// Gets a chat's legacy announcement (not available for one-to-one chats).
    pub struct GetAnnouncement {
        operation: "im.v1.chat.announcement.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats/:chat_id/announcement",
        path_params: ChatPath,
        query: UserIdTypeQuery,
        body: NoParams,
        output: Announcement,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-announcement/get",
    }
}

endpoint! {
    /// Edits a chat's legacy announcement (not available for one-to-one chats).
    pub struct PatchAnnouncement {
        operation: "im.v1.chat.announcement.patch",
        family: Im,
        method: Patch,
        path: "/open-apis/im/v1/chats/:chat_id/announcement",
        path_params: ChatPath,
        query: NoParams,
        body: PatchAnnouncementBody,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-announcement/patch",
    }
}

impl GetAnnouncement {
    /// Gets the announcement of the given chat.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        GetAnnouncement {
            path: ChatPath::new(chat_id),
            query: UserIdTypeQuery::default(),
            body: NoParams {},
        }
    }
}

impl PatchAnnouncement {
    /// Applies the given legacy-doc edit requests to the announcement at `revision`.
    pub fn new<I>(chat_id: impl Into<ChatId>, revision: impl Into<String>, requests: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        PatchAnnouncement {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: PatchAnnouncementBody {
                revision: revision.into(),
                requests: requests.into_iter().map(Into::into).collect(),
            },
        }
    }
}
