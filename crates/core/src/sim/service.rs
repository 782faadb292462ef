//! Services as the API server stores them: the selector, the ports with their `targetPort`
//! (defaulted to `port`) and, for `type: NodePort` or `LoadBalancer`, a node port on every
//! node: the one written, else one allocated from 30000–32767 (`pkg/registry/core/service/
//! portallocator`; upstream picks at random, the simulator the lowest free port, so runs
//! repeat), kept across re-applies. `clusterIP: None` makes the Service headless: no virtual
//! IP, and cluster DNS answers with the pods themselves (see `dns`).

use std::collections::{BTreeMap, BTreeSet};

use super::cluster::{Service, ServicePort};
use super::engine::{Key, Sim};
use crate::yaml::Node;

/// The node port range (`--service-node-port-range`, default 30000-32767).
pub const NODE_PORTS: std::ops::RangeInclusive<i64> = 30000..=32767;

fn ports_of(root: &Node, node_ports: bool) -> Vec<ServicePort> {
    root.at("spec.ports")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let port = p.get("port")?.as_i64()?;
            let target = p
                .get("targetPort")
                .and_then(Node::as_scalar)
                .map_or_else(|| port.to_string(), |s| s.value.clone());
            Some(ServicePort {
                name: p.get("name").and_then(Node::as_str).map(str::to_owned),
                port,
                target,
                protocol: p
                    .get("protocol")
                    .and_then(Node::as_str)
                    .unwrap_or("TCP")
                    .to_owned(),
                node_port: if node_ports {
                    p.get("nodePort").and_then(Node::as_i64).filter(|n| *n > 0)
                } else {
                    None
                },
            })
        })
        .collect()
}

impl Sim {
    /// `kubectl apply` of a Service.
    pub(crate) fn apply_service(&mut self, key: Key, root: &Node) {
        let selector = root
            .at("spec.selector")
            .map(|s| {
                s.string_map()
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .filter(|m: &BTreeMap<String, String>| !m.is_empty());
        let kind = root.at("spec.type").and_then(Node::as_str);
        let node_ports = matches!(kind, Some("NodePort" | "LoadBalancer"));
        let mut ports = ports_of(root, node_ports);
        if let Some((i, n)) = self.taken_node_port(&key, &ports) {
            // `kubectl apply` prints the API server's refusal; the Service is not changed.
            self.timeline.warnings.push(format!(
                "The Service \"{}\" is invalid: spec.ports[{i}].nodePort: Invalid value: {n}: provided port is already allocated",
                key.1
            ));
            return;
        }
        if node_ports {
            self.allocate_node_ports(&key, &mut ports);
        }
        let old = self.services.get(&key);
        let endpoints = old.map(|s| s.endpoints.clone()).unwrap_or_default();
        let publish_not_ready = root
            .at("spec.publishNotReadyAddresses")
            .and_then(Node::as_bool)
            .unwrap_or(false);
        let headless = root.at("spec.clusterIP").and_then(Node::as_str) == Some("None");
        let network_changed = old.map_or(publish_not_ready, |s| {
            s.publish_not_ready != publish_not_ready
        }) || self.objects.headless_services.contains(&key) != headless;
        if headless {
            self.objects.headless_services.insert(key.clone());
        } else {
            self.objects.headless_services.remove(&key);
        }
        self.services.insert(
            key.clone(),
            Service {
                name: key.1,
                namespace: key.0,
                selector,
                ports,
                endpoints,
                publish_not_ready,
            },
        );
        if network_changed {
            self.network_changed();
        }
        self.changed = true;
    }

    /// The first port (index, node port) that asks for a node port another Service has:
    /// node ports are unique in the cluster, across namespaces.
    fn taken_node_port(&self, key: &Key, ports: &[ServicePort]) -> Option<(usize, i64)> {
        ports.iter().enumerate().find_map(|(i, p)| {
            let n = p.node_port?;
            self.services
                .iter()
                .any(|(k, s)| k != key && s.ports.iter().any(|o| o.node_port == Some(n)))
                .then_some((i, n))
        })
    }

    /// Gives every port without a node port one: the one it had before, else the lowest
    /// free port of the range.
    fn allocate_node_ports(&self, key: &Key, ports: &mut [ServicePort]) {
        let before = self.services.get(key);
        let mut used: BTreeSet<i64> = self
            .services
            .iter()
            .filter(|(k, _)| *k != key)
            .flat_map(|(_, s)| s.ports.iter().filter_map(|p| p.node_port))
            .chain(ports.iter().filter_map(|p| p.node_port))
            .collect();
        for p in ports.iter_mut().filter(|p| p.node_port.is_none()) {
            let kept = before.and_then(|s| {
                s.ports
                    .iter()
                    .find(|o| o.port == p.port && o.protocol == p.protocol)
                    .and_then(|o| o.node_port)
            });
            let port = kept
                .filter(|n| !used.contains(n))
                .or_else(|| NODE_PORTS.clone().find(|n| !used.contains(n)));
            if let Some(n) = port {
                used.insert(n);
                p.node_port = Some(n);
            }
        }
    }
}
