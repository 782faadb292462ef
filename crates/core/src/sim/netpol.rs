//! NetworkPolicy: may pod A open a connection to pod B on a port?
//!
//! Semantics (`k8s.io/api` `networking/v1/types.go`, `pkg/apis/networking/v1/defaults.go`,
//! and the concept page `content/en/docs/concepts/services-networking/network-policies.md`):
//! - Each direction is isolated separately: B is isolated for ingress iff some policy in B's
//!   namespace selects B and has `Ingress` in its `policyTypes`; A is isolated for egress
//!   likewise with `Egress`. A connection needs both A's egress and B's ingress to allow it.
//! - `policyTypes` defaults to `[Ingress]`, plus `Egress` when the policy has egress rules.
//! - Rules are additive (a union over every policy selecting the pod); there are no denies.
//! - A rule with no `ports` allows every port; with no `from`/`to` every peer. A peer with
//!   `podSelector` alone means pods of the policy's namespace; `namespaceSelector` alone all
//!   pods of the matching namespaces; both together, the AND of the two; `ipBlock` a CIDR
//!   minus its `except`s (matched against the pod IP here).
//! - A named port resolves against the destination pod's container ports; `protocol`
//!   defaults to TCP; `endPort` makes a range.
//!
//! Reply traffic of an allowed connection is implicitly allowed, so this is a question about
//! who may open a connection.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::engine::Sim;
use super::network::{NetPod, Network};
use crate::model::Selector;
use crate::yaml::Node;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Peer {
    Pods {
        pods: Option<Selector>,
        namespaces: Option<Selector>,
    },
    IpBlock {
        cidr: String,
        except: Vec<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyPort {
    pub protocol: String,
    /// A number or a container port name; `None` is every port.
    pub port: Option<String>,
    pub end_port: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRule {
    /// Empty: every peer.
    pub peers: Vec<Peer>,
    /// Empty: every port.
    pub ports: Vec<PolicyPort>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkPolicy {
    pub name: String,
    pub namespace: String,
    pub pod_selector: Selector,
    pub ingress: Vec<PolicyRule>,
    pub egress: Vec<PolicyRule>,
    pub types_ingress: bool,
    pub types_egress: bool,
}

fn rules(node: Option<&Node>, peers_key: &str) -> Vec<PolicyRule> {
    node.and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .map(|r| PolicyRule {
            peers: r
                .get(peers_key)
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .map(|p| {
                    if let Some(b) = p.get("ipBlock") {
                        Peer::IpBlock {
                            cidr: b
                                .get("cidr")
                                .and_then(Node::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                            except: b
                                .get("except")
                                .and_then(Node::as_sequence)
                                .unwrap_or_default()
                                .iter()
                                .filter_map(|e| e.as_str().map(str::to_owned))
                                .collect(),
                        }
                    } else {
                        Peer::Pods {
                            pods: p.get("podSelector").map(Selector::from_label_selector),
                            namespaces: p
                                .get("namespaceSelector")
                                .map(Selector::from_label_selector),
                        }
                    }
                })
                .collect(),
            ports: r
                .get("ports")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .map(|p| PolicyPort {
                    protocol: p
                        .get("protocol")
                        .and_then(Node::as_str)
                        .unwrap_or("TCP")
                        .to_owned(),
                    port: p
                        .get("port")
                        .and_then(|v| v.as_scalar())
                        .map(|s| s.value.clone()),
                    end_port: p.get("endPort").and_then(Node::as_i64),
                })
                .collect(),
        })
        .collect()
}

#[must_use]
pub fn parse_network_policy(namespace: &str, name: &str, root: &Node) -> NetworkPolicy {
    let spec = root.get("spec");
    let ingress = rules(spec.and_then(|s| s.get("ingress")), "from");
    let egress = rules(spec.and_then(|s| s.get("egress")), "to");
    let types: Vec<&str> = spec
        .and_then(|s| s.get("policyTypes"))
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    // SetDefaults_NetworkPolicy: no policyTypes → Ingress, plus Egress if egress rules exist.
    let (types_ingress, types_egress) = if types.is_empty() {
        (true, !egress.is_empty())
    } else {
        (types.contains(&"Ingress"), types.contains(&"Egress"))
    };
    NetworkPolicy {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        pod_selector: spec
            .and_then(|s| s.get("podSelector"))
            .map(Selector::from_label_selector)
            .unwrap_or_default(),
        ingress,
        egress,
        types_ingress,
        types_egress,
    }
}

/// The namespace the simulated Ingress controller runs in.
pub const INGRESS_CONTROLLER_NAMESPACE: &str = "ingress-nginx";

/// The other end of a connection: a pod, or the Ingress controller.
struct Peerish<'a> {
    name: &'a str,
    namespace: &'a str,
    labels: &'a BTreeMap<String, String>,
    ip: Option<&'a str>,
}

impl<'a> Peerish<'a> {
    fn of(p: &NetPod<'a>) -> Self {
        Self {
            name: p.name,
            namespace: p.namespace,
            labels: p.labels,
            ip: p.ip,
        }
    }
}

fn labels_of(map: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
    map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn parse_cidr(cidr: &str) -> Option<(u32, u32)> {
    let (addr, len) = cidr.split_once('/')?;
    let addr: Ipv4Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some((u32::from(addr) & mask, mask))
}

fn in_cidr(ip: &str, cidr: &str) -> bool {
    let (Ok(ip), Some((net, mask))) = (ip.parse::<Ipv4Addr>(), parse_cidr(cidr)) else {
        return false;
    };
    u32::from(ip) & mask == net
}

/// The answer to "may A reach B on this port", with the policies that decided it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reachability {
    pub allowed: bool,
    pub reason: String,
}

fn peer_matches(net: &impl Network, peer: &Peer, policy_ns: &str, other: &Peerish<'_>) -> bool {
    match peer {
        Peer::Pods { pods, namespaces } => {
            let ns_ok = match namespaces {
                None => other.namespace == policy_ns,
                Some(sel) => sel.matches(&labels_of(&net.namespace_labels(other.namespace))),
            };
            ns_ok
                && pods
                    .as_ref()
                    .is_none_or(|s| s.matches(&labels_of(other.labels)))
        }
        Peer::IpBlock { cidr, except } => other
            .ip
            .is_some_and(|ip| in_cidr(ip, cidr) && !except.iter().any(|e| in_cidr(ip, e))),
    }
}

fn port_matches(port: &PolicyPort, dest: &NetPod<'_>, number: i64, protocol: &str) -> bool {
    if !port.protocol.eq_ignore_ascii_case(protocol) {
        return false;
    }
    let Some(p) = &port.port else {
        return true;
    };
    let start = match p.parse::<i64>() {
        Ok(n) => n,
        // A named port: the destination pod's container port of that name.
        Err(_) => {
            return dest
                .container_ports()
                .any(|(n, num)| n == Some(p.as_str()) && num == number);
        }
    };
    match port.end_port {
        Some(end) => (start..=end).contains(&number),
        None => start == number,
    }
}

/// Policies in `pod`'s namespace that select it, isolating the given direction.
fn isolating<'n>(net: &'n impl Network, pod: &NetPod<'_>, ingress: bool) -> Vec<&'n NetworkPolicy> {
    net.policies()
        .filter(|p| {
            p.namespace == pod.namespace
                && if ingress {
                    p.types_ingress
                } else {
                    p.types_egress
                }
                && p.pod_selector.matches(&labels_of(pod.labels))
        })
        .collect()
}

fn direction(
    net: &impl Network,
    subject: &NetPod<'_>,
    other: &Peerish<'_>,
    dest: &NetPod<'_>,
    port: i64,
    protocol: &str,
    ingress: bool,
) -> Result<String, String> {
    let dir = if ingress { "ingress" } else { "egress" };
    let policies = isolating(net, subject, ingress);
    if policies.is_empty() {
        return Ok(format!(
            "no NetworkPolicy selects pod/{} for {dir}",
            subject.name
        ));
    }
    for p in &policies {
        let rules = if ingress { &p.ingress } else { &p.egress };
        for (i, r) in rules.iter().enumerate() {
            let peer_ok = r.peers.is_empty()
                || r.peers
                    .iter()
                    .any(|peer| peer_matches(net, peer, &p.namespace, other));
            let port_ok = r.ports.is_empty()
                || r.ports
                    .iter()
                    .any(|pp| port_matches(pp, dest, port, protocol));
            if peer_ok && port_ok {
                return Ok(format!(
                    "networkpolicy/{} {dir} rule {} allows it",
                    p.name,
                    i + 1
                ));
            }
        }
    }
    let names: Vec<String> = policies
        .iter()
        .map(|p| format!("networkpolicy/{}", p.name))
        .collect();
    Err(format!(
        "pod/{} is isolated for {dir} by {} and no rule allows {} pod/{} on {protocol} {port}",
        subject.name,
        names.join(", "),
        if ingress { "from" } else { "to" },
        other.name
    ))
}

/// May pod `from` open a connection to pod `to` (both `namespace/name` or a name in
/// `default`) on `port`/`protocol`? Both A's egress and B's ingress must allow it.
#[must_use]
pub fn may_reach(
    net: &impl Network,
    from: &str,
    to: &str,
    port: i64,
    protocol: &str,
) -> Reachability {
    let find = |r: &str| {
        let (ns, name) = r.split_once('/').unwrap_or(("default", r));
        net.pods()
            .find(|p| p.namespace == ns && p.name == name && !p.terminating)
    };
    let (Some(a), Some(b)) = (find(from), find(to)) else {
        return Reachability {
            allowed: false,
            reason: format!(
                "pod {} does not exist",
                if find(from).is_none() { from } else { to }
            ),
        };
    };
    reach(net, &a, &b, port, protocol)
}

/// May pod `a` open a connection to pod `b` on `port`/`protocol`?
#[must_use]
pub fn reach(
    net: &impl Network,
    a: &NetPod<'_>,
    b: &NetPod<'_>,
    port: i64,
    protocol: &str,
) -> Reachability {
    let egress = direction(net, a, &Peerish::of(b), b, port, protocol, false);
    let ingress = direction(net, b, &Peerish::of(a), b, port, protocol, true);
    match (egress, ingress) {
        (Ok(e), Ok(i)) => Reachability {
            allowed: true,
            reason: format!("allowed: {e}; {i}"),
        },
        (Err(e), _) | (_, Err(e)) => Reachability {
            allowed: false,
            reason: format!("denied: {e}"),
        },
    }
}

/// May the Ingress controller open a connection to `dest` on `port`? The controller is
/// modelled as ingress-nginx's pod: namespace `ingress-nginx`, labels
/// `app.kubernetes.io/name: ingress-nginx`, `app.kubernetes.io/component: controller`,
/// IP 10.244.0.2 (its own egress is not isolated).
///
/// # Errors
/// Why a NetworkPolicy isolating `dest` for ingress drops the connection.
pub fn controller_may_reach(
    net: &impl Network,
    dest: &NetPod<'_>,
    port: i64,
) -> Result<String, String> {
    let labels = BTreeMap::from([
        (
            "app.kubernetes.io/component".to_owned(),
            "controller".to_owned(),
        ),
        (
            "app.kubernetes.io/name".to_owned(),
            "ingress-nginx".to_owned(),
        ),
    ]);
    let controller = Peerish {
        name: "ingress-nginx-controller",
        namespace: INGRESS_CONTROLLER_NAMESPACE,
        labels: &labels,
        ip: Some("10.244.0.2"),
    };
    direction(net, dest, &controller, dest, port, "TCP", true)
}

/// The pods a reachability question is asked about: running (not terminating, not
/// finished), sorted by namespace/name.
#[must_use]
pub fn live_pods(net: &impl Network) -> Vec<NetPod<'_>> {
    let mut pods: Vec<NetPod<'_>> = net
        .pods()
        .filter(|p| !p.terminating && !p.finished())
        .collect();
    pods.sort_by(|a, b| (a.namespace, a.name).cmp(&(b.namespace, b.name)));
    pods
}

/// The port a matrix cell asks about: `port`, or the destination's first declared container
/// port (80 when it declares none).
#[must_use]
pub fn matrix_port(dest: &NetPod<'_>, port: Option<i64>) -> i64 {
    port.unwrap_or_else(|| dest.container_ports().map(|(_, n)| n).next().unwrap_or(80))
}

/// Who may reach whom: for every pair of running pods (sorted by namespace/name), whether
/// the first may connect to the second on `port` (TCP), or, with `None`, on the
/// destination's first declared container port (80 when it declares none).
#[must_use]
pub fn reachability_matrix(net: &impl Network, port: Option<i64>) -> ReachabilityMatrix {
    let pods = live_pods(net);
    let allowed = pods
        .iter()
        .map(|a| {
            pods.iter()
                .map(|b| reach(net, a, b, matrix_port(b, port), "TCP").allowed)
                .collect()
        })
        .collect();
    ReachabilityMatrix {
        pods: pods
            .iter()
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect(),
        allowed,
    }
}

impl Sim {
    /// May pod `from` open a connection to pod `to` now? See [`may_reach`].
    #[must_use]
    pub fn may_reach(&self, from: &str, to: &str, port: i64, protocol: &str) -> Reachability {
        may_reach(self, from, to, port, protocol)
    }

    /// Who may reach whom now. See [`reachability_matrix`].
    #[must_use]
    pub fn reachability_matrix(&self, port: Option<i64>) -> ReachabilityMatrix {
        reachability_matrix(self, port)
    }
}

/// `allowed[i][j]`: pod `i` may open a connection to pod `j`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReachabilityMatrix {
    pub pods: Vec<String>,
    pub allowed: Vec<Vec<bool>>,
}

#[cfg(test)]
mod tests {
    use super::in_cidr;

    /// The docs' example `ipBlock`: 172.17.0.0/16 except 172.17.1.0/24 admits
    /// 172.17.0.0–172.17.0.255 and 172.17.2.0–172.17.255.255.
    #[test]
    fn ip_blocks_and_exceptions() {
        let allowed = |ip: &str| in_cidr(ip, "172.17.0.0/16") && !in_cidr(ip, "172.17.1.0/24");
        assert!(allowed("172.17.0.10"));
        assert!(!allowed("172.17.1.10"));
        assert!(allowed("172.17.2.1"));
        assert!(allowed("172.17.255.255"));
        assert!(!allowed("172.18.0.1"));
        assert!(in_cidr("10.244.3.7", "0.0.0.0/0"));
        assert!(in_cidr("10.0.0.5", "10.0.0.5/32"));
        assert!(!in_cidr("10.0.0.5", "not-a-cidr"));
        assert!(!in_cidr("10.0.0.5", "10.0.0.0/33"));
    }
}
