//! ## What it does
//! Checks container names: each a DNS-1123 label, unique across `initContainers` and
//! `containers` of one pod (`pkg/apis/core/validation/validation.go` `validateContainers`,
//! `validateInitContainers`: `ValidateDNS1123Label` and `Duplicate value`).
//!
//! ## Why
//! `kubectl logs -c NAME`, `kubectl exec -c NAME` and the kubelet address containers by
//! name, so the names must be unique in the pod and usable in DNS and paths: lowercase
//! letters, digits and `-`, at most 63 characters.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: Web_Server
//! ```
//! ## Fix
//! Lowercase, with dashes: `web-server`; give every container its own name.

use super::{api, names};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "container-names",
    severity: Severity::Error,
    source: Source::Api,
    title: "Container name invalid or duplicated",
    why: "Containers are addressed by name (`kubectl logs -c`, the kubelet, probes, metrics), \
          so each name must be a DNS-1123 label (lowercase letters, digits and `-`, at most 63) \
          and unique among the pod's init and regular containers.",
    fix: "Rename the container with lowercase letters, digits and `-`, different from every \
          other container of the pod.",
    docs: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in api::pod_specs(ctx) {
        let mut seen: Vec<&str> = Vec::new();
        for c in crate::model::containers(p.spec, p.path) {
            let (Some(name), Some(node)) = (c.name, c.node.get("name")) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            let field = format!("{}.name", c.path);
            let errs = names::dns1123_label(name);
            for msg in &errs {
                let body = api::invalid(&api::q(name), msg);
                out.push(api::error(ctx, &RULE, p.object, node.range, &field, &body));
            }
            if seen.contains(&name) {
                let body = api::duplicate(&api::q(name));
                out.push(
                    api::error(ctx, &RULE, p.object, node.range, &field, &body).help(
                        "Give each container of the pod its own name (init containers included).",
                    ),
                );
            } else {
                seen.push(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n    - name: migrate\n      image: busybox:1.36\n  containers:\n    - name: web\n      image: nginx:1.27\n    - name: sidecar\n      image: busybox:1.36\n";

    #[test]
    fn good_distinct_names() {
        assert!(lines_of(POD, "container-names").is_empty());
    }

    #[test]
    fn bad_duplicate_and_uppercase() {
        let text = POD.replace("name: sidecar", "name: migrate").replace(
            "name: web\n      image: nginx",
            "name: Web_1\n      image: nginx",
        );
        assert_eq!(lines_of(&text, "container-names"), vec![10, 12]);
    }
}
