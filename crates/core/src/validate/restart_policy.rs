//! ## What it does
//! Checks the pod template's `restartPolicy` against what the owning kind allows:
//! Deployments, ReplicaSets, StatefulSets, DaemonSets and ReplicationControllers take only
//! `Always` (`pkg/apis/apps/validation` `ValidatePodTemplateSpecForReplicaSet`,
//! `ValidatePodTemplateSpecForStatefulSet`, `ValidateDaemonSetSpec`); Jobs and CronJobs need
//! `OnFailure` or `Never`, and the default `Always` counts as missing
//! (`pkg/apis/batch/validation` `validateJobSpec`); a `podFailurePolicy` needs `Never`.
//!
//! ## Why
//! A Deployment's pods must run forever, so their containers restart whatever happens. A
//! Job's pods are meant to finish; `Always` would restart a finished container forever.
//!
//! ## Example
//! ```yaml
//! kind: Job
//! spec:
//!   template:
//!     spec:
//!       containers: [...]
//!       # restartPolicy missing: defaults to Always
//! ```
//! ## Fix
//! Jobs: `restartPolicy: Never` (or `OnFailure`). Workloads: remove `restartPolicy` or use
//! `Always`.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "restart-policy",
    severity: Severity::Error,
    source: Source::Api,
    title: "restartPolicy not allowed for this kind",
    why: "A controller that keeps pods running (Deployment, ReplicaSet, StatefulSet, DaemonSet) \
          needs its containers restarted always; a Job's pods are meant to finish, so they \
          must not restart forever. The API server refuses a template whose restartPolicy \
          contradicts its controller, and a Job template without one (the default is Always).",
    fix: "Jobs and CronJobs: `restartPolicy: Never` or `OnFailure` in the pod template. Other \
          workloads: remove `restartPolicy` (it defaults to Always).",
    docs: "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in api::all_pod_specs(ctx) {
        let policy = p.spec.get("restartPolicy");
        let value = policy.and_then(Node::as_str);
        let field = format!("{}.restartPolicy", p.path);
        match p.kind {
            "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "ReplicationController" => {
                let (Some(n), Some(v)) = (policy, value) else {
                    continue;
                };
                if !matches!(v, "OnFailure" | "Never") {
                    // Other spellings are the schema's `unsupported-value`.
                    continue;
                }
                let body = api::unsupported(&api::q(v), &["Always"]);
                out.push(api::error(ctx, &RULE, p.object, n.range, &field, &body).help(format!(
                    "A {} keeps its pods running: remove `restartPolicy` or set it to `Always`; for a task that finishes, use a Job.",
                    p.kind
                )));
            }
            "Job" | "CronJob" => {
                let job_spec = if p.kind == "Job" {
                    p.root.get("spec")
                } else {
                    p.root.at("spec.jobTemplate.spec")
                };
                match value {
                    None | Some("Always" | "") => {
                        let range = policy.unwrap_or(p.spec).range;
                        let body = api::required("valid values: \"OnFailure\", \"Never\"");
                        out.push(
                            api::error(ctx, &RULE, p.object, range, &field, &body).help(
                                "Add `restartPolicy: Never` (a failed pod is replaced) or `OnFailure` (the container restarts in place) to the pod template's spec.",
                            ),
                        );
                    }
                    Some("OnFailure")
                        if job_spec.and_then(|s| s.get("podFailurePolicy")).is_some() =>
                    {
                        if let Some(n) = policy {
                            let body = api::invalid(
                                "\"OnFailure\"",
                                "only \"Never\" is supported when podFailurePolicy is specified",
                            );
                            out.push(api::error(ctx, &RULE, p.object, n.range, &field, &body));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const JOB: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      containers:\n        - name: pi\n          image: perl:5.34\n      restartPolicy: Never\n";

    #[test]
    fn good_job_never() {
        assert!(lines_of(JOB, "restart-policy").is_empty());
    }

    #[test]
    fn bad_job_without_policy() {
        let text = JOB.replace("      restartPolicy: Never\n", "");
        assert_eq!(lines_of(&text, "restart-policy"), vec![8]);
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "restart-policy").unwrap();
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
            )
        );
    }

    #[test]
    fn bad_deployment_on_failure() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      restartPolicy: OnFailure\n      containers:\n        - name: web\n          image: nginx:1.27\n";
        assert_eq!(lines_of(text, "restart-policy"), vec![12]);
    }
}
