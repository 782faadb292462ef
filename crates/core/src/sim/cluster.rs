//! The simulated cluster's state: nodes, controllers' objects and pods. Plain data; the
//! controllers (scheduler, deployment, replicaset, kubelet, endpoints) change it.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use super::app::Millis;
use super::spec::{DeploymentSpec, PodTemplate};
use crate::model::Selector;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: String,
}

#[derive(Clone, Debug)]
pub struct SimNode {
    pub name: String,
    pub cpu_milli: i64,
    pub memory: i64,
    pub max_pods: i64,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    /// Images already pulled on this node.
    pub images: BTreeSet<String>,
    pub index: usize,
}

/// Who owns a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    None,
    ReplicaSet(String),
    Job(String),
    StatefulSet(String),
    DaemonSet(String),
}

impl Owner {
    /// `Kind/name` of the owning controller, as `kubectl describe pod` shows "Controlled By".
    #[must_use]
    pub fn describe(&self) -> Option<String> {
        match self {
            Self::None => None,
            Self::ReplicaSet(n) => Some(format!("ReplicaSet/{n}")),
            Self::Job(n) => Some(format!("Job/{n}")),
            Self::StatefulSet(n) => Some(format!("StatefulSet/{n}")),
            Self::DaemonSet(n) => Some(format!("DaemonSet/{n}")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerState {
    Waiting {
        reason: String,
    },
    Running {
        since: Millis,
    },
    Terminated {
        reason: String,
        exit_code: i32,
        at: Millis,
    },
}

/// Probe worker state (`pkg/kubelet/prober/worker.go`): the stored result changes only when a
/// run of identical results reaches the threshold.
#[derive(Clone, Debug, Default)]
pub struct ProbeState {
    pub next_at: Option<Millis>,
    pub result: bool,
    pub run_success: bool,
    pub run_len: i64,
}

#[derive(Clone, Debug)]
pub struct ContainerStatus {
    pub name: String,
    pub state: ContainerState,
    pub restarts: u32,
    pub ready: bool,
    /// The startup probe has succeeded (or there is none).
    pub started: bool,
    /// When the current pull finishes, if pulling.
    pub pull_until: Option<Millis>,
    /// Crash back-off entry (`None`: no entry, restart at once).
    pub backoff: Option<Millis>,
    pub last_restart: Millis,
    pub restart_at: Option<Millis>,
    pub image_backoff: Option<Millis>,
    /// Set when the kubelet decided to kill the container (liveness failure).
    pub kill_at: Option<(Millis, i32, &'static str)>,
    pub last_exit: Option<(String, i32)>,
    pub liveness: ProbeState,
    pub readiness: ProbeState,
    pub startup: ProbeState,
}

impl ContainerStatus {
    #[must_use]
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            state: ContainerState::Waiting {
                reason: "ContainerCreating".into(),
            },
            restarts: 0,
            ready: false,
            started: false,
            pull_until: None,
            backoff: None,
            last_restart: 0,
            restart_at: None,
            image_backoff: None,
            kill_at: None,
            last_exit: None,
            liveness: ProbeState::default(),
            readiness: ProbeState::default(),
            startup: ProbeState::default(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Pod {
    pub name: String,
    pub namespace: String,
    pub uid: u64,
    pub owner: Owner,
    pub labels: BTreeMap<String, String>,
    pub template: Rc<PodTemplate>,
    pub node: Option<String>,
    pub ip: Option<String>,
    pub created: Millis,
    pub deletion: Option<Millis>,
    pub phase: &'static str,
    pub containers: Vec<ContainerStatus>,
    pub ready_since: Option<Millis>,
    /// The scheduler's last reason for leaving the pod Pending.
    pub unschedulable: Option<String>,
    /// Deployment revision of the ReplicaSet that made the pod.
    pub revision: i64,
    /// Per-pod CPU usage set by `load` steps, in millicores.
    pub cpu_load: Option<i64>,
    /// `spec.priority`, set by the Priority admission plugin from the PriorityClass.
    pub priority: i64,
}

impl Pod {
    #[must_use]
    pub fn ready(&self) -> bool {
        self.ready_since.is_some()
    }

    #[must_use]
    pub fn terminating(&self) -> bool {
        self.deletion.is_some()
    }

    /// Ready for at least `min_ready` ms (`IsPodAvailable`).
    #[must_use]
    pub fn available(&self, min_ready: Millis, now: Millis) -> bool {
        !self.terminating() && self.ready_since.is_some_and(|s| s + min_ready <= now)
    }

    #[must_use]
    pub fn cpu_request(&self) -> i64 {
        self.template
            .containers
            .iter()
            .map(|c| c.cpu_request_milli)
            .sum()
    }

    #[must_use]
    pub fn memory_request(&self) -> i64 {
        self.template
            .containers
            .iter()
            .map(|c| c.memory_request)
            .sum()
    }

    #[must_use]
    pub fn restarts(&self) -> u32 {
        self.containers.iter().map(|c| c.restarts).sum()
    }
}

#[derive(Clone, Debug)]
pub struct ReplicaSet {
    pub name: String,
    pub namespace: String,
    pub deployment: Option<String>,
    pub replicas: i64,
    pub template: Rc<PodTemplate>,
    pub revision: i64,
    pub selector: Selector,
    pub created: Millis,
    pub min_ready_seconds: i64,
    /// Every pod this ReplicaSet created that still exists (an index kept by the simulator).
    pub pods: BTreeSet<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub kind: &'static str,
    pub status: &'static str,
    pub reason: &'static str,
    pub message: &'static str,
}

#[derive(Clone, Debug)]
pub struct Deployment {
    pub name: String,
    pub namespace: String,
    pub spec: DeploymentSpec,
    pub template: Rc<PodTemplate>,
    pub revision: i64,
    pub conditions: Vec<Condition>,
    /// Last time the rollout made progress (for `progressDeadlineSeconds`).
    pub last_progress: Millis,
    /// Last status, to detect progress.
    pub last_status: (i64, i64, i64, i64),
    pub source_line: u32,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub name: String,
    pub namespace: String,
    pub selector: Option<BTreeMap<String, String>>,
    pub ports: Vec<ServicePort>,
    /// Ready endpoints (pod names), as the endpoints controller last wrote them.
    pub endpoints: Vec<String>,
    /// `spec.publishNotReadyAddresses`: every selected pod with an IP is a ready endpoint.
    pub publish_not_ready: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: i64,
    /// `targetPort`: a number or a container port name (defaulted to `port`).
    pub target: String,
    pub protocol: String,
    /// The port opened on every node (`type: NodePort` or `LoadBalancer`; see `service`).
    pub node_port: Option<i64>,
}
