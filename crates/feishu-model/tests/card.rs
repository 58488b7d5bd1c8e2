#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The card JSON 2.0 builder against hand-written card JSON.

use feishu_model::card::{
    Behavior, Button, ButtonType, Card, CardConfig, CardText, Column, ColumnSet, Div, FlexMode,
    Form, Header, HeaderTemplate, Img, Input, InputType, Markdown, SelectStatic, TextAlign,
    WidthMode,
};
use feishu_model::im::content::limit::CARD_AND_POST_LIMIT;
use feishu_model::im::content::{Interactive, MessageContent};
use feishu_model::im::msg_type::MsgType;
use serde_json::json;

#[test]
fn built_card_equals_hand_written_json() {
    let card = Card::new()
        .config(CardConfig {
            update_multi: Some(true),
            width_mode: Some(WidthMode::Fill),
            ..Default::default()
        })
        .header(
            Header::new("Incident INC-7")
                .subtitle("api: 5xx above 2%")
                .template(HeaderTemplate::Red),
        )
        .element(Markdown::new("**Owner:** <at id=ou_1></at>").align(TextAlign::Left))
        .text("Started 10:02")
        .hr()
        .element(Img::new("img_v2_1", "error graph"))
        .element(
            ColumnSet::new()
                .flex_mode(FlexMode::Bisect)
                .column(Column::weighted(1).element(Markdown::new("**Region**\ncn")))
                .column(Column::weighted(2).element(Div::new("eu"))),
        )
        .element(
            Button::new("Acknowledge")
                .kind(ButtonType::PrimaryFilled)
                .callback(json!({"action": "ack", "incident": 7}))
                .confirm("Acknowledge?", "You become the owner."),
        )
        .element(Button::new("Runbook").open_url("https://example.com/runbook"))
        .element(
            Form::new("resolve")
                .element(Input {
                    input_type: Some(InputType::MultilineText),
                    max_length: Some(500),
                    ..Input::new("cause")
                        .placeholder("What happened?")
                        .label("Cause")
                        .required(true)
                })
                .element(
                    SelectStatic::new("severity")
                        .placeholder("Severity")
                        .option("Minor", "sev3")
                        .option("Major", "sev1")
                        .required(true),
                )
                .element(
                    Button::new("Resolve")
                        .kind(ButtonType::Primary)
                        .submit("submit"),
                ),
        )
        .element(json!({"tag": "person", "user_id": "ou_1"}));

    let expected = json!({
        "schema": "2.0",
        "config": {"update_multi": true, "width_mode": "fill"},
        "header": {
            "title": {"tag": "plain_text", "content": "Incident INC-7"},
            "subtitle": {"tag": "plain_text", "content": "api: 5xx above 2%"},
            "template": "red"
        },
        "body": {"elements": [
            {"tag": "markdown", "content": "**Owner:** <at id=ou_1></at>", "text_align": "left"},
            {"tag": "div", "text": {"tag": "plain_text", "content": "Started 10:02"}},
            {"tag": "hr"},
            {"tag": "img", "img_key": "img_v2_1", "alt": {"tag": "plain_text", "content": "error graph"}},
            {"tag": "column_set", "flex_mode": "bisect", "columns": [
                {"tag": "column", "width": "weighted", "weight": 1, "elements": [
                    {"tag": "markdown", "content": "**Region**\ncn"}
                ]},
                {"tag": "column", "width": "weighted", "weight": 2, "elements": [
                    {"tag": "div", "text": {"tag": "plain_text", "content": "eu"}}
                ]}
            ]},
            {"tag": "button",
             "text": {"tag": "plain_text", "content": "Acknowledge"},
             "type": "primary_filled",
             "confirm": {
                 "title": {"tag": "plain_text", "content": "Acknowledge?"},
                 "text": {"tag": "plain_text", "content": "You become the owner."}
             },
             "behaviors": [{"type": "callback", "value": {"action": "ack", "incident": 7}}]},
            {"tag": "button",
             "text": {"tag": "plain_text", "content": "Runbook"},
             "behaviors": [{"type": "open_url", "default_url": "https://example.com/runbook"}]},
            {"tag": "form", "name": "resolve", "elements": [
                {"tag": "input", "name": "cause", "required": true,
                 "placeholder": {"tag": "plain_text", "content": "What happened?"},
                 "max_length": 500, "input_type": "multiline_text",
                 "label": {"tag": "plain_text", "content": "Cause"}},
                {"tag": "select_static", "name": "severity", "required": true,
                 "placeholder": {"tag": "plain_text", "content": "Severity"},
                 "options": [
                     {"text": {"tag": "plain_text", "content": "Minor"}, "value": "sev3"},
                     {"text": {"tag": "plain_text", "content": "Major"}, "value": "sev1"}
                 ]},
                {"tag": "button", "name": "submit",
                 "text": {"tag": "plain_text", "content": "Resolve"},
                 "type": "primary", "form_action_type": "submit"}
            ]},
            {"tag": "person", "user_id": "ou_1"}
        ]}
    });
    assert_eq!(card.to_value().unwrap(), expected);

    // As message content: interactive, the same JSON inside the string.
    let content = card.to_message().unwrap();
    assert_eq!(content.msg_type(), MsgType::Interactive);
    let wire = content.to_checked_content().unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&wire).unwrap(),
        expected
    );
    let MessageContent::Interactive(Interactive::Json(parsed)) =
        MessageContent::parse(&MsgType::Interactive, &wire).unwrap()
    else {
        panic!("card JSON should stay card JSON")
    };
    assert_eq!(serde_json::Value::Object(parsed), expected);
}

#[test]
fn header_colours_and_raw_escape_hatches() {
    let names: Vec<&str> = HeaderTemplate::KNOWN
        .iter()
        .map(HeaderTemplate::as_str)
        .collect();
    assert_eq!(
        names,
        [
            "blue",
            "wathet",
            "turquoise",
            "green",
            "yellow",
            "orange",
            "red",
            "carmine",
            "violet",
            "purple",
            "indigo",
            "grey",
            "default"
        ]
    );
    let mut header =
        Header::new(CardText::lark_md("**t**")).template(HeaderTemplate::from("sunset"));
    header.extra.insert(
        "icon".into(),
        json!({"tag": "standard_icon", "token": "alarm_outlined"}),
    );
    let mut button = Button::new("x");
    button
        .behaviors
        .push(Behavior::Raw(json!({"type": "later_kind", "n": 1})));
    let card = Card::new().header(header).element(button);
    assert_eq!(
        card.to_value().unwrap(),
        json!({
            "schema": "2.0",
            "header": {
                "title": {"tag": "lark_md", "content": "**t**"},
                "template": "sunset",
                "icon": {"tag": "standard_icon", "token": "alarm_outlined"}
            },
            "body": {"elements": [{"tag": "button",
                "text": {"tag": "plain_text", "content": "x"},
                "behaviors": [{"type": "later_kind", "n": 1}]}]}
        })
    );
    assert_eq!(
        Card::new().to_value().unwrap(),
        json!({"schema": "2.0", "body": {"elements": []}})
    );
}

#[test]
fn an_oversized_card_is_refused() {
    let fits = Card::new().markdown("a".repeat(CARD_AND_POST_LIMIT - 100));
    assert!(fits.to_message().is_ok());
    let too_big = Card::new().markdown("a".repeat(CARD_AND_POST_LIMIT));
    let err = too_big.to_message().unwrap_err();
    assert_eq!(err.field, "content");
    assert!(err.rule.contains("30 KB"), "{}", err.rule);
}
