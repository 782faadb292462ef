//! Jobs and CronJobs (`pkg/controller/job`, `pkg/controller/cronjob`), StatefulSets
//! (`pkg/controller/statefulset`) and DaemonSets (`pkg/controller/daemon`).

mod common;

use common::run;
use kubeplay_core::sim::Timeline;

fn job(spec: &str, restart: &str, annotations: &str) -> String {
    format!(
        "apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
{spec}  template:
    metadata:
      annotations:
        sim.kubeplay.dev/pull-seconds: \"0\"
{annotations}    spec:
      restartPolicy: {restart}
      containers:
        - name: pi
          image: example/pi:1.0
          resources:
            requests: {{cpu: 100m, memory: 64Mi}}
"
    )
}

fn events<'a>(tl: &'a Timeline, reason: &str) -> Vec<(f64, &'a str, &'a str)> {
    tl.events
        .iter()
        .filter(|e| e.reason == reason)
        .map(|e| (e.t, e.object.as_str(), e.message.as_str()))
        .collect()
}

#[test]
fn job_runs_completions_with_parallelism() {
    // 5 completions, 2 at a time, each pod runs 10 s and exits 0.
    let tl = run(
        &job(
            "  completions: 5\n  parallelism: 2\n",
            "Never",
            "        sim.kubeplay.dev/crash-after-seconds: \"10\"\n        sim.kubeplay.dev/exit-code: \"0\"\n",
        ),
        "",
        "",
        "120s",
    );
    let created: Vec<f64> = events(&tl, "SuccessfulCreate")
        .iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        created,
        vec![0.0, 0.0, 10.0, 10.0, 20.0],
        "{:#?}",
        tl.events
    );
    // Never more than 2 active.
    for s in &tl.timeline {
        if let Some(j) = s.jobs.first() {
            assert!(j.active <= 2, "t={}: {j:?}", s.t);
        }
    }
    let done = events(&tl, "Completed");
    assert_eq!(done, vec![(30.0, "job/pi", "Job completed")]);
    let last = tl.timeline.last().expect("snapshot");
    let j = &last.jobs[0];
    assert_eq!((j.succeeded, j.failed, j.active), (5, 0, 0));
    let kinds: Vec<(&str, &str)> = j
        .conditions
        .iter()
        .map(|c| (c.kind.as_str(), c.reason.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("SuccessCriteriaMet", "CompletionsReached"),
            ("Complete", "CompletionsReached")
        ]
    );
    // The pods stay, Succeeded ("Completed" in kubectl).
    assert_eq!(
        last.pods.iter().filter(|p| p.phase == "Succeeded").count(),
        5
    );
}

#[test]
fn job_backoff_limit_with_never() {
    // Every pod fails after 1 s; backoffLimit 2 → 3 failures end it. New pods wait 10 s, 20 s.
    let tl = run(
        &job(
            "  backoffLimit: 2\n",
            "Never",
            "        sim.kubeplay.dev/crash-after-seconds: \"1\"\n        sim.kubeplay.dev/exit-code: \"3\"\n",
        ),
        "",
        "",
        "200s",
    );
    let created: Vec<f64> = events(&tl, "SuccessfulCreate")
        .iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(created, vec![0.0, 11.0, 32.0], "{:#?}", tl.events);
    let failed = events(&tl, "BackoffLimitExceeded");
    assert_eq!(
        failed,
        vec![(
            33.0,
            "job/pi",
            "Job has reached the specified backoff limit"
        )]
    );
    let last = tl.timeline.last().expect("snapshot");
    let j = &last.jobs[0];
    assert_eq!(j.failed, 3);
    assert!(
        j.conditions
            .iter()
            .any(|c| c.kind == "Failed" && c.reason == "BackoffLimitExceeded")
    );
    // Each failed pod shows its container's exit code.
    let failed_pods: Vec<_> = last.pods.iter().filter(|p| p.phase == "Failed").collect();
    assert_eq!(failed_pods.len(), 3);
    assert_eq!(failed_pods[0].containers[0].exit_code, Some(3));
}

#[test]
fn job_backoff_limit_with_on_failure_counts_restarts() {
    // OnFailure: the kubelet restarts the container in place (0, 10, 20 s back-off); two
    // restarts reach backoffLimit 2 and the Job fails, deleting its running pod.
    let tl = run(
        &job(
            "  backoffLimit: 2\n",
            "OnFailure",
            "        sim.kubeplay.dev/crash-after-seconds: \"1\"\n",
        ),
        "",
        "",
        "120s",
    );
    assert_eq!(events(&tl, "SuccessfulCreate").len(), 1);
    let failed = events(&tl, "BackoffLimitExceeded");
    assert_eq!(failed.len(), 1, "{:#?}", tl.events);
    let last = tl.timeline.last().expect("snapshot");
    assert!(
        last.pods.is_empty()
            || last
                .pods
                .iter()
                .all(|p| p.terminating || p.phase != "Running")
    );
}

const CRON: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: \"*/5 * * * *\"
  concurrencyPolicy: POLICY
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            sim.kubeplay.dev/pull-seconds: \"0\"
            sim.kubeplay.dev/crash-after-seconds: \"RUN\"
            sim.kubeplay.dev/exit-code: \"0\"
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:1.0
";

fn cron(policy: &str, run_seconds: u32) -> String {
    CRON.replace("POLICY", policy)
        .replace("RUN", &run_seconds.to_string())
}

#[test]
fn cronjob_creates_jobs_named_by_scheduled_minute() {
    let tl = run(&cron("Allow", 30), "", "", "16m");
    let created: Vec<(f64, &str)> = events(&tl, "SuccessfulCreate")
        .into_iter()
        .filter(|e| e.1 == "cronjob/report")
        .map(|e| (e.0, e.2))
        .collect();
    // t=0 is 2026-01-01T00:00:00Z = 29453760 minutes since the epoch.
    assert_eq!(
        created,
        vec![
            (300.0, "Created job report-29453765"),
            (600.0, "Created job report-29453770"),
            (900.0, "Created job report-29453775"),
        ]
    );
    assert!(
        events(&tl, "SawCompletedJob")
            .iter()
            .any(|e| e.2 == "Saw completed job: report-29453765, condition: Complete")
    );
    let last = tl.timeline.last().expect("snapshot");
    assert_eq!(
        last.cron_jobs[0].last_schedule_time.as_deref(),
        Some("2026-01-01T00:15:00Z")
    );
}

#[test]
fn cronjob_concurrency_policies() {
    // Jobs run 7 minutes, longer than the 5-minute period.
    let allow = run(&cron("Allow", 420), "", "", "11m");
    let last = allow.timeline.last().expect("snapshot");
    assert_eq!(last.cron_jobs[0].active, 2);

    let forbid = run(&cron("Forbid", 420), "", "", "11m");
    assert_eq!(
        events(&forbid, "JobAlreadyActive"),
        vec![(
            600.0,
            "cronjob/report",
            "Not starting job because prior execution is running and concurrency policy is Forbid"
        )]
    );
    assert_eq!(
        forbid.timeline.last().expect("snapshot").cron_jobs[0].active,
        1
    );

    let replace = run(&cron("Replace", 420), "", "", "11m");
    assert!(
        events(&replace, "SuccessfulDelete")
            .iter()
            .any(|e| e.0 == 600.0 && e.2 == "Deleted job report-29453765")
    );
    let last = replace.timeline.last().expect("snapshot");
    assert_eq!(last.cron_jobs[0].active, 1);
    assert_eq!(last.jobs.len(), 1);
    assert_eq!(last.jobs[0].name, "report-29453770");
}

fn sts(replicas: u32, policy: &str, image: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: {replicas}
  podManagementPolicy: {policy}
  serviceName: web
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
      annotations:
        sim.kubeplay.dev/pull-seconds: \"0\"
        sim.kubeplay.dev/start-seconds: \"5\"
        sim.kubeplay.dev/shutdown-seconds: \"3\"
    spec:
      containers:
        - name: web
          image: {image}
          readinessProbe:
            httpGet: {{path: /, port: 80}}
            periodSeconds: 1
          resources:
            requests: {{cpu: 100m, memory: 64Mi}}
"
    )
}

fn creates(tl: &Timeline, object: &str) -> Vec<(f64, String)> {
    tl.events
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate" && e.object == object)
        .map(|e| (e.t, e.message.clone()))
        .collect()
}

#[test]
fn statefulset_starts_in_order_with_stable_names() {
    let tl = run(&sts(3, "OrderedReady", "nginx:1.27"), "", "", "60s");
    let c = creates(&tl, "statefulset/web");
    // Each ordinal waits for the previous one to be Running and Ready (5 s to serve).
    assert_eq!(
        c,
        vec![
            (
                0.0,
                "create Pod web-0 in StatefulSet web successful".to_owned()
            ),
            (
                5.0,
                "create Pod web-1 in StatefulSet web successful".to_owned()
            ),
            (
                10.0,
                "create Pod web-2 in StatefulSet web successful".to_owned()
            ),
        ]
    );
    let last = tl.timeline.last().expect("snapshot");
    let mut names: Vec<&str> = last.pods.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, vec!["web-0", "web-1", "web-2"]);
    assert_eq!(last.stateful_sets[0].ready_replicas, 3);
}

#[test]
fn statefulset_parallel_starts_together_and_scales_down_from_the_top() {
    let tl = run(&sts(3, "Parallel", "nginx:1.27"), "", "", "30s");
    let c = creates(&tl, "statefulset/web");
    assert_eq!(
        c.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![0.0, 0.0, 0.0]
    );

    // OrderedReady scale-down: web-2 then web-1, one at a time.
    let manifest = sts(3, "OrderedReady", "nginx:1.27");
    let smaller = sts(1, "OrderedReady", "nginx:1.27");
    let inline: String = smaller.lines().map(|l| format!("      {l}\n")).collect();
    let tl = run(
        &manifest,
        "",
        &format!("  - at: 30s\n    apply: |\n{inline}"),
        "90s",
    );
    let deletes: Vec<(f64, String)> = tl
        .events
        .iter()
        .filter(|e| e.reason == "SuccessfulDelete" && e.object == "statefulset/web")
        .map(|e| (e.t, e.message.clone()))
        .collect();
    assert_eq!(deletes.len(), 2, "{deletes:?}");
    assert_eq!(
        deletes[0].1,
        "delete Pod web-2 in StatefulSet web successful"
    );
    assert_eq!(
        deletes[1].1,
        "delete Pod web-1 in StatefulSet web successful"
    );
    // web-1 goes once web-2 has finished its 3-s shutdown.
    assert_eq!(deletes[1].0, deletes[0].0 + 3.0, "{deletes:?}");
}

#[test]
fn statefulset_rolling_update_from_the_highest_ordinal() {
    let updated = sts(3, "OrderedReady", "nginx:1.28");
    let inline: String = updated.lines().map(|l| format!("      {l}\n")).collect();
    let tl = run(
        &sts(3, "OrderedReady", "nginx:1.27"),
        "",
        &format!("  - at: 30s\n    apply: |\n{inline}"),
        "90s",
    );
    let deletes: Vec<String> = tl
        .events
        .iter()
        .filter(|e| e.reason == "SuccessfulDelete" && e.object == "statefulset/web")
        .map(|e| e.message.clone())
        .collect();
    assert_eq!(
        deletes,
        vec![
            "delete Pod web-2 in StatefulSet web successful",
            "delete Pod web-1 in StatefulSet web successful",
            "delete Pod web-0 in StatefulSet web successful"
        ]
    );
    let last = tl.timeline.last().expect("snapshot");
    assert_eq!(last.stateful_sets[0].updated_replicas, 3);
}

#[test]
fn daemonset_one_pod_per_eligible_node() {
    let manifest = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      nodeSelector: {disk: ssd}
      containers:
        - name: agent
          image: example/agent:1.0
";
    let cluster = "cluster:
  nodes:
    - {name: node-1, labels: {disk: ssd}}
    - {name: node-2, labels: {disk: ssd}, taints: [{key: dedicated, value: db, effect: NoSchedule}]}
    - {name: node-3, labels: {disk: hdd}}
    - {name: node-4, labels: {disk: ssd}}
";
    // node-4 is cordoned: daemon pods tolerate node.kubernetes.io/unschedulable.
    let tl = run(
        manifest,
        cluster,
        "  - at: 0s\n    cordon: node-4\n  - at: 20s\n    drain: node-4\n",
        "40s",
    );
    let s = tl.at(10.0).expect("snapshot");
    let mut nodes: Vec<&str> = s.pods.iter().filter_map(|p| p.node.as_deref()).collect();
    nodes.sort_unstable();
    assert_eq!(nodes, vec!["node-1", "node-4"]);
    assert_eq!(s.daemon_sets[0].desired_number_scheduled, 2);
    // Drain skips daemon pods.
    assert!(tl.events.iter().any(|e| {
        e.reason == "Drain"
            && e.message
                .starts_with("Warning: ignoring DaemonSet-managed Pods: default/agent-")
    }));
    let last = tl.timeline.last().expect("snapshot");
    assert_eq!(last.pods.iter().filter(|p| !p.terminating).count(), 2);
}

#[test]
fn job_active_deadline() {
    // A pod that never finishes, a 30-s deadline: DeadlineExceeded, the pod is deleted.
    let tl = run(
        &job("  activeDeadlineSeconds: 30\n", "Never", ""),
        "",
        "",
        "60s",
    );
    assert_eq!(
        events(&tl, "DeadlineExceeded"),
        vec![(
            30.0,
            "job/pi",
            "Job was active longer than specified deadline"
        )]
    );
    let last = tl.timeline.last().expect("snapshot");
    assert!(
        last.jobs[0]
            .conditions
            .iter()
            .any(|c| c.kind == "Failed" && c.reason == "DeadlineExceeded")
    );
    assert!(last.pods.is_empty(), "{:?}", last.pods);
}
