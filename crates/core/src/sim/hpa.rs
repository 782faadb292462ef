//! The HorizontalPodAutoscaler controller (`pkg/controller/podautoscaler`): every 15 s it
//! computes utilisation over the target's pods (`replica_calculator.go`
//! `GetResourceReplicas`: integer utilisation, tolerance 0.1, unready and missing pods),
//! then normalises the recommendation (`horizontal.go`: 5-minute scale-down stabilisation and
//! `max(2×current, 4)` with no `behavior`; stabilisation windows and policies with one).

use super::app::Millis;
use super::cluster::{ContainerState, Pod};
use super::engine::{Key, Sim};
use super::timeline::{ConditionView, CpuView, HpaView};
use crate::yaml::Node;

pub const SYNC_PERIOD: Millis = 15_000;
const TOLERANCE: f64 = 0.1;
const DOWNSCALE_WINDOW: Millis = 300_000;
/// metrics-server's default `--metric-resolution`, also the metric window.
pub const METRIC_RESOLUTION: Millis = 15_000;
/// `--horizontal-pod-autoscaler-cpu-initialization-period`.
const CPU_INITIALIZATION_PERIOD: Millis = 300_000;

#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Average utilisation in percent of the request.
    Utilization(i64),
    /// Average value per pod (millicores for cpu, bytes for memory).
    AverageValue(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResourceMetric {
    pub resource: String,
    pub target: Target,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    Pods,
    Percent,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    pub window: Millis,
    /// `Max`, `Min` or `Disabled`.
    pub select: String,
    pub policies: Vec<(PolicyKind, i64, Millis)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Behavior {
    pub up: Rules,
    pub down: Rules,
}

#[derive(Clone, Debug)]
pub struct Hpa {
    pub name: String,
    pub namespace: String,
    pub target_kind: String,
    pub target_name: String,
    pub min: i64,
    pub max: i64,
    pub metrics: Vec<ResourceMetric>,
    pub behavior: Option<Behavior>,
    pub recommendations: Vec<(Millis, i64)>,
    pub scale_events: Vec<(Millis, i64)>,
    pub next_sync: Millis,
    pub current: i64,
    pub desired: i64,
    pub utilization: Option<i64>,
    pub conditions: Vec<ConditionView>,
    /// Average CPU per running pod of the target at the last sync.
    pub cpu: Option<CpuView>,
}

fn no_metrics() -> String {
    "did not receive metrics for targeted pods (pods might be unready)".into()
}

fn rules(node: Option<&Node>, up: bool) -> Rules {
    // SetDefaults_HorizontalPodAutoscaler for a non-nil behavior.
    let default_policies = if up {
        vec![
            (PolicyKind::Pods, 4, 15_000),
            (PolicyKind::Percent, 100, 15_000),
        ]
    } else {
        vec![(PolicyKind::Percent, 100, 15_000)]
    };
    let window = node
        .and_then(|n| n.get("stabilizationWindowSeconds"))
        .and_then(Node::as_i64)
        .map_or(if up { 0 } else { DOWNSCALE_WINDOW }, |s| s.max(0) * 1000);
    let policies: Vec<_> = node
        .and_then(|n| n.get("policies"))
        .and_then(Node::as_sequence)
        .map(|ps| {
            ps.iter()
                .filter_map(|p| {
                    let kind = match p.get("type").and_then(Node::as_str)? {
                        "Pods" => PolicyKind::Pods,
                        "Percent" => PolicyKind::Percent,
                        _ => return None,
                    };
                    Some((
                        kind,
                        p.get("value")?.as_i64()?,
                        p.get("periodSeconds")?.as_i64()?.max(1) * 1000,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    Rules {
        window,
        select: node
            .and_then(|n| n.get("selectPolicy"))
            .and_then(Node::as_str)
            .unwrap_or("Max")
            .to_owned(),
        policies: if policies.is_empty() {
            default_policies
        } else {
            policies
        },
    }
}

/// Reads an HPA (autoscaling/v2 or v1) with the API server's defaults.
#[must_use]
pub fn parse_hpa(namespace: &str, name: &str, root: &Node) -> Option<Hpa> {
    let spec = root.get("spec")?;
    let target = spec.get("scaleTargetRef")?;
    let mut metrics = Vec::new();
    if let Some(list) = spec.get("metrics").and_then(Node::as_sequence) {
        for m in list {
            let Some(res) = m.get("resource") else {
                continue;
            };
            let Some(resource) = res.get("name").and_then(Node::as_str) else {
                continue;
            };
            let t = res.get("target");
            let target = match t.and_then(|t| t.get("type")).and_then(Node::as_str) {
                Some("AverageValue") => {
                    let q = t
                        .and_then(|t| t.get("averageValue"))
                        .and_then(|v| v.as_scalar())?;
                    let q = crate::model::Quantity::parse(&q.value).ok()?;
                    let v = if resource == "cpu" {
                        q.millis()
                    } else {
                        q.units()
                    };
                    Target::AverageValue(i64::try_from(v).unwrap_or(i64::MAX))
                }
                _ => Target::Utilization(
                    t.and_then(|t| t.get("averageUtilization"))
                        .and_then(Node::as_i64)?,
                ),
            };
            metrics.push(ResourceMetric {
                resource: resource.to_owned(),
                target,
            });
        }
    }
    if let Some(v1) = spec
        .get("targetCPUUtilizationPercentage")
        .and_then(Node::as_i64)
    {
        metrics.push(ResourceMetric {
            resource: "cpu".into(),
            target: Target::Utilization(v1),
        });
    }
    if metrics.is_empty() {
        // Defaulting: CPU at 80% utilisation.
        metrics.push(ResourceMetric {
            resource: "cpu".into(),
            target: Target::Utilization(80),
        });
    }
    let behavior = spec.get("behavior").map(|b| Behavior {
        up: rules(b.get("scaleUp"), true),
        down: rules(b.get("scaleDown"), false),
    });
    Some(Hpa {
        name: name.to_owned(),
        namespace: namespace.to_owned(),
        target_kind: target
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or("Deployment")
            .to_owned(),
        target_name: target
            .get("name")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_owned(),
        min: spec
            .get("minReplicas")
            .and_then(Node::as_i64)
            .unwrap_or(1)
            .max(1),
        max: spec
            .get("maxReplicas")
            .and_then(Node::as_i64)
            .unwrap_or(1)
            .max(1),
        metrics,
        behavior,
        recommendations: Vec::new(),
        scale_events: Vec::new(),
        next_sync: 0,
        current: 0,
        desired: 0,
        utilization: None,
        conditions: Vec::new(),
        cpu: None,
    })
}

/// One pod's sample for the replica calculation.
#[derive(Clone, Copy, Debug)]
pub struct PodSample {
    pub request: i64,
    /// The metric, if the metrics pipeline has one for this pod.
    pub usage: Option<i64>,
    /// Ready for the purpose of the CPU calculation (`groupPods`).
    pub ready: bool,
    /// Phase Pending: counted as unready whatever its metrics say.
    pub pending: bool,
}

/// `groupPods` (`replica_calculator.go`): Pending pods are unready; pods without a metric are
/// missing (checked before readiness); the remaining not-ready pods are unready.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Ready,
    Unready,
    Missing,
}

fn group(p: &PodSample) -> Group {
    if p.pending {
        Group::Unready
    } else if p.usage.is_none() {
        Group::Missing
    } else if p.ready {
        Group::Ready
    } else {
        Group::Unready
    }
}

/// `Tolerances.isWithin`: inclusive on both sides.
fn within(ratio: f64) -> bool {
    ((1.0 - TOLERANCE)..=(1.0 + TOLERANCE)).contains(&ratio)
}

/// `GetResourceReplicas` for a utilisation target: the proposed replica count and the
/// current utilisation (integer percent, floored). `None` when no pod has a usable metric
/// (upstream: `did not receive metrics for targeted pods (pods might be unready)`).
#[must_use]
pub fn resource_replicas(current: i64, target: i64, pods: &[PodSample]) -> Option<(i64, i64)> {
    if target <= 0 {
        return None;
    }
    // One pass: sums per group (no allocation; this runs every 15 s for 24 simulated hours).
    let fallback = target.max(100);
    let (mut ready, mut usage, mut request) = (0i64, 0i64, 0i64);
    let (mut unready, mut unready_request) = (0i64, 0i64);
    let (mut missing, mut missing_request, mut missing_fallback) = (0i64, 0i64, 0i64);
    for p in pods {
        match group(p) {
            Group::Ready => {
                ready += 1;
                usage = usage.saturating_add(p.usage.unwrap_or(0));
                request = request.saturating_add(p.request);
            }
            Group::Unready => {
                unready += 1;
                unready_request = unready_request.saturating_add(p.request);
            }
            Group::Missing => {
                missing += 1;
                missing_request = missing_request.saturating_add(p.request);
                // Per pod, as upstream stores each fallback metric.
                missing_fallback =
                    missing_fallback.saturating_add(p.request.saturating_mul(fallback) / 100);
            }
        }
    }
    if ready == 0 || request <= 0 {
        return None;
    }
    let utilization = usage.saturating_mul(100) / request;
    let ratio = utilization as f64 / target as f64;
    let rebalance_ignored = unready > 0 && ratio > 1.0;
    if !rebalance_ignored && missing == 0 {
        if within(ratio) {
            return Some((current, utilization));
        }
        return Some(((ratio * ready as f64).ceil() as i64, utilization));
    }
    // Missing pods: on a scale-down they use the target (at least 100%) of their request, on
    // a scale-up nothing; at a ratio of exactly 1 they are left out. On a scale-up the unready
    // pods are added back as using nothing.
    let mut usage2 = usage;
    let mut request2 = request;
    let mut count = ready;
    if ratio != 1.0 {
        if ratio < 1.0 {
            usage2 = usage2.saturating_add(missing_fallback);
        }
        request2 = request2.saturating_add(missing_request);
        count += missing;
    }
    if rebalance_ignored {
        request2 = request2.saturating_add(unready_request);
        count += unready;
    }
    if request2 <= 0 {
        return Some((current, utilization));
    }
    let new_ratio = (usage2.saturating_mul(100) / request2) as f64 / target as f64;
    // No scaling when the new ratio is within tolerance or the direction flipped.
    if within(new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0) {
        return Some((current, utilization));
    }
    let proposed = (new_ratio * count as f64).ceil() as i64;
    // Nor when the proposal moves against the metric's direction.
    if (new_ratio < 1.0 && proposed > current) || (new_ratio > 1.0 && proposed < current) {
        return Some((current, utilization));
    }
    Some((proposed, utilization))
}

/// `calculateScaleUpLimit`: with no `behavior`, one sync may at most double the replicas
/// (and always reach 4): `max(2 × current, 4)`.
#[must_use]
pub fn scale_up_limit(current: i64) -> i64 {
    (2 * current).max(4)
}

/// `convertDesiredReplicasWithRules` (behavior nil): the stabilised recommendation clamped to
/// `[min, min(max, scaleUpLimit)]`, with the ScalingLimited reason upstream reports.
#[must_use]
pub fn convert_desired_with_rules(
    current: i64,
    desired: i64,
    min: i64,
    max: i64,
) -> (i64, &'static str) {
    let up = scale_up_limit(current);
    let (maximum, reason) = if max > up {
        (up, "ScaleUpLimit")
    } else {
        (max, "TooManyReplicas")
    };
    if desired < min {
        (min, "TooFewReplicas")
    } else if desired > maximum {
        (maximum, reason)
    } else {
        (desired, "DesiredWithinRange")
    }
}

impl Sim {
    pub(crate) fn sync_hpas(&mut self) -> bool {
        let keys: Vec<Key> = self.hpas.keys().cloned().collect();
        let mut acted = false;
        for key in keys {
            let due = self.hpas.get(&key).is_some_and(|h| h.next_sync <= self.now);
            if due {
                acted |= self.sync_hpa(&key);
                if let Some(h) = self.hpas.get_mut(&key) {
                    h.next_sync = self.now + SYNC_PERIOD;
                    let at = h.next_sync;
                    self.wake_periodic(at);
                }
            }
        }
        acted
    }

    /// CPU of one pod in millicores: what the app would use (`load` step, else the `cpu`
    /// annotation, else its request) and what it gets, throttled by CFS at the sum of its
    /// containers' limits when every container has one.
    pub(crate) fn pod_cpu(p: &Pod, load: Option<i64>) -> (i64, i64) {
        let request = Self::pod_cpu_request(p);
        let demand = p
            .cpu_load
            .or(load)
            .or(p.template.app.cpu_milli)
            .unwrap_or(request)
            .max(0);
        let limit: Option<i64> = p
            .template
            .containers
            .iter()
            .map(|c| c.cpu_limit_milli)
            .sum();
        (demand, limit.map_or(demand, |l| demand.min(l)))
    }

    /// The CPU a pod's containers request (what utilisation divides by).
    fn pod_cpu_request(p: &Pod) -> i64 {
        p.template
            .containers
            .iter()
            .map(|c| c.cpu_request_milli)
            .sum()
    }

    /// The pods the HPA's target selects: a Deployment's ReplicaSets' pods, or a
    /// StatefulSet's pods.
    fn hpa_pods(&self, hpa: &Hpa) -> Result<Vec<&Pod>, String> {
        let key = (hpa.namespace.clone(), hpa.target_name.clone());
        if hpa.target_kind == "StatefulSet" {
            if !self.workloads.statefulsets.contains_key(&key) {
                return Err(format!(
                    "statefulsets.apps \"{}\" not found",
                    hpa.target_name
                ));
            }
            let owner = super::cluster::Owner::StatefulSet(hpa.target_name.clone());
            return Ok(self
                .pods
                .values()
                .filter(|p| p.namespace == hpa.namespace && p.owner == owner)
                .collect());
        }
        let Some(dep) = self.deployments.get(&key) else {
            return Err(format!(
                "deployments.apps \"{}\" not found",
                hpa.target_name
            ));
        };
        Ok(self
            .replicasets
            .values()
            .filter(|r| r.namespace == dep.namespace && r.deployment.as_deref() == Some(&dep.name))
            .flat_map(|r| r.pods.iter())
            .filter_map(|uid| self.pods.get(uid))
            .collect())
    }

    /// The target's `scale.spec.replicas`.
    fn hpa_scale(&self, hpa: &Hpa) -> Option<i64> {
        let key = (hpa.namespace.clone(), hpa.target_name.clone());
        if hpa.target_kind == "StatefulSet" {
            self.workloads.statefulsets.get(&key).map(|s| s.replicas)
        } else {
            self.deployments.get(&key).map(|d| d.spec.replicas)
        }
    }

    fn set_hpa_scale(&mut self, hpa: &Hpa, replicas: i64) {
        let key = (hpa.namespace.clone(), hpa.target_name.clone());
        if hpa.target_kind == "StatefulSet" {
            if let Some(s) = self.workloads.statefulsets.get_mut(&key) {
                s.replicas = replicas;
            }
        } else if let Some(d) = self.deployments.get_mut(&key) {
            d.spec.replicas = replicas;
        }
        // The scale subresource writes the target's spec.replicas.
        self.update_stored(&hpa.target_kind, &key.0, &key.1, |v| {
            v.map_mut("spec").set("replicas", replicas);
        });
    }

    /// The samples the replica calculator sees. The metrics pipeline is metrics-server's:
    /// a pod has a metric once every container has been running for one
    /// `--metric-resolution` (15 s by default; the rate needs two scrapes), taken at the sync
    /// (no lag beyond that). CPU readiness follows `groupPods`: within the 5-minute
    /// `cpuInitializationPeriod` after the pod started, a pod counts only when Ready and ready
    /// for one metric window (15 s) before the sample; afterwards when Ready.
    fn hpa_samples(
        &self,
        hpa: &Hpa,
        pods: &[&Pod],
        resource: &str,
    ) -> Result<Vec<PodSample>, String> {
        let load = self
            .load
            .get(&(hpa.namespace.clone(), hpa.target_name.clone()))
            .copied();
        let now = self.now;
        let mut out = Vec::with_capacity(pods.len());
        for p in pods {
            if p.terminating() || p.phase == "Failed" {
                continue;
            }
            let mut request = 0;
            for c in &p.template.containers {
                let r = if resource == "cpu" {
                    c.cpu_request_milli
                } else {
                    c.memory_request
                };
                if r <= 0 {
                    return Err(format!(
                        "missing request for {resource} in container {} of Pod {}",
                        c.name, p.name
                    ));
                }
                request += r;
            }
            let measured = p.phase == "Running"
                && !p.containers.is_empty()
                && p.containers.iter().all(|c| {
                    matches!(c.state, ContainerState::Running { since } if since + METRIC_RESOLUTION <= now)
                });
            let usage = measured.then(|| {
                if resource == "cpu" {
                    Self::pod_cpu(p, load).1
                } else {
                    super::eviction::pod_memory(p, now)
                }
            });
            let ready = resource != "cpu"
                || p.ready_since.is_some_and(|since| {
                    p.created + CPU_INITIALIZATION_PERIOD <= now || since + METRIC_RESOLUTION <= now
                });
            out.push(PodSample {
                request,
                usage,
                ready,
                pending: p.phase == "Pending",
            });
        }
        Ok(out)
    }

    fn sync_hpa(&mut self, key: &Key) -> bool {
        let Some(mut hpa) = self.hpas.remove(key) else {
            return false;
        };
        let before = (
            hpa.desired,
            hpa.utilization,
            hpa.conditions.clone(),
            hpa.current,
            hpa.cpu.clone(),
        );
        let dep_key = (hpa.namespace.clone(), hpa.target_name.clone());
        let Some(current) = self.hpa_scale(&hpa) else {
            hpa.conditions = vec![cond("AbleToScale", "False", "FailedGetScale")];
            self.hpas.insert(key.clone(), hpa);
            return false;
        };
        let now = self.now;
        if hpa.recommendations.is_empty() {
            hpa.recommendations.push((now, current));
        }
        hpa.current = current;
        // The target's pods, read once: the samples of every metric, and what `kubectl top`
        // would show (the CPU the app asks for and what it gets under the limit).
        let load = self.load.get(&dep_key).copied();
        let samples: Vec<Result<Vec<PodSample>, String>> = match self.hpa_pods(&hpa) {
            Err(e) => {
                hpa.cpu = None;
                hpa.metrics.iter().map(|_| Err(e.clone())).collect()
            }
            Ok(pods) => {
                let (mut demand, mut usage, mut measured, mut throttled) = (0, 0, 0, 0);
                let mut request = 0;
                for p in &pods {
                    if p.phase != "Running" || p.terminating() {
                        continue;
                    }
                    let (d, u) = Self::pod_cpu(p, load);
                    request += Self::pod_cpu_request(p);
                    demand += d;
                    usage += u;
                    measured += 1;
                    throttled += i64::from(u < d);
                }
                hpa.cpu = (measured > 0).then(|| CpuView {
                    request_milli: request / measured,
                    demand_milli: demand / measured,
                    usage_milli: usage / measured,
                    throttled_pods: throttled,
                });
                hpa.metrics
                    .iter()
                    .map(|m| self.hpa_samples(&hpa, &pods, &m.resource))
                    .collect()
            }
        };
        let mut able = cond("AbleToScale", "True", "ReadyForNewScale");
        let mut active = cond("ScalingActive", "True", "ValidMetricFound");
        let mut limited = cond("ScalingLimited", "False", "DesiredWithinRange");
        // reconcileAutoscaler: out-of-range counts are clamped without looking at metrics.
        let mut reason = String::new();
        let desired = if current == 0 {
            active = cond("ScalingActive", "False", "ScalingDisabled");
            0
        } else if current > hpa.max {
            limited = cond("ScalingLimited", "True", "TooManyReplicas");
            reason = "Current number of replicas above Spec.MaxReplicas".into();
            hpa.max
        } else if current < hpa.min {
            limited = cond("ScalingLimited", "True", "TooFewReplicas");
            reason = "Current number of replicas below Spec.MinReplicas".into();
            hpa.min
        } else {
            // computeReplicasForMetrics: the largest proposal wins (the first on ties).
            let mut proposal: Option<(i64, String)> = None;
            let mut error = None;
            let mut invalid = 0;
            for (m, samples) in hpa.metrics.iter().zip(&samples) {
                let computed = samples.as_ref().map_err(Clone::clone).and_then(|samples| {
                    let (replicas, name) = match m.target {
                        Target::Utilization(u) => {
                            let (p, util) =
                                resource_replicas(current, u, samples).ok_or_else(no_metrics)?;
                            if m.resource == "cpu" || hpa.utilization.is_none() {
                                hpa.utilization = Some(util);
                            }
                            (
                                p,
                                format!(
                                    "{} resource utilization (percentage of request)",
                                    m.resource
                                ),
                            )
                        }
                        Target::AverageValue(v) => (
                            plain_replicas(current, v, samples).ok_or_else(no_metrics)?,
                            format!("{} resource", m.resource),
                        ),
                    };
                    Ok((replicas, name))
                });
                match computed {
                    Ok((p, name)) => {
                        if proposal.as_ref().is_none_or(|(best, _)| p > *best) {
                            proposal = Some((p, name));
                        }
                    }
                    Err(e) => {
                        invalid += 1;
                        error = Some(format!("failed to get {} utilization: {e}", m.resource));
                    }
                }
            }
            // An invalid metric blocks a scale-down (it might have wanted more pods).
            let blocked = invalid > 0 && proposal.as_ref().is_some_and(|(p, _)| *p < current);
            match (proposal, error) {
                (Some((p, name)), _) if !blocked => {
                    let d = self.normalize(&mut hpa, current, p, &mut able, &mut limited);
                    reason = if d > current {
                        format!("{name} above target")
                    } else {
                        "All metrics below target".into()
                    };
                    d
                }
                (_, Some(e)) => {
                    active = cond("ScalingActive", "False", "FailedGetResourceMetric");
                    self.event(
                        "Warning",
                        "FailedGetResourceMetric",
                        format!("horizontalpodautoscaler/{}", hpa.name),
                        e,
                        None,
                    );
                    current
                }
                _ => current,
            }
        };
        hpa.desired = desired;
        hpa.conditions = vec![able, active, limited];
        let rescale = desired != current && current != 0;
        if rescale {
            hpa.scale_events.push((now, desired - current));
            self.event(
                "Normal",
                "SuccessfulRescale",
                format!("horizontalpodautoscaler/{}", hpa.name),
                format!("New size: {desired}; reason: {reason}"),
                None,
            );
            self.set_hpa_scale(&hpa, desired);
        }
        let view_changed = before
            != (
                hpa.desired,
                hpa.utilization,
                hpa.conditions.clone(),
                hpa.current,
                hpa.cpu.clone(),
            );
        self.hpas.insert(key.clone(), hpa);
        self.changed |= view_changed;
        rescale
    }

    fn normalize(
        &self,
        hpa: &mut Hpa,
        current: i64,
        proposal: i64,
        able: &mut ConditionView,
        limited: &mut ConditionView,
    ) -> i64 {
        let n = match &hpa.behavior {
            None => normalize_plain(
                &mut hpa.recommendations,
                self.now,
                current,
                proposal,
                hpa.min,
                hpa.max,
            ),
            Some(b) => normalize_with_behaviors(
                b,
                &mut hpa.recommendations,
                &mut hpa.scale_events,
                self.now,
                current,
                proposal,
                hpa.min,
                hpa.max,
            ),
        };
        *able = cond("AbleToScale", "True", n.able);
        *limited = cond(
            "ScalingLimited",
            if n.limited { "True" } else { "False" },
            n.limit_reason,
        );
        n.desired
    }

    pub(crate) fn hpa_views(&self) -> Vec<HpaView> {
        self.hpas
            .values()
            .map(|h| HpaView {
                name: h.name.clone(),
                reference: format!("{}/{}", h.target_kind, h.target_name),
                min_replicas: h.min,
                max_replicas: h.max,
                current_replicas: h.current,
                desired_replicas: h.desired,
                current_utilization: h.utilization,
                target_utilization: h.metrics.iter().find_map(|m| match m.target {
                    Target::Utilization(u) => Some(u),
                    Target::AverageValue(_) => None,
                }),
                conditions: h.conditions.clone(),
                cpu: h.cpu.clone(),
                scale_down_window_seconds: h
                    .behavior
                    .as_ref()
                    .map_or(DOWNSCALE_WINDOW, |b| b.down.window)
                    / 1000,
            })
            .collect()
    }
}

fn cond(kind: &str, status: &str, reason: &str) -> ConditionView {
    ConditionView {
        kind: kind.into(),
        status: status.into(),
        reason: reason.into(),
    }
}

/// The outcome of one normalisation, with the condition reasons upstream sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Normalized {
    pub desired: i64,
    /// AbleToScale reason: `ReadyForNewScale`, `ScaleUpStabilized` or `ScaleDownStabilized`.
    pub able: &'static str,
    /// ScalingLimited is True (the rules changed the stabilised recommendation).
    pub limited: bool,
    pub limit_reason: &'static str,
}

/// `normalizeDesiredReplicas` (no `behavior`): `stabilizeRecommendation` keeps the highest
/// recommendation of the last 5 minutes (a sample is stale only when it is older than the
/// window: `rec.timestamp.Before(cutoff)`), then `convertDesiredReplicasWithRules`.
pub fn normalize_plain(
    recommendations: &mut Vec<(Millis, i64)>,
    now: Millis,
    current: i64,
    proposal: i64,
    min: i64,
    max: i64,
) -> Normalized {
    recommendations.retain(|(t, _)| now - t <= DOWNSCALE_WINDOW);
    let stabilized = recommendations
        .iter()
        .map(|(_, r)| *r)
        .fold(proposal, i64::max);
    recommendations.push((now, proposal));
    let (desired, limit_reason) = convert_desired_with_rules(current, stabilized, min, max);
    Normalized {
        desired,
        able: if stabilized == proposal {
            "ReadyForNewScale"
        } else {
            "ScaleDownStabilized"
        },
        limited: desired != stabilized,
        limit_reason,
    }
}

/// `normalizeDesiredReplicasWithBehaviors`: `stabilizeRecommendationWithBehaviors` (towards
/// the current count: the lowest recent recommendation within the scale-up window when
/// going up, the highest within the scale-down window when going down), then
/// `convertDesiredReplicasWithBehaviorRate` with the policies' `periodStart` bookkeeping.
/// `scale_events` holds every rescale as a signed change; it is pruned to the longest period.
#[allow(clippy::too_many_arguments)]
pub fn normalize_with_behaviors(
    b: &Behavior,
    recommendations: &mut Vec<(Millis, i64)>,
    scale_events: &mut Vec<(Millis, i64)>,
    now: Millis,
    current: i64,
    proposal: i64,
    min: i64,
    max: i64,
) -> Normalized {
    let up = proposal >= current;
    let window = if up { b.up.window } else { b.down.window };
    let longest = b.up.window.max(b.down.window);
    // Samples at or inside the longest window are kept (`Before(obsoleteCutoff)` is stale).
    recommendations.retain(|(t, _)| now - t <= longest);
    let mut stabilized = proposal;
    for (t, r) in recommendations.iter() {
        // `rec.timestamp.After(cutoff)`: strictly inside the window.
        if now - t < window {
            stabilized = if up {
                stabilized.min(*r)
            } else {
                stabilized.max(*r)
            };
        }
    }
    recommendations.push((now, proposal));
    let able = if stabilized == proposal {
        "ReadyForNewScale"
    } else if up {
        "ScaleUpStabilized"
    } else {
        "ScaleDownStabilized"
    };
    let longest_period =
        b.up.policies
            .iter()
            .chain(&b.down.policies)
            .map(|p| p.2)
            .max()
            .unwrap_or(0);
    scale_events.retain(|(t, _)| now - t < longest_period);
    // getReplicasChangePerPeriod: changes strictly inside the period.
    let period_start = |period: Millis| -> i64 {
        let (mut added, mut deleted) = (0, 0);
        for (t, d) in scale_events.iter() {
            if now - t < period {
                if *d > 0 {
                    added += d;
                } else {
                    deleted -= d;
                }
            }
        }
        current - added + deleted
    };
    let (desired, limit_reason) = if stabilized > current {
        // calculateScaleUpLimitWithScalingRules
        let limit = match b.up.select.as_str() {
            "Disabled" => current,
            select => {
                let proposals = b.up.policies.iter().map(|(kind, value, period)| {
                    let start = period_start(*period);
                    match kind {
                        PolicyKind::Pods => start + value,
                        // Rounded up so that a small percentage still adds a pod.
                        PolicyKind::Percent => {
                            (start as f64 * (1.0 + *value as f64 / 100.0)).ceil() as i64
                        }
                    }
                });
                if select == "Min" {
                    proposals.min()
                } else {
                    proposals.max()
                }
                .unwrap_or(current)
            }
        }
        .max(current);
        let (maximum, reason) = if max > limit {
            (limit, "ScaleUpLimit")
        } else {
            (max, "TooManyReplicas")
        };
        if stabilized > maximum {
            (maximum, reason)
        } else {
            (stabilized, "DesiredWithinRange")
        }
    } else if stabilized < current {
        // calculateScaleDownLimitWithBehaviors: Max selects the largest change, the
        // smallest count; Percent truncates.
        let limit = match b.down.select.as_str() {
            "Disabled" => current,
            select => {
                let proposals = b.down.policies.iter().map(|(kind, value, period)| {
                    let start = period_start(*period);
                    match kind {
                        PolicyKind::Pods => start - value,
                        PolicyKind::Percent => {
                            (start as f64 * (1.0 - *value as f64 / 100.0)) as i64
                        }
                    }
                });
                if select == "Min" {
                    proposals.max()
                } else {
                    proposals.min()
                }
                .unwrap_or(current)
            }
        }
        .min(current);
        let (minimum, reason) = if min < limit {
            (limit, "ScaleDownLimit")
        } else {
            (min, "TooFewReplicas")
        };
        if stabilized < minimum {
            (minimum, reason)
        } else {
            (stabilized, "DesiredWithinRange")
        }
    } else {
        (stabilized, "DesiredWithinRange")
    };
    Normalized {
        desired,
        able,
        limited: desired != stabilized,
        limit_reason,
    }
}

/// `calcPlainMetricReplicas` for an `AverageValue` target (per-pod usage in the metric's
/// unit): the same grouping as utilisation, with `GetMetricUsageRatio` (integer average).
#[must_use]
pub fn plain_replicas(current: i64, target: i64, pods: &[PodSample]) -> Option<i64> {
    if target <= 0 {
        return None;
    }
    let ready: Vec<i64> = pods
        .iter()
        .filter(|p| group(p) == Group::Ready)
        .filter_map(|p| p.usage)
        .collect();
    let unready = pods.iter().filter(|p| group(p) == Group::Unready).count() as i64;
    let missing = pods.iter().filter(|p| group(p) == Group::Missing).count() as i64;
    if ready.is_empty() {
        return None;
    }
    let n = ready.len() as i64;
    let total: i64 = ready.iter().sum();
    let ratio = (total / n) as f64 / target as f64;
    let rebalance = unready > 0 && ratio > 1.0;
    if !rebalance && missing == 0 {
        if within(ratio) {
            return Some(current);
        }
        return Some((ratio * n as f64).ceil() as i64);
    }
    let (mut total2, mut n2) = (total, n);
    if missing > 0 {
        if ratio < 1.0 {
            total2 += target * missing;
        }
        n2 += missing;
    }
    if rebalance {
        n2 += unready;
    }
    let new_ratio = (total2 / n2) as f64 / target as f64;
    if within(new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0) {
        return Some(current);
    }
    let proposed = (new_ratio * n2 as f64).ceil() as i64;
    if (new_ratio < 1.0 && proposed > current) || (new_ratio > 1.0 && proposed < current) {
        return Some(current);
    }
    Some(proposed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (request, usage, ready); a `None` usage is a missing metric.
    fn pods(spec: &[(i64, Option<i64>, bool)]) -> Vec<PodSample> {
        spec.iter()
            .map(|&(request, usage, ready)| PodSample {
                request,
                usage,
                ready,
                pending: false,
            })
            .collect()
    }

    fn replicas(current: i64, target: i64, p: &[PodSample]) -> Option<i64> {
        resource_replicas(current, target, p).map(|r| r.0)
    }

    // The rows of replica_calculator_test.go (k8s-semantics.md §3.1), per-pod totals of the
    // upstream's two containers.
    #[test]
    fn replica_calculator_table() {
        let k = 1000;
        // ScaleUp: util 50 of 30 → 5.
        let p = pods(&[
            (k, Some(300), true),
            (k, Some(500), true),
            (k, Some(700), true),
        ]);
        assert_eq!(resource_replicas(3, 30, &p), Some((5, 50)));
        // ScaleUpUnreadyLessScale: the unready pod is added back at 0 → 4.
        let p = pods(&[
            (k, Some(300), false),
            (k, Some(500), true),
            (k, Some(700), true),
        ]);
        assert_eq!(replicas(3, 30, &p), Some(4));
        // ScaleUpUnreadyNoScale: with the unready pods at 0 the direction flips → 3.
        let p = pods(&[
            (k, Some(400), true),
            (k, Some(500), false),
            (k, Some(700), false),
        ]);
        assert_eq!(replicas(3, 30, &p), Some(3));
        // ScaleUpIgnoresFailedPods (failed pods never become samples) → 4.
        let p = pods(&[(k, Some(500), true), (k, Some(700), true)]);
        assert_eq!(replicas(2, 30, &p), Some(4));
        // ScaleDown: util 28 of 50 → 3.
        let p = pods(&[
            (k, Some(100), true),
            (k, Some(300), true),
            (k, Some(500), true),
            (k, Some(250), true),
            (k, Some(250), true),
        ]);
        assert_eq!(resource_replicas(5, 50, &p), Some((3, 28)));
        // ScaleDownExcludeUnreadyPods → 2.
        let p = pods(&[
            (k, Some(100), true),
            (k, Some(300), true),
            (k, Some(500), true),
            (k, Some(250), false),
            (k, Some(250), false),
        ]);
        assert_eq!(replicas(5, 50, &p), Some(2));
        // ScaleDownExcludeUnscheduledPods: 4 Pending pods are unready → 1.
        let mut p = pods(&[
            (k, Some(100), true),
            (k, None, false),
            (k, None, false),
            (k, None, false),
            (k, None, false),
        ]);
        for s in p.iter_mut().skip(1) {
            s.pending = true;
        }
        assert_eq!(replicas(5, 50, &p), Some(1));
        // Tolerance: util 102 of 100 stays.
        let p = pods(&[
            (900, Some(1010), true),
            (k, Some(1030), true),
            (1100, Some(1020), true),
        ]);
        assert_eq!(resource_replicas(3, 100, &p), Some((3, 102)));
        // MissingMetrics: the missing pods count as 100% on a scale-down → 3.
        let p = pods(&[
            (k, Some(400), true),
            (k, Some(95), true),
            (k, None, true),
            (k, None, true),
        ]);
        assert_eq!(replicas(4, 100, &p), Some(3));
        // MissingMetricsNoChangeEq / Gt / Lt → 2.
        for usage in [1000, 1900, 600] {
            let p = pods(&[(k, Some(usage), true), (k, None, true)]);
            assert_eq!(replicas(2, 100, &p), Some(2), "usage {usage}");
        }
        // MissingMetricsUnreadyChange → 3.
        let p = pods(&[(k, Some(100), false), (k, Some(450), true), (k, None, true)]);
        assert_eq!(replicas(3, 50, &p), Some(3));
        // MissingMetricsUnreadyScaleUp → 4.
        let p = pods(&[
            (k, Some(100), false),
            (k, Some(2000), true),
            (k, None, true),
        ]);
        assert_eq!(replicas(3, 50, &p), Some(4));
        // MissingMetricsUnreadyScaleDown → 3.
        let p = pods(&[
            (k, Some(100), false),
            (k, Some(100), true),
            (k, Some(100), true),
            (k, None, true),
        ]);
        assert_eq!(replicas(4, 50, &p), Some(3));
        // MissingMetricsScaleDownTargetOver100: missing pods count at the target (300%) → 2.
        let p = pods(&[
            (1000, Some(200), false),
            (1000, Some(100), true),
            (2000, Some(100), true),
            (2000, None, true),
        ]);
        assert_eq!(replicas(4, 300, &p), Some(2));
        // DuringRollingUpdateWithMaxSurge: the surge pod has no metric yet → 2.
        let p = pods(&[(k, Some(100), true), (k, Some(100), true), (k, None, true)]);
        assert_eq!(replicas(2, 50, &p), Some(2));
        // No usable metric at all: an error upstream.
        let p = pods(&[(k, None, true)]);
        assert_eq!(replicas(1, 50, &p), None);
    }

    // The tolerance is inclusive on both sides (Tolerances.isWithin).
    #[test]
    fn tolerance_is_inclusive() {
        let p = pods(&[(1000, Some(900), true)]);
        assert_eq!(replicas(1, 100, &p), Some(1));
        let p = pods(&[(1000, Some(1100), true)]);
        assert_eq!(replicas(1, 100, &p), Some(1));
        let p = pods(&[(1000, Some(1110), true)]);
        assert_eq!(replicas(1, 100, &p), Some(2));
        let p = pods(&[(1000, Some(890), true), (1000, Some(890), true)]);
        assert_eq!(replicas(2, 100, &p), Some(2));
    }

    // calcPlainMetricReplicas (AverageValue targets).
    #[test]
    fn plain_metric_replicas() {
        // 3 pods averaging 300m against 100m → 9.
        let p = pods(&[
            (100, Some(300), true),
            (100, Some(300), true),
            (100, Some(300), true),
        ]);
        assert_eq!(plain_replicas(3, 100, &p), Some(9));
        // Within tolerance.
        let p = pods(&[(100, Some(105), true)]);
        assert_eq!(plain_replicas(1, 100, &p), Some(1));
    }

    // TestConvertDesiredReplicasWithRules (horizontal_test.go).
    #[test]
    fn convert_desired_replicas_with_rules() {
        assert_eq!(
            convert_desired_with_rules(5, 7, 3, 8),
            (7, "DesiredWithinRange")
        );
        assert_eq!(
            convert_desired_with_rules(3, 1, 2, 8),
            (2, "TooFewReplicas")
        );
        assert_eq!(
            convert_desired_with_rules(1, 0, 0, 10),
            (0, "DesiredWithinRange")
        );
        assert_eq!(
            convert_desired_with_rules(20, 1000, 1, 10),
            (10, "TooManyReplicas")
        );
        assert_eq!(
            convert_desired_with_rules(3, 1000, 1, 2000),
            (scale_up_limit(3), "ScaleUpLimit")
        );
        assert_eq!(scale_up_limit(3), 6);
        assert_eq!(scale_up_limit(1), 4);
        assert_eq!(scale_up_limit(10), 20);
    }

    // TestNormalizeDesiredReplicas (stabilizeRecommendation, 5-minute window).
    #[test]
    fn stabilize_recommendation() {
        let now = 3_600_000;
        const MIN: Millis = 60_000;
        // (recommendation, age) pairs, the new proposal, the stabilised result.
        type Case = (&'static [(i64, Millis)], i64, i64);
        let cases: &[Case] = &[
            (&[], 5, 5),
            (&[(4, 2 * MIN), (5, MIN)], 3, 5),
            (&[(1, 2 * MIN), (2, MIN)], 3, 3),
            (&[(10, 10 * MIN), (9, 9 * MIN)], 3, 3),
            (
                &[(10, 10 * MIN), (4, MIN), (5, 2 * MIN), (9, 9 * MIN)],
                3,
                5,
            ),
        ];
        for (recs, proposal, expected) in cases {
            let mut log: Vec<(Millis, i64)> = recs.iter().map(|(r, ago)| (now - ago, *r)).collect();
            let n = normalize_plain(&mut log, now, 3, *proposal, 1, 100);
            assert_eq!(n.desired, *expected, "{recs:?} {proposal}");
            assert_eq!(
                n.able,
                if expected == proposal {
                    "ReadyForNewScale"
                } else {
                    "ScaleDownStabilized"
                }
            );
        }
        // A recommendation exactly 5 minutes old still counts (`Before(cutoff)` is strict).
        let mut log = vec![(now - 300_000, 6)];
        assert_eq!(normalize_plain(&mut log, now, 6, 2, 1, 10).desired, 6);
        let mut log = vec![(now - 300_001, 6)];
        assert_eq!(normalize_plain(&mut log, now, 6, 2, 1, 10).desired, 2);
    }

    fn rules(pods: i64, pods_period: i64, percent: i64, percent_period: i64, window: i64) -> Rules {
        let mut policies = Vec::new();
        if pods != 0 {
            policies.push((PolicyKind::Pods, pods, pods_period * 1000));
        }
        if percent != 0 {
            policies.push((PolicyKind::Percent, percent, percent_period * 1000));
        }
        Rules {
            window: window * 1000,
            select: "Max".into(),
            policies,
        }
    }

    fn default_up() -> Rules {
        rules(4, 15, 100, 15, 0)
    }

    fn default_down() -> Rules {
        rules(0, 0, 100, 15, 300)
    }

    /// generateEventsUniformDistribution(raw, 120): events centred in equal segments of the
    /// last 120 s, oldest first; `sign` is +1 for scale-ups, −1 for scale-downs.
    fn events(raw: &[i64], sign: i64, now: Millis) -> Vec<(Millis, i64)> {
        let seg = 120_000 / raw.len() as i64;
        raw.iter()
            .enumerate()
            .map(|(i, r)| (now - (120_000 - seg * (i as i64 + 1) + seg / 2), sign * r))
            .collect()
    }

    // TestScalingWithRules (convertDesiredReplicasWithBehaviorRate), no stabilisation
    // history so the stabilised value equals the proposal.
    #[test]
    fn scaling_with_rules() {
        let now = 3_600_000;
        struct Case {
            up: Rules,
            down: Rules,
            events: Vec<(Millis, i64)>,
            min: i64,
            max: i64,
            current: i64,
            desired: i64,
            expected: i64,
            reason: &'static str,
        }
        let c = |up: Option<Rules>,
                 down: Option<Rules>,
                 events,
                 min,
                 max,
                 current,
                 desired,
                 expected,
                 reason| Case {
            up: up.unwrap_or_else(default_up),
            down: down.unwrap_or_else(default_down),
            events,
            min,
            max,
            current,
            desired,
            expected,
            reason,
        };
        let up3 = |e: &[i64]| events(e, 1, now);
        let down3 = |e: &[i64]| events(e, -1, now);
        let cases = vec![
            c(None, None, vec![], 3, 8, 5, 7, 7, "DesiredWithinRange"),
            c(None, None, vec![], 2, 8, 3, 1, 2, "TooFewReplicas"),
            c(None, None, vec![], 1, 10, 20, 1000, 10, "TooManyReplicas"),
            c(
                None,
                None,
                vec![],
                100,
                150,
                100,
                1000,
                150,
                "TooManyReplicas",
            ),
            c(
                Some(rules(0, 0, 1, 60, 0)),
                None,
                vec![],
                1,
                2000,
                3,
                1000,
                4,
                "ScaleUpLimit",
            ),
            c(
                None,
                Some(rules(20, 60, 0, 0, 0)),
                vec![],
                3,
                2000,
                1000,
                3,
                980,
                "ScaleDownLimit",
            ),
            c(None, None, vec![], 1, 1000, 10, 50, 20, "ScaleUpLimit"),
            c(
                Some(rules(100, 60, 100, 60, 0)),
                None,
                vec![],
                1,
                1000,
                10,
                500,
                110,
                "ScaleUpLimit",
            ),
            c(
                Some(rules(2, 60, 100, 60, 0)),
                None,
                vec![],
                1,
                1000,
                10,
                500,
                20,
                "ScaleUpLimit",
            ),
            c(
                Some(rules(100, 60, 0, 0, 0)),
                None,
                vec![],
                1,
                1000,
                10,
                50,
                50,
                "DesiredWithinRange",
            ),
            c(
                Some(rules(30, 60, 0, 0, 0)),
                None,
                vec![],
                1,
                1000,
                10,
                50,
                40,
                "ScaleUpLimit",
            ),
            c(
                Some(rules(0, 0, 200, 60, 0)),
                None,
                vec![],
                1,
                1000,
                10,
                50,
                30,
                "ScaleUpLimit",
            ),
            c(
                None,
                Some(rules(20, 60, 1, 60, 300)),
                vec![],
                1,
                1000,
                100,
                2,
                80,
                "ScaleDownLimit",
            ),
            c(
                None,
                Some(rules(2, 60, 1, 60, 300)),
                vec![],
                1,
                1000,
                100,
                2,
                98,
                "ScaleDownLimit",
            ),
            c(
                None,
                Some(rules(100, 60, 0, 0, 300)),
                vec![],
                1,
                1000,
                10,
                0,
                1,
                "TooFewReplicas",
            ),
            c(
                None,
                Some(rules(0, 0, 100, 60, 300)),
                vec![],
                5,
                1000,
                10,
                2,
                5,
                "TooFewReplicas",
            ),
            c(
                None,
                Some(rules(5, 60, 0, 0, 300)),
                vec![],
                1,
                1000,
                10,
                2,
                5,
                "ScaleDownLimit",
            ),
            c(
                None,
                Some(rules(0, 0, 50, 60, 300)),
                vec![],
                1,
                1000,
                10,
                5,
                5,
                "DesiredWithinRange",
            ),
            // With previous events (generateEventsUniformDistribution([1,5,9], 120)).
            c(
                Some(rules(300, 60, 0, 0, 0)),
                None,
                up3(&[1, 5, 9]),
                1,
                200,
                100,
                500,
                200,
                "TooManyReplicas",
            ),
            c(
                Some(rules(5, 120, 0, 0, 0)),
                None,
                up3(&[1, 5, 9]),
                1,
                1000,
                100,
                500,
                100,
                "ScaleUpLimit",
            ),
            c(
                Some(rules(150, 120, 0, 0, 0)),
                None,
                up3(&[1, 5, 9]),
                1,
                1000,
                100,
                500,
                235,
                "ScaleUpLimit",
            ),
            c(
                Some(rules(0, 0, 200, 120, 0)),
                None,
                up3(&[1, 5, 9]),
                1,
                1000,
                100,
                500,
                255,
                "ScaleUpLimit",
            ),
            c(
                None,
                None,
                down3(&[1, 5, 9]),
                1,
                1000,
                10,
                5,
                5,
                "DesiredWithinRange",
            ),
            c(
                None,
                Some(rules(115, 120, 0, 0, 300)),
                down3(&[1, 5, 9]),
                1,
                1000,
                100,
                0,
                1,
                "TooFewReplicas",
            ),
            c(
                None,
                Some(rules(130, 120, 0, 0, 300)),
                down3(&[1, 5, 9]),
                5,
                1000,
                100,
                0,
                5,
                "TooFewReplicas",
            ),
            c(
                None,
                Some(rules(0, 0, 100, 120, 300)),
                down3(&[1, 5, 9]),
                5,
                1000,
                100,
                2,
                5,
                "TooFewReplicas",
            ),
            c(
                None,
                Some(rules(5, 120, 0, 0, 300)),
                down3(&[1, 5, 9]),
                1,
                1000,
                100,
                2,
                100,
                "ScaleDownLimit",
            ),
            c(
                None,
                Some(rules(0, 0, 50, 120, 300)),
                down3(&[2, 4, 6]),
                1,
                1000,
                100,
                0,
                56,
                "ScaleDownLimit",
            ),
            c(
                None,
                Some(rules(0, 0, 10, 120, 300)),
                down3(&[10, 10, 10]),
                1,
                1000,
                100,
                0,
                100,
                "ScaleDownLimit",
            ),
            c(
                None,
                Some(rules(0, 0, 1000, 120, 300)),
                down3(&[10, 10, 10]),
                1,
                1000,
                10,
                5,
                5,
                "DesiredWithinRange",
            ),
            c(
                Some(rules(1000, 60, 0, 0, 0)),
                None,
                up3(&[8, 12, 9, 11]),
                1,
                1000,
                100,
                200,
                200,
                "DesiredWithinRange",
            ),
            c(
                Some(rules(1000, 30, 100, 60, 0)),
                None,
                up3(&[8, 12, 9, 11]),
                1,
                1000,
                100,
                200,
                200,
                "DesiredWithinRange",
            ),
            c(
                None,
                Some(rules(1000, 30, 100, 60, 300)),
                down3(&[8, 12, 9, 11]),
                1,
                1000,
                100,
                5,
                5,
                "DesiredWithinRange",
            ),
        ];
        for (i, case) in cases.into_iter().enumerate() {
            let b = Behavior {
                up: case.up,
                down: case.down,
            };
            let mut recs = Vec::new();
            let mut ev = case.events;
            let n = normalize_with_behaviors(
                &b,
                &mut recs,
                &mut ev,
                now,
                case.current,
                case.desired,
                case.min,
                case.max,
            );
            assert_eq!(
                (n.desired, n.limit_reason),
                (case.expected, case.reason),
                "case {i}"
            );
        }
    }

    // stabilizeRecommendationWithBehaviors: towards the current count within each window.
    #[test]
    fn stabilize_with_behaviors() {
        let now = 1_000_000;
        let b = Behavior {
            up: rules(4, 15, 100, 15, 60),
            down: default_down(),
        };
        // Going up: the lowest recommendation of the last 60 s.
        let mut recs = vec![(now - 30_000, 6), (now - 90_000, 4)];
        let n = normalize_with_behaviors(&b, &mut recs, &mut Vec::new(), now, 5, 10, 1, 100);
        assert_eq!((n.desired, n.able), (6, "ScaleUpStabilized"));
        // Going down: the highest of the last 300 s.
        let mut recs = vec![(now - 200_000, 9), (now - 400_000, 12)];
        let n = normalize_with_behaviors(&b, &mut recs, &mut Vec::new(), now, 10, 3, 1, 100);
        assert_eq!((n.desired, n.able), (9, "ScaleDownStabilized"));
        // Recommendations older than the longest window are dropped.
        assert!(recs.iter().all(|(t, _)| now - t <= 300_000));
    }
}
