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

// ---------------------------------------------------------------------------
// Messaging: reactions, pins, buzz, images and files.
// ---------------------------------------------------------------------------

/// Messaging: `Your request contains an invalid request parameter.` (also
/// buzz with no valid user).
pub const IM_PARAM_INVALID: i64 = 230001;
/// Messaging: `The bot can not be outside the group.`
pub const IM_BOT_NOT_IN_CHAT: i64 = 230002;
/// Messaging: `Bot ability is not activated.`
pub const IM_BOT_ABILITY_DISABLED: i64 = 230006;
/// Messaging: `The message is recalled.`
pub const IM_MESSAGE_RECALLED: i64 = 230011;
/// Buzz: `Bot is NOT the sender of the message.`
pub const IM_BOT_NOT_SENDER: i64 = 230012;
/// Messaging: `Bot has NO availability to this user.` (also a resigned user).
pub const IM_BOT_NOT_AVAILABLE_TO_USER: i64 = 230013;
/// Buzz: `The user has too many unread urgent messages.` (200 at most).
pub const URGENT_TOO_MANY_UNREAD: i64 = 230023;
/// Buzz: `Reach the upper limit of urgent message.`: the tenant's quota is used up.
pub const URGENT_QUOTA_EXCEEDED: i64 = 230024;
/// Messaging: `Lack of necessary permissions.`
pub const IM_LACK_OF_PERMISSION: i64 = 230027;
/// Pins: `The chat not exist.`
pub const PIN_CHAT_NOT_FOUND: i64 = 230045;
/// Pins: `No Permission to Pin/Unpin messages in the chat.`
pub const PIN_NO_PERMISSION: i64 = 230046;
/// Pins: `Pin/Unpin message trigger message_id limit.` (5 per second per message).
pub const PIN_MESSAGE_RATE_LIMITED: i64 = 230047;
/// Pins: `Get chat pins trigger app_id limit.`
pub const PIN_LIST_RATE_LIMITED: i64 = 230048;
/// Messaging: `The message is invisible to the operator.`
pub const IM_MESSAGE_INVISIBLE: i64 = 230050;
/// Buzz: `Can not urgent this message.`: not allowed, or judged risky.
pub const URGENT_NOT_ALLOWED: i64 = 230052;
/// Messaging: `This operation is not supported for this message type.`
pub const IM_MESSAGE_TYPE_UNSUPPORTED: i64 = 230054;
/// Buzz: `The message is fold, not support urgent.`
pub const URGENT_MESSAGE_FOLDED: i64 = 230098;
/// Messaging: `Action unavailable as the message has been deleted.`
pub const IM_MESSAGE_DELETED: i64 = 230110;
/// Messaging: `Action unavailable as the message will self-destruct soon.`
pub const IM_MESSAGE_SELF_DESTRUCTING: i64 = 230111;
/// Messaging: `Your request specifies a chat which has already been dissolved.`
pub const IM_CHAT_DISSOLVED: i64 = 232009;
/// Reactions: `reaction type is invalid.`
pub const REACTION_TYPE_INVALID: i64 = 231001;
/// Reactions: `The operator has no permission to react on the specific message.`
pub const REACTION_NO_PERMISSION: i64 = 231002;
/// Reactions: `The message is not found, maybe not exist or deleted.`
pub const REACTION_MESSAGE_NOT_FOUND: i64 = 231003;
/// Reactions: `The chat in which the message exists is not found`.
pub const REACTION_CHAT_NOT_FOUND: i64 = 231004;
/// Reactions: `The thread has been no-trace removed, cannot put reaction.`
pub const REACTION_THREAD_REMOVED: i64 = 231005;
/// Reactions: `The operator_id is invalid.`
pub const REACTION_OPERATOR_INVALID: i64 = 231006;
/// Reactions: `The operator has no permission to delete this reaction.`
/// (only who added a reaction may remove it).
pub const REACTION_NOT_OWNER: i64 = 231007;
/// Reactions: `The operator has no access to the message.`
pub const REACTION_NO_ACCESS: i64 = 231008;
/// Reactions: `The reaction does not belong to the message.`
pub const REACTION_NOT_OF_MESSAGE: i64 = 231010;
/// Reactions: `The request has an invalid reaction_id.`
pub const REACTION_ID_INVALID: i64 = 231011;
/// Reactions: `The request has an invalid pageToken.`
pub const REACTION_PAGE_TOKEN_INVALID: i64 = 231012;
/// Reactions: `The request has an invalid AuthType.`
pub const REACTION_AUTH_TYPE_INVALID: i64 = 231013;
/// Reactions: `user_id_type is invalid.`
pub const REACTION_USER_ID_TYPE_INVALID: i64 = 231014;
/// Reactions: `Act on reaction failed, repeated request is processing.`
pub const REACTION_REQUEST_IN_PROGRESS: i64 = 231015;
/// Reactions: `This operation is not supported for this message type.`
pub const REACTION_MESSAGE_TYPE_UNSUPPORTED: i64 = 231017;
/// Reactions: `The message is invisible to the operator.`
pub const REACTION_MESSAGE_INVISIBLE: i64 = 231018;
/// Reactions: the message's sender's settings forbid it for now.
pub const REACTION_BLOCKED_BY_USER: i64 = 231019;
/// Reactions: the tenant administrator's settings forbid it for now.
pub const REACTION_BLOCKED_BY_TENANT: i64 = 231020;
/// Reactions: `No permission to operate external chats.`
pub const REACTION_EXTERNAL_CHAT_DENIED: i64 = 231021;
/// Reactions: `Bot has NO availability to this user.`
pub const REACTION_BOT_NOT_AVAILABLE: i64 = 231022;
/// Images and files: `Meta writing has stopped, please try again later.`
pub const META_WRITING_STOPPED: i64 = 232096;
/// Images and files: `Invalid request param.`
pub const RESOURCE_PARAM_INVALID: i64 = 234001;
/// Images and files: `Unauthorized.` (HTTP 401).
pub const RESOURCE_UNAUTHORIZED: i64 = 234002;
/// Images and files: `Image has been deleted`: the resource does not exist.
pub const RESOURCE_NOT_FOUND: i64 = 234005;
/// Images and files: `The file size exceed the max value.` (files 30 MB,
/// images 10 MB).
pub const RESOURCE_TOO_LARGE: i64 = 234006;
/// Images and files: `App does not enable bot feature.`
pub const RESOURCE_BOT_DISABLED: i64 = 234007;
/// Images and files: `The app is not the resource sender`.
pub const RESOURCE_NOT_OWNER: i64 = 234008;
/// Images and files: `File's size can't be 0.`
pub const RESOURCE_EMPTY: i64 = 234010;
/// Images: `Can't regonnize the image format.`
pub const IMAGE_FORMAT_UNSUPPORTED: i64 = 234011;
/// Files: `Downloaded file size exceeds limit.` (100 MB).
pub const DOWNLOAD_TOO_LARGE: i64 = 234037;
/// Images: `Image resolution exceeds limit.`
pub const IMAGE_RESOLUTION_TOO_LARGE: i64 = 234039;
/// Images and files: `Tenant master key has been deleted`.
pub const TENANT_MASTER_KEY_DELETED: i64 = 234041;
/// Images and files: `Hybrid deployment tenant storage error` (storage full, ...).
pub const TENANT_STORAGE_ERROR: i64 = 234042;

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
        // Messaging: reactions, pins, buzz, images and files.
        PIN_MESSAGE_RATE_LIMITED | PIN_LIST_RATE_LIMITED => ErrorClass::RateLimited,
        REACTION_REQUEST_IN_PROGRESS | META_WRITING_STOPPED => ErrorClass::Transient,
        IM_BOT_ABILITY_DISABLED
        | IM_BOT_NOT_AVAILABLE_TO_USER
        | IM_LACK_OF_PERMISSION
        | PIN_NO_PERMISSION
        | URGENT_NOT_ALLOWED
        | REACTION_NO_PERMISSION
        | REACTION_NOT_OWNER
        | REACTION_NO_ACCESS
        | REACTION_EXTERNAL_CHAT_DENIED
        | REACTION_BOT_NOT_AVAILABLE
        | RESOURCE_UNAUTHORIZED
        | RESOURCE_BOT_DISABLED
        | RESOURCE_NOT_OWNER => ErrorClass::Permission,
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
