//! ## What it does
//! Flags a ConfigMap key whose name says it holds a secret (`password`, `api-token`).
//!
//! ## Why
//! ConfigMaps are meant for non-confidential settings: they are readable by anyone who can
//! read configuration in the namespace and are printed in full by `kubectl describe`.
//!
//! ## Fix
//! Move the key to a Secret and reference that instead.

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "secret-in-configmap",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "A ConfigMap holds what looks like a secret",
    why: "ConfigMaps are for non-confidential settings: `kubectl describe configmap` prints every \
          value, and read access to ConfigMaps is commonly granted widely. Secrets can be \
          protected separately with RBAC and encryption at rest.",
    fix: "Move the key into a Secret (`kind: Secret` with `stringData:`) and read it with \
          `secretKeyRef` or a secret volume.",
    docs: "https://kubernetes.io/docs/concepts/configuration/configmap/",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (object, root, kind) in ctx.objects_with_root() {
        if kind != "ConfigMap" {
            continue;
        }
        let Some(data) = root.get("data").and_then(|d| d.as_mapping()) else {
            continue;
        };
        for e in data {
            let Some(key) = e.key.as_scalar() else {
                continue;
            };
            let empty = e.value.as_scalar().is_some_and(|s| s.value.is_empty());
            if empty || !super::secret_in_env_value::looks_secret(&key.value) {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    object,
                    e.key.range,
                    format!("key \"{}\" looks like a secret", key.value),
                )
                .field(format!("data.{}", key.value)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    #[test]
    fn bad_password_key() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  host: db.shop.svc\n  password: hunter2\n";
        assert_eq!(lines_of(text, "secret-in-configmap"), vec![7]);
    }

    #[test]
    fn good_plain_settings() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  host: db.shop.svc\n  pool-size: \"10\"\n";
        assert!(lines_of(text, "secret-in-configmap").is_empty());
    }
}
