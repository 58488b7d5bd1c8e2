//! Failures the emulator answers with: the documented code, its documented
//! message, and the HTTP status, in the documented error body
//! `{"code", "msg", "error": {...}}`.

use feishu_model::envelope::{ErrorDetail, FieldViolation, Help};
use feishu_model::{codes, Empty, Envelope, Family, Invalid, RuleKind};

/// The documented messages of the codes the emulator answers with.
pub(crate) fn documented_message(code: i64) -> &'static str {
    match code {
        codes::GROUP_PARAM_INVALID => "Your request contains an invalid request parameter.",
        codes::GROUP_NO_EDIT_PERMISSION => "No Permission: Only chat owner or admin can edit chat information in the current situation.",
        codes::GROUP_ANNOUNCEMENT_NOT_FOUND => "Chat announcement can NOT be found in chat information.",
        codes::GROUP_INVALID_CHAT_ID => "Your request specifies a chat_id which is invalid.",
        codes::GROUP_CHAT_TYPE_UNSUPPORTED => "Your request specifies a chat whose type is NOT supported currently.",
        codes::GROUP_CHAT_DISSOLVED => "Your request specifies a chat which has already been dissolved.",
        codes::GROUP_OPERATOR_OTHER_TENANT => "Operator and chat can NOT be in different tenants.",
        codes::GROUP_OPERATOR_NOT_IN_CHAT => "Operator can NOT be out of the chat.",
        codes::GROUP_NEW_OWNER_NOT_IN_CHAT => "New chat owner can NOT be out of the chat.",
        codes::GROUP_MEMBER_LIMIT => "You have reached the limit of maximum number of members a chat can have.",
        codes::GROUP_TOKEN_NO_PERMISSION => "The token used in the request does NOT have the permissions necessary to complete the request.",
        codes::GROUP_MEMBER_ID_TYPE_UNSUPPORTED => "Your request specifies a member_id_type which is NOT supported.",
        codes::GROUP_LIMITED_EDIT => "Non-chat-owner or Non-chat-admin can only edit certain parts.",
        codes::GROUP_NOT_OWNER_OR_CREATOR => "No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request.",
        codes::GROUP_ANNOUNCEMENT_UPDATE_FAILED => "Updating announcement failed.",
        codes::GROUP_PUBLIC_NAME_TOO_SHORT => "Name can NOT be less than two characters for public chats.",
        codes::GROUP_BOT_NOT_FOUND => "Bot can NOT be found.",
        codes::GROUP_USER_RESIGNED => "User has already resigned.",
        codes::GROUP_BOT_NOT_ACTIVATED => "Bot ability is not activated.",
        codes::GROUP_NO_VALID_MEMBERS => "There are no valid members in the ID list specified in your request.",
        codes::GROUP_EXTERNAL_MEMBER => "External members can Not be added to an internal group chat.",
        codes::GROUP_INVALID_USER_ID => "Your request specifies a user_id which is invalid.",
        codes::GROUP_NEW_OWNER_OTHER_TENANT => "The chat and the new designated chat owner must be in the same tenant.",
        codes::GROUP_CREATOR_OWNER_OTHER_TENANT => "The operator who will create the chat and the designated chat owner must be in the same tenant.",
        codes::GROUP_EXTERNAL_CHAT_NO_SCOPE => "The operator or invited bots does NOT have the authority to manage external chats without the scope.",
        codes::GROUP_APP_UNAVAILABLE => "The app is unavailable or inactivated by the tenant.",
        codes::GROUP_INVALID_OWNER_ID => "Your request specifies an owner_id which is invalid.",
        codes::GROUP_OPERATOR_NOT_OWNER => "The operator is not chat owner, no permission to complete the request.",
        codes::GROUP_MANAGER_LIMIT => "The chat managers has reached the limit of maximum number.",
        codes::GROUP_PUBLIC_NAME_EMPTY => "Public group chat's name should not be empty.",
        codes::GROUP_UNAVAILABLE_IDS => "Your request contains unavailable ids.",
        codes::GROUP_TAB_LIMIT => "The number of chat tabs has reached the limit.",
        codes::GROUP_TAB_NAME_TOO_LONG => "The length of the tab name reaches the limit.",
        codes::GROUP_TAB_CONTENT_ILLEGAL | codes::GROUP_TAB_TYPE_NOT_WRITABLE => "The chat tab content is illegal.",
        codes::GROUP_TAB_CHAT_TYPE_UNSUPPORTED => "Operate chat tab unsupported chat type.",
        codes::GROUP_NO_WIDGET_PERMISSION => "The operator does not have chat tab, chat menu, chat widget manage permission",
        codes::GROUP_P2P_NO_SHARE_LINK => "P2P chat cannot be share link.",
        codes::GROUP_NO_SHARE_PERMISSION => "The operator is not a group owner or administrator, no permission to share chat link.",
        codes::GROUP_TOP_MENU_LIMIT => "The number of chat_menu_top_level has reached the limit.",
        codes::GROUP_SECOND_MENU_LIMIT => "The number of chat_menu_second_level has reached the limit.",
        codes::GROUP_MENU_SORT_INVALID => "Sort chat_menu_top_level's param is invalid.",
        codes::GROUP_JOIN_NEEDS_APPROVAL => "The public group needs to apply to join, and users or bots are not allowed to actively join the group.",
        codes::GROUP_CANNOT_REMOVE_OWNER => "Can't kick chat owner.",
        codes::GROUP_MENU_ILLEGAL => "The chat menu is illegal.",
        codes::GROUP_UNSUPPORTED_CHAT_TYPE => "Unsupported chat type.",
        codes::MESSAGE_INVALID_PARAM => "Your request contains an invalid request parameter.",
        codes::MESSAGE_BOT_NOT_IN_CHAT => "The bot can not be outside the group.",
        codes::MESSAGE_RECALL_EXPIRED => "Message has expired when recall message.",
        codes::MESSAGE_RECALLED => "The message is recalled.",
        codes::MESSAGE_BOT_NOT_SENDER => "Bot is NOT the sender of the message.",
        codes::MESSAGE_BOT_NOT_RESOURCE_OWNER => "Bot is NOT the owner of the resource.",
        codes::MESSAGE_CHAT_SETTINGS_FORBID => "These operations are NOT allowed at current group settings.",
        codes::MESSAGE_CROSS_TENANT_P2P => "Cross tenant p2p chat operate forbid.",
        codes::MESSAGE_THREAD_INVISIBLE => "The thread is invisible to the operator.",
        codes::MESSAGE_THREAD_NOT_FOUND => "The topic does NOT exist.",
        codes::MESSAGE_RATE_LIMITED => "This operation triggers the frequency limit.",
        codes::MESSAGE_CONTENT_TOO_LONG => "The length of the message content reaches its limit.",
        codes::MESSAGE_NO_RECALL_PERMISSION => "No permission to recall this message.",
        codes::MESSAGE_LACKS_PERMISSION => "Lack of necessary permissions.",
        codes::MESSAGE_USER_RESIGNED => "User has resigned.",
        codes::MESSAGE_INVALID_RECEIVE_ID => "The receive_id is invalid.",
        codes::MESSAGE_INVISIBLE => "The message is invisible to the operator.",
        codes::MESSAGE_TYPE_UNSUPPORTED => "This operation is not supported for this message type.",
        codes::MESSAGE_THREAD_REPLY_UNSUPPORTED => "The operator is not the sender of the message.",
        codes::MESSAGE_EDIT_LIMIT_REACHED => "The message has reached the number of times it can be edited.",
        codes::MESSAGE_ENCRYPTED_CHAT => "The message has exceeded the time that can be edited.",
        codes::MESSAGE_UPDATE_EXPIRED => "Message can only be modified within 14 days after sending.",
        codes::FORWARD_TYPE_UNSUPPORTED => "The message type does not support forwarding.",
        codes::FORWARD_INVALID_TARGET_CHAT => "The chat_id of group to forward is invalid.",
        codes::FORWARD_INVALID_SOURCE => "The message to be forwarded is invalid.",
        codes::FORWARD_SOURCE_RECALLED => "The message to be forwarded has been recalled.",
        codes::MESSAGE_DELETED => "Action unavailable as the message has been deleted.",
        codes::PIN_NO_PERMISSION => "No Permission to Pin/Unpin messages in the chat.",
        codes::URGENT_NOT_ALLOWED => "Can not urgent this message.",
        codes::REACTION_TYPE_INVALID => "reaction type is invalid.",
        codes::REACTION_MESSAGE_NOT_FOUND => "The message is not found, maybe not exist or deleted.",
        codes::REACTION_CHAT_NOT_FOUND => "The chat in which the message exists is not found, maybe not exist, deleted or archived.",
        codes::REACTION_NOT_OWNER => "The operator has no permission to delete this reaction.",
        codes::REACTION_NO_ACCESS => "The operator has no access to the message.",
        codes::REACTION_NOT_OF_MESSAGE => "The reaction does not belong to the message.",
        codes::REACTION_ID_INVALID => "The request has an invalid reaction_id.",
        codes::REACTION_PAGE_TOKEN_INVALID => "The request has an invalid pageToken.",
        codes::REACTION_USER_ID_TYPE_INVALID => "user_id_type is invalid.",
        codes::PIN_CHAT_NOT_FOUND => "The chat not exist.",
        codes::APAAS_PARAM_INVALID => "param is invalid",
        codes::DOCX_PARAM_INVALID => "invalid param",
        codes::DOCX_NOT_FOUND => "not found",
        codes::DOCX_TOO_OLD_DOCUMENT => "too old document",
        codes::DOCX_OPERATION_BLOCK_MISMATCH => "operation and block not match",
        codes::DOCX_BLOCK_NO_CHILDREN => "block not support create children",
        codes::DOCX_BLOCK_NOT_CREATABLE => "block not support to create",
        codes::DOCX_BLOCK_NO_DELETE_CHILDREN => "block not support to delete children",
        codes::DOCX_FORBIDDEN => "forbidden",
        codes::DOCX_SERVER_ERROR => "server internal error",
        codes::DOCX_GATEWAY_MARSHAL_ERROR => "gateway marshal error",
        codes::DOCX_OPERATOR_OTHER_TENANT => "Operator and chat can NOT be in different tenants.",
        codes::DOCX_OPERATOR_NOT_IN_CHAT => "Operator can NOT be out of the chat.",
        codes::DOCX_NO_EDIT_PERMISSION => "No Permission: Only chat owner or admin can edit chat information in the current situation.",
        codes::DOCX_BOT_NOT_ACTIVATED => "Bot ability is not activated.",
        codes::AUTH_PARAM_INVALID => "invalid param",
        codes::GET_APP_TOKEN_FAILED => "get app access token fail",
        codes::GET_TENANT_TOKEN_FAILED => "get tenant access token fail",
        codes::APP_UNAUTHORIZED => "app unauthorized",
        codes::WRONG_APP_SECRET => "wrong app secret",
        codes::APP_TICKET_RESEND_FAILED => "app resend fail",
        codes::RATE_LIMITED => "request trigger frequency limit",
        codes::NEED_TOKEN => "Need a token",
        codes::APP_NOT_IN_USE => "app not in use",
        codes::INVALID_ACCESS_TOKEN => "Invalid access token for authorization. Please make a request with token attached",
        codes::INVALID_APP_TOKEN => "invalid app token",
        codes::INVALID_TENANT_TOKEN => "invalid tenant code",
        codes::INVALID_USER_TOKEN => "Invalid access token for authorization. Please make a request with token attached.",
        codes::MALFORMED_TOKEN => "Invalid token: must start with t-/u-",
        codes::USER_TOKEN_EXPIRED => "token expire",
        codes::OPEN_IDS_NOT_FOUND => "these open ids not existed",
        codes::USER_IDS_NOT_FOUND | codes::UNION_IDS_NOT_FOUND => "Your request contains not existed id.",
        codes::CARD_UPDATE_INVALID_CARD => "the card's format is not accepted",
        codes::CARD_UPDATE_RECALLED => "the card message was recalled",
        codes::CARD_UPDATE_OTHER_APP => "a card sent by another app cannot be updated",
        codes::CARD_UPDATE_TOKEN_MALFORMED => "the card update token is malformed",
        codes::CARD_UPDATE_TOKEN_EXPIRED => "the card update token expired",
        codes::CARD_UPDATE_TOKEN_USED_UP => "the card update token was used too many times",
        codes::CARD_UPDATE_OPEN_IDS_REQUIRED => "a non-shared card needs open_ids",
        _ => "request failed",
    }
}

/// Whether `operation` is a messaging endpoint (its parameter errors are
/// 230001, not the group APIs' 232001).
pub(crate) fn messaging(operation: &str) -> bool {
    ["im.v1.message", "im.v1.pin.", "im.v1.image", "im.v1.file"]
        .iter()
        .any(|p| operation.starts_with(p))
}

/// A failed call: what the emulator answers instead of `data` (boxed: it
/// travels in every `Result` of the handlers).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure(Box<FailureDetail>);

impl std::ops::Deref for Failure {
    type Target = FailureDetail;

    fn deref(&self) -> &FailureDetail {
        &self.0
    }
}

impl std::ops::DerefMut for Failure {
    fn deref_mut(&mut self) -> &mut FailureDetail {
        &mut self.0
    }
}

/// The parts of a [`Failure`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FailureDetail {
    pub(crate) status: u16,
    pub(crate) code: i64,
    pub(crate) msg: String,
    pub(crate) message: Option<String>,
    pub(crate) violations: Vec<(String, String)>,
    pub(crate) help: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
}

impl Failure {
    /// A documented code with its documented message, answered with HTTP 400.
    pub(crate) fn code(code: i64) -> Self {
        Failure(Box::new(FailureDetail {
            status: 400,
            code,
            msg: documented_message(code).to_owned(),
            message: None,
            violations: Vec::new(),
            help: None,
            headers: Vec::new(),
        }))
    }

    /// Adds the troubleshooting message (`error.message`).
    pub(crate) fn because(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Adds a field violation (`error.field_violations`).
    pub(crate) fn field(
        mut self,
        field: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        self.violations.push((field.into(), description.into()));
        self
    }

    /// The parameter-error code of a family: 232001 for the im group
    /// APIs, 2320001 for aPaaS, 1770001 for docx, 10003 for auth.
    pub(crate) fn param_code(family: Family) -> i64 {
        match family {
            Family::Im => codes::GROUP_PARAM_INVALID,
            Family::Apaas => codes::APAAS_PARAM_INVALID,
            Family::Docx => codes::DOCX_PARAM_INVALID,
            Family::Auth => codes::AUTH_PARAM_INVALID,
        }
    }

    /// A parameter error of an endpoint of `family` naming the field and
    /// the rule.
    pub(crate) fn param(family: Family, field: &str, rule: impl Into<String>) -> Self {
        let rule = rule.into();
        Failure::code(Failure::param_code(family))
            .because(format!("invalid parameter `{field}`: {rule}"))
            .field(field, rule)
    }

    /// The code the documentation gives for breaking a rule of `kind` on
    /// `field` of `operation`, where it gives a specific one; the words of
    /// the rule play no part.
    pub(crate) fn rule_code(operation: &str, field: &str, kind: RuleKind) -> Option<i64> {
        let tab = operation.starts_with("im.v1.chat.tab.");
        Some(match (operation, field, kind) {
            ("im.v1.chat.create", "name", RuleKind::Required) => codes::GROUP_PUBLIC_NAME_EMPTY,
            ("im.v1.chat.create" | "im.v1.chat.update", "name", _) => {
                codes::GROUP_PUBLIC_NAME_TOO_SHORT
            }
            (_, "tab_name", _) if tab => codes::GROUP_TAB_NAME_TOO_LONG,
            (_, "url" | "doc", _) if tab => codes::GROUP_TAB_CONTENT_ILLEGAL,
            ("im.v1.chat.tab.update_tabs", "tab_type", _) => codes::GROUP_TAB_TYPE_NOT_WRITABLE,
            ("im.v1.chat.menu_tree.create", "chat_menu_top_levels", RuleKind::TooMany) => {
                codes::GROUP_TOP_MENU_LIMIT
            }
            ("im.v1.chat.menu_tree.create", "children", _) => codes::GROUP_SECOND_MENU_LIMIT,
            (
                "im.v1.message.create" | "im.v1.message.reply" | "im.v1.message.update",
                "content",
                k,
            ) if k != RuleKind::Required => codes::MESSAGE_CONTENT_TOO_LONG,
            (op, _, _) if messaging(op) => codes::MESSAGE_INVALID_PARAM,
            _ => return None,
        })
    }

    /// A model validation failure of `operation` (of `family`), mapped by
    /// its kind to the specific code the documentation gives for that rule,
    /// else to the family's parameter-error code.
    pub(crate) fn invalid(operation: &str, family: Family, invalid: &Invalid) -> Self {
        let code = Failure::rule_code(operation, &invalid.field, invalid.kind)
            .unwrap_or_else(|| Failure::param_code(family));
        Failure::code(code)
            .because(invalid.to_string())
            .field(invalid.field.clone(), invalid.rule.clone())
    }

    /// The documented rate-limit answer: HTTP 429, code 99991400, and the
    /// `x-ogw-ratelimit-limit` / `x-ogw-ratelimit-reset` headers.
    pub(crate) fn rate_limited(limit: u32, reset_secs: u64) -> Self {
        let mut failure = Failure::code(codes::RATE_LIMITED);
        failure.status = 429;
        failure.help =
            Some("https://open.feishu.cn/document/ukTMukTMukTM/uUzN04SN3QjL1cDN".to_owned());
        failure.headers = vec![
            ("x-ogw-ratelimit-limit".to_owned(), limit.to_string()),
            ("x-ogw-ratelimit-reset".to_owned(), reset_secs.to_string()),
        ];
        failure
    }

    /// An authentication failure (HTTP 400 with the given code).
    pub(crate) fn auth(code: i64, message: impl Into<String>) -> Self {
        let mut failure = Failure::code(code).because(message);
        failure.help =
            Some("https://open.feishu.cn/document/ukTMukTMukTM/uMTNz4yM1MjLzUzM".to_owned());
        failure
    }

    /// No API lives at this path with any method: HTTP 404.
    pub(crate) fn no_route(method: &str, path: &str) -> Self {
        Failure(Box::new(FailureDetail {
            status: 404,
            code: 404,
            msg: "404 page not found".to_owned(),
            message: Some(format!("no Feishu API at {method} {path}")),
            violations: Vec::new(),
            help: None,
            headers: Vec::new(),
        }))
    }

    /// An API lives at this path, but not with this method: HTTP 405.
    pub(crate) fn wrong_method(method: &str, path: &str, allowed: &[&str]) -> Self {
        Failure(Box::new(FailureDetail {
            status: 405,
            code: 405,
            msg: "method not allowed".to_owned(),
            message: Some(format!(
                "{path} does not accept {method}; it accepts {}",
                allowed.join(", ")
            )),
            violations: Vec::new(),
            help: None,
            headers: vec![("allow".to_owned(), allowed.join(", "))],
        }))
    }

    /// A documented API the emulator does not implement: HTTP 501.
    pub(crate) fn not_implemented(operation: &str, doc: &str) -> Self {
        Failure(Box::new(FailureDetail {
            status: 501,
            code: 501,
            msg: format!("not implemented by feishu-emulator: {operation}"),
            message: Some(format!(
                "{operation} is a documented API that this emulator does not implement"
            )),
            violations: Vec::new(),
            help: Some(doc.to_owned()),
            headers: Vec::new(),
        }))
    }

    /// The request body could not be read (too large, cut short).
    pub(crate) fn unreadable_body(reason: impl Into<String>) -> Self {
        Failure(Box::new(FailureDetail {
            status: 400,
            code: codes::GROUP_PARAM_INVALID,
            msg: documented_message(codes::GROUP_PARAM_INVALID).to_owned(),
            message: Some(reason.into()),
            violations: Vec::new(),
            help: None,
            headers: Vec::new(),
        }))
    }

    /// The documented error body, with the call's log id.
    pub(crate) fn body(&self, log_id: &str) -> Vec<u8> {
        let detail = feishu_model::fill!(ErrorDetail {
            message: self.message.clone(),
            field_violations: self
                .violations
                .iter()
                .map(|(field, description)| FieldViolation {
                    field: field.clone(),
                    value: None,
                    description: Some(description.clone()),
                })
                .collect(),
            helps: self
                .help
                .iter()
                .map(|url| Help {
                    url: url.clone(),
                    description: None,
                })
                .collect(),
            logid: Some(log_id.to_owned()),
            troubleshooter: Some(format!(
                "https://open.feishu.cn/search?from=openapi&log_id={log_id}&code={}",
                self.code
            )),
            ..ErrorDetail::default()
        });
        let envelope: Envelope<Empty> = Envelope {
            code: self.code,
            msg: self.msg.clone(),
            data: None,
            error: Some(detail),
        };
        serde_json::to_vec(&envelope).unwrap_or_else(|_| {
            format!(r#"{{"code":{},"msg":"request failed"}}"#, self.code).into_bytes()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_is_the_documented_shape() {
        let body = Failure::rate_limited(50, 1).body("L1");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["code"], 99991400);
        assert_eq!(v["msg"], "request trigger frequency limit");
        assert_eq!(v["error"]["logid"], "L1");
        assert!(v.get("data").is_none());
    }

    #[test]
    fn validation_failures_map_to_documented_codes() {
        let f = Failure::invalid(
            "im.v1.chat.tab.create",
            Family::Im,
            &Invalid::too_long("tab_name", "too long"),
        );
        assert_eq!(f.code, 232047);
        let f = Failure::invalid(
            "apaas.v1.user_task.chat_group",
            Family::Apaas,
            &Invalid::new("x", "y"),
        );
        assert_eq!(f.code, 2320001);
        assert_eq!(f.violations, vec![("x".to_owned(), "y".to_owned())]);
        let f = Failure::invalid("docx.v1.x", Family::Docx, &Invalid::required("y", "z"));
        assert_eq!(f.code, 1770001);
        let f = Failure::invalid("auth.v3.x", Family::Auth, &Invalid::required("y", "z"));
        assert_eq!(f.code, 10003);
    }

    #[test]
    fn the_code_follows_the_kind_not_the_words() {
        let menus = "im.v1.chat.menu_tree.create";
        let code = |invalid: Invalid| Failure::invalid(menus, Family::Im, &invalid).code;
        // Reworded: the same kind keeps its code.
        assert_eq!(
            code(Invalid::too_many(
                "chat_menu_top_levels",
                "must hold 1..=3 items, got 4"
            )),
            232070
        );
        assert_eq!(
            code(Invalid::too_many(
                "chat_menu_top_levels",
                "four is more than three"
            )),
            232070
        );
        // The old wording of the limit with another kind does not pick it.
        assert_eq!(
            code(Invalid::too_few(
                "chat_menu_top_levels",
                "must hold 1..=3 items, got 0"
            )),
            232001
        );
        assert_eq!(
            code(Invalid::too_few(
                "chat_menu_top_levels",
                "must hold 1..=3 items, got 4"
            )),
            232001
        );
        assert_eq!(
            code(Invalid::required("chat_menu_top_levels", "is required")),
            232001
        );

        let create = "im.v1.chat.create";
        let code = |invalid: Invalid| Failure::invalid(create, Family::Im, &invalid).code;
        assert_eq!(
            code(Invalid::required("name", "is required for a public chat")),
            232042
        );
        assert_eq!(code(Invalid::required("name", "must be given")), 232042);
        // "required" in the words of another kind does not make it 232042.
        assert_eq!(
            code(Invalid::too_short(
                "name",
                "required: at least 2 characters"
            )),
            232020
        );
    }
}
