//! ## What it does
//! Flags containers of pods in a namespace whose ResourceQuota (in these files) limits
//! `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory` (or `cpu`, `memory`) when
//! the container does not set that request or limit.
//!
//! ## Why
//! When a quota tracks CPU or memory, the ResourceQuota admission plugin requires every
//! container (init containers too) to state it (`pkg/quota/v1/evaluator/core/pods.go`,
//! `podEvaluator.Constraints`, kept for backward compatibility). A pod without it is refused:
//! `pods "web-7d4b9c-x2k9q" is forbidden: failed quota: compute: must specify requests.cpu for: web`.
//! The Deployment is accepted, but its ReplicaSet records `FailedCreate` events and no pod
//! ever appears.
//!
//! ## Example
//! A ResourceQuota with `hard: {requests.cpu: "4"}` and a container without `resources`.
//!
//! ## Fix
//! Set the quota's resources on every container, or add a LimitRange with defaults.

use std::collections::{BTreeMap, BTreeSet};

use crate::advise::links::ns;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::facts::{QosClass, pod_qos};
use crate::model::containers;
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "quota-requires-requests",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Namespace quota will refuse pods without requests or limits",
    why: "A ResourceQuota on cpu or memory makes the API server refuse any pod in the namespace \
          whose containers do not state that resource (\"failed quota: ... must specify \
          requests.cpu\"). A Deployment is still accepted, but its ReplicaSet cannot create a \
          single pod: `kubectl get deploy` shows 0 ready and the events say FailedCreate. \
          A LimitRange with default requests and limits would fill them in.",
    fix: "Give every container (and init container) the requests and limits the quota tracks, \
          for example `resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, \
          memory: 256Mi}}`, or add a LimitRange with `default` and `defaultRequest`.",
    docs: "https://kubernetes.io/docs/concepts/policy/resource-quotas/#compute-resource-quota",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// Quota names that force each container to state a resource (`validationSet`).
const TRACKED: [&str; 6] = [
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];

/// What a container states, as the quota evaluator names it (`podComputeUsageHelper`), after
/// defaulting: a limit without a request also sets the request.
fn stated(container: &Node) -> BTreeSet<&'static str> {
    let res = container.get("resources");
    let has = |section: &str, r: &str| {
        res.and_then(|x| x.get(section))
            .and_then(|m| m.get(r))
            .is_some()
    };
    let mut out = BTreeSet::new();
    for (r, req, lim) in [
        ("cpu", "requests.cpu", "limits.cpu"),
        ("memory", "requests.memory", "limits.memory"),
    ] {
        if has("requests", r) || has("limits", r) {
            out.insert(r);
            out.insert(req);
        }
        if has("limits", r) {
            out.insert(lim);
        }
    }
    out
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Namespace → (required names, first quota's name, whether only non-BestEffort pods count).
    let mut quotas: BTreeMap<&str, (BTreeSet<&'static str>, &str, bool)> = BTreeMap::new();
    let mut limit_ranges: BTreeSet<&str> = BTreeSet::new();
    for (o, r, k) in ctx.objects_with_root() {
        match k {
            "ResourceQuota" => {
                let hard = r.at("spec.hard").map(Node::string_map).unwrap_or_default();
                let required: BTreeSet<&'static str> = TRACKED
                    .into_iter()
                    .filter(|t| hard.iter().any(|(hk, _)| hk == t))
                    .collect();
                if required.is_empty() {
                    continue;
                }
                // A scoped quota only constrains the pods its scopes match. NotBestEffort is
                // decidable here (the QoS class); other scopes (priority classes, terminating)
                // depend on the cluster, so such quotas are left alone.
                let scopes: Vec<&str> = r
                    .at("spec.scopes")
                    .and_then(Node::as_sequence)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Node::as_str)
                    .collect();
                if r.at("spec.scopeSelector").is_some()
                    || scopes.iter().any(|s| *s != "NotBestEffort")
                {
                    continue;
                }
                let not_best_effort = !scopes.is_empty();
                let e = quotas
                    .entry(ns(o))
                    .or_insert_with(|| (BTreeSet::new(), o.name_or_empty(), not_best_effort));
                e.0.extend(required);
                e.2 &= not_best_effort;
            }
            "LimitRange" => {
                limit_ranges.insert(ns(o));
            }
            _ => {}
        }
    }
    if quotas.is_empty() {
        return;
    }
    for p in ctx.pod_specs() {
        let namespace = ns(p.object);
        let Some((required, quota, not_best_effort)) = quotas.get(namespace) else {
            continue;
        };
        if *not_best_effort && pod_qos(p.spec) == QosClass::BestEffort {
            continue;
        }
        // A LimitRange may default what is missing (LimitRanger admits before ResourceQuota);
        // pod-level resources lift the per-container requirement (PodLevelResources, 1.34+).
        if limit_ranges.contains(namespace) || p.spec.get("resources").is_some() {
            continue;
        }
        for c in containers(p.spec, p.path) {
            let have = stated(c.node);
            let missing: Vec<&str> = required.difference(&have).copied().collect();
            if missing.is_empty() {
                continue;
            }
            let name = c.name.unwrap_or("?");
            let range = c.node.entry("resources").map_or_else(
                || {
                    c.node
                        .entry("name")
                        .map_or(c.node.range, |e| e.key.range.cover(e.value.range))
                },
                |e| e.key.range,
            );
            let refusal = missing
                .iter()
                .map(|m| format!("{m} for: {name}"))
                .collect::<Vec<_>>()
                .join("; ");
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    range,
                    format!(
                        "container \"{name}\" does not set {} but ResourceQuota \"{quota}\" tracks it: its pods are refused (failed quota: {quota}: must specify {refusal})",
                        missing.join(", ")
                    ),
                )
                .field(format!("{}.resources", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const QUOTA: &str = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\n  namespace: shop\nspec:\n  hard:\n    requests.cpu: \"4\"\n    requests.memory: 8Gi\n    limits.memory: 16Gi\n---\n";

    fn deployment(namespace: &str, resources: &str) -> String {
        format!(
            "{QUOTA}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: {namespace}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n{resources}"
        )
    }

    #[test]
    fn bad_no_resources_and_partial() {
        assert_eq!(
            lines_of(&deployment("shop", ""), "quota-requires-requests"),
            vec![26]
        );
        let partial = "          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n";
        let text = deployment("shop", partial);
        assert_eq!(lines_of(&text, "quota-requires-requests"), vec![28]);
        let d = crate::testing::diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "quota-requires-requests")
            .unwrap();
        assert!(
            d.message.contains("must specify limits.memory for: web"),
            "{}",
            d.message
        );
    }

    #[test]
    fn good_complete_or_other_namespace() {
        let full = "          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {memory: 256Mi}\n";
        assert!(lines_of(&deployment("shop", full), "quota-requires-requests").is_empty());
        assert!(lines_of(&deployment("staging", ""), "quota-requires-requests").is_empty());
        // A NotBestEffort quota does not see a pod without any resources.
        let scoped = deployment("shop", "").replace(
            "spec:\n  hard:",
            "spec:\n  scopes: [NotBestEffort]\n  hard:",
        );
        assert!(lines_of(&scoped, "quota-requires-requests").is_empty());
    }
}
