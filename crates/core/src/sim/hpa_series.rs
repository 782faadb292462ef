//! One HorizontalPodAutoscaler over a whole run, for a chart: the load its pods asked for and
//! the utilisation it measured (both as % of the CPU request, against the target), its
//! current and desired replicas, the stretches where a scale-down was held back by the
//! stabilisation window, and each rescale. A pure function of the recorded timeline.

use super::timeline::{HpaView, Timeline, clock};

/// The HPA as one sync left it; a point is recorded only when something here changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HpaPoint {
    /// Milliseconds since the start.
    pub t_ms: i64,
    /// `status.currentReplicas`: the target's replicas at the last sync.
    pub current: i64,
    /// `status.desiredReplicas`.
    pub desired: i64,
    /// The CPU utilisation the HPA measured (usage over request, %), if it had a metric.
    pub utilization: Option<i64>,
    /// What the app asked for per pod (the `load`), as % of the request, when measured.
    pub load: Option<i64>,
}

/// A `SuccessfulRescale`: the HPA changed its target's replicas at a sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rescale {
    pub t_ms: i64,
    pub from: i64,
    pub to: i64,
    /// The utilisation that sync measured.
    pub utilization: Option<i64>,
}

/// Everything a chart of one HPA draws.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HpaSeries {
    pub name: String,
    /// `Deployment/web`.
    pub reference: String,
    pub min_replicas: i64,
    pub max_replicas: i64,
    /// The CPU target (% of request), for the target line.
    pub target: Option<i64>,
    /// The scale-down stabilisation window (300 s unless `behavior` says otherwise).
    pub window_seconds: i64,
    /// The pods' average CPU request when last measured (what 100 % means).
    pub request_milli: Option<i64>,
    pub points: Vec<HpaPoint>,
    /// Stretches `[from, to)` in ms where the AbleToScale condition read
    /// `ScaleDownStabilized`: the recommendation was lower but the highest one of the last
    /// `window_seconds` held the replicas (`horizontal.go` `stabilizeRecommendation`).
    pub stabilized: Vec<(i64, i64)>,
    pub rescales: Vec<Rescale>,
    /// The largest value on the replicas axis (at least `max_replicas`).
    pub replicas_max: i64,
    /// The largest value on the % axis (at least the target and 100).
    pub percent_max: i64,
}

fn millis(t: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let ms = (t * 1000.0).round() as i64;
    ms
}

fn stabilized(h: &HpaView) -> bool {
    h.conditions
        .iter()
        .any(|c| c.kind == "AbleToScale" && c.reason == "ScaleDownStabilized")
}

fn point(t_ms: i64, h: &HpaView) -> HpaPoint {
    HpaPoint {
        t_ms,
        current: h.current_replicas,
        desired: h.desired_replicas,
        utilization: h.current_utilization,
        load: h
            .cpu
            .as_ref()
            .filter(|c| c.request_milli > 0)
            .map(|c| c.demand_milli * 100 / c.request_milli),
    }
}

/// The series of the HPA `name` over `timeline`, up to `until_ms` (where an open stretch of
/// stabilisation ends). `None` when no snapshot has that HPA.
#[must_use]
pub fn hpa_series(timeline: &Timeline, name: &str, until_ms: i64) -> Option<HpaSeries> {
    let mut out: Option<HpaSeries> = None;
    let mut open_since: Option<i64> = None;
    for snap in &timeline.timeline {
        let Some(h) = snap.hpas.iter().find(|h| h.name == name) else {
            continue;
        };
        let t_ms = millis(snap.t);
        let s = out.get_or_insert_with(|| HpaSeries {
            name: h.name.clone(),
            ..HpaSeries::default()
        });
        // The spec may change with an apply: the last one wins.
        s.reference.clone_from(&h.reference);
        s.min_replicas = h.min_replicas;
        s.max_replicas = h.max_replicas;
        s.target = h.target_utilization;
        s.window_seconds = h.scale_down_window_seconds;
        if let Some(c) = h.cpu.as_ref().filter(|c| c.request_milli > 0) {
            s.request_milli = Some(c.request_milli);
        }
        let p = point(t_ms, h);
        let last = s.points.last();
        if last.is_some_and(|l| {
            (l.current, l.desired, l.utilization, l.load)
                == (p.current, p.desired, p.utilization, p.load)
        }) {
            // Unchanged (another object changed), except the stabilisation condition below.
        } else {
            // A sync that wants other replicas than the target has rescaled it (upstream
            // writes the scale and records SuccessfulRescale in the same sync).
            if p.desired != p.current
                && p.current > 0
                && last.is_none_or(|l| (l.current, l.desired) != (p.current, p.desired))
            {
                s.rescales.push(Rescale {
                    t_ms,
                    from: p.current,
                    to: p.desired,
                    utilization: p.utilization,
                });
            }
            s.replicas_max = s.replicas_max.max(p.current).max(p.desired);
            s.percent_max = s
                .percent_max
                .max(p.utilization.unwrap_or(0))
                .max(p.load.unwrap_or(0));
            s.points.push(p);
        }
        match (stabilized(h), open_since) {
            (true, None) => open_since = Some(t_ms),
            (false, Some(from)) => {
                s.stabilized.push((from, t_ms));
                open_since = None;
            }
            _ => {}
        }
    }
    let mut s = out?;
    if let Some(from) = open_since {
        s.stabilized.push((from, until_ms.max(from)));
    }
    s.replicas_max = s.replicas_max.max(s.max_replicas).max(1);
    s.percent_max = s.percent_max.max(s.target.unwrap_or(0)).max(100);
    Some(s)
}

/// The rescales in words, for a chart's text alternative: `scaled 2 → 4 at t=1m15s, 4 → 2
/// at t=8m0s`, or `no rescale`.
#[must_use]
pub fn describe_rescales(rescales: &[Rescale]) -> String {
    if rescales.is_empty() {
        return "no rescale".into();
    }
    let parts: Vec<String> = rescales
        .iter()
        .map(|r| format!("{} → {} at {}", r.from, r.to, clock(r.t_ms)))
        .collect();
    format!("scaled {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Action;

    /// A learner's Deployment with a CPU request, idle at 20 % of it, and an HPA at 50 % (no
    /// `behavior`).
    const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        sim.kubeplay.dev/cpu: 20m
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: 100m, memory: 64Mi}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 8
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 50}
";

    fn run(text: &str, loads: &[(i64, i64)], until: i64) -> Timeline {
        let loads = loads.iter().map(|&(at, cpu_milli)| {
            let deployment = "web".into();
            (
                at,
                Action::Load {
                    deployment,
                    cpu_milli,
                },
            )
        });
        crate::testing::simulate_steps(text, loads.collect(), until)
    }

    #[test]
    fn load_scales_up_by_the_formula_then_down_after_the_window() {
        // 80m on a 100m request is 80 %: ceil(3 × 80 / 50) = 5 at the sync that sees the
        // load (under the no-behavior limit max(2 × 3, 4) = 6), then the per-pod load keeps
        // the HPA climbing to maxReplicas.
        let tl = run(WEB, &[(60_000, 80), (300_000, 20)], 1_200_000);
        let s = hpa_series(&tl, "web", 1_200_000).expect("the HPA is recorded");
        assert_eq!(s.reference, "Deployment/web");
        assert_eq!((s.min_replicas, s.max_replicas, s.target), (3, 8, Some(50)));
        assert_eq!(s.window_seconds, 300);
        assert_eq!(s.request_milli, Some(100));
        let first = s.rescales[0];
        assert!(first.t_ms >= 60_000 && first.t_ms < 75_000, "{first:?}");
        assert_eq!((first.from, first.utilization), (3, Some(80)));
        // ceil(currentReplicas × utilization / target), replica_calculator.go.
        assert_eq!(first.to, (3 * 80 + 50 - 1) / 50);
        let up = s
            .rescales
            .iter()
            .take_while(|r| r.to > r.from)
            .last()
            .unwrap();
        assert_eq!(up.to, 8);
        // The load drops at 5 min: the scale-down waits until the last high recommendation
        // (the sync 15 s before the drop) leaves the 300-s window; the wait is shaded.
        let down = s
            .rescales
            .iter()
            .find(|r| r.to < r.from)
            .expect("scales down");
        // ceil(8 × 20 / 50) = 4, then minReplicas at a later sync.
        assert_eq!((down.from, down.to), (8, 4));
        assert_eq!(s.rescales.last().map(|r| r.to), Some(3));
        assert!(down.t_ms >= 300_000 + 300_000 - 15_000, "{down:?}");
        assert!(down.t_ms <= 300_000 + 300_000, "{down:?}");
        let (from, to) = *s
            .stabilized
            .iter()
            .find(|(from, _)| *from >= 300_000)
            .expect("a held scale-down");
        assert!((300_000..315_000).contains(&from), "{from}");
        assert_eq!(to, down.t_ms);
        // Load and utilisation as % of the request.
        let high = s.points.iter().find(|p| p.load == Some(80)).unwrap();
        assert_eq!(high.utilization, Some(80));
        assert_eq!(s.replicas_max, 8);
        assert_eq!(s.percent_max, 100);
    }

    #[test]
    fn rescales_read_as_a_sentence() {
        let tl = run(WEB, &[(60_000, 80)], 300_000);
        let s = hpa_series(&tl, "web", 300_000).unwrap();
        let text = describe_rescales(&s.rescales);
        assert!(
            text.starts_with("scaled 3 → 5 at t=1m0s, 5 → 8 at t=1m"),
            "{text}"
        );
        assert_eq!(describe_rescales(&[]), "no rescale");
    }

    #[test]
    fn an_unknown_hpa_has_no_series() {
        let tl = run(WEB, &[], 60_000);
        assert_eq!(hpa_series(&tl, "api", 60_000), None);
    }

    #[test]
    fn a_behavior_window_is_reported() {
        let text = WEB.replace(
            "  metrics:",
            "  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 60\n  metrics:",
        );
        let tl = run(&text, &[(30_000, 80), (120_000, 20)], 400_000);
        let s = hpa_series(&tl, "web", 400_000).unwrap();
        assert_eq!(s.window_seconds, 60);
        // 60 s after the last high recommendation (the sync 15 s before the drop
        // at 2 min: the sync at 2 min already sees the low load).
        let down = s
            .rescales
            .iter()
            .find(|r| r.to < r.from)
            .expect("scales down");
        assert!(down.t_ms >= 120_000 + 60_000 - 15_000, "{down:?}");
        assert!(down.t_ms <= 120_000 + 60_000, "{down:?}");
    }
}
