//! `analyze`: text in, objects and diagnostics out. The one call the editor makes on every
//! keystroke and the CLI makes per file.

use serde::Serialize;

use crate::check::Context;
use crate::diagnostic::Diagnostic;
use crate::facts::facts_of;
use crate::model::{Object, objects_of};
use crate::registry::CHECKS;
use crate::text::LineIndex;
use crate::yaml::{self, Document, Limits};

/// Everything known about one text.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    /// One entry per non-empty document whose root is a mapping, in order.
    pub objects: Vec<Object>,
    /// Sorted by position, then severity.
    pub diagnostics: Vec<Diagnostic>,
    /// The positioned YAML documents (for later stages: the simulator, lessons, the editor).
    #[serde(skip)]
    pub documents: Vec<Document>,
    #[serde(skip)]
    pub line_index: LineIndex,
}

impl Analysis {
    #[must_use]
    pub fn count(&self, severity: crate::Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Analyses a manifest text with the default limits.
#[must_use]
pub fn analyze(text: &str) -> Analysis {
    analyze_with(text, &Limits::default())
}

/// Analyses a manifest text. Never panics; every problem is a diagnostic.
#[must_use]
pub fn analyze_with(text: &str, limits: &Limits) -> Analysis {
    let line_index = LineIndex::new(text);
    let stream = yaml::parse(text, limits);
    let mut diagnostics = yaml::diagnostics(text, &line_index, &stream, limits);
    let mut objects = objects_of(text, &line_index, &stream.documents);
    let ctx = Context {
        text,
        index: &line_index,
        documents: &stream.documents,
        objects: &objects,
        schema: crate::schema::Findings::default(),
    };
    for check in CHECKS {
        (check.run)(&ctx, &mut diagnostics);
    }
    let facts = facts_of(&ctx);
    for (object, facts) in objects.iter_mut().zip(facts) {
        object.facts = facts;
    }
    crate::suppress::apply(text, &objects, &mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (a.span.start.offset, a.severity, a.code).cmp(&(b.span.start.offset, b.severity, b.code))
    });
    Analysis {
        objects,
        diagnostics,
        documents: stream.documents,
        line_index,
    }
}
