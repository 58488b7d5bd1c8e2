//! Every endpoint's decoder against generated bodies: documented success
//! bodies (from the conformance cases) with random mutations, random JSON,
//! and random bytes, under random statuses and headers. Never a panic; each
//! answer is the typed output or a typed error that says what went wrong.
//!
//! CI runs 10,000 cases; `decoders_100k` (ignored) runs 100,000.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::HashMap;

use feishu_model::Endpoint;
use feishu_transport::{decode_response, http, Error, HttpResponse};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

/// One endpoint's decoder, erased: decodes and says what came out.
type Decoder = fn(&HttpResponse) -> Result<(), Error>;

fn decoder<E: Endpoint>(response: &HttpResponse) -> Result<(), Error> {
    decode_response::<E>(response).map(|_| ())
}

macro_rules! decoders {
    ($($ty:path),* $(,)?) => {
        fn decoders() -> Vec<(&'static str, Decoder)> {
            vec![$((<$ty as Endpoint>::OPERATION, decoder::<$ty> as Decoder)),*]
        }
    };
}
feishu_model::for_each_endpoint!(decoders);

/// The documented success body of every operation, from its conformance case.
fn documented_bodies() -> HashMap<String, Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../conformance/cases");
    let mut out = HashMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let file: Value = serde_json::from_str(&text).unwrap();
        let operation = file["operation"].as_str().unwrap().to_owned();
        let body = file["cases"].as_array().unwrap().iter().find_map(|case| {
            let response = &case["response"];
            let body = &response["body"];
            (response["status"] == 200 && body["code"] == 0).then(|| body.clone())
        });
        if let Some(body) = body {
            out.insert(operation, body);
        }
    }
    out
}

struct Corpus {
    decoders: Vec<(&'static str, Decoder)>,
    bodies: Vec<Value>,
}

fn corpus() -> Corpus {
    let decoders = decoders();
    let documented = documented_bodies();
    let bodies = decoders
        .iter()
        .map(|(op, _)| {
            // Operations without a conformance case yet (the message
            // endpoints) start from an empty success body.
            documented
                .get(*op)
                .cloned()
                .unwrap_or_else(|| json!({"code": 0, "msg": "ok", "data": {}}))
        })
        .collect();
    Corpus { decoders, bodies }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("0"),
            Just("true"),
            Just("-1"),
            Just("oc_a0553eda9014c201e6969b478895c230"),
            Just("1700000000")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        ".{0,8}",
                        Just("items".to_owned()),
                        Just("has_more".to_owned()),
                        Just("page_token".to_owned()),
                        Just("code".to_owned()),
                        Just("msg".to_owned()),
                        Just("data".to_owned()),
                        Just("chat_id".to_owned()),
                        Just("name".to_owned()),
                        Just("expire".to_owned()),
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// How a body is made.
#[derive(Debug, Clone)]
enum Body {
    /// The documented body with random changes at random places.
    Mutated { seed: u64, values: Vec<Value> },
    /// The documented `data` replaced by random JSON (code 0 kept).
    RandomData(Value),
    /// Any JSON at all.
    Json(Value),
    /// Any bytes at all.
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Case {
    endpoint: usize,
    body: Body,
    status: u16,
    reset: Option<String>,
    log_id: Option<String>,
}

fn arb_case(endpoints: usize) -> impl Strategy<Value = Case> {
    let body = prop_oneof![
        5 => (any::<u64>(), prop::collection::vec(arb_json(), 1..5))
            .prop_map(|(seed, values)| Body::Mutated { seed, values }),
        2 => arb_json().prop_map(Body::RandomData),
        2 => arb_json().prop_map(Body::Json),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Body::Bytes),
    ];
    let status = prop_oneof![
        8 => Just(200u16),
        1 => prop::sample::select(vec![201u16, 204, 400, 401, 403, 404, 429, 500, 502, 503]),
        1 => 100u16..600,
    ];
    (
        0..endpoints,
        body,
        status,
        prop::option::of(prop_oneof![
            "[0-9]{1,3}".boxed(),
            "[0-9]{15,25}".boxed(),
            "[ -~]{0,6}".boxed()
        ]),
        prop::option::of("[a-zA-Z0-9]{0,20}"),
    )
        .prop_map(|(endpoint, body, status, reset, log_id)| Case {
            endpoint,
            body,
            status,
            reset,
            log_id,
        })
}

/// Every node of a JSON tree, as JSON pointers.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Applies one random change per value in `values` to `body`.
fn mutate(mut body: Value, seed: u64, values: &[Value]) -> Value {
    let mut rng = fastrand::Rng::with_seed(seed);
    for value in values {
        let mut all = Vec::new();
        pointers(&body, String::new(), &mut all);
        let at = all[rng.usize(0..all.len())].clone();
        let Some(node) = body.pointer_mut(&at) else {
            continue;
        };
        *node = match rng.u8(0..9) {
            0 | 1 => value.clone(),
            2 => Value::Null,
            3 => match node.take() {
                Value::Array(mut items) if !items.is_empty() => {
                    let i = rng.usize(0..items.len());
                    let copy = items[i].clone();
                    items.insert(i, copy);
                    Value::Array(items)
                }
                Value::Object(mut map) if !map.is_empty() => {
                    let key = map.keys().nth(rng.usize(0..map.len())).cloned();
                    if let Some(k) = key {
                        map.remove(&k);
                    }
                    Value::Object(map)
                }
                other => json!([other]),
            },
            4 => [
                json!(i64::MIN),
                json!(u64::MAX),
                json!(-1),
                json!(0),
                json!(1e308),
            ][rng.usize(0..5)]
            .clone(),
            5 => Value::from(node.to_string()),
            6 => Value::from("\u{0}\u{7f}\u{10ffff}é\"\\".repeat(rng.usize(1..50))),
            7 => match node.take() {
                Value::Object(mut map) => {
                    map.insert(format!("k{}", rng.u32(..)), value.clone());
                    Value::Object(map)
                }
                Value::Bool(b) => Value::Bool(!b),
                other => json!({ "value": other }),
            },
            _ => json!({}),
        };
    }
    body
}

fn response(case: &Case, documented: &Value) -> (HttpResponse, bool) {
    let (bytes, pristine) = match &case.body {
        Body::Mutated { seed, values } => {
            let body = mutate(documented.clone(), *seed, values);
            let pristine = &body == documented;
            (serde_json::to_vec(&body).unwrap(), pristine)
        }
        Body::RandomData(data) => {
            let body = json!({"code": 0, "msg": "success", "data": data});
            (serde_json::to_vec(&body).unwrap(), false)
        }
        Body::Json(value) => (serde_json::to_vec(value).unwrap(), false),
        Body::Bytes(bytes) => (bytes.clone(), false),
    };
    let mut builder = http::Response::builder().status(case.status);
    if let Some(reset) = &case.reset {
        builder = builder.header("x-ogw-ratelimit-reset", reset.as_str());
    }
    if let Some(id) = &case.log_id {
        builder = builder.header("x-tt-logid", id.as_str());
    }
    (builder.body(bytes.into()).unwrap(), pristine)
}

fn check(corpus: &Corpus, case: &Case) -> Result<(), TestCaseError> {
    let (operation, decode) = corpus.decoders[case.endpoint];
    let (response, pristine) = response(case, &corpus.bodies[case.endpoint]);
    let result = decode(&response);
    if pristine && case.status == 200 {
        prop_assert!(
            result.is_ok(),
            "{operation}: documented body refused: {result:?}"
        );
    }
    let Err(error) = result else {
        return Ok(());
    };
    prop_assert!(!error.to_string().is_empty());
    match &error {
        Error::Decode {
            path,
            message,
            http_status,
            ..
        } => {
            prop_assert!(!path.is_empty() && !message.is_empty(), "{error:?}");
            prop_assert_eq!(*http_status, case.status);
        }
        Error::Api(_) | Error::RateLimited(_) | Error::UserToken(_) => {
            prop_assert!(error.code().is_some_and(|c| c != 0), "{error:?}");
        }
        Error::Http { status, .. } => prop_assert_eq!(*status, case.status),
        other => prop_assert!(false, "{operation}: not a response error: {other:?}"),
    }
    prop_assert_eq!(error.log_id(), case.log_id.as_deref());
    Ok(())
}

fn run(cases: u32) {
    let corpus = corpus();
    assert_eq!(corpus.decoders.len(), 83);
    // The documented bodies decode, so mutations start from the right shape.
    for (i, (operation, decode)) in corpus.decoders.iter().enumerate() {
        let body = serde_json::to_vec(&corpus.bodies[i]).unwrap();
        let ok = http::Response::builder()
            .status(200)
            .body(body.into())
            .unwrap();
        assert!(decode(&ok).is_ok(), "{operation}: {:?}", decode(&ok));
    }
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    runner
        .run(&arb_case(corpus.decoders.len()), |case| {
            check(&corpus, &case)
        })
        .unwrap();
    println!(
        "decoders: {cases} generated bodies across {} endpoints, 0 panics",
        corpus.decoders.len()
    );
}

#[test]
fn decoders_10k() {
    run(10_000);
}

#[test]
#[ignore = "100,000 cases: about ten times the CI run"]
fn decoders_100k() {
    run(100_000);
}
