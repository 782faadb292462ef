//! A JSON value tree: a manifest as kubectl sends it to the API server (each YAML scalar
//! typed as kubectl's YAML-to-JSON conversion types it), and the objects `kubectl get -o
//! yaml|json` prints. Maps keep their keys sorted by bytes, as Go's `encoding/json` writes
//! them; the YAML printer re-sorts them the way go-yaml does.

use std::collections::BTreeMap;

use crate::yaml::{Node, NodeKind, Resolved, resolve_scalar};

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Default for Value {
    /// An empty map.
    fn default() -> Self {
        Self::Map(BTreeMap::new())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Self::Str(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Self::Int(i)
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Self {
        Self::Int(i64::from(i))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<Vec<Self>> for Value {
    fn from(items: Vec<Self>) -> Self {
        Self::Seq(items)
    }
}

/// A map from `(key, value)` pairs: `map([("name", "web".into())])`.
#[must_use]
pub fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

impl Value {
    /// The value kubectl sends for a YAML node: scalars typed as YAML 1.1 types them, keys
    /// as strings, the last of duplicated keys.
    #[must_use]
    pub fn from_node(node: &Node) -> Self {
        match &node.kind {
            NodeKind::Scalar(s) => match resolve_scalar(s) {
                Resolved::Null => Self::Null,
                Resolved::Bool(b) => Self::Bool(b),
                Resolved::Int(i) => Self::Int(i),
                // JSON has no integral floats: `2.0` travels as `2`.
                #[allow(clippy::cast_possible_truncation, clippy::float_cmp)]
                Resolved::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9e15 => {
                    Self::Int(f as i64)
                }
                Resolved::Float(f) => Self::Float(f),
                Resolved::Str(v) => Self::Str(v.to_owned()),
            },
            NodeKind::Sequence(items) => Self::Seq(items.iter().map(Self::from_node).collect()),
            NodeKind::Mapping(entries) => Self::Map(
                entries
                    .iter()
                    .map(|e| {
                        let key = match &e.key.kind {
                            NodeKind::Scalar(s) => match resolve_scalar(s) {
                                Resolved::Bool(b) => b.to_string(),
                                _ => s.value.clone(),
                            },
                            _ => String::new(),
                        };
                        (key, Self::from_node(&e.value))
                    })
                    .collect(),
            ),
        }
    }

    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Self> {
        match self {
            Self::Map(m) => m.get(key),
            _ => None,
        }
    }

    /// Follows a dotted path of map keys.
    #[must_use]
    pub fn at(&self, path: &str) -> Option<&Self> {
        path.split('.').try_fold(self, |v, k| v.get(k))
    }

    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_seq(&self) -> Option<&[Self]> {
        match self {
            Self::Seq(s) => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_map(&self) -> Option<&BTreeMap<String, Self>> {
        match self {
            Self::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Whether Go would see the field as unset: absent, `null`, `""`, `0`, or empty.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Bool(b) => !b,
            Self::Int(i) => *i == 0,
            Self::Float(f) => *f == 0.0,
            Self::Str(s) => s.is_empty(),
            Self::Seq(s) => s.is_empty(),
            Self::Map(m) => m.is_empty(),
        }
    }

    /// The map under `key`, made a map if it is not one (a field the API server fills in).
    pub fn map_mut(&mut self, key: &str) -> &mut Self {
        let m = self.ensure_map();
        let slot = m.entry(key.to_owned()).or_default();
        if !matches!(slot, Self::Map(_)) {
            *slot = Self::default();
        }
        slot
    }

    /// The items of the sequence under `key` (none if it is not a sequence).
    pub fn seq_mut(&mut self, key: &str) -> &mut [Self] {
        match self.ensure_map().get_mut(key) {
            Some(Self::Seq(items)) => items,
            _ => &mut [],
        }
    }

    /// Turns a non-map into an empty map, and returns the entries.
    pub fn ensure_map(&mut self) -> &mut BTreeMap<String, Self> {
        if !matches!(self, Self::Map(_)) {
            *self = Self::default();
        }
        match self {
            Self::Map(m) => m,
            _ => unreachable!("just made a map"),
        }
    }

    /// Sets `key` (the value wins over what was there).
    pub fn set(&mut self, key: &str, value: impl Into<Self>) {
        self.ensure_map().insert(key.to_owned(), value.into());
    }

    /// Sets `key` when Go would see it as unset (`SetDefaults_*`: `if obj.X == "" {...}`).
    pub fn set_default(&mut self, key: &str, value: impl Into<Self>) {
        let m = self.ensure_map();
        if m.get(key).is_none_or(Self::is_zero) {
            m.insert(key.to_owned(), value.into());
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Self> {
        match self {
            Self::Map(m) => m.remove(key),
            _ => None,
        }
    }

    /// Appends to the sequence under `key`, creating it.
    pub fn push(&mut self, key: &str, item: Self) {
        let m = self.ensure_map();
        let slot = m.entry(key.to_owned()).or_insert(Self::Seq(Vec::new()));
        match slot {
            Self::Seq(items) => items.push(item),
            other => *other = Self::Seq(vec![item]),
        }
    }
}

/// Standard base64 with padding, as Go's `encoding/json` writes a `[]byte` (a Secret's
/// `data` values).
#[must_use]
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        let stream = crate::yaml::parse(text, &crate::yaml::Limits::default());
        Value::from_node(stream.documents[0].root.as_ref().unwrap())
    }

    #[test]
    fn yaml_becomes_the_json_kubectl_sends() {
        let v = value("a: yes\nb: '80'\nc: 80\nd: ~\ne: [1.5, 2.0]\nf: {x: on}\n");
        assert_eq!(v.get("a"), Some(&Value::Bool(true)));
        assert_eq!(v.get("b"), Some(&Value::Str("80".into())));
        assert_eq!(v.get("c"), Some(&Value::Int(80)));
        assert_eq!(v.get("d"), Some(&Value::Null));
        assert_eq!(
            v.get("e"),
            Some(&Value::Seq(vec![Value::Float(1.5), Value::Int(2)]))
        );
        assert_eq!(v.at("f.x"), Some(&Value::Bool(true)));
    }

    #[test]
    fn defaults_fill_only_unset_fields() {
        let mut v = value("a: ''\nb: 3\n");
        v.set_default("a", "x");
        v.set_default("b", 9);
        v.set_default("c", true);
        assert_eq!(v, value("a: x\nb: 3\nc: true\n"));
    }

    #[test]
    fn base64_as_go_encodes() {
        assert_eq!(base64(b"password"), "cGFzc3dvcmQ=");
        assert_eq!(base64(b"admin"), "YWRtaW4=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b""), "");
    }
}
