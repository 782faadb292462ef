//! Checking a learner's text against a step's goals: the analysis for static goals, the
//! simulated timeline for goals over time. Every result says in plain words why.

use serde::Serialize;

use super::LessonStep;
use super::goal::{Goal, When, secs};
use crate::analyze::Analysis;
use crate::diagnostic::Severity;
use crate::model::Object;
use crate::sim::app::Millis;
use crate::sim::{
    Action, NodeSpec, PodView, Scenario, Sim, Snapshot, Step, Timeline, run_scenario,
};
use crate::yaml::Node;

/// The outcome of one goal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoalResult {
    /// The goal as the learner reads it.
    pub text: String,
    pub passed: bool,
    /// What was observed, in plain words ("at t=40s only 2 pods of web were available; the
    /// goal needs at least 3").
    pub detail: String,
}

/// The outcome of a step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepResult {
    pub goals: Vec<GoalResult>,
    /// Every goal passed.
    pub passed: bool,
    /// Whether the simulator ran (some goal needs time).
    pub simulated: bool,
    /// Simulated time in seconds, when it ran.
    pub until: Option<f64>,
    /// What the simulator could not do (objects it skipped, steps not simulated yet).
    pub warnings: Vec<String>,
}

/// Evaluates the learner's text against every goal of the step.
#[must_use]
pub fn evaluate(step: &LessonStep, learner: &str) -> StepResult {
    evaluate_commands(step, learner, &[])
}

/// [`evaluate`] with the kubectl command lines the learner ran, for `ran` goals.
#[must_use]
pub fn evaluate_commands(step: &LessonStep, learner: &str, commands: &[String]) -> StepResult {
    let analysis = crate::analyze(learner);
    let sim = step
        .goals
        .iter()
        .any(|g| g.goal.needs_time())
        .then(|| run_step(step, learner));
    evaluate_session(step, &analysis, sim.as_ref(), commands)
}

/// How long a step is simulated: its `until`, else the latest instant a goal or the
/// scenario looks at (plus a second), else two minutes.
#[must_use]
pub fn step_until(step: &LessonStep) -> Millis {
    if let Some(u) = step.until {
        return u;
    }
    let goals = step.goals.iter().filter_map(|g| g.goal.horizon()).max();
    let scenario = step.scenario.as_ref().map(|s| s.until);
    match (goals, scenario) {
        (None, None) => 120_000,
        (g, s) => (g.unwrap_or(0) + 1000).max(s.unwrap_or(0)),
    }
}

/// The timeline of [`run_step`].
#[must_use]
pub fn simulate_step(step: &LessonStep, learner: &str) -> Timeline {
    run_step(step, learner).timeline
}

/// Runs the step's scenario (or an empty one on the default cluster) with the learner's
/// manifest applied at t=0, up to [`step_until`]; the simulator is returned so that goals
/// about the final state (reachability, `can-i`) can ask it.
#[must_use]
pub fn run_step(step: &LessonStep, learner: &str) -> Sim {
    let mut scenario = step.scenario.clone().unwrap_or_else(|| Scenario {
        nodes: (1..=3)
            .map(|i| NodeSpec::default_named(format!("node-{i}")))
            .collect(),
        steps: Vec::new(),
        until: 0,
    });
    scenario.until = step_until(step);
    scenario.steps.insert(
        0,
        Step {
            at: 0,
            action: Action::Apply {
                path: None,
                inline: Some(learner.to_owned()),
            },
            namespace: "default".into(),
            line: 0,
        },
    );
    run_scenario(&scenario, &|p| {
        Err(format!("{p} is not part of the lesson"))
    })
}

/// Evaluates with an analysis and a simulation the caller already has (from [`run_step`]).
/// A goal that needs time fails when `sim` is `None`; `ran` goals fail (no kubectl session).
#[must_use]
pub fn evaluate_with(step: &LessonStep, analysis: &Analysis, sim: Option<&Sim>) -> StepResult {
    evaluate_session(step, analysis, sim, &[])
}

/// [`evaluate_with`] plus the kubectl command lines the learner ran (oldest first), which
/// `ran` goals look at.
#[must_use]
pub fn evaluate_session(
    step: &LessonStep,
    analysis: &Analysis,
    sim: Option<&Sim>,
    commands: &[String],
) -> StepResult {
    let timeline = sim.map(|s| &s.timeline);
    let goals: Vec<GoalResult> = step
        .goals
        .iter()
        .map(|g| {
            let outcome = if let Goal::Ran(pattern) = &g.goal {
                pattern.outcome(commands)
            } else if g.goal.needs_time() {
                match sim {
                    Some(sim) => timed(&g.goal, sim),
                    None => Err("this goal needs the simulation, which has not run".into()),
                }
            } else {
                static_goal(&g.goal, analysis)
            };
            let (passed, detail) = match outcome {
                Ok(d) => (true, d),
                Err(d) => (false, d),
            };
            GoalResult {
                text: g.text.clone(),
                passed,
                detail,
            }
        })
        .collect();
    StepResult {
        passed: goals.iter().all(|g| g.passed),
        goals,
        simulated: timeline.is_some(),
        until: timeline.and_then(|t| t.timeline.last()).map(|s| s.t),
        warnings: timeline.map(|t| t.warnings.clone()).unwrap_or_default(),
    }
}

pub(super) type Outcome = Result<String, String>;

/// `deployment/web` → (`Some("deployment")`, `web`); `web` → (`None`, `web`).
pub(super) fn split_ref(r: &str) -> (Option<String>, &str) {
    match r.split_once('/') {
        Some((k, n)) => (Some(k.to_ascii_lowercase()), n),
        None => (None, r),
    }
}

pub(super) fn kind_matches(kind: &str, want: &str) -> bool {
    let k = kind.to_ascii_lowercase();
    let w = want.to_ascii_lowercase();
    k == w
        || matches!(
            (k.as_str(), w.as_str()),
            ("deployment", "deploy")
                | ("service", "svc")
                | ("pod", "po")
                | ("configmap", "cm")
                | ("horizontalpodautoscaler", "hpa")
                | ("persistentvolumeclaim", "pvc")
                | ("serviceaccount", "sa")
                | ("statefulset", "sts")
                | ("namespace", "ns")
                | ("networkpolicy", "netpol")
                | ("poddisruptionbudget", "pdb")
                | ("resourcequota", "quota")
        )
}

fn find_object<'a>(analysis: &'a Analysis, kind: Option<&str>, name: &str) -> Option<&'a Object> {
    analysis.objects.iter().find(|o| {
        o.name.as_deref() == Some(name)
            && kind.is_none_or(|k| o.kind.as_deref().is_some_and(|ok| kind_matches(ok, k)))
    })
}

fn diag_on(d: &crate::Diagnostic, object: Option<&str>) -> bool {
    let Some(want) = object else {
        return true;
    };
    let (kind, name) = split_ref(want);
    d.object
        .as_ref()
        .is_some_and(|o| o.name == name && kind.as_deref().is_none_or(|k| kind_matches(&o.kind, k)))
}

fn static_goal(goal: &Goal, analysis: &Analysis) -> Outcome {
    match goal {
        Goal::NoErrors => {
            let errors: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            match errors.first() {
                None => Ok("no errors".into()),
                Some(d) => Err(format!(
                    "{} error{}; the first, at line {}: {}",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" },
                    d.span.start.line,
                    d.message
                )),
            }
        }
        Goal::NoDiagnostic { code, object } => {
            match analysis
                .diagnostics
                .iter()
                .find(|d| d.code == code && diag_on(d, object.as_deref()))
            {
                None => Ok(format!("no `{code}` finding")),
                Some(d) => Err(format!(
                    "line {} still reports `{code}`: {}",
                    d.span.start.line, d.message
                )),
            }
        }
        Goal::Diagnostic { code, object } => {
            match analysis
                .diagnostics
                .iter()
                .find(|d| d.code == code && diag_on(d, object.as_deref()))
            {
                Some(d) => Ok(format!("line {}: {}", d.span.start.line, d.message)),
                None => Err(format!("kubeplay does not report `{code}` yet")),
            }
        }
        Goal::Qos { workload, class } => {
            let (kind, name) = split_ref(workload);
            let Some(o) = find_object(analysis, kind.as_deref(), name) else {
                return Err(format!("there is no {workload} in the manifest"));
            };
            match o.facts.qos {
                Some(q) if q.as_str() == class => Ok(format!("{workload} is {class}")),
                Some(q) => Err(format!(
                    "the pods of {workload} are {}; the goal needs {class}",
                    q.as_str()
                )),
                None => Err(format!("{workload} does not run pods")),
            }
        }
        Goal::ObjectExists {
            kind,
            name,
            namespace,
        } => {
            let found = analysis.objects.iter().find(|o| {
                o.name.as_deref() == Some(name.as_str())
                    && o.kind.as_deref().is_some_and(|k| kind_matches(k, kind))
            });
            match (found, namespace) {
                (None, _) => Err(format!("there is no {kind} named `{name}` yet")),
                (Some(o), Some(ns)) if o.namespace.as_deref().unwrap_or("default") != ns => {
                    Err(format!(
                        "{kind}/{name} is in namespace `{}`; the goal needs `{ns}`",
                        o.namespace.as_deref().unwrap_or("default")
                    ))
                }
                (Some(_), _) => Ok(format!("{kind}/{name} is there")),
            }
        }
        Goal::Field {
            kind,
            name,
            path,
            equals,
        } => {
            let Some(o) = find_object(analysis, Some(kind), name) else {
                return Err(format!("there is no {kind} named `{name}` yet"));
            };
            let root = analysis
                .documents
                .get(o.document)
                .and_then(|d| d.root.as_ref());
            let Some(node) = root.and_then(|r| walk(r, path)) else {
                return Err(format!("{kind}/{name} does not set `{path}`"));
            };
            match (equals, node.as_scalar()) {
                (None, _) => Ok(format!("{kind}/{name} sets `{path}`")),
                (Some(want), Some(s)) if s.value == *want => Ok(format!("`{path}` is `{want}`")),
                (Some(want), Some(s)) => Err(format!(
                    "`{path}` of {kind}/{name} is `{}`; the goal needs `{want}`",
                    s.value
                )),
                (Some(want), None) => Err(format!(
                    "`{path}` of {kind}/{name} is not a single value; the goal needs `{want}`"
                )),
            }
        }
        Goal::Selects { service, workload } => {
            let Some(o) = find_object(analysis, Some("Service"), service) else {
                return Err(format!("there is no Service named `{service}` yet"));
            };
            let (kind, name) = split_ref(workload);
            let selected = o.facts.selects.clone().unwrap_or_default();
            let hit = selected.iter().any(|s| {
                let (k, n) = split_ref(s);
                n == name
                    && kind
                        .as_deref()
                        .is_none_or(|want| k.is_some_and(|k| kind_matches(&k, want)))
            });
            if hit {
                Ok(format!("Service `{service}` selects {workload}"))
            } else if selected.is_empty() {
                Err(format!(
                    "Service `{service}` selects no pods: its selector matches no pod labels"
                ))
            } else {
                Err(format!(
                    "Service `{service}` selects {}, not {workload}",
                    selected.join(", ")
                ))
            }
        }
        Goal::Rollout {
            deployment,
            max_surge,
            max_unavailable,
        } => {
            let Some(o) = find_object(analysis, Some("Deployment"), deployment) else {
                return Err(format!("there is no Deployment named `{deployment}` yet"));
            };
            let Some(r) = o.facts.rollout else {
                return Err(format!("the rollout of {deployment} cannot be resolved"));
            };
            let mut wrong = Vec::new();
            if let Some(s) = max_surge
                && r.max_surge != *s
            {
                wrong.push(format!("maxSurge resolves to {} (needs {s})", r.max_surge));
            }
            if let Some(u) = max_unavailable
                && r.max_unavailable != *u
            {
                wrong.push(format!(
                    "maxUnavailable resolves to {} (needs {u})",
                    r.max_unavailable
                ));
            }
            if wrong.is_empty() {
                Ok(format!(
                    "{} replicas: maxSurge {}, maxUnavailable {}",
                    r.replicas, r.max_surge, r.max_unavailable
                ))
            } else {
                Err(format!(
                    "with {} replicas, {}",
                    r.replicas,
                    wrong.join(", ")
                ))
            }
        }
        _ => Err("this goal needs the simulation".into()),
    }
}

/// Follows `spec.template.spec.containers[0].image` or `containers[name=web]`.
fn walk<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    let mut node = root;
    for segment in path.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            node = node.get(key)?;
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']')?;
            let index = &stripped[..end];
            rest = &stripped[end + 1..];
            let items = node.as_sequence()?;
            node = match index.split_once('=') {
                Some((k, v)) => items
                    .iter()
                    .find(|i| i.get(k).and_then(Node::as_str) == Some(v))?,
                None => items.get(index.parse::<usize>().ok()?)?,
            };
        }
    }
    Some(node)
}

pub(super) fn t_of(s: &Snapshot) -> String {
    secs((s.t * 1000.0).round() as Millis)
}

pub(super) fn ms(s: &Snapshot) -> Millis {
    (s.t * 1000.0).round() as Millis
}

/// Checks a per-snapshot predicate over the goal's time window.
pub(super) fn over(
    tl: &Timeline,
    when: When,
    pred: &dyn Fn(&Snapshot) -> Result<String, String>,
) -> Outcome {
    let last = tl.timeline.last();
    let Some(last) = last else {
        return Err("the simulation produced nothing (is the manifest applied?)".into());
    };
    let all = |snaps: &mut dyn Iterator<Item = &Snapshot>| -> Outcome {
        let mut ok = String::new();
        for s in snaps {
            match pred(s) {
                Ok(m) => ok = m,
                Err(e) => return Err(format!("at t={} {e}", t_of(s))),
            }
        }
        Ok(ok)
    };
    match when {
        When::At(t) => {
            let s = tl
                .at(t as f64 / 1000.0)
                .ok_or_else(|| format!("nothing had happened yet at t={}", secs(t)))?;
            pred(s)
                .map(|m| format!("at t={} {m}", secs(t)))
                .map_err(|e| format!("at t={} {e}", secs(t)))
        }
        When::End => pred(last)
            .map(|m| format!("at the end (t={}) {m}", t_of(last)))
            .map_err(|e| format!("at the end (t={}) {e}", t_of(last))),
        When::By(t) => {
            let mut last_err = String::new();
            for s in tl.timeline.iter().take_while(|s| ms(s) <= t) {
                match pred(s) {
                    Ok(m) => return Ok(format!("at t={} {m}", t_of(s))),
                    Err(e) => last_err = format!("at t={} {e}", t_of(s)),
                }
            }
            Err(format!("not by t={}: {last_err}", secs(t)))
        }
        When::Always => all(&mut tl.timeline.iter()).map(|m| format!("throughout: {m}")),
        When::During(a, b) => {
            let start = tl.at(a as f64 / 1000.0);
            let mut snaps = start
                .into_iter()
                .chain(tl.timeline.iter().filter(|s| ms(s) > a && ms(s) <= b));
            all(&mut snaps).map(|m| format!("from t={} to t={}: {m}", secs(a), secs(b)))
        }
    }
}

pub(super) fn pods_of<'s>(s: &'s Snapshot, workload: &str) -> Vec<&'s PodView> {
    let (kind, name) = split_ref(workload);
    let sets: Vec<&str> = s
        .replica_sets
        .iter()
        .filter(|r| r.deployment.as_deref() == Some(name))
        .map(|r| r.name.as_str())
        .collect();
    let by_rs = |p: &PodView| {
        p.owner
            .as_deref()
            .and_then(|o| o.strip_prefix("ReplicaSet/"))
            .is_some_and(|rs| sets.contains(&rs))
    };
    s.pods
        .iter()
        .filter(|p| match kind.as_deref() {
            Some("pod" | "po") => p.owner.is_none() && p.name == name,
            Some("deployment" | "deploy") => by_rs(p),
            Some(k) => p.owner.as_deref().is_some_and(|o| {
                o.split_once('/')
                    .is_some_and(|(ok, on)| on == name && kind_matches(ok, k))
            }),
            None => {
                (p.owner.is_none() && p.name == name)
                    || by_rs(p)
                    || p.owner
                        .as_deref()
                        .is_some_and(|o| o.split_once('/').is_some_and(|(_, on)| on == name))
            }
        })
        .map(|p| &**p)
        .collect()
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn last_exit(p: &PodView) -> String {
    p.containers
        .iter()
        .find_map(|c| {
            c.last_reason
                .as_ref()
                .map(|r| format!("{r}, exit code {}", c.last_exit_code.unwrap_or(0)))
        })
        .map(|e| format!(" (last exit: {e})"))
        .unwrap_or_default()
}

/// A running, non-terminating pod of `workload` at the end of the run, as `namespace/name`.
pub(super) fn running_pod(tl: &Timeline, workload: &str) -> Result<String, String> {
    let last = tl
        .timeline
        .last()
        .ok_or_else(|| "the simulation produced nothing".to_owned())?;
    let (ns, w) = match workload.split_once(':') {
        Some((ns, w)) => (Some(ns), w),
        None => (None, workload),
    };
    pods_of(last, w)
        .into_iter()
        .find(|p| !p.terminating && p.phase == "Running" && ns.is_none_or(|n| p.namespace == n))
        .map(|p| format!("{}/{}", p.namespace, p.name))
        .ok_or_else(|| format!("{workload} has no running pod at the end"))
}

fn timed(goal: &Goal, sim: &Sim) -> Outcome {
    let tl = &sim.timeline;
    match goal {
        Goal::Reach {
            from,
            to,
            port,
            allowed,
        } => {
            let a = running_pod(tl, from)?;
            let b = running_pod(tl, to)?;
            let r = sim.may_reach(&a, &b, *port, "TCP");
            let said = format!("pod/{a} → pod/{b} port {port}: {}", r.reason);
            if r.allowed == *allowed {
                Ok(said)
            } else if r.allowed {
                Err(format!("{said}; the goal needs it blocked"))
            } else {
                Err(format!("{said}; the goal needs it allowed"))
            }
        }
        Goal::SeesConfig {
            workload,
            name,
            key,
            value,
        } => {
            let last = tl
                .timeline
                .last()
                .ok_or_else(|| "the simulation produced nothing".to_owned())?;
            let pods: Vec<_> = pods_of(last, workload)
                .into_iter()
                .filter(|p| !p.terminating && p.phase == "Running")
                .collect();
            if pods.is_empty() {
                return Err(format!("{workload} has no running pod at the end"));
            }
            for p in &pods {
                let seen = sim.config_seen(&format!("{}/{}", p.namespace, p.name), name);
                let of_key: Vec<_> = seen.iter().filter(|v| v.key == *key).collect();
                if !of_key.iter().any(|v| v.value == *value) {
                    return Err(match of_key.first() {
                        Some(v) => format!(
                            "pod {} still sees {key}={} ({} {}); the goal needs {key}={value}",
                            p.name, v.value, v.source, v.at
                        ),
                        None => format!("pod {} does not read {key} from `{name}`", p.name),
                    });
                }
            }
            Ok(format!(
                "{} of {workload} see {key}={value}",
                plural(pods.len(), "pod", "pods")
            ))
        }
        Goal::CanI {
            who,
            verb,
            resource,
            namespace,
            allowed,
        } => {
            let who = &super::behaviour::identity(sim, who)?;
            let r = sim.can_i(who, verb, resource, namespace);
            let answer = if r.allowed { "yes" } else { "no" };
            let said = format!(
                "kubectl auth can-i {verb} {resource} -n {namespace} --as {who}: {answer} ({})",
                r.reason
            );
            if r.allowed == *allowed {
                Ok(said)
            } else {
                Err(format!(
                    "{said}; the goal needs {}",
                    if *allowed { "yes" } else { "no" }
                ))
            }
        }
        Goal::Replicas {
            deployment,
            bound,
            when,
        }
        | Goal::Available {
            deployment,
            bound,
            when,
        } => {
            let available = matches!(goal, Goal::Available { .. });
            let (_, name) = split_ref(deployment);
            over(tl, *when, &|s| {
                let d = s
                    .deployments
                    .iter()
                    .find(|d| d.name == name)
                    .ok_or_else(|| format!("there was no Deployment `{name}`"))?;
                let n = if available {
                    d.available_replicas
                } else {
                    d.replicas
                };
                let what = if available {
                    format!(
                        "{} of {name} {} available",
                        plural(n as usize, "pod", "pods"),
                        if n == 1 { "was" } else { "were" }
                    )
                } else {
                    format!(
                        "{name} wanted {}",
                        plural(n as usize, "replica", "replicas")
                    )
                };
                if bound.holds(n) {
                    Ok(what)
                } else {
                    Err(format!("{what}; the goal needs {}", bound.describe()))
                }
            })
        }
        Goal::Endpoints {
            service,
            bound,
            when,
        } => over(tl, *when, &|s| {
            let Some(svc) = s.services.iter().find(|v| v.name == *service) else {
                return Err(format!("there was no Service `{service}`"));
            };
            let n = svc.endpoints.len() as i64;
            let what = format!(
                "Service `{service}` had {}",
                plural(svc.endpoints.len(), "endpoint", "endpoints")
            );
            if bound.holds(n) {
                Ok(what)
            } else {
                Err(format!("{what}; the goal needs {}", bound.describe()))
            }
        }),
        Goal::Ready {
            workload,
            bound,
            when,
        } => over(tl, *when, &|s| {
            let pods: Vec<_> = pods_of(s, workload)
                .into_iter()
                .filter(|p| !p.terminating)
                .collect();
            let ready = pods.iter().filter(|p| p.ready).count();
            let what = format!("{ready} of {} pods of {workload} ready", pods.len());
            let ok = match bound {
                Some(b) => b.holds(ready as i64),
                None => !pods.is_empty() && ready == pods.len(),
            };
            if ok {
                Ok(what)
            } else if pods.is_empty() {
                Err(format!("{workload} had no pods"))
            } else {
                let why = pods
                    .iter()
                    .find(|p| !p.ready)
                    .map(|p| {
                        format!(
                            "; {} is {}",
                            p.name,
                            p.reason.as_deref().unwrap_or(if p.phase == "Running" {
                                "running but not ready"
                            } else {
                                p.phase
                            })
                        )
                    })
                    .unwrap_or_default();
                Err(format!(
                    "{what}{why}; the goal needs {}",
                    bound.map_or("all of them".into(), |b| b.describe())
                ))
            }
        }),
        Goal::PodPhase {
            workload,
            phase,
            when,
        } => over(tl, *when, &|s| {
            let pods: Vec<_> = pods_of(s, workload)
                .into_iter()
                .filter(|p| !p.terminating)
                .collect();
            if pods.is_empty() {
                return Err(format!("{workload} had no pods"));
            }
            match pods.iter().find(|p| p.phase != phase) {
                None => Ok(format!(
                    "{} of {workload} {phase}",
                    plural(pods.len(), "pod", "pods")
                )),
                Some(p) => Err(format!(
                    "pod {} was {}{}; the goal needs {phase}",
                    p.name,
                    p.phase,
                    p.reason
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                )),
            }
        }),
        Goal::PodStatus {
            workload,
            reason,
            when,
        } => over(tl, *when, &|s| {
            let pods = pods_of(s, workload);
            if let Some(p) = pods
                .iter()
                .find(|p| p.reason.as_deref() == Some(reason) || p.phase == reason)
            {
                return Ok(format!("pod {} showed {reason}", p.name));
            }
            let seen: Vec<String> = pods
                .iter()
                .map(|p| format!("{} {}", p.name, p.reason.as_deref().unwrap_or(p.phase)))
                .collect();
            Err(if seen.is_empty() {
                format!("{workload} had no pods")
            } else {
                format!("no pod showed {reason} ({})", seen.join(", "))
            })
        }),
        Goal::LastExit {
            workload,
            reason,
            exit_code,
            by,
        } => {
            let mut seen = Vec::new();
            for s in tl.timeline.iter().take_while(|s| ms(s) <= *by) {
                for p in pods_of(s, workload) {
                    for c in &p.containers {
                        let exits = [
                            (c.last_reason.as_deref(), c.last_exit_code),
                            (c.exit_code.and(c.reason.as_deref()), c.exit_code),
                        ];
                        for (r, code) in exits {
                            let Some(r) = r else { continue };
                            if reason.as_deref().is_none_or(|w| w == r)
                                && exit_code.is_none_or(|w| Some(w) == code)
                            {
                                return Ok(format!(
                                    "at t={} container {} of {} ended: {r}, exit code {}",
                                    t_of(s),
                                    c.name,
                                    p.name,
                                    code.unwrap_or(0)
                                ));
                            }
                            let e = format!("{r} (exit code {})", code.unwrap_or(0));
                            if !seen.contains(&e) {
                                seen.push(e);
                            }
                        }
                    }
                }
            }
            Err(if seen.is_empty() {
                format!("no container of {workload} had ended by t={}", secs(*by))
            } else {
                format!(
                    "by t={} the containers of {workload} ended with {} only",
                    secs(*by),
                    seen.join(", ")
                )
            })
        }
        Goal::NoRestarts { workload, within } => {
            let mut any = false;
            for s in tl.timeline.iter().take_while(|s| ms(s) <= *within) {
                for p in pods_of(s, workload) {
                    any = true;
                    if p.restarts > 0 {
                        return Err(format!(
                            "at t={} pod {} had restarted {}{}",
                            t_of(s),
                            p.name,
                            plural(p.restarts as usize, "time", "times"),
                            last_exit(p)
                        ));
                    }
                }
            }
            if any {
                Ok(format!("no restart in the first {}", secs(*within)))
            } else {
                Err(format!("{workload} never had a pod"))
            }
        }
        Goal::RestartsAtLeast {
            workload,
            count,
            by,
        } => {
            let mut most = 0;
            for s in tl.timeline.iter().take_while(|s| ms(s) <= *by) {
                for p in pods_of(s, workload) {
                    if p.restarts >= *count {
                        return Ok(format!(
                            "at t={} pod {} had restarted {}{}",
                            t_of(s),
                            p.name,
                            plural(p.restarts as usize, "time", "times"),
                            last_exit(p)
                        ));
                    }
                    most = most.max(p.restarts);
                }
            }
            Err(format!(
                "by t={} the pods of {workload} had restarted at most {}; the goal needs {count}",
                secs(*by),
                plural(most as usize, "time", "times")
            ))
        }
        Goal::RolloutNeverBelow {
            deployment,
            available,
            until,
        } => {
            let avail = |s: &Snapshot| {
                s.deployments
                    .iter()
                    .find(|d| d.name == *deployment)
                    .map(|d| d.available_replicas)
            };
            let mut snaps = tl
                .timeline
                .iter()
                .take_while(|s| until.is_none_or(|u| ms(s) <= u));
            let Some(up) = snaps.find(|s| avail(s).is_some_and(|a| a >= *available)) else {
                return Err(format!("{deployment} never had {available} available pods"));
            };
            let up_t = t_of(up);
            for s in snaps {
                if let Some(a) = avail(s)
                    && a < *available
                {
                    return Err(format!(
                        "{deployment} was up with {available} available pods at t={up_t}, but at t={} only {a} {} available; the goal needs at least {available}",
                        t_of(s),
                        if a == 1 { "was" } else { "were" }
                    ));
                }
            }
            Ok(format!(
                "from t={up_t} on, {deployment} always had at least {available} available pods"
            ))
        }
        Goal::HpaReaches { hpa, replicas, by } => {
            let mut most = None::<i64>;
            for s in tl.timeline.iter().take_while(|s| ms(s) <= *by) {
                if let Some(h) = s.hpas.iter().find(|h| h.name == *hpa) {
                    if h.current_replicas >= *replicas {
                        return Ok(format!(
                            "at t={} HPA `{hpa}` had {} replicas",
                            t_of(s),
                            h.current_replicas
                        ));
                    }
                    most = Some(most.map_or(h.current_replicas, |m| m.max(h.current_replicas)));
                }
            }
            Err(match most {
                None => format!("there was no HPA `{hpa}` by t={}", secs(*by)),
                Some(m) => format!(
                    "by t={} HPA `{hpa}` had reached {m} replicas at most; the goal needs {replicas}",
                    secs(*by)
                ),
            })
        }
        Goal::HpaAtMost { hpa, replicas, at } => over(tl, When::At(*at), &|s| {
            let h = s
                .hpas
                .iter()
                .find(|h| h.name == *hpa)
                .ok_or_else(|| format!("there was no HPA `{hpa}`"))?;
            if h.current_replicas <= *replicas {
                Ok(format!("HPA `{hpa}` had {} replicas", h.current_replicas))
            } else {
                Err(format!(
                    "HPA `{hpa}` still had {} replicas; the goal needs at most {replicas}",
                    h.current_replicas
                ))
            }
        }),
        Goal::Event { reason, object, by } => {
            let on = |o: &str| {
                object
                    .as_deref()
                    .is_none_or(|w| o.to_ascii_lowercase().starts_with(&w.to_ascii_lowercase()))
            };
            let found = tl.events.iter().find(|e| {
                e.reason == reason && on(&e.object) && by.is_none_or(|b| e.t * 1000.0 <= b as f64)
            });
            match found {
                Some(e) => Ok(format!(
                    "at t={}: {} {}: {}",
                    secs((e.t * 1000.0).round() as Millis),
                    e.reason,
                    e.object,
                    e.message
                )),
                None => {
                    let mut seen: Vec<&str> = Vec::new();
                    for e in tl.events.iter().filter(|e| on(&e.object)) {
                        if !seen.contains(&e.reason) {
                            seen.push(e.reason);
                        }
                    }
                    seen.truncate(8);
                    Err(format!(
                        "no `{reason}` event{}{}",
                        by.map(|b| format!(" by t={}", secs(b))).unwrap_or_default(),
                        if seen.is_empty() {
                            String::new()
                        } else {
                            format!("; events seen: {}", seen.join(", "))
                        }
                    ))
                }
            }
        }
        Goal::NoEvent { reason, object } => {
            let found = tl.events.iter().find(|e| {
                e.reason == reason
                    && object.as_deref().is_none_or(|w| {
                        e.object
                            .to_ascii_lowercase()
                            .starts_with(&w.to_ascii_lowercase())
                    })
            });
            match found {
                None => Ok(format!("no `{reason}` event")),
                Some(e) => Err(format!(
                    "at t={}: {} {}: {}",
                    secs((e.t * 1000.0).round() as Millis),
                    e.reason,
                    e.object,
                    e.message
                )),
            }
        }
        Goal::RequestReaches {
            host,
            path,
            service,
            workload,
        } => {
            let matching: Vec<_> = tl
                .requests
                .iter()
                .filter(|r| {
                    r.request.contains(path.as_str())
                        && host.as_deref().is_none_or(|h| r.request.contains(h))
                })
                .collect();
            if matching.is_empty() {
                return Err(format!(
                    "no request to {}{path} was sent (the step's scenario sends them)",
                    host.as_deref().unwrap_or("")
                ));
            }
            let hit = |r: &crate::sim::timeline::RequestResult| {
                (200..400).contains(&r.status)
                    && service.as_deref().is_none_or(|s| {
                        r.service
                            .as_deref()
                            .is_some_and(|rs| rs == s || rs.ends_with(&format!("/{s}")))
                    })
                    && workload.as_deref().is_none_or(|w| {
                        let (_, name) = split_ref(w);
                        r.pod
                            .as_deref()
                            .is_some_and(|p| p == name || p.starts_with(&format!("{name}-")))
                    })
            };
            match matching.iter().find(|r| hit(r)) {
                Some(r) => Ok(format!(
                    "at t={}: {} → {} ({})",
                    secs((r.t * 1000.0).round() as Millis),
                    r.request,
                    r.status,
                    r.pod.as_deref().or(r.service.as_deref()).unwrap_or("")
                )),
                None => {
                    let Some(r) = matching.last() else {
                        return Err(format!("no request to {path} was sent"));
                    };
                    Err(format!(
                        "{} got {}{}: {}",
                        r.request,
                        r.status,
                        r.service
                            .as_deref()
                            .map(|s| format!(" from Service `{s}`"))
                            .unwrap_or_default(),
                        r.reason
                    ))
                }
            }
        }
        Goal::Behaviour(b) => b.evaluate(sim),
        other => static_goal_unreachable(other),
    }
}

fn static_goal_unreachable(goal: &Goal) -> Outcome {
    Err(format!(
        "`{}` is checked without the simulation",
        goal.describe()
    ))
}
