#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The card action callback (`card.action.trigger`) and its answer, against
//! the examples of the callback page.

use feishu_model::card::Card;
use feishu_model::events::{
    decode, CardAction, CardAnswer, CardDeliveryType, CardUpdate, EventPayload, GroupEvent,
    TemplateCard, Toast, ToastKind,
};
use serde_json::{json, Value};

/// The callback example of the page (comments removed).
fn documented_callback() -> Value {
    json!({
        "schema": "2.0",
        "header": {
            "event_id": "f7984f25108f8137722bb63c*****",
            "token": "066zT6pS4QCbgj5Do145GfDbbag*****",
            "create_time": "1603977298000000",
            "event_type": "card.action.trigger",
            "tenant_key": "2df73991750*****",
            "app_id": "cli_a5fb0ae6a4******"
        },
        "event": {
            "operator": {
                "tenant_key": "2df73991750*****",
                "user_id": "867*****",
                "open_id": "ou_3c14f3a59eaf2825dbe25359f15*****",
                "union_id": "on_cad4860e7af114fb4ff6c5d496d*****"
            },
            "token": "c-295ee57216a5dc9de90fefd0aadb4b1d7d******",
            "action": {
                "value": {"key": "value"},
                "tag": "button",
                "timezone": "Asia/Shanghai",
                "form_value": {
                    "field name1": ["selectDemo1", "selectDemo2"],
                    "field name2": "value2",
                    "DatePicker_bpqdq5puvn4": "2024-04-01 +0800",
                    "DateTimePicker_ihz2d7a74i": "2024-04-29 07:07 +0800",
                    "Input_lf4fmxwfrd9": "1234",
                    "PersonSelect_2ejys7ype7m": "ou_3c14f3a59eaf2825dbe25359f15*****",
                    "Select_a2d5b7l3zd": "1",
                    "TimePicker_7ecsf6xkqsq": "00:00 +0800"
                },
                "name": "Button_lvkepfu3"
            },
            "host": "im_message",
            "delivery_type": "url_preview",
            "context": {
                "url": "xxx",
                "preview_token": "xxx",
                "open_message_id": "om_574d639e4a44e4dd646eaf628e2*****",
                "open_chat_id": "oc_e4d2605ca917e695f54f11aaf56*****"
            }
        }
    })
}

fn decode_value(body: &Value) -> GroupEvent {
    decode(&serde_json::to_vec(body).unwrap()).unwrap()
}

#[test]
fn the_documented_callback_decodes_with_every_field_typed() {
    let doc = documented_callback();
    let event = decode_value(&doc);
    assert_eq!(event.event_type(), CardAction::EVENT_TYPE);
    assert_eq!(event.event_id(), Some("f7984f25108f8137722bb63c*****"));
    assert_eq!(event.chat_id(), Some("oc_e4d2605ca917e695f54f11aaf56*****"));
    let GroupEvent::CardAction(e) = event else {
        panic!("expected a card action")
    };
    let action = &e.event;
    assert_eq!(
        action.operator.open_id.as_deref(),
        Some("ou_3c14f3a59eaf2825dbe25359f15*****")
    );
    assert_eq!(action.operator.user_id.as_deref(), Some("867*****"));
    assert_eq!(
        action.operator.union_id.as_deref(),
        Some("on_cad4860e7af114fb4ff6c5d496d*****")
    );
    assert_eq!(
        action.operator.tenant_key.as_ref().map(|t| t.as_str()),
        Some("2df73991750*****")
    );
    assert_eq!(
        action.token.expose(),
        "c-295ee57216a5dc9de90fefd0aadb4b1d7d******"
    );
    assert_eq!(action.action.tag.as_deref(), Some("button"));
    assert_eq!(action.action.value, Some(json!({"key": "value"})));
    assert_eq!(action.action.value_str("key"), Some("value"));
    assert_eq!(action.action.timezone.as_deref(), Some("Asia/Shanghai"));
    assert_eq!(action.action.name.as_deref(), Some("Button_lvkepfu3"));
    assert_eq!(
        action.action.form("field name1"),
        Some(&json!(["selectDemo1", "selectDemo2"]))
    );
    assert_eq!(
        action.action.form("Input_lf4fmxwfrd9"),
        Some(&json!("1234"))
    );
    assert_eq!(action.host.as_deref(), Some("im_message"));
    assert_eq!(action.delivery_type, Some(CardDeliveryType::UrlPreview));
    assert_eq!(action.context.url.as_deref(), Some("xxx"));
    assert_eq!(
        action.context.preview_token.as_ref().map(|t| t.expose()),
        Some("xxx")
    );
    assert_eq!(
        action.message_id().map(|m| m.as_str()),
        Some("om_574d639e4a44e4dd646eaf628e2*****")
    );
    assert_eq!(
        action.chat_id().map(|c| c.as_str()),
        Some("oc_e4d2605ca917e695f54f11aaf56*****")
    );
    // Nothing left untyped, and the body serializes back unchanged.
    assert!(action.extra.is_empty());
    assert!(action.operator.extra.is_empty());
    assert!(action.action.extra.is_empty());
    assert!(action.context.extra.is_empty());
    assert_eq!(serde_json::to_value(&e.event).unwrap(), doc["event"]);
    assert_eq!(serde_json::to_value(e.as_ref()).unwrap(), doc);
    // Neither token shows in Debug output.
    let debug = format!("{e:?}");
    assert!(!debug.contains("c-295ee"), "{debug}");
    assert!(!debug.contains("066zT6pS"), "{debug}");
}

#[test]
fn other_component_values_and_unknown_fields_survive() {
    let mut doc = documented_callback();
    doc["event"]["action"] = json!({
        "tag": "select_static", "value": "plain-text-value", "option": "p1",
        "options": ["a", "b"], "input_value": "typed", "checked": true,
        "new_action_field": 7
    });
    doc["event"]["delivery_type"] = json!("a_new_delivery");
    doc["event"]["added_later"] = json!({"x": 1});
    doc["event"]["context"] = json!({"open_message_id": "om_1", "new_context": "n"});
    let GroupEvent::CardAction(e) = decode_value(&doc) else {
        panic!("expected a card action")
    };
    let action = &e.event.action;
    assert_eq!(action.value_text(), Some("plain-text-value"));
    assert_eq!(action.value_str("key"), None);
    assert_eq!(action.option.as_deref(), Some("p1"));
    assert_eq!(action.options, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(action.input_value.as_deref(), Some("typed"));
    assert_eq!(action.checked, Some(true));
    assert_eq!(action.extra.get("new_action_field"), Some(&json!(7)));
    assert_eq!(
        e.event.delivery_type,
        Some(CardDeliveryType::Unknown("a_new_delivery".to_owned()))
    );
    assert_eq!(e.event.extra.get("added_later"), Some(&json!({"x": 1})));
    assert_eq!(e.event.context.extra.get("new_context"), Some(&json!("n")));
    assert_eq!(e.event.chat_id(), None);
    assert_eq!(serde_json::to_value(e.as_ref()).unwrap(), doc);
}

#[test]
fn a_minimal_callback_decodes_and_a_wrong_type_names_its_field() {
    let minimal = json!({"schema": "2.0", "header": {"event_id": "e", "token": "v",
        "create_time": "1", "event_type": "card.action.trigger", "tenant_key": "t",
        "app_id": "cli_1"}, "event": {"token": "c-1", "action": {"tag": "button"}}});
    let GroupEvent::CardAction(e) = decode_value(&minimal) else {
        panic!("expected a card action")
    };
    assert!(e.event.context.is_empty());
    assert_eq!(e.event.open_id(), None);
    // An absent context is not written back.
    assert_eq!(serde_json::to_value(e.as_ref()).unwrap(), minimal);

    let mut wrong = minimal;
    wrong["event"]["action"]["checked"] = json!("yes");
    let err = decode(&serde_json::to_vec(&wrong).unwrap()).unwrap_err();
    assert_eq!(err.path(), Some("event.action.checked"));
    assert_eq!(err.event_type(), Some("card.action.trigger"));
}

/// The raw-card answer example of the page.
fn documented_raw_answer() -> Value {
    json!({
        "toast": {
            "type": "info",
            "content": "卡片交互成功",
            "i18n": {"zh_cn": "卡片交互成功", "en_us": "card action success"}
        },
        "card": {
            "type": "raw",
            "data": {
                "schema": "2.0",
                "config": {"update_multi": true, "style": {"text_size": {"normal_v2": {
                    "default": "normal", "pc": "normal", "mobile": "heading"}}}},
                "body": {
                    "direction": "vertical",
                    "padding": "12px 12px 12px 12px",
                    "elements": [{"tag": "div", "text": {"tag": "plain_text",
                        "content": "示例文本", "text_size": "normal_v2",
                        "text_align": "left", "text_color": "default"},
                        "margin": "0px 0px 0px 0px"}]
                },
                "header": {
                    "title": {"tag": "plain_text", "content": "示例标题"},
                    "subtitle": {"tag": "plain_text", "content": "示例文本"},
                    "template": "blue",
                    "padding": "12px 12px 12px 12px"
                }
            }
        }
    })
}

#[test]
fn answers_serialize_as_the_documented_examples() {
    let toast = Toast::new(ToastKind::Info, "卡片交互成功")
        .i18n("zh_cn", "卡片交互成功")
        .i18n("en_us", "card action success");
    let doc = documented_raw_answer();
    let answer = CardAnswer::with_toast(toast.clone())
        .card(&doc["card"]["data"])
        .unwrap();
    assert_eq!(answer.to_value(), doc);
    assert_eq!(serde_json::to_value(&answer).unwrap(), doc);
    // It reads back too.
    let back: CardAnswer = serde_json::from_value(doc).unwrap();
    assert_eq!(back, answer);

    let template = json!({
        "toast": {"type": "info", "content": "卡片交互成功",
                  "i18n": {"zh_cn": "卡片交互成功", "en_us": "card action success"}},
        "card": {"type": "template", "data": {
            "template_id": "AAqi6xJ8rabcd",
            "template_version_name": "1.0.0",
            "template_variable": {"open_id": "ou_d506829e8b6a17607e56bcd6b1aabcef"}
        }}
    });
    let answer = CardAnswer::from(toast).template(
        TemplateCard::new("AAqi6xJ8rabcd")
            .version("1.0.0")
            .variable("open_id", "ou_d506829e8b6a17607e56bcd6b1aabcef"),
    );
    assert_eq!(answer.to_value(), template);
    assert_eq!(serde_json::to_value(&answer).unwrap(), template);
    let back: CardAnswer = serde_json::from_value(template).unwrap();
    assert!(
        matches!(back.card, Some(CardUpdate::Template(ref t)) if t.template_id == "AAqi6xJ8rabcd")
    );
}

#[test]
fn each_toast_kind_and_the_empty_answer() {
    assert_eq!(CardAnswer::empty().to_value(), json!({}));
    assert_eq!(serde_json::to_string(&CardAnswer::empty()).unwrap(), "{}");
    for (answer, kind) in [
        (CardAnswer::info("m"), "info"),
        (CardAnswer::success("m"), "success"),
        (CardAnswer::warning("m"), "warning"),
        (CardAnswer::error("m"), "error"),
    ] {
        assert_eq!(
            answer.to_value(),
            json!({"toast": {"type": kind, "content": "m"}})
        );
    }
}

#[test]
fn a_card_from_the_builder_is_raw_card_json_and_a_non_object_is_refused() {
    let card = Card::new().markdown("**INC-7** acknowledged");
    let answer = CardAnswer::empty().card(&card).unwrap();
    assert_eq!(
        answer.to_value(),
        json!({"card": {"type": "raw", "data": card.to_value().unwrap()}})
    );
    let err = CardAnswer::empty().card(&json!("not a card")).unwrap_err();
    assert_eq!(err.field, "card");
    assert!(err.to_string().contains("string"), "{err}");
    let err = CardAnswer::empty().card(&[1, 2]).unwrap_err();
    assert_eq!(err.field, "card");
}
