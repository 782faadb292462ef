//! Objects the simulator stores but runs no controller loop for: Ingresses, NetworkPolicies,
//! RBAC Roles and bindings, ResourceQuotas, ConfigMaps, Secrets, Namespaces and
//! ServiceAccounts. `kubectl apply` of these kinds lands here (see `apply_object`); the
//! modules `ingress`, `netpol`, `rbac`, `quota` and `config` evaluate them.

use std::collections::{BTreeMap, BTreeSet};

use super::app::Millis;
use super::engine::{Key, Sim};
use super::ingress::{Ingress, parse_ingress};
use super::netpol::{NetworkPolicy, parse_network_policy};
use super::quota::{Quota, parse_quota};
use super::rbac::{Binding, Role, parse_binding, parse_role};
use crate::yaml::Node;

/// One version of a ConfigMap's or Secret's data, from the time it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataVersion {
    pub at: Millis,
    pub data: BTreeMap<String, String>,
}

/// A ConfigMap or Secret with its history (the kubelet's view of a mounted volume lags the
/// API, so files show an older version for a while after an edit).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigData {
    pub versions: Vec<DataVersion>,
}

impl ConfigData {
    /// The data as the API server held it at `t` (`None` before it existed).
    #[must_use]
    pub fn at(&self, t: Millis) -> Option<&BTreeMap<String, String>> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.at <= t)
            .map(|v| &v.data)
    }

    #[must_use]
    pub fn current(&self) -> Option<&BTreeMap<String, String>> {
        self.versions.last().map(|v| &v.data)
    }
}

/// At most this many versions of one ConfigMap are kept (older ones are merged away).
const MAX_VERSIONS: usize = 64;

#[derive(Clone, Debug, Default)]
pub struct Objects {
    pub ingresses: BTreeMap<Key, Ingress>,
    pub network_policies: BTreeMap<Key, NetworkPolicy>,
    /// Roles by (namespace, name); ClusterRoles by ("", name).
    pub roles: BTreeMap<Key, Role>,
    /// RoleBindings by (namespace, name); ClusterRoleBindings by ("", name).
    pub bindings: BTreeMap<Key, Binding>,
    pub quotas: BTreeMap<Key, Quota>,
    pub config_maps: BTreeMap<Key, ConfigData>,
    pub secrets: BTreeMap<Key, ConfigData>,
    /// Labels of namespaces created by a manifest (every namespace also carries
    /// `kubernetes.io/metadata.name`).
    pub namespaces: BTreeMap<String, BTreeMap<String, String>>,
    pub service_accounts: BTreeSet<Key>,
    /// Headless Services (`clusterIP: None`).
    pub headless_services: BTreeSet<Key>,
    /// StorageClasses applied by a manifest (`standard` always exists; see `volumes`).
    pub storage_classes: BTreeSet<String>,
    /// PriorityClasses applied by a manifest: name → (value, globalDefault).
    pub priority_classes: BTreeMap<String, (i64, bool)>,
    /// Round-robin position per Service (namespace, name).
    pub round_robin: BTreeMap<Key, usize>,
    /// The last FailedCreate message per controller (`replicaset/web-7d4b9c`), so a refusal
    /// is reported once per change.
    pub create_refusals: BTreeMap<String, String>,
    /// Pods (uid) already told about a failed mount.
    pub mount_failures: BTreeSet<u64>,
}

fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    node.map(|n| {
        n.string_map()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    })
    .unwrap_or_default()
}

impl Sim {
    /// Stores an applied object of a kind without its own controller; other kinds are
    /// ignored.
    pub(crate) fn apply_object(&mut self, kind: &str, namespace: &str, name: &str, root: &Node) {
        let key = (namespace.to_owned(), name.to_owned());
        let cluster_key = (String::new(), name.to_owned());
        match kind {
            "Ingress" => {
                self.objects
                    .ingresses
                    .insert(key, parse_ingress(namespace, name, root));
            }
            "NetworkPolicy" => {
                self.objects
                    .network_policies
                    .insert(key, parse_network_policy(namespace, name, root));
            }
            "Role" => {
                self.objects
                    .roles
                    .insert(key, parse_role(Some(namespace), name, root));
            }
            "ClusterRole" => {
                self.objects
                    .roles
                    .insert(cluster_key, parse_role(None, name, root));
            }
            "RoleBinding" => {
                if let Some(b) = parse_binding(Some(namespace), name, root) {
                    self.objects.bindings.insert(key, b);
                }
            }
            "ClusterRoleBinding" => {
                if let Some(b) = parse_binding(None, name, root) {
                    self.objects.bindings.insert(cluster_key, b);
                }
            }
            "ResourceQuota" => {
                self.objects
                    .quotas
                    .insert(key, parse_quota(namespace, name, root));
            }
            "ConfigMap" | "Secret" => {
                let mut data = string_map(root.get("data"));
                if kind == "Secret" {
                    // `data` is base64; `stringData` is merged over it in clear text.
                    for v in data.values_mut() {
                        *v = super::config::base64_decode(v).unwrap_or_else(|| v.clone());
                    }
                    data.extend(string_map(root.get("stringData")));
                } else {
                    for (k, _) in string_map(root.get("binaryData")) {
                        data.entry(k).or_insert_with(|| "<binary>".into());
                    }
                }
                self.write_config(kind == "Secret", key, data);
            }
            "Namespace" => {
                let mut labels = string_map(root.at("metadata.labels"));
                labels.insert("kubernetes.io/metadata.name".into(), name.to_owned());
                self.objects.namespaces.insert(name.to_owned(), labels);
            }
            "ServiceAccount" => {
                self.objects.service_accounts.insert(key);
            }
            "StorageClass" => {
                self.objects.storage_classes.insert(name.to_owned());
            }
            "PriorityClass" => {
                let value = root.get("value").and_then(Node::as_i64).unwrap_or(0);
                let global = root.get("globalDefault").and_then(Node::as_bool) == Some(true);
                self.objects
                    .priority_classes
                    .insert(name.to_owned(), (value, global));
            }
            _ => return,
        }
        if matches!(kind, "Ingress" | "NetworkPolicy" | "Namespace" | "Secret") {
            self.network_changed();
        }
        self.changed = true;
    }

    /// Writes a new version of a ConfigMap (or Secret) and wakes the pods waiting for it.
    pub(crate) fn write_config(&mut self, secret: bool, key: Key, data: BTreeMap<String, String>) {
        let now = self.now;
        let store = if secret {
            &mut self.objects.secrets
        } else {
            &mut self.objects.config_maps
        };
        let entry = store.entry(key.clone()).or_default();
        if entry.current() == Some(&data) {
            return;
        }
        if entry.versions.last().is_some_and(|v| v.at == now) {
            entry.versions.pop();
        }
        if entry.versions.len() >= MAX_VERSIONS {
            entry.versions.remove(0);
        }
        entry.versions.push(DataVersion { at: now, data });
        self.config_written(secret, &key);
    }
}
