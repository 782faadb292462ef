//! The endpoints controller (`pkg/controller/endpointslice`, reconciler in
//! `staging/src/k8s.io/endpointslice`): a Service's EndpointSlice lists the pods of its
//! namespace whose labels match its selector, that have an IP and are not finished
//! (`ShouldPodBeInEndpoints(pod, includeTerminating=true)`); each endpoint is `serving` when
//! the pod is Ready, `terminating` while the pod is being deleted, and `ready` when serving
//! and not terminating — or always, with `publishNotReadyAddresses` (`podToEndpoint` in
//! `utils.go`). The ready ones receive traffic and are what `kubectl get endpoints` lists
//! (the v1 Endpoints `addresses`).

use super::engine::{Key, Sim};
use super::network::{NetPod, NetService, Network};

/// One endpoint of a Service, as its EndpointSlice lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub pod: String,
    pub ip: String,
    /// Receives traffic: Ready and not terminating (or any, with
    /// `publishNotReadyAddresses`).
    pub ready: bool,
    /// Ready, even while terminating.
    pub serving: bool,
    pub terminating: bool,
}

/// The conditions of `pod` as an endpoint of `svc`, or `None` when it is not one.
fn conditions<'p>(svc: &NetService<'_>, pod: &NetPod<'p>) -> Option<(&'p str, bool, bool)> {
    let selector = svc.selector?;
    let ip = pod.ip?;
    (pod.namespace == svc.namespace
        && !pod.finished()
        && selector.iter().all(|(k, v)| pod.labels.get(k) == Some(v)))
    .then_some((
        ip,
        svc.publish_not_ready || (pod.ready && !pod.terminating),
        pod.ready,
    ))
}

/// The endpoints of a Service, ready or not, sorted by pod name.
#[must_use]
pub fn endpoints_of(net: &impl Network, svc: &NetService<'_>) -> Vec<Endpoint> {
    let mut all: Vec<Endpoint> = net
        .pods()
        .filter_map(|p| {
            let (ip, ready, serving) = conditions(svc, &p)?;
            Some(Endpoint {
                pod: p.name.to_owned(),
                ip: ip.to_owned(),
                ready,
                serving,
                terminating: p.terminating,
            })
        })
        .collect();
    all.sort_by(|a, b| a.pod.cmp(&b.pod));
    all
}

impl Sim {
    pub(crate) fn sync_endpoints(&mut self) {
        let updates: Vec<(Key, Vec<String>)> = Network::services(self)
            .filter_map(|svc| {
                svc.selector?;
                let mut ready: Vec<String> = Network::pods(self)
                    .filter(|p| conditions(&svc, p).is_some_and(|(_, ready, _)| ready))
                    .map(|p| p.name.to_owned())
                    .collect();
                ready.sort();
                (ready != svc.endpoints)
                    .then(|| ((svc.namespace.to_owned(), svc.name.to_owned()), ready))
            })
            .collect();
        for (key, endpoints) in updates {
            if let Some(svc) = self.services.get_mut(&key) {
                svc.endpoints = endpoints;
                self.changed = true;
            }
        }
    }
}
