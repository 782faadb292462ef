//! Goals about what the cluster does over the simulated run, beyond counters at an instant:
//! Jobs that complete or give up, CronJob runs, pods running at once, pods that keep serving
//! after deletion, StatefulSet order and claims, cluster DNS, TLS at the Ingress. Parsed
//! from `lesson.yaml` (`parse`), worded (`describe`) and checked against the simulation
//! (`evaluate`). Documented in docs/lessons.md.

use serde::Serialize;

use super::LessonError;
use super::evaluate::Outcome;
use super::goal::{Bound, Params, When};
use crate::model::Quantity;
use crate::sim::app::Millis;
use crate::sim::{Sim, Snapshot, parse_duration};

mod jobs;
mod network;
mod pods;
mod storage;

pub(super) use pods::identity;

/// The goal types of this module and their parameters (`running` also takes `at`, `by`,
/// `during`, `always`).
pub(super) const KEYS: &[(&str, &[&str])] = &[
    ("running", &["workload", "atLeast", "atMost", "exactly"]),
    ("jobComplete", &["job", "succeeded", "by"]),
    ("jobFailed", &["job", "reason", "failed", "by"]),
    ("cronJobRuns", &["cronJob", "at"]),
    ("keepsServing", &["workload", "atLeast"]),
    ("startsInOrder", &["workload", "pods"]),
    ("claim", &["name", "storage", "accessMode"]),
    ("envResolves", &["workload", "env", "service"]),
    ("resolves", &["name", "namespace", "pod", "service"]),
    ("tlsCertificate", &["host", "secret"]),
    ("requestStatus", &["host", "path", "status"]),
];

/// A goal about the cluster's behaviour over the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Behaviour {
    /// The number of pods of `workload` in phase Running (terminating ones included: their
    /// containers still run).
    Running {
        workload: String,
        bound: Bound,
        when: When,
    },
    /// The Job ends Complete (`jobComplete`) or Failed (`jobFailed`) by `by`, with this
    /// reason and this many succeeded (or failed) pods.
    JobEnds {
        job: String,
        failed: bool,
        reason: Option<String>,
        pods: Option<i64>,
        by: Millis,
    },
    /// The CronJob creates its Jobs at exactly these times of the run.
    CronJobRuns { cron_job: String, at: Vec<Millis> },
    /// Every pod of `workload` deleted during the run keeps its containers running at
    /// least this long after the deletion starts (preStop hook and shutdown).
    KeepsServing { workload: String, at_least: Millis },
    /// The pods are created one after another, each once the previous one is Ready.
    StartsInOrder { workload: String, pods: Vec<String> },
    /// At the end, the PersistentVolumeClaim exists and is Bound, with this size and mode.
    Claim {
        name: String,
        storage: Option<String>,
        access_mode: Option<String>,
    },
    /// The URL (or host) in environment variable `env` of the running pods of `workload`,
    /// resolved by cluster DNS from the pod's namespace, names `service` (`NAMESPACE/NAME`)
    /// on one of its ports, and that Service has ready endpoints.
    EnvResolves {
        workload: String,
        env: String,
        service: String,
    },
    /// At the end, `name` resolved from a pod of `namespace` answers with this pod or
    /// Service.
    Resolves {
        name: String,
        namespace: String,
        pod: Option<String>,
        service: Option<String>,
    },
    /// An https request of the scenario to `host` is answered with the certificate of the
    /// Secret `secret`.
    TlsCertificate { host: String, secret: String },
    /// The last request of the scenario to `host` + `path` got this status (404 for a host
    /// no rule serves, 308 for a redirect to https, 0 for a refused connection).
    RequestStatus {
        host: Option<String>,
        path: String,
        status: i64,
    },
}

fn list(p: &Params<'_, '_>, key: &str) -> Result<Vec<String>, LessonError> {
    let Some(n) = p.node.get(key) else {
        return Err(p
            .r
            .error(p.node, format!("goal `{}` needs `{key}`", p.name)));
    };
    let items: Vec<String> = match n.as_sequence() {
        Some(seq) => seq
            .iter()
            .map(|i| {
                i.as_scalar().map(|s| s.value.clone()).ok_or_else(|| {
                    p.r.error(i, format!("goal `{}`: `{key}` lists plain values", p.name))
                })
            })
            .collect::<Result<_, _>>()?,
        None => n
            .as_scalar()
            .map(|s| vec![s.value.clone()])
            .unwrap_or_default(),
    };
    if items.is_empty() {
        return Err(p.r.error(n, format!("goal `{}`: `{key}` is empty", p.name)));
    }
    Ok(items)
}

/// Parses a goal of this module; `None` when `name` is not one of [`KEYS`].
pub(super) fn parse(p: &Params<'_, '_>) -> Result<Option<Behaviour>, LessonError> {
    let goal = match p.name {
        "running" => Behaviour::Running {
            workload: p.req("workload")?,
            bound: p.req_bound()?,
            when: p.when()?,
        },
        "jobComplete" | "jobFailed" => {
            let failed = p.name == "jobFailed";
            Behaviour::JobEnds {
                job: p.req("job")?,
                failed,
                reason: p.opt("reason"),
                pods: p.int(if failed { "failed" } else { "succeeded" })?,
                by: p.req_time("by")?,
            }
        }
        "cronJobRuns" => Behaviour::CronJobRuns {
            cron_job: p.req("cronJob")?,
            at: list(p, "at")?
                .iter()
                .map(|t| {
                    parse_duration(t).ok_or_else(|| {
                        p.r.error(p.node, format!("goal `cronJobRuns`: `{t}` is not a time"))
                    })
                })
                .collect::<Result<_, _>>()?,
        },
        "keepsServing" => Behaviour::KeepsServing {
            workload: p.req("workload")?,
            at_least: p.req_time("atLeast")?,
        },
        "startsInOrder" => Behaviour::StartsInOrder {
            workload: p.req("workload")?,
            pods: list(p, "pods")?,
        },
        "claim" => {
            let storage = p.opt("storage");
            if let Some(s) = &storage
                && Quantity::parse(s).is_err()
            {
                return Err(p.r.error(
                    p.node,
                    format!("goal `claim`: `storage: {s}` is not a quantity like 10Gi"),
                ));
            }
            Behaviour::Claim {
                name: p.req("name")?,
                storage,
                access_mode: p.opt("accessMode"),
            }
        }
        "envResolves" => {
            let service = p.req("service")?;
            if !service.contains('/') {
                return Err(p.r.error(
                    p.node,
                    "goal `envResolves`: `service` is NAMESPACE/NAME (`shop/api`)",
                ));
            }
            Behaviour::EnvResolves {
                workload: p.req("workload")?,
                env: p.req("env")?,
                service,
            }
        }
        "resolves" => {
            let pod = p.opt("pod");
            let service = p.opt("service");
            if pod.is_some() == service.is_some() {
                return Err(p
                    .r
                    .error(p.node, "goal `resolves` needs `pod` or `service`"));
            }
            Behaviour::Resolves {
                name: p.req("name")?,
                namespace: p.opt("namespace").unwrap_or_else(|| "default".into()),
                pod,
                service,
            }
        }
        "tlsCertificate" => Behaviour::TlsCertificate {
            host: p.req("host")?.to_ascii_lowercase(),
            secret: p.req("secret")?,
        },
        "requestStatus" => Behaviour::RequestStatus {
            host: p.opt("host"),
            path: p.req("path")?,
            status: p.req_int("status")?,
        },
        _ => return Ok(None),
    };
    Ok(Some(goal))
}

/// `2h`, `24h2m`, `1m30s`, `5s`: a time of the run, zero parts left out.
pub(super) fn at(ms: Millis) -> String {
    let s = ms.max(0) / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    let mut out = String::new();
    for (n, unit) in [(h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

pub(super) fn snap_ms(s: &Snapshot) -> Millis {
    (s.t * 1000.0).round() as Millis
}

impl Behaviour {
    /// The latest instant the goal looks at.
    #[must_use]
    pub fn horizon(&self) -> Option<Millis> {
        match self {
            Self::Running { when, .. } => when.horizon(),
            Self::JobEnds { by, .. } => Some(*by),
            Self::CronJobRuns { at, .. } => at.iter().max().map(|t| t + 1000),
            _ => None,
        }
    }

    /// The goal in plain words.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Running {
                workload,
                bound,
                when,
            } => format!(
                "{} pods of {workload} run {}",
                bound.describe(),
                when.describe()
            ),
            Self::JobEnds {
                job,
                failed,
                reason,
                pods,
                by,
            } => {
                let (verb, counted) = if *failed {
                    ("fails", "failed")
                } else {
                    ("completes", "succeeded")
                };
                format!(
                    "Job `{job}` {verb}{}{} by t={}",
                    reason
                        .as_ref()
                        .map(|r| format!(" with reason {r}"))
                        .unwrap_or_default(),
                    pods.map(|n| format!(" after {n} {counted} pods"))
                        .unwrap_or_default(),
                    at(*by)
                )
            }
            Self::CronJobRuns {
                cron_job,
                at: times,
            } => format!(
                "CronJob `{cron_job}` creates a Job at t={} and at no other time",
                times
                    .iter()
                    .map(|t| at(*t))
                    .collect::<Vec<_>>()
                    .join(", t=")
            ),
            Self::KeepsServing { workload, at_least } => format!(
                "Each deleted pod of {workload} keeps running for at least {} after deletion",
                at(*at_least)
            ),
            Self::StartsInOrder { pods, .. } => {
                format!("{} start one after another, in order", pods.join(", "))
            }
            Self::Claim {
                name,
                storage,
                access_mode,
            } => format!(
                "The PersistentVolumeClaim `{name}` is Bound{}{}",
                storage
                    .as_ref()
                    .map(|s| format!(" with {s}"))
                    .unwrap_or_default(),
                access_mode
                    .as_ref()
                    .map(|m| format!(", {m}"))
                    .unwrap_or_default()
            ),
            Self::EnvResolves {
                workload,
                env,
                service,
            } => format!(
                "{env} of {workload} resolves to the Service {service}, which has endpoints"
            ),
            Self::Resolves {
                name,
                namespace,
                pod,
                service,
            } => format!(
                "`{name}` resolves from namespace {namespace} to {}",
                pod.as_ref().map_or_else(
                    || format!("Service `{}`", service.as_deref().unwrap_or_default()),
                    |p| format!("Pod `{p}`")
                )
            ),
            Self::TlsCertificate { host, secret } => {
                format!("HTTPS to {host} is served with the certificate in Secret `{secret}`")
            }
            Self::RequestStatus { host, path, status } => format!(
                "A request to {}{path} gets {status}",
                host.as_deref().unwrap_or("")
            ),
        }
    }

    /// Checks the goal against the simulation.
    pub(super) fn evaluate(&self, sim: &Sim) -> Outcome {
        match self {
            Self::Running {
                workload,
                bound,
                when,
            } => pods::running(sim, workload, bound, *when),
            Self::JobEnds {
                job,
                failed,
                reason,
                pods,
                by,
            } => jobs::job_ends(sim, job, *failed, reason.as_deref(), *pods, *by),
            Self::CronJobRuns { cron_job, at: want } => jobs::cron_runs(sim, cron_job, want),
            Self::KeepsServing { workload, at_least } => {
                pods::keeps_serving(sim, workload, *at_least)
            }
            Self::StartsInOrder { workload, pods } => pods::starts_in_order(sim, workload, pods),
            Self::Claim {
                name,
                storage,
                access_mode,
            } => storage::claim(sim, name, storage.as_deref(), access_mode.as_deref()),
            Self::EnvResolves {
                workload,
                env,
                service,
            } => network::env_resolves(sim, workload, env, service),
            Self::Resolves {
                name,
                namespace,
                pod,
                service,
            } => network::resolves(sim, name, namespace, pod.as_deref(), service.as_deref()),
            Self::TlsCertificate { host, secret } => network::tls_certificate(sim, host, secret),
            Self::RequestStatus { host, path, status } => {
                network::request_status(sim, host.as_deref(), path, *status)
            }
        }
    }
}
