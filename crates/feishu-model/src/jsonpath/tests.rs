use std::collections::BTreeMap;

use proptest::prelude::*;
use rstest::rstest;
use serde::Deserialize;

use super::*;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Outer {
    event: Inner,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Inner {
    chat_id: String,
    items: Vec<u8>,
}

/// A type with every kind of container, for the paths below and the
/// comparison with a path-tracking decoder.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Doc {
    a: u8,
    #[serde(default)]
    b: Vec<Leaf>,
    #[serde(default)]
    c: Option<Box<Leaf>>,
    #[serde(default)]
    d: BTreeMap<String, u8>,
    #[serde(default)]
    grid: Vec<Vec<u8>>,
    #[serde(default)]
    pair: Option<[u8; 2]>,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default, deserialize_with = "crate::lenient::opt_bool")]
    flag: Option<bool>,
    #[serde(default)]
    tags: Vec<Checked>,
}

/// A string that its decoder checks after reading it, as a validating
/// newtype does: its failure is raised after the value is read.
#[derive(Debug)]
#[allow(dead_code)]
struct Checked(String);

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text == "x" {
            return Err(serde::de::Error::custom("`x` is refused"));
        }
        Ok(Checked(text))
    }
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Leaf {
    id: String,
    #[serde(default)]
    n: Option<u8>,
    #[serde(default)]
    tag: Option<Checked>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Group,
    P2p,
}

#[rstest]
#[case::missing_nested_field(r#"{"event":{"items":[]}}"#, "event.chat_id")]
#[case::missing_root_field("{}", "event")]
#[case::wrong_element(r#"{"event":{"chat_id":"c","items":[1,"x"]}}"#, "event.items[1]")]
#[case::wrong_kind_of_first_element(r#"{"event":{"chat_id":"c","items":[{}]}}"#, "event.items[0]")]
#[case::array_given_an_object(r#"{"event":{"chat_id":"c","items":{}}}"#, "event.items")]
#[case::object_given_an_array(r#"{"event":[]}"#, "event")]
#[case::escaped_key(r#"{"ev\u0065nt":{"chat_id":7,"items":[]}}"#, "event.chat_id")]
#[case::root_of_the_wrong_kind("5", ".")]
#[case::root_array("[]", ".")]
#[case::strings_with_brackets_and_quotes(
    r#"{"x":"]}\"[{,:","event":{"chat_id":"c]","items":[1,2,300]}}"#,
    "event.items[2]"
)]
#[case::pretty_printed("{\n  \"event\": {\n    \"chat_id\": \"c\",\n    \"items\": [\n      1,\n      true\n    ]\n  }\n}", "event.items[1]")]
#[case::not_json(r#"{"event":{"chat_id":"c",}}"#, "event")]
#[case::cut_short(r#"{"event":{"chat_id":"c","items":[1,"#, "event.items[1]")]
fn paths_name_the_failing_value(#[case] text: &str, #[case] path: &str) {
    let e = from_str::<Outer>(text).unwrap_err();
    assert_eq!(e.path, path, "{e}");
    assert_eq!(
        e.message,
        serde_json::from_str::<Outer>(text).unwrap_err().to_string()
    );
}

#[rstest]
#[case::element_of_an_array_of_objects(r#"{"a":1,"b":[{"id":"x"},{"id":"y","n":-1}]}"#, "b[1].n")]
#[case::missing_field_of_an_element(r#"{"a":1,"b":[{"id":"x"},{"n":1}]}"#, "b[1].id")]
#[case::through_option_and_box(r#"{"a":1,"c":{"id":5}}"#, "c.id")]
#[case::map_value(r#"{"a":1,"d":{"k1":1,"k.2":"no"}}"#, "d.k.2")]
#[case::nested_arrays(r#"{"a":1,"grid":[[1],[2,"x"]]}"#, "grid[1][1]")]
#[case::array_element_that_is_an_array(r#"{"a":1,"b":[[]]}"#, "b[0]")]
#[case::too_short(r#"{"a":1,"pair":[1]}"#, "pair")]
#[case::unknown_variant(r#"{"a":1,"kind":"channel"}"#, "kind")]
#[case::out_of_range(r#"{"a":300}"#, "a")]
#[case::unknown_variant_as_a_key(r#"{"a":1,"kind":{"channel":null}}"#, "kind")]
#[case::checked_last_member(r#"{"a":1,"flag":"yes"}"#, "flag")]
#[case::checked_member(r#"{"flag":"yes","a":1}"#, "flag")]
#[case::checked_last_member_of_an_element(r#"{"a":1,"b":[{"id":"i","tag":"x"}]}"#, "b[0].tag")]
#[case::checked_element(r#"{"a":1,"tags":["y","x","y"]}"#, "tags[1]")]
#[case::checked_last_element(r#"{"a":1,"tags":[ "y" , "x" ] }"#, "tags[1]")]
#[case::array_given_to_a_checked_member(r#"{"flag":[],"a":1}"#, "flag")]
#[case::array_given_to_a_checked_last_member(r#"{"a":1,"flag":[ [] ] }"#, "flag")]
#[case::array_given_for_an_object_value(r#"{"a":1,"c":[[]]}"#, "c[0]")]
fn paths_through_every_container(#[case] text: &str, #[case] path: &str) {
    assert_eq!(from_str::<Doc>(text).unwrap_err().path, path);
    assert_eq!(tracked::<Doc>(text), path, "the tracking decoder agrees");
}

#[test]
fn a_struct_given_as_a_longer_array_is_named_by_its_first_extra_element() {
    let text = r#"{"a":1,"c":["x",0,null,1]}"#;
    let e = from_str::<Doc>(text).unwrap_err();
    assert_eq!(e.path, "c[3]");
    assert!(e.message.starts_with("trailing characters"), "{e}");
}

#[test]
fn within_prefixes_the_path() {
    let e = from_str::<Outer>(r#"{"event":{"chat_id":"c","items":[1,"x"]}}"#).unwrap_err();
    assert_eq!(e.clone().within("data").path, "data.event.items[1]");
    let root = from_str::<Outer>("5").unwrap_err();
    assert_eq!(root.within("data").path, "data");
    let element = from_str::<Vec<u8>>(r#"[1,"x"]"#).unwrap_err();
    assert_eq!(element.within("data").path, "data[1]");
}

#[test]
fn values_decode_and_name_the_path_without_a_text_position() {
    let value = serde_json::json!({"event": {"chat_id": "c", "items": [1, "x"]}});
    let e = from_value::<Outer>(&value).unwrap_err();
    assert_eq!(e.path, "event.items[1]");
    assert_eq!(e.message, r#"invalid type: string "x", expected u8"#);
    let missing = from_value::<Outer>(&serde_json::json!({"event": {"items": []}})).unwrap_err();
    assert_eq!(missing.path, "event.chat_id");
    assert_eq!(missing.message, "missing field `chat_id`");
    let ok: Outer =
        from_value(&serde_json::json!({"event": {"chat_id": "c", "items": [2]}})).unwrap();
    assert_eq!(ok.event.items, vec![2]);
}

/// The path a path-tracking decoder names, a missing field by its own path.
fn tracked<'de, T: Deserialize<'de>>(text: &'de str) -> String {
    let mut de = serde_json::Deserializer::from_str(text);
    let Err(e) = serde_path_to_error::deserialize::<_, T>(&mut de) else {
        return "(decoded)".to_owned();
    };
    let parent = e.path().to_string();
    let message = e.into_inner().to_string();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (missing, parent.as_str()) {
        (Some(field), "." | "") => field.to_owned(),
        (Some(field), p) => format!("{p}.{field}"),
        (None, "") => ".".to_owned(),
        (None, p) => p.to_owned(),
    }
}

/// Any JSON value whose keys are mostly `Doc`'s and `Leaf`'s fields.
fn value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-2i64..400).prop_map(Value::from),
        prop::sample::select(vec!["x", "y", "yes", "t", "group", "p2p", "]\"[", "{,}"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        let key = prop::sample::select(vec![
            "a", "b", "c", "d", "grid", "pair", "kind", "flag", "tags", "id", "n", "tag", "k",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..5).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

proptest! {
    /// On any document, compact or pretty-printed, the path named from the
    /// position is the one a path-tracking decoder names.
    #[test]
    fn the_position_names_the_tracked_path(doc in value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&doc).unwrap()
        } else {
            doc.to_string()
        };
        // A valid document fails on grammar only where a struct is given
        // as an array with elements to spare; that failure is named by the
        // first extra element, not by the array.
        let syntax = serde_json::from_str::<Doc>(&text)
            .is_err_and(|e| e.classify() == serde_json::error::Category::Syntax);
        if let (Err(e), false) = (from_str::<Doc>(&text), syntax) {
            prop_assert_eq!(e.path, tracked::<Doc>(&text), "{}", text);
        }
    }
}
