//! Failures the emulator answers with: the documented code, its documented
//! message, and the HTTP status, in the documented error body
//! `{"code", "msg", "error": {...}}`.

use feishu_model::envelope::{ErrorDetail, FieldViolation, Help};
use feishu_model::{Empty, Envelope, Invalid};

/// The documented messages of the codes the emulator answers with.
pub(crate) fn documented_message(code: i64) -> &'static str {
    match code {
        232001 => "Your request contains an invalid request parameter.",
        232002 => "No Permission: Only chat owner or admin can edit chat information in the current situation.",
        232003 => "Chat announcement can NOT be found in chat information.",
        232006 => "Your request specifies a chat_id which is invalid.",
        232008 => "Your request specifies a chat whose type is NOT supported currently.",
        232009 => "Your request specifies a chat which has already been dissolved.",
        232010 => "Operator and chat can NOT be in different tenants.",
        232011 => "Operator can NOT be out of the chat.",
        232012 => "New chat owner can NOT be out of the chat.",
        232013 => "You have reached the limit of maximum number of members a chat can have.",
        232014 => "The token used in the request does NOT have the permissions necessary to complete the request.",
        232015 => "Your request specifies a member_id_type which is NOT supported.",
        232016 => "Non-chat-owner or Non-chat-admin can only edit certain parts.",
        232017 => "No Permission: If the operator is NOT owner or creator with the scope, the operator can NOT complete the request.",
        232018 => "Updating announcement failed.",
        232020 => "Name can NOT be less than two characters for public chats.",
        232021 => "Bot can NOT be found.",
        232022 => "User has already resigned.",
        232025 => "Bot ability is not activated.",
        232027 => "There are no valid members in the ID list specified in your request.",
        232028 => "External members can Not be added to an internal group chat.",
        232030 => "Your request specifies a user_id which is invalid.",
        232031 => "The chat and the new designated chat owner must be in the same tenant.",
        232032 => "The operator who will create the chat and the designated chat owner must be in the same tenant.",
        232033 => "The operator or invited bots does NOT have the authority to manage external chats without the scope.",
        232034 => "The app is unavailable or inactivated by the tenant.",
        232035 => "Your request specifies an owner_id which is invalid.",
        232038 => "The operator is not chat owner, no permission to complete the request.",
        232040 => "The chat managers has reached the limit of maximum number.",
        232042 => "Public group chat's name should not be empty.",
        232043 => "Your request contains unavailable ids.",
        232046 => "The number of chat tabs has reached the limit.",
        232047 => "The length of the tab name reaches the limit.",
        232048 | 232049 => "The chat tab content is illegal.",
        232050 => "Operate chat tab unsupported chat type.",
        232055 => "The operator does not have chat tab, chat menu, chat widget manage permission",
        232062 => "P2P chat cannot be share link.",
        232064 => "The operator is not a group owner or administrator, no permission to share chat link.",
        232070 => "The number of chat_menu_top_level has reached the limit.",
        232071 => "The number of chat_menu_second_level has reached the limit.",
        232072 => "Sort chat_menu_top_level's param is invalid.",
        232075 => "The public group needs to apply to join, and users or bots are not allowed to actively join the group.",
        232076 => "Can't kick chat owner.",
        232078 => "The chat menu is illegal.",
        232090 => "Unsupported chat type.",
        2320001 => "param is invalid",
        1770001 => "invalid param",
        1770002 => "not found",
        1770021 => "too old document",
        1770025 => "operation and block not match",
        1770028 => "block not support create children",
        1770029 => "block not support to create",
        1770031 => "block not support to delete children",
        1770032 => "forbidden",
        1771001 => "server internal error",
        1771003 => "gateway marshal error",
        1772002 => "Operator and chat can NOT be in different tenants.",
        1772003 => "Operator can NOT be out of the chat.",
        1772005 => "No Permission: Only chat owner or admin can edit chat information in the current situation.",
        1772025 => "Bot ability is not activated.",
        10003 => "invalid param",
        10012 => "get app access token fail",
        10013 => "get tenant access token fail",
        10014 => "app unauthorized",
        10015 => "wrong app secret",
        10016 => "app resend fail",
        99991400 => "request trigger frequency limit",
        99991661 => "Need a token",
        99991662 => "app not in use",
        99991663 => "Invalid access token for authorization. Please make a request with token attached",
        99991664 => "invalid app token",
        99991665 => "invalid tenant code",
        99991668 => "Invalid access token for authorization. Please make a request with token attached.",
        99991671 => "Invalid token: must start with t-/u-",
        99991677 => "token expire",
        99992351 => "these open ids not existed",
        99992360 | 99992364 => "Your request contains not existed id.",
        _ => "request failed",
    }
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

    /// The parameter-error code of an operation's family: 232001 for the im
    /// group APIs, 2320001 for aPaaS, 10003 for auth.
    pub(crate) fn param_code(operation: &str) -> i64 {
        if operation.starts_with("apaas.") {
            2320001
        } else if operation.starts_with("docx.") {
            1770001
        } else if operation.starts_with("auth.") {
            10003
        } else {
            232001
        }
    }

    /// A parameter error of `operation` naming the field and the rule.
    pub(crate) fn param(operation: &str, field: &str, rule: impl Into<String>) -> Self {
        let rule = rule.into();
        Failure::code(Failure::param_code(operation))
            .because(format!("invalid parameter `{field}`: {rule}"))
            .field(field, rule)
    }

    /// A model validation failure of `operation`, mapped to the specific
    /// code the documentation gives for that rule where it gives one.
    pub(crate) fn invalid(operation: &str, invalid: &Invalid) -> Self {
        let rule = invalid.rule.as_str();
        let code = match (operation, invalid.field.as_str()) {
            ("im.v1.chat.create", "name") if rule.contains("required") => 232042,
            ("im.v1.chat.create" | "im.v1.chat.update", "name") => 232020,
            (op, "tab_name") if op.starts_with("im.v1.chat.tab.") => 232047,
            (op, "url" | "doc") if op.starts_with("im.v1.chat.tab.") => 232048,
            ("im.v1.chat.tab.update_tabs", "tab_type") => 232049,
            ("im.v1.chat.menu_tree.create", "chat_menu_top_levels") if !rule.ends_with("got 0") => {
                232070
            }
            ("im.v1.chat.menu_tree.create", "children") => 232071,
            _ => Failure::param_code(operation),
        };
        Failure::code(code)
            .because(invalid.to_string())
            .field(invalid.field.clone(), invalid.rule.clone())
    }

    /// The documented rate-limit answer: HTTP 429, code 99991400, and the
    /// `x-ogw-ratelimit-limit` / `x-ogw-ratelimit-reset` headers.
    pub(crate) fn rate_limited(limit: u32, reset_secs: u64) -> Self {
        let mut failure = Failure::code(99991400);
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
            code: 232001,
            msg: documented_message(232001).to_owned(),
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
            &Invalid::new("tab_name", "too long"),
        );
        assert_eq!(f.code, 232047);
        let f = Failure::invalid("apaas.v1.user_task.chat_group", &Invalid::new("x", "y"));
        assert_eq!(f.code, 2320001);
        assert_eq!(f.violations, vec![("x".to_owned(), "y".to_owned())]);
    }
}
