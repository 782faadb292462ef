//! The kubelet and scheduler in the simulator: CrashLoopBackOff timings (`kubelet.go`:
//! 10 s doubling to 300 s, first restart at once), probe thresholds (`prober/worker.go`),
//! OOM kills at the limit, image pull failures and the scheduler's Pending message.

use kubeplay_core::sim::{Timeline, simulate_manifest};

fn pod(annotations: &str, container_extra: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: app
  annotations:
{annotations}
spec:
  containers:
    - name: app
      image: example/app:1.0.0
      resources:
        requests: {{cpu: 100m, memory: 128Mi}}
        limits: {{cpu: 100m, memory: 128Mi}}
{container_extra}"
    )
}

fn times(tl: &Timeline, reason: &str) -> Vec<f64> {
    tl.events
        .iter()
        .filter(|e| e.reason == reason)
        .map(|e| e.t)
        .collect()
}

#[test]
fn crash_loop_back_off_doubles_to_five_minutes() {
    let m = pod(
        "    sim.kubeplay.dev/pull-seconds: \"0\"\n    sim.kubeplay.dev/start-seconds: \"0\"\n    sim.kubeplay.dev/crash-after-seconds: \"1\"",
        "",
    );
    let tl = simulate_manifest(&m, 1_000_000);
    // Runs of 1 s; waits before restarts: 0, 10, 20, 40, 80, 160, 300, 300.
    assert_eq!(
        times(&tl, "Started"),
        vec![0.0, 1.0, 12.0, 33.0, 74.0, 155.0, 316.0, 617.0, 918.0]
    );
    let backoff = times(&tl, "BackOff");
    assert_eq!(backoff.first(), Some(&2.0));
    // The pod shows CrashLoopBackOff between restarts, and counts restarts.
    let during = tl.at(20.0).unwrap();
    assert_eq!(during.pods[0].reason.as_deref(), Some("CrashLoopBackOff"));
    let last = tl.timeline.last().unwrap();
    assert_eq!(last.pods[0].restarts, 8);
}

#[test]
fn a_container_that_runs_ten_minutes_gets_a_fresh_back_off() {
    let m = pod(
        "    sim.kubeplay.dev/pull-seconds: \"0\"\n    sim.kubeplay.dev/start-seconds: \"0\"\n    sim.kubeplay.dev/crash-after-seconds: \"700\"",
        "",
    );
    let tl = simulate_manifest(&m, 3_000_000);
    // Each run lasts more than 600 s, so every restart is immediate.
    assert_eq!(
        times(&tl, "Started"),
        vec![0.0, 700.0, 1400.0, 2100.0, 2800.0]
    );
}

#[test]
fn liveness_kills_a_slow_starter_forever() {
    // The app needs 60 s to serve; liveness allows 0 + 3 failures × 10 s.
    let m = pod(
        "    sim.kubeplay.dev/pull-seconds: \"0\"\n    sim.kubeplay.dev/start-seconds: \"60\"",
        "      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n",
    );
    let tl = simulate_manifest(&m, 600_000);
    let kills: Vec<_> = tl.events.iter().filter(|e| e.reason == "Killing").collect();
    assert!(kills.len() >= 3, "{kills:?}");
    // Probes at 0, 10, 20 fail: the third failure at 20 s kills it.
    assert_eq!(kills[0].t, 20.0);
    assert_eq!(
        kills[0].message,
        "Container app failed liveness probe, will be restarted"
    );
    // The event points at the probe's line.
    assert_eq!(kills[0].line, Some(15));
    let unhealthy = tl.events.iter().find(|e| e.reason == "Unhealthy").unwrap();
    assert!(
        unhealthy
            .message
            .starts_with("Liveness probe failed: Get \"http://10.244."),
        "{}",
        unhealthy.message
    );
    assert!(tl.timeline.last().unwrap().pods[0].restarts >= 3);
}

#[test]
fn a_startup_probe_protects_the_slow_starter() {
    let m = pod(
        "    sim.kubeplay.dev/pull-seconds: \"0\"\n    sim.kubeplay.dev/start-seconds: \"60\"",
        "      startupProbe:\n        httpGet: {path: /healthz, port: 8080}\n        failureThreshold: 30\n        periodSeconds: 5\n      livenessProbe:\n        httpGet: {path: /healthz, port: 8080}\n",
    );
    let tl = simulate_manifest(&m, 600_000);
    assert!(times(&tl, "Killing").is_empty());
    let last = tl.timeline.last().unwrap();
    assert!(last.pods[0].ready);
    assert_eq!(last.pods[0].restarts, 0);
    // Ready at the first startup probe after 60 s.
    let ready_at = tl.timeline.iter().find(|s| s.pods[0].ready).unwrap().t;
    assert_eq!(ready_at, 60.0);
}

#[test]
fn readiness_needs_success_threshold_and_gates_ready() {
    let m = pod(
        "    sim.kubeplay.dev/pull-seconds: \"0\"\n    sim.kubeplay.dev/start-seconds: \"7\"",
        "      readinessProbe:\n        httpGet: {path: /ready, port: 8080}\n        initialDelaySeconds: 5\n        periodSeconds: 5\n        successThreshold: 2\n",
    );
    let tl = simulate_manifest(&m, 120_000);
    // Probes at 5 (fail), 10 (ok), 15 (ok → ready).
    let ready_at = tl.timeline.iter().find(|s| s.pods[0].ready).unwrap().t;
    assert_eq!(ready_at, 15.0);
}

#[test]
fn memory_over_the_limit_is_oom_killed_with_137() {
    let m = pod(
        "    sim.kubeplay.dev/pull-seconds: \"0\"\n    sim.kubeplay.dev/start-seconds: \"0\"\n    sim.kubeplay.dev/memory: 200Mi",
        "",
    );
    let tl = simulate_manifest(&m, 60_000);
    let c = &tl.at(5.0).unwrap().pods[0].containers[0];
    assert_eq!(
        (c.last_reason.as_deref(), c.last_exit_code),
        (Some("OOMKilled"), Some(137))
    );
    let event = tl.events.iter().find(|e| e.reason == "OOMKilled").unwrap();
    assert_eq!(event.t, 1.0);
    assert!(
        event.message.ends_with("limit of 128Mi"),
        "{}",
        event.message
    );
    let event = tl.events.iter().find(|e| e.reason == "OOMKilled").unwrap();
    assert_eq!(event.line, Some(15), "points at the memory limit");
}

#[test]
fn a_memory_leak_is_killed_when_it_reaches_the_limit() {
    let m = pod(
        "    sim.kubeplay.dev/pull-seconds: \"0\"\n    sim.kubeplay.dev/start-seconds: \"0\"\n    sim.kubeplay.dev/memory: 64Mi\n    sim.kubeplay.dev/memory-growth: 32Mi",
        "",
    );
    let tl = simulate_manifest(&m, 400_000);
    // 64Mi + 32Mi/min passes 128Mi just after 2 minutes.
    let first = tl.events.iter().find(|e| e.reason == "OOMKilled").unwrap();
    assert!((first.t - 120.0).abs() < 0.1, "{}", first.t);
}

#[test]
fn a_misspelt_image_goes_to_image_pull_back_off() {
    let m = pod("    sim.kubeplay.dev/pull-seconds: \"1\"", "")
        .replace("example/app:1.0.0", "ngnix:1.27");
    let tl = simulate_manifest(&m, 120_000);
    let failed = tl.events.iter().find(|e| e.reason == "Failed").unwrap();
    assert_eq!(
        failed.message,
        "Failed to pull image \"ngnix:1.27\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/ngnix:1.27\": failed to resolve reference \"docker.io/library/ngnix:1.27\": docker.io/library/ngnix:1.27: not found"
    );
    assert_eq!(
        tl.at(1.0).unwrap().pods[0].reason.as_deref(),
        Some("ErrImagePull")
    );
    assert_eq!(
        tl.at(5.0).unwrap().pods[0].reason.as_deref(),
        Some("ImagePullBackOff")
    );
    assert!(!tl.timeline.last().unwrap().pods[0].ready);
}

#[test]
fn a_missing_image_in_a_private_registry_keeps_its_registry_in_the_pull_error() {
    let m = pod(
        "    sim.kubeplay.dev/pull-seconds: \"1\"\n    sim.kubeplay.dev/image-pull: fail",
        "",
    )
    .replace("example/app:1.0.0", "registry.example.com/shop/web:2.0.0");
    let tl = simulate_manifest(&m, 10_000);
    let failed = tl.events.iter().find(|e| e.reason == "Failed").unwrap();
    assert_eq!(
        failed.message,
        "Failed to pull image \"registry.example.com/shop/web:2.0.0\": rpc error: code = NotFound desc = failed to pull and unpack image \"registry.example.com/shop/web:2.0.0\": failed to resolve reference \"registry.example.com/shop/web:2.0.0\": registry.example.com/shop/web:2.0.0: not found"
    );
}

#[test]
fn a_pod_too_big_for_any_node_stays_pending_with_the_schedulers_reason() {
    let m = pod("    owner: team-a", "").replace("cpu: 100m", "cpu: \"8\"");
    let tl = simulate_manifest(&m, 30_000);
    let p = &tl.timeline.last().unwrap().pods[0];
    assert_eq!(p.phase, "Pending");
    assert_eq!(
        p.reason.as_deref(),
        Some(
            "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        )
    );
    assert!(tl.events.iter().any(|e| e.reason == "FailedScheduling"));
}
