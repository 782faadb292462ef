//! Typed specs the simulator runs, read from the positioned YAML after the API server's
//! defaulting. Each keeps the text range of the field that causes behaviour (the probe, the
//! limit, the image) so events can point back to the line.

use std::collections::BTreeMap;

use crate::model::{IntOrPercent, Quantity, Selector, containers};
use crate::text::TextRange;
use crate::yaml::{Node, Resolved};

use super::app::AppBehaviour;

/// A probe handler, as far as the simulated app can answer it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handler {
    Http { path: String, port: String },
    Tcp { port: String },
    Exec { command: String },
    Grpc { port: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeSpec {
    pub handler: Handler,
    pub initial_delay: i64,
    pub period: i64,
    pub timeout: i64,
    pub success_threshold: i64,
    pub failure_threshold: i64,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    pub image_range: TextRange,
    /// `Always`, `IfNotPresent` or `Never`, defaulted from the tag as the API server does.
    pub pull_policy: String,
    pub cpu_request_milli: i64,
    pub memory_request: i64,
    /// Whether the container has a CPU request (set, or defaulted from its limit); the
    /// scheduler's scores count a missing one as 100m.
    pub cpu_request_set: bool,
    /// Whether the container has a memory request; a missing one scores as 200Mi.
    pub memory_request_set: bool,
    pub cpu_limit_milli: Option<i64>,
    pub memory_limit: Option<i64>,
    pub limit_range: Option<TextRange>,
    pub ports: Vec<(Option<String>, i64)>,
    pub liveness: Option<ProbeSpec>,
    pub readiness: Option<ProbeSpec>,
    pub startup: Option<ProbeSpec>,
    /// Seconds of a `preStop` sleep (native `sleep` handler or `exec` of `sleep N`).
    pub pre_stop_sleep: i64,
    /// Environment variables with a literal `value` (name, value), as the process sees them.
    pub env: Vec<(String, String)>,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PodTemplate {
    pub labels: BTreeMap<String, String>,
    pub containers: Vec<ContainerSpec>,
    pub init_containers: Vec<ContainerSpec>,
    pub restart_policy: String,
    pub termination_grace: i64,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<Toleration>,
    /// Node affinity, pod (anti-)affinity and topology spread constraints.
    pub scheduling: super::scheduler::spec::SchedulingSpec,
    pub app: AppBehaviour,
    /// The ConfigMaps and Secrets the pod consumes (env, envFrom, volumes).
    pub config_refs: Vec<super::config::ConfigRef>,
    /// `serviceAccountName` (`default` when absent): the identity the pod's token carries.
    pub service_account: String,
    /// `priorityClassName`, resolved to a priority by admission (`Sim::pod_priority`).
    pub priority_class: Option<String>,
    /// `hostname` and `subdomain`: with a headless Service named like the subdomain, the
    /// pod gets the DNS name `<hostname>.<subdomain>.<namespace>.svc.cluster.local`. A
    /// StatefulSet sets both on its pods: the pod's own name (`hostname_is_name`) and
    /// `serviceName`.
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub hostname_is_name: bool,
    /// A stable hash of the template, for ReplicaSet names and change detection.
    pub hash: u32,
    /// The template as written (`metadata` and `spec`, as kubectl sends them), which
    /// `kubectl get -o yaml` prints with the API server's defaults.
    pub source: std::rc::Rc<crate::value::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toleration {
    pub key: Option<String>,
    pub operator: String,
    pub value: Option<String>,
    pub effect: Option<String>,
}

fn str_of(node: Option<&Node>) -> Option<String> {
    node.and_then(|n| n.as_scalar()).map(|s| s.value.clone())
}

fn quantity_of(node: Option<&Node>) -> Option<Quantity> {
    let n = node?;
    let text = match n.resolve()? {
        Resolved::Str(s) => s.to_owned(),
        Resolved::Int(i) => i.to_string(),
        Resolved::Float(f) => f.to_string(),
        _ => return None,
    };
    Quantity::parse(&text).ok()
}

fn clamp_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn int_or(node: Option<&Node>, default: i64) -> i64 {
    node.and_then(Node::as_i64)
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

fn probe(entry: Option<&crate::yaml::Entry>) -> Option<ProbeSpec> {
    let entry = entry?;
    let n = Some(&entry.value).filter(|n| n.as_mapping().is_some())?;
    let port = |h: &Node| {
        h.get("port")
            .and_then(|p| p.as_scalar())
            .map(|s| s.value.clone())
            .unwrap_or_default()
    };
    let handler = if let Some(h) = n.get("httpGet") {
        Handler::Http {
            path: str_of(h.get("path")).unwrap_or_else(|| "/".into()),
            port: port(h),
        }
    } else if let Some(h) = n.get("tcpSocket") {
        Handler::Tcp { port: port(h) }
    } else if let Some(h) = n.get("grpc") {
        Handler::Grpc { port: port(h) }
    } else {
        let command = n
            .at("exec.command")
            .and_then(Node::as_sequence)
            .map(|c| {
                c.iter()
                    .filter_map(|a| a.as_scalar().map(|s| s.value.clone()))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        Handler::Exec { command }
    };
    // SetDefaults_Probe: zero or absent means the default.
    Some(ProbeSpec {
        handler,
        initial_delay: n
            .get("initialDelaySeconds")
            .and_then(Node::as_i64)
            .unwrap_or(0)
            .max(0),
        period: int_or(n.get("periodSeconds"), 10),
        timeout: int_or(n.get("timeoutSeconds"), 1),
        success_threshold: int_or(n.get("successThreshold"), 1),
        failure_threshold: int_or(n.get("failureThreshold"), 3),
        range: entry.key.range.cover(n.range),
    })
}

fn pre_stop_sleep(c: &Node) -> i64 {
    let Some(pre) = c.at("lifecycle.preStop") else {
        return 0;
    };
    if let Some(s) = pre.at("sleep.seconds").and_then(Node::as_i64) {
        return s.max(0);
    }
    let words: Vec<String> = pre
        .at("exec.command")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.as_scalar().map(|s| s.value.clone()))
        .collect();
    let joined = words.join(" ");
    joined
        .split([' ', ';', '&'])
        .skip_while(|w| *w != "sleep")
        .nth(1)
        .and_then(|n| n.parse::<f64>().ok())
        .map_or(0, |f| f.ceil() as i64)
}

/// The fully qualified reference containerd pulls for `image` (`reference.ParseDockerRef`
/// in `github.com/distribution/reference`): a first path component with a `.` or `:`, or
/// `localhost`, is a registry and is kept; otherwise the image is on Docker Hub
/// (`docker.io`, official images under `library/`). Without a tag or digest the tag is
/// `latest`; with both, only the digest is kept.
#[must_use]
pub fn docker_reference(image: &str) -> String {
    let parts = crate::advise::container_util::image_ref(image);
    let (repository, tag, digest) = (parts.name, parts.tag, parts.digest);
    let qualified = match repository.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
            let registry = if first == "index.docker.io" {
                "docker.io"
            } else {
                first
            };
            format!("{registry}/{rest}")
        }
        Some(_) => format!("docker.io/{repository}"),
        None => format!("docker.io/library/{repository}"),
    };
    match (digest, tag) {
        (Some(digest), _) => format!("{qualified}@{digest}"),
        (None, Some(tag)) => format!("{qualified}:{tag}"),
        (None, None) => format!("{qualified}:latest"),
    }
}

/// Image pull policy defaulting (`SetDefaults_Container`): `:latest` or no tag → Always.
#[must_use]
pub fn default_pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None | Some((_, "latest")) => "Always",
        Some(_) => "IfNotPresent",
    }
}

fn container(c: &Node) -> ContainerSpec {
    let image = str_of(c.get("image")).unwrap_or_default();
    let res = c.get("resources");
    let requests = res.and_then(|r| r.get("requests"));
    let limits = res.and_then(|r| r.get("limits"));
    let cpu_limit = quantity_of(limits.and_then(|l| l.get("cpu")));
    let mem_limit = quantity_of(limits.and_then(|l| l.get("memory")));
    // A limit without a request key defaults the request (SetDefaults_Pod).
    let cpu_req = if requests.and_then(|r| r.get("cpu")).is_some() {
        quantity_of(requests.and_then(|r| r.get("cpu")))
    } else {
        cpu_limit
    };
    let mem_req = if requests.and_then(|r| r.get("memory")).is_some() {
        quantity_of(requests.and_then(|r| r.get("memory")))
    } else {
        mem_limit
    };
    let ports = c
        .get("ports")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Some((str_of(p.get("name")), p.get("containerPort")?.as_i64()?)))
        .collect();
    ContainerSpec {
        name: str_of(c.get("name")).unwrap_or_default(),
        pull_policy: str_of(c.get("imagePullPolicy"))
            .unwrap_or_else(|| default_pull_policy(&image).to_owned()),
        image_range: c.get("image").map_or(c.range, |n| n.range),
        image,
        cpu_request_milli: cpu_req.map_or(0, |q| clamp_i64(q.millis())),
        memory_request: mem_req.map_or(0, |q| clamp_i64(q.units())),
        cpu_request_set: cpu_req.is_some(),
        memory_request_set: mem_req.is_some(),
        cpu_limit_milli: cpu_limit.map(|q| clamp_i64(q.millis())),
        memory_limit: mem_limit.map(|q| clamp_i64(q.units())),
        limit_range: limits.and_then(|l| l.get("memory")).map(|n| n.range),
        ports,
        liveness: probe(c.entry("livenessProbe")),
        readiness: probe(c.entry("readinessProbe")),
        startup: probe(c.entry("startupProbe")),
        pre_stop_sleep: pre_stop_sleep(c),
        env: c
            .get("env")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| Some((str_of(e.get("name"))?, str_of(e.get("value"))?)))
            .collect(),
        range: c.range,
    }
}

/// FNV-1a, 32 bits: stable names (ReplicaSet hashes) on every platform.
#[must_use]
pub fn fnv32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `{metadata, spec}` of a template as kubectl sends them.
fn template_source(metadata: Option<&Node>, spec: &Node) -> crate::value::Value {
    let mut v = crate::value::Value::default();
    if let Some(m) = metadata {
        v.set("metadata", crate::value::Value::from_node(m));
    }
    v.set("spec", crate::value::Value::from_node(spec));
    v
}

/// Reads a pod template (`metadata` + `spec` of a Pod or workload template).
#[must_use]
pub fn pod_template(text: &str, metadata: Option<&Node>, spec: &Node) -> PodTemplate {
    let labels = metadata
        .and_then(|m| m.get("labels"))
        .map(|l| {
            l.string_map()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let annotations: BTreeMap<String, String> = metadata
        .and_then(|m| m.get("annotations"))
        .map(|l| {
            l.string_map()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let all = containers(spec, "spec");
    let tolerations = spec
        .get("tolerations")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .map(|t| Toleration {
            key: str_of(t.get("key")),
            operator: str_of(t.get("operator")).unwrap_or_else(|| "Equal".into()),
            value: str_of(t.get("value")),
            effect: str_of(t.get("effect")),
        })
        .collect();
    let mut range = spec.range;
    if let Some(m) = metadata {
        range = range.cover(m.range);
    }
    let hash_source = text.get(range.start..range.end).unwrap_or("");
    PodTemplate {
        labels,
        containers: all
            .iter()
            .filter(|c| !c.init)
            .map(|c| container(c.node))
            .collect(),
        init_containers: all
            .iter()
            .filter(|c| c.init)
            .map(|c| container(c.node))
            .collect(),
        restart_policy: str_of(spec.get("restartPolicy")).unwrap_or_else(|| "Always".into()),
        termination_grace: spec
            .get("terminationGracePeriodSeconds")
            .and_then(Node::as_i64)
            .unwrap_or(30)
            .max(0),
        node_selector: spec
            .get("nodeSelector")
            .map(|l| {
                l.string_map()
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        tolerations,
        scheduling: super::scheduler::spec::scheduling_spec(spec),
        app: AppBehaviour::from_annotations(&annotations),
        config_refs: super::config::config_refs(spec),
        service_account: str_of(spec.get("serviceAccountName"))
            .or_else(|| str_of(spec.get("serviceAccount")))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".into()),
        priority_class: str_of(spec.get("priorityClassName")).filter(|s| !s.is_empty()),
        hostname: str_of(spec.get("hostname")).filter(|s| !s.is_empty()),
        subdomain: str_of(spec.get("subdomain")).filter(|s| !s.is_empty()),
        hostname_is_name: false,
        hash: fnv32(hash_source.as_bytes()),
        source: std::rc::Rc::new(template_source(metadata, spec)),
    }
}

/// A Deployment as the controller sees it after defaulting.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentSpec {
    pub replicas: i64,
    pub selector: Selector,
    pub recreate: bool,
    pub max_surge: IntOrPercent,
    pub max_unavailable: IntOrPercent,
    pub min_ready_seconds: i64,
    pub revision_history_limit: i64,
    pub progress_deadline_seconds: i64,
    pub paused: bool,
    pub template: std::rc::Rc<PodTemplate>,
}

#[must_use]
pub fn deployment(text: &str, root: &Node) -> Option<DeploymentSpec> {
    let spec = root.get("spec")?;
    let tpl = spec.get("template")?;
    let tpl_spec = tpl.get("spec")?;
    let strategy = spec.get("strategy");
    let recreate = strategy.and_then(|s| s.get("type")).and_then(Node::as_str) == Some("Recreate");
    let field = |name: &str| {
        strategy
            .and_then(|s| s.at(&format!("rollingUpdate.{name}")))
            .and_then(IntOrPercent::from_node)
            .unwrap_or(IntOrPercent::Percent(25))
    };
    Some(DeploymentSpec {
        replicas: spec
            .get("replicas")
            .and_then(Node::as_i64)
            .unwrap_or(1)
            .max(0),
        selector: spec
            .get("selector")
            .map(Selector::from_label_selector)
            .unwrap_or_default(),
        recreate,
        max_surge: field("maxSurge"),
        max_unavailable: field("maxUnavailable"),
        min_ready_seconds: spec
            .get("minReadySeconds")
            .and_then(Node::as_i64)
            .unwrap_or(0)
            .max(0),
        revision_history_limit: spec
            .get("revisionHistoryLimit")
            .and_then(Node::as_i64)
            .unwrap_or(10)
            .max(0),
        progress_deadline_seconds: spec
            .get("progressDeadlineSeconds")
            .and_then(Node::as_i64)
            .unwrap_or(600)
            .max(1),
        paused: spec.get("paused").and_then(Node::as_bool).unwrap_or(false),
        template: std::rc::Rc::new(pod_template(text, tpl.get("metadata"), tpl_spec)),
    })
}

#[cfg(test)]
mod tests {
    use super::docker_reference;

    #[test]
    fn image_references_are_qualified_as_containerd_pulls_them() {
        // Cases from distribution/reference's normalize_test.go.
        for (image, want) in [
            ("nginx", "docker.io/library/nginx:latest"),
            ("nginx:1.27", "docker.io/library/nginx:1.27"),
            ("bitnami/redis:7.2", "docker.io/bitnami/redis:7.2"),
            (
                "docker.io/library/nginx:1.27",
                "docker.io/library/nginx:1.27",
            ),
            (
                "index.docker.io/library/nginx",
                "docker.io/library/nginx:latest",
            ),
            (
                "registry.example.com/shop/web:1.4.0",
                "registry.example.com/shop/web:1.4.0",
            ),
            ("localhost:5000/app", "localhost:5000/app:latest"),
            ("localhost/app:v1", "localhost/app:v1"),
            ("ghcr.io/org/tool", "ghcr.io/org/tool:latest"),
            (
                "nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000",
                "docker.io/library/nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000",
            ),
        ] {
            assert_eq!(docker_reference(image), want, "{image}");
        }
    }
}
