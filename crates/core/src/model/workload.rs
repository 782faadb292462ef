//! Where the pod spec lives in each workload kind, and the containers inside it.

use crate::yaml::Node;

/// The pod spec of a Pod or a workload's pod template, with its field path.
#[must_use]
pub fn pod_spec<'a>(kind: &str, root: &'a Node) -> Option<(&'a Node, &'static str)> {
    match kind {
        "Pod" => root.get("spec").map(|s| (s, "spec")),
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => root
            .get("spec")?
            .get("template")?
            .get("spec")
            .map(|s| (s, "spec.template.spec")),
        "CronJob" => root
            .get("spec")?
            .get("jobTemplate")?
            .get("spec")?
            .get("template")?
            .get("spec")
            .map(|s| (s, "spec.jobTemplate.spec.template.spec")),
        _ => None,
    }
}

/// A container's field path (`spec.template.spec.containers[0]`), formatted only when shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContainerPath<'a> {
    pub spec: &'a str,
    pub field: &'static str,
    pub index: usize,
}

impl std::fmt::Display for ContainerPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}[{}]", self.spec, self.field, self.index)
    }
}

/// A container of a pod spec with its field path (`spec.containers[0]`).
pub struct Container<'a> {
    pub node: &'a Node,
    pub path: ContainerPath<'a>,
    pub name: Option<&'a str>,
    pub init: bool,
}

/// Every container and init container of a pod spec, in order.
#[must_use]
pub fn containers<'a>(spec: &'a Node, spec_path: &'a str) -> Vec<Container<'a>> {
    let mut out = Vec::new();
    for (field, init) in [("initContainers", true), ("containers", false)] {
        if let Some(list) = spec.get(field).and_then(Node::as_sequence) {
            for (i, node) in list.iter().enumerate() {
                if node.as_mapping().is_some() {
                    out.push(Container {
                        node,
                        path: ContainerPath {
                            spec: spec_path,
                            field,
                            index: i,
                        },
                        name: node.get("name").and_then(Node::as_str),
                        init,
                    });
                }
            }
        }
    }
    out
}
