//! ## What it does
//! Flags a kind that no built-in API version serves, with the likely intended kind and version.
//!
//! ## Why
//! kubectl answers `no matches for kind "Deployment" in version "v1"` and applies nothing.
//! The usual causes: the wrong group (`apiVersion: v1` for a Deployment), a case slip
//! (`kind: deployment`) or a typo (`Deploymnet`).
//!
//! ## Example
//! ```yaml
//! apiVersion: v1
//! kind: Deployment
//! ```
//! ## Fix
//! `apiVersion: apps/v1`.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::{KindLookup, lookup_kind};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "unknown-kind",
    severity: Severity::Error,
    source: Source::Kubectl,
    title: "No API version serves this kind",
    why: "kubectl maps every object to an API through its apiVersion and kind (exactly, \
          case-sensitively). When no built-in API serves the pair, the file is refused.",
    fix: "Use the apiVersion and kind spelled exactly as Kubernetes defines them \
          (`kubectl api-resources` lists them).",
    docs: "https://kubernetes.io/docs/reference/using-api/#api-groups",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        let Some(api_version) = object.api_version.as_deref() else {
            continue;
        };
        if kind.is_empty() || api_version.is_empty() {
            continue;
        }
        let KindLookup::Unknown { suggestion } = lookup_kind(api_version, kind) else {
            continue;
        };
        let kind_entry = root.entry("kind");
        let range = kind_entry.map_or(object.range, |e| e.value.range);
        let mut message = format!("no matches for kind \"{kind}\" in version \"{api_version}\"");
        let mut d_edit = None;
        if let Some(s) = suggestion {
            if s.kind == kind {
                message.push_str(&format!(
                    "; {kind} is served by apiVersion {}",
                    s.api_version
                ));
                if let Some(v) = root.get("apiVersion") {
                    d_edit = Some((
                        v.range,
                        s.api_version,
                        format!("Use apiVersion {}", s.api_version),
                    ));
                }
            } else {
                message.push_str(&format!("; did you mean {} ({})?", s.kind, s.api_version));
                d_edit = Some((range, s.kind, format!("Change kind to {}", s.kind)));
            }
        }
        let mut d = ctx
            .diag(&RULE, object, range, message)
            .field("kind")
            .apiserver(format!(
                "error: resource mapping not found for name: \"{}\" namespace: \"{}\" from \"STDIN\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
                object.name_or_empty(),
                object.namespace.as_deref().unwrap_or("")
            ));
        if let Some((r, insert, title)) = d_edit {
            d = d.edit(Edit {
                start: r.start,
                end: r.end,
                insert: insert.to_owned(),
                title,
            });
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_deployment_in_core_group() {
        let text = "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: web\n";
        assert_eq!(lines_of(text, "unknown-kind"), vec![2]);
        let d = diagnostics_of(text);
        let d = d.iter().find(|d| d.code == "unknown-kind").unwrap();
        assert!(d.message.contains("apps/v1"), "{}", d.message);
        assert!(
            d.apiserver
                .as_deref()
                .unwrap()
                .contains("no matches for kind \"Deployment\" in version \"v1\"")
        );
    }

    #[test]
    fn bad_lowercase_kind() {
        let text = "apiVersion: v1\nkind: configmap\nmetadata:\n  name: web\n";
        let d = diagnostics_of(text);
        let d = d.iter().find(|d| d.code == "unknown-kind").unwrap();
        assert!(
            d.message.contains("did you mean ConfigMap"),
            "{}",
            d.message
        );
    }

    #[test]
    fn good_known_and_custom_kinds() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: tls\n";
        assert!(lines_of(text, "unknown-kind").is_empty());
    }
}
