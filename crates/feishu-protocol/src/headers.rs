//! The names of the headers that carry a webhook request's signature.

/// `X-Lark-Request-Timestamp`: when the platform signed the request.
pub const TIMESTAMP: &str = "X-Lark-Request-Timestamp";
/// `X-Lark-Request-Nonce`: a random value mixed into the signature.
pub const NONCE: &str = "X-Lark-Request-Nonce";
/// `X-Lark-Signature`: the request signature (see [`crate::crypto::signature`]).
pub const SIGNATURE: &str = "X-Lark-Signature";
