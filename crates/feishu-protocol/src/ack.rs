//! Acknowledgements: the received frame echoed back with a `biz_rt` header
//! and a JSON payload `{"code": ..., "data": base64?}`.

use std::time::Duration;

use base64::Engine;
use serde_json::Value;

use prost::Message;

use crate::frame::{Frame, Header, BIZ_RT};

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

/// The wire bytes of [`ack`]`(received, ...)`, written without copying the
/// received frame when it carries no payload and no `biz_rt` header (the
/// usual case: the receiver keeps the frame without its payload): the
/// frame's own encoding followed by the `biz_rt` header and the payload
/// fields, which a decoder reads as the same frame.
///
/// ```
/// use std::time::Duration;
/// use feishu_protocol::{ack::{ack, ack_bytes}, frame::Frame};
/// let mut event = Frame::default();
/// event.method = 1;
/// event.set_header("message_id", "m-1");
/// let bytes = ack_bytes(&event, 200, None, Duration::from_millis(3));
/// assert_eq!(Frame::decode(&bytes).unwrap(), ack(&event, 200, None, Duration::from_millis(3)));
/// ```
pub fn ack_bytes(received: &Frame, code: u16, response: Option<&Value>, took: Duration) -> Vec<u8> {
    if received.payload.is_some() || received.header(BIZ_RT).is_some() {
        return ack(received, code, response, took).encode();
    }
    let body = ack(&Frame::default(), code, response, took)
        .payload
        .unwrap_or_default();
    let biz_rt = Header::new(BIZ_RT, took.as_millis().to_string());
    let mut bytes =
        Vec::with_capacity(received.encoded_len() + biz_rt.encoded_len() + body.len() + 16);
    let appended = Message::encode(received, &mut bytes)
        .and_then(|()| {
            // Field 5 (`headers`) and field 8 (`payload`), length-delimited.
            bytes.push((5 << 3) | 2);
            biz_rt.encode_length_delimited(&mut bytes)
        })
        .map(|()| {
            bytes.push((8 << 3) | 2);
            varint(body.len() as u64, &mut bytes);
            bytes.extend_from_slice(&body);
        });
    if appended.is_err() {
        return ack(received, code, response, took).encode();
    }
    bytes
}

/// Appends `value` as a protobuf varint.
fn varint(mut value: u64, out: &mut Vec<u8>) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::frame::{MESSAGE_ID, METHOD_DATA, SUM, TYPE};

    fn received() -> Frame {
        let mut frame = Frame {
            seq_id: 7,
            log_id: 8,
            service: 9,
            method: METHOD_DATA,
            payload_type: Some("json".to_owned()),
            ..Frame::default()
        };
        frame.set_header(TYPE, "event");
        frame.set_header(MESSAGE_ID, "m-7");
        frame.set_header(SUM, "1");
        frame
    }

    #[test]
    fn the_direct_bytes_decode_to_the_acknowledgement() {
        let response = serde_json::json!({"toast": {"type": "info"}});
        for (code, response) in [(200, None), (500, None), (200, Some(&response))] {
            let took = Duration::from_millis(42);
            let bytes = ack_bytes(&received(), code, response, took);
            assert_eq!(
                Frame::decode(&bytes).unwrap(),
                ack(&received(), code, response, took)
            );
        }
    }

    #[test]
    fn long_payloads_get_multi_byte_lengths() {
        let response = serde_json::json!({"text": "x".repeat(40_000)});
        let took = Duration::from_millis(5);
        let bytes = ack_bytes(&received(), 200, Some(&response), took);
        assert_eq!(
            Frame::decode(&bytes).unwrap(),
            ack(&received(), 200, Some(&response), took)
        );
    }

    #[test]
    fn a_frame_with_a_payload_or_a_biz_rt_is_copied() {
        let took = Duration::from_millis(1);
        let mut with_payload = received();
        with_payload.payload = Some(b"{}".to_vec());
        let mut with_biz_rt = received();
        with_biz_rt.set_header(BIZ_RT, "99");
        for frame in [with_payload, with_biz_rt] {
            let bytes = ack_bytes(&frame, 200, None, took);
            assert_eq!(bytes, ack(&frame, 200, None, took).encode());
            assert_eq!(Frame::decode(&bytes).unwrap().header(BIZ_RT), Some("1"));
        }
    }
}
