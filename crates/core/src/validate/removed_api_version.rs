//! ## What it does
//! Flags an apiVersion that Kubernetes has stopped serving, and names its replacement.
//!
//! ## Why
//! Old blog posts and charts still use `extensions/v1beta1` Deployments or
//! `networking.k8s.io/v1beta1` Ingresses; a current cluster answers
//! `no matches for kind "Deployment" in version "extensions/v1beta1"`.
//!
//! ## Example
//! ```yaml
//! apiVersion: extensions/v1beta1
//! kind: Deployment
//! ```
//! ## Fix
//! Use the replacement version (`apps/v1`); check the fields that changed (a Deployment in
//! `apps/v1` requires `spec.selector`).

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::{KindLookup, lookup_kind};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "removed-api-version",
    severity: Severity::Error,
    source: Source::Kubectl,
    title: "The apiVersion has been removed from Kubernetes",
    why: "The API server no longer serves this version of the kind, so kubectl cannot map the \
          object to any API and refuses it.",
    fix: "Switch to the replacement apiVersion and check the deprecation guide for fields that \
          changed between the versions.",
    docs: "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        let Some(api_version) = object.api_version.as_deref() else {
            continue;
        };
        let KindLookup::Removed(removed) = lookup_kind(api_version, kind) else {
            continue;
        };
        let Some(value) = root.get("apiVersion") else {
            continue;
        };
        let instead = removed.replacement.map_or_else(
            || " and has no replacement".to_owned(),
            |r| format!("; use {r}"),
        );
        let mut d = ctx
            .diag(
                &RULE,
                object,
                value.range,
                format!("{kind} in {api_version} was removed in Kubernetes {}{instead}", removed.removed_in),
            )
            .field("apiVersion")
            .apiserver(format!(
                "error: resource mapping not found for name: \"{}\" namespace: \"{}\" from \"STDIN\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first",
                object.name_or_empty(),
                object.namespace.as_deref().unwrap_or("")
            ));
        if let Some(replacement) = removed.replacement {
            d = d.edit(Edit {
                start: value.range.start,
                end: value.range.end,
                insert: replacement.to_owned(),
                title: format!("Use apiVersion {replacement}"),
            });
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const OLD: &str = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\n";

    #[test]
    fn bad_extensions_deployment() {
        assert_eq!(lines_of(OLD, "removed-api-version"), vec![1]);
        let d = diagnostics_of(OLD);
        let d = d.iter().find(|d| d.code == "removed-api-version").unwrap();
        assert!(d.message.contains("use apps/v1"), "{}", d.message);
        assert_eq!(d.edit.as_ref().map(|e| e.insert.as_str()), Some("apps/v1"));
    }

    #[test]
    fn bad_old_ingress() {
        let text = "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n";
        assert_eq!(lines_of(text, "removed-api-version"), vec![1]);
    }

    #[test]
    fn good_current_versions() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
        assert!(lines_of(text, "removed-api-version").is_empty());
    }
}
