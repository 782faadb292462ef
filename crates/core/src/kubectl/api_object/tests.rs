//! `kubectl get -o yaml|json` for small manifests a learner writes, against the full text
//! kubectl would print (checked by hand against kubectl's printers and the API server's
//! defaulting; `testdata/*.yaml`). `UPDATE_KUBECTL_OUTPUT=1` rewrites them.

use crate::kubectl::{View, parse, run};
use crate::sim::simulate_manifest;
use crate::value::Value;

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          resources:
            requests: {cpu: 100m, memory: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: s3cret
data:
  user: YWRtaW4=
";

/// A pod whose app grows past its memory limit: OOMKilled, restarted, backing off.
const HOG: &str = "apiVersion: v1
kind: Pod
metadata:
  name: hog
  annotations:
    sim.kubeplay.dev/memory: 200Mi
spec:
  containers:
    - name: hog
      image: busybox
      resources:
        limits: {memory: 64Mi, cpu: 100m}
";

const API: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ghcr.io/shop/api:2.1
          resources:
            requests: {cpu: 0.2, memory: 100Mi}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 5
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
";

fn ask(manifest: &str, line: &str, t: f64) -> String {
    let tl = simulate_manifest(manifest, 120_000);
    let view = View {
        timeline: &tl,
        t,
        namespace: "default",
    };
    run(&parse(line).unwrap(), &view)
}

fn check(file: &str, got: &str) {
    let path = format!(
        "{}/src/kubectl/api_object/testdata/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("UPDATE_KUBECTL_OUTPUT").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        got, want,
        "{file}: rerun with UPDATE_KUBECTL_OUTPUT=1 if the change is right"
    );
}

#[test]
fn deployment_with_defaults_revision_and_status() {
    check("deployment.yaml", &ask(WEB, "get deploy web -o yaml", 90.0));
}

#[test]
fn replica_sets_as_a_list() {
    let out = ask(WEB, "kubectl get rs -o yaml", 90.0);
    assert!(
        out.starts_with("apiVersion: v1\nitems:\n- apiVersion: apps/v1\n"),
        "{out}"
    );
    assert!(
        out.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"),
        "{out}"
    );
    check("replicasets.yaml", &out);
}

#[test]
fn service_with_cluster_ip_and_defaults() {
    check("service.yaml", &ask(WEB, "get svc web -o yaml", 90.0));
}

#[test]
fn endpoints_list_ready_pods() {
    check(
        "endpoints.yaml",
        &ask(WEB, "get endpoints web -o yaml", 90.0),
    );
}

#[test]
fn secret_data_is_base64_with_string_data_folded_in() {
    let out = ask(WEB, "get secret db -o yaml", 90.0);
    // base64 of "s3cret": an encoding anyone can reverse, not encryption.
    assert!(out.contains("  password: czNjcmV0\n"), "{out}");
    assert!(!out.contains("\nstringData:"), "{out}");
    check("secret.yaml", &out);
}

#[test]
fn oom_killed_pod_with_admission_defaults() {
    let out = ask(HOG, "get pod hog -o yaml", 90.0);
    for want in [
        "    imagePullPolicy: Always\n",
        "        exitCode: 137\n",
        "        reason: OOMKilled\n",
        "  qosClass: Guaranteed\n",
        "    tolerationSeconds: 300\n",
        "  serviceAccountName: default\n",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
    check("pod.yaml", &out);
}

#[test]
fn hpa_with_metrics_and_conditions() {
    check("hpa.yaml", &ask(API, "get hpa api -o yaml", 90.0));
}

#[test]
fn missing_objects_answer_as_kubectl() {
    assert_eq!(
        ask(WEB, "get svc nope -o yaml", 90.0),
        "Error from server (NotFound): services \"nope\" not found\n"
    );
    assert_eq!(
        ask(WEB, "get hpa -o json", 90.0),
        "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
    );
}

/// A serde_json value as our tree.
fn from_json(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| Value::Float(n.as_f64().unwrap()), Value::Int),
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Array(a) => Value::Seq(a.into_iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            Value::Map(o.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

#[test]
fn json_parses_and_says_what_the_yaml_says() {
    for (manifest, what) in [
        (WEB, "deploy web"),
        (WEB, "pods"),
        (WEB, "secret db"),
        (HOG, "pod hog"),
        (API, "hpa api"),
        (WEB, "events"),
    ] {
        let json = ask(manifest, &format!("get {what} -o json"), 90.0);
        let yaml = ask(manifest, &format!("get {what} -o yaml"), 90.0);
        let from_json = from_json(serde_json::from_str(&json).unwrap());
        let stream = crate::yaml::parse(&yaml, &crate::yaml::Limits::default());
        assert!(stream.errors.is_empty(), "{what}: {:?}", stream.errors);
        let from_yaml = Value::from_node(stream.documents[0].root.as_ref().unwrap());
        assert_eq!(from_json, from_yaml, "{what}");
        assert!(json.starts_with("{\n    \"apiVersion\": "), "{json}");
    }
}

#[test]
fn a_rollout_restart_and_scale_show_in_the_stored_object() {
    let steps = crate::sim::Scenario {
        nodes: (1..=3)
            .map(|i| crate::sim::NodeSpec::default_named(format!("node-{i}")))
            .collect(),
        steps: vec![
            step(
                0,
                crate::sim::Action::Apply {
                    path: None,
                    inline: Some(WEB.into()),
                },
            ),
            step(
                30_000,
                crate::sim::Action::Scale {
                    deployment: "web".into(),
                    replicas: 3,
                },
            ),
            step(
                40_000,
                crate::sim::Action::RolloutRestart {
                    deployment: "web".into(),
                },
            ),
        ],
        until: 120_000,
    };
    let tl = crate::sim::simulate(&steps, &|_| Err("no files".into()));
    let view = View {
        timeline: &tl,
        t: 100.0,
        namespace: "default",
    };
    let out = run(&parse("get deploy web -o yaml").unwrap(), &view);
    for want in [
        "  generation: 3\n",
        "  replicas: 3\n",
        "        kubectl.kubernetes.io/restartedAt: \"2026-01-01T00:00:40Z\"\n",
        "    deployment.kubernetes.io/revision: \"2\"\n",
        "  observedGeneration: 3\n",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
}

fn step(at: i64, action: crate::sim::Action) -> crate::sim::Step {
    crate::sim::Step {
        at,
        action,
        namespace: "default".into(),
        line: 1,
    }
}
