//! ## What it does
//! Checks `metadata.name` against the syntax the API server requires for the kind:
//! a DNS-1123 subdomain for most kinds, a DNS-1035 label for Services, a DNS-1123 label for
//! Namespaces (`pkg/apis/core/validation/validation.go`: `ValidateServiceName`,
//! `ValidateNamespaceName`; `apimachinery/pkg/api/validation`: `NameIsDNSSubdomain`).
//!
//! ## Why
//! Names become DNS names and URL path segments, so the API server refuses capitals,
//! underscores and names that start or end with `-`.
//!
//! ## Example
//! ```yaml
//! metadata:
//!   name: My_App
//! ```
//! ## Fix
//! Lowercase letters, digits and `-`: `my-app`.

use super::names::NameRule;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::{KindLookup, lookup_kind};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "invalid-name",
    severity: Severity::Error,
    source: Source::Api,
    title: "metadata.name is not a valid name for this kind",
    why: "Object names become parts of DNS names and API URLs, so the API server accepts only \
          lowercase letters, digits, '-' (and '.' for most kinds), starting and ending with a \
          letter or digit. Services must also start with a letter.",
    fix: "Rename the object with lowercase letters, digits and dashes, e.g. `my-app`.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        let Some(name) = object.name.as_deref().filter(|n| !n.is_empty()) else {
            continue;
        };
        let known = object
            .api_version
            .as_deref()
            .is_some_and(|v| matches!(lookup_kind(v, kind), KindLookup::Known(_)));
        if !known {
            continue;
        }
        let errors = NameRule::for_kind(kind).errors(name);
        if errors.is_empty() {
            continue;
        }
        let Some(node) = root.get("metadata").and_then(|m| m.get("name")) else {
            continue;
        };
        let detail = errors.join(", ");
        let mut d = ctx
            .diag(&RULE, object, node.range, format!("Invalid value: \"{name}\": {detail}"))
            .field("metadata.name")
            .apiserver(format!(
                "The {kind} \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": {detail}"
            ));
        let fixed = suggest_name(name);
        if !fixed.is_empty() && NameRule::for_kind(kind).errors(&fixed).is_empty() {
            d = d.edit(Edit {
                start: node.range.start,
                end: node.range.end,
                insert: fixed.clone(),
                title: format!("Rename to {fixed}"),
            });
        }
        out.push(d);
    }
}

/// Lowercases and replaces what is not allowed with `-`.
fn suggest_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-') => c,
            _ => '-',
        })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').chars().take(63).collect()
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    #[test]
    fn bad_uppercase_and_underscore() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: My_App\n";
        assert_eq!(lines_of(text, "invalid-name"), vec![4]);
        let d = diagnostics_of(text);
        let d = d.iter().find(|d| d.code == "invalid-name").unwrap();
        assert!(d.apiserver.as_deref().unwrap().starts_with(
            "The Deployment \"My_App\" is invalid: metadata.name: Invalid value: \"My_App\": a lowercase RFC 1123 subdomain"
        ));
        assert_eq!(d.edit.as_ref().unwrap().insert, "my-app");
    }

    #[test]
    fn bad_service_starting_with_digit() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\n";
        assert_eq!(lines_of(text, "invalid-name"), vec![4]);
    }

    #[test]
    fn good_dotted_configmap_name() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web.config-v2\n";
        assert!(lines_of(text, "invalid-name").is_empty());
    }
}
