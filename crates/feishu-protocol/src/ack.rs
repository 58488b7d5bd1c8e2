//! Acknowledgements: the received frame echoed back with a `biz_rt` header
//! and a JSON payload `{"code": ..., "data": base64?}`.

use std::time::Duration;

use base64::Engine;
use serde_json::Value;

use crate::frame::{Frame, BIZ_RT};

/// The acknowledgement of `received` (the frame that completed the
/// message): same ids, service, method and headers, plus `biz_rt` (handler
/// time in whole milliseconds, never negative), and the payload
/// `{"code": code}`, with `"data"` = base64 of the JSON `response` for
/// callbacks.
///
/// ```
/// use std::time::Duration;
/// use feishu_protocol::{ack::ack, frame::Frame};
/// let mut event = Frame::default();
/// event.method = 1;
/// event.seq_id = 9;
/// let response = serde_json::json!({"toast": {"type": "info", "content": "ok"}});
/// let answer = ack(&event, 200, Some(&response), Duration::from_millis(12));
/// assert_eq!((answer.seq_id, answer.header("biz_rt")), (9, Some("12")));
/// let body: serde_json::Value = serde_json::from_slice(answer.payload_bytes()).unwrap();
/// assert_eq!(body["code"], 200);
/// use base64::Engine;
/// let data = base64::engine::general_purpose::STANDARD
///     .decode(body["data"].as_str().unwrap()).unwrap();
/// assert_eq!(serde_json::from_slice::<serde_json::Value>(&data).unwrap(), response);
/// ```
pub fn ack(received: &Frame, code: u16, response: Option<&Value>, took: Duration) -> Frame {
    let mut frame = received.clone();
    frame.set_header(BIZ_RT, took.as_millis().to_string());
    // Written directly: a number and a base64 string need no escaping.
    let body = match response {
        Some(response) => {
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(response.to_string().as_bytes());
            format!(r#"{{"code":{code},"data":"{encoded}"}}"#)
        }
        None => format!(r#"{{"code":{code}}}"#),
    };
    frame.payload = Some(body.into_bytes());
    frame
}
