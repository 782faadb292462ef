//! ## What it does
//! Flags a liveness probe whose HTTP path looks like a readiness or dependency check
//! (`/health/db`, `/ready`, `/deep-health`, `/dependencies`).
//!
//! ## Why
//! If the liveness endpoint checks the database or other services, one slow database makes
//! every pod fail liveness at the same time, and the kubelet restarts all of them. Restarting
//! does not fix the database, and the app is down completely instead of degraded.
//!
//! ## Example
//! ```yaml
//! livenessProbe:
//!   httpGet: {path: /health/db, port: 8080}
//! ```
//! ## Fix
//! Point liveness at an endpoint that checks only the process (`/healthz`), and move the
//! dependency checks to the readiness probe.

use super::container_util::name_of;
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::model::containers;
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "liveness-checks-dependencies",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Liveness probe checks dependencies",
    why: "A liveness failure makes the kubelet kill and restart the container. If the liveness \
          endpoint checks a database or another service, one slow dependency makes every \
          replica fail at the same moment, and all of them are restarted together; the restarts \
          do not fix the dependency, put more load on it as the pods reconnect, and turn a \
          degraded service into a full outage.",
    fix: "Make the liveness endpoint check only that the process itself responds (for example \
          `/healthz` returning 200 from the web server), and check dependencies in the \
          readiness probe, which only takes the pod out of the Service.",
    docs: "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/#liveness-probe",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// The path word that suggests a dependency or readiness check, if any.
fn suspicious(path: &str) -> Option<&str> {
    path.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| {
            let w = w.to_ascii_lowercase();
            matches!(
                w.as_str(),
                "db" | "database"
                    | "databases"
                    | "deep"
                    | "downstream"
                    | "downstreams"
                    | "ready"
                    | "readiness"
                    | "readyz"
                    | "deps"
                    | "dependencies"
                    | "dependency"
            ) || w.starts_with("dependenc")
                || w.starts_with("deephealth")
                || w.ends_with("database")
        })
        .filter(|w| !w.is_empty())
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in ctx.pod_specs() {
        for c in containers(p.spec, p.path) {
            let Some(node) = c
                .node
                .get("livenessProbe")
                .and_then(|l| l.at("httpGet.path"))
            else {
                continue;
            };
            let Some(path) = node.as_str() else { continue };
            let Some(word) = suspicious(path) else {
                continue;
            };
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    node.range,
                    format!(
                        "container \"{}\": liveness path \"{path}\" looks like a dependency or readiness check (\"{word}\"); if it fails, every pod is restarted",
                        name_of(&c)
                    ),
                )
                .field(format!("{}.livenessProbe.httpGet.path", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::suspicious;
    use crate::testing::lines_of;

    #[test]
    fn recognises_dependency_paths() {
        for bad in [
            "/health/db",
            "/ready",
            "/readyz",
            "/healthz/deep",
            "/api/dependencies",
            "/health?check=database",
            "/downstream-health",
        ] {
            assert!(suspicious(bad).is_some(), "{bad}");
        }
        for good in [
            "/healthz",
            "/livez",
            "/health",
            "/",
            "/feedback/alive",
            "/already-up",
        ] {
            assert!(suspicious(good).is_none(), "{good}");
        }
    }

    #[test]
    fn bad_liveness_on_db_health() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1.0\n      livenessProbe:\n        httpGet:\n          path: /health/db\n          port: 8080\n";
        assert_eq!(lines_of(text, "liveness-checks-dependencies"), vec![11]);
    }

    #[test]
    fn good_liveness_healthz_readiness_ready() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1.0\n      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n      readinessProbe:\n        httpGet: {path: /ready, port: 8080}\n";
        assert!(lines_of(text, "liveness-checks-dependencies").is_empty());
    }
}
