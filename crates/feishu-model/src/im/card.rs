//! Message cards: update a sent card, send and delete a card only one user
//! in a chat sees, and update a card late with a card callback's token.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::im::message::{MessageId, MessagePath};
use crate::im::msg_type::MsgType;
use crate::{endpoint, validate, ChatId, Empty, Extra, Invalid, NoParams, Params, Secret};

/// Documented maximum size of a card: 30 KB.
pub const MAX_CARD_BYTES: usize = 30 * 1024;

/// Checks that a card (JSON text) is not empty and within [`MAX_CARD_BYTES`].
fn check_card_text(field: &str, text: &str) -> Result<(), Invalid> {
    if text.is_empty() {
        return Err(Invalid::new(field, "is required"));
    }
    if text.len() > MAX_CARD_BYTES {
        return Err(Invalid::new(
            field,
            format!(
                "a card must be at most {MAX_CARD_BYTES} bytes, got {}",
                text.len()
            ),
        ));
    }
    Ok(())
}

/// Checks that a card object is present and, as JSON text, within [`MAX_CARD_BYTES`].
fn check_card_object(card: &Value) -> Result<(), Invalid> {
    if !card.is_object() {
        return Err(Invalid::new(
            "card",
            "is required and must be a JSON object",
        ));
    }
    let text = serde_json::to_string(card).map_err(|e| Invalid::new("card", e.to_string()))?;
    check_card_text("card", &text)
}

// ---------------------------------------------------------------------------
// patch
// ---------------------------------------------------------------------------

/// Body of [`PatchCard`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchCardBody {
    /// The new card: card JSON, or a template reference
    /// (`{"type":"template","data":{"template_id":...}}`), as JSON text
    /// (required, at most 30 KB). Both the old and the new card must declare
    /// `"update_multi": true` in their `config`.
    #[serde(default)]
    pub content: String,
}

impl Params for PatchCardBody {
    fn validate(&self) -> Result<(), Invalid> {
        check_card_text("content", &self.content)
    }
}

endpoint! {
    /// Replaces the content of a card message sent in the last 14 days, for
    /// every receiver. Sending the same content again changes nothing, so
    /// the call is treated as idempotent.
    pub struct PatchCard {
        operation: "im.v1.message.patch",
        family: Im,
        method: Patch,
        path: "/open-apis/im/v1/messages/:message_id",
        path_params: MessagePath,
        query: NoParams,
        body: PatchCardBody,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch",
        idempotent: true,
    }
}

impl PatchCard {
    /// Replaces the card of `message_id` with `content` (card JSON text).
    pub fn new(message_id: impl Into<MessageId>, content: impl Into<String>) -> Self {
        PatchCard {
            path: MessagePath::new(message_id),
            query: NoParams {},
            body: PatchCardBody {
                content: content.into(),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// ephemeral send
// ---------------------------------------------------------------------------

/// Body of [`SendEphemeralCard`].
///
/// One of `open_id`, `user_id` and `email` names the user; when several are
/// given, `open_id` wins over `user_id`, which wins over `email`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EphemeralCardBody {
    /// The chat (a conversation-mode group, not a topic group) (required).
    #[serde(default)]
    pub chat_id: ChatId,
    /// The user who sees the card, by open id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_id: Option<String>,
    /// The user who sees the card, by user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user who sees the card, by email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Always `interactive` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_type: Option<MsgType>,
    /// The card: card JSON (1.0 or 2.0) or a template reference
    /// (`{"type":"template","data":{"template_id":...}}`) (required).
    #[serde(default)]
    pub card: Value,
}

impl Params for EphemeralCardBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("chat_id", Some(&self.chat_id))?;
        let named = [&self.open_id, &self.user_id, &self.email]
            .iter()
            .any(|id| id.as_deref().is_some_and(|s| !s.is_empty()));
        if !named {
            return Err(Invalid::new(
                "open_id",
                "one of open_id, user_id and email is required",
            ));
        }
        match &self.msg_type {
            Some(MsgType::Interactive) => {}
            None => return Err(Invalid::new("msg_type", "is required")),
            Some(other) => {
                return Err(Invalid::new(
                    "msg_type",
                    format!("must be `interactive`, got `{other}`"),
                ))
            }
        }
        check_card_object(&self.card)
    }
}

/// Output of [`SendEphemeralCard`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct EphemeralCard {
    /// The card message's id, for [`DeleteEphemeralCard`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<MessageId>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Sends a card in a group chat that only one user sees (online clients
    /// only, without a notification; it cannot be forwarded).
    pub struct SendEphemeralCard {
        operation: "ephemeral.v1.send",
        family: Im,
        method: Post,
        path: "/open-apis/ephemeral/v1/send",
        path_params: NoParams,
        query: NoParams,
        body: EphemeralCardBody,
        output: EphemeralCard,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uETOyYjLxkjM24SM5IjN",
    }
}

impl SendEphemeralCard {
    /// Sends `card` in `chat_id`, seen only by the user with `open_id`.
    pub fn new(chat_id: impl Into<ChatId>, open_id: impl Into<String>, card: Value) -> Self {
        SendEphemeralCard {
            path: NoParams {},
            query: NoParams {},
            body: EphemeralCardBody {
                chat_id: chat_id.into(),
                open_id: Some(open_id.into()),
                user_id: None,
                email: None,
                msg_type: Some(MsgType::Interactive),
                card,
            },
        }
    }
}

// ---------------------------------------------------------------------------
// ephemeral delete
// ---------------------------------------------------------------------------

/// Body of [`DeleteEphemeralCard`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteEphemeralCardBody {
    /// The card message, from [`SendEphemeralCard`]'s answer (required).
    #[serde(default)]
    pub message_id: MessageId,
}

impl Params for DeleteEphemeralCardBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("message_id", Some(&self.message_id))
    }
}

endpoint! {
    /// Deletes a card only one user sees; it leaves no trace on their devices.
    /// Deleting it again fails (code 18051).
    pub struct DeleteEphemeralCard {
        operation: "ephemeral.v1.delete",
        family: Im,
        method: Post,
        path: "/open-apis/ephemeral/v1/delete",
        path_params: NoParams,
        query: NoParams,
        body: DeleteEphemeralCardBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uITOyYjLykjM24iM5IjN",
    }
}

impl DeleteEphemeralCard {
    /// Deletes the given card message.
    pub fn new(message_id: impl Into<MessageId>) -> Self {
        DeleteEphemeralCard {
            path: NoParams {},
            query: NoParams {},
            body: DeleteEphemeralCardBody {
                message_id: message_id.into(),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// delayed update
// ---------------------------------------------------------------------------

/// Body of [`UpdateCard`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateCardBody {
    /// The `token` of the card callback (`c-...`): valid 30 minutes, for
    /// two updates (required). Hidden from `Debug` output.
    #[serde(default)]
    pub token: Secret,
    /// The new card: card JSON or a template reference, at most 30 KB
    /// (required). With card JSON 1.0 and `config.update_multi` false, its
    /// `open_ids` lists the users whose card changes; a shared card
    /// (`update_multi` true) takes no `open_ids`.
    #[serde(default)]
    pub card: Value,
}

impl Params for UpdateCardBody {
    fn validate(&self) -> Result<(), Invalid> {
        if self.token.is_empty() {
            return Err(Invalid::new("token", "is required"));
        }
        if !self.token.expose().starts_with("c-") {
            return Err(Invalid::new(
                "token",
                "must be a card callback token, starting with `c-`",
            ));
        }
        check_card_object(&self.card)?;
        let shared = self.card.pointer("/config/update_multi") == Some(&Value::Bool(true));
        if shared && self.card.get("open_ids").is_some() {
            return Err(Invalid::new(
                "card.open_ids",
                "a shared card (`config.update_multi` true) takes no open_ids",
            ));
        }
        Ok(())
    }
}

endpoint! {
    /// Updates an interactive card late (within 30 minutes of the user's
    /// action, after answering the callback), with the callback's token.
    pub struct UpdateCard {
        operation: "interactive.v1.card.update",
        family: Im,
        method: Post,
        path: "/open-apis/interactive/v1/card/update",
        path_params: NoParams,
        query: NoParams,
        body: UpdateCardBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/ukTMukTMukTM/uMDO1YjLzgTN24yM4UjN",
    }
}

impl UpdateCard {
    /// Updates the card of the callback whose token is `token` to `card`.
    pub fn new(token: impl Into<Secret>, card: Value) -> Self {
        UpdateCard {
            path: NoParams {},
            query: NoParams {},
            body: UpdateCardBody {
                token: token.into(),
                card,
            },
        }
    }
}
