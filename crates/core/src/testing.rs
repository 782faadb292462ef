//! Helpers for the checks' own fixtures.

use crate::{Diagnostic, analyze};

pub fn diagnostics_of(text: &str) -> Vec<Diagnostic> {
    analyze(text).diagnostics
}

pub fn codes_of(text: &str) -> Vec<&'static str> {
    diagnostics_of(text).iter().map(|d| d.code).collect()
}

/// The 1-based lines at which `code` is reported.
pub fn lines_of(text: &str, code: &str) -> Vec<u32> {
    diagnostics_of(text)
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.span.start.line)
        .collect()
}
