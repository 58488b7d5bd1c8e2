//! [`WsError`]: why a long connection could not be made or was lost, each
//! either retryable (reconnect on the schedule) or terminal (stop at once).

use feishu_protocol::endpoint::{
    AnswerError, AUTH_CODE_CONNECTION_LIMIT, CODE_INTERNAL_ERROR, CODE_SYSTEM_BUSY,
};

/// Why a connection attempt failed or a connection ended. Never carries the
/// app secret or the connection URL's credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WsError {
    /// The endpoint call got no usable answer (network failure, timeout,
    /// non-200 status, unreadable body): retryable.
    #[error("the endpoint call failed: {0}")]
    EndpointUnavailable(String),
    /// The endpoint answered a server-side code (1 "system busy",
    /// 1000040343 internal error): retryable.
    #[error("the endpoint answered code {code} ({msg}), a server-side error")]
    EndpointBusy {
        /// The code.
        code: i64,
        /// The message.
        msg: String,
    },
    /// The endpoint answered JSON without a numeric `code` (a gateway or
    /// proxy in the way, a partial answer): retryable.
    #[error("the endpoint answer is malformed: {0}")]
    MalformedAnswer(String),
    /// The endpoint refused the app (wrong credentials, app not allowed to
    /// use the long connection, ...): terminal.
    #[error("the endpoint refused the app with code {code} ({msg})")]
    EndpointRejected {
        /// The code.
        code: i64,
        /// The message.
        msg: String,
    },
    /// The endpoint answer has no usable `URL`: retryable.
    #[error("the endpoint answered an unusable connection URL: {0}")]
    BadUrl(String),
    /// The app id or secret is empty: terminal.
    #[error("the app id or app secret is empty")]
    MissingCredentials,
    /// The dial failed before the upgrade (network, TLS, timeout): retryable.
    #[error("the WebSocket dial failed: {0}")]
    Dial(String),
    /// The upgrade was answered 514 with auth code 1000040350: the app has
    /// as many connections as allowed. Terminal.
    #[error("the connection limit of the app is reached ({msg})")]
    ConnectionLimit {
        /// `Handshake-Msg`.
        msg: String,
    },
    /// The upgrade was answered `Handshake-Status: 403`: terminal.
    #[error("the connection was forbidden ({msg})")]
    Forbidden {
        /// `Handshake-Msg`.
        msg: String,
    },
    /// Any other refused upgrade: retryable.
    #[error(
        "the WebSocket handshake failed with status {status} (auth code {auth_code:?}): {msg}"
    )]
    Handshake {
        /// `Handshake-Status`, or the HTTP status without it.
        status: u16,
        /// `Handshake-Autherrcode`, when present.
        auth_code: Option<i64>,
        /// `Handshake-Msg`.
        msg: String,
    },
    /// No frame arrived within the ping timeout after a ping, or a ping could
    /// not be written: the connection is dead. Retryable.
    #[error("the connection is dead: {0}")]
    Dead(String),
    /// The server closed the connection or the read failed: retryable.
    #[error("the connection was closed: {0}")]
    Closed(String),
}

impl WsError {
    /// Whether reconnecting cannot help (stop at once).
    ///
    /// ```
    /// use feishu_events::ws::WsError;
    /// assert!(WsError::ConnectionLimit { msg: String::new() }.is_terminal());
    /// assert!(!WsError::EndpointBusy { code: 1, msg: "system busy".into() }.is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            WsError::EndpointRejected { .. }
                | WsError::MissingCredentials
                | WsError::ConnectionLimit { .. }
                | WsError::Forbidden { .. }
        )
    }

    /// The error for an endpoint answer with a non-zero `code`.
    pub fn from_endpoint_code(code: i64, msg: String) -> WsError {
        match code {
            CODE_SYSTEM_BUSY | CODE_INTERNAL_ERROR => WsError::EndpointBusy { code, msg },
            _ => WsError::EndpointRejected { code, msg },
        }
    }

    /// The error for an endpoint answer that gave no connection URL: a
    /// malformed answer is retried, a refusal is classified by its code.
    pub fn from_answer(error: AnswerError) -> WsError {
        match error {
            AnswerError::Refused { code, msg } => WsError::from_endpoint_code(code, msg),
            AnswerError::NoUrl => WsError::BadUrl("`data.URL` is missing".to_owned()),
            AnswerError::Malformed(reason) => WsError::MalformedAnswer(reason),
            other => WsError::EndpointUnavailable(other.to_string()),
        }
    }

    /// The error for a refused upgrade, from its HTTP status and the
    /// `Handshake-Status`, `Handshake-Msg` and `Handshake-Autherrcode`
    /// headers (looked up case-insensitively by the caller).
    pub fn from_handshake(
        http_status: u16,
        status: Option<&str>,
        msg: Option<&str>,
        auth_code: Option<&str>,
    ) -> WsError {
        let status = status
            .and_then(|s| s.trim().parse::<u16>().ok())
            .unwrap_or(http_status);
        let auth_code = auth_code.and_then(|s| s.trim().parse::<i64>().ok());
        let msg = msg.unwrap_or_default().to_owned();
        match (status, auth_code) {
            (514, Some(AUTH_CODE_CONNECTION_LIMIT)) => WsError::ConnectionLimit { msg },
            (403, _) => WsError::Forbidden { msg },
            _ => WsError::Handshake {
                status,
                auth_code,
                msg,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_mapping() {
        let limit = WsError::from_handshake(400, Some("514"), Some("limit"), Some("1000040350"));
        assert_eq!(
            limit,
            WsError::ConnectionLimit {
                msg: "limit".into()
            }
        );
        assert!(limit.is_terminal());
        let other = WsError::from_handshake(400, Some("514"), None, Some("1000040342"));
        assert!(!other.is_terminal());
        assert!(WsError::from_handshake(403, None, None, None).is_terminal());
        let plain = WsError::from_handshake(502, None, None, None);
        assert!(matches!(plain, WsError::Handshake { status: 502, .. }));
        assert!(!plain.is_terminal());
    }

    #[test]
    fn endpoint_codes() {
        assert!(!WsError::from_endpoint_code(1, "system busy".into()).is_terminal());
        assert!(!WsError::from_endpoint_code(1_000_040_343, String::new()).is_terminal());
        assert!(WsError::from_endpoint_code(10003, "invalid app".into()).is_terminal());
    }
}
