//! Probes with the API server's defaults applied (`pkg/apis/core/v1/defaults.go`
//! `SetDefaults_Probe`: timeout 1 s, period 10 s, success 1, failure 3, initial delay 0).

use serde::Serialize;

use crate::model::containers;
use crate::yaml::Node;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeFact {
    pub container: String,
    #[serde(rename = "type")]
    pub kind: ProbeKind,
    pub initial_delay_seconds: i64,
    pub timeout_seconds: i64,
    pub period_seconds: i64,
    pub success_threshold: i64,
    pub failure_threshold: i64,
    /// Field path of the probe (`spec.template.spec.containers[0].livenessProbe`).
    #[serde(skip)]
    pub field: String,
}

/// Every probe of every (regular and sidecar) container of a pod spec.
#[must_use]
pub fn probes_of(spec: &Node, spec_path: &str) -> Vec<ProbeFact> {
    let mut out = Vec::new();
    for c in containers(spec, spec_path) {
        for (key, kind) in [
            ("startupProbe", ProbeKind::Startup),
            ("livenessProbe", ProbeKind::Liveness),
            ("readinessProbe", ProbeKind::Readiness),
        ] {
            let Some(p) = c.node.get(key).filter(|p| p.as_mapping().is_some()) else {
                continue;
            };
            // Zero means "unset" and is defaulted, as the API server does for these fields.
            let int = |name: &str, default: i64| {
                p.get(name)
                    .and_then(Node::as_i64)
                    .filter(|v| *v != 0)
                    .unwrap_or(default)
            };
            out.push(ProbeFact {
                container: c.name.unwrap_or("").to_owned(),
                kind,
                initial_delay_seconds: p
                    .get("initialDelaySeconds")
                    .and_then(Node::as_i64)
                    .unwrap_or(0),
                timeout_seconds: int("timeoutSeconds", 1),
                period_seconds: int("periodSeconds", 10),
                success_threshold: int("successThreshold", 1),
                failure_threshold: int("failureThreshold", 3),
                field: format!("{}.{key}", c.path),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, parse};

    #[test]
    fn defaults_fill_what_is_not_written() {
        let text = "containers:\n  - name: api\n    image: x:1\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n      periodSeconds: 5\n";
        let root = parse(text, &Limits::default())
            .documents
            .remove(0)
            .root
            .unwrap();
        let p = &probes_of(&root, "spec")[0];
        assert_eq!(p.kind, ProbeKind::Liveness);
        assert_eq!(
            (
                p.initial_delay_seconds,
                p.timeout_seconds,
                p.period_seconds,
                p.success_threshold,
                p.failure_threshold
            ),
            (0, 1, 5, 1, 3)
        );
        assert_eq!(p.field, "spec.containers[0].livenessProbe");
    }
}
