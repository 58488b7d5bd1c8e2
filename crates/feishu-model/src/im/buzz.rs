//! Buzz (urgent) messages: make a message the bot sent urgent for some of
//! the chat's members, in the app, by SMS or by phone call.
//!
//! SMS and phone buzzes use the tenant's buzz quota. A user may have at
//! most 200 unread buzzes (code 230023).

use serde::{Deserialize, Serialize};

use crate::im::message_path::MessagePath;
use crate::{endpoint, validate, Extra, Invalid, MemberId, Params, UserIdType};

/// Documented maximum of users in one buzz (`user_id_list`).
pub const MAX_USERS_PER_CALL: usize = 200;

/// Query of the buzz endpoints: the kind of id in `user_id_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgentQuery {
    /// The kind of user id in `user_id_list` and the answer (required;
    /// `open_id` recommended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
}

impl Params for UrgentQuery {
    fn validate(&self) -> Result<(), Invalid> {
        match self.user_id_type {
            Some(_) => Ok(()),
            None => Err(Invalid::new("user_id_type", "is required")),
        }
    }
}

/// Body of the buzz endpoints: who is buzzed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgentBody {
    /// The users, of the kind given by `user_id_type`, each in the
    /// message's chat: 1 to [`MAX_USERS_PER_CALL`].
    #[serde(default)]
    pub user_id_list: Vec<MemberId>,
}

impl Params for UrgentBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count("user_id_list", &self.user_id_list, 1, MAX_USERS_PER_CALL)
    }
}

/// Output of the buzz endpoints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct UrgentOutput {
    /// The ids that were not buzzed (not in the chat, ...); the others were.
    /// When none is valid the call fails with code 230001 instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_user_id_list: Option<Vec<MemberId>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The parts of a buzz for the given message and open_ids.
fn parts<I>(message_id: impl Into<String>, open_ids: I) -> (MessagePath, UrgentQuery, UrgentBody)
where
    I: IntoIterator,
    I::Item: Into<MemberId>,
{
    (
        MessagePath::new(message_id),
        UrgentQuery {
            user_id_type: Some(UserIdType::OpenId),
        },
        UrgentBody {
            user_id_list: open_ids.into_iter().map(Into::into).collect(),
        },
    )
}

macro_rules! urgent {
    ($(#[$meta:meta])* $name:ident, $op:literal, $path:literal, $doc:literal) => {
        endpoint! {
            $(#[$meta])*
            pub struct $name {
                operation: $op,
                family: Im,
                method: Patch,
                path: $path,
                path_params: MessagePath,
                query: UrgentQuery,
                body: UrgentBody,
                output: UrgentOutput,
                tokens: [Tenant],
                rate_limit: GROUP,
                doc: $doc,
            }
        }

        impl $name {
            /// Buzzes the given users (by open_id) about a message the bot sent.
            pub fn new<I>(message_id: impl Into<String>, open_ids: I) -> Self
            where
                I: IntoIterator,
                I::Item: Into<MemberId>,
            {
                let (path, query, body) = parts(message_id, open_ids);
                $name { path, query, body }
            }
        }
    };
}

urgent!(
    /// Buzzes users about a message the bot sent, in the Feishu client only.
    UrgentApp,
    "im.v1.message.urgent_app",
    "/open-apis/im/v1/messages/:message_id/urgent_app",
    "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/urgent_app"
);

urgent!(
    /// Buzzes users about a message the bot sent, in the client and by SMS
    /// (uses the tenant's buzz quota).
    UrgentSms,
    "im.v1.message.urgent_sms",
    "/open-apis/im/v1/messages/:message_id/urgent_sms",
    "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/urgent_sms"
);

urgent!(
    /// Buzzes users about a message the bot sent, in the client and by
    /// phone call (uses the tenant's buzz quota).
    UrgentPhone,
    "im.v1.message.urgent_phone",
    "/open-apis/im/v1/messages/:message_id/urgent_phone",
    "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/urgent_phone"
);
