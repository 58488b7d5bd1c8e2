#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Message content against the documented examples of the send and receive
//! format pages: every example block decodes to its typed form and encodes
//! back to the same JSON.

use feishu_model::im::content::limit::{
    check_content_size, encoded_len, CARD_AND_POST_LIMIT, TEXT_LIMIT,
};
use feishu_model::im::content::{
    Interactive, Mentions, MessageContent, PostElement, PostLocale, ReceivedContent,
    ReceivedInteractive, SystemType, Text, TextStyle,
};
use feishu_model::im::msg_type::MsgType;
use proptest::prelude::*;
use rstest::rstest;
use serde_json::{json, Value};

fn value(content: &str) -> Value {
    serde_json::from_str(content).unwrap()
}

/// Parses as sent, re-encodes, compares semantically; returns the typed value.
fn sent_round_trip(msg_type: &str, content: &str) -> MessageContent {
    let msg_type = MsgType::from(msg_type);
    let typed = MessageContent::parse(&msg_type, content).unwrap();
    assert_eq!(typed.msg_type(), msg_type);
    assert!(
        !matches!(typed, MessageContent::Other { .. }),
        "{msg_type} decoded untyped"
    );
    let back = typed.to_checked_content().unwrap();
    assert_eq!(value(&back), value(content), "{msg_type}");
    typed
}

/// Same for the received format.
fn received_round_trip(msg_type: &str, content: &str) -> ReceivedContent {
    let msg_type = MsgType::from(msg_type);
    let typed = ReceivedContent::parse(&msg_type, content).unwrap();
    assert_eq!(typed.msg_type(), msg_type);
    assert!(
        !matches!(typed, ReceivedContent::Other { .. }),
        "{msg_type} decoded untyped"
    );
    let back = typed.to_content_string().unwrap();
    assert_eq!(value(&back), value(content), "{msg_type}");
    typed
}

// ---------------------------------------------------------------------------
// sent: the content examples and the request-body examples of create_json
// ---------------------------------------------------------------------------

const SENT_POST: &str = r#"{
  "zh_cn": {
    "title": "我是一个标题",
    "content": [
      [
        {"tag": "text", "text": "第一行:", "style": ["bold", "underline"]},
        {"tag": "a", "href": "http://www.feishu.cn", "text": "超链接", "style": ["bold", "italic"]},
        {"tag": "at", "user_id": "ou_1avnmsbv3k45jnk34j5", "style": ["lineThrough"]}
      ],
      [{"tag": "img", "image_key": "img_7ea74629-9191-4176-998c-2e603c9c5e8g"}],
      [
        {"tag": "text", "text": "第二行:", "style": ["bold", "underline"]},
        {"tag": "text", "text": "文本测试"}
      ],
      [{"tag": "img", "image_key": "img_7ea74629-9191-4176-998c-2e603c9c5e8g"}],
      [{"tag": "media", "file_key": "file_v2_0dcdd7d9-fib0-4432-a519-41d25aca542j", "image_key": "img_7ea74629-9191-4176-998c-2e603c9c5e8g"}],
      [{"tag": "emotion", "emoji_type": "SMILE"}],
      [{"tag": "hr"}],
      [{"tag": "code_block", "language": "GO", "text": "func main() int64 {\n    return 0\n}"}],
      [{"tag": "md", "text": "**mention user:**<at user_id=\"ou_xxxxxx\">Tom</at>\n**href:**[Open Platform](https://open.feishu.cn)\n**code block:**\n```GO\nfunc main() int64 {\n    return 0\n}\n```\n**text styles:** **bold**, *italic*, ***bold and italic***, ~underline~,~~lineThrough~~\n> quote content\n\n1. item1\n    1. item1.1\n    2. item2.2\n2. item2\n --- \n- item1\n    - item1.1\n    - item2.2\n- item2"}]
    ]
  }
}"#;

const SENT_SYSTEM: &str = r#"{
    "type": "divider",
    "params": {"divider_text": {"text": "新会话", "i18n_text": {"zh_CN": "新会话", "en_US": "New Session"}}},
    "options": {"need_rollup": true}
}"#;

#[rstest]
#[case::text("text", r#"{"text": "test content"}"#)]
#[case::image(
    "image",
    r#"{"image_key": "img_7ea74629-9191-4176-998c-2e603c9c5e8g"}"#
)]
#[case::share_chat("share_chat", r#"{"chat_id": "oc_0dd200d32fda15216d2c2ef1ddb32f76"}"#)]
#[case::share_user("share_user", r#"{"user_id": "ou_0dd200d32fda15216d2c2ef1ddb32f76"}"#)]
#[case::audio("audio", r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg"}"#)]
#[case::media(
    "media",
    r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg", "image_key": "img_xxxxxx"}"#
)]
#[case::file("file", r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg"}"#)]
#[case::sticker("sticker", r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg"}"#)]
#[case::post("post", SENT_POST)]
#[case::system("system", SENT_SYSTEM)]
fn sent_content_examples_round_trip(#[case] msg_type: &str, #[case] content: &str) {
    sent_round_trip(msg_type, content);
}

/// The request bodies of the page: `content` is a JSON string.
#[rstest]
#[case(r#"{"receive_id": "ou_7d8a6e6df7621556ce0d21922b676706ccs", "content": "{\"text\":\" test content\"}", "msg_type": "text"}"#)]
#[case(r#"{"receive_id": "ou_7d8a6e6df7621556ce0d21922b67670xxxx", "content": "{\"text\":\"test content\"}", "msg_type": "text"}"#)]
#[case(r#"{"receive_id": "oc_xxx", "content": "{\"text\":\"firstline \\n secondline \"}", "msg_type": "text"}"#)]
#[case(r#"{"receive_id": "oc_xxx", "content": "{\"text\":\"<at user_id=\\\"ou_xxxxxxx\\\">Tom</at> text content\"}", "msg_type": "text"}"#)]
#[case(r#"{"receive_id": "oc_xxx", "content": "{\"text\":\"<b>bold content<i>, bold and italic content</i></b>\"}", "msg_type": "text"}"#)]
#[case(r#"{"receive_id": "oc_xxx", "content": "{\"text\":\"[Feishu Open Platform](https://open.feishu.cn)\"}", "msg_type": "text"}"#)]
#[case(r#"{"receive_id": "oc_820faa21d7ed275b53d1727a0feaa917", "content": "{\"zh_cn\":{\"title\":\"我是一个标题\",\"content\":[[{\"tag\":\"text\",\"text\":\"第一行 :\"},{\"tag\":\"a\",\"href\":\"http://www.feishu.cn\",\"text\":\"超链接\"},{\"tag\":\"at\",\"user_id\":\"ou_1avnmsbv3k45jnk34j5\",\"user_name\":\"tom\"}],[{\"tag\":\"img\",\"image_key\":\"img_7ea74629-9191-4176-998c-2e603c9c5e8g\"}],[{\"tag\":\"text\",\"text\":\"第二行:\"},{\"tag\":\"text\",\"text\":\"文本测试\"}],[{\"tag\":\"img\",\"image_key\":\"img_7ea74629-9191-4176-998c-2e603c9c5e8g\"}]]}}", "msg_type": "post"}"#)]
#[case(r#"{"receive_id": "oc_xxx", "content": "{\"image_key\": \"img_v2_xxx\"}", "msg_type": "image"}"#)]
#[case(r#"{"receive_id": "ou_449b53ad6aee526f7ed311b216aabcef", "msg_type": "interactive", "content": "{\"type\":\"card\",\"data\":{\"card_id\":\"7371713483664506900\"}}"}"#)]
#[case(r#"{"receive_id": "ou_449b53ad6aee526f7ed311b216aabcef", "msg_type": "interactive", "content": "{\"type\":\"template\",\"data\":{\"template_id\":\"xxxxxxxxxxxx\",\"template_version_name\":\"1.0.0\",\"template_variable\":{\"key1\":\"value1\",\"key2\":\"value2\"}}}"}"#)]
#[case(r#"{"receive_id": "ou_449b53ad6aee526f7ed311b216aabcef", "msg_type": "interactive", "content": "{\"schema\":\"2.0\",\"config\":{\"update_multi\":true,\"style\":{\"text_size\":{\"normal_v2\":{\"default\":\"normal\",\"pc\":\"normal\",\"mobile\":\"heading\"}}}},\"body\":{\"direction\":\"vertical\",\"padding\":\"12px 12px 12px 12px\",\"elements\":[{\"tag\":\"markdown\",\"content\":\"西湖，位于中国浙江省杭州市西湖区龙井路1号，杭州市区西部，汇水面积为21.22平方千米，湖面面积为6.38平方千米。\",\"text_align\":\"left\",\"text_size\":\"normal_v2\",\"margin\":\"0px 0px 0px 0px\"},{\"tag\":\"button\",\"text\":{\"tag\":\"plain_text\",\"content\":\"🌞更多景点介绍\"},\"type\":\"default\",\"width\":\"default\",\"size\":\"medium\",\"behaviors\":[{\"type\":\"open_url\",\"default_url\":\"https://baike.baidu.com/item/%E8%A5%BF%E6%B9%96/4668821\",\"pc_url\":\"\",\"ios_url\":\"\",\"android_url\":\"\"}],\"margin\":\"0px 0px 0px 0px\"}]},\"header\":{\"title\":{\"tag\":\"plain_text\",\"content\":\"今日旅游推荐\"},\"subtitle\":{\"tag\":\"plain_text\",\"content\":\"\"},\"template\":\"blue\",\"padding\":\"12px 12px 12px 12px\"}}"}"#)]
#[case(
    r#"{"receive_id": "oc_xxx", "content": "{\"chat_id\":\"oc_xxx\"}", "msg_type": "share_chat"}"#
)]
#[case(r#"{"receive_id": "oc_820faa21d7ed275b53d1727a0feaa917", "content": "{\"user_id\":\"ou_xxx\"}", "msg_type": "share_user"}"#)]
#[case(
    r#"{"receive_id": "oc_xxx", "content": "{\"file_key\":\"file_v2_xxx\"}", "msg_type": "audio"}"#
)]
#[case(r#"{"receive_id": "oc_xxx", "content": "{\"file_key\":\"file_v2_xxx\",\"image_key\":\"img_v2_xxx\"}", "msg_type": "media"}"#)]
#[case(r#"{"receive_id": "oc_820faa21d7ed275b53d1727a0feaa917", "content": "{\"file_key\":\"file_v2_xxx\"}", "msg_type": "file"}"#)]
#[case(r#"{"receive_id": "oc_xxx", "content": "{\"file_key\":\"file_v2_xxx\"}", "msg_type": "sticker"}"#)]
#[case(r#"{"receive_id": "oc_xxx", "content": "{\"type\":\"divider\",\"params\":{\"divider_text\":{\"text\":\"新会话\",\"i18n_text\":{\"zh_CN\":\"新会话\",\"en_US\":\"New Session\"}}},\"options\":{\"need_rollup\":true}}", "msg_type": "system"}"#)]
fn sent_request_examples_round_trip(#[case] body: &str) {
    let body = value(body);
    sent_round_trip(
        body["msg_type"].as_str().unwrap(),
        body["content"].as_str().unwrap(),
    );
}

#[test]
fn sent_post_decodes_every_tag() {
    let MessageContent::Post(post) = sent_round_trip("post", SENT_POST) else {
        panic!("not a post")
    };
    let body = &post.languages[&PostLocale::ZhCn];
    assert_eq!(body.title.as_deref(), Some("我是一个标题"));
    let tags: Vec<&str> = body
        .content
        .iter()
        .flatten()
        .map(PostElement::tag)
        .collect();
    assert_eq!(
        tags,
        [
            "text",
            "a",
            "at",
            "img",
            "text",
            "text",
            "img",
            "media",
            "emotion",
            "hr",
            "code_block",
            "md"
        ]
    );
    let PostElement::Text(first) = &body.content[0][0] else {
        panic!("not text")
    };
    assert_eq!(
        first.style.as_deref(),
        Some(&[TextStyle::Bold, TextStyle::Underline][..])
    );
    let PostElement::At(at) = &body.content[0][2] else {
        panic!("not at")
    };
    assert_eq!(at.user_id, "ou_1avnmsbv3k45jnk34j5");
    assert_eq!(at.style.as_deref(), Some(&[TextStyle::LineThrough][..]));
    let PostElement::CodeBlock(code) = &body.content[7][0] else {
        panic!("not code")
    };
    assert_eq!(code.language.as_deref(), Some("GO"));
}

#[test]
fn sent_system_and_interactive_are_typed() {
    let MessageContent::System(system) = sent_round_trip("system", SENT_SYSTEM) else {
        panic!("not system")
    };
    assert_eq!(system.kind, SystemType::Divider);
    let divider = system.params.divider_text.as_ref().unwrap();
    assert_eq!(divider.text, "新会话");
    assert_eq!(divider.i18n_text.as_ref().unwrap()["en_US"], "New Session");
    assert_eq!(system.options.unwrap().need_rollup, Some(true));

    let card = sent_round_trip(
        "interactive",
        r#"{"type":"card","data":{"card_id":"7371713483664506900"}}"#,
    );
    assert_eq!(
        card,
        MessageContent::Interactive(Interactive::card_id("7371713483664506900"))
    );
    let template = sent_round_trip(
        "interactive",
        r#"{"type":"template","data":{"template_id":"t1","template_version_name":"1.0.0","template_variable":{"key1":"value1"}}}"#,
    );
    assert_eq!(
        template,
        MessageContent::Interactive(
            Interactive::template("t1")
                .version("1.0.0")
                .variable("key1", "value1")
        )
    );
    // An envelope with an unknown type stays card JSON, whole.
    let odd = sent_round_trip("interactive", r#"{"type":"hologram","data":{"x":1}}"#);
    assert!(matches!(
        odd,
        MessageContent::Interactive(Interactive::Json(_))
    ));
}

// ---------------------------------------------------------------------------
// received: the examples of message_content
// ---------------------------------------------------------------------------

const RECEIVED_POST: &str = r#"{
    "title":"我是一个标题",
    "content":[
        [
            {"tag":"text","text":"第一行 :","style": ["bold", "underline"]},
            {"tag":"a","href":"http://www.feishu.cn","text":"超链接","style": ["bold", "italic"]},
            {"tag":"at","user_id":"@_user_1","user_name":"","style": []}
        ],
        [{"tag":"img","image_key":"img_47354fbc-a159-40ed-86ab-2ad0f1acb42g"}],
        [
            {"tag":"text","text":"第二行:","style": ["bold", "underline"]},
            {"tag":"text","text":"文本测试","style": []}
        ],
        [{"tag":"img","image_key":"img_47354fbc-a159-40ed-86ab-2ad0f1acb42g"}],
        [{"tag":"media","file_key": "file_v2_0dcdd7d9-fib0-4432-a519-41d25aca542j","image_key": "img_7ea74629-9191-4176-998c-2e603c9c5e8g"}],
        [{"tag": "emotion","emoji_type": "SMILE"}],
        [{"tag": "hr"}],
        [{"tag": "code_block","language": "GO","text": "func main() int64 {\n    return 0\n}"}]
    ]
}"#;

const RECEIVED_CARD: &str = r#"{
    "title": "卡片标题",
    "elements": [
        [
            {"tag": "button", "text": "主按钮", "type": "primary"},
            {"tag": "button", "text": "次按钮", "type": "default"},
            {"tag": "button", "text": "危险按钮", "type": "danger"}
        ],
        [
            {"tag": "a", "href": "https://www.feishu.cn", "text": "飞书"},
            {"tag": "text", "text": "整合即时沟通、日历、音视频会议、云文档、云盘、工作台等功能于一体，成就组织和个人，"},
            {"tag": "at", "user_id": "@_user_1", "user_name": ""},
            {"tag": "text", "text": "更高效、更愉悦。"}
        ],
        [{"tag": "hr"}],
        [{"tag": "text", "text": "图片标题"}, {"tag": "img", "image_key": "img_acd8a194-3e63-49ca-bcf6-224624457a3g"}],
        [{"tag": "note", "elements": [{"tag": "img", "image_key": "img_acd8a194-3e63-49ca-bcf6-224624457a3g"}, {"tag": "text", "text": "备注信息"}]}],
        [{"tag": "text", "text": "深度整合使用率极高的办公工具，企业成员在一处即可实现高效沟通与协作。"}, {"tag": "img", "image_key": "img_acd8a194-3e63-49ca-bcf6-224624457a3g"}],
        [{"tag": "text", "text": "在移动端同样进行便捷的沟通、互动与协作，手机电脑随时随地保持同步。"}, {"tag": "select_static", "options": ["选项1", "选项2", "选项3", "选项4"], "placeholder": "默认提示文本"}],
        [{"tag": "text", "text": "ISV产品接入及企业自主开发，更好地对接现有系统，满足不同组织的需求。"}, {"tag": "overflow", "options": ["打开飞书应用目录", "打开飞书开发文档", "打开飞书官网"]}],
        [{"tag": "text", "text": "国际权威安全认证与信息安全管理体系，为企业提供全生命周期安全保障。"}, {"tag": "date_picker", "placeholder": "请选择日期", "initial_date": "2021-1-1"}]
    ]
}"#;

#[rstest]
#[case::text("text", r#"{"text": "@_user_1 文本消息"}"#)]
#[case::post("post", RECEIVED_POST)]
#[case::image(
    "image",
    r#"{"image_key": "img_4adb3cc3-902b-4187-b0f1-842f67fd017g"}"#
)]
#[case::file(
    "file",
    r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg", "file_name": "test.txt"}"#
)]
#[case::folder(
    "folder",
    r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg", "file_name": "folder"}"#
)]
#[case::audio(
    "audio",
    r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg", "duration": 2000}"#
)]
#[case::media("media", r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg", "image_key": "img_xxxxxx", "file_name":"测试视频.mp4", "duration": 2000}"#)]
#[case::sticker("sticker", r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg"}"#)]
#[case::interactive("interactive", RECEIVED_CARD)]
#[case::hongbao("hongbao", r#"{"text": "[红包]"}"#)]
#[case::share_calendar_event(
    "share_calendar_event",
    r#"{"summary": "日程分享测试", "start_time": "1608265395000", "end_time": "1608267015000"}"#
)]
#[case::calendar(
    "calendar",
    r#"{"summary": "日程邀请测试", "start_time": "1608265395000", "end_time": "1608267015000"}"#
)]
#[case::general_calendar(
    "general_calendar",
    r#"{"summary": "日程转让测试", "start_time": "1608265395000", "end_time": "1608267015000"}"#
)]
#[case::share_chat("share_chat", r#"{"chat_id": "oc_0dd200d32fdaxxxxxxxx32f76"}"#)]
#[case::share_user("share_user", r#"{"user_id": "ou_0dd200d32xxxxx6d2c2ef1ddb32f76"}"#)]
#[case::system_invite("system", r#"{"template": "{from_user} invited {to_chatters} to this chat.", "from_user": ["botName"], "to_chatters": ["小明", "小王", "小红"]}"#)]
#[case::system_divider("system", r#"{"template": "{divider_text}", "from_user": [], "to_chatters": [], "divider_text": {"text": "新会话", "i18n_text": {"zh_cn": "新话题", "en_us": "New Session"}}}"#)]
#[case::location(
    "location",
    r#"{"name": "xx省xx市", "longitude": "xxx.xxx", "latitude": "xxx.xxx"}"#
)]
#[case::video_chat(
    "video_chat",
    r#"{"topic": "视频通话消息", "start_time": "1623124523829"}"#
)]
#[case::todo("todo", r#"{"task_id": "acd096a5-a157-4b9d-80e2-5b317456f005", "summary": {"title":"","content":[[{"tag":"text","text":"多吃水果，多运动，健康生活，快乐工作。"}]]}, "due_time": "1623124318000"}"#)]
#[case::vote(
    "vote",
    r#"{"topic": "投票测试", "options": ["选项1","选项2","选项3"]}"#
)]
#[case::merge_forward("merge_forward", r#"{"content": "Merged and Forwarded Message"}"#)]
fn received_examples_round_trip(#[case] msg_type: &str, #[case] content: &str) {
    received_round_trip(msg_type, content);
}

#[test]
fn received_examples_decode_to_typed_values() {
    let ReceivedContent::Audio(audio) = received_round_trip(
        "audio",
        r#"{"file_key": "75235e0c-4f92-430a-a99b-8446610223cg", "duration": 2000}"#,
    ) else {
        panic!("not audio")
    };
    assert_eq!(audio.duration, Some(2000));

    let ReceivedContent::Interactive(ReceivedInteractive::Simplified(card)) =
        received_round_trip("interactive", RECEIVED_CARD)
    else {
        panic!("not a simplified card")
    };
    assert_eq!(card.title.as_deref(), Some("卡片标题"));
    let rows = card.elements.unwrap();
    assert_eq!(rows.len(), 9);
    assert_eq!(rows[0][0].kind.as_deref(), Some("primary"));
    assert_eq!(
        rows[4][0].elements.as_ref().unwrap()[1].text.as_deref(),
        Some("备注信息")
    );
    assert_eq!(rows[6][1].options.as_ref().unwrap().len(), 4);
    assert_eq!(rows[8][1].initial_date.as_deref(), Some("2021-1-1"));

    let ReceivedContent::System(invite) = received_round_trip(
        "system",
        r#"{"template": "{from_user} invited {to_chatters} to this chat.", "from_user": ["botName"], "to_chatters": ["小明", "小王", "小红"]}"#,
    ) else {
        panic!("not system")
    };
    assert_eq!(
        invite.render(),
        "botName invited 小明, 小王, 小红 to this chat."
    );

    let ReceivedContent::Todo(todo) = received_round_trip(
        "todo",
        r#"{"task_id": "t1", "summary": {"title":"","content":[[{"tag":"text","text":"多吃水果"}]]}, "due_time": "1623124318000"}"#,
    ) else {
        panic!("not todo")
    };
    assert_eq!(
        todo.summary.unwrap().plain_text(Mentions::Strip),
        "多吃水果"
    );
}

#[test]
fn received_card_json_is_kept_raw() {
    let content = r#"{"schema":"2.0","body":{"elements":[{"tag":"markdown","content":"hi"}]}}"#;
    let typed = received_round_trip("interactive", content);
    assert!(matches!(
        typed,
        ReceivedContent::Interactive(ReceivedInteractive::Raw(_))
    ));
    // A 1.0 card JSON (flat elements) does not fit the simplified form either.
    let flat = r#"{"elements":[{"tag":"div","text":{"tag":"plain_text","content":"x"}}]}"#;
    assert!(matches!(
        received_round_trip("interactive", flat),
        ReceivedContent::Interactive(ReceivedInteractive::Raw(_))
    ));
}

#[test]
fn plain_text_of_received_text_and_post() {
    let text =
        ReceivedContent::parse(&MsgType::Text, r#"{"text":"@_user_1 文本消息 @_user_2"}"#).unwrap();
    let names = [("@_user_1", "Bot"), ("@_user_2", "Tom")];
    assert_eq!(
        text.plain_text(Mentions::Resolve(&names)).as_deref(),
        Some("@Bot 文本消息 @Tom")
    );
    assert_eq!(
        text.plain_text(Mentions::Strip).as_deref(),
        Some("文本消息")
    );
    let post = ReceivedContent::parse(&MsgType::Post, RECEIVED_POST).unwrap();
    assert_eq!(
        post.plain_text(Mentions::Resolve(&[("@_user_1", "Bot")])).as_deref(),
        Some("我是一个标题\n第一行 :超链接@Bot\n\n第二行:文本测试\n\n\n\n\nfunc main() int64 {\n    return 0\n}")
    );
    let image = ReceivedContent::parse(&MsgType::Image, r#"{"image_key":"k"}"#).unwrap();
    assert_eq!(image.plain_text(Mentions::Strip), None);
}

// ---------------------------------------------------------------------------
// unknown kinds, unknown fields, errors
// ---------------------------------------------------------------------------

#[test]
fn unknown_kinds_and_fields_round_trip() {
    let raw = "{ \"b\": 2,  \"a\": [1, {\"z\": null}] }";
    let kind = MsgType::from("hologram");
    let sent = MessageContent::parse(&kind, raw).unwrap();
    assert_eq!(sent.msg_type(), kind);
    assert_eq!(sent.to_content_string().unwrap(), raw);
    let received = ReceivedContent::parse(&kind, raw).unwrap();
    assert_eq!(received.to_content_string().unwrap(), raw);
    // A receive-only kind cannot be sent typed: kept as given.
    let vote = MessageContent::parse(&MsgType::Vote, r#"{"topic":"x"}"#).unwrap();
    assert!(matches!(vote, MessageContent::Other { .. }));

    let post = r#"{"en_us":{"title":"t","later":1,"content":[[{"tag":"hologram","depth":3},{"tag":"text","text":"x","colour":"red"}]]},"de_de":{"content":[]}}"#;
    let typed = sent_round_trip("post", post);
    let MessageContent::Post(p) = &typed else {
        panic!("not a post")
    };
    assert!(p.languages.contains_key(&PostLocale::from("de_de")));
    let en = &p.languages[&PostLocale::EnUs];
    assert_eq!(en.extra.get("later"), Some(&json!(1)));
    assert_eq!(en.content[0][0].tag(), "hologram");
    assert!(matches!(en.content[0][0], PostElement::Unknown(_)));
    // A known tag whose fields do not fit is kept whole as well.
    let odd =
        r#"{"title":"t","content":[[{"tag":"img","image_key":7},{"tag":"text","text":"ok"}]]}"#;
    let ReceivedContent::Post(body) = received_round_trip("post", odd) else {
        panic!("not a post")
    };
    assert_eq!(body.content[0][0].tag(), "img");
    assert!(matches!(body.content[0][0], PostElement::Unknown(_)));
    assert!(matches!(body.content[0][1], PostElement::Text(_)));
}

#[test]
fn bad_content_names_the_kind() {
    let err = MessageContent::parse(&MsgType::Image, r#"{"file_key":"x"}"#).unwrap_err();
    assert_eq!(err.msg_type(), &MsgType::Image);
    assert!(err.to_string().contains("`image`"), "{err}");
    assert!(err.to_string().contains("image_key"), "{err}");
    assert!(ReceivedContent::parse(&MsgType::Text, "not json").is_err());
}

// ---------------------------------------------------------------------------
// the escaping text builder
// ---------------------------------------------------------------------------

#[test]
fn user_text_cannot_inject_mentions_or_links() {
    let attack = "hi <at user_id=\"all\"></at> </at><b>x</b> [click](https://evil.example)";
    let text = Text::new()
        .mention_named("ou_1", "Tom")
        .push(" ")
        .push(attack);
    // Exactly one tag opener survives: the mention the caller asked for.
    assert_eq!(text.text.matches("<at").count(), 1);
    assert_eq!(text.text.matches("</at>").count(), 1);
    assert!(!text.text.contains("<b>"));
    assert!(!text.text.contains("]("));
    assert!(text
        .text
        .starts_with("<at user_id=\"ou_1\">Tom</at> hi <\u{200B}at"));
    // Removing the zero-width breaks gives the user's text back.
    assert_eq!(
        text.text.replace('\u{200B}', ""),
        format!("<at user_id=\"ou_1\">Tom</at> {attack}")
    );
    let all = Text::new().push("ping ").mention_all();
    assert_eq!(all.text, "ping <at user_id=\"all\"></at>");
    let wire = MessageContent::from(all).to_content_string().unwrap();
    assert_eq!(wire, r#"{"text":"ping <at user_id=\"all\"></at>"}"#);
}

proptest! {
    #[test]
    fn escaped_text_never_opens_a_tag_and_round_trips(s in any::<String>()) {
        let text = Text::from(s.as_str());
        let t = text.text.as_str();
        for (i, c) in t.char_indices() {
            if c == '<' {
                let next = t[i + 1..].chars().next();
                prop_assert!(!matches!(next, Some(n) if n.is_ascii_alphabetic() || n == '/'));
            }
        }
        prop_assert!(!t.contains("]("));
        prop_assert_eq!(t.replace('\u{200B}', ""), s.replace('\u{200B}', ""));
        let content = MessageContent::from(text.clone());
        let wire = content.to_content_string().unwrap();
        prop_assert_eq!(MessageContent::parse(&MsgType::Text, &wire).unwrap(), content);
    }

    #[test]
    fn any_text_value_round_trips(s in any::<String>()) {
        let content = MessageContent::Text(Text { text: s.clone(), ..Default::default() });
        let wire = content.to_content_string().unwrap();
        prop_assert_eq!(MessageContent::parse(&MsgType::Text, &wire).unwrap(), content);
        let received = ReceivedContent::parse(&MsgType::Text, &wire).unwrap();
        prop_assert_eq!(value(&received.to_content_string().unwrap()), value(&wire));
    }

    #[test]
    fn any_content_string_never_panics(s in any::<String>(), strip in any::<bool>()) {
        for kind in ["text", "post", "interactive", "system", "hologram"] {
            if let Ok(received) = ReceivedContent::parse(&MsgType::from(kind), &s) {
                let names = [("@_user_1", "A")];
                let mode = if strip { Mentions::Strip } else { Mentions::Resolve(&names) };
                let _ = received.plain_text(mode);
                prop_assert!(received.to_content_string().is_ok());
            }
            let _ = MessageContent::parse(&MsgType::from(kind), &s);
        }
    }
}

// ---------------------------------------------------------------------------
// size limits
// ---------------------------------------------------------------------------

/// A `{"text": "..."}` content whose encoded size is exactly `size`.
fn text_content_of_size(size: usize) -> String {
    let shell = r#"{"text":""}"#;
    let fill = size - encoded_len(shell);
    let content = format!(r#"{{"text":"{}"}}"#, "x".repeat(fill));
    assert_eq!(serde_json::to_string(&content).unwrap().len(), size);
    content
}

#[test]
fn limits_hold_at_the_boundary() {
    let at_limit = text_content_of_size(TEXT_LIMIT);
    assert_eq!(TEXT_LIMIT, 153_600);
    assert!(check_content_size(&MsgType::Text, &at_limit).is_ok());
    let over = text_content_of_size(TEXT_LIMIT + 1);
    let err = check_content_size(&MsgType::Text, &over).unwrap_err();
    assert_eq!(err.field, "content");
    assert_eq!(
        err.rule,
        "a text message may take at most 150 KB (153600 bytes) in the request body; \
         this content takes 153601 bytes"
    );

    assert_eq!(CARD_AND_POST_LIMIT, 30_720);
    let small = text_content_of_size(CARD_AND_POST_LIMIT);
    assert!(check_content_size(&MsgType::Post, &small).is_ok());
    assert!(check_content_size(&MsgType::Interactive, &small).is_ok());
    let bigger = text_content_of_size(CARD_AND_POST_LIMIT + 1);
    assert!(check_content_size(&MsgType::Post, &bigger)
        .unwrap_err()
        .rule
        .contains("30 KB"));
    assert!(check_content_size(&MsgType::Interactive, &bigger).is_err());
    // Text allows what a card does not; kinds without a limit pass anything.
    assert!(check_content_size(&MsgType::Text, &bigger).is_ok());
    assert!(check_content_size(&MsgType::Image, &over).is_ok());
    // Escapes count: quotes and newlines take two bytes each in the body.
    assert_eq!(encoded_len("\"\n"), 6);
}

#[test]
fn to_checked_content_refuses_an_oversized_text() {
    let fits = MessageContent::from(Text::new().push(&"y".repeat(1000)));
    assert!(fits.to_checked_content().is_ok());
    let huge = MessageContent::from(Text::new().push(&"y".repeat(TEXT_LIMIT)));
    let err = huge.to_checked_content().unwrap_err();
    assert_eq!(err.field, "content");
    assert!(huge.to_content_string().is_ok());
}
