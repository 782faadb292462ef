//! End-to-end tests of `kubeplay simulate`: every example scenario under tests/scenarios/
//! runs, the JSON has every key docs/cli.md (DESIGN.md) lists, bad scenarios exit 2 with a
//! positioned message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_kubeplay");

fn scenarios() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

fn run(args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(scenarios())
        .output()
        .expect("kubeplay runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn every_example_scenario_runs_without_warnings() {
    let mut count = 0;
    for entry in std::fs::read_dir(scenarios()).expect("tests/scenarios") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        count += 1;
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let out = run(&["simulate", &name]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = stdout(&out);
        assert!(!text.contains("warning:"), "{name}:\n{text}");
        let v = json(&["simulate", &name, "--format", "json"]);
        assert!(
            v["warnings"].as_array().unwrap().is_empty(),
            "{name}: {}",
            v["warnings"]
        );
    }
    assert!(count >= 4, "only {count} scenarios");
}

/// Every key DESIGN.md lists for `kubeplay simulate --format json`.
#[test]
fn json_has_every_documented_key() {
    let v = json(&["simulate", "ingress.yaml", "--format", "json"]);
    let has = |obj: &Value, keys: &[&str], what: &str| {
        for k in keys {
            assert!(obj.get(k).is_some(), "{what} lacks {k}: {obj}");
        }
    };
    has(&v, &["version", "timeline", "events", "requests"], "root");
    assert_eq!(v["version"], 1);
    let snap = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|s| !s["pods"].as_array().unwrap().is_empty())
        .expect("a snapshot with pods");
    has(
        snap,
        &[
            "t",
            "deployments",
            "replicaSets",
            "pods",
            "hpas",
            "services",
        ],
        "snapshot",
    );
    assert!(snap["t"].is_number());
    has(
        &snap["deployments"][0],
        &[
            "name",
            "namespace",
            "replicas",
            "updatedReplicas",
            "readyReplicas",
            "availableReplicas",
            "revision",
            "conditions",
        ],
        "deployment",
    );
    has(
        &snap["replicaSets"][0],
        &[
            "name",
            "deployment",
            "revision",
            "replicas",
            "readyReplicas",
            "availableReplicas",
        ],
        "replicaSet",
    );
    let pod = &snap["pods"][0];
    has(
        pod,
        &[
            "name",
            "namespace",
            "owner",
            "node",
            "phase",
            "ready",
            "terminating",
            "restarts",
            "qos",
            "reason",
            "containers",
        ],
        "pod",
    );
    assert!(pod["ready"].is_boolean());
    has(
        &pod["containers"][0],
        &["name", "state", "reason", "exitCode", "restarts"],
        "container",
    );
    has(&snap["services"][0], &["name", "endpoints"], "service");
    let event = &v["events"][0];
    has(
        event,
        &["t", "type", "reason", "object", "message"],
        "event",
    );
    assert!(event["object"].as_str().unwrap().contains('/'));
    let requests = v["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 5);
    for r in requests {
        has(
            r,
            &["t", "request", "status", "ingress", "service", "pod"],
            "request",
        );
    }
    let status: Vec<i64> = requests
        .iter()
        .map(|r| r["status"].as_i64().unwrap())
        .collect();
    assert_eq!(status, [503, 200, 200, 503, 404]);
    assert_ne!(requests[1]["pod"], requests[2]["pod"], "round-robin");
}

#[test]
fn hpa_keys_are_present_when_an_hpa_runs() {
    let manifest = scratch(
        "hpa-app.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: example/api:1.0.0\n          resources:\n            requests: {cpu: 200m}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 2\n  maxReplicas: 6\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 50}\n",
    );
    let scenario = scratch(
        "hpa.yaml",
        &format!(
            "steps:\n  - at: 0s\n    apply: {}\n  - at: 30s\n    load: {{deployment: api, cpu: 300m}}\nuntil: 300s\n",
            manifest.file_name().unwrap().to_str().unwrap()
        ),
    );
    let v = json(&["simulate", scenario.to_str().unwrap(), "--format", "json"]);
    let snap = v["timeline"].as_array().unwrap().last().unwrap();
    let hpa = &snap["hpas"][0];
    for k in [
        "name",
        "currentReplicas",
        "desiredReplicas",
        "currentUtilization",
        "conditions",
    ] {
        assert!(hpa.get(k).is_some(), "hpa lacks {k}: {hpa}");
    }
    for k in ["type", "status", "reason"] {
        assert!(hpa["conditions"][0].get(k).is_some(), "{hpa}");
    }
}

#[test]
fn text_reads_like_kubectl_get_pods_watch_plus_events() {
    let out = run(&["simulate", "quota.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.lines().next().unwrap().contains("REASON"), "{text}");
    assert!(
        text.contains("  Warning  FailedCreate       replicaset/web-"),
        "{text}"
    );
    assert!(text.contains("is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=1800m, limited: requests.cpu=2"), "{text}");
    // Pod rows: NAME READY STATUS RESTARTS NODE, each change once.
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("  pod  ")).collect();
    assert_eq!(
        rows.iter().filter(|l| l.contains(" 1/1  Running ")).count(),
        3,
        "{text}"
    );
    assert!(
        rows.iter()
            .any(|l| l.contains(" 0/1  Pending ") && l.ends_with("<none>"))
    );
    assert!(text.contains("deployment/web  3/3 ready"), "{text}");
    let requests = stdout(&run(&["simulate", "ingress.yaml"]));
    assert!(requests.contains("request  shop.example.com/cart → 200  ingress/shop path / (Prefix) → service/web:80 → pod/web-"), "{requests}");
    assert!(
        requests.contains("request  other.example.com/ → 404"),
        "{requests}"
    );
}

#[test]
fn invalid_scenarios_exit_2_with_a_positioned_message() {
    let bad = scratch(
        "bad-step.yaml",
        "steps:\n  - at: 10s\n    scael: {deployment: web, replicas: 3}\n",
    );
    let out = run(&["simulate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad-step.yaml:3: unknown step `scael`; did you mean `scale`?"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let missing = scratch(
        "missing-file.yaml",
        "steps:\n  - at: 0s\n    apply: nowhere.yaml\n",
    );
    let out = run(&["simulate", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing-file.yaml:2: cannot read nowhere.yaml"),
        "{err}"
    );

    let out = run(&["simulate", "does-not-exist.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist.yaml: cannot read"));

    let syntax = scratch("syntax.yaml", "steps:\n  - at: 0s\n    apply: [\n");
    let out = run(&["simulate", syntax.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("syntax.yaml:"),
        "positioned"
    );

    let out = run(&["simulate", "ingress.yaml", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}
