//! ## What it does
//! Checks each container's `resources` as the API server does
//! (`pkg/apis/core/validation/validation.go` `ValidateContainerResourceRequirements`,
//! `validateContainerResourceName`, `ValidateResourceQuantityValue`): requests at most the
//! limit of the same resource (`must be less than or equal to cpu limit of 1`), no negative
//! quantities, whole numbers for extended resources, requests equal to limits for resources
//! that cannot be overcommitted (hugepages, extended resources such as `nvidia.com/gpu`,
//! which also need a limit), and only known resource names (`cpu`, `memory`,
//! `ephemeral-storage`, `hugepages-*`, or a domain-prefixed extended resource).
//!
//! ## Why
//! The scheduler places a pod by its requests and the kubelet enforces its limits; a request
//! above the limit could never be used. Devices such as GPUs are handed out whole and never
//! shared, so their request and limit must be the same whole number.
//!
//! ## Example
//! ```yaml
//! resources:
//!   requests: {cpu: "2"}
//!   limits: {cpu: "1"}
//! ```
//! ## Fix
//! Lower the request or raise the limit: `requests: {cpu: 500m}`, `limits: {cpu: "1"}`.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::{Object, Quantity};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "container-resources",
    severity: Severity::Error,
    source: Source::Api,
    title: "Requests above limits, negative or unknown resources",
    why: "A container's request is what the scheduler reserves; its limit is the most it may \
          use. A request above the limit, a negative amount, or a resource name the kubelet \
          does not know is refused. Hugepages and extended resources (GPUs) cannot be shared, \
          so their request must equal their limit.",
    fix: "Keep every request at or below its limit (or drop the request: it defaults to the \
          limit), and use `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` or a \
          vendor resource such as `nvidia.com/gpu`.",
    docs: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#requests-and-limits",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

/// `IsOvercommitAllowed`: native resources other than hugepages.
fn overcommit_allowed(name: &str) -> bool {
    is_native(name) && !is_hugepages(name)
}

/// `IsExtendedResourceName`: a domain-prefixed name outside `kubernetes.io/`, not `requests.`.
fn is_extended(name: &str) -> bool {
    !is_native(name) && !name.starts_with("requests.")
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in api::containers(ctx) {
        let Some(resources) = c.node.get("resources") else {
            continue;
        };
        let limits = resources.get("limits");
        let requests = resources.get("requests");
        let limit_of = |name: &str| limits.and_then(|l| l.get(name)).and_then(api::quantity);
        for (section, map) in [("limits", limits), ("requests", requests)] {
            let Some(entries) = map.and_then(Node::as_mapping) else {
                continue;
            };
            // Paths are formatted only for a diagnostic: this runs on every keystroke.
            let section_path = || format!("{}.resources.{section}", c.path);
            for e in entries {
                let Some(name) = e.key.as_scalar().map(|s| s.value.as_str()) else {
                    continue;
                };
                let key_path = || format!("{}.resources.{section}[{name}]", c.path);
                resource_name(ctx, p.object, name, &e.key, &key_path, out);
                let Some(q) = api::quantity(&e.value) else {
                    continue;
                };
                if q < Quantity::from_units(0) {
                    let body = api::invalid(
                        &api::q(&api::canonical(q)),
                        "must be greater than or equal to 0",
                    );
                    out.push(api::error(
                        ctx,
                        &RULE,
                        p.object,
                        e.value.range,
                        &key_path(),
                        &body,
                    ));
                }
                if is_extended(name) && q.nanos() % 1_000_000_000 != 0 {
                    let body = api::invalid(&api::q(&api::canonical(q)), "must be an integer");
                    out.push(api::error(
                        ctx,
                        &RULE,
                        p.object,
                        e.value.range,
                        &key_path(),
                        &body,
                    ));
                }
                if section != "requests" {
                    continue;
                }
                match limit_of(name) {
                    Some(limit) => {
                        let detail = if q != limit && !overcommit_allowed(name) {
                            format!("must be equal to {name} limit of {}", api::canonical(limit))
                        } else if q > limit {
                            format!(
                                "must be less than or equal to {name} limit of {}",
                                api::canonical(limit)
                            )
                        } else {
                            continue;
                        };
                        let body = api::invalid(&api::q(&api::canonical(q)), &detail);
                        out.push(
                            api::error(ctx, &RULE, p.object, e.value.range, &section_path(), &body)
                                .help(format!("Lower the {name} request to at most {}, or raise the limit; without a request, it defaults to the limit.", api::canonical(limit))),
                        );
                    }
                    None if !overcommit_allowed(name) => {
                        let range = limits.map_or(e.key.range, |l| l.range);
                        let body =
                            api::required("Limit must be set for non overcommitable resources");
                        out.push(
                            api::error(ctx, &RULE, p.object, range, &format!("{}.resources.limits", c.path), &body)
                                .help(format!("Set `limits: {{{name}: ...}}` equal to the request: devices are not shared between containers.")),
                        );
                    }
                    None => {}
                }
            }
        }
    }
}

/// `validateContainerResourceName`.
fn resource_name(
    ctx: &Context<'_>,
    object: &Object,
    name: &str,
    key: &Node,
    path: &dyn Fn() -> String,
    out: &mut Vec<Diagnostic>,
) {
    let detail = if !name.contains('/') {
        if matches!(name, "cpu" | "memory" | "ephemeral-storage") || is_hugepages(name) {
            return;
        }
        "must be a standard resource for containers"
    } else if !is_native(name) && !is_extended(name) {
        "doesn't follow extended resource name standard"
    } else {
        return;
    };
    let body = api::invalid(&api::q(name), detail);
    let help = match name {
        "storage" => {
            "Containers do not request `storage`: use `ephemeral-storage` for scratch space, or a PersistentVolumeClaim for a volume."
        }
        "gpu" => "GPUs are extended resources named by their vendor, e.g. `nvidia.com/gpu: 1`.",
        _ => {
            "Use `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` or a domain-prefixed extended resource."
        }
    };
    out.push(api::error(ctx, &RULE, object, key.range, &path(), &body).help(help));
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    fn pod(resources: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      resources:\n{resources}"
        )
    }

    #[test]
    fn good_requests_below_limits() {
        let text = pod(
            "        requests: {cpu: 250m, memory: 64Mi}\n        limits: {cpu: 500m, memory: 128Mi, nvidia.com/gpu: 1}\n",
        );
        assert!(lines_of(&text, "container-resources").is_empty());
    }

    #[test]
    fn bad_request_above_limit() {
        let text =
            pod("        requests:\n          cpu: \"2\"\n        limits:\n          cpu: \"1\"\n");
        assert_eq!(lines_of(&text, "container-resources"), vec![11]);
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "container-resources").unwrap();
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "The Pod \"web\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"
            )
        );
    }

    #[test]
    fn bad_gpu_request_without_limit_and_unknown_name() {
        let text = pod("        requests:\n          nvidia.com/gpu: 1\n          storage: 1Gi\n");
        assert_eq!(lines_of(&text, "container-resources"), vec![11, 12]);
    }
}
