//! ## What it does
//! Points out a PersistentVolumeClaim (or a StatefulSet `volumeClaimTemplates` entry) whose
//! `storageClassName` names no StorageClass in these files.
//!
//! ## Why
//! StorageClasses belong to the cluster, so the class may well exist there (`standard`,
//! `gp3`...). But if it does not, nothing can provision a volume for the claim: it stays
//! `Pending` with `ProvisioningFailed ... storageclass.storage.k8s.io "fast" not found`, and
//! every pod using it stays Pending too. Class names differ between clusters (kind, minikube,
//! EKS, GKE), which makes this a common surprise when manifests move.
//!
//! ## Example
//! ```yaml
//! storageClassName: fast-ssd
//! ```
//! ## Fix
//! Check `kubectl get storageclass`, and use one of those names, or omit the field to use the
//! cluster's default class.

use std::collections::HashSet;

use crate::check::{Check, Context};
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::rule::Rule;
use crate::yaml::Node;

pub static RULE: Rule = Rule {
    code: "pvc-unknown-storage-class",
    severity: Severity::Info,
    source: Source::Advice,
    title: "PersistentVolumeClaim names a StorageClass not in these files",
    why: "StorageClasses are cluster-wide and usually created by the cluster's installer, so \
          the class may exist already. If it does not, no provisioner will create a volume: \
          the claim stays Pending (event ProvisioningFailed, storageclass \"NAME\" not found) \
          and every pod that mounts it stays Pending with it. Class names differ between \
          clusters, so manifests copied from elsewhere often name one that is not there.",
    fix: "Run `kubectl get storageclass` and use one of the listed names, or leave \
          `storageClassName` out to get the cluster's default class.",
    docs: "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#class-1",
};

pub static CHECK: Check = Check { rule: &RULE, run };

fn run(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let classes: HashSet<&str> = ctx
        .objects_with_root()
        .filter(|(_, _, k)| *k == "StorageClass")
        .filter_map(|(o, _, _)| o.name.as_deref())
        .collect();
    for (object, root, kind) in ctx.objects_with_root() {
        let mut claims: Vec<(&Node, String)> = Vec::new();
        match kind {
            "PersistentVolumeClaim" => {
                if let Some(n) = root.at("spec.storageClassName") {
                    claims.push((n, "spec.storageClassName".into()));
                }
            }
            "StatefulSet" => {
                for (i, t) in root
                    .at("spec.volumeClaimTemplates")
                    .and_then(Node::as_sequence)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    if let Some(n) = t.at("spec.storageClassName") {
                        claims.push((
                            n,
                            format!("spec.volumeClaimTemplates[{i}].spec.storageClassName"),
                        ));
                    }
                }
            }
            _ => continue,
        }
        for (node, field) in claims {
            // "" asks for no class (a pre-created PersistentVolume); null means the default.
            let Some(class) = node.as_str().filter(|c| !c.is_empty()) else {
                continue;
            };
            if classes.contains(class) {
                continue;
            }
            out.push(
                ctx.diag(
                    &RULE,
                    object,
                    node.range,
                    format!(
                        "StorageClass \"{class}\" is not in these files: if the cluster has no class by that name, the claim stays Pending"
                    ),
                )
                .field(field),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::lines_of;

    fn pvc(class: &str) -> String {
        format!(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n{class}  resources:\n    requests:\n      storage: 10Gi\n"
        )
    }

    #[test]
    fn bad_unknown_class_and_template() {
        assert_eq!(
            lines_of(
                &pvc("  storageClassName: fast-ssd\n"),
                "pvc-unknown-storage-class"
            ),
            vec![7]
        );
        let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n        - name: db\n          image: postgres:17\n  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes: [ReadWriteOnce]\n        storageClassName: premium\n        resources:\n          requests: {storage: 20Gi}\n";
        assert_eq!(lines_of(sts, "pvc-unknown-storage-class"), vec![21]);
    }

    #[test]
    fn good_default_empty_or_defined() {
        assert!(lines_of(&pvc(""), "pvc-unknown-storage-class").is_empty());
        assert!(
            lines_of(
                &pvc("  storageClassName: \"\"\n"),
                "pvc-unknown-storage-class"
            )
            .is_empty()
        );
        let text = format!(
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast-ssd\nprovisioner: ebs.csi.aws.com\n---\n{}",
            pvc("  storageClassName: fast-ssd\n")
        );
        assert!(lines_of(&text, "pvc-unknown-storage-class").is_empty());
    }
}
