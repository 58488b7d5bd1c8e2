//! Chat member events: bots added to or removed from a chat, users added,
//! removed or whose invitation was withdrawn.

use serde::{Deserialize, Serialize};

use super::{EventPayload, UserIds};
use crate::im::types::I18nNames;
use crate::{ChatId, Extra, TenantKey};

/// Declares a member event payload: the fields every member event carries,
/// plus the `users` list for the user events.
macro_rules! member_event {
    ($(#[$doc:meta])* $name:ident = $event_type:literal $(, users: $users_doc:literal)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            /// The chat id.
            pub chat_id: ChatId,
            /// Who did it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub operator_id: Option<UserIds>,
            /// Whether the chat is an external chat.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub external: Option<bool>,
            /// The operator's tenant key.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub operator_tenant_key: Option<TenantKey>,
            $(
            #[doc = $users_doc]
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub users: Option<Vec<ChatMemberUser>>,
            )?
            /// The chat name.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            /// The chat's localized names.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub i18n_names: Option<I18nNames>,
            /// Undocumented fields.
            #[serde(flatten)]
            pub extra: Extra,
        }

        impl EventPayload for $name {
            const EVENT_TYPE: &'static str = $event_type;
        }
    };
}

member_event!(
    /// `im.chat.member.bot.added_v1`: a user added the bot to a chat. Sent to the bot that was added
    /// (bots already in the chat are not told).
    ///
    /// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-member-bot/events/added>
    ChatMemberBotAddedV1 = "im.chat.member.bot.added_v1"
);

member_event!(
    /// `im.chat.member.bot.deleted_v1`: the bot was removed from a chat. Sent only to the bot that was
    /// removed.
    ///
    /// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-member-bot/events/deleted>
    ChatMemberBotDeletedV1 = "im.chat.member.bot.deleted_v1"
);

member_event!(
    /// `im.chat.member.user.added_v1`: users joined a chat. Sent to the bots in the chat that
    /// subscribe to it.
    ///
    /// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-member-user/events/added>
    ChatMemberUserAddedV1 = "im.chat.member.user.added_v1",
    users: "The users added."
);

member_event!(
    /// `im.chat.member.user.deleted_v1`: users left a chat or were removed from it. Sent to the bots in
    /// the chat that subscribe to it.
    ///
    /// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-member-user/events/deleted>
    ChatMemberUserDeletedV1 = "im.chat.member.user.deleted_v1",
    users: "The users who left or were removed."
);

member_event!(
    /// `im.chat.member.user.withdrawn_v1`: an invitation of users into a chat was withdrawn. Sent to the
    /// bots in the chat that subscribe to it.
    ///
    /// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-member-user/events/withdrawn>
    ChatMemberUserWithdrawnV1 = "im.chat.member.user.withdrawn_v1",
    users: "The users whose invitation was withdrawn."
);

/// `chat.member.user`: a user in a member event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatMemberUser {
    /// The user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's tenant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// The user's ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserIds>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}
