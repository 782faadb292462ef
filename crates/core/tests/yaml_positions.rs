//! The YAML layer from the outside: positions of nodes and of syntax errors, the
//! explanations learners read, and duplicate keys.

use kubeplay_core::yaml::{Limits, NodeKind, parse};
use kubeplay_core::{LineIndex, Severity, analyze};

fn slice(text: &str, r: kubeplay_core::TextRange) -> &str {
    &text[r.start..r.end]
}

#[test]
fn every_node_keeps_its_byte_range_and_line() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  list:\n    - a\n    - \"b c\"\n";
    let stream = parse(text, &Limits::default());
    assert!(stream.errors.is_empty(), "{:?}", stream.errors);
    let root = stream.documents[0].root.as_ref().unwrap();
    let idx = LineIndex::new(text);
    let name = root.get("metadata").unwrap().get("name").unwrap();
    assert_eq!(slice(text, name.range), "web");
    assert_eq!(idx.location(text, name.range.start).line, 4);
    let key = &root.entry("kind").unwrap().key;
    assert_eq!(slice(text, key.range), "kind");
    let list = root.get("data").unwrap().get("list").unwrap();
    let items = list.as_sequence().unwrap();
    assert_eq!(slice(text, items[0].range), "a");
    assert_eq!(slice(text, items[1].range), "\"b c\"");
    assert_eq!(idx.location(text, items[1].range.start).line, 8);
    let doc = &stream.documents[0];
    assert_eq!(doc.range.start, 0);
}

#[test]
fn spans_count_utf16_columns_with_emoji_and_cjk() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  annotations:\n    note: \"😀 名前\"\n    owner: チーム\ndata:\n  key: 😀😀 value\n  bad: [1, 2\n";
    let a = analyze(text);
    // The unclosed flow sequence on the last line is a syntax error; everything before it keeps
    // exact positions.
    let stream = parse(text, &Limits::default());
    let root = stream.documents[0].root.as_ref().unwrap();
    let owner = root
        .get("metadata")
        .unwrap()
        .get("annotations")
        .unwrap()
        .get("owner")
        .unwrap();
    assert_eq!(slice(text, owner.range), "チーム");
    let loc = a.line_index.location(text, owner.range.end);
    // "    owner: " is 11 units, "チーム" 3 more: end column 15 (1-based), bytes 11 + 9.
    assert_eq!((loc.line, loc.column, loc.byte_column), (7, 15, 21));
    let value = root.get("data").unwrap().get("key").unwrap();
    assert_eq!(slice(text, value.range), "😀😀 value");
    let end = a.line_index.location(text, value.range.end);
    // "  key: " 7 units + two emoji (2 units each) + " value" 6 = 17, column 18.
    assert_eq!((end.line, end.column), (9, 18));
    assert_eq!(end.byte_column, 7 + 8 + 6 + 1);
    let syntax: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "yaml-syntax")
        .collect();
    assert_eq!(syntax.len(), 1);
    assert!(syntax[0].span.start.line >= 10);
}

fn only_syntax(text: &str) -> kubeplay_core::Diagnostic {
    let a = analyze(text);
    let found: Vec<_> = a
        .diagnostics
        .into_iter()
        .filter(|d| d.code == "yaml-syntax")
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one syntax error in {text:?}: {found:#?}"
    );
    found.into_iter().next().unwrap()
}

#[test]
fn tab_indentation_is_explained() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: web\n";
    let d = only_syntax(text);
    assert_eq!(d.span.start.line, 4);
    assert_eq!(d.severity, Severity::Error);
    assert!(d.explanation.contains("tab"), "{}", d.explanation);
    assert!(d.help.contains("spaces"), "{}", d.help);
    assert!(
        d.apiserver
            .as_deref()
            .unwrap()
            .contains("error converting YAML to JSON")
    );
}

#[test]
fn unclosed_quote_is_explained() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: \"hello\n  other: x\n";
    let d = only_syntax(text);
    assert!(d.explanation.contains("never closed"), "{}", d.explanation);
}

#[test]
fn missing_space_after_colon_is_explained() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name:web\n      image: nginx:1.27\n";
    let d = only_syntax(text);
    assert!(
        d.span.start.line >= 7 && d.span.start.line <= 8,
        "line {}",
        d.span.start.line
    );
    assert!(d.explanation.contains("no space"), "{}", d.explanation);
}

#[test]
fn list_item_at_wrong_indentation_is_explained() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n   - name: sidecar\n     image: busybox:1.36\n";
    let d = only_syntax(text);
    assert_eq!(d.span.start.line, 9);
    assert!(
        d.explanation.contains("list item") || d.explanation.contains("indented"),
        "{}",
        d.explanation
    );
}

#[test]
fn colon_inside_a_value_is_explained() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      command: echo time: now\n";
    let d = only_syntax(text);
    assert_eq!(d.span.start.line, 9);
    assert!(d.help.contains("Quote"), "{}", d.help);
}

#[test]
fn an_error_in_one_document_does_not_hide_the_next() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n---\napiVersion: v1\nkind: Deployment\nmetadata:\n  name: b\n";
    let a = analyze(text);
    let codes: Vec<_> = a
        .diagnostics
        .iter()
        .map(|d| (d.code, d.span.start.line))
        .collect();
    assert!(codes.contains(&("yaml-syntax", 4)), "{codes:?}");
    assert!(codes.contains(&("unknown-kind", 7)), "{codes:?}");
}

#[test]
fn duplicate_keys_are_reported_at_the_second_key() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  replicas: 3\n";
    let a = analyze(text);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == "yaml-duplicate-key")
        .unwrap();
    assert_eq!(d.span.start.line, 7);
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("first on line 6"), "{}", d.message);
    assert!(d.explanation.contains("last value"), "{}", d.explanation);
    // kubectl keeps the last value; so does the tree.
    let root = a.documents[0].root.as_ref().unwrap();
    assert_eq!(
        root.get("spec")
            .unwrap()
            .get("replicas")
            .unwrap()
            .as_scalar()
            .unwrap()
            .value,
        "3"
    );
}

#[test]
fn empty_documents_and_comments_produce_no_objects() {
    let text = "# just a comment\n---\n---\n# another\n";
    let a = analyze(text);
    assert!(a.objects.is_empty());
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
}

#[test]
fn objects_carry_identity_and_line() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n";
    let a = analyze(text);
    assert_eq!(a.objects.len(), 2);
    let cm = &a.objects[1];
    assert_eq!(cm.kind.as_deref(), Some("ConfigMap"));
    assert_eq!(cm.namespace.as_deref(), Some("shop"));
    assert_eq!(cm.span.start.line, 6);
}

#[test]
fn aliases_resolve_to_their_anchor() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels: &l\n    app: web\n  annotations: *l\n";
    let stream = parse(text, &Limits::default());
    let meta = stream.documents[0]
        .root
        .as_ref()
        .unwrap()
        .get("metadata")
        .unwrap();
    let ann = meta.get("annotations").unwrap();
    assert!(matches!(ann.kind, NodeKind::Mapping(_)));
    assert_eq!(ann.get("app").unwrap().as_str(), Some("web"));
}

#[test]
fn explicit_str_tag_keeps_a_number_a_string() {
    let text = "a: !!str 3\nb: 3\n";
    let stream = parse(text, &Limits::default());
    let root = stream.documents[0].root.as_ref().unwrap();
    assert_eq!(root.get("a").unwrap().as_str(), Some("3"));
    assert_eq!(root.get("b").unwrap().as_str(), None);
}
