//! Any text at all gives diagnostics, never a panic or a hang: the limits and the
//! property tests over random and mutated manifests.

use kubeplay_core::{Analysis, analyze};
use proptest::prelude::*;

fn codes(a: &Analysis) -> Vec<&'static str> {
    a.diagnostics.iter().map(|d| d.code).collect()
}

fn assert_spans_inside(text: &str, a: &Analysis) {
    for d in &a.diagnostics {
        for loc in [d.span.start, d.span.end] {
            assert!(loc.offset <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(loc.offset), "{d:?}");
            assert!(loc.line >= 1 && loc.column >= 1, "{d:?}");
        }
        assert!(d.span.start.offset <= d.span.end.offset, "{d:?}");
        if let Some(e) = &d.edit {
            assert!(e.start <= e.end && e.end <= text.len());
            assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
        }
    }
    for o in &a.objects {
        assert!(o.span.end.offset <= text.len());
    }
}

#[test]
fn billion_laughs_stops_at_the_alias_limit() {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "  a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    let a = analyze(&text);
    let limit = a
        .diagnostics
        .iter()
        .find(|d| d.code == "yaml-limit")
        .expect("alias limit");
    assert!(limit.message.contains("alias"), "{}", limit.message);
    assert_spans_inside(&text, &a);
}

#[test]
fn deep_flow_nesting_is_refused_cleanly() {
    let text = "[".repeat(100_000);
    let a = analyze(&text);
    let c = codes(&a);
    assert!(
        c.contains(&"yaml-limit") || c.contains(&"yaml-syntax"),
        "{c:?}"
    );
    assert_spans_inside(&text, &a);
}

#[test]
fn deep_block_nesting_hits_the_depth_limit() {
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    let a = analyze(&text);
    assert!(codes(&a).contains(&"yaml-limit"), "{:?}", codes(&a));
    assert_spans_inside(&text, &a);
}

#[test]
fn fifty_thousand_empty_documents_hit_the_document_limit() {
    let text = "---\n".repeat(50_000);
    let a = analyze(&text);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == "yaml-limit")
        .expect("document limit");
    assert!(d.message.contains("documents"), "{}", d.message);
    assert_spans_inside(&text, &a);
}

#[test]
fn ten_megabytes_is_refused_with_a_clear_message() {
    let text = "a: b\n".repeat(2_000_000);
    let a = analyze(&text);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == "yaml-limit")
        .expect("size limit");
    assert!(d.message.contains("bytes"), "{}", d.message);
    assert_eq!(a.diagnostics.len(), 1);
}

#[test]
fn nul_bytes_and_control_characters_do_not_panic() {
    for text in [
        "\0",
        "apiVersion: v1\0\nkind: Pod\n",
        "\u{1}\u{2}\u{7f}: \u{feff}x",
        "\r\r\n\t\t- : -",
    ] {
        let a = analyze(text);
        assert_spans_inside(text, &a);
    }
}

#[test]
fn binary_junk_does_not_panic() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..200 {
        let bytes: Vec<u8> = (0..512)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed & 0xff) as u8
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        let a = analyze(&text);
        assert_spans_inside(&text, &a);
    }
}

const SEED_MANIFEST: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
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
          image: \"nginx:1.27\"
          ports:
            - containerPort: 80
          resources:
            requests: {cpu: 100m, memory: 128Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: &sel
    app: web
  ports:
    - port: 80
      targetPort: 80
";

/// Characters that matter to YAML's structure, to mutate manifests with.
const STRUCTURAL: &[&str] = &[
    ":",
    " ",
    "\n",
    "\t",
    "-",
    "- ",
    "---\n",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a",
    "*a",
    "*sel",
    "|",
    ">",
    "#",
    "!!str ",
    "😀",
    "名",
    "\r\n",
    "...",
    "? ",
    "%YAML 1.2\n",
    "\0",
];

fn mutated() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            0usize..SEED_MANIFEST.len(),
            0usize..8,
            0usize..STRUCTURAL.len(),
        ),
        1..8,
    )
    .prop_map(|edits| {
        let mut text = SEED_MANIFEST.to_owned();
        for (at, del, ins) in edits {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + del).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, STRUCTURAL[ins]);
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_manifests_never_panic_and_spans_stay_inside(text in mutated()) {
        let a = analyze(&text);
        assert_spans_inside(&text, &a);
        // Re-analysing the same text gives the same result.
        let b = analyze(&text);
        prop_assert_eq!(a.diagnostics, b.diagnostics);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,400}") {
        let a = analyze(&text);
        assert_spans_inside(&text, &a);
    }

    #[test]
    fn random_yamlish_text_never_panics(text in "[a-z:\\- \n\t\"'\\[\\]{},&*|>#]{0,300}") {
        let a = analyze(&text);
        assert_spans_inside(&text, &a);
    }
}
