//! Rule metadata: the stable identity of every kind of diagnostic kubeplay can report.
//! The catalogue (`kubeplay rules`, docs/checks.md) is generated from these.

use serde::Serialize;

use crate::diagnostic::{Severity, Source};

/// What one rule is: code, severity, who reports it, and the words a learner reads.
#[derive(Debug, Serialize)]
pub struct Rule {
    /// Stable kebab-case identifier (`image-latest-tag`). Never reused or renamed.
    pub code: &'static str,
    pub severity: Severity,
    pub source: Source,
    /// A short title for the catalogue.
    pub title: &'static str,
    /// Why it matters: what happens in the cluster.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// Link to the Kubernetes documentation.
    pub docs: &'static str,
}
