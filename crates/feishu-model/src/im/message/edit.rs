//! Edit a sent text or rich-text message, recall a message, and add
//! follow-up bubbles under a bot's latest message in a one-to-one chat.

use serde::{Deserialize, Serialize};

use super::item::{check_content, check_msg_type, Message, MessageId, MessagePath};
use crate::im::msg_type::MsgType;
use crate::{endpoint, validate, Empty, Invalid, NoParams, Params};

/// The kinds of message [`UpdateMessage`] edits.
pub const EDITABLE_MSG_TYPES: &[MsgType] = &[MsgType::Text, MsgType::Post];

/// Documented number of follow-up bubbles per call (`follow_ups`): 1 to 3.
pub const MAX_FOLLOW_UPS: usize = 3;

/// Documented length of a bubble's text (`content`): 1 to 200 characters.
pub const MAX_FOLLOW_UP_CHARS: usize = 200;

/// Documented number of translations per bubble (`i18n_contents`): at most 50.
pub const MAX_FOLLOW_UP_TRANSLATIONS: usize = 50;

// ---------------------------------------------------------------------------
// update (edit)
// ---------------------------------------------------------------------------

/// Body of [`UpdateMessage`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateMessageBody {
    /// The kind of message (required): `text` or `post`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_type: Option<MsgType>,
    /// The new content, JSON text matching `msg_type` (required): at most
    /// 150 KB for text, 30 KB for rich text.
    #[serde(default)]
    pub content: String,
}

impl Params for UpdateMessageBody {
    fn validate(&self) -> Result<(), Invalid> {
        check_msg_type(self.msg_type.as_ref(), EDITABLE_MSG_TYPES)?;
        check_content(self.msg_type.as_ref(), &self.content)
    }
}

endpoint! {
    /// Edits a text or rich-text message the caller sent (at most 20 times,
    /// within the time the tenant allows).
    pub struct UpdateMessage {
        operation: "im.v1.message.update",
        family: Im,
        method: Put,
        path: "/open-apis/im/v1/messages/:message_id",
        path_params: MessagePath,
        query: NoParams,
        body: UpdateMessageBody,
        output: Message,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/update",
    }
}

impl UpdateMessage {
    /// Replaces the content of `message_id` with `content` (JSON text of
    /// kind `msg_type`).
    pub fn new(
        message_id: impl Into<MessageId>,
        msg_type: MsgType,
        content: impl Into<String>,
    ) -> Self {
        UpdateMessage {
            path: MessagePath::new(message_id),
            query: NoParams {},
            body: UpdateMessageBody {
                msg_type: Some(msg_type),
                content: content.into(),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// delete (recall)
// ---------------------------------------------------------------------------

endpoint! {
    /// Recalls a message (a bot only its own, within the tenant's recall time).
    pub struct DeleteMessage {
        operation: "im.v1.message.delete",
        family: Im,
        method: Delete,
        path: "/open-apis/im/v1/messages/:message_id",
        path_params: MessagePath,
        query: NoParams,
        body: NoParams,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/delete",
    }
}

impl DeleteMessage {
    /// Recalls the given message.
    pub fn new(message_id: impl Into<MessageId>) -> Self {
        DeleteMessage {
            path: MessagePath::new(message_id),
            query: NoParams {},
            body: NoParams {},
        }
    }
}

// ---------------------------------------------------------------------------
// push_follow_up
// ---------------------------------------------------------------------------

crate::wire_enum! {
    /// `language` of a follow-up bubble's translation.
    pub enum FollowUpLanguage {
        /// `en_us`: English.
        EnUs => "en_us",
        /// `zh_cn`: Simplified Chinese.
        ZhCn => "zh_cn",
        /// `zh_hk`: Traditional Chinese (Hong Kong).
        ZhHk => "zh_hk",
        /// `zh_tw`: Traditional Chinese (Taiwan).
        ZhTw => "zh_tw",
        /// `ja_jp`: Japanese.
        JaJp => "ja_jp",
        /// `id_id`: Indonesian.
        IdId => "id_id",
        /// `vi_vn`: Vietnamese.
        ViVn => "vi_vn",
        /// `th_th`: Thai.
        ThTh => "th_th",
        /// `pt_br`: Portuguese.
        PtBr => "pt_br",
        /// `es_es`: Spanish.
        EsEs => "es_es",
        /// `ko_kr`: Korean.
        KoKr => "ko_kr",
        /// `de_de`: German.
        DeDe => "de_de",
        /// `fr_fr`: French.
        FrFr => "fr_fr",
        /// `it_it`: Italian.
        ItIt => "it_it",
        /// `ru_ru`: Russian.
        RuRu => "ru_ru",
        /// `ms_my`: Malay.
        MsMy => "ms_my",
    }
}

/// A bubble's text in one language (`i18n_contents[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpTranslation {
    /// The text in `language`: 1 to 200 characters.
    #[serde(default)]
    pub content: String,
    /// The language.
    pub language: FollowUpLanguage,
}

/// One follow-up bubble (`follow_ups[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The bubble's text: 1 to 200 characters. Tapping the bubble sends it
    /// as a message from the user.
    #[serde(default)]
    pub content: String,
    /// The text in other languages: at most 50.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_contents: Option<Vec<FollowUpTranslation>>,
}

impl FollowUp {
    /// A bubble with the given text.
    pub fn new(content: impl Into<String>) -> Self {
        FollowUp {
            content: content.into(),
            i18n_contents: None,
        }
    }
}

/// Body of [`PushFollowUp`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushFollowUpBody {
    /// The bubbles: 1 to [`MAX_FOLLOW_UPS`].
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
}

impl Params for PushFollowUpBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count("follow_ups", &self.follow_ups, 1, MAX_FOLLOW_UPS)?;
        for (i, bubble) in self.follow_ups.iter().enumerate() {
            validate::char_len(
                &format!("follow_ups[{i}].content"),
                &bubble.content,
                1,
                MAX_FOLLOW_UP_CHARS,
            )?;
            let translations = bubble.i18n_contents.as_deref().unwrap_or_default();
            validate::count(
                &format!("follow_ups[{i}].i18n_contents"),
                translations,
                0,
                MAX_FOLLOW_UP_TRANSLATIONS,
            )?;
            for (j, t) in translations.iter().enumerate() {
                validate::char_len(
                    &format!("follow_ups[{i}].i18n_contents[{j}].content"),
                    &t.content,
                    1,
                    MAX_FOLLOW_UP_CHARS,
                )?;
            }
        }
        Ok(())
    }
}

endpoint! {
    /// Adds follow-up bubbles under a bot's latest message in a one-to-one
    /// chat (sent at most 600 seconds ago). Adding them twice fails.
    pub struct PushFollowUp {
        operation: "im.v1.message.push_follow_up",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/messages/:message_id/push_follow_up",
        path_params: MessagePath,
        query: NoParams,
        body: PushFollowUpBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/push_follow_up",
    }
}

impl PushFollowUp {
    /// Adds the given bubbles under `message_id`.
    pub fn new<I>(message_id: impl Into<MessageId>, follow_ups: I) -> Self
    where
        I: IntoIterator<Item = FollowUp>,
    {
        PushFollowUp {
            path: MessagePath::new(message_id),
            query: NoParams {},
            body: PushFollowUpBody {
                follow_ups: follow_ups.into_iter().collect(),
            },
        }
    }
}
