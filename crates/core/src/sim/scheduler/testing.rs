//! Fixtures for the plugins' unit tests, shaped like upstream's `st.MakeNode()` and
//! `st.MakePod()`: nodes with labels, pods with labels, a node and a pod spec.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::{ClusterView, Pass};
use crate::sim::cluster::{Owner, Pod, SimNode};
use crate::sim::engine::Sim;
use crate::sim::spec::{PodTemplate, pod_template};
use crate::yaml::{Limits, parse};

pub fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A 4-CPU, 8Gi node.
pub fn node(name: &str, pairs: &[(&str, &str)]) -> SimNode {
    SimNode {
        name: name.to_owned(),
        cpu_milli: 4_000,
        memory: 8 << 30,
        max_pods: 110,
        labels: labels(pairs),
        taints: Vec::new(),
        unschedulable: false,
        images: Default::default(),
        index: 0,
    }
}

/// A pod template with one container and `spec` (lines indented under `spec:`).
pub fn template(spec: &str) -> Rc<PodTemplate> {
    let text = format!("spec:\n{spec}  containers:\n    - name: app\n      image: app:1\n");
    let doc = parse(&text, &Limits::default()).documents.remove(0);
    let root = doc.root.expect("a document");
    Rc::new(pod_template(&text, None, root.get("spec").expect("spec")))
}

/// A pod in `default`, bound to `node` when given.
pub fn pod(node: Option<&str>, pairs: &[(&str, &str)], template: &Rc<PodTemplate>) -> Pod {
    Pod {
        name: "p".into(),
        namespace: "default".into(),
        uid: 0,
        owner: Owner::None,
        labels: labels(pairs),
        template: Rc::clone(template),
        node: node.map(str::to_owned),
        ip: None,
        created: 0,
        deletion: None,
        phase: "Running",
        containers: Vec::new(),
        ready_since: None,
        unschedulable: None,
        revision: 0,
        cpu_load: None,
        priority: 0,
    }
}

/// A simulator holding `nodes` and the bound `pods`.
pub fn cluster(nodes: Vec<SimNode>, pods: Vec<Pod>) -> Sim {
    let nodes = nodes
        .into_iter()
        .enumerate()
        .map(|(index, n)| SimNode { index, ..n })
        .collect();
    let mut sim = Sim::new(nodes, 0);
    for (i, mut p) in pods.into_iter().enumerate() {
        p.uid = i as u64 + 1;
        sim.pods.insert(p.uid, p);
    }
    sim
}

/// Runs `f` with the view of one scheduling pass over `sim`.
pub fn with_view<T>(sim: &Sim, f: impl FnOnce(&ClusterView<'_>) -> T) -> T {
    let pass = Pass::new(sim);
    f(&ClusterView { sim, pass: &pass })
}
