//! ## What it does
//! Points out serving containers of pods that a Service selects when they have no `preStop`
//! hook.
//!
//! ## Why
//! Deleting a pod (a rollout, a scale-down, a drain) does two things at the same moment: the
//! kubelet sends SIGTERM to the containers, and the endpoints controller removes the pod from
//! the Service, which kube-proxy and Ingress controllers learn about a little later. During
//! that window new connections still arrive at a process that is shutting down, and fail. A
//! short preStop sleep keeps the container serving until the routing has caught up.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: web
//!     image: nginx:1.27
//! ```
//! ## Fix
//! ```yaml
//!   - name: web
//!     lifecycle:
//!       preStop:
//!         sleep:
//!           seconds: 5
//! ```

use std::collections::HashMap;

use crate::advise::links::{PodOwners, key_indent, ns};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Edit, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "prestop-missing-behind-service",
    severity: Severity::Info,
    source: Source::Advice,
    title: "Pod behind a Service stops without a preStop delay",
    why: "When a pod is deleted (rollout, scale-down, node drain), SIGTERM reaches the container \
          at the same time as the pod is removed from the Service's endpoints, and kube-proxy \
          and Ingress controllers learn of the removal a moment later. In between, some requests \
          are still routed to a process that is already stopping, and they fail. A few seconds \
          of preStop sleep let the routing catch up before the application is told to stop.",
    fix: "Add `lifecycle: {preStop: {sleep: {seconds: 5}}}` to the serving container (the sleep \
          action needs no shell in the image), and keep terminationGracePeriodSeconds above \
          the sleep plus the app's shutdown time.",
    docs: "https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // (namespace, kind, name) of every selected object → the first Service selecting it.
    let owners = PodOwners::of(ctx);
    let mut behind: HashMap<(&str, &str, &str), &str> = HashMap::new();
    for (service, root, kind) in ctx.objects_with_root() {
        if kind != "Service" {
            continue;
        }
        for o in owners.selected_by(service, root).unwrap_or_default() {
            behind
                .entry((ns(o.object), o.kind, o.object.name_or_empty()))
                .or_insert(service.name_or_empty());
        }
    }
    if behind.is_empty() {
        return;
    }
    for p in ctx.pod_specs() {
        if matches!(p.kind, "Job" | "CronJob") {
            continue;
        }
        let key = (ns(p.object), p.kind, p.object.name_or_empty());
        let Some(service) = behind.get(&key) else {
            continue;
        };
        let regular: Vec<_> = containers(p.spec, p.path)
            .into_iter()
            .filter(|c| !c.init)
            .collect();
        // Containers declaring ports are the ones serving; if none declares any, all may.
        let any_ports = regular.iter().any(|c| c.node.get("ports").is_some());
        for c in regular {
            if any_ports && c.node.get("ports").is_none() {
                continue;
            }
            if c.node.at("lifecycle.preStop").is_some() {
                continue;
            }
            let name = c.name.unwrap_or("?");
            let entry = c.node.entry("name");
            let range = entry.map_or(c.node.range, |e| e.value.range);
            let mut d = ctx
                .diag(
                    &RULE,
                    p.object,
                    range,
                    format!(
                        "container \"{name}\" is behind Service \"{service}\" but has no preStop hook: requests routed during its shutdown will fail"
                    ),
                )
                .field(format!("{}.lifecycle.preStop", c.path));
            if let Some(e) = entry
                && c.node.as_mapping().is_some()
                && !ctx.text[c.node.range.start..].starts_with('{')
                && ctx.text[e.value.range.end..]
                    .split('\n')
                    .next()
                    .is_some_and(|rest| rest.trim().is_empty())
                && c.node.entry("lifecycle").is_none()
            {
                let pad = " ".repeat(key_indent(ctx, &e.key));
                d = d.edit(Edit {
                    start: e.value.range.end,
                    end: e.value.range.end,
                    insert: format!(
                        "\n{pad}lifecycle:\n{pad}  preStop:\n{pad}    sleep:\n{pad}      seconds: 5"
                    ),
                    title: "Add a 5 second preStop sleep".into(),
                });
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n---\n";

    fn deployment(container: &str) -> String {
        format!(
            "{SERVICE}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n{container}"
        )
    }

    #[test]
    fn bad_no_prestop_with_edit() {
        let text = deployment(
            "        - name: web\n          image: nginx:1.27\n          ports:\n            - containerPort: 80\n        - name: log-shipper\n          image: fluent/fluent-bit:3.2\n",
        );
        assert_eq!(lines_of(&text, "prestop-missing-behind-service"), vec![24]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "prestop-missing-behind-service")
            .unwrap();
        let edit = d.edit.unwrap();
        let fixed = format!(
            "{}{}{}",
            &text[..edit.start],
            edit.insert,
            &text[edit.end..]
        );
        assert!(fixed.contains("        - name: web\n          lifecycle:\n            preStop:\n              sleep:\n                seconds: 5\n          image: nginx:1.27\n"), "{fixed}");
        assert!(lines_of(&fixed, "prestop-missing-behind-service").is_empty());
    }

    #[test]
    fn good_prestop_or_not_selected() {
        let text = deployment(
            "        - name: web\n          image: nginx:1.27\n          lifecycle:\n            preStop:\n              sleep: {seconds: 5}\n",
        );
        assert!(lines_of(&text, "prestop-missing-behind-service").is_empty());
        let alone = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: batch\nspec:\n  containers:\n    - name: batch\n      image: busybox:1.37\n";
        assert!(lines_of(alone, "prestop-missing-behind-service").is_empty());
    }
}
