//! The three `check` output formats.

pub mod json;
pub mod sarif;
pub mod text;

use kubeplay_core::Severity;

use crate::input::Checked;

/// Totals over every checked file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub objects: usize,
}

impl Totals {
    pub fn of(files: &[Checked]) -> Self {
        let mut t = Self {
            files: files.len(),
            ..Self::default()
        };
        for file in files {
            t.objects += file.analysis.objects.len();
            for d in &file.analysis.diagnostics {
                match d.severity {
                    Severity::Error => t.errors += 1,
                    Severity::Warning => t.warnings += 1,
                    Severity::Info => t.infos += 1,
                }
            }
        }
        t
    }
}
