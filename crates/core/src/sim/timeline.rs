//! What the simulator records: snapshots of the cluster after every controller action,
//! events in `kubectl get events` wording, and routed requests. Serialises to the
//! `kubeplay simulate --format json` shape of DESIGN.md.

use std::rc::Rc;

use serde::Serialize;

use super::cluster::ServicePort;
use super::network::NetworkObjects;
use super::spec::PodTemplate;

/// A pod's template, shared with the simulator. Equal pointers short-cut the comparison (a
/// pod's template never changes while it lives, so a pod's successive views compare cheaply).
#[derive(Clone, Debug)]
pub struct TemplateRef(pub Rc<PodTemplate>);

impl PartialEq for TemplateRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionView {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentView {
    pub name: String,
    pub namespace: String,
    /// Pods of all its ReplicaSets (`status.replicas`).
    pub replicas: i64,
    /// What the Deployment asks for (`spec.replicas`, after scaling and autoscaling).
    pub desired_replicas: i64,
    pub updated_replicas: i64,
    pub ready_replicas: i64,
    pub available_replicas: i64,
    pub revision: i64,
    pub conditions: Vec<ConditionView>,
    /// The rollout band: minimum available and maximum total pods.
    pub min_available: i64,
    pub max_total: i64,
    /// The current pod template (not in the JSON output).
    #[serde(skip)]
    pub template: TemplateRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetView {
    pub name: String,
    pub deployment: Option<String>,
    pub revision: i64,
    pub replicas: i64,
    pub ready_replicas: i64,
    pub available_replicas: i64,
    /// Its namespace and pod template (not in the JSON output).
    #[serde(skip)]
    pub namespace: String,
    #[serde(skip)]
    pub template: TemplateRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerView {
    pub name: String,
    /// `waiting`, `running` or `terminated`.
    pub state: &'static str,
    pub reason: Option<String>,
    pub exit_code: Option<i32>,
    pub restarts: u32,
    pub ready: bool,
    /// Why the previous instance ended (`OOMKilled`, `Error`), as `kubectl describe` shows it.
    pub last_reason: Option<String>,
    pub last_exit_code: Option<i32>,
    /// When the running container started, in seconds (its memory grows from then on; not
    /// in the JSON output).
    #[serde(skip)]
    pub started_at: Option<f64>,
    /// When a terminated container ended, in seconds (not in the JSON output).
    #[serde(skip)]
    pub finished_at: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodView {
    pub name: String,
    pub namespace: String,
    pub owner: Option<String>,
    pub node: Option<String>,
    pub phase: &'static str,
    pub ready: bool,
    pub terminating: bool,
    pub restarts: u32,
    pub qos: &'static str,
    /// What `kubectl get pods` shows in STATUS when it is not the phase
    /// (`CrashLoopBackOff`, `ImagePullBackOff`, `OOMKilled`, `Terminating`), and the
    /// scheduler's reason for a Pending pod.
    pub reason: Option<String>,
    pub containers: Vec<ContainerView>,
    pub ip: Option<String>,
    pub revision: i64,
    pub cpu_request_milli: i64,
    pub memory_request: i64,
    /// For Service selectors and NetworkPolicy (not in the JSON output).
    /// Shared by the pod's successive views while they are equal.
    #[serde(skip)]
    pub labels: Rc<std::collections::BTreeMap<String, String>>,
    /// Its container ports, for Services and NetworkPolicy (not in the JSON output).
    #[serde(skip)]
    pub template: TemplateRef,
    /// When the pod was created and since when it is ready, in seconds (not in the JSON
    /// output).
    #[serde(skip)]
    pub created_at: f64,
    #[serde(skip)]
    pub ready_since: Option<f64>,
    /// `spec.priority` as admission set it (not in the JSON output).
    #[serde(skip)]
    pub priority: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HpaView {
    pub name: String,
    /// `spec.scaleTargetRef` as `kubectl get hpa` prints REFERENCE (`Deployment/web`).
    pub reference: String,
    pub min_replicas: i64,
    pub max_replicas: i64,
    pub current_replicas: i64,
    pub desired_replicas: i64,
    pub current_utilization: Option<i64>,
    pub target_utilization: Option<i64>,
    pub conditions: Vec<ConditionView>,
    /// CPU per pod of the target at the last sync, as `kubectl top` would show it.
    pub cpu: Option<CpuView>,
    /// The scale-down stabilisation window in seconds (300 without `behavior`): a chart can
    /// shade how long a high recommendation holds the replicas.
    pub scale_down_window_seconds: i64,
}

/// Average CPU of a workload's running pods: what the app asks for (`load`), what it gets
/// (throttled at the container limits), and how many pods hit their limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CpuView {
    /// Average CPU request of those pods: utilisation is usage over request.
    pub request_milli: i64,
    pub demand_milli: i64,
    pub usage_milli: i64,
    pub throttled_pods: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceView {
    pub name: String,
    /// Ready endpoints (pod names).
    pub endpoints: Vec<String>,
    #[serde(skip)]
    pub namespace: String,
    #[serde(skip)]
    pub selector: Option<std::collections::BTreeMap<String, String>>,
    #[serde(skip)]
    pub ports: Vec<ServicePort>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeView {
    pub name: String,
    #[serde(rename = "cpuMilli")]
    pub cpu_milli: i64,
    pub memory: i64,
    #[serde(rename = "cpuRequested")]
    pub cpu_requested: i64,
    #[serde(rename = "memoryRequested")]
    pub memory_requested: i64,
    pub unschedulable: bool,
    /// Working set of the node's pods plus other processes (bytes), as the kubelet's
    /// eviction manager sees it.
    #[serde(rename = "memoryUsed")]
    pub memory_used: i64,
    /// Of that, what processes other than pods use (the `memoryPressure` step; not in the
    /// JSON output).
    #[serde(skip)]
    pub memory_other: i64,
    /// The MemoryPressure condition (and so the node lifecycle controller's
    /// `node.kubernetes.io/memory-pressure:NoSchedule` taint).
    #[serde(rename = "memoryPressure")]
    pub memory_pressure: bool,
}

/// The cluster at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// Seconds since the start.
    pub t: f64,
    pub nodes: Vec<NodeView>,
    pub deployments: Vec<DeploymentView>,
    pub replica_sets: Vec<ReplicaSetView>,
    pub pods: Vec<Rc<PodView>>,
    pub hpas: Vec<HpaView>,
    pub services: Vec<ServiceView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<JobView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cron_jobs: Vec<CronJobView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stateful_sets: Vec<StatefulSetView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub daemon_sets: Vec<DaemonSetView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub persistent_volume_claims: Vec<ClaimView>,
    /// Ingresses, NetworkPolicies, namespaces and round-robin positions (not in the JSON
    /// output): with the pods and Services above, what `sim::network` answers from.
    #[serde(skip)]
    pub network: Rc<NetworkObjects>,
    /// The API server's copy of the applied objects (not in the JSON output), for
    /// `kubectl get -o yaml`.
    #[serde(skip)]
    pub stored: Rc<super::stored::Stored>,
}

/// A Job as `kubectl get job` and its status show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    pub name: String,
    pub namespace: String,
    pub completions: Option<i64>,
    pub parallelism: i64,
    pub active: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub conditions: Vec<ConditionView>,
    /// `CronJob/<name>` when a CronJob created it.
    pub owner: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobView {
    pub name: String,
    pub namespace: String,
    pub schedule: String,
    pub active: i64,
    pub last_schedule_time: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetView {
    pub name: String,
    pub namespace: String,
    pub replicas: i64,
    pub current_replicas: i64,
    pub ready_replicas: i64,
    pub updated_replicas: i64,
}

/// A PersistentVolumeClaim as `kubectl get pvc` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimView {
    pub name: String,
    pub namespace: String,
    /// `Bound` or `Pending`.
    pub phase: &'static str,
    /// The requested size as written (`10Gi`).
    pub storage: String,
    pub access_modes: Vec<String>,
    pub storage_class: String,
    /// `StatefulSet/<name>` for a claim made from a volume claim template.
    pub owner: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetView {
    pub name: String,
    pub namespace: String,
    pub desired_number_scheduled: i64,
    pub current_number_scheduled: i64,
    pub number_ready: i64,
    pub updated_number_scheduled: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub t: f64,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub reason: &'static str,
    /// `kind/name`, as `kubectl get events` prints it (`pod/web-5d4b8-x2k9q`).
    pub object: String,
    pub message: String,
    /// 1-based line in the manifest that caused it, where one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestResult {
    pub t: f64,
    pub request: String,
    pub status: u16,
    pub ingress: Option<String>,
    pub service: Option<String>,
    pub pod: Option<String>,
    pub reason: String,
    /// The Ingress rule that matched (not in the JSON output).
    #[serde(skip)]
    pub rule: Option<MatchedRule>,
    /// For an https request: the certificate the Ingress controller presented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<super::tls::TlsView>,
}

impl RequestResult {
    /// A request as sent, before routing answers it with `status` and the rest.
    #[must_use]
    pub const fn sent(t: f64, request: String, status: u16) -> Self {
        Self {
            t,
            request,
            status,
            ingress: None,
            service: None,
            pod: None,
            reason: String::new(),
            rule: None,
            tls: None,
        }
    }
}

/// Which Ingress rule a request selected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedRule {
    /// The rule's host; `None` for a rule without host or the defaultBackend.
    pub host: Option<String>,
    /// The path and its pathType; `None` for the defaultBackend.
    pub path: Option<(String, &'static str)>,
}

/// Everything a run produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Timeline {
    pub version: u32,
    pub timeline: Vec<Snapshot>,
    pub events: Vec<Event>,
    pub requests: Vec<RequestResult>,
    /// Problems with the scenario itself (missing objects, clamped numbers, budgets).
    pub warnings: Vec<String>,
    /// What each node registered with (it never changes; the controllers' taints follow
    /// from `unschedulable` and `memory_pressure` in each snapshot).
    #[serde(skip)]
    pub registered: std::collections::BTreeMap<String, Registration>,
}

/// A node's labels (with `kubernetes.io/hostname`) and taints as its kubelet registered it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registration {
    pub labels: std::collections::BTreeMap<String, String>,
    pub taints: Vec<super::cluster::Taint>,
}

/// A time as the playground's timeline bar shows it: `t=1m15s` (whole seconds, rounded down).
#[must_use]
pub fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("t={h}h{m}m{s}s")
    } else if m > 0 {
        format!("t={m}m{s}s")
    } else {
        format!("t={s}s")
    }
}

impl Timeline {
    /// The last snapshot at or before `t` seconds.
    #[must_use]
    pub fn at(&self, t: f64) -> Option<&Snapshot> {
        let i = self.timeline.partition_point(|s| s.t <= t);
        self.timeline.get(i.checked_sub(1)?)
    }
}
