//! kube-proxy's NodePort: a connection to any node on a Service's node port is forwarded to
//! one of the Service's ready endpoints, on whichever node it runs
//! (`externalTrafficPolicy: Cluster`, the default), on the port's `targetPort`. Nothing
//! listens on a node port no Service has: the connection is refused (recorded with status
//! 0). The client's address is rewritten to the node's (SNAT), which NetworkPolicies see as
//! traffic from outside the cluster; the simulator does not apply policies to it.

use super::engine::Sim;
use super::ingress::{PortRef, to_service};
use super::network::Network;
use super::timeline::RequestResult;

/// Routes a request to `node`:`port` as the cluster `net` is, without moving the
/// round-robin; `node_exists` says whether the node is part of the cluster.
#[must_use]
pub fn route_node_port(
    net: &impl Network,
    t: f64,
    (node, node_exists): (&str, bool),
    port: i64,
    path: &str,
) -> RequestResult {
    let mut result = RequestResult::sent(t, format!("{node}:{port}{path}"), 0);
    if !node_exists {
        result.reason = format!("there is no node {node} in the cluster");
        return result;
    }
    let found = net.services().find_map(|svc| {
        svc.ports
            .iter()
            .find(|p| p.node_port == Some(port))
            .map(|p| (svc, p.port))
    });
    let Some((svc, service_port)) = found else {
        result.reason = format!(
            "connection refused: no Service has node port {port} (a Service of type NodePort or LoadBalancer opens one on every node)"
        );
        return result;
    };
    result.service = Some(svc.name.to_owned());
    let via = format!("{node}:{port} (NodePort of service/{})", svc.name);
    to_service(
        net,
        &svc,
        Some(&PortRef::Number(service_port)),
        &via,
        result,
        false,
    )
}

impl Sim {
    /// A `request` step to a node port: routes, records and moves the round-robin on.
    pub(crate) fn node_port_request(&mut self, node: &str, port: i64, path: &str) {
        let exists = self.nodes.iter().any(|n| n.name == node);
        let result = route_node_port(self, self.seconds(), (node, exists), port, path);
        if result.status == 200
            && let Some(svc) = self
                .services
                .values()
                .find(|s| s.ports.iter().any(|p| p.node_port == Some(port)))
        {
            let key = (svc.namespace.clone(), svc.name.clone());
            self.turn_round_robin(key);
        }
        self.record_request(result);
    }
}
