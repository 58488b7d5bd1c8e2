//! The emulator never panics on malformed input: arbitrary methods, paths,
//! queries, headers and bodies each get a well-formed, documented-style answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use feishu_emulator::feishu_model::registry::ENDPOINTS;
use feishu_emulator::{Clock, Emulator, EmulatorRequest};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../feishu-model/tests/fixtures"
);

#[derive(Debug, Clone)]
struct Input {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    auth: Option<String>,
    body: Vec<u8>,
}

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec!["GET", "POST", "PUT", "PATCH", "DELETE"]).prop_map(String::from),
        1 => prop::sample::select(vec!["HEAD", "OPTIONS", "TRACE", "get"]).prop_map(String::from),
        1 => "[A-Z]{1,10}",
    ]
}

fn param() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(MAIN_CHAT.to_owned()),
        1 => Just(ANNOUNCEMENT_CHAT.to_owned()),
        1 => Just(PUBLIC_CHAT.to_owned()),
        2 => Just("7156553273518882844".to_owned()),
        1 => Just("1234".to_owned()),
        1 => "[a-z0-9_]{0,12}",
        1 => ".{0,12}".prop_map(|s| utf8_percent_encode(&s, NON_ALPHANUMERIC).to_string()),
        1 => Just("%FF%FE".to_owned()),
        1 => Just("%".to_owned()),
    ]
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "open-apis",
            "im",
            "v1",
            "chats",
            "members",
            "me_join",
            "is_in_chat",
            "managers",
            "add_managers",
            "moderation",
            "top_notice",
            "put_top_notice",
            "announcement",
            "chat_tabs",
            "list_tabs",
            "menu_tree",
            "menu_items",
            "sort",
            "search",
            "link",
            "auth",
            "v3",
            "tenant_access_token",
            "internal",
            "apaas",
            "user_tasks",
            "chat_group",
            "",
        ])
        .prop_map(String::from),
        param(),
    ]
}

/// An endpoint's path with arbitrary parameters.
fn endpoint_path(template: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(param(), 2).prop_map(move |values| {
        let mut values = values.into_iter().cycle();
        template
            .split('/')
            .map(|s| {
                if s.starts_with(':') {
                    values.next().unwrap_or_default()
                } else {
                    s.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    })
}

/// Method and path: mostly a real endpoint's, sometimes anything.
fn target() -> impl Strategy<Value = (String, String)> {
    let endpoints: Vec<(&'static str, &'static str)> = ENDPOINTS
        .iter()
        .map(|e| (e.method.as_str(), e.path))
        .collect();
    prop_oneof![
        6 => prop::sample::select(endpoints.clone())
            .prop_flat_map(|(m, p)| (Just(m.to_owned()), endpoint_path(p))),
        1 => (method(), prop::sample::select(endpoints).prop_flat_map(|(_, p)| endpoint_path(p))),
        1 => (method(), prop::collection::vec(segment(), 0..8).prop_map(|s| format!("/{}", s.join("/")))),
        1 => (method(), ".{0,40}"),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,16}".prop_map(Value::from),
        prop::sample::select(vec![
            "open_id", "user_id", "app_id", "0", "1", "2", "public", "NONE"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The documented request bodies, some fields replaced by arbitrary values.
fn near_valid_body() -> impl Strategy<Value = Vec<u8>> {
    let bodies: Vec<Value> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".request.json"))
        .map(|e| serde_json::from_str(&std::fs::read_to_string(e.path()).unwrap()).unwrap())
        .collect();
    (
        prop::sample::select(bodies),
        "[a-z_]{1,14}",
        json(),
        any::<bool>(),
    )
        .prop_map(|(mut body, key, value, replace_existing)| {
            if let Value::Object(map) = &mut body {
                let key = if replace_existing {
                    map.keys().next().cloned().unwrap_or(key)
                } else {
                    key
                };
                map.insert(key, value);
            }
            serde_json::to_vec(&body).unwrap()
        })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => Just(Vec::new()),
        2 => prop::collection::vec(any::<u8>(), 0..64),
        3 => json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        4 => near_valid_body(),
    ]
}

fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "user_id_type",
            "member_id_type",
            "page_size",
            "page_token",
            "succeed_type",
            "uuid",
            "set_bot_manager",
            "sort_type",
            "query",
        ])
        .prop_map(String::from),
        "[a-z_]{1,10}",
    ];
    let value = prop_oneof![
        prop::sample::select(vec![
            "open_id", "user_id", "app_id", "0", "1", "2", "-1", "100", "101", "true", "x"
        ])
        .prop_map(String::from),
        ".{0,12}",
    ];
    prop::collection::vec((key, value), 0..4)
}

fn input(token: String) -> impl Strategy<Value = Input> {
    let auth = prop_oneof![
        1 => Just(None),
        3 => Just(Some(format!("Bearer {token}"))),
        1 => ".{0,20}".prop_map(Some),
        1 => Just(Some(format!("Bearer {LI_SI_USER_TOKEN}"))),
    ];
    (target(), query(), auth, body()).prop_map(|((method, path), query, auth, body)| Input {
        method,
        path,
        query,
        auth,
        body,
    })
}

/// The answer is a documented-style JSON body: `code` and `msg`, 0 exactly
/// on HTTP 200, an `error` object with the log id otherwise.
fn check(status: u16, log_id: Option<&str>, body: &[u8]) -> Result<(), TestCaseError> {
    let json: Value = serde_json::from_slice(body).map_err(|e| {
        TestCaseError::fail(format!("not JSON ({e}): {}", String::from_utf8_lossy(body)))
    })?;
    let code = json["code"].as_i64();
    prop_assert!(code.is_some(), "no integer code: {json}");
    prop_assert!(json["msg"].is_string(), "no msg: {json}");
    prop_assert!(log_id.is_some(), "no x-tt-logid");
    prop_assert!(
        [200, 400, 404, 405, 429, 501].contains(&status),
        "status {status}: {json}"
    );
    if status == 200 {
        prop_assert_eq!(code, Some(0));
    } else {
        prop_assert_ne!(code, Some(0));
        prop_assert_eq!(json["error"]["logid"].as_str(), log_id);
    }
    Ok(())
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn fresh() -> (Emulator, String) {
    let emulator = Emulator::builder()
        .clock(Clock::manual(1_700_000_000_000))
        .build()
        .unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    (emulator, token)
}

#[test]
fn in_process_never_panics_and_always_answers_json() {
    // Ids are deterministic: every fresh emulator issues the same first token.
    let (emulator, token) = fresh();
    let current = std::cell::RefCell::new((emulator, 0u32));
    runner(1500)
        .run(&input(token.clone()), |input| {
            let mut state = current.borrow_mut();
            state.1 += 1;
            if state.1 % 100 == 0 {
                // Start over now and then: a random DELETE may have disbanded the chats.
                let (emulator, again) = fresh();
                prop_assert_eq!(&again, &token);
                state.0 = emulator;
            }
            let emulator = &state.0;
            // A second passes per case: rate-limit windows stay open.
            emulator.advance(Duration::from_secs(1));
            let response = emulator.handle(&EmulatorRequest {
                method: input.method,
                path: input.path,
                query: input.query,
                headers: input
                    .auth
                    .map(|a| ("authorization".to_owned(), a))
                    .into_iter()
                    .collect(),
                body: input.body.into(),
            });
            check(
                response.status().as_u16(),
                feishu_emulator::feishu_transport::header_str(response.headers(), "x-tt-logid"),
                response.body(),
            )
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_http_never_panics_and_always_answers_json() {
    let (emulator, server) = serve(None).await;
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let base = server.url();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let handle = tokio::runtime::Handle::current();
    let result = tokio::task::spawn_blocking(move || {
        runner(200)
            .run(&input(token), |input| {
                let Ok(method) = reqwest::Method::from_bytes(input.method.as_bytes()) else {
                    return Ok(());
                };
                let mut url = format!("{base}{}", input.path);
                if !input.query.is_empty() {
                    url.push('?');
                    url.push_str(
                        &url::form_urlencoded::Serializer::new(String::new())
                            .extend_pairs(&input.query)
                            .finish(),
                    );
                }
                let Ok(url) = reqwest::Url::parse(&url) else {
                    return Ok(());
                };
                // A generated path such as `@host` would name another host.
                if url.host_str() != Some("127.0.0.1") {
                    return Ok(());
                }
                let mut request = http.request(method.clone(), url).body(input.body.clone());
                if let Some(auth) = &input.auth {
                    if let Ok(value) = reqwest::header::HeaderValue::from_str(auth) {
                        request = request.header("authorization", value);
                    }
                }
                let (status, log_id, body) = handle.block_on(async {
                    let response = request
                        .send()
                        .await
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    let status = response.status().as_u16();
                    let log_id = response
                        .headers()
                        .get("x-tt-logid")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let body = response
                        .bytes()
                        .await
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    Ok::<_, TestCaseError>((status, log_id, body))
                })?;
                if method == reqwest::Method::HEAD {
                    prop_assert!(body.is_empty());
                    return Ok(());
                }
                check(status, log_id.as_deref(), &body)
            })
            .map_err(|e| e.to_string())
    })
    .await
    .unwrap();
    result.unwrap();
}
