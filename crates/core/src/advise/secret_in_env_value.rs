//! ## What it does
//! Flags an environment variable whose name says it holds a secret (`DB_PASSWORD`,
//! `API_TOKEN`, ...) but whose value is written in plain text in the manifest.
//!
//! ## Why
//! The value is stored in the object itself: anyone who can read the Deployment, run
//! `kubectl describe pod`, or open the Git repository sees it. Secrets can be restricted by
//! RBAC separately from the workloads that use them.
//!
//! ## Example
//! ```yaml
//! env:
//!   - name: DB_PASSWORD
//!     value: hunter2
//! ```
//! ## Fix
//! ```yaml
//! env:
//!   - name: DB_PASSWORD
//!     valueFrom:
//!       secretKeyRef: {name: db, key: password}
//! ```

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "secret-in-env-value",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "A secret is written in plain text in an environment variable",
    why: "A literal `value:` is stored in the Deployment or Pod itself, so everyone who can read \
          the workload (`kubectl get deploy -o yaml`, `kubectl describe pod`, the Git history) \
          can read the secret. Secrets can be locked down with RBAC on their own and are not \
          printed by `describe`.",
    fix: "Create a Secret holding the value and reference it with \
          `valueFrom: {secretKeyRef: {name: ..., key: ...}}`.",
    docs: "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables",
};

pub static CHECK: Check = Check { rule: &RULE, run };

/// Name fragments that mark a variable as secret.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
    "ACCESS_KEY",
];

#[must_use]
pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase().replace('-', "_");
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (p, c) in ctx.app_containers() {
        let Some(env) = c.node.get("env").and_then(Node::as_sequence) else {
            continue;
        };
        for (i, var) in env.iter().enumerate() {
            let Some(name) = var.get("name").and_then(Node::as_str) else {
                continue;
            };
            let Some(value) = var.get("value") else {
                continue;
            };
            let literal = value.as_scalar().is_some_and(|s| !s.value.is_empty());
            if !literal || !looks_secret(name) {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    p.object,
                    value.range,
                    format!(
                        "container \"{}\": {name} holds a secret in plain text",
                        c.name.unwrap_or("?")
                    ),
                )
                .field(format!("{}.env[{i}].value", c.path)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1.4.2\n      env:\n";

    #[test]
    fn bad_password_in_value() {
        let text = format!("{POD}        - name: DB_PASSWORD\n          value: hunter2\n");
        assert_eq!(lines_of(&text, "secret-in-env-value"), vec![11]);
    }

    #[test]
    fn good_secret_ref_and_harmless_values() {
        let text = format!(
            "{POD}        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {{name: db, key: password}}\n        - name: LOG_LEVEL\n          value: info\n        - name: TOKEN_TTL_FILE\n          value: \"\"\n"
        );
        assert!(lines_of(&text, "secret-in-env-value").is_empty());
    }
}
