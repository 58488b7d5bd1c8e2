//! The shape of a JSON answer against a documented one: the same keys
//! recursively, the same JSON types; values may differ.

use feishu_model::wire::json_type;
use serde_json::Value;

/// The differences of shape between `documented` and `got`, each naming its
/// JSON path. A documented `null` accepts any value, a documented empty
/// object also its absence; an element of a list
/// must have the shape of one documented element (the pages' lists mix
/// variants); a documented non-empty list may come back empty (its length
/// is a value).
pub fn differences(documented: &Value, got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(documented, got, "$", &mut out);
    out
}

fn walk(doc: &Value, got: &Value, at: &str, out: &mut Vec<String>) {
    match (doc, got) {
        (Value::Null, _) => {}
        (Value::Object(d), Value::Object(g)) => {
            for (key, dv) in d {
                match g.get(key) {
                    Some(gv) => walk(dv, gv, &format!("{at}.{key}"), out),
                    // A documented empty object names no field: an answer
                    // without the key carries the same.
                    None if dv.as_object().is_some_and(|o| o.is_empty()) => {}
                    None => out.push(format!("{at}.{key}: missing")),
                }
            }
            for key in g.keys().filter(|k| !d.contains_key(*k)) {
                out.push(format!("{at}.{key}: not documented"));
            }
        }
        (Value::Array(d), Value::Array(g)) => {
            // The pages' lists mix variants (a message tab, a doc tab...):
            // an element is in shape when it has the shape of one
            // documented element; otherwise its differences are those
            // against documented element i (past their end, the last).
            if let Some(last) = d.last() {
                for (i, gv) in g.iter().enumerate() {
                    let at = format!("{at}[{i}]");
                    let fits = |dv: &Value| {
                        let mut none = Vec::new();
                        walk(dv, gv, &at, &mut none);
                        none.is_empty()
                    };
                    if !d.iter().any(fits) {
                        walk(d.get(i).unwrap_or(last), gv, &at, out);
                    }
                }
            }
        }
        _ if json_type(doc) == json_type(got) => {}
        _ => out.push(format!(
            "{at}: documented {}, got {}",
            json_type(doc),
            json_type(got)
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_types_count_values_do_not() {
        let doc =
            json!({"code": 0, "data": {"items": [{"id": "a", "n": 1}], "more": true, "x": null}});
        let same = json!({"code": 0, "data": {"items": [{"id": "b", "n": 7}, {"id": "c", "n": 2}], "more": false, "x": 3}});
        assert!(differences(&doc, &same).is_empty());
        let empty = json!({"code": 0, "data": {"items": [], "more": false, "x": null}});
        assert!(differences(&doc, &empty).is_empty());
        let variants = json!({"tabs": [{"id": "1", "kind": "message"}, {"id": "2", "kind": "doc", "doc": "d"}]});
        let reordered = json!({"tabs": [{"id": "3", "kind": "doc", "doc": "e"}, {"id": "4", "kind": "message"}, {"id": "5", "kind": "message"}]});
        assert!(differences(&variants, &reordered).is_empty());
        let empty = json!({"tabs": [{"id": "1", "kind": "message", "content": {}}]});
        assert!(differences(&empty, &json!({"tabs": [{"id": "1", "kind": "message"}]})).is_empty());
        let unknown = json!({"tabs": [{"id": "3", "kind": "url", "url": "u"}]});
        assert_eq!(
            differences(&variants, &unknown),
            ["$.tabs[0].url: not documented"]
        );
        let off = json!({"code": 0, "data": {"items": [{"id": 1, "n": 1, "z": 0}], "x": null, "extra": 1}});
        assert_eq!(
            differences(&doc, &off),
            [
                "$.data.items[0].id: documented string, got number",
                "$.data.items[0].z: not documented",
                "$.data.more: missing",
                "$.data.extra: not documented",
            ]
        );
    }
}
