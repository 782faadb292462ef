//! The rule catalogue: every rule is well-formed, the severity contract holds, and
//! `docs/checks.md` is generated from the registry (run with `UPDATE_DOCS=1` to refresh it).

use std::collections::HashSet;

use kubeplay_core::registry::rules;
use kubeplay_core::{Severity, Source};

#[test]
fn rules_are_unique_well_formed_and_keep_the_severity_contract() {
    let mut seen = HashSet::new();
    for rule in rules() {
        assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
        assert!(
            rule.code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "code {} is not kebab-case",
            rule.code
        );
        assert!(
            rule.docs.starts_with("https://kubernetes.io/docs/"),
            "{}: {}",
            rule.code,
            rule.docs
        );
        for text in [rule.title, rule.why, rule.fix] {
            assert!(text.len() > 10, "{}: too short: {text}", rule.code);
        }
        // error means the API server or kubectl refuses it; advice never does.
        if rule.source == Source::Advice {
            assert_ne!(rule.severity, Severity::Error, "{}", rule.code);
        }
    }
    assert!(seen.len() >= 14);
}

fn catalogue() -> String {
    let mut out = String::from(
        "# Checks\n\nGenerated from the registry by `cargo test -p kubeplay-core --test registry` \
         (set `UPDATE_DOCS=1` to rewrite). `error` means the API server or kubectl would refuse \
         the manifest; `warning` and `info` are advice.\n\n| code | severity | source | title |\n|---|---|---|---|\n",
    );
    for r in rules() {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} |\n",
            r.code,
            r.code,
            r.severity.as_str(),
            r.source.as_str(),
            r.title
        ));
    }
    for r in rules() {
        out.push_str(&format!(
            "\n## {}\n\n**{}** · {} · {}\n\n{}\n\n**Fix:** {}\n\nDocs: <{}>\n",
            r.code,
            r.severity.as_str(),
            r.source.as_str(),
            r.title,
            r.why,
            r.fix,
            r.docs
        ));
    }
    out
}

#[test]
fn docs_checks_md_is_generated_from_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/checks.md");
    let want = catalogue();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &want).expect("write docs/checks.md");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "docs/checks.md is out of date: run `UPDATE_DOCS=1 cargo test -p kubeplay-core --test registry`"
    );
}
