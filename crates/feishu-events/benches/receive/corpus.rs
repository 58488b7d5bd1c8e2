//! The events the platform delivers in the bench: a mix of message and group
//! events in the documented payload shapes, each with its own event id.

use feishu_events::crypto::{encrypt, signature};
use feishu_model::Secret;

pub const APP_ID: &str = "cli_a3e157960e7294c";
#[cfg_attr(not(feature = "ws"), allow(dead_code))]
pub const APP_SECRET: &str = "bench-app-secret";
pub const ENCRYPT_KEY: &str = "kL9-bench-encrypt-key";
pub const TOKEN: &str = "v-token-bench";
pub const TS: &str = "1700000000";
pub const NONCE: &str = "950646929";

/// A 32-hex-digit id, as the platform's event ids are.
pub fn event_id(i: usize) -> String {
    format!("5e3702a84e847582be8db7fb{i:08x}")
}

fn v2(i: usize, event_type: &str, event: &str) -> String {
    format!(
        r#"{{"schema":"2.0","header":{{"event_id":"{}","event_type":"{event_type}","create_time":"1608725989000","token":"{TOKEN}","app_id":"{APP_ID}","tenant_key":"736588c9260f175e"}},"event":{event}}}"#,
        event_id(i)
    )
}

/// The plain JSON of event `i`: half received messages, the rest members
/// added, chat updates and reactions.
pub fn plain(i: usize) -> String {
    match i % 10 {
        0..=4 => v2(
            i,
            "im.message.receive_v1",
            &format!(
                r#"{{"sender":{{"sender_id":{{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"}},"sender_type":"user","tenant_key":"736588c9260f175e"}},"message":{{"message_id":"om_5ce6d572455d361153b7cb51da{i:08x}","root_id":"om_5ce6d572455d361153b7cb5xxfsdfsdfdsf","parent_id":"om_5ce6d572455d361153b7cb5xxfsdfsdfdsf","create_time":"1609073151345","update_time":"1687343654666","chat_id":"oc_5ce6d572455d361153b7xx51da133945","thread_id":"omt_d4be107c616","chat_type":"group","message_type":"text","content":"{{\"text\":\"@_user_1 hello {i}\"}}","mentions":[{{"key":"@_user_1","id":{{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"}},"name":"Tom","tenant_key":"736588c9260f175e"}}],"user_agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Lark/6.7.5"}}}}"#
            ),
        ),
        5 | 6 => v2(
            i,
            "im.chat.member.user.added_v1",
            r#"{"chat_id":"oc_413871f0f8d4d3e4e0c6a0f6c1c4a8c2","operator_id":{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"},"external":false,"operator_tenant_key":"86gb7f8bd3c0d2a","users":[{"name":"user_name","tenant_key":"86gb7f8bd3c0d2a","user_id":{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"}}],"name":"group name","i18n_names":{"zh_cn":"群名","en_us":"group name","ja_jp":"グループ名"}}"#,
        ),
        7 | 8 => v2(
            i,
            "im.chat.updated_v1",
            r#"{"chat_id":"oc_413871f0f8d4d3e4e0c6a0f6c1c4a8c2","operator_id":{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"},"external":false,"operator_tenant_key":"86gb7f8bd3c0d2a","after_change":{"avatar":"default-avatar_44ae0ca3-e140-494b-956f-78091e348435","name":"renamed","description":"ops","i18n_names":{"zh_cn":"群名","en_us":"group name"},"add_member_permission":"all_members","share_card_permission":"allowed","at_all_permission":"all_members","edit_permission":"all_members","membership_approval":"no_approval_required","join_message_visibility":"all_members","leave_message_visibility":"all_members","moderation_permission":"all_members"},"before_change":{"name":"ops"},"moderator_list":{"added_member_list":[],"removed_member_list":[]}}"#,
        ),
        _ => v2(
            i,
            "im.message.reaction.created_v1",
            &format!(
                r#"{{"message_id":"om_reacted{i:08x}","reaction_type":{{"emoji_type":"SMILE"}},"operator_type":"user","user_id":{{"union_id":"on_8ed6aa67826108097d9ee143816345","user_id":"e33ggbyz","open_id":"ou_84aad35d084aa403a838cf73ee18467"}},"action_time":"1627641418803"}}"#
            ),
        ),
    }
}

/// One signed, encrypted webhook request.
pub struct Request {
    pub body: bytes::Bytes,
    pub signature: String,
}

/// Request `i` as the platform sends it.
pub fn request(i: usize) -> Request {
    let key = Secret::new(ENCRYPT_KEY);
    let iv: [u8; 16] = std::array::from_fn(|b| (i as u8).wrapping_mul(31).wrapping_add(b as u8));
    let body = format!(
        r#"{{"encrypt":"{}"}}"#,
        encrypt(&key, plain(i).as_bytes(), iv)
    );
    let signature = signature(TS, NONCE, &key, body.as_bytes());
    Request {
        body: body.into(),
        signature,
    }
}
