//! Configuration semantics: ConfigMaps and Secrets consumed by pods.
//!
//! - Environment variables (`env[].valueFrom.configMapKeyRef`/`secretKeyRef`, `envFrom`)
//!   are resolved by the kubelet when it creates the container
//!   (`pkg/kubelet/kubelet_pods.go` `makeEnvironmentVariables`) and never change while it
//!   runs: an edit reaches them only when the container restarts. A missing object or key
//!   that is not `optional` fails the container creation: the container waits with reason
//!   `CreateContainerConfigError` and the kubelet records `Warning Failed Error: configmap
//!   "x" not found` (or `couldn't find key K in ConfigMap NS/NAME`). The kubelet retries;
//!   here it retries when the ConfigMap or Secret is written.
//! - Volumes (`configMap`, `secret`, `projected`) are mounted before any container starts;
//!   a missing object keeps the pod `ContainerCreating` with `Warning FailedMount
//!   MountVolume.SetUp failed for volume "v" : configmap "x" not found`. Mounted files
//!   follow edits after the kubelet's next sync: the docs ("Mounted ConfigMaps are updated
//!   automatically", `content/en/docs/concepts/configuration/configmap.md`) bound the delay
//!   by the kubelet sync period (`syncFrequency`, default 1m) plus the cache propagation
//!   delay (none with the default `Watch` change detection). The simulator uses the bound:
//!   [`KUBELET_SYNC_DELAY`] = 60 s. A `subPath` mount never sees edits (it is a bind mount
//!   of the file as it was at container start).

use std::collections::BTreeMap;

use super::app::Millis;
use super::cluster::{ContainerState, Pod};
use super::engine::Sim;
use super::spec::PodTemplate;
use crate::yaml::Node;

/// How long after an edit mounted ConfigMap/Secret files show the new data.
pub const KUBELET_SYNC_DELAY: Millis = 60_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigUse {
    /// `env[].valueFrom.configMapKeyRef` / `secretKeyRef`.
    Env {
        container: String,
        var: String,
        key: String,
    },
    /// `envFrom[].configMapRef` / `secretRef`.
    EnvFrom { container: String, prefix: String },
    /// A `configMap`/`secret` volume (or projected source) and where containers mount it:
    /// (container, mountPath, subPath).
    Volume {
        volume: String,
        items: Vec<(String, String)>,
        mounts: Vec<(String, String, Option<String>)>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigRef {
    pub secret: bool,
    pub name: String,
    pub optional: bool,
    pub usage: ConfigUse,
}

fn s(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_scalar).map(|v| v.value.clone())
}

fn optional(node: &Node) -> bool {
    node.get("optional")
        .and_then(Node::as_bool)
        .unwrap_or(false)
}

/// Every ConfigMap and Secret a pod spec consumes.
#[must_use]
pub fn config_refs(spec: &Node) -> Vec<ConfigRef> {
    let mut out = Vec::new();
    let containers = crate::model::containers(spec, "spec");
    for c in &containers {
        let cname = c.name.unwrap_or_default().to_owned();
        for ef in c
            .node
            .get("envFrom")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            for (field, secret) in [("configMapRef", false), ("secretRef", true)] {
                if let Some(r) = ef.get(field)
                    && let Some(name) = s(r.get("name"))
                {
                    out.push(ConfigRef {
                        secret,
                        name,
                        optional: optional(r),
                        usage: ConfigUse::EnvFrom {
                            container: cname.clone(),
                            prefix: s(ef.get("prefix")).unwrap_or_default(),
                        },
                    });
                }
            }
        }
        for e in c
            .node
            .get("env")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            for (field, secret) in [("configMapKeyRef", false), ("secretKeyRef", true)] {
                if let Some(r) = e.get("valueFrom").and_then(|v| v.get(field))
                    && let Some(name) = s(r.get("name"))
                {
                    out.push(ConfigRef {
                        secret,
                        name,
                        optional: optional(r),
                        usage: ConfigUse::Env {
                            container: cname.clone(),
                            var: s(e.get("name")).unwrap_or_default(),
                            key: s(r.get("key")).unwrap_or_default(),
                        },
                    });
                }
            }
        }
    }
    for v in spec
        .get("volumes")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
    {
        let Some(volume) = s(v.get("name")) else {
            continue;
        };
        let mounts: Vec<(String, String, Option<String>)> = containers
            .iter()
            .flat_map(|c| {
                let cname = c.name.unwrap_or_default().to_owned();
                c.node
                    .get("volumeMounts")
                    .and_then(Node::as_sequence)
                    .unwrap_or_default()
                    .iter()
                    .filter(|m| s(m.get("name")).as_deref() == Some(volume.as_str()))
                    .filter_map(move |m| {
                        Some((
                            cname.clone(),
                            s(m.get("mountPath"))?,
                            s(m.get("subPath")).filter(|p| !p.is_empty()),
                        ))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut sources: Vec<(&Node, bool)> = Vec::new();
        if let Some(cm) = v.get("configMap") {
            sources.push((cm, false));
        }
        if let Some(sec) = v.get("secret") {
            sources.push((sec, true));
        }
        for p in v
            .at("projected.sources")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            if let Some(cm) = p.get("configMap") {
                sources.push((cm, false));
            }
            if let Some(sec) = p.get("secret") {
                sources.push((sec, true));
            }
        }
        for (src, secret) in sources {
            let name_field = if secret && v.get("secret").is_some() {
                "secretName"
            } else {
                "name"
            };
            let Some(name) = s(src.get(name_field)) else {
                continue;
            };
            let items = src
                .get("items")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .filter_map(|i| Some((s(i.get("key"))?, s(i.get("path"))?)))
                .collect();
            out.push(ConfigRef {
                secret,
                name,
                optional: optional(src),
                usage: ConfigUse::Volume {
                    volume: volume.clone(),
                    items,
                    mounts: mounts.clone(),
                },
            });
        }
    }
    out
}

/// Decodes standard base64 (a Secret's `data`); `None` when it is not valid.
#[must_use]
pub fn base64_decode(text: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).ok()
}

fn kind_word(secret: bool) -> &'static str {
    if secret { "secret" } else { "configmap" }
}

/// A value a pod sees from a ConfigMap or Secret.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SeenValue {
    pub container: String,
    pub key: String,
    pub value: String,
    /// `env` or `file`.
    pub source: &'static str,
    /// The variable name, or the file path.
    pub at: String,
}

impl Sim {
    fn config_store(
        &self,
        secret: bool,
    ) -> &BTreeMap<super::engine::Key, super::objects::ConfigData> {
        if secret {
            &self.objects.secrets
        } else {
            &self.objects.config_maps
        }
    }

    /// Why a container cannot be created from its env references, in the kubelet's words.
    pub(crate) fn env_config_error(
        &self,
        namespace: &str,
        template: &PodTemplate,
        container: &str,
    ) -> Option<String> {
        for r in &template.config_refs {
            let key = match &r.usage {
                ConfigUse::Env {
                    container: c, key, ..
                } if c == container => Some(key),
                ConfigUse::EnvFrom { container: c, .. } if c == container => None,
                _ => continue,
            };
            let store = self.config_store(r.secret);
            let Some(data) = store
                .get(&(namespace.to_owned(), r.name.clone()))
                .and_then(super::objects::ConfigData::current)
            else {
                if r.optional {
                    continue;
                }
                return Some(format!("{} \"{}\" not found", kind_word(r.secret), r.name));
            };
            if let Some(key) = key
                && !data.contains_key(key)
                && !r.optional
            {
                return Some(format!(
                    "couldn't find key {key} in {} {namespace}/{}",
                    if r.secret { "Secret" } else { "ConfigMap" },
                    r.name
                ));
            }
        }
        None
    }

    /// Why the pod's volumes cannot be mounted, as the kubelet's FailedMount event says.
    pub(crate) fn mount_error(&self, pod: &Pod) -> Option<String> {
        for r in &pod.template.config_refs {
            let ConfigUse::Volume { volume, items, .. } = &r.usage else {
                continue;
            };
            let data = self
                .config_store(r.secret)
                .get(&(pod.namespace.clone(), r.name.clone()))
                .and_then(super::objects::ConfigData::current);
            let cause = match data {
                None if r.optional => continue,
                None => format!("{} \"{}\" not found", kind_word(r.secret), r.name),
                Some(d) => match items.iter().find(|(k, _)| !d.contains_key(k)) {
                    Some((k, _)) if !r.optional => format!(
                        "{} references non-existent {} key: {k}",
                        kind_word(r.secret),
                        if r.secret { "secret" } else { "config" }
                    ),
                    _ => continue,
                },
            };
            return Some(format!(
                "MountVolume.SetUp failed for volume \"{volume}\" : {cause}"
            ));
        }
        None
    }

    /// A ConfigMap or Secret was written: pods waiting for it try again.
    pub(crate) fn config_written(&mut self, secret: bool, key: &super::engine::Key) {
        let waiting: Vec<u64> = self
            .pods
            .values()
            .filter(|p| {
                p.namespace == key.0
                    && p.node.is_some()
                    && p.template
                        .config_refs
                        .iter()
                        .any(|r| r.secret == secret && r.name == key.1)
            })
            .map(|p| p.uid)
            .collect();
        for uid in waiting {
            self.objects.mount_failures.remove(&uid);
            self.wake_pod(uid, self.now);
        }
    }

    /// An `editConfigMap` step: the listed keys are set (kubectl edit / patch of `data`).
    pub(crate) fn edit_config_map(
        &mut self,
        namespace: &str,
        name: &str,
        data: &[(String, String)],
    ) -> bool {
        let key = (namespace.to_owned(), name.to_owned());
        let Some(mut current) = self
            .objects
            .config_maps
            .get(&key)
            .and_then(super::objects::ConfigData::current)
            .cloned()
        else {
            return false;
        };
        for (k, v) in data {
            current.insert(k.clone(), v.clone());
        }
        self.write_config(false, key, current);
        self.changed = true;
        self.update_stored("ConfigMap", namespace, name, |v| {
            let stored = v.map_mut("data");
            for (k, value) in data {
                stored.set(k, value.as_str());
            }
        });
        true
    }

    /// What a pod sees of a ConfigMap (or Secret) named `name` now: environment variables
    /// as they were when each container last started, and mounted files as of the kubelet's
    /// last sync. `pod` is `namespace/name` or a name in `default`.
    #[must_use]
    pub fn config_seen(&self, pod: &str, name: &str) -> Vec<SeenValue> {
        let (ns, pod_name) = pod.split_once('/').unwrap_or(("default", pod));
        let Some(p) = self
            .pods
            .values()
            .find(|p| p.namespace == ns && p.name == pod_name)
        else {
            return Vec::new();
        };
        let started = |container: &str| {
            p.containers
                .iter()
                .find(|c| c.name == container)
                .filter(|c| !matches!(c.state, ContainerState::Waiting { .. }) || c.restarts > 0)
                .map(|c| c.last_restart)
        };
        let mut out = Vec::new();
        for r in p.template.config_refs.iter().filter(|r| r.name == name) {
            let Some(cfg) = self
                .config_store(r.secret)
                .get(&(ns.to_owned(), r.name.clone()))
            else {
                continue;
            };
            match &r.usage {
                ConfigUse::Env {
                    container,
                    var,
                    key,
                } => {
                    if let Some(v) = started(container)
                        .and_then(|t| cfg.at(t))
                        .and_then(|d| d.get(key))
                    {
                        out.push(SeenValue {
                            container: container.clone(),
                            key: key.clone(),
                            value: v.clone(),
                            source: "env",
                            at: var.clone(),
                        });
                    }
                }
                ConfigUse::EnvFrom { container, prefix } => {
                    if let Some(d) = started(container).and_then(|t| cfg.at(t)) {
                        for (k, v) in d {
                            out.push(SeenValue {
                                container: container.clone(),
                                key: k.clone(),
                                value: v.clone(),
                                source: "env",
                                at: format!("{prefix}{k}"),
                            });
                        }
                    }
                }
                ConfigUse::Volume { items, mounts, .. } => {
                    // The version the kubelet last synced: edits older than the sync delay,
                    // or what existed when the pod was created (its first mount).
                    let synced = cfg
                        .versions
                        .iter()
                        .rev()
                        .find(|v| v.at <= p.created || v.at + KUBELET_SYNC_DELAY <= self.now)
                        .or(cfg.versions.first());
                    for (container, path, sub_path) in mounts {
                        let data = if sub_path.is_some() {
                            started(container).and_then(|t| cfg.at(t).or(synced.map(|v| &v.data)))
                        } else {
                            synced.map(|v| &v.data)
                        };
                        let Some(data) = data else {
                            continue;
                        };
                        let files: Vec<(String, String)> = if items.is_empty() {
                            data.keys().map(|k| (k.clone(), k.clone())).collect()
                        } else {
                            items.clone()
                        };
                        for (key, file) in files {
                            if let Some(sp) = sub_path
                                && *sp != file
                            {
                                continue;
                            }
                            let Some(v) = data.get(&key) else {
                                continue;
                            };
                            let full = if sub_path.is_some() {
                                path.clone()
                            } else {
                                format!("{}/{file}", path.trim_end_matches('/'))
                            };
                            out.push(SeenValue {
                                container: container.clone(),
                                key,
                                value: v.clone(),
                                source: "file",
                                at: full,
                            });
                        }
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::base64_decode;

    #[test]
    fn decodes_base64() {
        assert_eq!(base64_decode("cGFzc3dvcmQ=").as_deref(), Some("password"));
        assert_eq!(base64_decode("YWRtaW4=").as_deref(), Some("admin"));
        assert_eq!(base64_decode("not base64!"), None);
    }
}
