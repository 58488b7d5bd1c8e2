#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Chat tabs and chat menus against the documented examples and rules.

use feishu_model::im::menu::{
    ChatMenuActionType, ChatMenuId, ChatMenuItem, ChatMenuItemOutput, ChatMenuRedirectLink,
    ChatMenuSecondLevel, ChatMenuTopLevel, ChatMenuTree, ChatMenuTreeOutput, ChatMenuUpdateField,
    CreateChatMenuTree, DeleteChatMenuTree, GetChatMenuTree, PatchChatMenuItem, SortChatMenuTree,
};
use feishu_model::im::tab::{
    ChatTab, ChatTabConfig, ChatTabContent, ChatTabId, ChatTabType, ChatTabsOutput, CreateChatTabs,
    DeleteChatTabs, ListChatTabs, SortChatTabs, UpdateChatTabs,
};
use feishu_model::im::types::I18nNames;
use feishu_model::{Endpoint, Envelope, Method, RateLimit, TokenKind};
use proptest::prelude::*;
use rstest::rstest;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

const CHAT_ID: &str = "oc_a0553eda9014c201e6969b478895c230";
const DOC_BASE: &str = "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{path}: {e}"))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn request_fixture(op: &str) -> Value {
    fixture(&format!("{op}.request.json"))
}

fn response_data(op: &str) -> Value {
    fixture(&format!("{op}.response.json"))["data"].clone()
}

/// Builds the request and checks method, path, query and body.
fn assert_request<E: Endpoint>(call: &E, method: Method, path: &str, body: Option<Value>) {
    let req = call.to_request().unwrap();
    assert_eq!(req.operation, E::OPERATION);
    assert_eq!(req.method, method);
    assert_eq!(req.path, path);
    assert_eq!(req.query, Vec::<(String, String)>::new());
    let sent = req
        .body
        .as_deref()
        .map(|b| serde_json::from_slice::<Value>(b).unwrap());
    assert_eq!(sent, body);
}

/// Decodes `data`, re-encodes it, and checks nothing was lost or added.
fn round_trip<O: Serialize + DeserializeOwned>(data: &Value) -> O {
    let out: O = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(&serde_json::to_value(&out).unwrap(), data);
    out
}

fn redirect_all(url: &str) -> ChatMenuRedirectLink {
    ChatMenuRedirectLink {
        common_url: Some(url.into()),
        ios_url: Some(url.into()),
        android_url: Some(url.into()),
        pc_url: Some(url.into()),
        web_url: Some(url.into()),
        ..Default::default()
    }
}

fn names(zh: &str, en: &str, ja: &str) -> I18nNames {
    I18nNames {
        zh_cn: Some(zh.into()),
        en_us: Some(en.into()),
        ja_jp: Some(ja.into()),
        ..Default::default()
    }
}

/// The `chat_menu_item` of the documented create and patch examples.
fn example_menu_item() -> ChatMenuItem {
    ChatMenuItem {
        action_type: Some(ChatMenuActionType::None),
        redirect_link: Some(redirect_all("https://open.feishu.cn/")),
        image_key: Some("img_v2_b0fbe905-7988-4282-b882-82edd010336j".into()),
        name: Some("群聊".into()),
        i18n_names: Some(names("评审报名", "Sign up", "サインアップ")),
        ..Default::default()
    }
}

fn example_tab(tab_id: Option<&str>) -> ChatTab {
    ChatTab {
        tab_id: tab_id.map(ChatTabId::from),
        tab_name: Some("文档".into()),
        tab_type: Some(ChatTabType::Doc),
        tab_content: Some(ChatTabContent {
            url: Some("https://www.feishu.cn".into()),
            doc: Some("https://example.feishu.cn/wiki/wikcnPIcqWjJQwkwDzrB9t40123xz".into()),
            meeting_minute: Some(
                "https://example.feishu.cn/docs/doccnvIXbV22i6hSD3utar4123dx".into(),
            ),
            task: Some(
                "https://bytedance.feishu.cn/client/todo/task_list?guid=fa03fb6d-344b-47d9-83e3-049e3b3da931"
                    .into(),
            ),
            ..Default::default()
        }),
        tab_config: Some(ChatTabConfig {
            icon_key: Some("img_v2_b99741-7628-4abd-aad0-b881e4db83ig".into()),
            is_built_in: Some(false),
            ..Default::default()
        }),
        ..Default::default()
    }
}

// ---------------------------------------------------------------- requests

#[test]
fn tab_create_request_matches_the_documented_example() {
    let call = CreateChatTabs::new(CHAT_ID, vec![example_tab(None)]);
    assert_request(
        &call,
        Method::Post,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/chat_tabs",
        Some(request_fixture("im.v1.chat.tab.create")),
    );
}

#[test]
fn tab_update_request_matches_the_documented_example() {
    let call = UpdateChatTabs::new(CHAT_ID, vec![example_tab(Some("7101214603622940671"))]);
    assert_request(
        &call,
        Method::Post,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/chat_tabs/update_tabs",
        Some(request_fixture("im.v1.chat.tab.update_tabs")),
    );
}

#[test]
fn tab_sort_request_matches_the_documented_example() {
    let call = SortChatTabs::new(CHAT_ID, ["6936075528890826780"]);
    assert_request(
        &call,
        Method::Post,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/chat_tabs/sort_tabs",
        Some(request_fixture("im.v1.chat.tab.sort_tabs")),
    );
}

#[test]
fn tab_list_request_has_no_body() {
    let call = ListChatTabs::new(CHAT_ID);
    assert_request(
        &call,
        Method::Get,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/chat_tabs/list_tabs",
        None,
    );
}

#[test]
fn tab_delete_request_is_a_delete_with_the_documented_body() {
    let call = DeleteChatTabs::new(CHAT_ID, ["6936075528890826780"]);
    assert_request(
        &call,
        Method::Delete,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/chat_tabs/delete_tabs",
        Some(request_fixture("im.v1.chat.tab.delete_tabs")),
    );
}

fn example_menu_tree() -> ChatMenuTree {
    ChatMenuTree::new(vec![ChatMenuTopLevel {
        chat_menu_item: Some(example_menu_item()),
        children: Some(vec![ChatMenuSecondLevel::new(example_menu_item())]),
        ..Default::default()
    }])
}

#[test]
fn menu_create_body_serializes_to_the_documented_example() {
    let call = CreateChatMenuTree::new(CHAT_ID, example_menu_tree());
    assert_eq!(
        serde_json::to_value(&call.body).unwrap(),
        request_fixture("im.v1.chat.menu_tree.create")
    );
}

#[test]
fn menu_create_documented_example_is_what_goes_on_the_wire() {
    // The page says a top-level menu with children shows no icon, yet its own
    // example sends one; the SDK leaves that rule to the server.
    let call = CreateChatMenuTree::new(CHAT_ID, example_menu_tree());
    assert_request(
        &call,
        Method::Post,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/menu_tree",
        Some(request_fixture("im.v1.chat.menu_tree.create")),
    );
}

#[test]
fn menu_get_request_has_no_body() {
    assert_request(
        &GetChatMenuTree::new(CHAT_ID),
        Method::Get,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/menu_tree",
        None,
    );
}

#[test]
fn menu_delete_request_is_a_delete_with_the_documented_body() {
    assert_request(
        &DeleteChatMenuTree::new(CHAT_ID, ["6936075528890826780"]),
        Method::Delete,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/menu_tree",
        Some(request_fixture("im.v1.chat.menu_tree.delete")),
    );
}

#[test]
fn menu_sort_request_matches_the_documented_example() {
    assert_request(
        &SortChatMenuTree::new(CHAT_ID, ["6936075528890826780"]),
        Method::Post,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/menu_tree/sort",
        Some(request_fixture("im.v1.chat.menu_tree.sort")),
    );
}

#[test]
fn menu_item_patch_request_matches_the_documented_example() {
    let call = PatchChatMenuItem::new(
        CHAT_ID,
        "7156553273518882844",
        vec![ChatMenuUpdateField::Icon],
        example_menu_item(),
    );
    assert_request(
        &call,
        Method::Patch,
        "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230/menu_items/7156553273518882844",
        Some(request_fixture("im.v1.chat.menu_item.patch")),
    );
}

#[test]
fn request_fixtures_decode_into_the_body_types_and_back() {
    use feishu_model::im::menu::{
        ChatMenuTopLevelIdsBody, CreateChatMenuTreeBody, PatchChatMenuItemBody,
    };
    use feishu_model::im::tab::{
        CreateChatTabsBody, DeleteChatTabsBody, SortChatTabsBody, UpdateChatTabsBody,
    };
    round_trip::<CreateChatTabsBody>(&request_fixture("im.v1.chat.tab.create"));
    round_trip::<UpdateChatTabsBody>(&request_fixture("im.v1.chat.tab.update_tabs"));
    round_trip::<SortChatTabsBody>(&request_fixture("im.v1.chat.tab.sort_tabs"));
    round_trip::<DeleteChatTabsBody>(&request_fixture("im.v1.chat.tab.delete_tabs"));
    round_trip::<CreateChatMenuTreeBody>(&request_fixture("im.v1.chat.menu_tree.create"));
    round_trip::<ChatMenuTopLevelIdsBody>(&request_fixture("im.v1.chat.menu_tree.delete"));
    round_trip::<ChatMenuTopLevelIdsBody>(&request_fixture("im.v1.chat.menu_tree.sort"));
    round_trip::<PatchChatMenuItemBody>(&request_fixture("im.v1.chat.menu_item.patch"));
}

// ---------------------------------------------------------------- metadata

type Meta = (
    &'static str,
    &'static [TokenKind],
    RateLimit,
    bool,
    &'static str,
);

fn meta<E: Endpoint>() -> Meta {
    (
        E::OPERATION,
        E::TOKENS,
        E::RATE_LIMIT,
        E::IDEMPOTENT,
        E::DOC,
    )
}

const BOTH: &[TokenKind] = &[TokenKind::Tenant, TokenKind::User];
const TENANT: &[TokenKind] = &[TokenKind::Tenant];

#[rstest]
#[case(meta::<CreateChatTabs>, "im.v1.chat.tab.create", BOTH, false, "chat-tab/create")]
#[case(meta::<UpdateChatTabs>, "im.v1.chat.tab.update_tabs", BOTH, true, "chat-tab/update_tabs")]
#[case(meta::<SortChatTabs>, "im.v1.chat.tab.sort_tabs", BOTH, true, "chat-tab/sort_tabs")]
#[case(meta::<ListChatTabs>, "im.v1.chat.tab.list_tabs", BOTH, true, "chat-tab/list_tabs")]
#[case(meta::<DeleteChatTabs>, "im.v1.chat.tab.delete_tabs", BOTH, true, "chat-tab/delete_tabs")]
#[case(meta::<CreateChatMenuTree>, "im.v1.chat.menu_tree.create", TENANT, false, "chat-menu_tree/create")]
#[case(meta::<GetChatMenuTree>, "im.v1.chat.menu_tree.get", TENANT, true, "chat-menu_tree/get")]
#[case(meta::<DeleteChatMenuTree>, "im.v1.chat.menu_tree.delete", TENANT, true, "chat-menu_tree/delete")]
#[case(meta::<SortChatMenuTree>, "im.v1.chat.menu_tree.sort", TENANT, true, "chat-menu_tree/sort")]
#[case(meta::<PatchChatMenuItem>, "im.v1.chat.menu_item.patch", TENANT, true, "chat-menu_item/patch")]
fn endpoint_metadata_follows_the_docs(
    #[case] meta: fn() -> Meta,
    #[case] operation: &str,
    #[case] tokens: &[TokenKind],
    #[case] idempotent: bool,
    #[case] doc: &str,
) {
    let (op, toks, rate, idem, url) = meta();
    assert_eq!(op, operation);
    assert_eq!(toks, tokens);
    assert_eq!(rate, RateLimit::GROUP);
    assert_eq!(idem, idempotent);
    assert_eq!(url, format!("{DOC_BASE}/{doc}"));
}

// ---------------------------------------------------------------- responses

fn assert_tab_typed(tab: &ChatTab) {
    assert!(tab.extra.is_empty(), "{:?}", tab.extra);
    if let Some(c) = &tab.tab_content {
        assert!(c.extra.is_empty(), "{:?}", c.extra);
    }
    if let Some(c) = &tab.tab_config {
        assert!(c.extra.is_empty(), "{:?}", c.extra);
    }
    let tab_type = tab.tab_type.as_ref().expect("every example tab has a type");
    assert!(tab_type.is_known(), "{tab_type}");
}

fn assert_menu_item_typed(item: &ChatMenuItem) {
    assert!(item.extra.is_empty(), "{:?}", item.extra);
    if let Some(link) = &item.redirect_link {
        assert!(link.extra.is_empty(), "{:?}", link.extra);
    }
    if let Some(names) = &item.i18n_names {
        assert!(names.extra.is_empty(), "{:?}", names.extra);
    }
    assert!(item.action_type.as_ref().unwrap().is_known());
}

fn assert_menu_tree_typed(tree: &ChatMenuTree) {
    assert!(tree.extra.is_empty(), "{:?}", tree.extra);
    let top = tree.chat_menu_top_levels.as_ref().unwrap();
    assert!(!top.is_empty());
    for level in top {
        assert!(level.extra.is_empty(), "{:?}", level.extra);
        assert!(level.chat_menu_top_level_id.is_some());
        assert_menu_item_typed(level.chat_menu_item.as_ref().unwrap());
        for child in level.children.iter().flatten() {
            assert!(child.extra.is_empty(), "{:?}", child.extra);
            assert!(child.chat_menu_second_level_id.is_some());
            assert_menu_item_typed(child.chat_menu_item.as_ref().unwrap());
        }
    }
}

#[rstest]
#[case("im.v1.chat.tab.create", 3)]
#[case("im.v1.chat.tab.update_tabs", 3)]
#[case("im.v1.chat.tab.sort_tabs", 6)]
#[case("im.v1.chat.tab.list_tabs", 2)]
#[case("im.v1.chat.tab.delete_tabs", 2)]
fn tab_responses_decode_with_every_field_typed(#[case] op: &str, #[case] tabs: usize) {
    let out: ChatTabsOutput = round_trip(&response_data(op));
    assert!(out.extra.is_empty(), "{:?}", out.extra);
    let list = out.chat_tabs.as_ref().unwrap();
    assert_eq!(list.len(), tabs);
    list.iter().for_each(assert_tab_typed);
    assert!(list.iter().all(|t| t.tab_id.is_some()));
    assert_eq!(list[0].tab_type, Some(ChatTabType::Message));
}

#[rstest]
#[case("im.v1.chat.menu_tree.create")]
#[case("im.v1.chat.menu_tree.get")]
#[case("im.v1.chat.menu_tree.delete")]
#[case("im.v1.chat.menu_tree.sort")]
fn menu_tree_responses_decode_with_every_field_typed(#[case] op: &str) {
    let out: ChatMenuTreeOutput = round_trip(&response_data(op));
    assert!(out.extra.is_empty(), "{:?}", out.extra);
    let tree = out.menu_tree.as_ref().unwrap();
    assert_menu_tree_typed(tree);
    let top = &tree.chat_menu_top_levels.as_ref().unwrap()[0];
    assert_eq!(
        top.chat_menu_top_level_id,
        Some(ChatMenuId::from("7117116451961487361"))
    );
    let child = &top.children.as_ref().unwrap()[0];
    assert_eq!(
        child.chat_menu_item.as_ref().unwrap().action_type,
        Some(ChatMenuActionType::RedirectLink)
    );
}

#[test]
fn menu_item_patch_response_decodes_with_every_field_typed() {
    let out: ChatMenuItemOutput = round_trip(&response_data("im.v1.chat.menu_item.patch"));
    assert!(out.extra.is_empty(), "{:?}", out.extra);
    let item = out.chat_menu_item.as_ref().unwrap();
    assert_menu_item_typed(item);
    assert_eq!(item.name.as_deref(), Some("报名"));
}

#[test]
fn whole_response_examples_decode_as_envelopes() {
    let env: Envelope<ChatTabsOutput> =
        serde_json::from_value(fixture("im.v1.chat.tab.sort_tabs.response.json")).unwrap();
    assert_eq!(env.code, 0);
    assert_eq!(env.data.unwrap().chat_tabs.unwrap().len(), 6);
    let env: Envelope<ChatMenuTreeOutput> =
        serde_json::from_value(fixture("im.v1.chat.menu_tree.get.response.json")).unwrap();
    assert_eq!(env.code, 0);
    assert!(env.data.unwrap().menu_tree.is_some());
}

#[test]
fn undocumented_fields_survive_at_every_level() {
    let data = json!({
        "chat_tabs": [{"tab_id": "1", "tab_type": "whiteboard", "tab_content": {"board": "b"}, "new": 1}],
        "total": 1
    });
    let out: ChatTabsOutput = round_trip(&data);
    assert_eq!(out.extra.get("total"), Some(&json!(1)));
    let tab = &out.chat_tabs.as_ref().unwrap()[0];
    assert_eq!(tab.tab_type, Some(ChatTabType::from("whiteboard")));
    assert!(!tab.tab_type.as_ref().unwrap().is_known());
    assert_eq!(tab.extra.get("new"), Some(&json!(1)));

    let data = json!({"menu_tree": {"chat_menu_top_levels": [{
        "chat_menu_item": {"action_type": "MINI_PROGRAM", "redirect_link": {"harmony_url": "h"}},
        "children": [{"chat_menu_item": {"name": "x"}, "badge": true}]
    }]}});
    let out: ChatMenuTreeOutput = round_trip(&data);
    let top = &out.menu_tree.unwrap().chat_menu_top_levels.unwrap()[0];
    let item = top.chat_menu_item.as_ref().unwrap();
    assert_eq!(item.action_type.as_ref().unwrap().as_str(), "MINI_PROGRAM");
    assert!(item
        .redirect_link
        .as_ref()
        .unwrap()
        .extra
        .get("harmony_url")
        .is_some());
    assert!(top.children.as_ref().unwrap()[0]
        .extra
        .get("badge")
        .is_some());
}

// ---------------------------------------------------------------- tab rules

fn create_tab_error(tab: ChatTab) -> String {
    CreateChatTabs::new(CHAT_ID, vec![tab])
        .to_request()
        .unwrap_err()
        .field
}

#[test]
fn tab_create_needs_one_to_twenty_tabs() {
    let none = CreateChatTabs::new(CHAT_ID, vec![]);
    assert_eq!(none.to_request().unwrap_err().field, "chat_tabs");
    let tabs = vec![ChatTab::url("t", "https://a.example"); 21];
    let many = CreateChatTabs::new(CHAT_ID, tabs.clone());
    assert_eq!(many.to_request().unwrap_err().field, "chat_tabs");
    assert!(CreateChatTabs::new(CHAT_ID, tabs[..20].to_vec())
        .to_request()
        .is_ok());
}

#[test]
fn tab_type_is_required() {
    let tab = ChatTab {
        tab_type: None,
        ..ChatTab::url("t", "https://a.example")
    };
    assert_eq!(create_tab_error(tab), "tab_type");
}

#[rstest]
#[case(ChatTabType::Message)]
#[case(ChatTabType::DocList)]
#[case(ChatTabType::Pin)]
#[case(ChatTabType::MeetingMinute)]
#[case(ChatTabType::ChatAnnouncement)]
#[case(ChatTabType::File)]
#[case(ChatTabType::FilesResources)]
#[case(ChatTabType::ImagesVideos)]
#[case(ChatTabType::Task)]
fn only_doc_and_url_tabs_can_be_written(#[case] tab_type: ChatTabType) {
    assert!(!tab_type.is_writable());
    assert_eq!(create_tab_error(ChatTab::new(tab_type.clone())), "tab_type");
    let update = UpdateChatTabs::new(CHAT_ID, vec![ChatTab::new(tab_type)]);
    assert_eq!(update.to_request().unwrap_err().field, "tab_type");
}

#[test]
fn unknown_tab_types_are_let_through() {
    let tab = ChatTab::new(ChatTabType::from("whiteboard"));
    assert!(CreateChatTabs::new(CHAT_ID, vec![tab]).to_request().is_ok());
}

#[test]
fn tab_name_is_at_most_sixty_characters() {
    assert!(
        CreateChatTabs::new(CHAT_ID, vec![ChatTab::url("文".repeat(60), "https://a")])
            .to_request()
            .is_ok()
    );
    assert_eq!(
        create_tab_error(ChatTab::url("文".repeat(61), "https://a")),
        "tab_name"
    );
}

#[test]
fn url_and_doc_tabs_need_their_link() {
    let url = ChatTab {
        tab_content: None,
        ..ChatTab::url("t", "https://a")
    };
    assert_eq!(create_tab_error(url), "url");
    let doc = ChatTab {
        tab_content: Some(ChatTabContent {
            doc: Some(String::new()),
            ..Default::default()
        }),
        ..ChatTab::new(ChatTabType::Doc)
    };
    assert_eq!(create_tab_error(doc), "doc");
}

#[test]
fn tab_links_must_be_http_or_https() {
    assert_eq!(
        create_tab_error(ChatTab::url("t", "ftp://a.example")),
        "url"
    );
    assert_eq!(create_tab_error(ChatTab::doc("t", "www.feishu.cn")), "doc");
    let update = UpdateChatTabs::new(CHAT_ID, vec![ChatTab::doc("t", "feishu.cn/docx/x")]);
    assert_eq!(update.to_request().unwrap_err().field, "doc");
    assert!(
        CreateChatTabs::new(CHAT_ID, vec![ChatTab::url("t", "http://a.example")])
            .to_request()
            .is_ok()
    );
}

#[test]
fn tab_update_without_tabs_is_allowed() {
    let mut call = UpdateChatTabs::new(CHAT_ID, vec![]);
    call.body.chat_tabs = None;
    assert_eq!(call.to_request().unwrap().body.unwrap(), b"{}".to_vec());
}

#[test]
fn tab_delete_needs_tab_ids() {
    let call = DeleteChatTabs::new(CHAT_ID, Vec::<ChatTabId>::new());
    assert_eq!(call.to_request().unwrap_err().field, "tab_ids");
}

#[test]
fn chat_id_is_required() {
    assert_eq!(
        ListChatTabs::new("").to_request().unwrap_err().field,
        "chat_id"
    );
    assert_eq!(
        GetChatMenuTree::new("").to_request().unwrap_err().field,
        "chat_id"
    );
}

// ---------------------------------------------------------------- menu rules

fn create_menu_error(top: Vec<ChatMenuTopLevel>) -> String {
    CreateChatMenuTree::new(CHAT_ID, ChatMenuTree::new(top))
        .to_request()
        .unwrap_err()
        .field
}

fn link_menu(name: &str) -> ChatMenuItem {
    ChatMenuItem::redirect(name, "https://open.feishu.cn/")
}

#[test]
fn menu_create_needs_one_to_three_top_level_menus() {
    let missing = CreateChatMenuTree::new(CHAT_ID, ChatMenuTree::default());
    assert_eq!(
        missing.to_request().unwrap_err().field,
        "chat_menu_top_levels"
    );
    assert_eq!(create_menu_error(vec![]), "chat_menu_top_levels");
    let four = vec![ChatMenuTopLevel::new(link_menu("a")); 4];
    assert_eq!(create_menu_error(four.clone()), "chat_menu_top_levels");
    assert!(
        CreateChatMenuTree::new(CHAT_ID, ChatMenuTree::new(four[..3].to_vec()))
            .to_request()
            .is_ok()
    );
}

#[test]
fn top_level_menu_needs_an_item_an_action_and_a_name() {
    assert_eq!(
        create_menu_error(vec![ChatMenuTopLevel::default()]),
        "chat_menu_item"
    );
    let no_action = ChatMenuItem {
        action_type: None,
        ..link_menu("a")
    };
    assert_eq!(
        create_menu_error(vec![ChatMenuTopLevel::new(no_action)]),
        "action_type"
    );
    let no_name = ChatMenuItem {
        name: None,
        ..link_menu("a")
    };
    assert_eq!(
        create_menu_error(vec![ChatMenuTopLevel::new(no_name)]),
        "name"
    );
}

#[rstest]
#[case(String::new())]
#[case("菜".repeat(121))]
fn menu_names_are_one_to_120_characters(#[case] name: String) {
    assert_eq!(
        create_menu_error(vec![ChatMenuTopLevel::new(link_menu(&name))]),
        "name"
    );
    let child =
        ChatMenuTopLevel::with_children("top", vec![ChatMenuSecondLevel::new(link_menu(&name))]);
    assert_eq!(create_menu_error(vec![child]), "name");
    let patch = PatchChatMenuItem::new(
        CHAT_ID,
        "1",
        vec![ChatMenuUpdateField::Name],
        link_menu(&name),
    );
    assert_eq!(patch.to_request().unwrap_err().field, "name");
}

#[test]
fn a_120_character_menu_name_is_fine() {
    let top = ChatMenuTopLevel::new(link_menu(&"菜".repeat(120)));
    assert!(
        CreateChatMenuTree::new(CHAT_ID, ChatMenuTree::new(vec![top]))
            .to_request()
            .is_ok()
    );
}

#[rstest]
#[case(names(&"菜".repeat(121), "a", "a"), "zh_cn")]
#[case(names("a", "", "a"), "en_us")]
#[case(names("a", "a", &"メ".repeat(121)), "ja_jp")]
fn localized_menu_names_are_one_to_120_characters(#[case] i18n: I18nNames, #[case] field: &str) {
    let item = ChatMenuItem {
        i18n_names: Some(i18n),
        ..link_menu("a")
    };
    assert_eq!(
        create_menu_error(vec![ChatMenuTopLevel::new(item.clone())]),
        field
    );
    let patch = PatchChatMenuItem::new(CHAT_ID, "1", vec![ChatMenuUpdateField::I18nName], item);
    assert_eq!(patch.to_request().unwrap_err().field, field);
}

#[test]
fn a_top_level_menu_holds_at_most_five_children() {
    let children = vec![ChatMenuSecondLevel::new(link_menu("c")); 6];
    let top = ChatMenuTopLevel::with_children("top", children.clone());
    assert_eq!(create_menu_error(vec![top]), "children");
    let top = ChatMenuTopLevel::with_children("top", children[..5].to_vec());
    assert!(
        CreateChatMenuTree::new(CHAT_ID, ChatMenuTree::new(vec![top]))
            .to_request()
            .is_ok()
    );
}

#[test]
fn a_top_level_menu_with_children_is_none() {
    let children = vec![ChatMenuSecondLevel::new(link_menu("c"))];
    let redirect = ChatMenuTopLevel {
        children: Some(children.clone()),
        ..ChatMenuTopLevel::new(link_menu("top"))
    };
    assert_eq!(create_menu_error(vec![redirect]), "action_type");

    // Without children, a top-level menu may have an icon.
    let mut alone = ChatMenuTopLevel::new(link_menu("top"));
    alone.chat_menu_item.as_mut().unwrap().image_key = Some("img_v2_x".into());
    assert!(
        CreateChatMenuTree::new(CHAT_ID, ChatMenuTree::new(vec![alone]))
            .to_request()
            .is_ok()
    );
}

#[test]
fn a_redirect_menu_needs_its_link_when_created() {
    let bare = ChatMenuItem {
        redirect_link: None,
        ..link_menu("a")
    };
    assert_eq!(
        create_menu_error(vec![ChatMenuTopLevel::new(bare.clone())]),
        "redirect_link"
    );
    let child =
        ChatMenuTopLevel::with_children("top", vec![ChatMenuSecondLevel::new(bare.clone())]);
    assert_eq!(create_menu_error(vec![child]), "redirect_link");
    // A patch of the name alone need not repeat the link.
    let patch = PatchChatMenuItem::new(CHAT_ID, "1", vec![ChatMenuUpdateField::Name], bare);
    assert!(patch.to_request().is_ok());
}

#[rstest]
#[case("common_url")]
#[case("ios_url")]
#[case("android_url")]
#[case("pc_url")]
#[case("web_url")]
fn menu_links_must_be_http_or_https(#[case] field: &str) {
    let mut link = redirect_all("https://open.feishu.cn/");
    let bad = Some("open.feishu.cn".to_owned());
    match field {
        "common_url" => link.common_url = bad,
        "ios_url" => link.ios_url = bad,
        "android_url" => link.android_url = bad,
        "pc_url" => link.pc_url = bad,
        _ => link.web_url = bad,
    }
    let item = ChatMenuItem {
        redirect_link: Some(link),
        ..link_menu("a")
    };
    assert_eq!(
        create_menu_error(vec![ChatMenuTopLevel::new(item.clone())]),
        field
    );
    let patch = PatchChatMenuItem::new(CHAT_ID, "1", vec![ChatMenuUpdateField::RedirectLink], item);
    assert_eq!(patch.to_request().unwrap_err().field, field);
}

#[test]
fn menu_delete_and_sort_need_ids() {
    let none = Vec::<ChatMenuId>::new();
    assert_eq!(
        DeleteChatMenuTree::new(CHAT_ID, none.clone())
            .to_request()
            .unwrap_err()
            .field,
        "chat_menu_top_level_ids"
    );
    assert_eq!(
        SortChatMenuTree::new(CHAT_ID, none)
            .to_request()
            .unwrap_err()
            .field,
        "chat_menu_top_level_ids"
    );
}

#[test]
fn menu_patch_needs_update_fields_and_a_menu_id() {
    let patch = PatchChatMenuItem::new(CHAT_ID, "1", vec![], link_menu("a"));
    assert_eq!(patch.to_request().unwrap_err().field, "update_fields");
    let patch =
        PatchChatMenuItem::new(CHAT_ID, "", vec![ChatMenuUpdateField::Icon], link_menu("a"));
    assert_eq!(patch.to_request().unwrap_err().field, "menu_item_id");
    let patch = PatchChatMenuItem::new("", "1", vec![ChatMenuUpdateField::Icon], link_menu("a"));
    assert_eq!(patch.to_request().unwrap_err().field, "chat_id");
}

#[test]
fn menu_item_path_is_percent_encoded() {
    let patch = PatchChatMenuItem::new(
        "oc_a/b",
        "1 2",
        vec![ChatMenuUpdateField::Icon],
        link_menu("a"),
    );
    assert_eq!(
        patch.to_request().unwrap().path,
        "/open-apis/im/v1/chats/oc_a%2Fb/menu_items/1%202"
    );
}

#[test]
fn enums_list_the_documented_values() {
    let tab: Vec<&str> = ChatTabType::KNOWN.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        tab,
        [
            "message",
            "doc_list",
            "doc",
            "pin",
            "meeting_minute",
            "chat_announcement",
            "url",
            "file",
            "files_resources",
            "images_videos",
            "task"
        ]
    );
    let action: Vec<&str> = ChatMenuActionType::KNOWN
        .iter()
        .map(|t| t.as_str())
        .collect();
    assert_eq!(action, ["NONE", "REDIRECT_LINK"]);
    let fields: Vec<&str> = ChatMenuUpdateField::KNOWN
        .iter()
        .map(|t| t.as_str())
        .collect();
    assert_eq!(fields, ["ICON", "NAME", "I18N_NAME", "REDIRECT_LINK"]);
}

// ---------------------------------------------------------------- properties

/// Field names these types document, so random objects reach nested types.
const KEYS: &[&str] = &[
    "chat_tabs",
    "tab_id",
    "tab_name",
    "tab_type",
    "tab_content",
    "tab_config",
    "url",
    "doc",
    "meeting_minute",
    "task",
    "icon_key",
    "is_built_in",
    "menu_tree",
    "chat_menu_top_levels",
    "chat_menu_top_level_id",
    "chat_menu_second_level_id",
    "chat_menu_item",
    "children",
    "action_type",
    "redirect_link",
    "common_url",
    "ios_url",
    "pc_url",
    "image_key",
    "name",
    "i18n_names",
    "zh_cn",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(KEYS).prop_map(str::to_owned),
        "[a-z_]{1,8}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,8}".prop_map(Value::from),
        prop::sample::select(&["doc", "url", "NONE", "REDIRECT_LINK"][..]).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(key(), json_value(), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// Decoding never panics; whatever decodes re-encodes to something that
/// decodes to the same value.
fn decodes_stably<O>(value: &Value) -> Result<(), TestCaseError>
where
    O: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    if let Ok(out) = serde_json::from_value::<O>(value.clone()) {
        let again: O = serde_json::from_value(serde_json::to_value(&out).unwrap()).unwrap();
        prop_assert_eq!(again, out);
    }
    Ok(())
}

fn string_round_trips<E>(s: &str) -> Result<(), TestCaseError>
where
    E: Serialize + DeserializeOwned,
{
    let json = serde_json::to_string(s).unwrap();
    let decoded: E = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn outputs_decode_arbitrary_objects(value in json_object()) {
        decodes_stably::<ChatTabsOutput>(&value)?;
        decodes_stably::<ChatMenuTreeOutput>(&value)?;
        decodes_stably::<ChatMenuItemOutput>(&value)?;
    }

    #[test]
    fn outputs_decode_arbitrary_nested_objects(inner in json_object()) {
        let tabs = json!({"chat_tabs": [inner.clone()]});
        decodes_stably::<ChatTabsOutput>(&tabs)?;
        let tree = json!({"menu_tree": {"chat_menu_top_levels": [inner.clone()]}});
        decodes_stably::<ChatMenuTreeOutput>(&tree)?;
        let item = json!({"chat_menu_item": inner});
        decodes_stably::<ChatMenuItemOutput>(&item)?;
    }

    #[test]
    fn enums_round_trip_any_string(s in ".*") {
        string_round_trips::<ChatTabType>(&s)?;
        string_round_trips::<ChatMenuActionType>(&s)?;
        string_round_trips::<ChatMenuUpdateField>(&s)?;
        prop_assert_eq!(ChatTabType::from(s.as_str()).to_string(), s.clone());
        prop_assert_eq!(ChatMenuActionType::from(s.as_str()).to_string(), s.clone());
        prop_assert_eq!(ChatMenuUpdateField::from(s.as_str()).to_string(), s.clone());
    }
}
