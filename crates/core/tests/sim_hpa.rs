//! The HorizontalPodAutoscaler end to end: a Deployment at cpu 60% under `load` steps.
//! Replicas rise in steps bounded by `max(2 × current, 4)` (behavior nil), new pods have no
//! metric for one metrics-server resolution, CPU is throttled at the container limit, and
//! the scale-down waits for the 5-minute stabilisation window (`horizontal.go`).

use kubeplay_core::sim::{Timeline, parse_scenario, simulate};

const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        sim.kubeplay.dev/start-seconds: \"2\"
        sim.kubeplay.dev/cpu: 110m
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: 200m, memory: 64Mi}
            limits: {cpu: 500m, memory: 64Mi}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 60}
";

fn run(steps: &str, until: &str) -> Timeline {
    let inline: String = APP.lines().map(|l| format!("      {l}\n")).collect();
    let text = format!("steps:\n  - at: 0s\n    apply: |\n{inline}{steps}until: {until}\n");
    let scenario = parse_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    simulate(&scenario, &|_| Err("no files".into()))
}

fn rescales(tl: &Timeline) -> Vec<(f64, String)> {
    tl.events
        .iter()
        .filter(|e| e.reason == "SuccessfulRescale")
        .map(|e| (e.t, e.message.clone()))
        .collect()
}

fn size(message: &str) -> i64 {
    message
        .trim_start_matches("New size: ")
        .split(';')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(-1)
}

#[test]
fn scales_up_step_by_step_and_down_after_the_window() {
    // 150% of the request per pod from 60 s, then 20% from 600 s.
    let tl = run(
        "  - at: 60s\n    load: {deployment: web, cpu: 300m}\n  - at: 600s\n    load: {deployment: web, cpu: 40m}\n",
        "1500s",
    );
    let events = rescales(&tl);
    assert!(!events.is_empty(), "no rescale: {:#?}", tl.events);
    // Up: every step at most max(2 × current, 4), in upstream wording, while the load is high.
    let mut current = 2;
    let ups: Vec<&(f64, String)> = events.iter().filter(|(t, _)| *t < 600.0).collect();
    for (t, message) in &ups {
        let new = size(message);
        assert!(new > current, "{t}: {message}");
        assert!(new <= (2 * current).max(4), "{t}: {message} from {current}");
        assert_eq!(
            message,
            &format!(
                "New size: {new}; reason: cpu resource utilization (percentage of request) above target"
            )
        );
        current = new;
    }
    // 2 pods at 150% of a 60% target want 5; the first step is capped at 4, the next at 8
    // (`load` is per pod, so more pods do not lower it), then maxReplicas.
    let steps: Vec<i64> = ups.iter().map(|(_, m)| size(m)).collect();
    assert_eq!(steps, vec![4, 8, 10]);
    assert_eq!(ups[0].0, 60.0);
    assert_eq!(current, 10, "{events:?}");
    let capped = tl.at(200.0).expect("snapshot");
    assert!(
        capped.hpas[0]
            .conditions
            .iter()
            .any(|c| c.kind == "ScalingLimited"
                && c.status == "True"
                && c.reason == "TooManyReplicas"),
        "{:?}",
        capped.hpas[0].conditions
    );
    // Down: nothing before the 5-minute window has passed since the last high recommendation
    // (the last sync before 600 s), then "All metrics below target".
    let downs: Vec<&(f64, String)> = events.iter().filter(|(t, _)| *t >= 600.0).collect();
    let first = downs.first().expect("a scale-down");
    assert!(first.0 > 600.0 + 285.0, "scale-down too early: {first:?}");
    assert!(first.0 <= 600.0 + 315.0, "scale-down too late: {first:?}");
    for (_, message) in &downs {
        assert!(
            message.ends_with("; reason: All metrics below target"),
            "{message}"
        );
    }
    // 10 pods at 40m = 20% of a 60% target → ceil(10 × 20/60) = 4, and 5 minutes after
    // that recommendation ceil(4 × 20/60) = 2 (the minimum).
    let sizes: Vec<i64> = downs.iter().map(|(_, m)| size(m)).collect();
    assert_eq!(sizes, vec![4, 2]);
    // Stabilised until then: the condition says so.
    let waiting = tl.at(800.0).expect("snapshot");
    let hpa = &waiting.hpas[0];
    assert_eq!(hpa.current_replicas, 10);
    assert!(
        hpa.conditions
            .iter()
            .any(|c| c.kind == "AbleToScale" && c.reason == "ScaleDownStabilized"),
        "{:?}",
        hpa.conditions
    );
}

#[test]
fn cpu_is_throttled_at_the_limit() {
    // 800m wanted, 500m limit: the pods get 500m = 250% of the request, not 400%.
    let tl = run(
        "  - at: 30s\n    load: {deployment: web, cpu: 800m}\n",
        "50s",
    );
    let at = tl.at(30.0).expect("snapshot");
    let hpa = &at.hpas[0];
    let cpu = hpa.cpu.as_ref().expect("cpu view");
    assert_eq!(cpu.demand_milli, 800);
    assert_eq!(cpu.usage_milli, 500);
    assert_eq!(cpu.throttled_pods, 2);
    assert_eq!(hpa.current_utilization, Some(250));
    // 250/60 × 2 = 8.3 → 9, capped at max(2 × 2, 4) = 4 in one sync.
    assert_eq!(hpa.desired_replicas, 4);
    assert!(
        hpa.conditions.iter().any(|c| c.kind == "ScalingLimited"
            && c.status == "True"
            && c.reason == "ScaleUpLimit")
    );
}

#[test]
fn new_pods_have_no_metric_for_one_resolution() {
    // The HPA's first sync at 0 s sees pods that are not even running: no metric at all.
    let tl = run("", "40s");
    let failed: Vec<_> = tl
        .events
        .iter()
        .filter(|e| e.reason == "FailedGetResourceMetric")
        .collect();
    assert!(!failed.is_empty());
    assert_eq!(
        failed[0].message,
        "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)"
    );
    // Pods start at ~4 s and get a metric 15 s later: the sync at 30 s reads 110m of 200m.
    let at = tl.at(35.0).expect("snapshot");
    assert_eq!(at.hpas[0].current_utilization, Some(55));
}

#[test]
fn out_of_range_replicas_are_clamped_without_metrics() {
    // A Deployment at 12 replicas above maxReplicas 10.
    let tl = run(
        "  - at: 1s\n    scale: {deployment: web, replicas: 12}\n",
        "40s",
    );
    let events = rescales(&tl);
    assert!(
        events
            .iter()
            .any(|(_, m)| m
                == "New size: 10; reason: Current number of replicas above Spec.MaxReplicas"),
        "{events:?}"
    );
}

#[test]
fn scales_a_statefulset() {
    let manifest = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 1
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
      annotations:
        sim.kubeplay.dev/pull-seconds: \"0\"
        sim.kubeplay.dev/start-seconds: \"0\"
        sim.kubeplay.dev/cpu: 40m
    spec:
      containers:
        - name: db
          image: postgres:17
          resources:
            requests: {cpu: 100m, memory: 64Mi}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: db
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 50}
";
    let inline: String = manifest.lines().map(|l| format!("      {l}\n")).collect();
    let text = format!(
        "steps:\n  - at: 0s\n    apply: |\n{inline}  - at: 20s\n    load: {{deployment: db, cpu: 200m}}\nuntil: 120s\n"
    );
    let scenario = parse_scenario(&text).unwrap_or_else(|e| panic!("{e}"));
    let tl = simulate(&scenario, &|_| Err("no files".into()));
    let sizes: Vec<i64> = rescales(&tl).iter().map(|(_, m)| size(m)).collect();
    // 200% of a 50% target: 1 → 4 is capped at max 3.
    assert_eq!(sizes, vec![3], "{:#?}", tl.events);
    let last = tl.timeline.last().expect("snapshot");
    let mut names: Vec<&str> = last.pods.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, vec!["db-0", "db-1", "db-2"]);
}

#[test]
fn a_new_hpa_cannot_scale_down_for_five_minutes() {
    // 6 replicas at 10% of a 60% target want the minimum, 2, from the first metrics; the
    // initial recommendation (the current 6, recorded at creation) holds them for 5 minutes:
    // it still counts at exactly 300 s and is gone at the 315-s sync.
    let app = APP
        .replace("replicas: 2", "replicas: 6")
        .replace("sim.kubeplay.dev/cpu: 110m", "sim.kubeplay.dev/cpu: 20m");
    let inline: String = app.lines().map(|l| format!("      {l}\n")).collect();
    let text = format!("steps:\n  - at: 0s\n    apply: |\n{inline}until: 400s\n");
    let scenario = parse_scenario(&text).unwrap_or_else(|e| panic!("{e}"));
    let tl = simulate(&scenario, &|_| Err("no files".into()));
    assert_eq!(
        rescales(&tl),
        vec![(
            315.0,
            "New size: 2; reason: All metrics below target".to_owned()
        )]
    );
    let held = tl.at(300.0).expect("snapshot");
    assert_eq!(held.hpas[0].desired_replicas, 6);
    assert!(
        held.hpas[0]
            .conditions
            .iter()
            .any(|c| c.reason == "ScaleDownStabilized")
    );
}
