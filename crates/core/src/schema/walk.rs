//! The walker: one object's positioned tree against its kind's schema, as the API server's
//! strict JSON decoder (sigs.k8s.io/json on encoding/json) and its first validation pass see it.

use crate::model::{Quantity, QuantityError};
use crate::suggest::edit_distance;
use crate::text::TextRange;
use crate::yaml::{Node, NodeKind, Resolved};

use super::{Field, TYPES, Ty, Type, root_type, ty};

/// One structural problem in one object.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Index of the object in the analysis.
    pub object: usize,
    /// The field path as the API server prints it (`spec.template.spec.containers[0].image`).
    pub path: String,
    /// Where to report it: the key of an unknown field, the value of a wrong one.
    pub range: TextRange,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A key the type does not have.
    UnknownField {
        name: String,
        /// A field of the same type with a close spelling.
        suggestion: Option<&'static str>,
        /// Where a field of this name exists in the kind (`spec.template.spec.containers[*].ports`).
        belongs: Option<String>,
    },
    /// A JSON value of the wrong type.
    WrongType {
        /// What was written (`string`, `number 1.5`, `bool`, `object`, `array`).
        found: String,
        /// What the field takes, for learners (`integer`, `[]Container`).
        expected: String,
        /// The decoder's own error (`json: cannot unmarshal ...`).
        detail: String,
    },
    /// A required field is missing (or null).
    Required { field: &'static str },
    /// A value outside the field's fixed set.
    Unsupported {
        value: String,
        supported: &'static [&'static str],
    },
    /// Not a Kubernetes quantity.
    Quantity { value: String, error: QuantityError },
    /// Not standard base64 (`[]byte` fields such as Secret `data`).
    Base64 { value_len: usize, offset: usize },
}

/// Fields of an object whose unknown keys get a "belongs" search; beyond this, unknown keys
/// are still reported but without the search, so 10,000 typos stay linear.
const BELONGS_BUDGET: usize = 64;

/// Unknown keys per object that get a "did you mean" search (edit distances against the
/// type's fields); past this, a generated or pasted blob stays fast.
const SUGGEST_BUDGET: usize = 1_000;

/// Appends the findings of one object (skipped when the schema does not cover its kind).
pub fn findings_of(
    api_version: &str,
    kind: &str,
    root: &Node,
    object: usize,
    out: &mut Vec<Finding>,
) {
    let Some(t) = root_type(api_version, kind) else {
        return;
    };
    let Some(entries) = root.as_mapping() else {
        return;
    };
    let mut w = Walker {
        object,
        root: t,
        out,
        segs: Vec::new(),
        belongs_budget: BELONGS_BUDGET,
        suggest_budget: SUGGEST_BUDGET,
    };
    w.object_fields(entries, t, None, root.range, true);
}

struct Walker<'o, 'n> {
    object: usize,
    root: &'static Type,
    out: &'o mut Vec<Finding>,
    /// Where the walk is; rendered into a path only when there is something to report, so
    /// the common case (a valid manifest) builds no strings.
    segs: Vec<Seg<'n>>,
    belongs_budget: usize,
    suggest_budget: usize,
}

#[derive(Clone, Copy)]
enum Seg<'n> {
    Field(&'n str),
    Index(usize),
    Key(&'n str),
}

/// What the JSON decoder calls the value it found.
fn found_name(node: &Node) -> String {
    match &node.kind {
        NodeKind::Mapping(_) => "object".into(),
        NodeKind::Sequence(_) => "array".into(),
        NodeKind::Scalar(_) => match node.resolve() {
            Some(Resolved::Bool(_)) => "bool".into(),
            Some(Resolved::Int(_) | Resolved::Float(_)) => "number".into(),
            _ => "string".into(),
        },
    }
}

/// An integral value that fits: kubectl's YAML-to-JSON conversion writes `3.0` as `3`.
fn integral(node: &Node, resolved: Option<Resolved<'_>>, min: i64, max: i64) -> Result<(), String> {
    match resolved {
        Some(Resolved::Int(i)) if (min..=max).contains(&i) => Ok(()),
        Some(Resolved::Int(i)) => Err(format!("number {i}")),
        #[allow(clippy::cast_precision_loss)]
        Some(Resolved::Float(f)) if f.fract() == 0.0 && f >= min as f64 && f <= max as f64 => {
            Ok(())
        }
        Some(Resolved::Float(f)) => Err(format!("number {f}")),
        _ => Err(found_name(node)),
    }
}

impl<'n> Walker<'_, 'n> {
    /// The API path, with indices and map keys (`spec.containers[0].resources.limits[cpu]`).
    fn path(&self) -> String {
        let mut out = String::new();
        for seg in &self.segs {
            match seg {
                Seg::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
                Seg::Key(k) => {
                    out.push('[');
                    out.push_str(k);
                    out.push(']');
                }
            }
        }
        out
    }

    /// The Go decoder's path: JSON field names only (`spec.containers.resources.limits`).
    fn go_path(&self) -> String {
        let names: Vec<&str> = self
            .segs
            .iter()
            .filter_map(|s| match s {
                Seg::Field(n) => Some(*n),
                _ => None,
            })
            .collect();
        names.join(".")
    }

    fn push(&mut self, range: TextRange, problem: Problem) {
        self.out.push(Finding {
            object: self.object,
            path: self.path(),
            range,
            problem,
        });
    }

    fn wrong_type(&mut self, node: &Node, found: String, field_ty: &Ty, go_struct: &str) {
        let go_ty = match field_ty {
            // intstr.IntOrString decodes non-strings as an int32.
            Ty::IntOrString => "int32".to_owned(),
            _ => field_ty.go(),
        };
        let detail = format!(
            "json: cannot unmarshal {found} into Go struct field {go_struct}.{} of type {go_ty}",
            self.go_path()
        );
        self.push(
            node.range,
            Problem::WrongType {
                found,
                expected: field_ty.display(),
                detail,
            },
        );
    }

    /// Walks the entries of a mapping of type `t`; `key_range` is the key that holds it.
    fn object_fields(
        &mut self,
        entries: &'n [crate::yaml::Entry],
        t: &'static Type,
        key_range: Option<TextRange>,
        range: TextRange,
        is_root: bool,
    ) {
        // A misspelled required field is reported once, as the unknown field with its fix.
        let mut suggested: Vec<&'static str> = Vec::new();
        for entry in entries {
            let Some(key) = entry.key.as_scalar() else {
                continue;
            };
            let name = key.value.as_str();
            // A YAML merge key (`<<: *defaults`): kubectl merges it; the positioned tree
            // does not, so neither it nor what it brings can be checked here.
            if name == "<<" {
                continue;
            }
            self.segs.push(Seg::Field(name));
            match t.field(name) {
                None => {
                    let suggestion = if self.suggest_budget > 0 {
                        self.suggest_budget -= 1;
                        suggest(t, name)
                    } else {
                        None
                    };
                    suggested.extend(suggestion);
                    let belongs = if suggestion.is_none() && self.belongs_budget > 0 {
                        self.belongs_budget -= 1;
                        belongs(self.root, name, &self.path())
                    } else {
                        None
                    };
                    self.push(
                        entry.key.range,
                        Problem::UnknownField {
                            name: name.to_owned(),
                            suggestion,
                            belongs,
                        },
                    );
                }
                Some(_) if is_root && matches!(name, "apiVersion" | "kind") => {}
                Some(field) => self.value(&entry.value, field, Some(entry.key.range), t.name),
            }
            self.segs.pop();
        }
        let merged = entries
            .iter()
            .any(|e| e.key.as_scalar().is_some_and(|k| k.value == "<<"));
        for field in t
            .fields
            .iter()
            .filter(|f| f.required && !merged && !suggested.contains(&f.name))
        {
            let present = entries.iter().any(|e| {
                e.key.as_scalar().is_some_and(|k| k.value == field.name) && !e.value.is_null()
            });
            if !present {
                let at = key_range
                    .or_else(|| entries.first().map(|e| e.key.range))
                    .unwrap_or(range);
                self.segs.push(Seg::Field(field.name));
                self.push(at, Problem::Required { field: field.name });
                self.segs.pop();
            }
        }
    }

    /// Checks one field's value.
    fn value(
        &mut self,
        node: &'n Node,
        field: &'static Field,
        key_range: Option<TextRange>,
        go_struct: &'static str,
    ) {
        self.typed(node, &field.ty, key_range, go_struct, field);
    }

    fn typed(
        &mut self,
        node: &'n Node,
        t: &Ty,
        key_range: Option<TextRange>,
        go_struct: &'static str,
        field: &'static Field,
    ) {
        // Resolved once: YAML 1.1 typing is the costly part of a scalar.
        let resolved = node.resolve();
        if matches!(resolved, Some(Resolved::Null)) {
            return;
        }
        match t {
            Ty::Raw => {}
            Ty::Object(i) => {
                let Some(object_type) = ty(*i) else { return };
                match node.as_mapping() {
                    Some(entries) => {
                        self.object_fields(entries, object_type, key_range, node.range, false);
                    }
                    None => self.wrong_type(node, found_name(node), t, go_struct),
                }
            }
            Ty::String => match resolved {
                Some(Resolved::Str(s)) => {
                    if !field.values.is_empty() && !s.is_empty() && !field.values.contains(&s) {
                        self.push(
                            node.range,
                            Problem::Unsupported {
                                value: s.to_owned(),
                                supported: field.values,
                            },
                        );
                    }
                }
                _ => self.wrong_type(node, found_name(node), t, go_struct),
            },
            Ty::Int32 => {
                if let Err(found) = integral(
                    node,
                    resolved.clone(),
                    i64::from(i32::MIN),
                    i64::from(i32::MAX),
                ) {
                    self.wrong_type(node, found, t, go_struct);
                }
            }
            Ty::Int64 => {
                if let Err(found) = integral(node, resolved.clone(), i64::MIN, i64::MAX) {
                    self.wrong_type(node, found, t, go_struct);
                }
            }
            Ty::Number => {
                if !matches!(resolved, Some(Resolved::Int(_) | Resolved::Float(_))) {
                    self.wrong_type(node, found_name(node), t, go_struct);
                }
            }
            Ty::Boolean => {
                if !matches!(resolved, Some(Resolved::Bool(_))) {
                    self.wrong_type(node, found_name(node), t, go_struct);
                }
            }
            Ty::IntOrString => match resolved {
                Some(Resolved::Str(_)) => {}
                _ => {
                    if let Err(found) = integral(
                        node,
                        resolved.clone(),
                        i64::from(i32::MIN),
                        i64::from(i32::MAX),
                    ) {
                        self.wrong_type(node, found, t, go_struct);
                    }
                }
            },
            Ty::Quantity => {
                let text = match resolved {
                    Some(Resolved::Int(_) | Resolved::Float(_)) => return,
                    Some(Resolved::Str(s)) => s,
                    Some(Resolved::Bool(b)) => {
                        if b {
                            "true"
                        } else {
                            "false"
                        }
                    }
                    _ => "",
                };
                let error = if text.is_empty() {
                    Err(QuantityError::Format)
                } else {
                    Quantity::parse(text.trim())
                };
                if let Err(error) = error {
                    let value = node
                        .as_scalar()
                        .map_or_else(|| found_name(node), |s| s.value.clone());
                    self.push(node.range, Problem::Quantity { value, error });
                }
            }
            Ty::Bytes => match resolved {
                Some(Resolved::Str(s)) => {
                    if let Err(offset) = go_base64(s.as_bytes()) {
                        self.push(
                            node.range,
                            Problem::Base64 {
                                value_len: s.len(),
                                offset,
                            },
                        );
                    }
                }
                _ => self.wrong_type(node, found_name(node), t, go_struct),
            },
            Ty::Array(item) => match node.as_sequence() {
                Some(items) => {
                    for (i, child) in items.iter().enumerate() {
                        self.segs.push(Seg::Index(i));
                        if matches!(item, Ty::String) && !field.values.is_empty() {
                            self.typed(child, item, None, go_struct, field);
                        } else {
                            self.typed(child, item, None, go_struct, NO_ENUM);
                        }
                        self.segs.pop();
                    }
                }
                None => self.wrong_type(node, found_name(node), t, go_struct),
            },
            Ty::Map(value) => match node.as_mapping() {
                Some(entries) => {
                    for e in entries {
                        let key = e.key.as_scalar().map_or("", |k| k.value.as_str());
                        self.segs.push(Seg::Key(key));
                        self.typed(&e.value, value, Some(e.key.range), go_struct, NO_ENUM);
                        self.segs.pop();
                    }
                }
                None => self.wrong_type(node, found_name(node), t, go_struct),
            },
        }
    }
}

/// A field with no enum values, for array items and map values.
static NO_ENUM: &Field = &Field {
    name: "",
    ty: Ty::Raw,
    required: false,
    values: &[],
};

/// A field of `t` spelled like `name` (case slips first, then small edit distances).
fn suggest(t: &Type, name: &str) -> Option<&'static str> {
    if let Some(f) = t.fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
        return Some(f.name);
    }
    // A cut-short or prefixed name: `initialDelay`, `revisionHistory`, `storageClass`,
    // `targetAverageUtilization` (the v2beta1 spelling of `averageUtilization`).
    let n = name.as_bytes();
    if n.len() >= 4
        && let Some(f) = t
            .fields
            .iter()
            .filter(|f| {
                let field = f.name.as_bytes();
                field
                    .get(..n.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(n))
                    || (field.len() >= 5
                        && n.len() >= field.len()
                        && n[n.len() - field.len()..].eq_ignore_ascii_case(field))
            })
            .min_by_key(|f| f.name.len())
    {
        return Some(f.name);
    }
    let limit = match name.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    t.fields
        .iter()
        // The length difference bounds the distance from below: skip hopeless candidates.
        .filter(|f| f.name.len().abs_diff(name.len()) <= limit)
        .map(|f| (edit_distance(name, f.name), f.name))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, n)| n)
}

/// Where a field called `name` exists in the kind, breadth-first from the root (the
/// shallowest place), excluding the place it was written.
fn belongs(root: &'static Type, name: &str, written: &str) -> Option<String> {
    let mut seen = vec![false; TYPES.len()];
    let mut queue: std::collections::VecDeque<(&'static Type, String, u8)> =
        std::collections::VecDeque::new();
    queue.push_back((root, String::new(), 0));
    while let Some((t, path, depth)) = queue.pop_front() {
        for f in t.fields {
            if f.name == "status" && path.is_empty() {
                continue;
            }
            let p = if path.is_empty() {
                f.name.to_owned()
            } else {
                format!("{path}.{}", f.name)
            };
            if f.name == name && strip_indices(written) != strip_indices(&p) {
                return Some(p);
            }
            if depth < 6 {
                let (inner, suffix) = match f.ty {
                    Ty::Array(Ty::Object(i)) => (Some(*i), "[*]"),
                    Ty::Object(i) => (Some(i), ""),
                    _ => (None, ""),
                };
                if let Some(i) = inner
                    && let Some(slot) = seen.get_mut(i)
                    && !*slot
                {
                    *slot = true;
                    if let Some(t) = ty(i) {
                        queue.push_back((t, format!("{p}{suffix}"), depth + 1));
                    }
                }
            }
        }
    }
    None
}

fn strip_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Go's `base64.StdEncoding.Decode` (padding required, `\r` and `\n` skipped): `Err(offset)`
/// is the byte its `CorruptInputError` names.
fn go_base64(src: &[u8]) -> Result<(), usize> {
    fn value(c: u8) -> bool {
        c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
    }
    let mut si = 0;
    loop {
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(());
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if value(c) {
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                return Err(si);
            }
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_offsets_match_go() {
        assert_eq!(go_base64(b"cGFzc3dvcmQ="), Ok(()));
        assert_eq!(go_base64(b"YWJj\nZGVm"), Ok(()));
        assert_eq!(go_base64(b""), Ok(()));
        // "password123": two good quanta, then three bytes and the end.
        assert_eq!(go_base64(b"password123"), Err(8));
        assert_eq!(go_base64(b"abc"), Err(0));
        assert_eq!(go_base64(b"ab$d"), Err(2));
        assert_eq!(go_base64(b"a==="), Err(1));
        assert_eq!(go_base64(b"ab="), Err(3));
        assert_eq!(go_base64(b"ab==cd"), Err(4));
        assert_eq!(go_base64(b"my-secret"), Err(2));
    }

    fn findings(text: &str) -> Vec<Finding> {
        let a = crate::analyze(text);
        let mut out = Vec::new();
        for (i, o) in a.objects.iter().enumerate() {
            let root = a.documents[o.document].root.as_ref().unwrap();
            findings_of(
                o.api_version.as_deref().unwrap(),
                o.kind.as_deref().unwrap(),
                root,
                i,
                &mut out,
            );
        }
        out
    }

    #[test]
    fn merge_keys_are_not_unknown_fields() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - <<: {name: a}\n    image: nginx\n";
        assert_eq!(findings(text), []);
    }

    #[test]
    fn ten_thousand_unknown_fields_stay_linear() {
        let mut text = String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n");
        for i in 0..10_000 {
            text.push_str(&format!("  field{i}: {i}\n"));
        }
        text.push_str("  containers: []\n");
        let found = findings(&text);
        assert_eq!(found.len(), 10_000);
        assert!(
            found
                .iter()
                .all(|f| matches!(f.problem, Problem::UnknownField { .. }))
        );
    }

    #[test]
    fn numbers_as_kubectl_converts_them() {
        let pod = |v: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  terminationGracePeriodSeconds: {v}\n  containers: []\n"
            )
        };
        assert_eq!(findings(&pod("30")), []);
        assert_eq!(findings(&pod("3.0")), []);
        assert_eq!(findings(&pod("1e3")), []);
        let f = findings(&pod("1.5"));
        assert!(
            matches!(&f[0].problem, Problem::WrongType { detail, .. } if detail == "json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64"),
            "{f:?}"
        );
    }

    #[test]
    fn paths_without_indices() {
        assert_eq!(
            strip_indices("spec.containers[0].ports"),
            "spec.containers.ports"
        );
    }

    #[test]
    fn finds_where_a_field_belongs() {
        let d = root_type("apps/v1", "Deployment").unwrap();
        assert_eq!(
            belongs(d, "containers", "spec.containers").as_deref(),
            Some("spec.template.spec.containers")
        );
        let s = root_type("v1", "Service").unwrap();
        assert_eq!(
            belongs(s, "ports", "metadata.ports").as_deref(),
            Some("spec.ports")
        );
    }
}
