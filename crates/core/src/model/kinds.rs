//! Built-in kinds of Kubernetes 1.36 by API version, and API versions that were removed
//! (from the Kubernetes deprecated API migration guide,
//! https://kubernetes.io/docs/reference/using-api/deprecation-guide/).

/// A kind served by the API server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKind {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
}

const fn k(api_version: &'static str, kind: &'static str, namespaced: bool) -> ApiKind {
    ApiKind {
        api_version,
        kind,
        namespaced,
    }
}

/// Every built-in kind a 1.36 API server serves (the stable versions of each).
pub static KINDS: &[ApiKind] = &[
    k("v1", "Pod", true),
    k("v1", "Service", true),
    k("v1", "ConfigMap", true),
    k("v1", "Secret", true),
    k("v1", "Namespace", false),
    k("v1", "Node", false),
    k("v1", "PersistentVolume", false),
    k("v1", "PersistentVolumeClaim", true),
    k("v1", "ServiceAccount", true),
    k("v1", "Endpoints", true),
    k("v1", "LimitRange", true),
    k("v1", "ResourceQuota", true),
    k("v1", "ReplicationController", true),
    k("v1", "PodTemplate", true),
    k("v1", "Event", true),
    k("v1", "Binding", true),
    k("apps/v1", "Deployment", true),
    k("apps/v1", "ReplicaSet", true),
    k("apps/v1", "StatefulSet", true),
    k("apps/v1", "DaemonSet", true),
    k("apps/v1", "ControllerRevision", true),
    k("batch/v1", "Job", true),
    k("batch/v1", "CronJob", true),
    k("autoscaling/v2", "HorizontalPodAutoscaler", true),
    k("autoscaling/v1", "HorizontalPodAutoscaler", true),
    k("networking.k8s.io/v1", "Ingress", true),
    k("networking.k8s.io/v1", "IngressClass", false),
    k("networking.k8s.io/v1", "NetworkPolicy", true),
    k("networking.k8s.io/v1", "IPAddress", false),
    k("networking.k8s.io/v1", "ServiceCIDR", false),
    k("policy/v1", "PodDisruptionBudget", true),
    k("policy/v1", "Eviction", true),
    k("rbac.authorization.k8s.io/v1", "Role", true),
    k("rbac.authorization.k8s.io/v1", "RoleBinding", true),
    k("rbac.authorization.k8s.io/v1", "ClusterRole", false),
    k("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", false),
    k("storage.k8s.io/v1", "StorageClass", false),
    k("storage.k8s.io/v1", "VolumeAttachment", false),
    k("storage.k8s.io/v1", "CSIDriver", false),
    k("storage.k8s.io/v1", "CSINode", false),
    k("storage.k8s.io/v1", "CSIStorageCapacity", true),
    k("storage.k8s.io/v1", "VolumeAttributesClass", false),
    k("discovery.k8s.io/v1", "EndpointSlice", true),
    k("scheduling.k8s.io/v1", "PriorityClass", false),
    k("coordination.k8s.io/v1", "Lease", true),
    k("node.k8s.io/v1", "RuntimeClass", false),
    k("events.k8s.io/v1", "Event", true),
    k("certificates.k8s.io/v1", "CertificateSigningRequest", false),
    k("apiextensions.k8s.io/v1", "CustomResourceDefinition", false),
    k("apiregistration.k8s.io/v1", "APIService", false),
    k(
        "admissionregistration.k8s.io/v1",
        "ValidatingWebhookConfiguration",
        false,
    ),
    k(
        "admissionregistration.k8s.io/v1",
        "MutatingWebhookConfiguration",
        false,
    ),
    k(
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicy",
        false,
    ),
    k(
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicyBinding",
        false,
    ),
    k("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", false),
    k(
        "flowcontrol.apiserver.k8s.io/v1",
        "PriorityLevelConfiguration",
        false,
    ),
    k("resource.k8s.io/v1", "ResourceClaim", true),
    k("resource.k8s.io/v1", "ResourceClaimTemplate", true),
    k("resource.k8s.io/v1", "DeviceClass", false),
    k("resource.k8s.io/v1", "ResourceSlice", false),
];

/// An API version of a kind that Kubernetes no longer serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The release that stopped serving it.
    pub removed_in: &'static str,
    /// The apiVersion to use instead, if the kind still exists.
    pub replacement: Option<&'static str>,
}

const fn r(
    api_version: &'static str,
    kind: &'static str,
    removed_in: &'static str,
    replacement: Option<&'static str>,
) -> Removed {
    Removed {
        api_version,
        kind,
        removed_in,
        replacement,
    }
}

/// Removed API versions from the deprecation guide, the ones learners still copy from old posts.
pub static REMOVED: &[Removed] = &[
    r("extensions/v1beta1", "Deployment", "1.16", Some("apps/v1")),
    r("apps/v1beta1", "Deployment", "1.16", Some("apps/v1")),
    r("apps/v1beta2", "Deployment", "1.16", Some("apps/v1")),
    r("extensions/v1beta1", "DaemonSet", "1.16", Some("apps/v1")),
    r("apps/v1beta2", "DaemonSet", "1.16", Some("apps/v1")),
    r("extensions/v1beta1", "ReplicaSet", "1.16", Some("apps/v1")),
    r("apps/v1beta1", "ReplicaSet", "1.16", Some("apps/v1")),
    r("apps/v1beta2", "ReplicaSet", "1.16", Some("apps/v1")),
    r("apps/v1beta1", "StatefulSet", "1.16", Some("apps/v1")),
    r("apps/v1beta2", "StatefulSet", "1.16", Some("apps/v1")),
    r(
        "extensions/v1beta1",
        "NetworkPolicy",
        "1.16",
        Some("networking.k8s.io/v1"),
    ),
    r("extensions/v1beta1", "PodSecurityPolicy", "1.16", None),
    r(
        "extensions/v1beta1",
        "Ingress",
        "1.22",
        Some("networking.k8s.io/v1"),
    ),
    r(
        "networking.k8s.io/v1beta1",
        "Ingress",
        "1.22",
        Some("networking.k8s.io/v1"),
    ),
    r(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        "1.22",
        Some("networking.k8s.io/v1"),
    ),
    r(
        "rbac.authorization.k8s.io/v1beta1",
        "Role",
        "1.22",
        Some("rbac.authorization.k8s.io/v1"),
    ),
    r(
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBinding",
        "1.22",
        Some("rbac.authorization.k8s.io/v1"),
    ),
    r(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        "1.22",
        Some("rbac.authorization.k8s.io/v1"),
    ),
    r(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        "1.22",
        Some("rbac.authorization.k8s.io/v1"),
    ),
    r(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        "1.22",
        Some("apiextensions.k8s.io/v1"),
    ),
    r(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        "1.22",
        Some("admissionregistration.k8s.io/v1"),
    ),
    r(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        "1.22",
        Some("admissionregistration.k8s.io/v1"),
    ),
    r(
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        "1.22",
        Some("apiregistration.k8s.io/v1"),
    ),
    r(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        "1.22",
        Some("certificates.k8s.io/v1"),
    ),
    r(
        "coordination.k8s.io/v1beta1",
        "Lease",
        "1.22",
        Some("coordination.k8s.io/v1"),
    ),
    r(
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        "1.22",
        Some("storage.k8s.io/v1"),
    ),
    r(
        "storage.k8s.io/v1beta1",
        "CSINode",
        "1.22",
        Some("storage.k8s.io/v1"),
    ),
    r(
        "storage.k8s.io/v1beta1",
        "StorageClass",
        "1.22",
        Some("storage.k8s.io/v1"),
    ),
    r(
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        "1.22",
        Some("storage.k8s.io/v1"),
    ),
    r(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        "1.22",
        Some("scheduling.k8s.io/v1"),
    ),
    r("batch/v1beta1", "CronJob", "1.25", Some("batch/v1")),
    r(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        "1.25",
        Some("discovery.k8s.io/v1"),
    ),
    r(
        "events.k8s.io/v1beta1",
        "Event",
        "1.25",
        Some("events.k8s.io/v1"),
    ),
    r(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        "1.25",
        Some("autoscaling/v2"),
    ),
    r(
        "policy/v1beta1",
        "PodDisruptionBudget",
        "1.25",
        Some("policy/v1"),
    ),
    r("policy/v1beta1", "PodSecurityPolicy", "1.25", None),
    r(
        "node.k8s.io/v1beta1",
        "RuntimeClass",
        "1.25",
        Some("node.k8s.io/v1"),
    ),
    r(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        "1.26",
        Some("autoscaling/v2"),
    ),
    r(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        "1.27",
        Some("storage.k8s.io/v1"),
    ),
    r(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        "1.26",
        Some("flowcontrol.apiserver.k8s.io/v1"),
    ),
    r(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchema",
        "1.29",
        Some("flowcontrol.apiserver.k8s.io/v1"),
    ),
    r(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchema",
        "1.32",
        Some("flowcontrol.apiserver.k8s.io/v1"),
    ),
];

/// What the API server makes of an (apiVersion, kind) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindLookup {
    Known(&'static ApiKind),
    Removed(&'static Removed),
    /// Not built in; `suggestion` is the likely intended built-in kind.
    Unknown {
        suggestion: Option<&'static ApiKind>,
    },
    /// A group that is not a built-in Kubernetes group: a custom resource, served only if its
    /// CustomResourceDefinition is installed.
    Custom,
}

/// Looks up a kind the way the API server's REST mapper would (exact, case-sensitive).
#[must_use]
pub fn lookup_kind(api_version: &str, kind: &str) -> KindLookup {
    if let Some(found) = KINDS
        .iter()
        .find(|c| c.api_version == api_version && c.kind == kind)
    {
        return KindLookup::Known(found);
    }
    if let Some(removed) = REMOVED
        .iter()
        .find(|c| c.api_version == api_version && c.kind.eq_ignore_ascii_case(kind))
    {
        return KindLookup::Removed(removed);
    }
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let builtin_group = group.is_empty()
        || !group.contains('.')
        || group.ends_with(".k8s.io")
        || KINDS.iter().any(|c| c.api_version.starts_with(group));
    if !builtin_group {
        return KindLookup::Custom;
    }
    KindLookup::Unknown {
        suggestion: suggest_kind(api_version, kind),
    }
}

/// The built-in kind a learner most likely meant: same name in another group first (a
/// Deployment under `v1`), then a case or spelling slip (`deployment`, `Deploymnet`).
fn suggest_kind(api_version: &str, kind: &str) -> Option<&'static ApiKind> {
    if let Some(same) = KINDS.iter().find(|c| c.kind == kind) {
        return Some(same);
    }
    let lower = kind.to_ascii_lowercase();
    let best = KINDS
        .iter()
        .map(|c| {
            let d = crate::suggest::edit_distance(&lower, &c.kind.to_ascii_lowercase());
            let same_version = usize::from(c.api_version != api_version);
            (d, same_version, c)
        })
        .min_by_key(|(d, v, _)| (*d, *v))?;
    (best.0 <= (kind.len() / 3).max(1)).then_some(best.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_built_in_kinds() {
        assert!(matches!(
            lookup_kind("apps/v1", "Deployment"),
            KindLookup::Known(_)
        ));
        assert!(matches!(lookup_kind("v1", "Service"), KindLookup::Known(_)));
    }

    #[test]
    fn names_the_replacement_of_removed_versions() {
        let KindLookup::Removed(r) = lookup_kind("extensions/v1beta1", "Deployment") else {
            panic!("expected removed");
        };
        assert_eq!((r.removed_in, r.replacement), ("1.16", Some("apps/v1")));
    }

    #[test]
    fn suggests_the_intended_kind() {
        let KindLookup::Unknown { suggestion } = lookup_kind("v1", "Deployment") else {
            panic!("expected unknown");
        };
        assert_eq!(suggestion.map(|s| s.api_version), Some("apps/v1"));
        let KindLookup::Unknown { suggestion } = lookup_kind("apps/v1", "deployment") else {
            panic!("expected unknown");
        };
        assert_eq!(suggestion.map(|s| s.kind), Some("Deployment"));
        let KindLookup::Unknown { suggestion } = lookup_kind("apps/v1", "Deploymnet") else {
            panic!("expected unknown");
        };
        assert_eq!(suggestion.map(|s| s.kind), Some("Deployment"));
    }

    #[test]
    fn treats_foreign_groups_as_custom_resources() {
        assert_eq!(
            lookup_kind("cert-manager.io/v1", "Certificate"),
            KindLookup::Custom
        );
    }
}
