//! The HorizontalPodAutoscaler controller (`pkg/controller/podautoscaler`): every 15 s it
//! computes utilisation over the target's pods (`replica_calculator.go`
//! `GetResourceReplicas`: integer utilisation, tolerance 0.1, unready and missing pods),
//! then normalises the recommendation (`horizontal.go`: 5-minute scale-down stabilisation and
//! `max(2×current, 4)` with no `behavior`; stabilisation windows and policies with one).

use super::app::Millis;
use super::engine::{Key, Sim};
use super::timeline::{ConditionView, HpaView};
use crate::yaml::Node;

pub const SYNC_PERIOD: Millis = 15_000;
const TOLERANCE: f64 = 0.1;
const DOWNSCALE_WINDOW: Millis = 300_000;

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
    })
}

/// One pod's sample for the replica calculation.
#[derive(Clone, Copy, Debug)]
pub struct PodSample {
    pub request: i64,
    pub usage: Option<i64>,
    pub ready: bool,
}

/// `GetResourceReplicas` for a utilisation target: the proposed replica count and the
/// current utilisation (integer percent, floored).
#[must_use]
pub fn resource_replicas(current: i64, target: i64, pods: &[PodSample]) -> Option<(i64, i64)> {
    let ready: Vec<&PodSample> = pods
        .iter()
        .filter(|p| p.ready && p.usage.is_some())
        .collect();
    let unready = pods.iter().filter(|p| !p.ready).count() as i64;
    let missing: Vec<&PodSample> = pods
        .iter()
        .filter(|p| p.ready && p.usage.is_none())
        .collect();
    if ready.is_empty() || target <= 0 {
        return None;
    }
    let usage: i64 = ready.iter().filter_map(|p| p.usage).sum();
    let request: i64 = ready.iter().map(|p| p.request).sum();
    if request <= 0 {
        return None;
    }
    let utilization = usage * 100 / request;
    let ratio = utilization as f64 / target as f64;
    let within = |r: f64| ((1.0 - TOLERANCE)..=(1.0 + TOLERANCE)).contains(&r);
    if missing.is_empty() && !(unready > 0 && ratio > 1.0) {
        if within(ratio) {
            return Some((current, utilization));
        }
        return Some(((ratio * ready.len() as f64).ceil() as i64, utilization));
    }
    // Missing pods count as using their request × max(100, target)% when scaling down, 0 when up;
    // unready pods are added back as 0 when scaling up.
    let mut usage2 = usage;
    let mut request2 = request;
    let mut count = ready.len() as i64;
    for p in &missing {
        if ratio < 1.0 {
            usage2 += p.request * target.max(100) / 100;
        }
        request2 += p.request;
        count += 1;
    }
    if ratio > 1.0 {
        for p in pods.iter().filter(|p| !p.ready) {
            request2 += p.request;
            count += 1;
        }
    }
    if request2 <= 0 {
        return Some((current, utilization));
    }
    let new_ratio = (usage2 * 100 / request2) as f64 / target as f64;
    if within(new_ratio) || (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0) {
        return Some((current, utilization));
    }
    let proposed = (new_ratio * count as f64).ceil() as i64;
    if (new_ratio < 1.0 && proposed > current) || (new_ratio > 1.0 && proposed < current) {
        return Some((current, utilization));
    }
    Some((proposed, utilization))
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
                    self.wake_controllers(at);
                }
            }
        }
        acted
    }

    fn hpa_samples(&self, hpa: &Hpa, resource: &str) -> Result<Vec<PodSample>, String> {
        let dep_key = (hpa.namespace.clone(), hpa.target_name.clone());
        let load = self.load.get(&dep_key).copied();
        let Some(dep) = self.deployments.get(&dep_key) else {
            return Err(format!(
                "deployments/scale.apps \"{}\" not found",
                hpa.target_name
            ));
        };
        let mut out = Vec::new();
        let owned = self
            .replicasets
            .values()
            .filter(|r| r.namespace == dep.namespace && r.deployment.as_deref() == Some(&dep.name))
            .flat_map(|r| r.pods.iter())
            .filter_map(|uid| self.pods.get(uid));
        for p in owned {
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
            let running = p.phase == "Running";
            let usage = running.then(|| {
                if resource == "cpu" {
                    let per_pod = p
                        .cpu_load
                        .or(load)
                        .or(p.template.app.cpu_milli)
                        .unwrap_or(request);
                    // CPU is throttled at the limit.
                    let limit: Option<i64> = p
                        .template
                        .containers
                        .iter()
                        .map(|c| c.cpu_limit_milli)
                        .sum();
                    limit.map_or(per_pod, |l| per_pod.min(l))
                } else {
                    p.template.app.memory.unwrap_or(request)
                }
            });
            out.push(PodSample {
                request,
                usage,
                ready: p.phase != "Pending" && (resource != "cpu" || p.ready()),
            });
        }
        Ok(out)
    }

    fn sync_hpa(&mut self, key: &Key) -> bool {
        let Some(mut hpa) = self.hpas.get(key).cloned() else {
            return false;
        };
        let dep_key = (hpa.namespace.clone(), hpa.target_name.clone());
        let Some(current) = self.deployments.get(&dep_key).map(|d| d.spec.replicas) else {
            hpa.conditions = vec![cond("AbleToScale", "False", "FailedGetScale")];
            self.hpas.insert(key.clone(), hpa);
            return false;
        };
        let now = self.now;
        if hpa.recommendations.is_empty() {
            hpa.recommendations.push((now, current));
        }
        hpa.current = current;
        let mut able = cond("AbleToScale", "True", "ReadyForNewScale");
        let mut active = cond("ScalingActive", "True", "ValidMetricFound");
        let mut limited = cond("ScalingLimited", "False", "DesiredWithinRange");
        let desired = if current == 0 {
            active = cond("ScalingActive", "False", "ScalingDisabled");
            0
        } else if current > hpa.max {
            limited = cond("ScalingLimited", "True", "TooManyReplicas");
            hpa.max
        } else if current < hpa.min {
            limited = cond("ScalingLimited", "True", "TooFewReplicas");
            hpa.min
        } else {
            let mut proposal: Option<i64> = None;
            let mut error = None;
            for m in &hpa.metrics {
                match self.hpa_samples(&hpa, &m.resource) {
                    Err(e) => error = Some(e),
                    Ok(samples) => {
                        let target = match m.target {
                            Target::Utilization(u) => u,
                            Target::AverageValue(v) => {
                                // Express the average value as utilisation of a 100-unit request.
                                let n = samples.len().max(1) as i64;
                                let usage: i64 = samples.iter().filter_map(|s| s.usage).sum();
                                let ratio = usage as f64 / (v * n) as f64;
                                let p = if ((1.0 - TOLERANCE)..=(1.0 + TOLERANCE)).contains(&ratio)
                                {
                                    current
                                } else {
                                    (usage as f64 / v as f64).ceil() as i64
                                };
                                proposal = Some(proposal.map_or(p, |x| x.max(p)));
                                continue;
                            }
                        };
                        if let Some((p, util)) = resource_replicas(current, target, &samples) {
                            if m.resource == "cpu" || hpa.utilization.is_none() {
                                hpa.utilization = Some(util);
                            }
                            proposal = Some(proposal.map_or(p, |x| x.max(p)));
                        }
                    }
                }
            }
            match (proposal, error) {
                (Some(p), _) => self.normalize(&mut hpa, current, p, &mut able, &mut limited),
                (None, Some(e)) => {
                    active = cond("ScalingActive", "False", "FailedGetResourceMetric");
                    self.event(
                        "Warning",
                        "FailedGetResourceMetric",
                        format!("horizontalpodautoscaler/{}", hpa.name),
                        format!("failed to get cpu utilization: {e}"),
                        None,
                    );
                    current
                }
                (None, None) => current,
            }
        };
        hpa.desired = desired;
        hpa.conditions = vec![able, active, limited];
        let rescale = desired != current && current != 0;
        if rescale {
            let direction = if desired > current { "above" } else { "below" };
            let metric = hpa
                .metrics
                .first()
                .map_or("cpu", |m| m.resource.as_str())
                .to_owned();
            hpa.scale_events.push((now, desired - current));
            self.event(
                "Normal",
                "SuccessfulRescale",
                format!("horizontalpodautoscaler/{}", hpa.name),
                format!("New size: {desired}; reason: {metric} resource utilization (percentage of request) {direction} target"),
                None,
            );
            if let Some(d) = self.deployments.get_mut(&dep_key) {
                d.spec.replicas = desired;
            }
        }
        let view_changed = self.hpas.get(key).is_none_or(|old| {
            old.desired != hpa.desired
                || old.utilization != hpa.utilization
                || old.conditions != hpa.conditions
                || old.current != hpa.current
        });
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
        let now = self.now;
        match hpa.behavior.clone() {
            None => {
                // stabilizeRecommendation: the max over the last 5 minutes.
                hpa.recommendations
                    .retain(|(t, _)| now - t < DOWNSCALE_WINDOW);
                hpa.recommendations.push((now, proposal));
                let stabilized = hpa
                    .recommendations
                    .iter()
                    .map(|(_, r)| *r)
                    .max()
                    .unwrap_or(proposal);
                if stabilized != proposal {
                    *able = cond("AbleToScale", "True", "ScaleDownStabilized");
                }
                let up_limit = (2 * current).max(4);
                let upper = hpa.max.min(up_limit);
                if stabilized > upper {
                    *limited = cond(
                        "ScalingLimited",
                        "True",
                        if upper == hpa.max {
                            "TooManyReplicas"
                        } else {
                            "ScaleUpLimit"
                        },
                    );
                    upper
                } else if stabilized < hpa.min {
                    *limited = cond("ScalingLimited", "True", "TooFewReplicas");
                    hpa.min
                } else {
                    stabilized
                }
            }
            Some(b) => {
                let longest = b.up.window.max(b.down.window);
                hpa.recommendations
                    .retain(|(t, _)| now - t < longest.max(1));
                // stabilizeRecommendationWithBehaviors
                let mut up_bound = proposal;
                let mut down_bound = proposal;
                for (t, r) in &hpa.recommendations {
                    if now - t < b.up.window {
                        up_bound = up_bound.min(*r);
                    }
                    if now - t < b.down.window {
                        down_bound = down_bound.max(*r);
                    }
                }
                hpa.recommendations.push((now, proposal));
                let stabilized = current.clamp(up_bound.min(down_bound), down_bound.max(up_bound));
                if stabilized != proposal {
                    *able = cond("AbleToScale", "True", "ScaleDownStabilized");
                }
                // convertDesiredReplicasWithBehaviorRate
                // periodStart = current − scale-ups + scale-downs within the policy's period.
                let period_start = |period: Millis| -> i64 {
                    let recent = hpa.scale_events.iter().filter(|(t, _)| now - t < period);
                    let ups: i64 = recent
                        .clone()
                        .filter(|(_, d)| *d > 0)
                        .map(|(_, d)| *d)
                        .sum();
                    let downs: i64 = recent.filter(|(_, d)| *d < 0).map(|(_, d)| -*d).sum();
                    current - ups + downs
                };
                if stabilized > current {
                    let mut limit = match b.up.select.as_str() {
                        "Disabled" => current,
                        sel => {
                            let proposals = b.up.policies.iter().map(|(kind, value, period)| {
                                let start = period_start(*period);
                                match kind {
                                    PolicyKind::Pods => start + value,
                                    PolicyKind::Percent => {
                                        (start as f64 * (1.0 + *value as f64 / 100.0)).ceil() as i64
                                    }
                                }
                            });
                            if sel == "Min" {
                                proposals.min()
                            } else {
                                proposals.max()
                            }
                            .unwrap_or(current)
                        }
                    };
                    limit = limit.max(current);
                    let result = stabilized.min(hpa.max).min(limit);
                    if result < stabilized {
                        *limited = cond("ScalingLimited", "True", "ScaleUpLimit");
                    }
                    result
                } else if stabilized < current {
                    let mut limit = match b.down.select.as_str() {
                        "Disabled" => current,
                        sel => {
                            let proposals = b.down.policies.iter().map(|(kind, value, period)| {
                                let start = period_start(*period);
                                match kind {
                                    PolicyKind::Pods => start - value,
                                    PolicyKind::Percent => {
                                        (start as f64 * (1.0 - *value as f64 / 100.0)) as i64
                                    }
                                }
                            });
                            // Max selects the largest change: the smallest count.
                            if sel == "Min" {
                                proposals.max()
                            } else {
                                proposals.min()
                            }
                            .unwrap_or(current)
                        }
                    };
                    limit = limit.min(current);
                    stabilized.max(hpa.min).max(limit)
                } else {
                    stabilized
                }
            }
        }
    }

    pub(crate) fn hpa_views(&self) -> Vec<HpaView> {
        self.hpas
            .values()
            .map(|h| HpaView {
                name: h.name.clone(),
                current_replicas: h.current,
                desired_replicas: h.desired,
                current_utilization: h.utilization,
                target_utilization: h.metrics.iter().find_map(|m| match m.target {
                    Target::Utilization(u) => Some(u),
                    Target::AverageValue(_) => None,
                }),
                conditions: h.conditions.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pods(spec: &[(i64, Option<i64>, bool)]) -> Vec<PodSample> {
        spec.iter()
            .map(|&(request, usage, ready)| PodSample {
                request,
                usage,
                ready,
            })
            .collect()
    }

    // Cases from replica_calculator_test.go (per-pod totals of the upstream two containers).
    #[test]
    fn upstream_replica_calculator_cases() {
        // ScaleUp: 3 pods at 300/500/700 of 1000, target 30 → 5.
        let p = pods(&[
            (1000, Some(300), true),
            (1000, Some(500), true),
            (1000, Some(700), true),
        ]);
        assert_eq!(resource_replicas(3, 30, &p).map(|r| r.0), Some(5));
        // ScaleUpUnreadyLessScale: first pod unready → 4.
        let p = pods(&[
            (1000, Some(300), false),
            (1000, Some(500), true),
            (1000, Some(700), true),
        ]);
        assert_eq!(resource_replicas(3, 30, &p).map(|r| r.0), Some(4));
        // ScaleDown: 100,300,500,250,250 of 1000 each, target 50 → 3.
        let p = pods(&[
            (1000, Some(100), true),
            (1000, Some(300), true),
            (1000, Some(500), true),
            (1000, Some(250), true),
            (1000, Some(250), true),
        ]);
        assert_eq!(resource_replicas(5, 50, &p).map(|r| r.0), Some(3));
        // Tolerance: 102% of target stays.
        let p = pods(&[
            (900, Some(1010), true),
            (1000, Some(1030), true),
            (1100, Some(1020), true),
        ]);
        assert_eq!(resource_replicas(3, 100, &p).map(|r| r.0), Some(3));
        // MissingMetrics: 400, 95, –, – of 1000 at target 100 → 3.
        let p = pods(&[
            (1000, Some(400), true),
            (1000, Some(95), true),
            (1000, None, true),
            (1000, None, true),
        ]);
        assert_eq!(resource_replicas(4, 100, &p).map(|r| r.0), Some(3));
        // ScaleDownExcludeUnreadyPods: last two unready → 2.
        let p = pods(&[
            (1000, Some(100), true),
            (1000, Some(300), true),
            (1000, Some(500), true),
            (1000, Some(250), false),
            (1000, Some(250), false),
        ]);
        assert_eq!(resource_replicas(5, 50, &p).map(|r| r.0), Some(2));
    }
}
