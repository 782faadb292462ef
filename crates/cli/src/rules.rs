//! `kubeplay rules`: the catalogue of every rule, as a table or JSON.

use std::io::{self, Write};

use kubeplay_core::registry;
use serde::Serialize;

#[derive(Serialize)]
struct RuleOut {
    code: &'static str,
    source: &'static str,
    severity: &'static str,
    title: &'static str,
    docs: &'static str,
    why: &'static str,
    fix: &'static str,
}

pub fn json(out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<RuleOut> = registry::rules()
        .map(|r| RuleOut {
            code: r.code,
            source: r.source.as_str(),
            severity: r.severity.as_str(),
            title: r.title,
            docs: r.docs,
            why: r.why,
            fix: r.fix,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rules).map_err(io::Error::from)?;
    writeln!(out)
}

pub fn text(out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<_> = registry::rules().collect();
    let code_w = rules.iter().map(|r| r.code.len()).max().unwrap_or(0).max(4);
    let sev_w = "SEVERITY".len();
    let src_w = "SOURCE".len().max(7);
    writeln!(
        out,
        "{:code_w$}  {:sev_w$}  {:src_w$}  TITLE",
        "CODE", "SEVERITY", "SOURCE"
    )?;
    for r in &rules {
        writeln!(
            out,
            "{:code_w$}  {:sev_w$}  {:src_w$}  {}",
            r.code,
            r.severity.as_str(),
            r.source.as_str(),
            r.title
        )?;
    }
    writeln!(
        out,
        "\n{} rules. Details: kubeplay rules --format json",
        rules.len()
    )
}
