//! The sans-IO wire protocol of Feishu / Lark event delivery, shared by the
//! receiving client (`feishu-events`) and the emulator that plays the
//! platform (`feishu-emulator`): pure functions and types, no IO.
//!
//! - [`crypto`]: the webhook's AES-256-CBC encryption and SHA-256 request
//!   signature; [`headers`]: the names of the signature headers.
//! - [`frame`]: the long connection's `pbbp2` frames and their header keys;
//!   [`fragments`]: reassembly of a message split over several frames;
//!   [`ack`]: the acknowledgement a receiver sends for each message.
//! - [`endpoint`]: `POST /callback/ws/endpoint`, the call that hands out a
//!   connection URL, as an ordinary [`feishu_model::Endpoint`].
//!
//! ```
//! use feishu_model::Secret;
//! use feishu_protocol::crypto::{decrypt, encrypt, signature, verify};
//! use feishu_protocol::frame::{Frame, EVENT, MESSAGE_ID, METHOD_DATA, TYPE};
//!
//! // The platform's side: encrypt an event, sign the body.
//! let key = Secret::new("encrypt-key");
//! let body = format!(r#"{{"encrypt":"{}"}}"#, encrypt(&key, br#"{"schema":"2.0"}"#, [7; 16]));
//! let sig = signature("1700000000", "42", &key, body.as_bytes());
//!
//! // The receiver's side: check the signature over the raw bytes.
//! assert!(verify("1700000000", "42", &key, body.as_bytes(), &sig));
//! assert!(!verify("1700000001", "42", &key, body.as_bytes(), &sig));
//! let encrypted = serde_json::from_str::<serde_json::Value>(&body).unwrap();
//! let plain = decrypt(&key, encrypted["encrypt"].as_str().unwrap()).unwrap();
//! assert_eq!(plain, br#"{"schema":"2.0"}"#);
//!
//! // The same event as one long-connection frame, and back.
//! let mut frame = Frame { service: 7, method: METHOD_DATA, payload: Some(plain), ..Frame::default() };
//! frame.set_header(TYPE, EVENT);
//! frame.set_header(MESSAGE_ID, "m-1");
//! let decoded = Frame::decode(&frame.encode()).unwrap();
//! assert_eq!((decoded.message_type(), decoded.header(MESSAGE_ID)), (EVENT, Some("m-1")));
//! ```
#![forbid(unsafe_code)]

pub mod ack;
pub mod crypto;
pub mod endpoint;
pub mod fragments;
pub mod frame;
pub mod headers;
