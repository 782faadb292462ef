//! ## What it does
//! Flags a pod spec that reads a Secret not in these files: env `secretKeyRef`,
//! `envFrom.secretRef`, or a `secret` / `projected` volume, unless marked `optional: true`.
//!
//! ## Why
//! The kubelet resolves the reference when it starts the pod. If the Secret does not exist in
//! the pod's namespace, a container reading it as environment stays in
//! `CreateContainerConfigError` (`secret "x" not found`), and a pod mounting it stays in
//! `ContainerCreating` with `FailedMount` events. Secrets are often created outside the
//! manifests (by a secret manager or by hand), so this is a warning, not an error.
//!
//! ## Example
//! ```yaml
//! env:
//!   - name: DB_PASSWORD
//!     valueFrom:
//!       secretKeyRef: {name: db-credentals, key: password}
//! ```
//! ## Fix
//! Create the Secret (or make sure the cluster has it), fix the name, or mark the reference
//! `optional: true`.

use crate::advise::links::{Store, report_missing_store};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "missing-secret",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Pod refers to a Secret that is not in these files",
    why: "The kubelet looks up referenced Secrets in the pod's namespace when it starts the pod. \
          If the Secret is missing, a container that reads it through env or envFrom stays in \
          CreateContainerConfigError, and a pod that mounts it as a volume stays in \
          ContainerCreating with FailedMount events, until the Secret is created. Secrets are \
          often created outside the manifests, so check that the cluster really has it.",
    fix: "Create the Secret in the pod's namespace (`kubectl create secret generic NAME \
          --from-literal=KEY=VALUE`), correct the name, or set `optional: true` on the \
          reference if the pod can run without it.",
    docs: "https://kubernetes.io/docs/concepts/configuration/secret/#using-a-secret",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    report_missing_store(ctx, out, &RULE, Store::Secret);
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\nstringData:\n  password: s3cr3t\n---\n";

    fn pod(body: &str) -> String {
        format!(
            "{SECRET}apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1.0\n{body}"
        )
    }

    #[test]
    fn bad_key_ref_typo_and_tls_volume() {
        let text = pod(
            "      env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db-credentals\n              key: password\n  volumes:\n    - name: tls\n      secret:\n        secretName: api-tls\n",
        );
        assert_eq!(lines_of(&text, "missing-secret"), vec![20, 25]);
        let d = diagnostics_of(&text)
            .into_iter()
            .filter(|d| d.code == "missing-secret")
            .collect::<Vec<_>>();
        assert_eq!(d[0].edit.as_ref().unwrap().insert, "db-credentials");
        assert!(d[1].message.contains("FailedMount"), "{}", d[1].message);
    }

    #[test]
    fn good_present_or_optional() {
        let text = pod(
            "      envFrom:\n        - secretRef: {name: db-credentials}\n        - secretRef: {name: extra, optional: true}\n",
        );
        assert!(lines_of(&text, "missing-secret").is_empty());
    }
}
