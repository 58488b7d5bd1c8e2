//! The `pbbp2` frame codec: the spec's vectors, round trips, and arbitrary
//! bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use feishu_protocol::frame::{Frame, Header, METHOD_CONTROL};
use proptest::prelude::*;

const MINIMAL: &str = "0800100018f681801020002a0c0a0474797065120470696e67";
const GOGO: &str = "0800100018f681801020002a0c0a0474797065120470696e6732003a004a00";

#[test]
fn the_ping_vectors() {
    let ping = Frame::ping(33554678);
    assert_eq!(hex::encode(ping.encode()), MINIMAL);
    assert_eq!(Frame::decode(&hex::decode(MINIMAL).unwrap()).unwrap(), ping);

    let gogo = Frame::decode(&hex::decode(GOGO).unwrap()).unwrap();
    assert_eq!((gogo.service, gogo.method), (33554678, METHOD_CONTROL));
    assert_eq!(gogo.headers, [Header::new("type", "ping")]);
    assert_eq!(gogo.payload_encoding.as_deref(), Some(""));
    assert_eq!(gogo.payload_type.as_deref(), Some(""));
    assert_eq!(gogo.log_id_new.as_deref(), Some(""));
    assert_eq!(gogo.payload, None);
    assert_eq!(hex::encode(gogo.encode()), GOGO);
}

fn header() -> impl Strategy<Value = Header> {
    (".{0,12}", ".{0,24}").prop_map(|(k, v)| Header::new(k, v))
}

fn frame() -> impl Strategy<Value = Frame> {
    (
        any::<u64>(),
        any::<u64>(),
        any::<i32>(),
        any::<i32>(),
        prop::collection::vec(header(), 0..6),
        prop::option::of(".{0,8}"),
        prop::option::of(".{0,8}"),
        prop::option::of(prop::collection::vec(any::<u8>(), 0..300)),
        prop::option::of(".{0,8}"),
    )
        .prop_map(
            |(seq_id, log_id, service, method, headers, enc, ty, payload, new)| Frame {
                seq_id,
                log_id,
                service,
                method,
                headers,
                payload_encoding: enc,
                payload_type: ty,
                payload,
                log_id_new: new,
            },
        )
}

proptest! {
    #[test]
    fn frames_round_trip(frame in frame()) {
        prop_assert_eq!(Frame::decode(&frame.encode()).unwrap(), frame);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = Frame::decode(&bytes);
    }

    #[test]
    fn unknown_fields_are_skipped(frame in frame(), tag in 10u32..2000, value in any::<u32>()) {
        let mut bytes = frame.encode();
        // An unknown varint field appended.
        let mut key = u64::from(tag) << 3;
        loop {
            let b = (key & 0x7f) as u8;
            key >>= 7;
            if key == 0 { bytes.push(b); break; }
            bytes.push(b | 0x80);
        }
        let mut v = u64::from(value);
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 { bytes.push(b); break; }
            bytes.push(b | 0x80);
        }
        prop_assert_eq!(Frame::decode(&bytes).unwrap(), frame);
    }
}
