//! Shared pieces of the API server rules: `field.Error` bodies as
//! `apimachinery/pkg/util/validation/field/errors.go` prints them, value rendering (JSON for
//! maps and int-or-strings since v1.34), and the syntax helpers of
//! `apimachinery/pkg/util/validation` and `pkg/api/validate/content` that several rules share.

use std::fmt::Write as _;

use crate::check::{Context, PodSpecRef};
use crate::diagnostic::Diagnostic;
use crate::model::{Object, Quantity};
use crate::rule::Rule;
use crate::schema::Problem;
use crate::yaml::{Node, NodeKind, Resolved};

/// Indices of the objects the API server could not decode (unknown field, wrong type, bad
/// quantity or base64): with strict field validation it refuses them before validation
/// runs, so the API rules stay silent on them rather than report consequences of the typo.
fn undecodable(ctx: &Context<'_>) -> Vec<usize> {
    ctx.schema
        .get(ctx)
        .iter()
        .filter(|f| {
            matches!(
                f.problem,
                Problem::UnknownField { .. }
                    | Problem::WrongType { .. }
                    | Problem::Quantity { .. }
                    | Problem::Base64 { .. }
            )
        })
        .map(|f| f.object)
        .collect()
}

fn decodes(ctx: &Context<'_>, bad: &[usize], object: &Object) -> bool {
    !bad.iter()
        .any(|&i| ctx.objects.get(i).is_some_and(|b| std::ptr::eq(b, object)))
}

/// The objects the API server would validate: those with a root, a kind, and no decoding error.
pub fn objects<'c, 'a>(
    ctx: &'c Context<'a>,
) -> impl Iterator<Item = (&'a Object, &'a Node, &'a str)> + 'c {
    let bad = undecodable(ctx);
    ctx.objects_with_root()
        .filter(move |(o, _, _)| decodes(ctx, &bad, o))
}

/// The pod specs the API server validates, in the objects it would validate. A StatefulSet's
/// pod template is not among them: `ValidatePodTemplateSpecForStatefulSet` checks only its
/// labels and annotations (the claim templates' volumes are added when pods are created),
/// so a bad template is accepted and its pods are refused later.
pub fn pod_specs<'c, 'a>(ctx: &'c Context<'a>) -> impl Iterator<Item = PodSpecRef<'a>> + 'c {
    let bad = undecodable(ctx);
    ctx.pod_specs()
        .filter(move |p| p.kind != "StatefulSet" && decodes(ctx, &bad, p.object))
}

/// Every pod spec of the objects the API server would validate, StatefulSets included (for
/// the rules their own validation applies, such as `restartPolicy`).
pub fn all_pod_specs<'c, 'a>(ctx: &'c Context<'a>) -> impl Iterator<Item = PodSpecRef<'a>> + 'c {
    let bad = undecodable(ctx);
    ctx.pod_specs()
        .filter(move |p| decodes(ctx, &bad, p.object))
}

/// Every container and init container of the pod specs the API server would validate.
pub fn containers<'c, 'a>(
    ctx: &'c Context<'a>,
) -> impl Iterator<Item = (PodSpecRef<'a>, crate::model::Container<'a>)> + 'c {
    pod_specs(ctx).flat_map(|p| {
        crate::model::containers(p.spec, p.path)
            .into_iter()
            .map(move |c| (p, c))
    })
}

/// Go's `%q` for the strings a manifest holds (JSON escaping is the same for them).
#[must_use]
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A value as `field.Invalid` renders it: strings quoted, numbers and booleans bare, maps and
/// lists as JSON (object keys sorted, as `encoding/json` writes a Go map).
#[must_use]
pub fn render(node: &Node) -> String {
    let mut out = String::new();
    render_into(node, &mut out);
    out
}

fn render_into(node: &Node, out: &mut String) {
    match &node.kind {
        NodeKind::Scalar(_) => match node.resolve() {
            Some(Resolved::Str(s)) => out.push_str(&q(s)),
            Some(Resolved::Null) | None => out.push_str("null"),
            Some(Resolved::Bool(b)) => {
                let _ = write!(out, "{b}");
            }
            Some(Resolved::Int(i)) => {
                let _ = write!(out, "{i}");
            }
            Some(Resolved::Float(f)) => {
                let _ = write!(out, "{f}");
            }
        },
        NodeKind::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render_into(item, out);
            }
            out.push(']');
        }
        NodeKind::Mapping(entries) => {
            let mut sorted: Vec<_> = entries
                .iter()
                .filter_map(|e| Some((e.key.as_scalar()?.value.as_str(), &e.value)))
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            sorted.dedup_by(|a, b| a.0 == b.0);
            out.push('{');
            for (i, (k, v)) in sorted.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&q(k));
                out.push(':');
                render_into(v, out);
            }
            out.push('}');
        }
    }
}

/// `Invalid value: <v>: <detail>`.
#[must_use]
pub fn invalid(value: &str, detail: &str) -> String {
    format!("Invalid value: {value}: {detail}")
}

/// `Required value[: detail]`.
#[must_use]
pub fn required(detail: &str) -> String {
    if detail.is_empty() {
        "Required value".to_owned()
    } else {
        format!("Required value: {detail}")
    }
}

/// `Forbidden: <detail>`.
#[must_use]
pub fn forbidden(detail: &str) -> String {
    format!("Forbidden: {detail}")
}

/// `Duplicate value: <v>`.
#[must_use]
pub fn duplicate(value: &str) -> String {
    format!("Duplicate value: {value}")
}

/// `Unsupported value: <v>: supported values: "a", "b"`.
#[must_use]
pub fn unsupported(value: &str, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| q(s)).collect();
    format!(
        "Unsupported value: {value}: supported values: {}",
        list.join(", ")
    )
}

/// `Not found: <v>`.
#[must_use]
pub fn not_found(value: &str) -> String {
    format!("Not found: {value}")
}

/// One API server error at `range` (`field: body`), with the line `kubectl apply` prints.
#[must_use]
pub fn error(
    ctx: &Context<'_>,
    rule: &'static Rule,
    object: &Object,
    range: crate::text::TextRange,
    field: &str,
    body: &str,
) -> Diagnostic {
    ctx.diag(rule, object, range, format!("{field}: {body}"))
        .field(field)
        .apiserver(crate::schema::invalid(object, field, body))
}

/// The integer value of `key` in `node`, with its node.
#[must_use]
pub fn int_at<'a>(node: &'a Node, key: &str) -> Option<(&'a Node, i64)> {
    let n = node.get(key)?;
    Some((n, n.as_i64()?))
}

/// A quantity written as a string or a number (`cpu: 1`, `memory: 128Mi`).
#[must_use]
pub fn quantity(node: &Node) -> Option<Quantity> {
    let s = node.as_scalar()?;
    Quantity::parse(s.value.trim()).ok()
}

/// A quantity as `Quantity.String()` prints it (`CanonicalizeBytes`): binary quantities of
/// at least 1024 in the largest exact power of 1024 (`1536Mi`), others with the largest SI
/// suffix that keeps an integer mantissa (`128M`, `1500m`, `2`).
#[must_use]
pub fn canonical(q: Quantity) -> String {
    let nanos = q.nanos();
    if nanos == 0 {
        return "0".to_owned();
    }
    const NANO: i128 = 1_000_000_000;
    if q.format == crate::model::QuantityFormat::BinarySI && nanos.abs() >= 1024 * NANO {
        // Rounded up to a whole number of units, as `AsCanonicalBase1024Bytes` does.
        let mut units = nanos.div_euclid(NANO) + i128::from(nanos.rem_euclid(NANO) != 0);
        let mut i = 0;
        while i < 6 && units % 1024 == 0 {
            units /= 1024;
            i += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][i];
        return format!("{units}{suffix}");
    }
    let mut mantissa = nanos;
    let mut exp = -9i32;
    while exp < 18 && mantissa % 1000 == 0 {
        mantissa /= 1000;
        exp += 3;
    }
    let suffix = match exp {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        0 => "",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        _ => "E",
    };
    if q.format == crate::model::QuantityFormat::DecimalExponent && exp != 0 {
        return format!("{mantissa}e{exp}");
    }
    format!("{mantissa}{suffix}")
}

/// Items of the sequence under `key`, empty when absent or not a list.
#[must_use]
pub fn items<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    node.get(key)
        .and_then(Node::as_sequence)
        .unwrap_or_default()
}

/// `IsValidPortNum`: `must be between 1 and 65535, inclusive`.
pub const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

/// `IsValidPortName` (IANA_SVC_NAME): every message that applies.
#[must_use]
pub fn port_name_errors(port: &str) -> Vec<&'static str> {
    let b = port.as_bytes();
    let mut errs = Vec::new();
    if b.len() > 15 {
        errs.push("must be no more than 15 characters");
    }
    if b.is_empty()
        || !b
            .iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !b.iter().any(u8::is_ascii_lowercase) {
        errs.push("must contain at least one letter (a-z)");
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens");
    }
    if b.first() == Some(&b'-') || b.last() == Some(&b'-') {
        errs.push("must not begin or end with a hyphen");
    }
    errs
}

const LABEL_KEY_NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn label_chars(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `content.IsLabelKey` (= `IsQualifiedName`): every message that applies.
#[must_use]
pub fn label_key_errors(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = key.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                for m in super::names::dns1123_subdomain(prefix) {
                    // content.IsDNS1123Subdomain counts bytes.
                    let m = if m.starts_with("must be no more than") {
                        "must be no more than 253 bytes".to_owned()
                    } else {
                        m
                    };
                    errs.push(format!("prefix part {m}"));
                }
            }
            *name
        }
        _ => {
            return vec![format!(
                "a valid label key {LABEL_KEY_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )];
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 bytes".to_owned());
    }
    if !label_chars(name) {
        errs.push(format!("name part {LABEL_KEY_NAME_MSG}"));
    }
    errs
}

/// `content.IsLabelValue`: every message that applies.
#[must_use]
pub fn label_value_errors(value: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 bytes");
    }
    if !value.is_empty() && !label_chars(value) {
        errs.push(LABEL_VALUE_MSG);
    }
    errs
}

/// Whether a label key and value are both valid (the fast path of the label rules).
#[must_use]
pub fn label_ok(key: &str, value: &str) -> bool {
    let name_ok = |n: &str| n.len() <= 63 && label_chars(n);
    let key_ok = match key.split_once('/') {
        None => name_ok(key),
        Some((prefix, name)) => {
            !name.contains('/')
                && name_ok(name)
                && !prefix.is_empty()
                && super::names::dns1123_subdomain(prefix).is_empty()
        }
    };
    key_ok && value.len() <= 63 && (value.is_empty() || label_chars(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    // apimachinery validation_test.go TestIsValidPortName, TestIsQualifiedName, TestIsValidLabelValue.
    #[test]
    fn port_names() {
        for good in [
            "telnet",
            "re-mail-ck",
            "pop3",
            "a",
            "a-1",
            "1-a",
            "a-1-b-2-c",
            "1-2-3-a",
        ] {
            assert!(port_name_errors(good).is_empty(), "{good}");
        }
        for bad in [
            "longerthan15characters",
            "",
            "12345",
            "1-2-3-4",
            "-begin",
            "end-",
            "two--hyphens",
            "whois++",
            "HTTP",
        ] {
            assert!(!port_name_errors(bad).is_empty(), "{bad}");
        }
        assert_eq!(port_name_errors("HTTP").len(), 2);
    }

    #[test]
    fn label_keys_and_values() {
        for good in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now-with-dashes/simple",
            "example.com/Upper_Case",
            "app.kubernetes.io/name",
        ] {
            assert!(label_key_errors(good).is_empty(), "{good}");
            assert!(label_ok(good, ""), "{good}");
        }
        for bad in [
            "nospecialchars%^=@",
            "cantendwithadash-",
            "only/one/slash",
            "Example.com/abc",
            "/simple",
            "example.com/",
            &"a".repeat(64),
        ] {
            assert!(!label_key_errors(bad).is_empty(), "{bad}");
            assert!(!label_ok(bad, "v"), "{bad}");
        }
        for good in [
            "",
            "simple",
            "now-with-dashes",
            "1-starts",
            "end.with.1",
            "My_Value",
        ] {
            assert!(label_value_errors(good).is_empty(), "{good}");
        }
        for bad in [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.is.Māori.sun",
            "-dash",
            "a b",
        ] {
            assert!(!label_value_errors(bad).is_empty(), "{bad}");
        }
    }

    // apimachinery quantity_test.go TestQuantityString / canonical forms.
    #[test]
    fn canonical_quantities() {
        for (input, want) in [
            ("128M", "128M"),
            ("1.5", "1500m"),
            ("1200m", "1200m"),
            ("2", "2"),
            ("1000", "1k"),
            ("256Mi", "256Mi"),
            ("1.5Gi", "1536Mi"),
            ("100Mi", "100Mi"),
            ("1Ki", "1Ki"),
            ("500m", "500m"),
            ("-1", "-1"),
            ("0.1", "100m"),
        ] {
            let q = Quantity::parse(input).unwrap();
            assert_eq!(canonical(q), want, "{input}");
        }
    }

    #[test]
    fn renders_like_the_api_server() {
        let doc = crate::yaml::parse("b: 2\na: x\n", &crate::yaml::Limits::default())
            .documents
            .remove(0)
            .root
            .unwrap();
        assert_eq!(render(&doc), r#"{"a":"x","b":2}"#);
    }
}
