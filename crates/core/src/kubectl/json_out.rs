//! `-o json`: a [`Value`] printed as kubectl prints it, `json.MarshalIndent(obj, "", "    ")`
//! plus a newline (`k8s.io/cli-runtime/pkg/printers/json.go`). Keys sorted by bytes (Go
//! marshals the unstructured object's maps sorted), four-space indentation, `{}` and `[]`
//! for empty ones, and Go's HTML-safe string escaping (`<`, `>`, `&` as `\u003c`...).

use std::fmt::Write as _;

use crate::value::Value;

/// The JSON kubectl prints for `value` (ends with a newline).
#[must_use]
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, Some(0));
    out.push('\n');
    out
}

/// `json.Marshal`: the same encoding on one line (what `kubectl apply` keeps in its
/// last-applied annotation).
#[must_use]
pub fn to_json_compact(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, None);
    out
}

/// A line break and indentation when pretty-printing.
fn newline(out: &mut String, depth: Option<usize>) {
    if let Some(depth) = depth {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("    ");
        }
    }
}

/// `depth`: the indentation level, or `None` for compact output.
fn write_value(out: &mut String, value: &Value, depth: Option<usize>) {
    let inner = depth.map(|d| d + 1);
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&go_json_float(*f)),
        Value::Str(s) => write_string(out, s),
        Value::Seq(items) if items.is_empty() => out.push_str("[]"),
        Value::Map(m) if m.is_empty() => out.push_str("{}"),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                write_value(out, item, inner);
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                write_string(out, k);
                out.push_str(if depth.is_some() { ": " } else { ":" });
                write_value(out, v, inner);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

/// `encoding/json`'s string encoding with HTML escaping (the default of `json.Marshal`).
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Go's JSON float: the shortest decimal, in exponent form below 1e-6 or from 1e21 on
/// (`e-07` becomes `e-7`).
fn go_json_float(f: f64) -> String {
    if !f.is_finite() {
        // Go refuses to marshal these; no Kubernetes field can hold one.
        return "null".into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let e = format!("{f:e}");
        let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{}", exp.abs());
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::map;

    #[test]
    fn indents_four_spaces_like_marshal_indent() {
        let v = map([
            ("kind", "List".into()),
            ("items", Value::Seq(vec![])),
            ("metadata", map([("resourceVersion", "".into())])),
            (
                "spec",
                map([("ports", vec![map([("port", 80.into())])].into())]),
            ),
            ("empty", map([])),
        ]);
        assert_eq!(
            to_json(&v),
            "{\n    \"empty\": {},\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    },\n    \"spec\": {\n        \"ports\": [\n            {\n                \"port\": 80\n            }\n        ]\n    }\n}\n"
        );
    }

    #[test]
    fn strings_escape_as_go_escapes_them() {
        let v = map([("s", "a<b>&\"c\"\n\u{1}".into()), ("f", Value::Float(0.5))]);
        assert_eq!(
            to_json(&v),
            "{\n    \"f\": 0.5,\n    \"s\": \"a\\u003cb\\u003e\\u0026\\\"c\\\"\\n\\u0001\"\n}\n"
        );
        assert_eq!(go_json_float(1e21), "1e+21");
        assert_eq!(
            to_json_compact(&map([("b", vec![Value::Int(1)].into()), ("a", map([]))])),
            "{\"a\":{},\"b\":[1]}"
        );
        assert_eq!(go_json_float(1.5e-7), "1.5e-7");
    }
}
