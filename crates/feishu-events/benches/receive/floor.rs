//! The floor: hand-written receivers doing exactly the required work with
//! the same crates and nothing else. For the webhook, an axum handler:
//! signature (SHA-256 over the raw bytes), AES-256-CBC decryption,
//! `serde_json` into a struct, the Verification Token, a `HashSet` de-dup,
//! 200. For the long connection, a tokio-tungstenite loop: decode the frame,
//! join fragments, decode the payload, de-dup, send the acknowledgement.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockDecryptMut, KeyIvInit};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use base64::Engine;
use bytes::Bytes;
use feishu_protocol::frame::{Frame, Header, MESSAGE_ID, METHOD_DATA, SEQ, SUM};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio_tungstenite::tungstenite::Message;

use crate::corpus;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Envelope {
    schema: String,
    header: EventHeader,
    event: Payload,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct EventHeader {
    event_id: String,
    event_type: String,
    create_time: String,
    token: String,
    app_id: String,
    tenant_key: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct UserIds {
    union_id: Option<String>,
    user_id: Option<String>,
    open_id: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Sender {
    sender_id: UserIds,
    sender_type: String,
    tenant_key: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Mention {
    key: String,
    id: UserIds,
    name: String,
    tenant_key: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MessageBody {
    message_id: String,
    root_id: Option<String>,
    parent_id: Option<String>,
    create_time: String,
    chat_id: String,
    chat_type: String,
    message_type: String,
    content: String,
    #[serde(default)]
    mentions: Vec<Mention>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Member {
    name: Option<String>,
    tenant_key: Option<String>,
    user_id: UserIds,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ChatChange {
    name: Option<String>,
    description: Option<String>,
    avatar: Option<String>,
}

/// The fields of the bench's event types.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Payload {
    sender: Option<Sender>,
    message: Option<MessageBody>,
    chat_id: Option<String>,
    message_id: Option<String>,
    operator_id: Option<UserIds>,
    user_id: Option<UserIds>,
    users: Option<Vec<Member>>,
    after_change: Option<ChatChange>,
    before_change: Option<ChatChange>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct Sealed<'a> {
    encrypt: &'a str,
}

/// What the floor keeps: keys and the ids seen.
struct Receiver {
    encrypt_key: &'static [u8],
    aes_key: [u8; 32],
    seen: Mutex<HashSet<String>>,
}

impl Receiver {
    fn new() -> Receiver {
        Receiver {
            encrypt_key: corpus::ENCRYPT_KEY.as_bytes(),
            aes_key: Sha256::digest(corpus::ENCRYPT_KEY.as_bytes()).into(),
            seen: Mutex::new(HashSet::new()),
        }
    }

    /// Decodes a plain event, checks the token and de-duplicates it.
    fn accept(&self, plain: &[u8]) -> bool {
        let Ok(event) = serde_json::from_slice::<Envelope>(plain) else {
            return false;
        };
        if event.header.token != corpus::TOKEN {
            return false;
        }
        let key = match event.event.message {
            Some(message) => message.message_id,
            None => event.header.event_id,
        };
        // A repeated id is answered 200 too, without handling it again.
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(key);
        }
        true
    }

    fn webhook(&self, headers: &HeaderMap, body: &[u8]) -> StatusCode {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(ts), Some(nonce), Some(given)) = (
            header("X-Lark-Request-Timestamp"),
            header("X-Lark-Request-Nonce"),
            header("X-Lark-Signature"),
        ) else {
            return StatusCode::UNAUTHORIZED;
        };
        let mut hasher = Sha256::new();
        hasher.update(ts.as_bytes());
        hasher.update(nonce.as_bytes());
        hasher.update(self.encrypt_key);
        hasher.update(body);
        if hex::encode(hasher.finalize()) != given {
            return StatusCode::UNAUTHORIZED;
        }
        let Ok(sealed) = serde_json::from_slice::<Sealed>(body) else {
            return StatusCode::BAD_REQUEST;
        };
        let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(sealed.encrypt) else {
            return StatusCode::BAD_REQUEST;
        };
        if raw.len() < 32 {
            return StatusCode::BAD_REQUEST;
        }
        let (iv, ciphertext) = raw.split_at(16);
        let Ok(decryptor) = cbc::Decryptor::<aes::Aes256>::new_from_slices(&self.aes_key, iv)
        else {
            return StatusCode::BAD_REQUEST;
        };
        let Ok(plain) = decryptor.decrypt_padded_vec_mut::<Pkcs7>(ciphertext) else {
            return StatusCode::BAD_REQUEST;
        };
        if self.accept(&plain) {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        }
    }
}

async fn handle(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    (receiver.webhook(&headers, &body), r#"{"msg":"success"}"#)
}

/// The floor's webhook: one axum handler on every path.
pub fn webhook_router() -> Router {
    Router::new()
        .fallback(post(handle))
        .with_state(Arc::new(Receiver::new()))
}

/// The floor's long-connection client (W6 needs the `ws` feature): reads frames until the server
/// closes, acknowledging each complete message.
#[cfg_attr(not(feature = "ws"), allow(dead_code))]
pub async fn long_connection(url: String) {
    let config = crate::ws_config();
    let (ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
        .await
        .unwrap();
    let (mut sink, mut stream) = ws.split();
    let receiver = Receiver::new();
    let mut fragments: HashMap<String, Vec<Option<Vec<u8>>>> = HashMap::new();
    while let Some(Ok(message)) = stream.next().await {
        let Message::Binary(bytes) = message else {
            continue;
        };
        let Ok(mut frame) = Frame::decode(&bytes) else {
            continue;
        };
        if frame.method != METHOD_DATA {
            continue;
        }
        let number = |key: &str, default: usize| {
            frame
                .header(key)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(default)
        };
        let (sum, seq) = (number(SUM, 1), number(SEQ, 0));
        let payload = frame.payload.take().unwrap_or_default();
        let whole = if sum <= 1 {
            payload
        } else {
            let id = frame.header(MESSAGE_ID).unwrap_or_default().to_owned();
            let parts = fragments
                .entry(id.clone())
                .or_insert_with(|| vec![None; sum]);
            if let Some(slot) = parts.get_mut(seq) {
                *slot = Some(payload);
            }
            if parts.iter().any(Option::is_none) {
                continue;
            }
            let parts = fragments.remove(&id).unwrap_or_default();
            parts.into_iter().flatten().flatten().collect()
        };
        let code = if receiver.accept(&whole) { 200 } else { 400 };
        frame.headers.push(Header::new("biz_rt", "0"));
        frame.payload = Some(format!(r#"{{"code":{code}}}"#).into_bytes());
        if sink
            .send(Message::Binary(frame.encode().into()))
            .await
            .is_err()
        {
            break;
        }
    }
}
