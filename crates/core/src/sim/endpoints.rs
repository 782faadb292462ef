//! The endpoints controller (`pkg/controller/endpointslice`, reconciler in
//! `staging/src/k8s.io/endpointslice`): a Service's EndpointSlice lists the pods of its
//! namespace whose labels match its selector, that have an IP and are not finished
//! (`ShouldPodBeInEndpoints(pod, includeTerminating=true)`); each endpoint is `serving` when
//! the pod is Ready, `terminating` while the pod is being deleted, and `ready` when serving
//! and not terminating — or always, with `publishNotReadyAddresses` (`podToEndpoint` in
//! `utils.go`). The ready ones receive traffic and are what `kubectl get endpoints` lists
//! (the v1 Endpoints `addresses`).

use super::cluster::ServicePort;
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

/// The ready addresses of `svc` for one of its ports, `IP:targetPort`, sorted as the
/// endpoints controller packs them (`RepackSubsets`, by IP). A named `targetPort` resolves
/// per pod; a pod without that container port is no address of this port (`FindPort`).
#[must_use]
pub fn ready_addresses(
    net: &impl Network,
    svc: &NetService<'_>,
    port: &ServicePort,
) -> Vec<String> {
    let mut addresses: Vec<(String, i64)> = endpoints_of(net, svc)
        .into_iter()
        .filter(|e| e.ready)
        .filter_map(|e| {
            let target = match port.target.parse::<i64>() {
                Ok(n) => n,
                Err(_) => net.pod(svc.namespace, &e.pod)?.named_port(&port.target)?,
            };
            Some((e.ip, target))
        })
        .collect();
    addresses.sort();
    addresses
        .into_iter()
        .map(|(ip, port)| format!("{ip}:{port}"))
        .collect()
}

/// The ENDPOINTS column of `kubectl get endpoints` (`formatEndpoints` in
/// `pkg/printers/internalversion/printers.go`): every ready address with each port, the
/// first three then `+ N more...`; `<none>` without ready addresses. Not-ready and
/// terminating pods are not listed (they are `notReadyAddresses`, or gone).
#[must_use]
pub fn endpoints_column(net: &impl Network, svc: &NetService<'_>) -> String {
    let all: Vec<String> = svc
        .ports
        .iter()
        .flat_map(|p| ready_addresses(net, svc, p))
        .collect();
    match all.len() {
        0 => "<none>".to_owned(),
        1..=3 => all.join(","),
        n => format!("{} + {} more...", all[..3].join(","), n - 3),
    }
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
