//! ## What it does
//! Checks liveness, readiness and startup probes as the API server does
//! (`pkg/apis/core/validation/validation.go` `validateProbe`, `validateHandler`,
//! `validateLivenessProbe`, `validateReadinessProbe`, `validateStartupProbe`,
//! `validateInitContainers`): exactly one handler (`exec`, `httpGet`, `tcpSocket`, `grpc`);
//! no negative timings; `successThreshold` 1 for liveness and startup probes; no
//! `terminationGracePeriodSeconds` on readiness probes; a probe's port a valid number or
//! name; no probes or lifecycle hooks on init containers that are not sidecars
//! (`restartPolicy: Always`).
//!
//! ## Why
//! The kubelet runs one action per probe; with two it could not tell which result counts,
//! with none there is nothing to run. A liveness probe acts on one failure-to-success
//! transition, so "succeed N times" has no meaning for it. A plain init container runs to
//! completion before the app starts, so nothing would act on its probes.
//!
//! ## Example
//! ```yaml
//! livenessProbe:
//!   httpGet: {path: /healthz, port: 8080}
//!   tcpSocket: {port: 8080}
//! ```
//! ## Fix
//! Keep one handler per probe; use `successThreshold: 1` on liveness and startup probes.

use super::api;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::Object;
use crate::rule::Rule;
use crate::yaml::{Node, Resolved};

pub static RULE: Rule = Rule {
    code: "probe-handlers",
    severity: Severity::Error,
    source: Source::Api,
    title: "Probe without exactly one handler, or with invalid thresholds",
    why: "A probe runs exactly one action (`exec`, `httpGet`, `tcpSocket` or `grpc`). Its \
          timings count seconds and attempts, so they cannot be negative; liveness and \
          startup probes act on the first success, so their `successThreshold` must be 1.",
    fix: "Give each probe exactly one of `exec`, `httpGet`, `tcpSocket`, `grpc`, keep timings \
          at 0 or more, and remove `successThreshold` from liveness and startup probes (or set 1).",
    docs: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

const HANDLERS: [&str; 4] = ["exec", "httpGet", "tcpSocket", "grpc"];
const TIMINGS: [&str; 5] = [
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
];

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in api::containers(ctx) {
        let sidecar =
            c.init && c.node.get("restartPolicy").and_then(Node::as_str) == Some("Always");
        for kind in [
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle",
        ] {
            let Some(entry) = c.node.entry(kind) else {
                continue;
            };
            if entry.value.is_null() {
                continue;
            }
            if c.init && !sidecar {
                let path = format!("{}.{kind}", c.path);
                let body = api::forbidden(
                    "may not be set for init containers without restartPolicy=Always",
                );
                out.push(
                    api::error(ctx, &RULE, p.object, entry.key.range, &path, &body).help(
                        "Remove the probe: an init container runs to completion before the app starts. To keep it running beside the app, make it a sidecar with `restartPolicy: Always`.",
                    ),
                );
                continue;
            }
            if kind != "lifecycle" {
                probe(ctx, p.object, &entry.value, c.path, kind, out);
            }
        }
    }
}

fn probe(
    ctx: &Context<'_>,
    object: &Object,
    probe: &Node,
    cp: crate::model::ContainerPath<'_>,
    kind: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Formatted only for a diagnostic: this runs on every keystroke.
    let path = || format!("{cp}.{kind}");
    let mut handlers = 0;
    for h in HANDLERS {
        let Some(e) = probe.entry(h).filter(|e| !e.value.is_null()) else {
            continue;
        };
        if handlers > 0 {
            let body = api::forbidden("may not specify more than 1 handler type");
            out.push(
                api::error(ctx, &RULE, object, e.key.range, &format!("{}.{h}", path()), &body)
                    .help("Keep one handler per probe; to check two things, use `exec` with a script, or two different probes."),
            );
        } else {
            handlers += 1;
            if let Some(port) = e.value.get("port") {
                port_num_or_name(ctx, object, port, &format!("{}.{h}.port", path()), out);
            }
        }
    }
    if handlers == 0 && probe.as_mapping().is_some() {
        let body = api::required("must specify a handler type");
        out.push(
            api::error(ctx, &RULE, object, probe.range, &path(), &body)
                .help("Add one of `httpGet: {path: /healthz, port: 8080}`, `tcpSocket: {port: 8080}`, `exec: {command: [...]}` or `grpc: {port: 9090}`."),
        );
    }
    for t in TIMINGS {
        if let Some((n, v)) = api::int_at(probe, t)
            && v < 0
        {
            let body = api::invalid(&v.to_string(), "must be greater than or equal to 0");
            out.push(api::error(
                ctx,
                &RULE,
                object,
                n.range,
                &format!("{}.{t}", path()),
                &body,
            ));
        }
    }
    // `successThreshold` 0 is defaulted to 1 before validation.
    if matches!(kind, "livenessProbe" | "startupProbe")
        && let Some((n, v)) = api::int_at(probe, "successThreshold")
        && v != 0
        && v != 1
    {
        let body = api::invalid(&v.to_string(), "must be 1");
        out.push(
            api::error(ctx, &RULE, object, n.range, &format!("{}.successThreshold", path()), &body)
                .help("Remove `successThreshold` (it defaults to 1); only readiness probes may require several successes."),
        );
    }
    if let Some((n, v)) = api::int_at(probe, "terminationGracePeriodSeconds") {
        let field = format!("{}.terminationGracePeriodSeconds", path());
        if kind == "readinessProbe" {
            let body = api::invalid(&v.to_string(), "must not be set for readinessProbes");
            out.push(api::error(ctx, &RULE, object, n.range, &field, &body));
        } else if v <= 0 {
            let body = api::invalid(&v.to_string(), "must be greater than 0");
            out.push(api::error(ctx, &RULE, object, n.range, &field, &body));
        }
    }
}

/// `ValidatePortNumOrName`.
pub(super) fn port_num_or_name(
    ctx: &Context<'_>,
    object: &Object,
    port: &Node,
    field: &str,
    out: &mut Vec<Diagnostic>,
) {
    match port.resolve() {
        Some(Resolved::Int(v)) if !(1..=65535).contains(&v) => {
            let body = api::invalid(&v.to_string(), api::PORT_RANGE);
            out.push(api::error(ctx, &RULE, object, port.range, field, &body));
        }
        Some(Resolved::Str(s)) => {
            for msg in api::port_name_errors(s) {
                let body = api::invalid(&api::q(s), msg);
                out.push(api::error(ctx, &RULE, object, port.range, field, &body));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      livenessProbe:\n        httpGet:\n          path: /healthz\n          port: 80\n        periodSeconds: 10\n";

    #[test]
    fn good_http_probe() {
        assert!(lines_of(POD, "probe-handlers").is_empty());
    }

    #[test]
    fn bad_two_handlers() {
        let text = format!("{POD}        tcpSocket:\n          port: 80\n");
        assert_eq!(lines_of(&text, "probe-handlers"), vec![14]);
        let d = diagnostics_of(&text);
        let d = d.iter().find(|d| d.code == "probe-handlers").unwrap();
        assert_eq!(
            d.apiserver.as_deref(),
            Some(
                "The Pod \"web\" is invalid: spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"
            )
        );
    }

    #[test]
    fn bad_liveness_success_threshold() {
        let text = format!("{POD}        successThreshold: 3\n");
        assert_eq!(lines_of(&text, "probe-handlers"), vec![14]);
    }

    #[test]
    fn bad_probe_on_init_container() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  initContainers:\n    - name: init\n      image: busybox:1.36\n      readinessProbe:\n        exec: {command: [\"true\"]}\n  containers:\n    - name: web\n      image: nginx:1.27\n";
        assert_eq!(lines_of(text, "probe-handlers"), vec![9]);
    }
}
