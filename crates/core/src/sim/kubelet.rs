//! The kubelet (`pkg/kubelet`): image pulls (ErrImagePull, ImagePullBackOff), container
//! start, startup/liveness/readiness probes with their thresholds (`prober/worker.go`),
//! restarts with CrashLoopBackOff (10 s doubling to 300 s, reset after 10 minutes of
//! running: `kubelet.go` `newCrashLoopBackOff`), OOM kills at the memory limit (exit 137),
//! and graceful termination (preStop, SIGTERM, grace period, SIGKILL).
//!
//! Idealisations (documented in docs/simulation.md): probes tick exactly at
//! `start + initialDelaySeconds + k × periodSeconds` with no jitter; image pulls and
//! container creation take the app's declared times and nothing else.

use super::app::{Millis, is_typo_image};
use super::cluster::{ContainerState, ContainerStatus, Owner, Pod, ProbeState};
use super::engine::Sim;
use super::spec::{ContainerSpec, Handler, ProbeSpec};

const INITIAL_BACKOFF: Millis = 10_000;
const MAX_BACKOFF: Millis = 300_000;
/// A container that ran this long since its last restart gets a fresh back-off.
const BACKOFF_RESET: Millis = 600_000;
/// How long an app takes to allocate its starting memory (an idealisation).
const ALLOCATE: Millis = 1_000;

/// Events and follow-up times produced while syncing one pod.
struct Sync {
    events: Vec<(&'static str, &'static str, String, Option<u32>)>,
    next: Option<Millis>,
    readiness_changed: bool,
}

impl Sync {
    fn at(&mut self, t: Millis) {
        self.next = Some(self.next.map_or(t, |n| n.min(t)));
    }

    fn event(
        &mut self,
        kind: &'static str,
        reason: &'static str,
        message: String,
        line: Option<u32>,
    ) {
        self.events.push((kind, reason, message, line));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    const fn title(self) -> &'static str {
        match self {
            Self::Startup => "Startup",
            Self::Liveness => "Liveness",
            Self::Readiness => "Readiness",
        }
    }
}

impl Sim {
    pub(crate) fn line_of(&self, range: crate::text::TextRange) -> Option<u32> {
        self.source
            .as_ref()
            .map(|(text, index)| index.location(text, range.start).line)
    }

    /// Runs the kubelet's sync for one pod at `self.now`.
    pub(crate) fn kubelet_sync(&mut self, uid: u64) {
        let Some(mut pod) = self.pods.remove(&uid) else {
            return;
        };
        // Unscheduled pods wait; pods evicted for node pressure are finished (until deleted).
        if pod.node.is_none()
            || (pod.deletion.is_none() && self.eviction.evicted.contains_key(&uid))
        {
            self.pods.insert(uid, pod);
            return;
        }
        let mut sync = Sync {
            events: Vec::new(),
            next: None,
            readiness_changed: false,
        };
        let was_ready = pod.ready();
        let before = signature(&pod);
        let gone = if pod.deletion.is_some() {
            self.terminate(&mut pod, &mut sync)
        } else if !pod.template.config_refs.is_empty()
            && let Some(message) = self.mount_error(&pod)
        {
            // Volumes are mounted before any container starts (`WaitForAttachAndMount`):
            // the pod stays ContainerCreating until the ConfigMap or Secret exists.
            if self.objects.mount_failures.insert(uid) {
                sync.event("Warning", "FailedMount", message, None);
            }
            false
        } else {
            for i in 0..pod.containers.len() {
                self.container_step(&mut pod, i, &mut sync);
            }
            self.update_pod_status(&mut pod);
            false
        };
        let object = format!("pod/{}", pod.name);
        for (kind, reason, message, line) in std::mem::take(&mut sync.events) {
            self.event(kind, reason, object.clone(), message, line);
        }
        if pod.ready() != was_ready {
            sync.readiness_changed = true;
        }
        if sync.readiness_changed || gone {
            // Availability (minReadySeconds) and endpoints depend on readiness.
            self.changed = true;
            let min_ready = match &pod.owner {
                Owner::ReplicaSet(rs) => self
                    .replicasets
                    .get(&(pod.namespace.clone(), rs.clone()))
                    .map_or(0, |r| r.min_ready_seconds),
                _ => 0,
            };
            if min_ready > 0 {
                self.wake_controllers(self.now + min_ready * 1000);
            }
        }
        if gone {
            if let Owner::ReplicaSet(rs) = &pod.owner
                && let Some(r) = self
                    .replicasets
                    .get_mut(&(pod.namespace.clone(), rs.clone()))
            {
                r.pods.remove(&uid);
            }
            self.touch(uid);
        } else {
            if let Some(at) = sync.next {
                self.wake_pod(uid, at);
            }
            let visible = signature(&pod) != before;
            self.pods.insert(uid, pod);
            if visible {
                self.touch(uid);
            }
        }
    }

    /// Graceful termination; `true` when the pod is gone.
    fn terminate(&mut self, pod: &mut Pod, sync: &mut Sync) -> bool {
        let Some(deleted) = pod.deletion else {
            return false;
        };
        let grace = pod.template.termination_grace * 1000;
        let mut last_exit = deleted;
        for (i, spec) in pod.template.containers.iter().enumerate() {
            let Some(cs) = pod.containers.get_mut(i) else {
                continue;
            };
            let ContainerState::Running { .. } = cs.state else {
                continue;
            };
            let needed = spec.pre_stop_sleep * 1000 + pod.template.app.shutdown;
            let exit = deleted + needed.min(grace);
            if self.now == deleted {
                sync.event(
                    "Normal",
                    "Killing",
                    format!("Stopping container {}", spec.name),
                    None,
                );
            }
            if self.now >= exit {
                let code = if needed > grace { 137 } else { 143 };
                cs.state = ContainerState::Terminated {
                    reason: "Error".into(),
                    exit_code: code,
                    at: exit,
                };
                cs.ready = false;
            } else {
                last_exit = last_exit.max(exit);
                sync.at(exit);
            }
        }
        pod.ready_since = None;
        let all_done = pod
            .containers
            .iter()
            .all(|c| !matches!(c.state, ContainerState::Running { .. }));
        if all_done {
            return true;
        }
        sync.at(last_exit);
        false
    }

    fn container_step(&mut self, pod: &mut Pod, i: usize, sync: &mut Sync) {
        let template = std::rc::Rc::clone(&pod.template);
        let Some(spec) = template.containers.get(i) else {
            return;
        };
        let app = &template.app;
        let now = self.now;
        let node_name = pod.node.clone().unwrap_or_default();
        let image_line = self.line_of(spec.image_range);
        let Some(cs) = pod.containers.get_mut(i) else {
            return;
        };
        match cs.state.clone() {
            ContainerState::Waiting { reason } => {
                if reason == "ErrImagePull" {
                    // The next sync shows the back-off.
                    cs.state = ContainerState::Waiting {
                        reason: "ImagePullBackOff".into(),
                    };
                    sync.event(
                        "Normal",
                        "BackOff",
                        format!("Back-off pulling image \"{}\"", spec.image),
                        image_line,
                    );
                    sync.event(
                        "Warning",
                        "Failed",
                        "Error: ImagePullBackOff".into(),
                        image_line,
                    );
                    if let Some(at) = cs.restart_at {
                        sync.at(at);
                    }
                    return;
                }
                if let Some(at) = cs.restart_at {
                    if now < at {
                        sync.at(at);
                        return;
                    }
                    cs.restart_at = None;
                    if reason == "CrashLoopBackOff" {
                        cs.restarts += 1;
                    }
                }
                let node = self.nodes.iter_mut().find(|n| n.name == node_name);
                let present = node
                    .as_ref()
                    .is_some_and(|n| n.images.contains(&spec.image));
                let missing = app.image_missing || is_typo_image(&spec.image);
                let must_pull = missing || spec.pull_policy == "Always" || !present;
                if spec.pull_policy == "Never" && !present {
                    cs.state = ContainerState::Waiting {
                        reason: "ErrImageNeverPull".into(),
                    };
                    sync.event(
                        "Warning",
                        "ErrImageNeverPull",
                        format!(
                            "Container image \"{}\" is not present with pull policy of Never",
                            spec.image
                        ),
                        image_line,
                    );
                    return;
                }
                if must_pull {
                    match cs.pull_until {
                        None => {
                            let until = now + app.pull;
                            cs.pull_until = Some(until);
                            sync.event(
                                "Normal",
                                "Pulling",
                                format!("Pulling image \"{}\"", spec.image),
                                image_line,
                            );
                            sync.at(until);
                            return;
                        }
                        Some(until) if now < until => {
                            sync.at(until);
                            return;
                        }
                        Some(_) => {
                            cs.pull_until = None;
                            if missing {
                                let wait = cs.image_backoff.unwrap_or(INITIAL_BACKOFF);
                                cs.image_backoff = Some((wait * 2).min(MAX_BACKOFF));
                                cs.restart_at = Some(now + wait);
                                cs.state = ContainerState::Waiting {
                                    reason: "ErrImagePull".into(),
                                };
                                // containerd's wording for a reference the registry
                                // does not have (`remotes/docker/resolver.go`).
                                let reference = super::spec::docker_reference(&spec.image);
                                sync.event(
                                    "Warning",
                                    "Failed",
                                    format!(
                                        "Failed to pull image \"{}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{reference}\": failed to resolve reference \"{reference}\": {reference}: not found",
                                        spec.image
                                    ),
                                    image_line,
                                );
                                sync.event(
                                    "Warning",
                                    "Failed",
                                    "Error: ErrImagePull".into(),
                                    image_line,
                                );
                                sync.at(now + 1_000);
                                return;
                            }
                            if let Some(n) = node {
                                n.images.insert(spec.image.clone());
                            }
                            sync.event(
                                "Normal",
                                "Pulled",
                                format!(
                                    "Successfully pulled image \"{}\" in {}s",
                                    spec.image,
                                    (app.pull as f64 / 1000.0)
                                ),
                                image_line,
                            );
                        }
                    }
                } else if cs.restarts == 0 || spec.pull_policy != "Always" {
                    sync.event(
                        "Normal",
                        "Pulled",
                        format!(
                            "Container image \"{}\" already present on machine",
                            spec.image
                        ),
                        image_line,
                    );
                }
                if !template.config_refs.is_empty()
                    && let Some(err) = self.env_config_error(&pod.namespace, &template, &spec.name)
                {
                    // `makeEnvironmentVariables` failed: the container is not created.
                    cs.state = ContainerState::Waiting {
                        reason: "CreateContainerConfigError".into(),
                    };
                    sync.event("Warning", "Failed", format!("Error: {err}"), None);
                    return;
                }
                start_container(cs, spec, now, sync);
            }
            ContainerState::Running { since } => {
                self.running_step(pod, i, since, sync);
            }
            ContainerState::Terminated {
                at,
                exit_code,
                reason,
            } => {
                let restart = match template.restart_policy.as_str() {
                    "Never" => false,
                    "OnFailure" => exit_code != 0,
                    _ => true,
                };
                if !restart {
                    return;
                }
                if at - cs.last_restart > BACKOFF_RESET {
                    cs.backoff = None;
                }
                match cs.backoff {
                    None => {
                        cs.backoff = Some(INITIAL_BACKOFF);
                        restart_container(cs, &reason, exit_code);
                        // Run the waiting branch now: pull (if Always) and start.
                        self.container_step(pod, i, sync);
                    }
                    Some(wait) => {
                        let restart_at = at + wait;
                        cs.backoff = Some((wait * 2).min(MAX_BACKOFF));
                        cs.last_exit = Some((reason.clone(), exit_code));
                        cs.restart_at = Some(restart_at);
                        cs.state = ContainerState::Waiting {
                            reason: "CrashLoopBackOff".into(),
                        };
                        cs.ready = false;
                        sync.event(
                            "Warning",
                            "BackOff",
                            format!(
                                "Back-off restarting failed container {} in pod {}_{}({})",
                                spec.name, pod.name, pod.namespace, pod.uid
                            ),
                            None,
                        );
                        sync.at(restart_at);
                    }
                }
            }
        }
    }

    fn running_step(&mut self, pod: &mut Pod, i: usize, since: Millis, sync: &mut Sync) {
        let template = std::rc::Rc::clone(&pod.template);
        let Some(spec) = template.containers.get(i) else {
            return;
        };
        let app = &template.app;
        let now = self.now;
        let grace = template.termination_grace * 1000;
        let ip = pod.ip.clone().unwrap_or_default();
        let limit_line = spec.limit_range.and_then(|r| self.line_of(r));
        let lines = [
            spec.startup.as_ref().and_then(|p| self.line_of(p.range)),
            spec.liveness.as_ref().and_then(|p| self.line_of(p.range)),
            spec.readiness.as_ref().and_then(|p| self.line_of(p.range)),
        ];
        let Some(cs) = pod.containers.get_mut(i) else {
            return;
        };
        // The earliest of: a scheduled kill, a crash, an OOM kill.
        let mut exits: Vec<(Millis, &'static str, i32)> = Vec::new();
        if let Some((at, code, reason)) = cs.kill_at {
            exits.push((at, reason, code));
        }
        if let Some(c) = app.crash_after {
            let code = app.exit_code;
            exits.push((
                since + c,
                if code == 0 { "Completed" } else { "Error" },
                code,
            ));
        }
        if let Some(at) = oom_at(spec, app, since) {
            exits.push((at, "OOMKilled", 137));
        }
        exits.sort_by_key(|e| e.0);
        let exit = exits.first().copied();
        // Probes up to now (or up to the exit, whichever is first).
        let horizon = exit.map_or(now, |e| e.0.min(now));
        for kind in [
            ProbeKind::Startup,
            ProbeKind::Liveness,
            ProbeKind::Readiness,
        ] {
            let (probe, line) = match kind {
                ProbeKind::Startup => (&spec.startup, lines[0]),
                ProbeKind::Liveness => (&spec.liveness, lines[1]),
                ProbeKind::Readiness => (&spec.readiness, lines[2]),
            };
            let Some(probe) = probe else { continue };
            loop {
                let st = match kind {
                    ProbeKind::Startup => &mut cs.startup,
                    ProbeKind::Liveness => &mut cs.liveness,
                    ProbeKind::Readiness => &mut cs.readiness,
                };
                let Some(at) = st.next_at else { break };
                if at > horizon || cs.kill_at.is_some() {
                    break;
                }
                st.next_at = Some(at + probe.period * 1000);
                // Liveness and readiness wait for startup; startup stops once it succeeded.
                let active = match kind {
                    ProbeKind::Startup => !cs.started,
                    _ => cs.started,
                };
                if !active {
                    if kind == ProbeKind::Startup {
                        cs.startup.next_at = None;
                    }
                    continue;
                }
                let (ok, failure) = probe_result(kind, probe, spec, app, since, at, &ip);
                let st = match kind {
                    ProbeKind::Startup => &mut cs.startup,
                    ProbeKind::Liveness => &mut cs.liveness,
                    ProbeKind::Readiness => &mut cs.readiness,
                };
                if st.run_success == ok {
                    st.run_len += 1;
                } else {
                    st.run_success = ok;
                    st.run_len = 1;
                }
                if !ok {
                    sync.event(
                        "Warning",
                        "Unhealthy",
                        format!("{} probe failed: {failure}", kind.title()),
                        line,
                    );
                }
                let threshold = if ok {
                    probe.success_threshold
                } else {
                    probe.failure_threshold
                };
                if st.run_len >= threshold && st.result != ok {
                    st.result = ok;
                    match (kind, ok) {
                        (ProbeKind::Startup, true) => {
                            cs.started = true;
                            cs.startup.next_at = None;
                        }
                        (ProbeKind::Startup | ProbeKind::Liveness, false) => {
                            let what = if kind == ProbeKind::Startup {
                                "startup"
                            } else {
                                "liveness"
                            };
                            sync.event(
                                "Normal",
                                "Killing",
                                format!(
                                    "Container {} failed {what} probe, will be restarted",
                                    spec.name
                                ),
                                line,
                            );
                            let needed = spec.pre_stop_sleep * 1000 + app.shutdown;
                            let code = if needed > grace { 137 } else { 143 };
                            cs.kill_at = Some((at + needed.min(grace), code, "Error"));
                        }
                        _ => {}
                    }
                }
            }
        }
        let ready_now = cs.started
            && spec.readiness.as_ref().is_none_or(|_| cs.readiness.result)
            && cs.kill_at.is_none();
        if ready_now != cs.ready {
            cs.ready = ready_now;
            sync.readiness_changed = true;
        }
        // Exit?
        let exit = cs
            .kill_at
            .map(|(at, code, reason)| (at, reason, code))
            .into_iter()
            .chain(exit)
            .min_by_key(|e| e.0);
        if let Some((at, reason, code)) = exit {
            if at <= now {
                cs.state = ContainerState::Terminated {
                    reason: reason.into(),
                    exit_code: code,
                    at,
                };
                cs.kill_at = None;
                cs.ready = false;
                sync.readiness_changed = true;
                if reason == "OOMKilled" {
                    sync.event(
                        "Warning",
                        "OOMKilled",
                        format!(
                            "Container {} was OOM-killed: it used more memory than its limit of {}",
                            spec.name,
                            format_bytes(spec.memory_limit.unwrap_or(0))
                        ),
                        limit_line,
                    );
                }
                // Let the restart logic run in the same instant.
                self.container_step(pod, i, sync);
                return;
            }
            sync.at(at);
        }
        for st in [&cs.startup, &cs.liveness, &cs.readiness] {
            if let Some(at) = st.next_at {
                sync.at(at);
            }
        }
    }

    fn update_pod_status(&self, pod: &mut Pod) {
        let all_ready = !pod.containers.is_empty() && pod.containers.iter().all(|c| c.ready);
        match (all_ready, pod.ready_since) {
            (true, None) => pod.ready_since = Some(self.now),
            (false, Some(_)) => pod.ready_since = None,
            _ => {}
        }
        let ever_started = pod
            .containers
            .iter()
            .any(|c| !matches!(c.state, ContainerState::Waiting { .. }) || c.restarts > 0);
        let all_terminated = pod
            .containers
            .iter()
            .all(|c| matches!(c.state, ContainerState::Terminated { .. }));
        pod.phase = if all_terminated && pod.template.restart_policy != "Always" {
            let any_failed = pod
                .containers
                .iter()
                .any(|c| matches!(c.state, ContainerState::Terminated { exit_code, .. } if exit_code != 0));
            let restarting = pod.template.restart_policy == "OnFailure" && any_failed;
            if restarting {
                "Running"
            } else if any_failed {
                "Failed"
            } else {
                "Succeeded"
            }
        } else if ever_started {
            "Running"
        } else {
            "Pending"
        };
    }
}

fn start_container(cs: &mut ContainerStatus, spec: &ContainerSpec, now: Millis, sync: &mut Sync) {
    sync.event(
        "Normal",
        "Created",
        format!("Created container: {}", spec.name),
        None,
    );
    sync.event(
        "Normal",
        "Started",
        format!("Started container {}", spec.name),
        None,
    );
    cs.state = ContainerState::Running { since: now };
    cs.last_restart = now;
    cs.kill_at = None;
    cs.started = spec.startup.is_none();
    cs.ready = false;
    // Results reset with every new container: readiness starts failed, liveness succeeded.
    let first = |p: &Option<ProbeSpec>, initial: bool| ProbeState {
        next_at: p.as_ref().map(|p| now + p.initial_delay * 1000),
        result: initial,
        run_success: initial,
        run_len: 0,
    };
    cs.startup = first(&spec.startup, false);
    cs.liveness = first(&spec.liveness, true);
    cs.readiness = first(&spec.readiness, false);
    if spec.readiness.is_none() && spec.startup.is_none() {
        cs.ready = true;
        sync.readiness_changed = true;
    }
    sync.at(now);
}

fn restart_container(cs: &mut ContainerStatus, reason: &str, exit_code: i32) {
    cs.restarts += 1;
    cs.last_exit = Some((reason.to_owned(), exit_code));
    cs.state = ContainerState::Waiting {
        reason: "ContainerCreating".into(),
    };
    cs.ready = false;
}

/// When the container's memory passes its limit, if it ever does.
fn oom_at(spec: &ContainerSpec, app: &super::app::AppBehaviour, since: Millis) -> Option<Millis> {
    let limit = spec.memory_limit?;
    let start = app.memory.unwrap_or(spec.memory_request);
    if start > limit {
        // The app needs a moment to allocate what it uses.
        return Some(since + ALLOCATE);
    }
    if app.memory_growth <= 0 {
        return None;
    }
    let headroom = i128::from(limit - start);
    let ms = headroom * 60_000 / i128::from(app.memory_growth) + 1;
    Some(since + i64::try_from(ms).unwrap_or(i64::MAX / 4).min(i64::MAX / 4))
}

/// The result of one probe at time `at`, with the kubelet's failure message.
fn probe_result(
    kind: ProbeKind,
    probe: &ProbeSpec,
    spec: &ContainerSpec,
    app: &super::app::AppBehaviour,
    since: Millis,
    at: Millis,
    ip: &str,
) -> (bool, String) {
    let serving = at >= since + app.start;
    let failing_after = match kind {
        ProbeKind::Readiness => app.unready_after,
        _ => app.unhealthy_after,
    };
    let broken = failing_after.is_some_and(|f| at >= since + f);
    let port_of = |p: &str| -> String {
        p.parse::<i64>().map_or_else(
            |_| {
                spec.ports
                    .iter()
                    .find(|(n, _)| n.as_deref() == Some(p))
                    .map_or_else(|| p.to_owned(), |(_, n)| n.to_string())
            },
            |n| n.to_string(),
        )
    };
    let named_missing = |p: &str| {
        p.parse::<i64>().is_err() && !spec.ports.iter().any(|(n, _)| n.as_deref() == Some(p))
    };
    match &probe.handler {
        Handler::Http { port, .. } | Handler::Grpc { port } if named_missing(port) => (
            false,
            format!("strconv.Atoi: parsing \"{port}\": invalid syntax"),
        ),
        _ if !serving => match &probe.handler {
            Handler::Http { path, port } => (
                false,
                format!(
                    "Get \"http://{ip}:{}{path}\": dial tcp {ip}:{}: connect: connection refused",
                    port_of(port),
                    port_of(port)
                ),
            ),
            Handler::Tcp { port } | Handler::Grpc { port } => (
                false,
                format!(
                    "dial tcp {ip}:{}: connect: connection refused",
                    port_of(port)
                ),
            ),
            Handler::Exec { .. } => (false, "command exited with status 1".into()),
        },
        _ if app.probe > probe.timeout * 1000 => match &probe.handler {
            Handler::Http { path, port } => (
                false,
                format!(
                    "Get \"http://{ip}:{}{path}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                    port_of(port)
                ),
            ),
            _ => (false, format!("command timed out after {}s", probe.timeout)),
        },
        _ if broken => match &probe.handler {
            Handler::Http { .. } => (false, "HTTP probe failed with statuscode: 503".into()),
            Handler::Tcp { port } | Handler::Grpc { port } => (
                false,
                format!(
                    "dial tcp {ip}:{}: connect: connection refused",
                    port_of(port)
                ),
            ),
            Handler::Exec { .. } => (false, "command exited with status 1".into()),
        },
        _ => (true, String::new()),
    }
}

/// Bytes in the binary units a manifest would use (`128Mi`).
#[must_use]
pub fn format_bytes(b: i64) -> String {
    for (suffix, shift) in [("Gi", 30), ("Mi", 20), ("Ki", 10)] {
        if b != 0 && b % (1i64 << shift) == 0 {
            return format!("{}{suffix}", b >> shift);
        }
    }
    b.to_string()
}

/// A fingerprint of everything a pod view shows, to skip re-rendering unchanged pods.
fn signature(pod: &Pod) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    pod.phase.hash(&mut h);
    pod.ready_since.is_some().hash(&mut h);
    pod.deletion.is_some().hash(&mut h);
    pod.node.hash(&mut h);
    pod.unschedulable.hash(&mut h);
    for c in &pod.containers {
        match &c.state {
            ContainerState::Waiting { reason } => (0u8, reason.as_str(), 0i32).hash(&mut h),
            ContainerState::Running { .. } => (1u8, "", 0i32).hash(&mut h),
            ContainerState::Terminated {
                reason, exit_code, ..
            } => (2u8, reason.as_str(), *exit_code).hash(&mut h),
        }
        c.restarts.hash(&mut h);
        c.ready.hash(&mut h);
        c.last_exit.hash(&mut h);
    }
    h.finish()
}

/// FNV-1a as a `Hasher`: cheap, deterministic, good enough for change detection.
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
