//! Which pods a Service selects: the Pods and workload templates in the same namespace whose
//! labels satisfy its selector (the endpoints controller matches pod labels the same way).

use crate::check::Context;
use crate::model::{Object, Selector};
use crate::yaml::Node;

/// The labels the pods of an object will carry: a Pod's own, or a workload's template's.
#[must_use]
pub fn pod_labels<'a>(kind: &str, root: &'a Node) -> Option<Vec<(&'a str, &'a str)>> {
    let labels = match kind {
        "Pod" => root.at("metadata.labels"),
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => root.at("spec.template.metadata.labels"),
        "CronJob" => root.at("spec.jobTemplate.spec.template.metadata.labels"),
        _ => return None,
    };
    Some(labels.map(Node::string_map).unwrap_or_default())
}

/// `Kind/name` of every object whose pods the Service selects; `None` for a Service without
/// a selector (its endpoints are managed by hand).
#[must_use]
pub fn selected_by_service(
    ctx: &Context<'_>,
    service: &Object,
    root: &Node,
) -> Option<Vec<String>> {
    let selector = root
        .at("spec.selector")
        .filter(|s| !s.string_map().is_empty())?;
    let selector = Selector::from_map(selector);
    let ns = service.namespace.as_deref().unwrap_or("");
    Some(
        ctx.objects_with_root()
            .filter(|(o, _, _)| o.namespace.as_deref().unwrap_or("") == ns)
            .filter_map(|(o, r, kind)| {
                let labels = pod_labels(kind, r)?;
                selector
                    .matches(&labels)
                    .then(|| format!("{kind}/{}", o.name_or_empty()))
            })
            .collect(),
    )
}
