//! Diagnostics: what is wrong, where, why it matters and how to fix it.
//! Every producer (YAML parser, API rules, advice) speaks this one type.

use serde::Serialize;

use crate::rule::Rule;
use crate::text::Span;

/// `error` only where the real API server or kubectl would refuse the manifest;
/// everything the cluster would accept is `warning` or `info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// Who would report the problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The text is not valid YAML (or breaks a parser limit).
    Syntax,
    /// kubectl refuses the manifest before sending it to the server.
    Kubectl,
    /// Structural validation against the field schema.
    Schema,
    /// The API server's validation rules.
    Api,
    /// Best practice and cross-object advice; the cluster would accept it.
    Advice,
}

impl Source {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Syntax => "syntax",
            Self::Kubectl => "kubectl",
            Self::Schema => "schema",
            Self::Api => "api",
            Self::Advice => "advice",
        }
    }
}

/// The object a diagnostic belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObjectRef {
    pub kind: String,
    pub name: String,
}

/// A text replacement that fixes the problem (byte range in the analysed text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub insert: String,
    /// What the edit does, for a "quick fix" menu.
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub source: Source,
    /// One line: what is wrong.
    pub message: String,
    /// Why it matters: what will happen in the cluster.
    pub explanation: String,
    /// How to fix it.
    pub help: String,
    /// Field path as the API server prints it (`spec.template.spec.containers[0].image`).
    pub field: Option<String>,
    pub span: Span,
    pub object: Option<ObjectRef>,
    pub docs: &'static str,
    /// The line a real cluster or kubectl would print, when it would refuse the manifest.
    pub apiserver: Option<String>,
    pub edit: Option<Edit>,
}

impl Diagnostic {
    /// A diagnostic for `rule` with the rule's severity, explanation, fix and docs.
    #[must_use]
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Self {
        Self {
            severity: rule.severity,
            code: rule.code,
            source: rule.source,
            message: message.into(),
            explanation: rule.why.to_owned(),
            help: rule.fix.to_owned(),
            field: None,
            span,
            object: None,
            docs: rule.docs,
            apiserver: None,
            edit: None,
        }
    }

    #[must_use]
    pub fn field(mut self, path: impl Into<String>) -> Self {
        self.field = Some(path.into());
        self
    }

    #[must_use]
    pub fn object(mut self, object: Option<ObjectRef>) -> Self {
        self.object = object;
        self
    }

    #[must_use]
    pub fn explanation(mut self, text: impl Into<String>) -> Self {
        self.explanation = text.into();
        self
    }

    #[must_use]
    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = text.into();
        self
    }

    #[must_use]
    pub fn apiserver(mut self, text: impl Into<String>) -> Self {
        self.apiserver = Some(text.into());
        self
    }

    #[must_use]
    pub fn edit(mut self, edit: Edit) -> Self {
        self.edit = Some(edit);
        self
    }
}
