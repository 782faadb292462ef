//! Fact consistency of the resource, image and probe advice: one realistic multi-document
//! manifest, and the full set of (line, code) those checks report on it together. Guards
//! against noisy overlaps (two checks saying the same thing about one value) and against a
//! check going quiet.

use kubeplay_core::analyze;

/// The resource, image and probe checks, plus `missing-requests`, which they must sit beside.
const CODES: &[&str] = &[
    "missing-requests",
    "memory-limit-missing",
    "limits-far-above-requests",
    "cpu-limit-throttling",
    "memory-milli-unit",
    "cpu-too-large",
    "memory-too-small",
    "init-container-no-limits",
    "image-latest-tag",
    "image-digest-not-pinned",
    "image-pull-policy-never",
    "image-pull-policy-always-pinned",
    "image-name-typo",
    "readiness-probe-missing",
    "liveness-probe-missing",
    "liveness-without-readiness",
    "liveness-equals-readiness",
    "liveness-checks-dependencies",
    "liveness-kills-before-start",
    "probe-port-not-declared",
    "probe-timeout-exceeds-period",
    "startup-probe-too-short",
];

const MANIFEST: &str = r#"# A small shop: an API behind a Service, a cache, a nightly report job.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api}
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
      annotations:
        sim.kubeplay.dev/start-seconds: "45"
    spec:
      initContainers:
        - name: migrate
          image: example/api-migrate:2.1.0
      containers:
        - name: api
          image: example/api:2.1.0
          ports:
            - name: http
              containerPort: 8080
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              cpu: 250m
              memory: 256Mi
          livenessProbe:
            httpGet:
              path: /health/db
              port: http
          readinessProbe:
            httpGet:
              path: /health/db
              port: http
        - name: log-shipper
          image: fluent/fluent-bit:3.1.4
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              cpu: 50m
              memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
    - port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
spec:
  replicas: 1
  selector:
    matchLabels: {app: cache}
  template:
    metadata:
      labels: {app: cache}
    spec:
      containers:
        - name: redis
          image: reddis:7.4
          imagePullPolicy: Never
          ports:
            - containerPort: 6379
          resources:
            requests:
              cpu: 500
              memory: 128Mi
            limits:
              memory: 1Gi
          readinessProbe:
            tcpSocket:
              port: 6380
            periodSeconds: 5
            timeoutSeconds: 5
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: 2
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
        - name: worker
          image: example/worker:2.1.0
          resources:
            requests:
              cpu: 100m
              memory: 128m
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: busybox@sha256:2919d0172f7524b2d8df9e50066a682669e6d170ac0f6a49676d54358fe970b5
              imagePullPolicy: Always
              command: [sh, -c, "echo done"]
              resources:
                requests:
                  memory: 512
"#;

fn found(text: &str) -> Vec<(u32, &'static str)> {
    analyze(text)
        .diagnostics
        .iter()
        .filter(|d| CODES.contains(&d.code))
        .map(|d| (d.span.start.line, d.code))
        .collect()
}

#[test]
fn every_finding_on_a_realistic_manifest() {
    let want: Vec<(u32, &str)> = vec![
        // Deployment api: the init container keeps the pod from being Guaranteed.
        (18, "init-container-no-limits"),
        (19, "image-digest-not-pinned"),
        (22, "image-digest-not-pinned"),
        (31, "cpu-limit-throttling"),
        // One probe, three different problems: too impatient, identical, checks the database.
        (33, "liveness-kills-before-start"),
        (33, "liveness-equals-readiness"),
        (35, "liveness-checks-dependencies"),
        // The port-less log shipper beside a serving container: no readiness warning.
        (41, "liveness-probe-missing"),
        (42, "image-digest-not-pinned"),
        (48, "cpu-limit-throttling"),
        // Deployment cache: a misspelt image is not also told to pin a digest.
        (74, "liveness-probe-missing"),
        (75, "image-name-typo"),
        (76, "image-pull-policy-never"),
        (81, "cpu-too-large"),
        (84, "limits-far-above-requests"),
        (87, "probe-port-not-declared"),
        (89, "probe-timeout-exceeds-period"),
        // Deployment worker: no ports, no Service, so no readiness warning; `128m` is
        // reported once, not also as a huge limit/request ratio.
        (104, "liveness-probe-missing"),
        (105, "image-digest-not-pinned"),
        (106, "memory-limit-missing"),
        (109, "memory-milli-unit"),
        // CronJob report: no probe advice for a job; the missing cpu request and the missing
        // memory limit are two different facts about the same `resources`.
        (125, "image-pull-policy-always-pinned"),
        (127, "missing-requests"),
        (127, "memory-limit-missing"),
        (129, "memory-too-small"),
    ];
    let mut have = found(MANIFEST);
    have.sort_unstable();
    let mut want = want;
    want.sort_unstable();
    assert_eq!(have, want);
}

#[test]
fn the_edits_fix_what_they_claim() {
    let analysis = analyze(MANIFEST);
    let mut fixed = MANIFEST.to_owned();
    let mut edits: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| CODES.contains(&d.code))
        .filter_map(|d| d.edit.clone())
        .collect();
    // Apply from the end so earlier offsets stay valid.
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    for e in &edits {
        fixed.replace_range(e.start..e.end, &e.insert);
    }
    for want in [
        "image: redis:7.4",
        "imagePullPolicy: IfNotPresent",
        "cpu: 500m",
        "memory: 128Mi",
        "memory: 512Mi",
    ] {
        assert!(fixed.contains(want), "{want} missing after the edits");
    }
    let codes: Vec<&str> = found(&fixed).into_iter().map(|(_, c)| c).collect();
    for gone in [
        "image-name-typo",
        "image-pull-policy-never",
        "image-pull-policy-always-pinned",
        "cpu-too-large",
        "memory-milli-unit",
        "memory-too-small",
    ] {
        assert!(
            !codes.contains(&gone),
            "{gone} still reported after its edit"
        );
    }
}

#[test]
fn a_healthy_deployment_gets_only_the_gentle_notes() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27.3@sha256:2919d0172f7524b2d8df9e50066a682669e6d170ac0f6a49676d54358fe970b5\n          ports:\n            - name: http\n              containerPort: 80\n          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {memory: 128Mi}\n          startupProbe:\n            httpGet: {path: /, port: http}\n            failureThreshold: 30\n            periodSeconds: 2\n          readinessProbe:\n            httpGet: {path: /, port: http}\n            periodSeconds: 5\n          livenessProbe:\n            httpGet: {path: /, port: http}\n            failureThreshold: 6\n";
    assert_eq!(found(text), vec![]);
}
