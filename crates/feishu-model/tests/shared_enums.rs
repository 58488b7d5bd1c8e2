//! The shared enums (defined once, used by many endpoints and events) keep any
//! string they are given and write it back unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use feishu_model::im::types::{
    ChatMode, ChatStatus, ChatTag, ChatType, GroupMessageType, MembershipApproval,
    MessageVisibility, ModerationPermission, RestrictedPermission, ShareCardPermission, WhoCan,
};
use feishu_model::{MemberIdType, UserIdType};
use proptest::prelude::*;

/// Round-trips `s` through every listed enum.
macro_rules! round_trip_all {
    ($s:expr; $($ty:ty),+ $(,)?) => {{
        let json = serde_json::to_string($s).unwrap();
        $(
            let value: $ty = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(value.as_str(), $s.as_str(), "{}", stringify!($ty));
            prop_assert_eq!(serde_json::to_string(&value).unwrap(), json.clone());
            prop_assert_eq!(value.is_known(), <$ty>::KNOWN.contains(&value));
        )+
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_shared_enum_round_trips_any_string(s in prop_oneof![
        ".*",
        Just("open_id".to_owned()),
        Just("only_owner".to_owned()),
        Just("all_members".to_owned()),
        Just("moderator_list".to_owned()),
        Just("unknown".to_owned()),
    ]) {
        round_trip_all!(&s;
            ChatMode, ChatStatus, ChatTag, ChatType, GroupMessageType, MembershipApproval,
            MessageVisibility, ModerationPermission, RestrictedPermission, ShareCardPermission,
            WhoCan, UserIdType, MemberIdType,
        );
    }
}

#[test]
fn documented_values_map_to_named_variants() {
    assert_eq!(ChatMode::from("topic"), ChatMode::Topic);
    assert_eq!(ChatTag::from("customer_service"), ChatTag::CustomerService);
    assert_eq!(WhoCan::from("unknown"), WhoCan::NotSet);
    assert_eq!(MemberIdType::from("app_id"), MemberIdType::AppId);
    assert_eq!(
        ChatStatus::from("dissolved_save"),
        ChatStatus::DissolvedSave
    );
    let future = ChatType::from("semi_public");
    assert!(!future.is_known());
    assert_eq!(serde_json::to_value(&future).unwrap(), "semi_public");
}
