//! Turns parser errors into diagnostics a learner can act on: the parser's words, plus
//! what usually causes them in a Kubernetes manifest.

use super::limits::{Limit, Limits};
use super::parse::{Stream, YamlError};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::text::{LineIndex, TextRange};

pub static SYNTAX: Rule = Rule {
    code: "yaml-syntax",
    severity: Severity::Error,
    source: Source::Syntax,
    title: "The text is not valid YAML",
    why: "kubectl converts YAML to JSON before sending anything; text that is not valid YAML \
          is refused with `error converting YAML to JSON` and nothing in the file is applied.",
    fix: "Fix the YAML at the marked position; indent with spaces only and keep sibling keys \
          at the same column.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/#describing-a-kubernetes-object",
};

pub static DUPLICATE_KEY: Rule = Rule {
    code: "yaml-duplicate-key",
    severity: Severity::Warning,
    source: Source::Syntax,
    title: "A key appears twice in the same mapping",
    why: "kubectl silently keeps the last value and drops the first, so part of what you \
          wrote never reaches the cluster.",
    fix: "Keep one of the two keys; merge their contents if both matter.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/#describing-a-kubernetes-object",
};

pub static LIMIT: Rule = Rule {
    code: "yaml-limit",
    severity: Severity::Error,
    source: Source::Syntax,
    title: "The text exceeds a parsing limit",
    why: "Analysis stopped here to stay fast and safe; the rest of the text was not checked. \
          kubectl and the API server refuse such input too (request bodies are limited to \
          3 MiB, and alias bombs are rejected).",
    fix: "Split the file, remove the deep nesting, or replace the aliases with plain values.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/",
};

/// Diagnostics for every parser error of the stream.
#[must_use]
pub fn diagnostics(
    text: &str,
    index: &LineIndex,
    stream: &Stream,
    limits: &Limits,
) -> Vec<Diagnostic> {
    stream
        .errors
        .iter()
        .map(|e| match e {
            YamlError::Syntax { range, message } => syntax(text, index, *range, message),
            YamlError::DuplicateKey { key, range, first } => {
                let first_line = index.location(text, first.start).line;
                Diagnostic::new(
                    &DUPLICATE_KEY,
                    index.span(text, *range),
                    format!("duplicate key \"{key}\" (first on line {first_line}); kubectl keeps this one"),
                )
            }
            YamlError::Limit { limit, range } => {
                let message = match limit {
                    Limit::Bytes => format!(
                        "the text is {} bytes; kubeplay analyses at most {} bytes",
                        text.len(),
                        limits.max_bytes
                    ),
                    Limit::Depth => format!(
                        "nesting deeper than {} levels; analysis of this document stopped here",
                        limits.max_depth
                    ),
                    Limit::Documents => format!(
                        "more than {} documents; the documents from here on were not analysed",
                        limits.max_documents
                    ),
                    Limit::AliasNodes => format!(
                        "aliases expand to more than {} nodes (an alias bomb); analysis stopped here",
                        limits.max_alias_nodes
                    ),
                };
                Diagnostic::new(&LIMIT, index.span(text, *range), message)
            }
        })
        .collect()
}

fn syntax(text: &str, index: &LineIndex, range: TextRange, message: &str) -> Diagnostic {
    let loc = index.location(text, range.start);
    let line = &text[index.line_range(text, loc.line).start..index.line_range(text, loc.line).end];
    let prev_line = if loc.line > 1 {
        let r = index.line_range(text, loc.line - 1);
        &text[r.start..r.end]
    } else {
        ""
    };
    let why = explain(message, line, prev_line);
    let mut diag =
        Diagnostic::new(&SYNTAX, index.span(text, range), message.to_owned()).apiserver(format!(
            "error: error parsing STDIN: error converting YAML to JSON: yaml: line {}: {}",
            loc.line, message
        ));
    if let Some((why, help)) = why {
        diag = diag.explanation(why).help(help);
    }
    diag
}

/// The usual cause of a parser message, judged from the message and the lines around it.
fn explain(message: &str, line: &str, prev_line: &str) -> Option<(String, String)> {
    let m = message.to_ascii_lowercase();
    if m.contains("tab") || line.starts_with('\t') || line.trim_start_matches(' ').starts_with('\t')
    {
        return Some((
            "YAML forbids tab characters for indentation; editors that insert tabs break manifests \
             in ways that are invisible on screen."
                .into(),
            "Replace the tabs at the start of the line with spaces (two per level is the Kubernetes \
             convention)."
                .into(),
        ));
    }
    if m.contains("quoted scalar") {
        return Some((
            "A quoted string was opened but never closed, so everything after the opening quote \
             was read as part of the string."
                .into(),
            "Add the missing closing quote (the same kind, ' or \", as the opening one).".into(),
        ));
    }
    if (m.contains("mapping values are not allowed") || m.contains("did not find expected key"))
        && (has_key_without_space(line) || has_key_without_space(prev_line))
    {
        return Some(missing_space());
    }
    if m.contains("mapping values are not allowed") {
        return Some((
            "A `: ` appeared where YAML did not expect a new key: usually a value that itself \
             contains `: ` (a command, a URL with a port, a sentence), or a key indented deeper \
             than the key above it."
                .into(),
            "Quote the value (`command: \"echo a: b\"`), or align the key with its siblings."
                .into(),
        ));
    }
    if m.contains("block sequence entries are not allowed") || m.contains("expected '-' indicator")
    {
        return Some((
            "A list item (`- `) is at an indentation where no list can start: typically a `-` \
             placed at the column of a key, or list items that do not line up."
                .into(),
            "Put every `- ` of one list at the same column, under (or indented from) the key \
             that owns the list."
                .into(),
        ));
    }
    if m.contains("did not find expected key") || m.contains("invalid indentation") {
        return Some((
            "A line is indented differently from its siblings, so YAML cannot tell which mapping \
             it belongs to."
                .into(),
            "Align the line with the other keys of the same object; children go exactly one \
             level deeper than their parent."
                .into(),
        ));
    }
    if m.contains("could not find expected ':'") || m.contains("simple key expect") {
        return Some((
            "A line holds a key with no `:` after it, or a multi-line plain value YAML cannot read \
             as one string."
                .into(),
            "Add `: ` after the key, or quote the value.".into(),
        ));
    }
    if has_key_without_space(line) {
        return Some(missing_space());
    }
    None
}

fn missing_space() -> (String, String) {
    (
        "A key is followed by `:` with no space, so YAML reads `key:value` as one plain string \
         instead of a key and a value, and the lines after it no longer fit."
            .into(),
        "Put a space after the colon: `key: value`.".into(),
    )
}

/// `name:web` (a word, a colon, then a non-space), outside quotes and URLs.
fn has_key_without_space(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches("- ");
    if t.starts_with('#') || t.starts_with('"') || t.starts_with('\'') {
        return false;
    }
    let Some(colon) = t.find(':') else {
        return false;
    };
    let key = &t[..colon];
    let after = t[colon + 1..].chars().next();
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && after.is_some_and(|c| !c.is_whitespace() && c != '/')
}
