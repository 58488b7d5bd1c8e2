//! The quickstart's alert steps against the emulator: what they leave in
//! the incident chat (a refused buzz or pin fails the steps). The example
//! itself is compiled in as a module.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod quickstart;

use feishu_emulator::Emulator;
use feishu_group::Group;
use feishu_message::Message;
use feishu_model::im::chat::CreateChatBody;
use feishu_model::im::msg_type::MsgType;
use feishu_model::UserIdType;
use serde_json::Value;

#[tokio::test]
async fn the_alert_posts_a_card_mentions_the_lead_and_pins_the_card() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let client = emulator.client().unwrap();
    let lead = quickstart::EMULATED_ONCALL[0];
    let chat = Group::new(&client)
        .chats()
        .create(CreateChatBody {
            name: Some("alert test".into()),
            user_id_list: Some(
                quickstart::EMULATED_ONCALL
                    .iter()
                    .map(|id| (*id).into())
                    .collect(),
            ),
            ..CreateChatBody::default()
        })
        .user_id_type(UserIdType::OpenId)
        .await
        .unwrap();
    let message = Message::new(&client);
    let (card_id, mention_id) = quickstart::alert(&message, chat.chat_id.as_str(), lead)
        .await
        .unwrap();
    assert!(card_id.as_str().starts_with("om_"));
    assert_ne!(card_id, mention_id);

    let card = message.messages().get(card_id.clone()).await.unwrap();
    let card = card.items.unwrap().remove(0);
    assert_eq!(card.msg_type, Some(MsgType::Interactive));
    // Read back, a card has the platform's read form (title and elements,
    // no behaviours); what was sent is the builder's JSON 2.0.
    let content: Value = serde_json::from_str(&card.body.unwrap().content.unwrap()).unwrap();
    assert_eq!(content["title"], "INC-2041: checkout latency above SLO");
    let elements = content["elements"].to_string();
    assert!(
        elements.contains("**Summary**: p99 checkout latency"),
        "{elements}"
    );
    assert!(elements.contains(r#""text":"Acknowledge""#), "{elements}");
    let sent = quickstart::alert_card().to_value().unwrap();
    assert_eq!(sent["schema"], "2.0");
    assert_eq!(sent["header"]["template"], "red");
    assert_eq!(sent["body"]["elements"][0]["tag"], "markdown");
    assert_eq!(
        sent["body"]["elements"][1]["text"]["content"],
        "Acknowledge"
    );
    assert_eq!(
        sent["body"]["elements"][1]["behaviors"][0],
        serde_json::json!({"type": "callback", "value": {"action": "ack", "incident": "INC-2041"}})
    );

    let mention = message.messages().get(mention_id).await.unwrap();
    let mention = mention.items.unwrap().remove(0);
    assert_eq!(mention.msg_type, Some(MsgType::Text));
    let mentioned: Vec<String> = mention
        .mentions
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.id.map(|id| id.to_string()))
        .collect();
    assert_eq!(mentioned, vec![lead.to_owned()]);

    let pins = message.pins().list(chat.chat_id.as_str()).await.unwrap();
    let pinned: Vec<String> = pins
        .items
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.message_id)
        .collect();
    assert_eq!(pinned, vec![card_id.as_str().to_owned()]);
}
