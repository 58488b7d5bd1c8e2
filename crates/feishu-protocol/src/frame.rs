//! The frames of the long connection: the `pbbp2` `Frame` and `Header`
//! messages (proto2), one per binary WebSocket message.
//!
//! Decoding is lenient: a missing required field takes its default and
//! unknown fields are skipped. Encoding always writes fields 1 to 4.

use prost::Message;

/// `method` of a control frame (ping, pong).
pub const METHOD_CONTROL: i32 = 0;
/// `method` of a data frame (event, card).
pub const METHOD_DATA: i32 = 1;

/// Header key: the message type (`ping`, `pong`, `event`, `card`).
pub const TYPE: &str = "type";
/// Header key: the id shared by all fragments of one message.
pub const MESSAGE_ID: &str = "message_id";
/// Header key: how many fragments the message has (1 when not split).
pub const SUM: &str = "sum";
/// Header key: the 0-based index of this fragment.
pub const SEQ: &str = "seq";
/// Header key: the trace id of the message.
pub const TRACE_ID: &str = "trace_id";
/// Header key added by the client to an acknowledgement: handler time in ms.
pub const BIZ_RT: &str = "biz_rt";

/// Message type of a client ping.
pub const PING: &str = "ping";
/// Message type of a server pong (payload: the `ClientConfig` JSON).
pub const PONG: &str = "pong";
/// Message type of an event.
pub const EVENT: &str = "event";
/// Message type of a card callback (handled like an event).
pub const CARD: &str = "card";

/// One header of a frame (`pbbp2.Header`).
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Header {
    /// The key (field 1).
    #[prost(string, required, tag = "1")]
    pub key: String,
    /// The value (field 2).
    #[prost(string, required, tag = "2")]
    pub value: String,
}

/// One frame (`pbbp2.Frame`).
#[derive(Clone, PartialEq, Eq, Message)]
pub struct Frame {
    /// `SeqID` (field 1): 0 in pings, echoed in acknowledgements.
    #[prost(uint64, required, tag = "1")]
    pub seq_id: u64,
    /// `LogID` (field 2): 0 in pings, echoed in acknowledgements.
    #[prost(uint64, required, tag = "2")]
    pub log_id: u64,
    /// `service` (field 3): the `service_id` of the connection URL.
    #[prost(int32, required, tag = "3")]
    pub service: i32,
    /// `method` (field 4): [`METHOD_CONTROL`] or [`METHOD_DATA`].
    #[prost(int32, required, tag = "4")]
    pub method: i32,
    /// `headers` (field 5).
    #[prost(message, repeated, tag = "5")]
    pub headers: Vec<Header>,
    /// `payload_encoding` (field 6, unused).
    #[prost(string, optional, tag = "6")]
    pub payload_encoding: Option<String>,
    /// `payload_type` (field 7, unused).
    #[prost(string, optional, tag = "7")]
    pub payload_type: Option<String>,
    /// `payload` (field 8): UTF-8 JSON, or a fragment of it.
    #[prost(bytes = "vec", optional, tag = "8")]
    pub payload: Option<Vec<u8>>,
    /// `LogIDNew` (field 9, unused).
    #[prost(string, optional, tag = "9")]
    pub log_id_new: Option<String>,
}

/// The bytes could not be decoded as a frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a pbbp2 frame ({len} bytes): {reason}")]
pub struct FrameDecodeError {
    /// How many bytes were given.
    pub len: usize,
    /// What the decoder found wrong.
    pub reason: String,
}

impl Frame {
    /// A client ping for the connection with `service` id.
    ///
    /// ```
    /// use feishu_protocol::frame::Frame;
    /// let bytes = Frame::ping(33554678).encode();
    /// assert_eq!(hex::encode(bytes),
    ///     "0800100018f681801020002a0c0a0474797065120470696e67");
    /// ```
    pub fn ping(service: i32) -> Frame {
        Frame {
            service,
            method: METHOD_CONTROL,
            headers: vec![Header::new(TYPE, PING)],
            ..Frame::default()
        }
    }

    /// Decodes one binary message; never panics on any input.
    pub fn decode(bytes: &[u8]) -> Result<Frame, FrameDecodeError> {
        <Frame as Message>::decode(bytes).map_err(|e| FrameDecodeError {
            len: bytes.len(),
            reason: e.to_string(),
        })
    }

    /// The wire bytes of this frame.
    pub fn encode(&self) -> Vec<u8> {
        self.encode_to_vec()
    }

    /// The value of the first header named `key`.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.key == key)
            .map(|h| h.value.as_str())
    }

    /// Sets header `key` to `value` (replacing an existing one).
    pub fn set_header(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.headers.iter_mut().find(|h| h.key == key) {
            Some(h) => h.value = value,
            None => self.headers.push(Header::new(key, value)),
        }
    }

    /// The message type (`type` header), or `""`.
    pub fn message_type(&self) -> &str {
        self.header(TYPE).unwrap_or_default()
    }

    /// The payload bytes (empty when absent).
    pub fn payload_bytes(&self) -> &[u8] {
        self.payload.as_deref().unwrap_or_default()
    }
}

impl Header {
    /// A header `key: value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Header {
        Header {
            key: key.into(),
            value: value.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn headers_are_set_and_replaced() {
        let mut frame = Frame::ping(1);
        frame.set_header(BIZ_RT, "3");
        frame.set_header(BIZ_RT, "4");
        assert_eq!(frame.header(BIZ_RT), Some("4"));
        assert_eq!(frame.message_type(), PING);
        assert_eq!(frame.headers.len(), 2);
    }

    #[test]
    fn missing_required_fields_default() {
        // Only field 4 (method = 1) and an unknown field 15 (varint 7).
        let frame = Frame::decode(&[0x20, 0x01, 0x78, 0x07]).unwrap();
        assert_eq!((frame.seq_id, frame.service, frame.method), (0, 0, 1));
        assert!(frame.headers.is_empty());
    }
}
