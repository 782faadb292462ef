//! ## What it does
//! Notes an init container without CPU and memory limits (or whose requests differ from its
//! limits) in a pod that would otherwise be Guaranteed.
//!
//! ## Why
//! The QoS class counts init containers too: every container of the pod, init containers
//! included, needs cpu and memory limits equal to its requests for the pod to be Guaranteed.
//! One unconstrained init container makes the whole pod Burstable, so under memory pressure
//! it may be evicted before Guaranteed pods, and it loses the exclusive CPUs the static CPU
//! manager gives Guaranteed pods.
//!
//! ## Example
//! ```yaml
//! initContainers:
//!   - name: migrate
//!     image: example/migrate:1.0
//! ```
//! ## Fix
//! Give the init container the same requests and limits, like the app containers.

use super::container_util::{container_anchor, name_of, resource};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::facts::{QosClass, pod_qos};
use crate::model::{Container, containers};
use crate::rule::Rule;
use crate::yaml::{Node, NodeKind};

pub static RULE: Rule = Rule {
    code: "init-container-no-limits",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Init container demotes a Guaranteed pod to Burstable",
    why: "A pod is Guaranteed only if every container, init containers included, has cpu and \
          memory limits equal to its requests. The app containers here qualify, but this init \
          container does not, so the pod is Burstable: under node memory pressure it can be \
          evicted before Guaranteed pods, and it does not get the dedicated CPUs the kubelet's \
          static CPU manager gives Guaranteed pods.",
    fix: "Give the init container `resources.limits` for cpu and memory, equal to its \
          requests (for example `limits: {cpu: 100m, memory: 64Mi}` with no separate \
          requests).",
    docs: "https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/#guaranteed",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// The spec without its `initContainers`, to ask what the QoS class would be without them.
fn without_init(spec: &Node) -> Option<Node> {
    let entries = spec.as_mapping()?;
    Some(Node {
        kind: NodeKind::Mapping(
            entries
                .iter()
                .filter(|e| {
                    e.key
                        .as_scalar()
                        .is_none_or(|k| k.value != "initContainers")
                })
                .cloned()
                .collect(),
        ),
        range: spec.range,
    })
}

/// What keeps this init container from being Guaranteed-shaped, if anything.
fn problem(c: &Container<'_>) -> Option<String> {
    let mut missing = Vec::new();
    let mut differ = Vec::new();
    for res in ["cpu", "memory"] {
        match resource(c, "limits", res) {
            Some((_, limit)) if limit.nanos() > 0 => {
                if let Some((_, request)) = resource(c, "requests", res)
                    && request != limit
                {
                    differ.push(res);
                }
            }
            _ => missing.push(res),
        }
    }
    if !missing.is_empty() {
        Some(format!("has no {} limit", missing.join(" or ")))
    } else if !differ.is_empty() {
        Some(format!(
            "requests differ from its limits for {}",
            differ.join(" and ")
        ))
    } else {
        None
    }
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        if p.spec.get("initContainers").is_none() || pod_qos(p.spec) == QosClass::Guaranteed {
            continue;
        }
        if without_init(p.spec).is_none_or(|s| pod_qos(&s) != QosClass::Guaranteed) {
            continue;
        }
        for c in containers(p.spec, p.path) {
            if !c.init {
                continue;
            }
            let Some(why) = problem(&c) else { continue };
            let anchor = c
                .node
                .entry("resources")
                .map_or_else(|| container_anchor(&c), |e| e.key.range);
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    anchor,
                    format!(
                        "init container \"{}\" {why}, so the pod is Burstable instead of Guaranteed",
                        name_of(&c)
                    ),
                )
                .field(format!("{}.resources.limits", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const APP: &str = "  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        limits: {cpu: 500m, memory: 256Mi}\n";

    #[test]
    fn bad_init_without_limits() {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n    - name: migrate\n      image: example/migrate:1.0\n{APP}"
        );
        assert_eq!(lines_of(&text, "init-container-no-limits"), vec![7]);
        let d = diagnostics_of(&text);
        let d = d
            .iter()
            .find(|d| d.code == "init-container-no-limits")
            .unwrap();
        assert_eq!(
            d.message,
            "init container \"migrate\" has no cpu or memory limit, so the pod is Burstable instead of Guaranteed"
        );
    }

    #[test]
    fn good_init_with_limits_or_app_not_guaranteed() {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n    - name: migrate\n      image: example/migrate:1.0\n      resources:\n        limits: {{cpu: 100m, memory: 64Mi}}\n{APP}"
        );
        assert!(lines_of(&text, "init-container-no-limits").is_empty());
        // The app is Burstable anyway: the init container changes nothing.
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n    - name: migrate\n      image: example/migrate:1.0\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n        requests: {cpu: 100m, memory: 128Mi}\n";
        assert!(lines_of(text, "init-container-no-limits").is_empty());
    }
}
