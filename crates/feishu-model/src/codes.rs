//! Known error codes as named constants, each with the class that tells a
//! client what to do about it.

/// Success.
pub const OK: i64 = 0;
/// `request trigger frequency limit`: the API's rate limit was hit.
pub const RATE_LIMITED: i64 = 99991400;
/// `Need a token`: the request carried no token.
pub const NEED_TOKEN: i64 = 99991661;
/// `app not in use`.
pub const APP_NOT_IN_USE: i64 = 99991662;
/// `Invalid access token for authorization`: tenant token expired or not accepted.
pub const INVALID_ACCESS_TOKEN: i64 = 99991663;
/// `invalid app token`.
pub const INVALID_APP_TOKEN: i64 = 99991664;
/// `invalid tenant code`: tenant token invalid.
pub const INVALID_TENANT_TOKEN: i64 = 99991665;
/// user_access_token invalid or not supported by the API.
pub const INVALID_USER_TOKEN: i64 = 99991668;
/// `invalid user refresh token`.
pub const INVALID_USER_REFRESH_TOKEN: i64 = 99991669;
/// `Invalid token: must start with t-/u-`.
pub const MALFORMED_TOKEN: i64 = 99991671;
/// `Access denied. One of the following scopes is required`.
pub const MISSING_SCOPE: i64 = 99991672;
/// `unauthorized app`.
pub const UNAUTHORIZED_APP: i64 = 99991673;
/// `token no permission`.
pub const TOKEN_NO_PERMISSION: i64 = 99991676;
/// `token expire`: the user token expired.
pub const USER_TOKEN_EXPIRED: i64 = 99991677;
/// The user has not granted the scope.
pub const USER_NOT_AUTHORIZED: i64 = 99991679;
/// `internal error`.
pub const INTERNAL_ERROR_1500: i64 = 1500;
/// `internal error`, often under load.
pub const INTERNAL_ERROR_2200: i64 = 2200;
/// `internal error`: reduce the call rate and retry later.
pub const INTERNAL_ERROR_5000: i64 = 5000;
/// `internal error`.
pub const INTERNAL_ERROR_10101: i64 = 10101;
/// `internal server error`.
pub const INTERNAL_SERVER_ERROR: i64 = 10500;
/// `get app access token fail`.
pub const GET_APP_TOKEN_FAILED: i64 = 10012;
/// `get tenant access token fail`.
pub const GET_TENANT_TOKEN_FAILED: i64 = 10013;
/// `app unauthorized`: the app is disabled.
pub const APP_UNAUTHORIZED: i64 = 10014;
/// `wrong app secret`.
pub const WRONG_APP_SECRET: i64 = 10015;
/// `app resend fail`: only marketplace apps can resend the app_ticket.
pub const APP_TICKET_RESEND_FAILED: i64 = 10016;
/// Group APIs: `The request has been rate limited.` (also produced by
/// concurrent member writes to one chat).
pub const GROUP_RATE_LIMITED: i64 = 232019;
/// Group APIs: internal error.
pub const GROUP_INTERNAL_ERROR: i64 = 232001;
/// aPaaS: `param is invalid`.
pub const APAAS_PARAM_INVALID: i64 = 2320001;
/// Group APIs: `Your request contains an invalid request parameter.` (what
/// the documentation gives for 232001; [`GROUP_INTERNAL_ERROR`] is the same code).
pub const GROUP_PARAM_INVALID: i64 = 232001;
/// Group APIs: only the owner or a manager may edit the chat's information now.
pub const GROUP_NO_EDIT_PERMISSION: i64 = 232002;
/// Group APIs: the chat has no announcement.
pub const GROUP_ANNOUNCEMENT_NOT_FOUND: i64 = 232003;
/// Group APIs: the chat_id is invalid.
pub const GROUP_INVALID_CHAT_ID: i64 = 232006;
/// Group APIs: the chat's type is not supported here (a private chat to join, a p2p chat).
pub const GROUP_CHAT_TYPE_UNSUPPORTED: i64 = 232008;
/// Group APIs: the chat was disbanded.
pub const GROUP_CHAT_DISSOLVED: i64 = 232009;
/// Group APIs: the operator and the chat are in different tenants.
pub const GROUP_OPERATOR_OTHER_TENANT: i64 = 232010;
/// Group APIs: the operator is not in the chat.
pub const GROUP_OPERATOR_NOT_IN_CHAT: i64 = 232011;
/// Group APIs: the new owner is not in the chat.
pub const GROUP_NEW_OWNER_NOT_IN_CHAT: i64 = 232012;
/// Group APIs: the chat has reached its most members.
pub const GROUP_MEMBER_LIMIT: i64 = 232013;
/// Group APIs: the token lacks the permission the call needs.
pub const GROUP_TOKEN_NO_PERMISSION: i64 = 232014;
/// Group APIs: the member_id_type is not supported.
pub const GROUP_MEMBER_ID_TYPE_UNSUPPORTED: i64 = 232015;
/// Group APIs: members who are neither owner nor manager may edit only some settings.
pub const GROUP_LIMITED_EDIT: i64 = 232016;
/// Group APIs: the operator is neither the owner nor the creator with the scope.
pub const GROUP_NOT_OWNER_OR_CREATOR: i64 = 232017;
/// Group APIs: updating the announcement failed.
pub const GROUP_ANNOUNCEMENT_UPDATE_FAILED: i64 = 232018;
/// Group APIs: a public chat's name needs at least two characters.
pub const GROUP_PUBLIC_NAME_TOO_SHORT: i64 = 232020;
/// Group APIs: the bot cannot be found.
pub const GROUP_BOT_NOT_FOUND: i64 = 232021;
/// Group APIs: the user has resigned.
pub const GROUP_USER_RESIGNED: i64 = 232022;
/// Group APIs: the app's bot ability is not activated.
pub const GROUP_BOT_NOT_ACTIVATED: i64 = 232025;
/// Group APIs: no id in the list names a valid member.
pub const GROUP_NO_VALID_MEMBERS: i64 = 232027;
/// Group APIs: external members cannot join an internal chat.
pub const GROUP_EXTERNAL_MEMBER: i64 = 232028;
/// Group APIs: the user id is invalid.
pub const GROUP_INVALID_USER_ID: i64 = 232030;
/// Group APIs: the chat and the new owner are in different tenants.
pub const GROUP_NEW_OWNER_OTHER_TENANT: i64 = 232031;
/// Group APIs: the creator and the designated owner are in different tenants.
pub const GROUP_CREATOR_OWNER_OTHER_TENANT: i64 = 232032;
/// Group APIs: managing external chats needs a scope the operator or bots lack.
pub const GROUP_EXTERNAL_CHAT_NO_SCOPE: i64 = 232033;
/// Group APIs: the app is unavailable or not activated in the tenant.
pub const GROUP_APP_UNAVAILABLE: i64 = 232034;
/// Group APIs: the owner_id is invalid.
pub const GROUP_INVALID_OWNER_ID: i64 = 232035;
/// Group APIs: the operator is not the chat's owner.
pub const GROUP_OPERATOR_NOT_OWNER: i64 = 232038;
/// Group APIs: the chat has reached its most managers.
pub const GROUP_MANAGER_LIMIT: i64 = 232040;
/// Group APIs: a public chat's name must not be empty.
pub const GROUP_PUBLIC_NAME_EMPTY: i64 = 232042;
/// Group APIs: the request holds unavailable ids.
pub const GROUP_UNAVAILABLE_IDS: i64 = 232043;
/// Group APIs: the chat has reached its most tabs.
pub const GROUP_TAB_LIMIT: i64 = 232046;
/// Group APIs: the tab name is too long.
pub const GROUP_TAB_NAME_TOO_LONG: i64 = 232047;
/// Group APIs: the tab content is illegal (a URL must start with http or https).
pub const GROUP_TAB_CONTENT_ILLEGAL: i64 = 232048;
/// Group APIs: `The chat tab content is illegal.`: only doc and url tabs can be updated or deleted.
pub const GROUP_TAB_TYPE_NOT_WRITABLE: i64 = 232049;
/// Group APIs: the chat's mode does not support tabs.
pub const GROUP_TAB_CHAT_TYPE_UNSUPPORTED: i64 = 232050;
/// Group APIs: the operator may not manage tabs, menus and widgets.
pub const GROUP_NO_WIDGET_PERMISSION: i64 = 232055;
/// Group APIs: a p2p chat has no share link.
pub const GROUP_P2P_NO_SHARE_LINK: i64 = 232062;
/// Group APIs: only the owner and managers may share this chat.
pub const GROUP_NO_SHARE_PERMISSION: i64 = 232064;
/// Group APIs: the chat has reached its most top-level menus.
pub const GROUP_TOP_MENU_LIMIT: i64 = 232070;
/// Group APIs: a top-level menu has reached its most second-level menus.
pub const GROUP_SECOND_MENU_LIMIT: i64 = 232071;
/// Group APIs: the top-level menu ids to sort differ from the chat's.
pub const GROUP_MENU_SORT_INVALID: i64 = 232072;
/// Group APIs: joining the public chat needs approval, so the API may not join it.
pub const GROUP_JOIN_NEEDS_APPROVAL: i64 = 232075;
/// Group APIs: the owner cannot be removed.
pub const GROUP_CANNOT_REMOVE_OWNER: i64 = 232076;
/// Group APIs: the chat menu is illegal.
pub const GROUP_MENU_ILLEGAL: i64 = 232078;
/// Group APIs: the chat type does not support the operation.
pub const GROUP_UNSUPPORTED_CHAT_TYPE: i64 = 232090;
/// Docx: `invalid param`.
pub const DOCX_PARAM_INVALID: i64 = 1770001;
/// Docx: `not found`.
pub const DOCX_NOT_FOUND: i64 = 1770002;
/// Docx: `too old document`: the revision is too far behind the latest.
pub const DOCX_TOO_OLD_DOCUMENT: i64 = 1770021;
/// Docx: `operation and block not match`.
pub const DOCX_OPERATION_BLOCK_MISMATCH: i64 = 1770025;
/// Docx: `block not support create children`.
pub const DOCX_BLOCK_NO_CHILDREN: i64 = 1770028;
/// Docx: `block not support to create`.
pub const DOCX_BLOCK_NOT_CREATABLE: i64 = 1770029;
/// Docx: `block not support to delete children`.
pub const DOCX_BLOCK_NO_DELETE_CHILDREN: i64 = 1770031;
/// Docx: `forbidden`: the caller may not read or edit the document.
pub const DOCX_FORBIDDEN: i64 = 1770032;
/// Docx: `server internal error`.
pub const DOCX_SERVER_ERROR: i64 = 1771001;
/// Docx: `gateway marshal error`.
pub const DOCX_GATEWAY_MARSHAL_ERROR: i64 = 1771003;
/// Docx: the operator and the chat are in different tenants.
pub const DOCX_OPERATOR_OTHER_TENANT: i64 = 1772002;
/// Docx: the operator is not in the chat.
pub const DOCX_OPERATOR_NOT_IN_CHAT: i64 = 1772003;
/// Docx: only the owner or a manager may edit the chat's information now.
pub const DOCX_NO_EDIT_PERMISSION: i64 = 1772005;
/// Docx: the app's bot ability is not activated.
pub const DOCX_BOT_NOT_ACTIVATED: i64 = 1772025;
/// Auth and contact: `invalid param`: a token request's parameter is missing or wrong.
pub const AUTH_PARAM_INVALID: i64 = 10003;
/// Auth and contact: `these open ids not existed`.
pub const OPEN_IDS_NOT_FOUND: i64 = 99992351;
/// Auth and contact: `these ids not existed` (user ids).
pub const USER_IDS_NOT_FOUND: i64 = 99992360;
/// Auth and contact: `these ids not existed` (union ids).
pub const UNION_IDS_NOT_FOUND: i64 = 99992364;

/// What a client should do about an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Not an error.
    Ok,
    /// Rate limited: the server did not process the call; wait and retry.
    RateLimited,
    /// A transient server fault: retry when it is safe to repeat the call.
    Transient,
    /// The tenant or app token is invalid or expired: refetch it and retry once.
    AppTokenInvalid,
    /// The user token is invalid or expired: the caller must refresh it.
    UserTokenInvalid,
    /// The app or user lacks a permission or scope.
    Permission,
    /// Anything else: the request itself is wrong; do not retry.
    Request,
}

impl ErrorClass {
    /// Whether errors of this class may succeed when retried.
    pub const fn is_retryable(self) -> bool {
        matches!(self, ErrorClass::RateLimited | ErrorClass::Transient)
    }
}

/// The class of a code.
pub const fn classify(code: i64) -> ErrorClass {
    match code {
        OK => ErrorClass::Ok,
        RATE_LIMITED | GROUP_RATE_LIMITED => ErrorClass::RateLimited,
        INTERNAL_ERROR_1500
        | INTERNAL_ERROR_2200
        | INTERNAL_ERROR_5000
        | INTERNAL_ERROR_10101
        | INTERNAL_SERVER_ERROR
        | GROUP_INTERNAL_ERROR => ErrorClass::Transient,
        INVALID_ACCESS_TOKEN | INVALID_APP_TOKEN | INVALID_TENANT_TOKEN => {
            ErrorClass::AppTokenInvalid
        }
        INVALID_USER_TOKEN | USER_TOKEN_EXPIRED | INVALID_USER_REFRESH_TOKEN => {
            ErrorClass::UserTokenInvalid
        }
        MISSING_SCOPE | TOKEN_NO_PERMISSION | USER_NOT_AUTHORIZED | UNAUTHORIZED_APP
        | APP_NOT_IN_USE | APP_UNAUTHORIZED => ErrorClass::Permission,
        _ => ErrorClass::Request,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(classify(99991400), ErrorClass::RateLimited);
        assert_eq!(classify(232019), ErrorClass::RateLimited);
        assert_eq!(classify(99991663), ErrorClass::AppTokenInvalid);
        assert_eq!(classify(99991665), ErrorClass::AppTokenInvalid);
        assert_eq!(classify(99991677), ErrorClass::UserTokenInvalid);
        assert_eq!(classify(99991672), ErrorClass::Permission);
        assert_eq!(classify(232006), ErrorClass::Request);
        assert!(classify(1500).is_retryable());
        assert!(!classify(232006).is_retryable());
    }
}
