//! ResourceQuota admission for the pods the ReplicaSet controller creates.
//!
//! Semantics (`apiserver/pkg/admission/plugin/resourcequota/controller.go` `checkRequest`,
//! `pkg/quota/v1/evaluator/core/pods.go` `Constraints`, `podComputeUsageHelper`,
//! `PodUsageFunc`, `QuotaV1Pod`):
//! - A quota tracking `cpu`/`requests.cpu`, `memory`/`requests.memory`, `limits.cpu` or
//!   `limits.memory` makes every container (and init container) name that resource
//!   explicitly, else `failed quota: NAME: must specify RES for: CONTAINERS[; ...]`.
//! - Usage counts every pod of the namespace not Succeeded/Failed (terminating pods still
//!   count until their grace period ends); a new pod is refused when any tracked resource
//!   would go over `hard`: `exceeded quota: NAME, requested: R=V, used: R=V, limited: R=V`
//!   (only the exceeded resources, sorted, joined with commas).
//! - The refused create is reported by the controller as a Warning `FailedCreate` event
//!   `Error creating: pods "web-7d4b9c-" is forbidden: ...` (`admission`).
//! - Object-count quota (`count/deployments.apps`, `services`, `configmaps`, `secrets`,
//!   `count/ingresses.networking.k8s.io`, …) refuses creating one object too many, as
//!   `kubectl apply` reports: `Error from server (Forbidden): deployments.apps "web" is
//!   forbidden: exceeded quota: ...`.
//! - Scopes (`BestEffort`, `NotBestEffort`, `Terminating`, `NotTerminating`) select which
//!   pods a quota covers; `scopeSelector` and PriorityClass scopes are not modelled.
//!
//! Idealisation: an explicit request of `0` counts as absent.

use std::collections::BTreeMap;

use super::cluster::Pod;
use super::engine::Sim;
use super::spec::PodTemplate;
use crate::model::Quantity;
use crate::yaml::Node;

/// An exceeded resource: (name, requested, used, hard, binary).
type Exceeded<'a> = (&'a str, i128, i128, i128, bool);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quota {
    pub name: String,
    pub namespace: String,
    /// Hard limits: resource name → (value in milli-units, written as a binary quantity).
    pub hard: BTreeMap<String, (i128, bool)>,
    pub scopes: Vec<String>,
}

#[must_use]
pub fn parse_quota(namespace: &str, name: &str, root: &Node) -> Quota {
    let hard = root
        .at("spec.hard")
        .and_then(Node::as_mapping)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let key = e.key.as_scalar()?.value.clone();
            let text = e.value.as_scalar()?.value.clone();
            let q = Quantity::parse(&text).ok()?;
            Some((key, (q.millis(), text.contains('i'))))
        })
        .collect();
    Quota {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        hard,
        scopes: root
            .at("spec.scopes")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
    }
}

/// Formats milli-units as Kubernetes prints a canonical quantity (`500m`, `2`, `1536Mi`).
#[must_use]
pub fn format_quantity(milli: i128, binary: bool) -> String {
    if milli % 1000 != 0 {
        return format!("{milli}m");
    }
    let units = milli / 1000;
    if units == 0 {
        return "0".into();
    }
    if binary {
        for (suffix, factor) in [
            ("Ei", 1i128 << 60),
            ("Pi", 1 << 50),
            ("Ti", 1 << 40),
            ("Gi", 1 << 30),
            ("Mi", 1 << 20),
            ("Ki", 1 << 10),
        ] {
            if units % factor == 0 {
                return format!("{}{suffix}", units / factor);
            }
        }
        return units.to_string();
    }
    for (suffix, factor) in [
        ("E", 1_000_000_000_000_000_000i128),
        ("P", 1_000_000_000_000_000),
        ("T", 1_000_000_000_000),
        ("G", 1_000_000_000),
        ("M", 1_000_000),
        ("k", 1_000),
    ] {
        if units % factor == 0 {
            return format!("{}{suffix}", units / factor);
        }
    }
    units.to_string()
}

/// The quota usage of one pod (`PodUsageFunc`): pods, requests and limits in milli-units.
fn usage(t: &PodTemplate) -> BTreeMap<&'static str, i128> {
    // Effective requests: the larger of the sum of containers and any init container.
    let sum = |f: &dyn Fn(&super::spec::ContainerSpec) -> i64| -> i128 {
        let main: i128 = t.containers.iter().map(|c| i128::from(f(c))).sum();
        t.init_containers
            .iter()
            .map(|c| i128::from(f(c)))
            .fold(main, i128::max)
    };
    let cpu = sum(&|c| c.cpu_request_milli);
    let mem = sum(&|c| c.memory_request) * 1000;
    let cpu_limit = sum(&|c| c.cpu_limit_milli.unwrap_or(0));
    let mem_limit = sum(&|c| c.memory_limit.unwrap_or(0)) * 1000;
    BTreeMap::from([
        ("pods", 1000),
        ("count/pods", 1000),
        ("cpu", cpu),
        ("requests.cpu", cpu),
        ("memory", mem),
        ("requests.memory", mem),
        ("limits.cpu", cpu_limit),
        ("limits.memory", mem_limit),
    ])
}

fn best_effort(t: &PodTemplate) -> bool {
    super::views::template_qos(t) == "BestEffort"
}

fn covers(q: &Quota, t: &PodTemplate) -> bool {
    q.scopes.iter().all(|s| match s.as_str() {
        "BestEffort" => best_effort(t),
        "NotBestEffort" => !best_effort(t),
        // No activeDeadlineSeconds in the simulated templates.
        "Terminating" => false,
        _ => true,
    })
}

/// Whether a container names the resource (`podComputeUsageHelper` keys).
fn container_has(c: &super::spec::ContainerSpec, resource: &str) -> bool {
    match resource {
        "cpu" | "requests.cpu" => c.cpu_request_milli > 0,
        "memory" | "requests.memory" => c.memory_request > 0,
        "limits.cpu" => c.cpu_limit_milli.is_some(),
        "limits.memory" => c.memory_limit.is_some(),
        _ => true,
    }
}

/// The quota names that count objects of a kind, and the resource as error messages name
/// it (`object-count quota`: `count/<resource>.<group>`, plus the legacy core names).
fn counted(kind: &str) -> Option<(&'static [&'static str], &'static str)> {
    Some(match kind {
        "Deployment" => (&["count/deployments.apps"], "deployments.apps"),
        "Service" => (&["services", "count/services"], "services"),
        "ConfigMap" => (&["configmaps", "count/configmaps"], "configmaps"),
        "Secret" => (&["secrets", "count/secrets"], "secrets"),
        "Ingress" => (
            &["count/ingresses.networking.k8s.io"],
            "ingresses.networking.k8s.io",
        ),
        "HorizontalPodAutoscaler" => (
            &["count/horizontalpodautoscalers.autoscaling"],
            "horizontalpodautoscalers.autoscaling",
        ),
        _ => return None,
    })
}

impl Sim {
    /// Object-count quota on creating an object of `kind` (updates are not counted):
    /// the API server's message when it is refused.
    pub(crate) fn admit_object(&self, kind: &str, key: &super::engine::Key) -> Result<(), String> {
        let Some((names, resource)) = counted(kind) else {
            return Ok(());
        };
        let ns = key.0.as_str();
        let existing = |k: &super::engine::Key| -> bool {
            match kind {
                "Deployment" => self.deployments.contains_key(k),
                "Service" => self.services.contains_key(k),
                "ConfigMap" => self.objects.config_maps.contains_key(k),
                "Secret" => self.objects.secrets.contains_key(k),
                "Ingress" => self.objects.ingresses.contains_key(k),
                _ => self.hpas.contains_key(k),
            }
        };
        if existing(key) {
            return Ok(());
        }
        let used = match kind {
            "Deployment" => self.deployments.keys().filter(|k| k.0 == ns).count(),
            "Service" => self.services.keys().filter(|k| k.0 == ns).count(),
            "ConfigMap" => self
                .objects
                .config_maps
                .keys()
                .filter(|k| k.0 == ns)
                .count(),
            "Secret" => self.objects.secrets.keys().filter(|k| k.0 == ns).count(),
            "Ingress" => self.objects.ingresses.keys().filter(|k| k.0 == ns).count(),
            _ => self.hpas.keys().filter(|k| k.0 == ns).count(),
        } as i128;
        for q in self.objects.quotas.values().filter(|q| q.namespace == ns) {
            let exceeded: Vec<(&str, i128)> = names
                .iter()
                .filter_map(|n| {
                    let (hard, _) = q.hard.get(*n)?;
                    ((used + 1) * 1000 > *hard).then_some((*n, *hard / 1000))
                })
                .collect();
            if !exceeded.is_empty() {
                let list = |f: &dyn Fn(i128) -> i128| {
                    exceeded
                        .iter()
                        .map(|(n, h)| format!("{n}={}", f(*h)))
                        .collect::<Vec<_>>()
                        .join(",")
                };
                return Err(format!(
                    "{resource} \"{}\" is forbidden: exceeded quota: {}, requested: {}, used: {}, limited: {}",
                    key.1,
                    q.name,
                    list(&|_| 1),
                    list(&|_| used),
                    list(&|h| h)
                ));
            }
        }
        Ok(())
    }

    fn quota_used(&self, q: &Quota) -> BTreeMap<&'static str, i128> {
        let mut used: BTreeMap<&'static str, i128> = BTreeMap::new();
        let counted = |p: &&Pod| {
            p.namespace == q.namespace
                && p.phase != "Succeeded"
                && p.phase != "Failed"
                && covers(q, &p.template)
        };
        for p in self.pods.values().filter(counted) {
            for (k, v) in usage(&p.template) {
                *used.entry(k).or_insert(0) += v;
            }
        }
        used
    }

    /// ResourceQuota admission of a new pod from `template` in `namespace`: the API server's
    /// message when it is refused.
    pub(crate) fn admit_pod(
        &self,
        namespace: &str,
        name: &str,
        template: &PodTemplate,
    ) -> Result<(), String> {
        for q in self.objects.quotas.values() {
            if q.namespace != namespace || !covers(q, template) {
                continue;
            }
            let forbidden = |cause: String| format!("pods \"{name}\" is forbidden: {cause}");
            // Constraints: every container names each tracked cpu/memory resource.
            let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for res in q.hard.keys().filter(|r| {
                matches!(
                    r.as_str(),
                    "cpu"
                        | "memory"
                        | "requests.cpu"
                        | "requests.memory"
                        | "limits.cpu"
                        | "limits.memory"
                )
            }) {
                for c in template.containers.iter().chain(&template.init_containers) {
                    if !container_has(c, res) {
                        missing
                            .entry(res.as_str())
                            .or_default()
                            .push(c.name.as_str());
                    }
                }
            }
            if !missing.is_empty() {
                let parts: Vec<String> = missing
                    .iter_mut()
                    .map(|(r, names)| {
                        names.sort_unstable();
                        names.dedup();
                        format!("{r} for: {}", names.join(","))
                    })
                    .collect();
                return Err(forbidden(format!(
                    "failed quota: {}: must specify {}",
                    q.name,
                    parts.join("; ")
                )));
            }
            let requested = usage(template);
            let used = self.quota_used(q);
            let exceeded: Vec<Exceeded<'_>> = q
                .hard
                .iter()
                .filter_map(|(res, (hard, binary))| {
                    let req = *requested.get(res.as_str())?;
                    let u = used.get(res.as_str()).copied().unwrap_or(0);
                    (req > 0 && u + req > *hard).then_some((res.as_str(), req, u, *hard, *binary))
                })
                .collect();
            if !exceeded.is_empty() {
                let fmt = |res: &str, v: i128, binary: bool| {
                    let binary = binary || res.contains("memory");
                    let v = if res.contains("pods") {
                        (v / 1000).to_string()
                    } else {
                        format_quantity(v, binary)
                    };
                    format!("{res}={v}")
                };
                let list = |pick: &dyn Fn(&Exceeded<'_>) -> String| {
                    exceeded.iter().map(pick).collect::<Vec<_>>().join(",")
                };
                return Err(forbidden(format!(
                    "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                    q.name,
                    list(&|e| fmt(e.0, e.1, e.4)),
                    list(&|e| fmt(e.0, e.2, e.4)),
                    list(&|e| fmt(e.0, e.3, e.4)),
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::format_quantity;

    #[test]
    fn canonical_quantities() {
        assert_eq!(format_quantity(500, false), "500m");
        assert_eq!(format_quantity(2000, false), "2");
        assert_eq!(format_quantity(1500, false), "1500m");
        assert_eq!(format_quantity(1024 * 1024 * 1000 * 1536, true), "1536Mi");
        assert_eq!(format_quantity(1024 * 1024 * 1024 * 2000, true), "2Gi");
        assert_eq!(format_quantity(1_000_000_000_000, false), "1G");
        assert_eq!(format_quantity(0, false), "0");
    }
}
