//! ## What it does
//! Flags a container of a Deployment, StatefulSet, DaemonSet or ReplicaSet that takes traffic
//! (it declares ports, or a Service in the files selects its pods) but has no readiness probe.
//! Containers with a liveness probe and no readiness probe are `liveness-without-readiness`.
//!
//! ## Why
//! Without a readiness probe a container counts as ready the moment it starts, so the Service
//! sends it requests while the app is still loading, and a rolling update removes old pods as
//! soon as new ones start, before they can actually serve.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: web
//!     image: nginx:1.27
//!     ports: [{containerPort: 80}]
//! ```
//! ## Fix
//! ```yaml
//!     readinessProbe:
//!       httpGet: {path: /, port: 80}
//! ```

use super::container_util::{
    container_anchor, is_long_running_workload, name_of, selected_by_any_service, serves_traffic,
};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "readiness-probe-missing",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Container that takes traffic has no readiness probe",
    why: "Without a readiness probe the kubelet marks the container ready as soon as it starts, \
          so the Service sends it requests while the application is still starting up, and \
          those requests fail. During a rolling update the Deployment counts the new pods as \
          available at once and removes old pods before the new ones can serve, so every \
          rollout causes errors. A readiness probe also takes a pod out of the Service while it \
          is overloaded, without restarting it.",
    fix: "Add a `readinessProbe` that succeeds only when the app can serve, for example \
          `readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}`.",
    docs: "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/#readiness-probe",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut selected = None;
    for p in ctx.pod_specs() {
        if !is_long_running_workload(p.kind) {
            continue;
        }
        for c in containers(p.spec, p.path) {
            if c.init
                || c.node.get("readinessProbe").is_some()
                || c.node.get("livenessProbe").is_some()
            {
                continue;
            }
            let selected = selected.get_or_insert_with(|| selected_by_any_service(ctx));
            if !serves_traffic(&c, p.spec, p.object, p.kind, selected) {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    container_anchor(&c),
                    format!(
                        "container \"{}\" has no readinessProbe: it gets traffic the moment it starts",
                        name_of(&c)
                    ),
                )
                .field(format!("{}.readinessProbe", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const HEAD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n";

    #[test]
    fn bad_ports_and_no_probe() {
        let text = format!(
            "{HEAD}        - name: web\n          image: nginx:1.27\n          ports:\n            - containerPort: 80\n"
        );
        assert_eq!(lines_of(&text, "readiness-probe-missing"), vec![13]);
    }

    #[test]
    fn bad_selected_by_a_service() {
        let text = format!(
            "{HEAD}        - name: web\n          image: nginx:1.27\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n"
        );
        assert_eq!(lines_of(&text, "readiness-probe-missing"), vec![13]);
    }

    #[test]
    fn good_portless_sidecar_beside_a_serving_container() {
        let text = format!(
            "{HEAD}        - name: web\n          image: nginx:1.27\n          ports: [{{containerPort: 80}}]\n          readinessProbe:\n            httpGet: {{path: /, port: 80}}\n        - name: log-shipper\n          image: fluent/fluent-bit:3.1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n"
        );
        assert!(lines_of(&text, "readiness-probe-missing").is_empty());
    }

    #[test]
    fn good_probe_or_worker_or_job() {
        let text = format!(
            "{HEAD}        - name: web\n          image: nginx:1.27\n          ports: [{{containerPort: 80}}]\n          readinessProbe:\n            httpGet: {{path: /, port: 80}}\n        - name: worker\n          image: example/worker:1.0\n"
        );
        assert!(lines_of(&text, "readiness-probe-missing").is_empty());
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: once\n          image: busybox:1.36\n          ports: [{containerPort: 80}]\n";
        assert!(lines_of(job, "readiness-probe-missing").is_empty());
    }
}
