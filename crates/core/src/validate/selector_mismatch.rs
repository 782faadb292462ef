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

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Selector;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "selector-mismatch",
    severity: Severity::Error,
    source: Source::Api,
    title: "The selector does not match the template's labels",
    why: "A workload finds its own pods by `spec.selector`. If the pods its template creates \
          would not match that selector, it could never count them, so the API server refuses \
          the object. A missing selector matches nothing, and an empty one (`{}`) is refused.",
    fix: "Put every `matchLabels` key and value into `spec.template.metadata.labels`.",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        // apps/validation `ValidateDeploymentSpec`, `ValidateReplicaSetSpec`,
        // `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec`: the empty-selector wording names
        // the kind (ReplicaSets say "deployment" upstream too).
        let empty_msg = match kind {
            "Deployment" | "ReplicaSet" => "empty selector is invalid for deployment",
            "StatefulSet" => "empty selector is invalid for statefulset",
            "DaemonSet" => "empty selector is invalid for daemonset",
            _ => continue,
        };
        let Some(spec) = root.get("spec").filter(|s| s.as_mapping().is_some()) else {
            continue;
        };
        let Some(template) = spec.get("template").filter(|t| t.as_mapping().is_some()) else {
            continue;
        };
        let labels_node = template.at("metadata.labels");
        let labels = labels_node.map(|l| l.string_map()).unwrap_or_default();
        let selector_node = spec.get("selector").filter(|s| !s.is_null());
        let matches = match selector_node {
            // A nil selector is `labels.Nothing()`: it matches no template.
            None => false,
            Some(sel) => {
                let count = sel
                    .get("matchLabels")
                    .and_then(|m| m.as_mapping())
                    .map_or(0, <[_]>::len)
                    + api::items(sel, "matchExpressions").len();
                if count == 0 {
                    let body = api::invalid("{}", empty_msg);
                    out.push(api::error(
                        ctx,
                        &RULE,
                        object,
                        sel.range,
                        "spec.selector",
                        &body,
                    ));
                    // An empty selector matches everything (DaemonSets) or skips the check.
                    true
                } else if !convertible(sel) {
                    // `LabelSelectorAsSelector` fails: the template is not checked.
                    let body = api::invalid(&api::render(sel), "invalid label selector");
                    out.push(api::error(
                        ctx,
                        &RULE,
                        object,
                        sel.range,
                        "spec.selector",
                        &body,
                    ));
                    true
                } else {
                    Selector::from_label_selector(sel).matches(&labels)
                }
            }
        };
        if matches {
            continue;
        }
        let range = labels_node.unwrap_or(template).range;
        let value = labels_node.map_or_else(|| "null".to_owned(), api::render);
        let body = api::invalid(&value, "`selector` does not match template `labels`");
        let help = match selector_node {
            None => "Add `spec.selector.matchLabels` with the template's labels (for example `app: web`).".to_owned(),
            Some(sel) => {
                let wanted: Vec<String> = sel
                    .get("matchLabels")
                    .map(|m| m.string_map())
                    .unwrap_or_default()
                    .iter()
                    .filter(|(k, v)| !labels.iter().any(|(lk, lv)| lk == k && lv == v))
                    .map(|(k, v)| format!("`{k}: {v}`"))
                    .collect();
                if wanted.is_empty() {
                    RULE.fix.to_owned()
                } else {
                    format!(
                        "Give the template the selector's labels: {} (or change the selector to match the template).",
                        wanted.join(", ")
                    )
                }
            }
        };
        out.push(
            api::error(
                ctx,
                &RULE,
                object,
                range,
                "spec.template.metadata.labels",
                &body,
            )
            .help(help),
        );
    }
}

/// Whether `metav1.LabelSelectorAsSelector` accepts the expressions: In/NotIn need values,
/// Exists/DoesNotExist take none, and no other operator exists.
fn convertible(sel: &crate::yaml::Node) -> bool {
    api::items(sel, "matchExpressions").iter().all(|e| {
        let n = api::items(e, "values").len();
        match e.get("operator").and_then(crate::yaml::Node::as_str) {
            Some("In" | "NotIn") => n > 0,
            Some("Exists" | "DoesNotExist") => n == 0,
            _ => false,
        }
    })
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
        let d = crate::testing::diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "selector-mismatch").unwrap();
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "The Deployment \"api\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"backend\"}: `selector` does not match template `labels`"
            )
        );
    }

    #[test]
    fn bad_empty_selector() {
        let text = DEPLOY.replace("    matchLabels:\n      app: api\n", "    {}\n");
        assert_eq!(lines_of(&text, "selector-mismatch"), vec![7]);
    }

    #[test]
    fn good_match_expressions() {
        let text = DEPLOY.replace(
            "    matchLabels:\n      app: api\n",
            "    matchExpressions:\n      - {key: app, operator: In, values: [api, web]}\n",
        );
        assert!(lines_of(&text, "selector-mismatch").is_empty());
    }
}
