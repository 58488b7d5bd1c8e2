//! `system` content as sent: a divider in a one-to-one bot chat.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Extra;

crate::wire_enum! {
    /// `type` of a system message.
    pub enum SystemType {
        /// `divider`: a divider line with a text (one-to-one bot chats only).
        Divider => "divider",
    }
}

/// `system` content: needs `tenant_access_token` and the
/// `im:message:send_sys_msg` permission.
///
/// ```
/// use feishu_model::im::content::System;
///
/// let divider = System::divider("New session").need_rollup(true);
/// let json = serde_json::to_value(&divider).unwrap();
/// assert_eq!(json["type"], "divider");
/// assert_eq!(json["params"]["divider_text"]["text"], "New session");
/// assert_eq!(json["options"]["need_rollup"], true);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, crate::WireDeserialize)]
pub struct System {
    /// `type`: the kind of system message.
    #[serde(rename = "type")]
    pub kind: SystemType,
    /// `params`: the parameters of that kind.
    pub params: SystemParams,
    /// `options`: optional settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<SystemOptions>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl System {
    /// A divider with a default text (at most 20 characters or 10 CJK
    /// characters).
    pub fn divider(text: impl Into<String>) -> Self {
        System {
            kind: SystemType::Divider,
            params: SystemParams {
                divider_text: Some(DividerText {
                    text: text.into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            options: None,
            extra: Extra::new(),
        }
    }

    /// Adds a localized divider text (`zh_CN`, `en_US`, `ja_JP`, ...; the
    /// keys are case-sensitive).
    pub fn i18n_text(mut self, locale: impl Into<String>, text: impl Into<String>) -> Self {
        if let Some(divider) = self.params.divider_text.as_mut() {
            divider
                .i18n_text
                .get_or_insert_with(BTreeMap::new)
                .insert(locale.into(), text.into());
        }
        self
    }

    /// Sets `options.need_rollup`: whether the chat scrolls the earlier
    /// messages away.
    pub fn need_rollup(mut self, rollup: bool) -> Self {
        self.options
            .get_or_insert_with(Default::default)
            .need_rollup = Some(rollup);
        self
    }
}

/// `params` of a system message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct SystemParams {
    /// `divider_text`: the divider's text (required for `divider`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub divider_text: Option<DividerText>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The text of a divider: a default and localized versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct DividerText {
    /// `text`: the default text (not empty).
    pub text: String,
    /// `i18n_text`: text per language, preferred when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i18n_text: Option<BTreeMap<String, String>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `options` of a system message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct SystemOptions {
    /// `need_rollup`: scroll earlier messages away (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_rollup: Option<bool>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}
