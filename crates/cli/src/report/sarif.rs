//! SARIF 2.1.0 (`--format sarif`), as GitHub code scanning ingests it: one run, every rule in
//! `tool.driver.rules`, one result per diagnostic. Columns are Unicode code points
//! (`columnKind: unicodeCodePoints`), end columns exclusive, as SARIF defines them.

use std::io::{self, Write};

use kubeplay_core::{Diagnostic, Severity, registry};
use serde_json::{Value, json};

use crate::input::{Checked, Source};
use crate::position;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn write(out: &mut dyn Write, files: &[Checked]) -> io::Result<()> {
    let rules: Vec<&'static kubeplay_core::Rule> = registry::rules().collect();
    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.code,
                "name": pascal_case(r.code),
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.why },
                "help": {
                    "text": r.fix,
                    "markdown": format!("{}\n\n{}", r.why, r.fix),
                },
                "defaultConfiguration": { "level": level(r.severity) },
                "properties": { "tags": [r.source.as_str(), "kubernetes"] },
            });
            if !r.docs.is_empty() {
                rule["helpUri"] = json!(r.docs);
            }
            rule
        })
        .collect();
    let mut results = Vec::new();
    for file in files {
        let uri = artifact_uri(file);
        for d in &file.analysis.diagnostics {
            results.push(result(file, &uri, d, &rules));
        }
    }
    let artifacts: Vec<Value> = files
        .iter()
        .map(|f| json!({ "location": { "uri": artifact_uri(f) } }))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kubeplay",
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": driver_rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    writeln!(out)
}

fn result(file: &Checked, uri: &str, d: &Diagnostic, rules: &[&kubeplay_core::Rule]) -> Value {
    let r = position::region(&file.text, &file.analysis.line_index, &d.span);
    let (end_line, end_column) = if (r.end.line, r.end.column) > (r.start.line, r.start.column) {
        (r.end.line, r.end.column)
    } else {
        // An empty span still marks one character, so viewers can show it.
        (r.start.line, r.start.column + 1)
    };
    let mut message = d.message.clone();
    if !d.help.is_empty() {
        message.push_str("\n\n");
        message.push_str(&d.help);
    }
    let mut value = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": {
                    "startLine": r.start.line,
                    "startColumn": r.start.column,
                    "endLine": end_line,
                    "endColumn": end_column,
                }
            }
        }],
    });
    if let Some(i) = rules.iter().position(|rule| rule.code == d.code) {
        value["ruleIndex"] = json!(i);
    }
    let mut properties = serde_json::Map::new();
    if let Some(field) = &d.field {
        properties.insert("field".into(), json!(field));
    }
    if let Some(object) = &d.object {
        properties.insert("object".into(), json!(object));
        value["locations"][0]["logicalLocations"] = json!([{
            "name": object.name,
            "fullyQualifiedName": format!("{}/{}", object.kind, object.name),
            "kind": "resource",
        }]);
    }
    if !properties.is_empty() {
        value["properties"] = Value::Object(properties);
    }
    value
}

/// SARIF levels: `info` becomes `note`.
const fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `image-latest-tag` → `ImageLatestTag` (SARIF's rule `name` is an identifier).
fn pascal_case(code: &str) -> String {
    code.split(['-', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// A relative URI reference for relative paths (`k8s/deploy.yaml`), a `file://` URI for
/// absolute ones, `-` for standard input; reserved characters percent-encoded.
fn artifact_uri(file: &Checked) -> String {
    match &file.source {
        Source::Stdin => "-".to_owned(),
        Source::File(_) => {
            let path = file.path.replace('\\', "/");
            let path = path.trim_start_matches("./");
            if path.starts_with('/') {
                format!("file://{}", encode(path))
            } else {
                encode(path)
            }
        }
    }
}

fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("image-latest-tag"), "ImageLatestTag");
        assert_eq!(encode("my dir/é.yaml"), "my%20dir/%C3%A9.yaml");
    }
}
