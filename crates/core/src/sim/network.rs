//! The traffic side of the cluster at one instant, as one read-only view: Ingresses,
//! Services with their ports and endpoints, pods with their labels, IPs and container ports,
//! NetworkPolicies and namespace labels. Ingress routing (`ingress`), NetworkPolicy
//! (`netpol`) and the endpoint list (`endpoints`) answer from a `Network`, so the live
//! simulator and a recorded `Snapshot` (the playground scrubbed to any time) give the same
//! answers.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use super::cluster::{Owner, ServicePort};
use super::engine::{Key, Sim};
use super::ingress::Ingress;
use super::netpol::NetworkPolicy;
use super::spec::PodTemplate;
use super::timeline::Snapshot;

/// A pod as traffic sees it.
#[derive(Clone, Copy, Debug)]
pub struct NetPod<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    pub labels: &'a BTreeMap<String, String>,
    pub ip: Option<&'a str>,
    pub template: &'a PodTemplate,
    pub ready: bool,
    pub terminating: bool,
    pub phase: &'a str,
    /// The name of its controller (a ReplicaSet, Job, StatefulSet or DaemonSet).
    pub owner: Option<&'a str>,
}

impl NetPod<'_> {
    /// Succeeded or Failed: its containers no longer run.
    #[must_use]
    pub fn finished(&self) -> bool {
        self.phase == "Succeeded" || self.phase == "Failed"
    }

    /// Every declared container port: (name, number).
    pub fn container_ports(&self) -> impl Iterator<Item = (Option<&str>, i64)> {
        self.template
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .map(|(n, p)| (n.as_deref(), *p))
    }

    /// The number of the container port called `name` (`FindPort`).
    #[must_use]
    pub fn named_port(&self, name: &str) -> Option<i64> {
        self.container_ports()
            .find(|(n, _)| *n == Some(name))
            .map(|(_, p)| p)
    }
}

/// A Service as traffic sees it.
#[derive(Clone, Copy, Debug)]
pub struct NetService<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    /// `None`: a Service without selector (no endpoints are managed for it).
    pub selector: Option<&'a BTreeMap<String, String>>,
    pub ports: &'a [ServicePort],
    /// Ready endpoints (pod names), as the endpoints controller last wrote them.
    pub endpoints: &'a [String],
    /// `publishNotReadyAddresses`.
    pub publish_not_ready: bool,
}

impl<'a> NetService<'a> {
    const fn new(
        (namespace, name): (&'a str, &'a str),
        selector: Option<&'a BTreeMap<String, String>>,
        ports: &'a [ServicePort],
        endpoints: &'a [String],
        publish_not_ready: bool,
    ) -> Self {
        Self {
            name,
            namespace,
            selector,
            ports,
            endpoints,
            publish_not_ready,
        }
    }
}

/// The objects without a controller loop that traffic depends on, shared by every snapshot
/// until one of them changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkObjects {
    pub ingresses: Vec<Ingress>,
    pub policies: Vec<NetworkPolicy>,
    /// Labels of namespaces created by a manifest.
    pub namespaces: BTreeMap<String, BTreeMap<String, String>>,
    /// Round-robin position per Service (namespace, name).
    pub round_robin: BTreeMap<Key, usize>,
    /// The Services with `publishNotReadyAddresses: true`.
    pub publish_not_ready: BTreeSet<Key>,
    /// Headless Services (`clusterIP: None`), for cluster DNS.
    pub headless: BTreeSet<Key>,
    /// Every Secret, and whether it holds a certificate (`tls.crt` and `tls.key`): what the
    /// Ingress controller presents over https (`tls`).
    pub tls_secrets: BTreeMap<Key, bool>,
}

/// The labels of a namespace as NetworkPolicy namespace selectors see them: its own, or only
/// `kubernetes.io/metadata.name` for a namespace no manifest created.
#[must_use]
pub fn namespace_labels<'a>(
    namespaces: &'a BTreeMap<String, BTreeMap<String, String>>,
    namespace: &str,
) -> Cow<'a, BTreeMap<String, String>> {
    namespaces.get(namespace).map_or_else(
        || {
            Cow::Owned(BTreeMap::from([(
                "kubernetes.io/metadata.name".to_owned(),
                namespace.to_owned(),
            )]))
        },
        Cow::Borrowed,
    )
}

/// The cluster's traffic state at one instant.
pub trait Network {
    /// Ingresses, NetworkPolicies, namespaces and round-robin positions.
    fn objects(&self) -> &NetworkObjects;
    /// Every Service, in (namespace, name) order.
    fn services(&self) -> impl Iterator<Item = NetService<'_>>;
    /// Every pod that exists, terminating ones included.
    fn pods(&self) -> impl Iterator<Item = NetPod<'_>>;

    /// Every Ingress, in (namespace, name) order.
    fn ingresses(&self) -> impl Iterator<Item = &Ingress> + Clone {
        self.objects().ingresses.iter()
    }

    /// Every NetworkPolicy, in (namespace, name) order.
    fn policies(&self) -> impl Iterator<Item = &NetworkPolicy> + Clone {
        self.objects().policies.iter()
    }

    fn namespace_labels(&self, namespace: &str) -> Cow<'_, BTreeMap<String, String>> {
        namespace_labels(&self.objects().namespaces, namespace)
    }

    /// The round-robin position of a Service.
    fn turn(&self, namespace: &str, service: &str) -> usize {
        self.objects()
            .round_robin
            .get(&(namespace.to_owned(), service.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    fn service(&self, namespace: &str, name: &str) -> Option<NetService<'_>> {
        self.services()
            .find(|s| s.namespace == namespace && s.name == name)
    }

    fn pod(&self, namespace: &str, name: &str) -> Option<NetPod<'_>> {
        self.pods()
            .find(|p| p.namespace == namespace && p.name == name)
    }
}

impl Network for Sim {
    fn objects(&self) -> &NetworkObjects {
        &self.network
    }

    fn services(&self) -> impl Iterator<Item = NetService<'_>> {
        self.services.values().map(|s| {
            NetService::new(
                (&s.namespace, &s.name),
                s.selector.as_ref(),
                &s.ports,
                &s.endpoints,
                s.publish_not_ready,
            )
        })
    }

    fn pods(&self) -> impl Iterator<Item = NetPod<'_>> {
        self.pods.values().map(|p| NetPod {
            name: &p.name,
            namespace: &p.namespace,
            labels: &p.labels,
            ip: p.ip.as_deref(),
            template: &p.template,
            ready: p.ready(),
            terminating: p.terminating(),
            phase: p.phase,
            owner: match &p.owner {
                Owner::None => None,
                Owner::ReplicaSet(n)
                | Owner::Job(n)
                | Owner::StatefulSet(n)
                | Owner::DaemonSet(n) => Some(n),
            },
        })
    }
}

impl Network for Snapshot {
    fn objects(&self) -> &NetworkObjects {
        &self.network
    }

    fn services(&self) -> impl Iterator<Item = NetService<'_>> {
        self.services.iter().map(|s| {
            NetService::new(
                (&s.namespace, &s.name),
                s.selector.as_ref(),
                &s.ports,
                &s.endpoints,
                self.network
                    .publish_not_ready
                    .contains(&(s.namespace.clone(), s.name.clone())),
            )
        })
    }

    fn pods(&self) -> impl Iterator<Item = NetPod<'_>> {
        self.pods.iter().map(|p| NetPod {
            name: &p.name,
            namespace: &p.namespace,
            labels: &p.labels,
            ip: p.ip.as_deref(),
            template: &p.template.0,
            ready: p.ready,
            terminating: p.terminating,
            phase: p.phase,
            owner: p
                .owner
                .as_deref()
                .map(|o| o.split_once('/').map_or(o, |(_, n)| n)),
        })
    }
}

impl Sim {
    /// Copies the network objects after one of them changed; snapshots share the copy.
    pub(crate) fn network_changed(&mut self) {
        self.network = Rc::new(NetworkObjects {
            ingresses: self.objects.ingresses.values().cloned().collect(),
            policies: self.objects.network_policies.values().cloned().collect(),
            namespaces: self.objects.namespaces.clone(),
            round_robin: self.objects.round_robin.clone(),
            publish_not_ready: self
                .services
                .iter()
                .filter(|(_, s)| s.publish_not_ready)
                .map(|(k, _)| k.clone())
                .collect(),
            headless: self.objects.headless_services.clone(),
            tls_secrets: self
                .objects
                .secrets
                .iter()
                .map(|(k, c)| {
                    let cert = c
                        .current()
                        .is_some_and(|d| d.contains_key("tls.crt") && d.contains_key("tls.key"));
                    (k.clone(), cert)
                })
                .collect(),
        });
    }
}
