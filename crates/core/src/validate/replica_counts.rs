//! ## What it does
//! Reports negative counts and durations on workloads: `replicas`, `minReadySeconds`,
//! `revisionHistoryLimit` and `progressDeadlineSeconds` (`pkg/apis/apps/validation`
//! `ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`,
//! `ValidateDaemonSetSpec`, all through `ValidateNonnegativeField`).
//!
//! ## Why
//! A negative number of pods or seconds means nothing, so the API server refuses it with
//! `must be greater than or equal to 0`. To stop a workload, scale it to `0`.
//!
//! ## Example
//! ```yaml
//! spec:
//!   replicas: -1
//! ```
//! ## Fix
//! Use `0` or a positive number.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "replica-counts",
    severity: Severity::Error,
    source: Source::Api,
    title: "Negative replicas or workload timing",
    why: "Replica counts, history limits and readiness times count things; a negative value \
          has no meaning, so the API server refuses it.",
    fix: "Use 0 or a positive number (`replicas: 0` stops every pod but keeps the workload).",
    docs: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#writing-a-deployment-spec",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "Deployment" => &[
            "replicas",
            "minReadySeconds",
            "revisionHistoryLimit",
            "progressDeadlineSeconds",
        ],
        "ReplicaSet" | "ReplicationController" => &["replicas", "minReadySeconds"],
        "StatefulSet" => &["replicas", "minReadySeconds", "revisionHistoryLimit"],
        "DaemonSet" => &["minReadySeconds", "revisionHistoryLimit"],
        _ => &[],
    }
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in api::objects(ctx) {
        let names = fields(kind);
        if names.is_empty() {
            continue;
        }
        let Some(spec) = root.get("spec") else {
            continue;
        };
        for name in names {
            if let Some((n, v)) = api::int_at(spec, name)
                && v < 0
            {
                let body = api::invalid(&v.to_string(), "must be greater than or equal to 0");
                out.push(api::error(
                    ctx,
                    &RULE,
                    object,
                    n.range,
                    &format!("spec.{name}"),
                    &body,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_negative_replicas_good_zero() {
        let text = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: -1\n";
        assert_eq!(lines_of(text, "replica-counts"), vec![6]);
        let text = text.replace("-1", "0");
        assert!(lines_of(&text, "replica-counts").is_empty());
    }
}
