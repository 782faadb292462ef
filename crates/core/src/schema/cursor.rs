//! The schema at a cursor position, for editor hovers and field-name completion.
//!
//! Works on the lines of the text rather than the parsed tree: while a learner types, the
//! document is often not valid YAML (`imagePullPo` alone on a line), yet the indentation
//! still tells which mapping the cursor is in. Block-style YAML only: flow mappings
//! (`{a: 1}`) and keys inside block scalars give nothing.

use super::{Ty, docs, root_type, ty};

/// The schema field under the cursor (the key of a mapping entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    /// The field path below the kind: `spec.template.spec.containers[].image`.
    pub path: String,
    /// Readable type (`integer`, `[]Container`, `map[string]string`).
    pub ty: String,
    pub description: &'static str,
    pub required: bool,
    pub values: &'static [&'static str],
}

/// A field the cursor's mapping may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub name: &'static str,
    pub ty: String,
    pub description: &'static str,
    pub required: bool,
}

/// One line of block YAML, split into its sequence dashes and its first key.
struct Line<'a> {
    /// Columns (bytes) of the `- ` indicators before the content.
    dashes: Vec<usize>,
    /// Column of the content after the indentation and the dashes.
    column: usize,
    /// The key, when the content is `key:` or `key: value`.
    key: Option<&'a str>,
    /// The text after `key:`, trimmed.
    value: &'a str,
}

fn split_line(line: &str) -> Option<Line<'_>> {
    let mut dashes = Vec::new();
    let mut column = line.len() - line.trim_start_matches(' ').len();
    loop {
        let rest = &line[column..];
        if rest == "-" || rest.starts_with("- ") {
            dashes.push(column);
            column += 1;
            column += line[column..].len() - line[column..].trim_start_matches(' ').len();
        } else {
            break;
        }
    }
    let content = &line[column..];
    if content.is_empty() || content.starts_with('#') {
        return (!dashes.is_empty()).then_some(Line {
            dashes,
            column,
            key: None,
            value: "",
        });
    }
    let (key, value) = match key_of(content) {
        Some((k, v)) => (Some(k), v),
        None => (None, ""),
    };
    Some(Line {
        dashes,
        column,
        key,
        value,
    })
}

/// `key: value` → (`key`, `value`); quoted keys lose their quotes.
fn key_of(content: &str) -> Option<(&str, &str)> {
    let (key, rest) = if let Some(q @ ('"' | '\'')) = content.chars().next() {
        let end = content[1..].find(q)? + 1;
        (&content[1..end], &content[end + 1..])
    } else {
        if content.starts_with(['{', '[', '|', '>', '&', '*', '!', '%', '@', '`']) {
            return None;
        }
        let colon = content
            .match_indices(':')
            .map(|(i, _)| i)
            .find(|&i| matches!(content.as_bytes().get(i + 1), None | Some(b' ' | b'\t')))?;
        (content[..colon].trim_end(), &content[colon..])
    };
    let value = rest.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    let value = value.trim();
    let value = if value.starts_with('#') { "" } else { value };
    Some((key, value))
}

fn unquote(v: &str) -> &str {
    let v = v.split(" #").next().unwrap_or(v).trim();
    v.trim_matches(|c| c == '"' || c == '\'')
}

/// The lines of the document around `offset` (byte offset and text of each line), and the
/// index of the line holding `offset`.
fn document_lines(text: &str, offset: usize) -> (Vec<(usize, &str)>, usize) {
    let mut lines = Vec::new();
    let mut current = 0;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.starts_with("---") || body == "..." {
            if start > offset {
                break;
            }
            lines.clear();
            current = 0;
        } else {
            if start <= offset {
                current = lines.len();
            }
            lines.push((start, body));
        }
        start += line.len();
    }
    if text.ends_with('\n') && offset == text.len() {
        // The empty last line.
        current = lines.len();
        lines.push((offset, ""));
    }
    (lines, current)
}

/// The document's `apiVersion` and `kind`, from its top-level lines.
fn kind_of<'a>(lines: &[(usize, &'a str)]) -> Option<(&'a str, &'a str)> {
    let find = |name: &str| {
        lines.iter().find_map(|(_, l)| {
            let (k, v) = key_of(l).filter(|_| !l.starts_with(' '))?;
            (k == name).then(|| unquote(v))
        })
    };
    Some((find("apiVersion")?, find("kind")?))
}

/// The keys (and `[]` for sequence items) from the document root to the mapping that holds a
/// key at `column` on line `current` whose own dashes are `dashes`.
fn parents(
    lines: &[(usize, &str)],
    current: usize,
    column: usize,
    dashes: &[usize],
) -> Option<Vec<String>> {
    let mut path = Vec::new();
    let mut c = column;
    let mut seq = false;
    for &d in dashes.iter().rev() {
        path.push("[]".to_owned());
        c = d;
        seq = true;
    }
    for (_, text) in lines[..current].iter().rev() {
        if !seq && c == 0 {
            break;
        }
        let Some(line) = split_line(text) else {
            continue;
        };
        let first = line.dashes.first().copied().unwrap_or(line.column);
        if seq {
            if let Some(j) = line.dashes.iter().position(|&d| d == c) {
                // A sibling item; items nested in outer items climb out of them.
                for _ in 0..j {
                    path.push("[]".to_owned());
                }
                c = first;
                continue;
            }
            if line.column > c {
                if first < c {
                    return None;
                }
                continue;
            }
        } else if line.column == c && !line.dashes.is_empty() {
            // The first entry of the sequence item that holds the cursor's mapping.
            for _ in &line.dashes {
                path.push("[]".to_owned());
            }
            c = first;
            seq = true;
            continue;
        } else if line.column >= c {
            continue;
        }
        // An ancestor: `key:` with the cursor's mapping (or sequence) as its value.
        let key = line.key?;
        if line.value.starts_with(['|', '>']) {
            return None;
        }
        path.push(key.to_owned());
        for _ in &line.dashes {
            path.push("[]".to_owned());
        }
        seq = !line.dashes.is_empty();
        c = first;
    }
    (!seq && c == 0).then(|| {
        path.reverse();
        path
    })
}

/// The schema type at `path` (keys and `[]`); map keys pass through the map.
fn resolve(api_version: &str, kind: &str, path: &[String]) -> Option<Ty> {
    let root = super::ROOTS
        .iter()
        .find(|r| r.api_version == api_version && r.kind == kind)?;
    let mut current = Ty::Object(root.ty);
    for part in path {
        current = match (current, part.as_str()) {
            (Ty::Array(inner), "[]") => *inner,
            (Ty::Object(i), key) => ty(i)?.field(key)?.ty,
            (Ty::Map(inner), key) if key != "[]" => *inner,
            _ => return None,
        };
    }
    Some(current)
}

fn display_path(path: &[String]) -> String {
    let mut out = String::new();
    for part in path {
        if part != "[]" && !out.is_empty() {
            out.push('.');
        }
        out.push_str(part);
    }
    out
}

fn field_doc(index: usize, name: &str) -> &'static str {
    let Some(t) = ty(index) else { return "" };
    t.fields
        .iter()
        .position(|f| f.name == name)
        .and_then(|i| docs(index)?.fields.get(i).copied())
        .unwrap_or_default()
}

/// The schema field whose key is under `offset` (a byte offset into `text`), with its path,
/// type and description; `None` off a key, for map keys (labels) and for unknown kinds.
#[must_use]
pub fn at_offset(text: &str, offset: usize) -> Option<FieldInfo> {
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    let (lines, current) = document_lines(text, offset);
    let &(start, body) = lines.get(current)?;
    let line = split_line(body)?;
    let key = line.key?;
    let quoted = usize::from(body[line.column..].starts_with(['"', '\'']));
    let key_start = start + line.column + quoted;
    if offset < key_start || offset > key_start + key.len() {
        return None;
    }
    let (api_version, kind) = kind_of(&lines)?;
    let mut path = parents(&lines, current, line.column, &line.dashes)?;
    // The holder must be an object type, not a map (a label key is not a field).
    let Ty::Object(parent) = resolve(api_version, kind, &path)? else {
        return None;
    };
    let field = ty(parent)?.field(key)?;
    path.push(key.to_owned());
    Some(FieldInfo {
        path: display_path(&path),
        ty: field.ty.display(),
        description: field_doc(parent, key),
        required: field.required,
        values: field.values,
    })
}

/// The fields the mapping at `offset` may hold, for completing a field name: the cursor is
/// on a half-typed key (`imagePull|`), after a `- `, or on an empty line whose indentation
/// picks the mapping. Fields already present in that mapping are still listed (duplicates are
/// reported by the checks). Empty in a value, for unknown kinds and off the schema.
#[must_use]
pub fn completions(text: &str, offset: usize) -> Vec<Completion> {
    completions_opt(text, offset).unwrap_or_default()
}

fn completions_opt(text: &str, offset: usize) -> Option<Vec<Completion>> {
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    let (lines, current) = document_lines(text, offset);
    let &(start, body) = lines.get(current)?;
    let before = body.get(..offset.checked_sub(start)?)?;
    let mut dashes = Vec::new();
    let mut column = before.len() - before.trim_start_matches(' ').len();
    while before[column..].starts_with("- ") {
        dashes.push(column);
        column += 1;
        column += before[column..].len() - before[column..].trim_start_matches(' ').len();
    }
    let prefix = &before[column..];
    if !prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
    {
        return None;
    }
    let (api_version, kind) = kind_of(&lines)?;
    let path = parents(&lines, current, column, &dashes)?;
    let Ty::Object(index) = resolve(api_version, kind, &path)? else {
        return None;
    };
    let t = ty(index)?;
    let d = docs(index);
    Some(
        t.fields
            .iter()
            .enumerate()
            .map(|(i, f)| Completion {
                name: f.name,
                ty: f.ty.display(),
                description: d.and_then(|d| d.fields.get(i).copied()).unwrap_or_default(),
                required: f.required,
            })
            .collect(),
    )
}

/// Whether `kind` in `api_version` has a schema (for callers that want to skip the work).
#[must_use]
pub fn covered(api_version: &str, kind: &str) -> bool {
    root_type(api_version, kind).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
        imagePullPo
      - name: sidecar
        image: busybox
";

    fn at(text: &str, needle: &str) -> Option<FieldInfo> {
        at_offset(text, text.find(needle).unwrap() + 1)
    }

    fn names(list: &[Completion]) -> Vec<&'static str> {
        list.iter().map(|c| c.name).collect()
    }

    #[test]
    fn hovers_deployment_fields() {
        let r = at(DEPLOYMENT, "replicas").unwrap();
        assert_eq!(r.path, "spec.replicas");
        assert_eq!(r.ty, "integer");
        assert!(r.description.contains("pods"), "{}", r.description);
        let image = at(DEPLOYMENT, "image:").unwrap();
        assert_eq!(image.path, "spec.template.spec.containers[].image");
        assert_eq!(image.ty, "string");
        let name = at(DEPLOYMENT, "name: sidecar").unwrap();
        assert_eq!(name.path, "spec.template.spec.containers[].name");
        assert!(name.required);
        let port = at(DEPLOYMENT, "containerPort").unwrap();
        assert_eq!(
            port.path,
            "spec.template.spec.containers[].ports[].containerPort"
        );
        assert!(port.required);
        let containers = at(DEPLOYMENT, "containers").unwrap();
        assert_eq!(containers.ty, "[]Container");
        assert_eq!(at(DEPLOYMENT, "kind").unwrap().path, "kind");
    }

    #[test]
    fn no_hover_off_keys_or_on_map_keys() {
        // The value, not the key.
        assert_eq!(at(DEPLOYMENT, "nginx"), None);
        // A label key is not a schema field.
        assert_eq!(at(DEPLOYMENT, "app: web"), None);
        assert_eq!(at(DEPLOYMENT, "imagePullPo"), None);
    }

    #[test]
    fn completes_container_fields_for_a_half_typed_key() {
        let offset = DEPLOYMENT.find("imagePullPo").unwrap() + "imagePullPo".len();
        let list = completions(DEPLOYMENT, offset);
        let policy = list.iter().find(|c| c.name == "imagePullPolicy").unwrap();
        assert_eq!(policy.ty, "string");
        assert!(!policy.description.is_empty());
        assert!(names(&list).contains(&"livenessProbe"));
        // In a value: nothing.
        let value = DEPLOYMENT.find("nginx:1.27").unwrap() + 3;
        assert!(completions(DEPLOYMENT, value).is_empty());
    }

    #[test]
    fn empty_lines_complete_by_indentation() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        \n";
        let at_end = |indent: &str| {
            let t = format!("{}{indent}", &text[..text.len() - 9]);
            names(&completions(&t, t.len())).join(",")
        };
        assert!(at_end("        ").contains("imagePullPolicy"));
        assert!(at_end("      ").contains("containers"));
        assert!(at_end("    ").contains("metadata"));
        assert!(at_end("  ").contains("replicas"));
        assert!(at_end("").contains("apiVersion"));
        assert!(at_end("      - ").contains("imagePullPolicy"));
    }

    #[test]
    fn service_spec_fields() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ty\n  ports:\n  - port: 80\n    targetPort: 8080\n";
        let offset = text.find("  ty").unwrap() + 4;
        let list = names(&completions(text, offset));
        assert!(list.contains(&"type"), "{list:?}");
        assert!(list.contains(&"clusterIP"));
        let t = at(text, "targetPort").unwrap();
        assert_eq!(t.path, "spec.ports[].targetPort");
        assert_eq!(t.ty, "IntOrString");
        let s = "apiVersion: v1\nkind: Service\nspec:\n  type: NodePort\n";
        let ty = at(s, "type").unwrap();
        assert!(ty.values.contains(&"NodePort"), "{ty:?}");
    }

    #[test]
    fn unknown_kinds_and_other_documents() {
        let text = "apiVersion: example.com/v1\nkind: Widget\nspec:\n  replicas: 1\n  \n";
        assert_eq!(at(text, "replicas"), None);
        assert!(completions(text, text.len()).is_empty());
        // Each document has its own kind.
        let two = format!("{DEPLOYMENT}---\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n");
        let offset = two.rfind("data").unwrap();
        assert_eq!(at_offset(&two, offset).unwrap().ty, "map[string]string");
        assert_eq!(at(&two, "replicas").unwrap().path, "spec.replicas");
        let top = names(&completions(&two, offset));
        assert!(top.contains(&"immutable"), "{top:?}");
        assert!(covered("apps/v1", "Deployment"));
        assert!(!covered("v1", "Widget"));
    }

    #[test]
    fn block_scalars_and_odd_offsets_give_nothing() {
        let text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  conf: |\n    replicas: 3\n";
        assert_eq!(at(text, "replicas"), None);
        assert_eq!(at_offset("kind: é", 7), None);
        assert_eq!(at_offset("", 5), None);
        assert!(completions("é", 1).is_empty());
    }
}
