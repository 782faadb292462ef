//! ## What it does
//! Flags a pod spec that reads a ConfigMap not in these files: env `configMapKeyRef`,
//! `envFrom.configMapRef`, or a `configMap` / `projected` volume, unless marked
//! `optional: true`.
//!
//! ## Why
//! The kubelet resolves the reference when it starts the pod. If the ConfigMap does not exist
//! in the pod's namespace, a container reading it as environment stays in
//! `CreateContainerConfigError` (`configmap "x" not found`), and a pod mounting it stays in
//! `ContainerCreating` with `FailedMount` events. The cluster may already hold it, so this is a
//! warning, not an error.
//!
//! ## Example
//! ```yaml
//! envFrom:
//!   - configMapRef: {name: web-confg}
//! ```
//! ## Fix
//! Add the ConfigMap to the files, fix the name, or mark the reference `optional: true`.

use crate::advise::links::{Store, report_missing_store};
use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;

pub static RULE: Rule = Rule {
    code: "missing-configmap",
    severity: Severity::Warning,
    source: Source::Advice,
    title: "Pod refers to a ConfigMap that is not in these files",
    why: "The kubelet looks up referenced ConfigMaps in the pod's namespace when it starts the \
          pod. If the ConfigMap is missing, a container that reads it through env or envFrom \
          stays in CreateContainerConfigError, and a pod that mounts it as a volume stays in \
          ContainerCreating with FailedMount events, until the ConfigMap is created. It may \
          already exist in the cluster; if not, the pod never starts.",
    fix: "Add the ConfigMap to the manifests (in the same namespace), correct the name, or set \
          `optional: true` on the reference if the pod can run without it.",
    docs: "https://kubernetes.io/docs/concepts/configuration/configmap/#configmaps-and-pods",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    report_missing_store(ctx, out, &RULE, Store::ConfigMap);
}

#[cfg(test)]
mod tests {
    use crate::testing::{diagnostics_of, lines_of};

    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  LOG_LEVEL: info\n---\n";

    fn pod(body: &str) -> String {
        format!(
            "{CM}apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n{body}"
        )
    }

    #[test]
    fn bad_env_from_typo_and_volume() {
        let text = pod(
            "      envFrom:\n        - configMapRef:\n            name: web-confg\n      volumeMounts:\n        - {name: conf, mountPath: /etc/web}\n  volumes:\n    - name: conf\n      configMap:\n        name: nginx-conf\n",
        );
        assert_eq!(lines_of(&text, "missing-configmap"), vec![18, 24]);
        let d = diagnostics_of(&text)
            .into_iter()
            .find(|d| d.code == "missing-configmap")
            .unwrap();
        assert!(
            d.message.contains("CreateContainerConfigError"),
            "{}",
            d.message
        );
        assert_eq!(d.edit.unwrap().insert, "web-config");
    }

    #[test]
    fn good_present_optional_or_other_namespace_irrelevant() {
        let text = pod(
            "      env:\n        - name: LOG_LEVEL\n          valueFrom:\n            configMapKeyRef: {name: web-config, key: LOG_LEVEL}\n        - name: EXTRA\n          valueFrom:\n            configMapKeyRef: {name: extra, key: x, optional: true}\n",
        );
        assert!(lines_of(&text, "missing-configmap").is_empty());
        let ca = pod(
            "  volumes:\n    - name: kube-api-access\n      projected:\n        sources:\n          - serviceAccountToken: {path: token}\n          - configMap:\n              name: kube-root-ca.crt\n              items: [{key: ca.crt, path: ca.crt}]\n",
        );
        assert!(lines_of(&ca, "missing-configmap").is_empty());
    }
}
