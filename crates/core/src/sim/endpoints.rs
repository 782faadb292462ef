//! The endpoints controller (`k8s.io/endpointslice` reconciler): a Service's ready
//! endpoints are the pods in its namespace whose labels match its selector, that have an IP,
//! are not finished, are Ready and are not terminating.

use super::engine::Sim;

impl Sim {
    pub(crate) fn sync_endpoints(&mut self) {
        let keys: Vec<_> = self.services.keys().cloned().collect();
        for key in keys {
            let Some(svc) = self.services.get(&key) else {
                continue;
            };
            let Some(selector) = &svc.selector else {
                continue;
            };
            let mut endpoints: Vec<String> = self
                .pods
                .values()
                .filter(|p| {
                    p.namespace == svc.namespace
                        && p.ip.is_some()
                        && p.ready()
                        && !p.terminating()
                        && p.phase != "Succeeded"
                        && p.phase != "Failed"
                        && selector.iter().all(|(k, v)| p.labels.get(k) == Some(v))
                })
                .map(|p| p.name.clone())
                .collect();
            endpoints.sort();
            if let Some(svc) = self.services.get_mut(&key)
                && svc.endpoints != endpoints
            {
                svc.endpoints = endpoints;
                self.changed = true;
            }
        }
    }
}
