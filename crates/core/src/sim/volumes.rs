//! PersistentVolumeClaims: the claims a StatefulSet makes from its `volumeClaimTemplates`
//! (`pkg/controller/statefulset/stateful_pod_control.go` `createPersistentVolumeClaims`:
//! one claim `<template>-<set>-<ordinal>` per pod, created before the pod, event
//! `create Claim data-db-0 Pod db-0 in StatefulSet db success`), and whether a volume can be
//! provisioned for them.
//!
//! Claims are kept when their pod is deleted or the set scaled down
//! (`persistentVolumeClaimRetentionPolicy` defaults to Retain for both), so a re-created
//! `db-0` gets `data-db-0` back.
//!
//! Provisioning: the simulated cluster has one default StorageClass, `standard`, whose
//! provisioner makes block disks (ReadWriteOnce, ReadWriteOncePod); StorageClasses applied
//! by a manifest are taken to support any access mode. A claim is Bound at once when its
//! class exists and supports its access modes, else Pending with a `ProvisioningFailed`
//! event (`storageclass.storage.k8s.io "fast-ssd" not found`), as the external provisioner
//! reports it, until a StorageClass that can serve it is applied. The scheduler does not
//! place a pod whose claims are not Bound (`scheduler/volumebinding`).

use super::engine::{Key, Sim};
use super::timeline::ClaimView;
use crate::yaml::Node;

/// The cluster's default StorageClass.
pub const DEFAULT_CLASS: &str = "standard";
/// Access modes the default class's block disks offer.
const BLOCK_MODES: &[&str] = &["ReadWriteOnce", "ReadWriteOncePod"];

/// One entry of `volumeClaimTemplates`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimTemplate {
    pub name: String,
    /// `resources.requests.storage` as written (`10Gi`).
    pub storage: String,
    pub access_modes: Vec<String>,
    /// `storageClassName`: `None` for the default class.
    pub storage_class: Option<String>,
}

/// A PersistentVolumeClaim in the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub name: String,
    pub namespace: String,
    pub storage: String,
    pub access_modes: Vec<String>,
    pub storage_class: String,
    /// `Bound` or `Pending`.
    pub phase: &'static str,
    /// `StatefulSet/<name>` for a claim made from a template.
    pub owner: Option<String>,
}

/// Reads `spec.volumeClaimTemplates` of a StatefulSet.
#[must_use]
pub fn claim_templates(spec: &Node) -> Vec<ClaimTemplate> {
    spec.get("volumeClaimTemplates")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|t| {
            let name = t
                .at("metadata.name")
                .and_then(Node::as_scalar)?
                .value
                .clone();
            let s = t.get("spec");
            Some(ClaimTemplate {
                name,
                storage: s
                    .and_then(|s| s.at("resources.requests.storage"))
                    .and_then(Node::as_scalar)
                    .map(|v| v.value.clone())
                    .unwrap_or_default(),
                access_modes: s
                    .and_then(|s| s.get("accessModes"))
                    .and_then(Node::as_sequence)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|m| m.as_str().map(str::to_owned))
                    .collect(),
                // "" asks for no class at all (a pre-created volume): no provisioner either.
                storage_class: s
                    .and_then(|s| s.get("storageClassName"))
                    .and_then(Node::as_str)
                    .map(str::to_owned),
            })
        })
        .collect()
}

impl Sim {
    /// Creates the claims of a StatefulSet's pod that do not exist yet (before the pod, as
    /// the StatefulSet controller does).
    pub(crate) fn create_claims(
        &mut self,
        set: &str,
        namespace: &str,
        pod: &str,
        templates: &[ClaimTemplate],
    ) {
        for t in templates {
            let name = format!("{}-{pod}", t.name);
            let key: Key = (namespace.to_owned(), name.clone());
            if self.workloads.claims.contains_key(&key) {
                continue;
            }
            let class = t
                .storage_class
                .clone()
                .unwrap_or_else(|| DEFAULT_CLASS.to_owned());
            let problem = self.provisioning_problem(&class, &t.access_modes);
            self.event(
                "Normal",
                "SuccessfulCreate",
                format!("statefulset/{set}"),
                format!("create Claim {name} Pod {pod} in StatefulSet {set} success"),
                None,
            );
            if let Some(why) = &problem {
                self.event(
                    "Warning",
                    "ProvisioningFailed",
                    format!("persistentvolumeclaim/{name}"),
                    why.clone(),
                    None,
                );
            }
            self.workloads.claims.insert(
                key,
                Claim {
                    name,
                    namespace: namespace.to_owned(),
                    storage: t.storage.clone(),
                    access_modes: t.access_modes.clone(),
                    storage_class: class,
                    phase: if problem.is_none() {
                        "Bound"
                    } else {
                        "Pending"
                    },
                    owner: Some(format!("StatefulSet/{set}")),
                },
            );
        }
    }

    /// Provisions Pending claims whose class can now serve them (a StorageClass applied
    /// later), as the provisioner's retries do; `true` if one got Bound.
    pub(crate) fn sync_claims(&mut self) -> bool {
        let ready: Vec<Key> = self
            .workloads
            .claims
            .iter()
            .filter(|(_, c)| {
                c.phase == "Pending"
                    && self
                        .provisioning_problem(&c.storage_class, &c.access_modes)
                        .is_none()
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in &ready {
            if let Some(c) = self.workloads.claims.get_mut(key) {
                c.phase = "Bound";
            }
        }
        !ready.is_empty()
    }

    /// Why no volume can be provisioned for a claim of `class` with these access modes.
    fn provisioning_problem(&self, class: &str, modes: &[String]) -> Option<String> {
        if class.is_empty() {
            return Some(
                "no StorageClass (storageClassName \"\") and no PersistentVolume to bind".into(),
            );
        }
        if class != DEFAULT_CLASS && !self.objects.storage_classes.contains(class) {
            return Some(format!("storageclass.storage.k8s.io \"{class}\" not found"));
        }
        let unsupported: Vec<&str> = modes
            .iter()
            .map(String::as_str)
            .filter(|m| class == DEFAULT_CLASS && !BLOCK_MODES.contains(m))
            .collect();
        (!unsupported.is_empty()).then(|| {
            format!(
                "failed to provision volume with StorageClass \"{class}\": its block disks support only {}, not {}",
                BLOCK_MODES.join(" and "),
                unsupported.join(", ")
            )
        })
    }

    pub(crate) fn claim_views(&self) -> Vec<ClaimView> {
        self.workloads
            .claims
            .values()
            .map(|c| ClaimView {
                name: c.name.clone(),
                namespace: c.namespace.clone(),
                phase: c.phase,
                storage: c.storage.clone(),
                access_modes: c.access_modes.clone(),
                storage_class: c.storage_class.clone(),
                owner: c.owner.clone(),
            })
            .collect()
    }
}
