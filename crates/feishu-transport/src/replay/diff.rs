//! Semantic JSON comparison that explains itself: every mismatch names a
//! JSON path and shows what was expected and what was got.

use std::fmt;

use serde_json::{Map, Value};

/// One mismatch: where, what was expected, what was got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON path (`data.items[0].name`) or the aspect checked (`request.method`).
    pub path: String,
    /// The expected value, as compact JSON or text.
    pub expected: String,
    /// The value got, as compact JSON or text.
    pub got: String,
}

impl Problem {
    /// A mismatch at `path`.
    pub fn new(
        path: impl Into<String>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            expected: expected.into(),
            got: got.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, got {}",
            self.path, self.expected, self.got
        )
    }
}

/// Marker shown for a missing value.
pub const ABSENT: &str = "(absent)";

/// A value as compact JSON, cut to a readable length.
pub fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 160 {
        let cut: String = text.chars().take(157).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Appends every difference between `expected` and `got` under `path`.
/// Objects compare key by key (order free), arrays element by element.
pub fn diff(path: &str, expected: &Value, got: &Value, out: &mut Vec<Problem>) {
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            let keys: std::collections::BTreeSet<&String> = e.keys().chain(g.keys()).collect();
            for key in keys {
                let at = child(path, key);
                match (e.get(key), g.get(key)) {
                    (Some(ev), Some(gv)) => diff(&at, ev, gv, out),
                    (Some(ev), None) => out.push(Problem::new(at, show(ev), ABSENT)),
                    (None, Some(gv)) => out.push(Problem::new(at, ABSENT, show(gv))),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(e), Value::Array(g)) => {
            if e.len() != g.len() {
                out.push(Problem::new(
                    format!("{path}.length"),
                    e.len().to_string(),
                    g.len().to_string(),
                ));
            }
            for (i, (ev, gv)) in e.iter().zip(g.iter()).enumerate() {
                diff(&format!("{path}[{i}]"), ev, gv, out);
            }
        }
        (e, g) if e == g => {}
        (e, g) => out.push(Problem::new(path, show(e), show(g))),
    }
}

/// Appends a difference for every key of `expected` that `got` lacks or
/// holds with another value (a partial match).
pub fn includes(path: &str, expected: &Map<String, Value>, got: &Value, out: &mut Vec<Problem>) {
    let Value::Object(g) = got else {
        out.push(Problem::new(path, "an object", show(got)));
        return;
    };
    for (key, ev) in expected {
        let at = child(path, key);
        match g.get(key) {
            Some(gv) => diff(&at, ev, gv, out),
            None => out.push(Problem::new(at, show(ev), ABSENT)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_paths_of_changed_missing_and_extra_values() {
        let mut out = Vec::new();
        diff(
            "data",
            &json!({"a": 1, "items": [{"name": "x"}], "gone": true}),
            &json!({"a": 2, "items": [{"name": "y"}], "new": null}),
            &mut out,
        );
        let lines: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "data.a: expected 1, got 2",
                "data.gone: expected true, got (absent)",
                "data.items[0].name: expected \"x\", got \"y\"",
                "data.new: expected (absent), got null",
            ]
        );
    }
}
