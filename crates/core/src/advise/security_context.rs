//! Shared by the security checks: a container's effective security settings, where the
//! container's `securityContext` overrides the pod's for the fields both have
//! (`runAsUser`, `runAsNonRoot`, `runAsGroup`, ...).

use crate::check::PodSpecRef;
use crate::model::Container;
use crate::yaml::Node;

/// The node for `field`, from the container's securityContext first, then the pod's.
#[must_use]
pub fn effective<'a>(p: &PodSpecRef<'a>, c: &Container<'a>, field: &str) -> Option<&'a Node> {
    c.node
        .get("securityContext")
        .and_then(|s| s.get(field))
        .or_else(|| p.spec.get("securityContext").and_then(|s| s.get(field)))
}

/// The node for a container-only `field` of the container's securityContext.
#[must_use]
pub fn container<'a>(c: &Container<'a>, field: &str) -> Option<&'a Node> {
    c.node.get("securityContext").and_then(|s| s.get(field))
}
