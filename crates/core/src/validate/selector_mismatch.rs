//! ## What it does
//! Reports a Deployment, ReplicaSet, StatefulSet or DaemonSet whose
//! `spec.selector.matchLabels` is not satisfied by its own `spec.template.metadata.labels`.
//!
//! ## Why
//! A workload counts its pods by its selector. Pods created from a template that its selector
//! does not match would be invisible to it, so the API server refuses the object:
//! `spec.template.metadata.labels: Invalid value: ...: `selector` does not match template `labels``.
//!
//! ## Example
//! ```yaml
//! selector:
//!   matchLabels: {app: api}
//! template:
//!   metadata:
//!     labels: {app: backend}
//! ```
//! ## Fix
//! Give the template every label of `matchLabels` (`app: api`).

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "selector-mismatch",
    severity: Severity::Error,
    source: Source::Api,
    title: "The selector does not match the template's labels",
    why: "A workload finds its own pods by `spec.selector`. If the pods its template creates \
          would not match that selector, it could never count them, so the API server refuses \
          the object.",
    fix: "Put every `matchLabels` key and value into `spec.template.metadata.labels`.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const KINDS: &[&str] = &["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"];

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if !KINDS.contains(&kind) {
            continue;
        }
        let Some(wanted) = root.at("spec.selector.matchLabels") else {
            continue;
        };
        let wanted = wanted.string_map();
        if wanted.is_empty() {
            continue;
        }
        let labels_node = root.at("spec.template.metadata.labels");
        let labels = labels_node.map(|l| l.string_map()).unwrap_or_default();
        let missing: Vec<String> = wanted
            .iter()
            .filter(|(k, v)| !labels.iter().any(|(lk, lv)| lk == k && lv == v))
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let range = labels_node
            .or_else(|| root.at("spec.template"))
            .map_or(object.range, |n| n.range);
        let shown: Vec<String> = labels.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        out.push(
            ctx.diag(
                &RULE,
                object,
                range,
                format!(
                    "{kind} \"{}\": the template's labels {{{}}} lack {} from spec.selector.matchLabels",
                    object.name_or_empty(),
                    shown.join(", "),
                    missing.join(", ")
                ),
            )
            .field("spec.template.metadata.labels")
            .apiserver(format!(
                "The {kind} \"{}\" is invalid: spec.template.metadata.labels: Invalid value: {{{}}}: `selector` does not match template `labels`",
                object.name_or_empty(),
                shown.join(", ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: nginx:1.27\n";

    #[test]
    fn good_matching_labels() {
        assert!(lines_of(DEPLOY, "selector-mismatch").is_empty());
    }

    #[test]
    fn bad_other_label() {
        let text = DEPLOY.replace("        app: api\n", "        app: backend\n");
        assert_eq!(lines_of(&text, "selector-mismatch"), vec![12]);
    }
}
