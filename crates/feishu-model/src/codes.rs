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
