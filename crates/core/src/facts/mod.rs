//! Facts: what the cluster will make of each object, derived exactly as Kubernetes derives
//! them (after defaulting). The UI shows them, advice checks and lessons build on them.

mod hpa;
mod probes;
mod qos;
mod rollout;
mod routes;
mod selects;

use serde::Serialize;

pub use hpa::{HpaFact, hpa_of};
pub use probes::{ProbeFact, ProbeKind, probes_of};
pub use qos::{QosClass, pod_qos};
pub use rollout::{Rollout, Strategy, resolve_fenceposts, rollout_of};
pub use routes::{RouteFact, routes_of};
pub use selects::{pod_labels, selected_by_service};

use crate::check::Context;
use crate::model::pod_spec;

/// Facts of one object; absent ones do not apply to its kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Facts {
    /// QoS class of the Pod, or of the pods a workload's template creates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qos: Option<QosClass>,
    /// A Deployment's rollout bounds, resolved against its replicas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
    /// Every probe with the API server's defaults applied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<ProbeFact>,
    /// For a Service: the objects whose pods it selects (`Deployment/web`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selects: Option<Vec<String>>,
    /// For an Ingress: which Service and port each path reaches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RouteFact>,
    /// For an HPA: its target and whether its metrics can work.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hpa: Option<HpaFact>,
}

/// Facts for every object, in the order of `ctx.objects`.
#[must_use]
pub fn facts_of(ctx: &Context<'_>) -> Vec<Facts> {
    ctx.objects
        .iter()
        .map(|object| {
            let mut facts = Facts::default();
            let (Some(root), Some(kind)) = (ctx.root(object), object.kind.as_deref()) else {
                return facts;
            };
            if let Some((spec, path)) = pod_spec(kind, root) {
                facts.qos = Some(pod_qos(spec));
                facts.probes = probes_of(spec, path);
            }
            if kind == "Deployment" {
                facts.rollout = rollout_of(root);
            }
            if kind == "Service" {
                facts.selects = selected_by_service(ctx, object, root);
            }
            if kind == "Ingress" {
                facts.routes = routes_of(ctx, object, root);
            }
            if kind == "HorizontalPodAutoscaler" {
                facts.hpa = hpa_of(ctx, object, root);
            }
            facts
        })
        .collect()
}
