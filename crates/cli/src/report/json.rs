//! The JSON report (`--format json`), shape fixed by DESIGN.md and documented in docs/cli.md.
//! Every documented key is always present (`null` when absent); keys may be added, never
//! removed or renamed.

use std::io::{self, Write};

use kubeplay_core::facts::Facts;
use kubeplay_core::{Diagnostic, Edit, ObjectRef};
use serde::Serialize;

use super::Totals;
use crate::input::Checked;
use crate::position;

/// Version of the JSON shape; bumped only on an incompatible change.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    objects: Vec<Object<'a>>,
    diagnostics: Vec<Diag<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Object<'a> {
    api_version: Option<&'a str>,
    kind: Option<&'a str>,
    name: Option<&'a str>,
    namespace: Option<&'a str>,
    line: u32,
    end_line: u32,
    /// 0-based index of the YAML document in the file.
    document: usize,
    /// What the cluster will make of the object; keys appear only where they apply.
    facts: &'a Facts,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Diag<'a> {
    severity: &'static str,
    code: &'static str,
    source: &'static str,
    message: &'a str,
    field: Option<&'a str>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    object: Option<&'a ObjectRef>,
    help: &'a str,
    docs: Option<&'static str>,
    apiserver: Option<&'a str>,
    explanation: &'a str,
    /// A machine-applicable fix: replace bytes `start..end` of the file with `insert`.
    edit: Option<&'a Edit>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    objects: usize,
    files: usize,
}

pub fn write(out: &mut dyn Write, files: &[Checked]) -> io::Result<()> {
    let totals = Totals::of(files);
    let report = Report {
        version: VERSION,
        files: files.iter().map(file).collect(),
        summary: Summary {
            errors: totals.errors,
            warnings: totals.warnings,
            infos: totals.infos,
            objects: totals.objects,
            files: totals.files,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::from)?;
    writeln!(out)
}

fn file(f: &Checked) -> File<'_> {
    let text = f.text.as_str();
    let index = &f.analysis.line_index;
    File {
        path: &f.path,
        objects: f
            .analysis
            .objects
            .iter()
            .map(|o| Object {
                api_version: o.api_version.as_deref(),
                kind: o.kind.as_deref(),
                name: o.name.as_deref(),
                namespace: o.namespace.as_deref(),
                line: o.span.start.line,
                end_line: o.span.end.line,
                document: o.document,
                facts: &o.facts,
            })
            .collect(),
        diagnostics: f
            .analysis
            .diagnostics
            .iter()
            .map(|d| diag(text, index, d))
            .collect(),
    }
}

fn diag<'a>(text: &str, index: &kubeplay_core::LineIndex, d: &'a Diagnostic) -> Diag<'a> {
    let region = position::region(text, index, &d.span);
    Diag {
        severity: d.severity.as_str(),
        code: d.code,
        source: d.source.as_str(),
        message: &d.message,
        field: d.field.as_deref(),
        line: region.start.line,
        column: region.start.column,
        end_line: region.end.line,
        end_column: region.end.column,
        object: d.object.as_ref(),
        help: &d.help,
        docs: Some(d.docs).filter(|s| !s.is_empty()),
        apiserver: d.apiserver.as_deref(),
        explanation: &d.explanation,
        edit: d.edit.as_ref(),
    }
}
