//! Acknowledgements: the received frame echoed back with a `biz_rt` header
//! and a JSON payload `{"code": ..., "data": base64?}`.

use std::time::Duration;

use base64::Engine;
use serde_json::Value;

use prost::encoding::{encode_varint, encoded_len_varint};
use prost::Message;

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
    frame.payload = Some(body(code, response).into_bytes());
    frame
}

/// The payload of an acknowledgement. Written directly: a number and a
/// base64 string need no escaping.
fn body(code: u16, response: Option<&Value>) -> String {
    match response {
        Some(response) => {
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(response.to_string().as_bytes());
            format!(r#"{{"code":{code},"data":"{encoded}"}}"#)
        }
        None => format!(r#"{{"code":{code}}}"#),
    }
}

/// The wire bytes of [`ack`]`(received, ...)`, written without copying the
/// received frame when it carries no payload and no `biz_rt` header (the
/// usual case: the receiver keeps the frame without its payload): the
/// frame's own encoding followed by the `biz_rt` header and the payload
/// fields, which a decoder reads as the same frame. Without a `response`
/// the result is one allocation of exactly its length.
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
    let mut millis = itoa::Buffer::new();
    let millis = millis.format(took.as_millis()).as_bytes();
    let mut code_digits = itoa::Buffer::new();
    let mut short = [0u8; 24];
    let long;
    let payload: &[u8] = match response {
        None => {
            // `{"code":` + at most 5 digits + `}`.
            let code = code_digits.format(code).as_bytes();
            let end = 8 + code.len() + 1;
            short[..8].copy_from_slice(br#"{"code":"#);
            short[8..end - 1].copy_from_slice(code);
            short[end - 1] = b'}';
            &short[..end]
        }
        Some(_) => {
            long = body(code, response);
            long.as_bytes()
        }
    };
    // `biz_rt` as a `Header` message: key (field 1) and value (field 2).
    let header_len = 2 + BIZ_RT.len() + 1 + encoded_len_varint(millis.len() as u64) + millis.len();
    let total = received.encoded_len()
        + 1
        + encoded_len_varint(header_len as u64)
        + header_len
        + 1
        + encoded_len_varint(payload.len() as u64)
        + payload.len();
    let mut bytes = Vec::with_capacity(total);
    if Message::encode(received, &mut bytes).is_err() {
        return ack(received, code, response, took).encode();
    }
    // Field 5 (`headers`), length-delimited.
    bytes.push((5 << 3) | 2);
    encode_varint(header_len as u64, &mut bytes);
    bytes.push((1 << 3) | 2);
    bytes.push(BIZ_RT.len() as u8);
    bytes.extend_from_slice(BIZ_RT.as_bytes());
    bytes.push((2 << 3) | 2);
    encode_varint(millis.len() as u64, &mut bytes);
    bytes.extend_from_slice(millis);
    // Field 8 (`payload`), length-delimited.
    bytes.push((8 << 3) | 2);
    encode_varint(payload.len() as u64, &mut bytes);
    bytes.extend_from_slice(payload);
    bytes
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

    #[test]
    fn the_direct_bytes_are_exactly_sized() {
        for millis in [0, 1, 127, 128, 99_999, u64::MAX] {
            let took = Duration::from_millis(millis);
            let bytes = ack_bytes(&received(), 200, None, took);
            assert_eq!(bytes.len(), bytes.capacity(), "took {millis} ms");
            let decoded = Frame::decode(&bytes).unwrap();
            assert_eq!(decoded, ack(&received(), 200, None, took));
            assert_eq!(decoded.header(BIZ_RT), Some(millis.to_string().as_str()));
        }
    }

    #[test]
    fn varint_lengths_match_the_encoding() {
        for value in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            encode_varint(value, &mut out);
            assert_eq!(encoded_len_varint(value), out.len(), "{value}");
        }
    }
}
