//! The app's view of a diagnostic: only what the panel and the editor show, with
//! positions in UTF-16 code units (what the browser editor counts).

use kubeplay_core::{Diagnostic, LineIndex, Severity};

/// A replacement that fixes the problem, in UTF-16 offsets of the analysed text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub from: usize,
    pub to: usize,
    pub insert: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub explanation: String,
    pub help: String,
    pub docs: &'static str,
    /// 1-based line and UTF-16 column of the start.
    pub line: u32,
    pub column: u32,
    /// UTF-16 offsets of the range.
    pub from: usize,
    pub to: usize,
    pub fix: Option<Fix>,
}

impl Problem {
    fn new(d: &Diagnostic, text: &str, index: &LineIndex) -> Self {
        let fix = d.edit.as_ref().map(|e| Fix {
            from: index.location(text, e.start).offset_utf16,
            to: index.location(text, e.end.max(e.start)).offset_utf16,
            insert: e.insert.clone(),
            title: e.title.clone(),
        });
        Self {
            severity: d.severity,
            code: d.code,
            message: d.message.clone(),
            explanation: d.explanation.clone(),
            help: d.help.clone(),
            docs: d.docs,
            line: d.span.start.line,
            column: d.span.start.column,
            from: d.span.start.offset_utf16,
            to: d.span.end.offset_utf16.max(d.span.start.offset_utf16),
            fix,
        }
    }
}

/// Problems of a text, in the order the core sorted them (by position).
#[must_use]
pub fn problems_of(text: &str) -> Vec<Problem> {
    let analysis = kubeplay_core::analyze(text);
    analysis
        .diagnostics
        .iter()
        .map(|d| Problem::new(d, text, &analysis.line_index))
        .collect()
}

/// Counts by severity: (errors, warnings, infos).
#[must_use]
pub fn counts(problems: &[Problem]) -> (usize, usize, usize) {
    problems
        .iter()
        .fold((0, 0, 0), |(e, w, i), p| match p.severity {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Info => (e, w, i + 1),
        })
}

/// A label that does not rely on colour: the word, capitalised.
#[must_use]
pub const fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

/// "3 problems: 1 error, 2 warnings" for the live region and the header.
#[must_use]
pub fn summary(problems: &[Problem]) -> String {
    let (e, w, i) = counts(problems);
    if problems.is_empty() {
        return "No problems".to_owned();
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if e > 0 {
        parts.push(plural(e, "error"));
    }
    if w > 0 {
        parts.push(plural(w, "warning"));
    }
    if i > 0 {
        parts.push(plural(i, "info"));
    }
    format!(
        "{}: {}",
        plural(problems.len(), "problem"),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_by_severity() {
        assert_eq!(summary(&[]), "No problems");
        let p = problems_of("apiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n");
        assert!(p.iter().any(|p| p.code == "unknown-kind" && p.line == 2));
        let s = summary(&p);
        assert!(s.contains("1 error"), "{s}");
    }

    #[test]
    fn positions_are_utf16() {
        // "é" is two bytes but one UTF-16 unit; an astral emoji is four bytes, two units.
        let text = "# é😀\napiVersion: v1\nkind: Nope\nmetadata:\n  name: x\n";
        let p = problems_of(text);
        let kind = p.iter().find(|p| p.code == "unknown-kind").map(|p| p.from);
        let expected = text.find("kind:").map(|b| text[..b].encode_utf16().count());
        assert!(kind.is_some());
        assert!(
            kind >= expected && kind < expected.map(|e| e + 10),
            "{kind:?} vs {expected:?}"
        );
    }
}
