//! The goal vocabulary: what a lesson step asks of the learner's manifest, as data.
//! Every goal is documented with an example in `docs/lessons.md`.

use serde::Serialize;

use super::behaviour::{self, Behaviour};
use super::session::CommandPattern;
use super::{LessonError, Reader};
use crate::sim::app::Millis;
use crate::sim::parse_duration;
use crate::yaml::Node;

/// A bound on a count: `atLeast`, `atMost`, `exactly` (any combination).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bound {
    pub at_least: Option<i64>,
    pub at_most: Option<i64>,
    pub exactly: Option<i64>,
}

impl Bound {
    #[must_use]
    pub fn holds(&self, n: i64) -> bool {
        self.at_least.is_none_or(|m| n >= m)
            && self.at_most.is_none_or(|m| n <= m)
            && self.exactly.is_none_or(|m| n == m)
    }

    /// `at least 3`, `at most 2`, `exactly 1`.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.exactly {
            parts.push(format!("exactly {n}"));
        }
        if let Some(n) = self.at_least {
            parts.push(format!("at least {n}"));
        }
        if let Some(n) = self.at_most {
            parts.push(format!("at most {n}"));
        }
        parts.join(" and ")
    }
}

/// When a time-dependent goal is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum When {
    /// The state at this instant (the last snapshot at or before it).
    At(Millis),
    /// At some instant up to and including this one.
    By(Millis),
    /// At every instant in `[from, to]`.
    During(Millis, Millis),
    /// At every instant of the run.
    Always,
    /// At the end of the run.
    End,
}

impl When {
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::At(t) => format!("at t={}", secs(*t)),
            Self::By(t) => format!("by t={}", secs(*t)),
            Self::During(a, b) => format!("from t={} to t={}", secs(*a), secs(*b)),
            Self::Always => "at all times".into(),
            Self::End => "at the end".into(),
        }
    }

    /// The latest instant this refers to, if any.
    #[must_use]
    pub const fn horizon(&self) -> Option<Millis> {
        match self {
            Self::At(t) | Self::By(t) | Self::During(_, t) => Some(*t),
            Self::Always | Self::End => None,
        }
    }
}

/// `60s`, `2m30s`.
#[must_use]
pub fn secs(ms: Millis) -> String {
    let s = ms / 1000;
    if ms % 1000 != 0 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else if s >= 3600 && s % 60 == 0 {
        let (h, m) = (s / 3600, (s / 60) % 60);
        if m == 0 {
            format!("{h}h")
        } else {
            format!("{h}h{m}m")
        }
    } else if s >= 60 && s % 60 == 0 {
        format!("{}m", s / 60)
    } else if s > 60 {
        format!("{}m{}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// One goal of a step. In `lesson.yaml` a goal is a one-key mapping (the goal's name and its
/// parameters), optionally with `text:` to word it for the learner.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Goal {
    /// No error-severity diagnostic (what the API server or kubectl would refuse).
    NoErrors,
    /// The diagnostic `code` is not reported (on `object` `Kind/name` if given).
    NoDiagnostic {
        code: String,
        object: Option<String>,
    },
    /// The diagnostic `code` is reported (the learner must trigger it).
    Diagnostic {
        code: String,
        object: Option<String>,
    },
    /// The pods of `workload` have this QoS class (from the analysis' facts).
    Qos { workload: String, class: String },
    /// An object of this kind and name is in the manifest.
    ObjectExists {
        kind: String,
        name: String,
        namespace: Option<String>,
    },
    /// A field of an object has a value (or exists when `equals` is absent).
    Field {
        kind: String,
        name: String,
        path: String,
        equals: Option<String>,
    },
    /// The Service selects the pods of `workload` (facts).
    Selects { service: String, workload: String },
    /// The resolved rollout bounds of a Deployment (facts).
    Rollout {
        deployment: String,
        max_surge: Option<i64>,
        max_unavailable: Option<i64>,
    },
    /// The Deployment's desired replicas.
    Replicas {
        deployment: String,
        bound: Bound,
        when: When,
    },
    /// The Deployment's available replicas.
    Available {
        deployment: String,
        bound: Bound,
        when: When,
    },
    /// The number of endpoints (ready pod addresses) of a Service.
    Endpoints {
        service: String,
        bound: Bound,
        when: When,
    },
    /// The number of ready pods of a workload (every pod, and at least one, when no bound).
    Ready {
        workload: String,
        bound: Option<Bound>,
        when: When,
    },
    /// Every pod of the workload is in this phase (and there is one).
    PodPhase {
        workload: String,
        phase: String,
        when: When,
    },
    /// Some pod of the workload shows this STATUS reason (`CrashLoopBackOff`, `Pending`...).
    PodStatus {
        workload: String,
        reason: String,
        when: When,
    },
    /// A container of the workload ended with this reason and/or exit code.
    LastExit {
        workload: String,
        reason: Option<String>,
        exit_code: Option<i32>,
        by: Millis,
    },
    /// No container of the workload restarts up to `within`.
    NoRestarts { workload: String, within: Millis },
    /// A pod of the workload has restarted at least `count` times by `by`.
    RestartsAtLeast {
        workload: String,
        count: u32,
        by: Millis,
    },
    /// Once the Deployment has `available` pods, it never has fewer (through rollouts).
    RolloutNeverBelow {
        deployment: String,
        available: i64,
        until: Option<Millis>,
    },
    /// The HPA's current replicas reach at least `replicas` by `by`.
    HpaReaches {
        hpa: String,
        replicas: i64,
        by: Millis,
    },
    /// The HPA has at most `replicas` at `at` (it scaled back down).
    HpaAtMost {
        hpa: String,
        replicas: i64,
        at: Millis,
    },
    /// An event with this reason (on an object whose `kind/name` starts with `object`).
    Event {
        reason: String,
        object: Option<String>,
        by: Option<Millis>,
    },
    /// No such event during the run.
    NoEvent {
        reason: String,
        object: Option<String>,
    },
    /// At the end of the run, a pod of `from` may (or, with `allowed: false`, may not) open
    /// a connection to a pod of `to` on `port` (NetworkPolicy). `canReach` / `cannotReach`.
    Reach {
        from: String,
        to: String,
        port: i64,
        allowed: bool,
    },
    /// `kubectl auth can-i VERB RESOURCE --as WHO -n NAMESPACE` at the end of the run
    /// (RBAC). `canI` / `cannotI`.
    CanI {
        who: String,
        verb: String,
        resource: String,
        namespace: String,
        allowed: bool,
    },
    /// At the end of the run, every running pod of `workload` sees `key` = `value` of the
    /// ConfigMap (or Secret) `name`, through an environment variable or a mounted file.
    SeesConfig {
        workload: String,
        name: String,
        key: String,
        value: String,
    },
    /// The learner ran a kubectl query in the kubectl bar (`ran`; see `session`).
    Ran(CommandPattern),
    /// A request of the scenario to `host` + `path` is answered by a pod of `service` or
    /// `workload`.
    RequestReaches {
        host: Option<String>,
        path: String,
        service: Option<String>,
        workload: Option<String>,
    },
    /// What the cluster does over the run (Jobs, CronJobs, deletion, DNS, TLS, claims; see
    /// `behaviour`).
    #[serde(untagged)]
    Behaviour(Behaviour),
}

impl Goal {
    /// Whether the goal needs the simulator.
    #[must_use]
    pub const fn needs_time(&self) -> bool {
        !matches!(
            self,
            Self::NoErrors
                | Self::NoDiagnostic { .. }
                | Self::Diagnostic { .. }
                | Self::Qos { .. }
                | Self::ObjectExists { .. }
                | Self::Field { .. }
                | Self::Selects { .. }
                | Self::Rollout { .. }
                | Self::Ran(_)
        )
    }

    /// The latest instant the goal looks at.
    #[must_use]
    pub fn horizon(&self) -> Option<Millis> {
        match self {
            Self::Replicas { when, .. }
            | Self::Available { when, .. }
            | Self::Endpoints { when, .. }
            | Self::Ready { when, .. }
            | Self::PodPhase { when, .. }
            | Self::PodStatus { when, .. } => when.horizon(),
            Self::LastExit { by, .. }
            | Self::RestartsAtLeast { by, .. }
            | Self::HpaReaches { by, .. }
            | Self::NoRestarts { within: by, .. }
            | Self::HpaAtMost { at: by, .. } => Some(*by),
            Self::Event { by, .. } => *by,
            Self::RolloutNeverBelow { until, .. } => *until,
            Self::Behaviour(b) => b.horizon(),
            _ => None,
        }
    }

    /// The goal in plain words, when the lesson does not word it.
    #[must_use]
    pub fn describe(&self) -> String {
        humanize(&self.describe_raw())
    }

    fn describe_raw(&self) -> String {
        match self {
            Self::NoErrors => "The manifest has no errors".into(),
            Self::NoDiagnostic { code, object } => match object {
                Some(o) => format!("No `{code}` finding on {o}"),
                None => format!("No `{code}` finding"),
            },
            Self::Diagnostic { code, object } => match object {
                Some(o) => format!("kubeplay reports `{code}` on {o}"),
                None => format!("kubeplay reports `{code}`"),
            },
            Self::Qos { workload, class } => format!("The pods of {workload} are {class}"),
            Self::ObjectExists { kind, name, .. } => {
                let article = if kind.starts_with(['A', 'E', 'I', 'O', 'U']) {
                    "an"
                } else {
                    "a"
                };
                format!("There is {article} {kind} named `{name}`")
            }
            Self::Field {
                kind,
                name,
                path,
                equals,
            } => match equals {
                Some(v) => format!("{kind}/{name} has `{path}: {v}`"),
                None => format!("{kind}/{name} sets `{path}`"),
            },
            Self::Selects { service, workload } => {
                format!("Service `{service}` selects the pods of {workload}")
            }
            Self::Rollout {
                deployment,
                max_surge,
                max_unavailable,
            } => {
                let mut p = Vec::new();
                if let Some(s) = max_surge {
                    p.push(format!("maxSurge resolves to {s}"));
                }
                if let Some(u) = max_unavailable {
                    p.push(format!("maxUnavailable resolves to {u}"));
                }
                format!("The rollout of {deployment}: {}", p.join(", "))
            }
            Self::Replicas {
                deployment,
                bound,
                when,
            } => format!(
                "{deployment} wants {} replicas {}",
                bound.describe(),
                when.describe()
            ),
            Self::Available {
                deployment,
                bound,
                when,
            } => format!(
                "{} pods of {deployment} are available {}",
                cap(&bound.describe()),
                when.describe()
            ),
            Self::Endpoints {
                service,
                bound,
                when,
            } => format!(
                "Service `{service}` has {} endpoints {}",
                bound.describe(),
                when.describe()
            ),
            Self::Ready {
                workload,
                bound,
                when,
            } => match bound {
                Some(b) => format!(
                    "{} pods of {workload} are ready {}",
                    cap(&b.describe()),
                    when.describe()
                ),
                None if workload.starts_with("pod/") => {
                    format!("{workload} is ready {}", when.describe())
                }
                None => format!("Every pod of {workload} is ready {}", when.describe()),
            },
            Self::PodPhase {
                workload,
                phase,
                when,
            } if workload.starts_with("pod/") => {
                format!("{workload} is {phase} {}", when.describe())
            }
            Self::PodPhase {
                workload,
                phase,
                when,
            } => format!("The pods of {workload} are {phase} {}", when.describe()),
            Self::PodStatus {
                workload,
                reason,
                when,
            } => format!("A pod of {workload} shows {reason} {}", when.describe()),
            Self::LastExit {
                workload,
                reason,
                exit_code,
                by,
            } => format!(
                "A container of {workload} ends with {}{} by t={}",
                reason.as_deref().unwrap_or("an exit"),
                exit_code
                    .map(|c| format!(" (exit code {c})"))
                    .unwrap_or_default(),
                secs(*by)
            ),
            Self::NoRestarts { workload, within } => {
                format!(
                    "No container of {workload} restarts in the first {}",
                    secs(*within)
                )
            }
            Self::RestartsAtLeast {
                workload,
                count,
                by,
            } => format!(
                "A pod of {workload} restarts at least {count} time{} by t={}",
                if *count == 1 { "" } else { "s" },
                secs(*by)
            ),
            Self::RolloutNeverBelow {
                deployment,
                available,
                ..
            } => format!(
                "Once up, {deployment} never has fewer than {available} available pods, rollouts included"
            ),
            Self::HpaReaches { hpa, replicas, by } => {
                format!(
                    "HPA `{hpa}` scales to at least {replicas} replicas by t={}",
                    secs(*by)
                )
            }
            Self::HpaAtMost { hpa, replicas, at } => {
                format!(
                    "HPA `{hpa}` is back to at most {replicas} replicas at t={}",
                    secs(*at)
                )
            }
            Self::Event { reason, object, .. } => match object {
                Some(o) => format!("A `{reason}` event on {o}"),
                None => format!("A `{reason}` event"),
            },
            Self::NoEvent { reason, object } => match object {
                Some(o) => format!("No `{reason}` event on {o}"),
                None => format!("No `{reason}` event"),
            },
            Self::Reach {
                from,
                to,
                port,
                allowed,
            } => format!(
                "A pod of {from} {} a pod of {to} on port {port}",
                if *allowed {
                    "can reach"
                } else {
                    "cannot reach"
                }
            ),
            Self::CanI {
                who,
                verb,
                resource,
                namespace,
                allowed,
            } => format!(
                "{who} {} {verb} {resource} in namespace {namespace}",
                if *allowed { "can" } else { "cannot" }
            ),
            Self::SeesConfig {
                workload,
                name,
                key,
                value,
            } => format!("The pods of {workload} see {key}={value} from `{name}` at the end"),
            Self::Ran(pattern) => pattern.describe(),
            Self::Behaviour(b) => b.describe(),
            Self::RequestReaches {
                host,
                path,
                service,
                workload,
            } => format!(
                "A request to {}{path} reaches {}",
                host.as_deref().unwrap_or(""),
                service
                    .as_ref()
                    .map(|s| format!("Service `{s}`"))
                    .or_else(|| workload.as_ref().map(|w| format!("a pod of {w}")))
                    .unwrap_or_default()
            ),
        }
    }
}

/// `deployment/web` → `` `web` ``, `pod/hello` → ``Pod `hello` ``: references as a learner
/// reads them, in generated goal texts.
fn humanize(text: &str) -> String {
    const KINDS: &[(&str, &str)] = &[
        ("deployment/", ""),
        ("statefulset/", "StatefulSet "),
        ("daemonset/", "DaemonSet "),
        ("job/", "Job "),
        ("pod/", "Pod "),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        let at_word = out
            .chars()
            .last()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '/' || c == '`'));
        if at_word {
            for (prefix, label) in KINDS {
                let Some(after) = rest.strip_prefix(prefix) else {
                    continue;
                };
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
                    .unwrap_or(after.len());
                let name = after[..end].trim_end_matches('.');
                if name.is_empty() {
                    continue;
                }
                out.push_str(label);
                out.push('`');
                out.push_str(name);
                out.push('`');
                rest = &after[name.len()..];
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A goal with the wording shown to the learner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WordedGoal {
    pub text: String,
    #[serde(flatten)]
    pub goal: Goal,
}

pub(super) struct Params<'r, 'a> {
    pub(super) r: &'r Reader<'a>,
    pub(super) node: &'r Node,
    pub(super) name: &'r str,
}

impl Params<'_, '_> {
    pub(super) fn opt(&self, key: &str) -> Option<String> {
        Reader::opt(self.node, key)
    }

    pub(super) fn req(&self, key: &str) -> Result<String, LessonError> {
        self.opt(key).filter(|s| !s.is_empty()).ok_or_else(|| {
            self.r
                .error(self.node, format!("goal `{}` needs `{key}`", self.name))
        })
    }

    pub(super) fn int(&self, key: &str) -> Result<Option<i64>, LessonError> {
        match self.node.get(key) {
            None => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| {
                self.r.error(
                    v,
                    format!("goal `{}`: `{key}` must be a whole number", self.name),
                )
            }),
        }
    }

    pub(super) fn req_int(&self, key: &str) -> Result<i64, LessonError> {
        self.int(key)?.ok_or_else(|| {
            self.r
                .error(self.node, format!("goal `{}` needs `{key}`", self.name))
        })
    }

    pub(super) fn time(&self, key: &str) -> Result<Option<Millis>, LessonError> {
        match self.opt(key) {
            None => Ok(None),
            Some(v) => parse_duration(&v).map(Some).ok_or_else(|| {
                self.r.error(
                    self.node,
                    format!("goal `{}`: `{key}` is not a duration: {v}", self.name),
                )
            }),
        }
    }

    pub(super) fn req_time(&self, key: &str) -> Result<Millis, LessonError> {
        self.time(key)?.ok_or_else(|| {
            self.r
                .error(self.node, format!("goal `{}` needs `{key}`", self.name))
        })
    }

    pub(super) fn bound(&self) -> Result<Option<Bound>, LessonError> {
        let b = Bound {
            at_least: self.int("atLeast")?,
            at_most: self.int("atMost")?,
            exactly: self.int("exactly")?.or(self.int("count")?),
        };
        Ok((b != Bound::default()).then_some(b))
    }

    pub(super) fn req_bound(&self) -> Result<Bound, LessonError> {
        self.bound()?.ok_or_else(|| {
            self.r.error(
                self.node,
                format!(
                    "goal `{}` needs `atLeast`, `atMost` or `exactly`",
                    self.name
                ),
            )
        })
    }

    pub(super) fn when(&self) -> Result<When, LessonError> {
        if let Some(t) = self.time("at")? {
            return Ok(When::At(t));
        }
        if let Some(t) = self.time("by")? {
            return Ok(When::By(t));
        }
        if let Some(d) = self.node.get("during") {
            let from = Reader::opt(d, "from").and_then(|v| parse_duration(&v));
            let to = Reader::opt(d, "to").and_then(|v| parse_duration(&v));
            return match (from, to) {
                (Some(a), Some(b)) if a <= b => Ok(When::During(a, b)),
                _ => Err(self.r.error(
                    d,
                    "`during` needs `from` and `to` durations, `from` not after `to`",
                )),
            };
        }
        if self.node.get("always").and_then(Node::as_bool) == Some(true) {
            return Ok(When::Always);
        }
        Ok(When::End)
    }
}

const KEYS: &[(&str, &[&str])] = &[
    ("noErrors", &[]),
    ("noDiagnostic", &["code", "object"]),
    ("diagnostic", &["code", "object"]),
    ("qos", &["workload", "class"]),
    ("objectExists", &["kind", "name", "namespace"]),
    ("field", &["kind", "name", "path", "equals"]),
    ("selects", &["service", "workload"]),
    ("rollout", &["deployment", "maxSurge", "maxUnavailable"]),
    ("replicas", &["deployment", "atLeast", "atMost", "exactly"]),
    ("available", &["deployment", "atLeast", "atMost", "exactly"]),
    (
        "endpoints",
        &["service", "atLeast", "atMost", "exactly", "count"],
    ),
    ("ready", &["workload", "atLeast", "atMost", "exactly"]),
    ("podPhase", &["workload", "phase"]),
    ("podStatus", &["workload", "reason"]),
    ("lastExit", &["workload", "reason", "exitCode", "by"]),
    ("noRestarts", &["workload", "within"]),
    ("restartsAtLeast", &["workload", "count", "by"]),
    ("rolloutNeverBelow", &["deployment", "available", "until"]),
    ("hpaReaches", &["hpa", "replicas", "by"]),
    ("hpaAtMost", &["hpa", "replicas", "at"]),
    ("event", &["reason", "object", "by"]),
    ("noEvent", &["reason", "object"]),
    ("requestReaches", &["host", "path", "service", "workload"]),
    ("canReach", &["from", "to", "port"]),
    ("cannotReach", &["from", "to", "port"]),
    ("canI", &["as", "verb", "resource", "namespace"]),
    (
        "seesConfig",
        &["workload", "configMap", "secret", "key", "value"],
    ),
    ("cannotI", &["as", "verb", "resource", "namespace"]),
    ("ran", &["command", "about"]),
];

const WHEN_KEYS: &[&str] = &["at", "by", "during", "always"];
const TIMED: &[&str] = &[
    "replicas",
    "available",
    "endpoints",
    "ready",
    "podPhase",
    "podStatus",
    "running",
];

/// The names of every goal type, for docs and error messages.
#[must_use]
pub fn goal_types() -> Vec<&'static str> {
    KEYS.iter()
        .chain(behaviour::KEYS)
        .map(|(k, _)| *k)
        .collect()
}

pub(crate) fn parse(r: &Reader<'_>, node: &Node) -> Result<WordedGoal, LessonError> {
    let entries = node
        .as_mapping()
        .ok_or_else(|| r.error(node, "a goal is a mapping: `- available: {...}`"))?;
    let mut text = None;
    let mut found = None;
    for e in entries {
        let key = e.key.as_scalar().map_or("", |s| s.value.as_str());
        if key == "text" {
            text = e.value.as_scalar().map(|s| s.value.clone());
        } else if found.is_some() {
            return Err(r.error(
                &e.key,
                format!("one goal per list item; `{key}` is a second"),
            ));
        } else {
            found = Some((key, &e.value));
        }
    }
    let (name, params) = found.ok_or_else(|| r.error(node, "the goal has no type"))?;
    let Some((_, allowed)) = KEYS.iter().chain(behaviour::KEYS).find(|(k, _)| *k == name) else {
        let near = KEYS
            .iter()
            .chain(behaviour::KEYS)
            .map(|(k, _)| (crate::suggest::edit_distance(name, k), *k))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, k)| k);
        return Err(r.error(
            node,
            format!(
                "unknown goal `{name}`{}",
                near.map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default()
            ),
        ));
    };
    if let Some(entries) = params.as_mapping() {
        for e in entries {
            let key = e.key.as_scalar().map_or("", |s| s.value.as_str());
            if !(allowed.contains(&key) || (TIMED.contains(&name) && WHEN_KEYS.contains(&key))) {
                return Err(r.error(&e.key, format!("goal `{name}` has no parameter `{key}`")));
            }
        }
    } else if !params.is_null() {
        return Err(r.error(
            params,
            format!("goal `{name}` takes a mapping of parameters"),
        ));
    }
    let p = Params {
        r,
        node: params,
        name,
    };
    if matches!(name, "noDiagnostic" | "diagnostic")
        && let Some(code) = p.opt("code")
        && !crate::registry::rules().any(|rule| rule.code == code)
    {
        return Err(r.error(
            params,
            format!("goal `{name}`: no check has the code `{code}` (see docs/checks.md)"),
        ));
    }
    let goal = match name {
        "noErrors" => Goal::NoErrors,
        "noDiagnostic" => Goal::NoDiagnostic {
            code: p.req("code")?,
            object: p.opt("object"),
        },
        "diagnostic" => Goal::Diagnostic {
            code: p.req("code")?,
            object: p.opt("object"),
        },
        "qos" => {
            let class = p.req("class")?;
            if !matches!(class.as_str(), "Guaranteed" | "Burstable" | "BestEffort") {
                return Err(r.error(params, "`class` is Guaranteed, Burstable or BestEffort"));
            }
            Goal::Qos {
                workload: p.req("workload")?,
                class,
            }
        }
        "objectExists" => Goal::ObjectExists {
            kind: p.req("kind")?,
            name: p.req("name")?,
            namespace: p.opt("namespace"),
        },
        "field" => Goal::Field {
            kind: p.req("kind")?,
            name: p.req("name")?,
            path: p.req("path")?,
            equals: p.opt("equals"),
        },
        "selects" => Goal::Selects {
            service: p.req("service")?,
            workload: p.req("workload")?,
        },
        "rollout" => Goal::Rollout {
            deployment: p.req("deployment")?,
            max_surge: p.int("maxSurge")?,
            max_unavailable: p.int("maxUnavailable")?,
        },
        "replicas" => Goal::Replicas {
            deployment: p.req("deployment")?,
            bound: p.req_bound()?,
            when: p.when()?,
        },
        "available" => Goal::Available {
            deployment: p.req("deployment")?,
            bound: p.req_bound()?,
            when: p.when()?,
        },
        "endpoints" => Goal::Endpoints {
            service: p.req("service")?,
            bound: p.req_bound()?,
            when: p.when()?,
        },
        "ready" => Goal::Ready {
            workload: p.req("workload")?,
            bound: p.bound()?,
            when: p.when()?,
        },
        "podPhase" => Goal::PodPhase {
            workload: p.req("workload")?,
            phase: p.req("phase")?,
            when: p.when()?,
        },
        "podStatus" => Goal::PodStatus {
            workload: p.req("workload")?,
            reason: p.req("reason")?,
            when: p.when()?,
        },
        "lastExit" => {
            let exit_code = p
                .int("exitCode")?
                .map(|c| i32::try_from(c).map_err(|_| r.error(params, "`exitCode` is too large")))
                .transpose()?;
            let reason = p.opt("reason");
            if reason.is_none() && exit_code.is_none() {
                return Err(r.error(params, "goal `lastExit` needs `reason` or `exitCode`"));
            }
            Goal::LastExit {
                workload: p.req("workload")?,
                reason,
                exit_code,
                by: p.req_time("by")?,
            }
        }
        "noRestarts" => Goal::NoRestarts {
            workload: p.req("workload")?,
            within: p.req_time("within")?,
        },
        "restartsAtLeast" => Goal::RestartsAtLeast {
            workload: p.req("workload")?,
            count: u32::try_from(p.req_int("count")?)
                .map_err(|_| r.error(params, "`count` must be a positive number"))?,
            by: p.req_time("by")?,
        },
        "rolloutNeverBelow" => Goal::RolloutNeverBelow {
            deployment: p.req("deployment")?,
            available: p.req_int("available")?,
            until: p.time("until")?,
        },
        "hpaReaches" => Goal::HpaReaches {
            hpa: p.req("hpa")?,
            replicas: p.req_int("replicas")?,
            by: p.req_time("by")?,
        },
        "hpaAtMost" => Goal::HpaAtMost {
            hpa: p.req("hpa")?,
            replicas: p.req_int("replicas")?,
            at: p.req_time("at")?,
        },
        "event" => Goal::Event {
            reason: p.req("reason")?,
            object: p.opt("object"),
            by: p.time("by")?,
        },
        "noEvent" => Goal::NoEvent {
            reason: p.req("reason")?,
            object: p.opt("object"),
        },
        "canReach" | "cannotReach" => Goal::Reach {
            from: p.req("from")?,
            to: p.req("to")?,
            port: p.int("port")?.unwrap_or(80),
            allowed: name == "canReach",
        },
        "seesConfig" => Goal::SeesConfig {
            workload: p.req("workload")?,
            name: p
                .opt("configMap")
                .or_else(|| p.opt("secret"))
                .ok_or_else(|| {
                    r.error(params, "goal `seesConfig` needs `configMap` or `secret`")
                })?,
            key: p.req("key")?,
            value: p.opt("value").unwrap_or_default(),
        },
        "canI" | "cannotI" => Goal::CanI {
            who: p.req("as")?,
            verb: p.req("verb")?,
            resource: p.req("resource")?,
            namespace: p.opt("namespace").unwrap_or_else(|| "default".into()),
            allowed: name == "canI",
        },
        "ran" => Goal::Ran(
            CommandPattern::new(&p.req("command")?, p.opt("about"))
                .map_err(|m| r.error(params, m))?,
        ),
        "requestReaches" => {
            let service = p.opt("service");
            let workload = p.opt("workload");
            if service.is_none() && workload.is_none() {
                return Err(r.error(
                    params,
                    "goal `requestReaches` needs `service` or `workload`",
                ));
            }
            Goal::RequestReaches {
                host: p.opt("host"),
                path: p.req("path")?,
                service,
                workload,
            }
        }
        _ => match behaviour::parse(&p)? {
            Some(b) => Goal::Behaviour(b),
            None => return Err(r.error(node, format!("unknown goal `{name}`"))),
        },
    };
    Ok(WordedGoal {
        text: text.unwrap_or_else(|| goal.describe()),
        goal,
    })
}

#[cfg(test)]
mod tests {
    use super::humanize;

    #[test]
    fn references_read_as_names() {
        assert_eq!(
            humanize("The pods of deployment/web are Running"),
            "The pods of `web` are Running"
        );
        assert_eq!(
            humanize("A `Started` event on pod/web."),
            "A `Started` event on Pod `web`."
        );
        assert_eq!(
            humanize("a request to /api/pod/x"),
            "a request to /api/pod/x"
        );
        assert_eq!(humanize("job/"), "job/");
    }
}
