//! The card action callback (`card.action.trigger`): what a click on a card
//! carries.
//!
//! Unlike the other entries of the event list it is a callback: it is
//! answered synchronously (within 3 s, with a [`CardAnswer`](super::CardAnswer))
//! and never redelivered, so receivers do not de-duplicate it.

use serde::Serialize;
use serde_json::{Map, Value};

use super::EventPayload;
use crate::im::message::MessageId;
use crate::{ChatId, Extra, Secret, TenantKey};

crate::wire_enum! {
    /// `delivery_type`: how the card was delivered.
    pub enum CardDeliveryType {
        /// `url_preview`: a link preview card.
        UrlPreview => "url_preview",
    }
}

/// `card.action.trigger`: a user acted on an interactive component (button,
/// select, date picker, form submit...) of a card. The `event` of a v2.0
/// callback envelope; answer with a [`CardAnswer`](super::CardAnswer).
///
/// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication>
///
/// ```
/// use feishu_model::events::{decode, GroupEvent};
///
/// let body = br#"{"schema": "2.0", "header": {"event_id": "f798", "token": "v",
///     "create_time": "1603977298000000", "event_type": "card.action.trigger",
///     "tenant_key": "2df7", "app_id": "cli_a5fb"},
///   "event": {"operator": {"open_id": "ou_3c14"}, "token": "c-295e",
///     "action": {"tag": "button", "value": {"incident": "INC-7"}},
///     "host": "im_message",
///     "context": {"open_message_id": "om_574d", "open_chat_id": "oc_e4d2"}}}"#;
/// let GroupEvent::CardAction(e) = decode(body).unwrap() else { panic!() };
/// assert_eq!(e.event.action.value_str("incident"), Some("INC-7"));
/// assert_eq!(e.event.open_id(), Some("ou_3c14"));
/// assert_eq!(e.event.message_id().map(|m| m.as_str()), Some("om_574d"));
/// // The update token never shows in Debug output.
/// assert!(!format!("{e:?}").contains("c-295e"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct CardAction {
    /// Who acted.
    #[serde(default, skip_serializing_if = "CardOperator::is_empty")]
    pub operator: CardOperator,
    /// The token for a delayed update of the card (`c-...`): valid 30
    /// minutes, for two updates. Hidden from `Debug` output.
    #[serde(default, skip_serializing_if = "Secret::is_empty")]
    pub token: Secret,
    /// What the user did.
    #[serde(default, skip_serializing_if = "CardActionData::is_empty")]
    pub action: CardActionData,
    /// Where the card is shown, such as `im_message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `url_preview` for a link preview card; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_type: Option<CardDeliveryType>,
    /// The message and chat of the card, or the previewed link.
    #[serde(default, skip_serializing_if = "CardContext::is_empty")]
    pub context: CardContext,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for CardAction {
    const EVENT_TYPE: &'static str = "card.action.trigger";
}

impl CardAction {
    /// The acting user's open id.
    pub fn open_id(&self) -> Option<&str> {
        self.operator.open_id.as_deref()
    }

    /// The message holding the card (`context.open_message_id`).
    pub fn message_id(&self) -> Option<&MessageId> {
        self.context.open_message_id.as_ref()
    }

    /// The chat of the card's message (`context.open_chat_id`).
    pub fn chat_id(&self) -> Option<&ChatId> {
        self.context.open_chat_id.as_ref()
    }
}

/// `operator`: the user who acted on the card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct CardOperator {
    /// The user's tenant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// The user's user id (only with the `contact:user.employee_id:readonly`
    /// scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's union id (`on_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_id: Option<String>,
    /// The user's open id (`ou_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_id: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `action`: the component acted on and what it returned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct CardActionData {
    /// The component's tag, such as `button`, `select_static`, `input`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The developer's `value` bound to the component: an object or a
    /// string, as the card defines it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// The option chosen in a single select, person picker, overflow menu,
    /// date or time picker outside a form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// The options chosen in a multi select or multi person picker outside
    /// a form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// The text submitted in an input outside a form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_value: Option<String>,
    /// A submitted form: each component's `name` and its value (a string,
    /// or a list for multi selects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_value: Option<Map<String, Value>>,
    /// The component's `name` (its identifier inside a form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The state of a checker outside a form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
    /// The user's time zone, for date and time pickers (`Asia/Shanghai`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CardOperator {
    /// Whether no field is set (the operator was absent).
    pub fn is_empty(&self) -> bool {
        *self == CardOperator::default()
    }
}

impl CardActionData {
    /// Whether no field is set (the action was absent).
    pub fn is_empty(&self) -> bool {
        *self == CardActionData::default()
    }

    /// The string at `key` of an object `value`.
    pub fn value_str(&self, key: &str) -> Option<&str> {
        self.value.as_ref()?.get(key)?.as_str()
    }

    /// A `value` given as a plain string.
    pub fn value_text(&self) -> Option<&str> {
        self.value.as_ref()?.as_str()
    }

    /// The submitted form value of the component named `name`.
    pub fn form(&self, name: &str) -> Option<&Value> {
        self.form_value.as_ref()?.get(name)
    }
}

/// `context`: where the card is shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct CardContext {
    /// The link, for a link preview card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The link preview's token, for a link preview card. Hidden from
    /// `Debug` output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_token: Option<Secret>,
    /// The message holding the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_message_id: Option<MessageId>,
    /// The chat of that message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_chat_id: Option<ChatId>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CardContext {
    /// Whether no field is set (the context was absent).
    pub fn is_empty(&self) -> bool {
        *self == CardContext::default()
    }
}
