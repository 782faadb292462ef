//! ## What it does
//! Notes an object of a custom resource kind (a group that is not built into Kubernetes)
//! whose CustomResourceDefinition is not in the same files.
//!
//! ## Why
//! Such objects are only served once their CRD is installed; until then kubectl answers
//! `ensure CRDs are installed first`. kubeplay cannot check their fields.
//!
//! ## Fix
//! Install the operator or CRD first; nothing to change if the cluster already has it.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::{KindLookup, lookup_kind};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "custom-resource",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Custom resource: served only when its CRD is installed",
    why: "This kind comes from an add-on (an operator or controller), not from Kubernetes \
          itself. A cluster serves it only after its CustomResourceDefinition is installed, and \
          kubeplay does not know its fields, so it is not checked further.",
    fix: "Make sure the CRD is installed before applying (for example with the add-on's Helm \
          chart), or include the CustomResourceDefinition in these files.",
    docs: "https://kubernetes.io/docs/concepts/extend-kubernetes/api-extension/custom-resources/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        let Some(api_version) = object.api_version.as_deref() else {
            continue;
        };
        if lookup_kind(api_version, kind) != KindLookup::Custom {
            continue;
        }
        let group = api_version.split('/').next().unwrap_or("");
        if defines_crd(ctx, kind, group) {
            continue;
        }
        let range = root.entry("kind").map_or(object.range, |e| e.value.range);
        out.push(ctx.diag(
            &RULE,
            object,
            range,
            format!("{kind} ({api_version}) is a custom resource; its CRD must be installed first"),
        ));
    }
}

/// Whether a CustomResourceDefinition in the files defines `kind` in `group`.
fn defines_crd(ctx: &Context<'_>, kind: &str, group: &str) -> bool {
    ctx.objects_with_root().any(|(_, root, k)| {
        k == "CustomResourceDefinition"
            && root.get("spec").is_some_and(|spec| {
                spec.get("group").and_then(|g| g.as_str()) == Some(group)
                    && spec
                        .get("names")
                        .and_then(|n| n.get("kind"))
                        .and_then(|k| k.as_str())
                        == Some(kind)
            })
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_certificate_without_crd() {
        let text = "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: tls\n";
        assert_eq!(lines_of(text, "custom-resource"), vec![2]);
    }

    #[test]
    fn good_crd_in_the_same_file() {
        let text = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crontabs.stable.example.com\nspec:\n  group: stable.example.com\n  names:\n    kind: CronTab\n---\napiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: my-tab\n";
        assert!(lines_of(text, "custom-resource").is_empty());
    }
}
