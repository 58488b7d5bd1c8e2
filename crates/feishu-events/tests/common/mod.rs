//! Builders of signed, encrypted requests as the platform sends them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use feishu_events::crypto::{encrypt, signature};
use feishu_model::Secret;

pub const KEY: &str = "kL9-encrypt-key";
pub const TOKEN: &str = "v-token-123";
pub const TS: &str = "1700000000";
pub const NONCE: &str = "950646929";

/// A v2 event body of `event_type` with `event` as payload.
pub fn v2(event_id: &str, event_type: &str, token: &str, event: &str) -> String {
    format!(
        r#"{{"schema":"2.0","header":{{"event_id":"{event_id}","event_type":"{event_type}","create_time":"1608725989000","token":"{token}","app_id":"cli_a3e157960e7294c","tenant_key":"736588c9260f175e"}},"event":{event}}}"#
    )
}

/// `{"encrypt": ...}` of `plain` under `key`.
pub fn sealed(key: &str, plain: &str) -> String {
    format!(
        r#"{{"encrypt":"{}"}}"#,
        encrypt(&Secret::new(key), plain.as_bytes(), [0x5a; 16])
    )
}

/// The three signature headers for `body` under `key`.
pub fn signed(key: &str, body: &str) -> Vec<(String, String)> {
    vec![
        ("X-Lark-Request-Timestamp".into(), TS.into()),
        ("X-Lark-Request-Nonce".into(), NONCE.into()),
        (
            "X-Lark-Signature".into(),
            signature(TS, NONCE, &Secret::new(key), body.as_bytes()),
        ),
    ]
}
