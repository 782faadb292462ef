//! The positioned YAML tree: every document, key, value and sequence item keeps its byte range.

use crate::text::TextRange;

/// How a scalar was written; quoting changes how Kubernetes resolves its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// The JSON type a scalar becomes when kubectl converts YAML to JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Resolved<'_> {
    /// The JSON type name, as decoding errors print it.
    #[must_use]
    pub const fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Int(_) | Self::Float(_) => "number",
            Self::Str(_) => "string",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    pub value: String,
    pub style: ScalarStyle,
    /// An explicit tag such as `!!str`, if written.
    pub tag: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Mapping(Vec<Entry>),
    Sequence(Vec<Node>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub range: TextRange,
}

impl Node {
    /// The value under `key` in a mapping (the last one if the key is duplicated, as kubectl keeps).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry for `key`, with the key's own range.
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Mapping(entries) => entries
                .iter()
                .rev()
                .find(|e| e.key.as_scalar().is_some_and(|s| s.value == key)),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(m) => Some(m),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text if it resolves to a JSON string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self.resolve() {
            Some(Resolved::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The JSON type this node becomes (`None` for mappings and sequences).
    #[must_use]
    pub fn resolve(&self) -> Option<Resolved<'_>> {
        self.as_scalar().map(resolve_scalar)
    }

    /// A short name of the node's JSON type, for messages.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Mapping(_) => "object",
            NodeKind::Sequence(_) => "array",
            NodeKind::Scalar(s) => resolve_scalar(s).type_name(),
        }
    }

    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self.resolve(), Some(Resolved::Null))
    }

    /// The integer value, if the node resolves to a JSON integer.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self.resolve() {
            Some(Resolved::Int(i)) => Some(i),
            _ => None,
        }
    }

    /// The boolean value, if the node resolves to a JSON boolean.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.resolve() {
            Some(Resolved::Bool(b)) => Some(b),
            _ => None,
        }
    }

    /// Follows a dotted path of mapping keys (`spec.template.spec`).
    #[must_use]
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |node, key| node.get(key))
    }

    /// A mapping of string keys to string values (labels, selectors), skipping other entries.
    #[must_use]
    pub fn string_map(&self) -> Vec<(&str, &str)> {
        self.as_mapping()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                Some((
                    e.key.as_scalar()?.value.as_str(),
                    e.value.as_scalar()?.value.as_str(),
                ))
            })
            .collect()
    }
}

/// Resolves a scalar the way kubectl's YAML-to-JSON conversion does (sigs.k8s.io/yaml on
/// go-yaml v2, which follows YAML 1.1): `yes`/`no`/`on`/`off` are booleans, `~` is null,
/// `0x1F` and `0o17` are integers, underscores are allowed in numbers. Quoted scalars and
/// block scalars are always strings.
#[must_use]
pub fn resolve_scalar(s: &Scalar) -> Resolved<'_> {
    if s.style != ScalarStyle::Plain {
        return Resolved::Str(&s.value);
    }
    // `!!str` arrives as the core-schema handle plus the suffix `str`.
    if s.tag
        .as_deref()
        .is_some_and(|t| t.ends_with("str") && (t.starts_with("!!") || t.contains("yaml.org")))
    {
        return Resolved::Str(&s.value);
    }
    let v = s.value.as_str();
    match v.as_bytes().first() {
        Some(
            b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' | b'.'
            | b'+' | b'-',
        )
        | Some(b'0'..=b'9')
        | None => {}
        Some(_) => return Resolved::Str(v),
    }
    match v {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(v) {
        return Resolved::Int(i);
    }
    if looks_like_float(v)
        && let Ok(f) = v.replace('_', "").parse::<f64>()
    {
        return Resolved::Float(f);
    }
    Resolved::Str(v)
}

fn parse_int(v: &str) -> Option<i64> {
    let (neg, body) = match v.as_bytes().first()? {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    if body.is_empty() || body.starts_with('_') || !body.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let owned;
    let clean = if body.contains('_') {
        owned = body.replace('_', "");
        owned.as_str()
    } else {
        body
    };
    let (radix, digits) = if let Some(h) = clean.strip_prefix("0x") {
        (16, h)
    } else if let Some(b) = clean.strip_prefix("0b") {
        (2, b)
    } else if let Some(o) = clean.strip_prefix("0o") {
        (8, o)
    } else if clean.len() > 1 && clean.starts_with('0') {
        (8, &clean[1..])
    } else {
        (10, clean)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let n = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -n } else { n })
}

fn looks_like_float(v: &str) -> bool {
    let body = v.trim_start_matches(['-', '+']);
    let first = body.chars().next();
    matches!(first, Some('0'..='9' | '.'))
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(v: &str) -> Scalar {
        Scalar {
            value: v.to_owned(),
            style: ScalarStyle::Plain,
            tag: None,
        }
    }

    #[test]
    fn resolves_like_kubectl() {
        assert_eq!(resolve_scalar(&plain("3")), Resolved::Int(3));
        assert_eq!(resolve_scalar(&plain("0x1F")), Resolved::Int(31));
        assert_eq!(resolve_scalar(&plain("1_000")), Resolved::Int(1000));
        assert_eq!(resolve_scalar(&plain("yes")), Resolved::Bool(true));
        assert_eq!(resolve_scalar(&plain("Off")), Resolved::Bool(false));
        assert_eq!(resolve_scalar(&plain("~")), Resolved::Null);
        assert_eq!(resolve_scalar(&plain("1.5")), Resolved::Float(1.5));
        assert_eq!(resolve_scalar(&plain("1e3")), Resolved::Float(1000.0));
        assert_eq!(
            resolve_scalar(&plain("nginx:1.27")),
            Resolved::Str("nginx:1.27")
        );
        assert_eq!(resolve_scalar(&plain("100m")), Resolved::Str("100m"));
        assert_eq!(resolve_scalar(&plain("1.2.3")), Resolved::Str("1.2.3"));
        let quoted = Scalar {
            value: "3".into(),
            style: ScalarStyle::DoubleQuoted,
            tag: None,
        };
        assert_eq!(resolve_scalar(&quoted), Resolved::Str("3"));
    }
}
