//! Structure-aware: real manifests from the test corpus, edited with the tokens that matter
//! to YAML's structure (indentation, colons, dashes, quotes, brackets, anchors, tabs,
//! document markers, multi-byte text), then analysed twice: no panic, spans inside, and the
//! same result both times.
#![no_main]
use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;

#[path = "check.rs"]
mod check;

const SEEDS: &[&str] = &[
    include_str!("../../crates/core/tests/corpus/deployment/deployment--valid-match-expressions.yaml"),
    include_str!("../../crates/web/src/starter.yaml"),
    include_str!("../../lessons/03-deployments/step1.solution.yaml"),
    include_str!("../../lessons/11-hpa/step1.solution.yaml"),
];

const TOKENS: &[&str] = &[
    ":", " ", "\n", "\t", "-", "- ", "---\n", "\"", "'", "[", "]", "{", "}", ",", "&a ", "*a", "|", ">",
    "#", "!!str ", "😀", "名", "\r\n", "...", "? ", "  ", "0", "-1", "100m", "1Gi", "yes", "~", "null",
    "apiVersion: v1\n", "kind: Pod\n", "metadata:\n  name: x\n", "<<: *a\n",
];

#[derive(Arbitrary, Debug)]
struct Edit {
    at: u16,
    remove: u8,
    token: u8,
}

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u8,
    edits: Vec<Edit>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else { return };
    let mut text = SEEDS[usize::from(input.seed) % SEEDS.len()].to_owned();
    for e in input.edits.iter().take(32) {
        let mut at = usize::from(e.at) % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + usize::from(e.remove % 16)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(at..end, TOKENS[usize::from(e.token) % TOKENS.len()]);
    }
    let a = kubeplay_core::analyze(&text);
    check::spans_inside(&text, &a);
    let b = kubeplay_core::analyze(&text);
    assert_eq!(a.diagnostics, b.diagnostics);
});
