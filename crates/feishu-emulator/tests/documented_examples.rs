//! Server mode accepts every documented example request of the group and
//! aPaaS chat_group endpoints, through the SDK pipeline (reqwest against the
//! server URL), and answers the documented shape: every key of the documented
//! response is present, and the body decodes into the typed output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::{self, Endpoint};
use feishu_emulator::feishu_transport::Client;
use serde_json::{json, Value};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../feishu-model/tests/fixtures"
);

fn fixture(name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

/// One documented example: path and query values from the page's parameter
/// tables, body from the page's request example.
struct Case {
    op: &'static str,
    path: Value,
    query: Value,
    /// Paths (`a.b`) whose documented non-empty list may legitimately be
    /// empty here (the example removes the last item).
    may_be_empty: &'static [&'static str],
}

fn case(op: &'static str, path: Value, query: Value) -> Case {
    Case {
        op,
        path,
        query,
        may_be_empty: &[],
    }
}

fn chat(id: &str) -> Value {
    json!({ "chat_id": id })
}

/// The documented examples. Deviations from the pages, all forced by the
/// pages themselves: `page_token` examples are tokens of the real server and
/// are left out (tokens are opaque); the member/owner id `4d7a3c6g` is a
/// `user_id`, so it is sent with `user_id`/`member_id_type=user_id` (the
/// pages pair it with `open_id`); the moderation page swaps the examples of
/// `page_size` and `page_token`, so `page_size` is 10.
fn cases() -> Vec<Case> {
    let main = || chat(MAIN_CHAT);
    let notice = || chat(ANNOUNCEMENT_CHAT);
    let open_id = || json!({ "user_id_type": "open_id" });
    let user_id = || json!({ "user_id_type": "user_id" });
    vec![
        case(
            "im.v1.chat.create",
            json!({}),
            json!({"user_id_type": "open_id", "set_bot_manager": "false",
                   "uuid": "b13g2t38-1jd2-458b-8djf-dtbca5104204"}),
        ),
        case("im.v1.chat.delete", main(), json!({})),
        case("im.v1.chat.update", main(), user_id()),
        case("im.v1.chat.get", main(), open_id()),
        case(
            "im.v1.chat.list",
            json!({}),
            json!({"user_id_type": "open_id", "sort_type": "ByCreateTimeAsc", "page_size": "10"}),
        ),
        case(
            "im.v1.chat.search",
            json!({}),
            json!({"user_id_type": "open_id", "query": "abc", "page_size": "10"}),
        ),
        case("im.v1.chat.link", main(), json!({})),
        case(
            "im.v1.chat.moderation.get",
            main(),
            json!({"user_id_type": "open_id", "page_size": "10"}),
        ),
        case("im.v1.chat.moderation.update", main(), user_id()),
        case("im.v1.chat.top_notice.put_top_notice", notice(), json!({})),
        case(
            "im.v1.chat.top_notice.delete_top_notice",
            notice(),
            json!({}),
        ),
        case(
            "im.v1.chat.members.create",
            main(),
            json!({"member_id_type": "user_id", "succeed_type": "0"}),
        ),
        case(
            "im.v1.chat.members.delete",
            main(),
            json!({"member_id_type": "user_id"}),
        ),
        case("im.v1.chat.members.me_join", main(), json!({})),
        case(
            "im.v1.chat.members.get",
            main(),
            json!({"member_id_type": "open_id", "page_size": "20"}),
        ),
        case("im.v1.chat.members.is_in_chat", main(), json!({})),
        case(
            "im.v1.chat.managers.add_managers",
            main(),
            json!({"member_id_type": "open_id"}),
        ),
        case(
            "im.v1.chat.managers.delete_managers",
            main(),
            json!({"member_id_type": "open_id"}),
        ),
        case("im.v1.chat.announcement.get", notice(), open_id()),
        case("im.v1.chat.announcement.patch", notice(), json!({})),
        case("im.v1.chat.tab.create", main(), json!({})),
        case("im.v1.chat.tab.update_tabs", main(), json!({})),
        case("im.v1.chat.tab.sort_tabs", main(), json!({})),
        case("im.v1.chat.tab.list_tabs", main(), json!({})),
        case("im.v1.chat.tab.delete_tabs", main(), json!({})),
        case("im.v1.chat.menu_tree.create", main(), json!({})),
        case("im.v1.chat.menu_tree.get", main(), json!({})),
        Case {
            may_be_empty: &["menu_tree.chat_menu_top_levels"],
            ..case("im.v1.chat.menu_tree.delete", main(), json!({}))
        },
        case("im.v1.chat.menu_tree.sort", main(), json!({})),
        case(
            "im.v1.chat.menu_item.patch",
            json!({"chat_id": MAIN_CHAT, "menu_item_id": "7156553273518882844"}),
            json!({}),
        ),
        case(
            "apaas.v1.user_task.chat_group",
            json!({"task_id": "1234"}),
            json!({}),
        ),
    ]
}

/// Builds endpoint `E` from the example's parts and calls it through the SDK.
async fn exec<E>(
    client: &Client,
    path: &Value,
    query: &Value,
    body: &Value,
) -> Result<Value, String>
where
    E: Endpoint + Send + Sync,
{
    let path: E::Path = serde_json::from_value(path.clone()).map_err(|e| format!("path: {e}"))?;
    let query: E::Query =
        serde_json::from_value(query.clone()).map_err(|e| format!("query: {e}"))?;
    let body: E::Body = serde_json::from_value(body.clone()).map_err(|e| format!("body: {e}"))?;
    let endpoint = E::from_parts(path, query, body);
    let output = client
        .call(endpoint)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    serde_json::to_value(output).map_err(|e| e.to_string())
}

macro_rules! dispatch {
    ($($ty:path),* $(,)?) => {
        async fn run(op: &str, client: &Client, path: &Value, query: &Value, body: &Value)
            -> Result<Value, String>
        {
            $(if op == <$ty as Endpoint>::OPERATION {
                return exec::<$ty>(client, path, query, body).await;
            })*
            Err(format!("no endpoint type for {op}"))
        }
    };
}
feishu_model::for_each_endpoint!(dispatch);

/// Every key of the documented `doc` is in `got`, recursively; a documented
/// non-empty list of objects must be non-empty (its first items compared).
fn shape(doc: &Value, got: &Value, at: &str, may_be_empty: &[&str], problems: &mut Vec<String>) {
    match (doc, got) {
        (Value::Object(d), Value::Object(g)) => {
            for (key, value) in d {
                let here = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match g.get(key) {
                    Some(v) => shape(value, v, &here, may_be_empty, problems),
                    None => problems.push(format!("missing `{here}`")),
                }
            }
        }
        (Value::Array(d), Value::Array(g)) => match (d.first(), g.first()) {
            (Some(first @ Value::Object(_)), Some(got)) => {
                shape(first, got, &format!("{at}[0]"), may_be_empty, problems)
            }
            (Some(Value::Object(_)), None) if !may_be_empty.contains(&at) => problems.push(
                format!("`{at}` is empty; the documented example lists items"),
            ),
            _ => {}
        },
        (Value::Object(_) | Value::Array(_), other) => {
            problems.push(format!("`{at}` has the wrong type: {other}"))
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_example_is_accepted_with_the_documented_shape() {
    let cases = cases();
    let expected: Vec<&str> = feishu_model::registry::ENDPOINTS
        .iter()
        .map(|e| e.operation)
        .filter(|op| op.starts_with("im.v1.chat.") || *op == "apaas.v1.user_task.chat_group")
        .collect();
    assert_eq!(
        expected.len(),
        31,
        "30 im group endpoints and aPaaS chat_group"
    );
    for op in &expected {
        assert!(
            cases.iter().any(|c| c.op == *op),
            "no example case for {op}"
        );
    }

    let mut failures = Vec::new();
    for case in &cases {
        let (_emulator, server) = serve(None).await;
        let client = http_client(&server.url(), BOT, BOT_SECRET).build().unwrap();
        // The pages' malformed ids stand for the fixture's well-formed ones.
        let body = fixture(&format!("{}.request.json", case.op)).unwrap_or_else(|| json!({}));
        let body = feishu_emulator::documented_json_to_fixture(&body);
        let documented = fixture(&format!("{}.response.json", case.op))
            .unwrap_or_else(|| panic!("no documented response for {}", case.op));
        let documented = documented.get("data").cloned().unwrap_or_else(|| json!({}));
        match run(case.op, &client, &case.path, &case.query, &body).await {
            Ok(got) => {
                let mut problems = Vec::new();
                shape(&documented, &got, "", case.may_be_empty, &mut problems);
                if !problems.is_empty() {
                    failures.push(format!("{}: {}\n  got {got}", case.op, problems.join("; ")));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", case.op)),
        }
        server.stop().await.unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_shape_check_can_fail() {
    let mut problems = Vec::new();
    shape(
        &json!({"items": [{"chat_id": "x", "name": "y"}], "has_more": true}),
        &json!({"items": [{"chat_id": "x"}]}),
        "",
        &[],
        &mut problems,
    );
    problems.sort();
    assert_eq!(
        problems,
        vec!["missing `has_more`", "missing `items[0].name`"]
    );
    problems.clear();
    shape(
        &json!({"items": [{"a": 1}]}),
        &json!({"items": []}),
        "",
        &[],
        &mut problems,
    );
    assert_eq!(problems.len(), 1);
}
