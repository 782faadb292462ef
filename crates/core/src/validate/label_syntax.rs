//! ## What it does
//! Checks label keys and values, annotation keys and the total size of annotations, and the
//! label selectors (`matchLabels`, `matchExpressions`, a Service's `selector`) against the
//! API server's syntax: apimachinery `pkg/apis/meta/v1/validation` `ValidateLabels`,
//! `ValidateLabelSelectorRequirement`; `pkg/api/validation/objectmeta.go`
//! `ValidateAnnotations` (keys are lowercased first, total of keys and values ≤ 256 KiB).
//!
//! ## Why
//! Label values are limited to 63 characters of letters, digits, `-`, `_` and `.`, starting
//! and ending with a letter or digit; keys may carry one DNS-subdomain prefix and `/`. A
//! version like `v1.2.3+build`, a value with spaces, or `app.kubernetes.io/` with an empty
//! name is refused.
//!
//! ## Example
//! ```yaml
//! metadata:
//!   labels:
//!     version: 1.2.3+build
//! ```
//! ## Fix
//! Keep values short and plain (`1.2.3-build`); put free text in annotations.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Object;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "label-syntax",
    severity: Severity::Error,
    source: Source::Api,
    title: "Invalid label, annotation key or selector",
    why: "Labels are indexed and matched by selectors, so the API server restricts them: keys \
          are an optional DNS-subdomain prefix and `/` plus a name of at most 63 letters, \
          digits, `-`, `_` or `.`; values are empty or at most 63 such characters starting and \
          ending with a letter or digit. Annotation keys follow the key rule, and all \
          annotations of an object together may hold at most 256 KiB.",
    fix: "Rename the key or value to letters, digits, `-`, `_` and `.` (at most 63), starting \
          and ending with a letter or digit; move free text to an annotation.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// `TotalAnnotationSizeLimitB`.
const ANNOTATIONS_LIMIT: usize = 256 * 1024;

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        if let Some(meta) = root.get("metadata") {
            meta_maps(ctx, object, meta, "metadata", out);
        }
        let template = match kind {
            "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "ReplicationController" => root
                .at("spec.template.metadata")
                .map(|m| (m, "spec.template.metadata")),
            "CronJob" => {
                if let Some(m) = root.at("spec.jobTemplate.metadata") {
                    meta_maps(ctx, object, m, "spec.jobTemplate.metadata", out);
                }
                root.at("spec.jobTemplate.spec.template.metadata")
                    .map(|m| (m, "spec.jobTemplate.spec.template.metadata"))
            }
            _ => None,
        };
        // `ValidatePodTemplateSpecForStatefulSet` reports template labels at
        // `spec.template.labels` (sic).
        let template = template.map(|(m, path)| {
            if kind == "StatefulSet" {
                (m, "spec.template")
            } else {
                (m, path)
            }
        });
        if let Some((m, path)) = template {
            meta_maps(ctx, object, m, path, out);
        }
        match kind {
            "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "PodDisruptionBudget" => {
                if let Some(sel) = root.at("spec.selector") {
                    selector(ctx, object, sel, "spec.selector", out);
                }
            }
            "Service" | "ReplicationController" => {
                if let Some(sel) = root.at("spec.selector") {
                    labels(ctx, object, sel, ("spec.selector", ""), out);
                }
            }
            "NetworkPolicy" => {
                if let Some(sel) = root.at("spec.podSelector") {
                    selector(ctx, object, sel, "spec.podSelector", out);
                }
            }
            _ => {}
        }
    }
}

fn meta_maps(
    ctx: &Context<'_>,
    object: &Object,
    meta: &Node,
    path: &str,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(l) = meta.get("labels") {
        labels(ctx, object, l, (path, ".labels"), out);
    }
    if let Some(a) = meta.get("annotations") {
        annotations(ctx, object, a, (path, ".annotations"), out);
    }
}

/// A field path kept in two parts, joined only when a diagnostic is made.
fn join(path: (&str, &str)) -> String {
    format!("{}{}", path.0, path.1)
}

/// `ValidateLabels`: errors are reported on the map's path with the bad key or value.
fn labels(
    ctx: &Context<'_>,
    object: &Object,
    map: &Node,
    path: (&str, &str),
    out: &mut Vec<Diagnostic>,
) {
    for e in map.as_mapping().unwrap_or_default() {
        let (Some(k), Some(v)) = (e.key.as_scalar(), e.value.as_scalar()) else {
            continue;
        };
        let (key, value) = (k.value.as_str(), v.value.as_str());
        if api::label_ok(key, value) {
            continue;
        }
        for msg in api::label_key_errors(key) {
            let body = api::invalid(&api::q(key), &msg);
            out.push(api::error(
                ctx,
                &RULE,
                object,
                e.key.range,
                &join(path),
                &body,
            ));
        }
        for msg in api::label_value_errors(value) {
            let body = api::invalid(&api::q(value), msg);
            out.push(api::error(
                ctx,
                &RULE,
                object,
                e.value.range,
                &join(path),
                &body,
            ));
        }
    }
}

fn annotations(
    ctx: &Context<'_>,
    object: &Object,
    map: &Node,
    path: (&str, &str),
    out: &mut Vec<Diagnostic>,
) {
    let mut total = 0usize;
    for e in map.as_mapping().unwrap_or_default() {
        let Some(k) = e.key.as_scalar() else {
            continue;
        };
        let key = k.value.as_str();
        total += key.len() + e.value.as_scalar().map_or(0, |v| v.value.len());
        if api::label_ok(key, "") {
            continue;
        }
        // The rule is the label key's, except that case does not matter.
        for msg in api::label_key_errors(&key.to_ascii_lowercase()) {
            let body = api::invalid(&api::q(key), &msg);
            out.push(api::error(
                ctx,
                &RULE,
                object,
                e.key.range,
                &join(path),
                &body,
            ));
        }
    }
    if total > ANNOTATIONS_LIMIT {
        let body = format!("Too long: may not be more than {ANNOTATIONS_LIMIT} bytes");
        out.push(
            api::error(ctx, &RULE, object, map.range, &join(path), &body).help(
                "Annotations are stored in etcd with the object; keep large data in a ConfigMap.",
            ),
        );
    }
}

/// `ValidateLabelSelector` with `ValidateLabelSelectorRequirement`.
fn selector(ctx: &Context<'_>, object: &Object, sel: &Node, path: &str, out: &mut Vec<Diagnostic>) {
    if let Some(m) = sel.get("matchLabels") {
        labels(ctx, object, m, (path, ".matchLabels"), out);
    }
    for (i, expr) in api::items(sel, "matchExpressions").iter().enumerate() {
        let at = format!("{path}.matchExpressions[{i}]");
        let values = expr.get("values");
        let has_values = values
            .and_then(Node::as_sequence)
            .is_some_and(|v| !v.is_empty());
        match expr.get("operator").and_then(Node::as_str) {
            Some("In" | "NotIn") if !has_values => {
                let range = values.unwrap_or(expr).range;
                let body = api::required("must be specified when `operator` is 'In' or 'NotIn'");
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    range,
                    &format!("{at}.values"),
                    &body,
                ));
            }
            Some("Exists" | "DoesNotExist") if has_values => {
                let range = values.unwrap_or(expr).range;
                let body = api::forbidden(
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                );
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    range,
                    &format!("{at}.values"),
                    &body,
                ));
            }
            Some("In" | "NotIn" | "Exists" | "DoesNotExist") => {}
            Some(op) => {
                if let Some(n) = expr.get("operator") {
                    let body = api::invalid(&api::q(op), "not a valid selector operator");
                    out.push(api::error(
                        ctx,
                        &RULE,
                        object,
                        n.range,
                        &format!("{at}.operator"),
                        &body,
                    ));
                }
            }
            None => {}
        }
        if let Some(k) = expr.get("key")
            && let Some(key) = k.as_str()
            && !api::label_ok(key, "")
        {
            for msg in api::label_key_errors(key) {
                let body = api::invalid(&api::q(key), &msg);
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    k.range,
                    &format!("{at}.key"),
                    &body,
                ));
            }
        }
        for (j, v) in api::items(expr, "values").iter().enumerate() {
            let Some(value) = v.as_scalar().map(|s| s.value.as_str()) else {
                continue;
            };
            for msg in api::label_value_errors(value) {
                let body = api::invalid(&api::q(value), msg);
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    v.range,
                    &format!("{at}.values[{j}]"),
                    &body,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels:\n    app.kubernetes.io/name: web\n    version: v1.2.3\n";

    #[test]
    fn good_recommended_labels() {
        assert!(lines_of(CM, "label-syntax").is_empty());
    }

    #[test]
    fn bad_value_with_plus_and_key_with_two_slashes() {
        let text = CM.replace("v1.2.3", "v1.2.3+build") + "    a/b/c: x\n";
        assert_eq!(lines_of(&text, "label-syntax"), vec![7, 8]);
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "label-syntax").unwrap();
        assert!(d.apiserver.as_deref().unwrap().starts_with(
            "The ConfigMap \"web\" is invalid: metadata.labels: Invalid value: \"v1.2.3+build\": a valid label must be"
        ));
    }

    #[test]
    fn bad_selector_operator_values() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchExpressions:\n      - key: app\n        operator: In\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n";
        assert_eq!(lines_of(text, "label-syntax"), vec![8]);
    }

    #[test]
    fn bad_annotations_too_large() {
        let big = "x".repeat(300 * 1024);
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  annotations:\n    note: {big}\n"
        );
        assert_eq!(lines_of(&text, "label-syntax"), vec![6]);
    }
}
