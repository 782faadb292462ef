//! How a workload is reached: NodePort Services from outside the cluster, TLS at the
//! Ingress controller, cluster DNS names from a pod's namespace (Services, and pods behind
//! a headless Service), and the ServiceAccount a pod runs as.

mod common;

use common::run_sim;
use kubeplay_core::sim::dns::{Answer, resolve};
use kubeplay_core::sim::timeline::RequestResult;

const WEB: &str = "apiVersion: apps/v1
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
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
";

fn service(name: &str, kind: &str, node_port: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: {kind}\n  selector: {{app: web}}\n  ports:\n    - port: 80\n      targetPort: 80\n{node_port}"
    )
}

fn requests(sim: &kubeplay_core::sim::Sim) -> Vec<&RequestResult> {
    sim.timeline.requests.iter().collect()
}

/// The Service docs ("type: NodePort"): the port is opened on every node, and traffic to
/// any node reaches the Service's pods, wherever they run.
#[test]
fn node_port_reaches_the_pods_from_every_node() {
    let manifest = format!(
        "{WEB}{}",
        service("web", "NodePort", "      nodePort: 30080\n")
    );
    let steps = "  - at: 30s\n    request: {node: node-1, port: 30080, path: /}\n  - at: 30s\n    request: {node: node-3, port: 30080}\n  - at: 30s\n    request: {node: node-3, port: 30081}\n  - at: 30s\n    request: {node: node-9, port: 30080}\n";
    let sim = run_sim(&manifest, "", steps, "40s");
    let r = requests(&sim);
    assert_eq!(r.len(), 4);
    assert_eq!((r[0].status, r[0].request.as_str()), (200, "node-1:30080/"));
    assert!(
        r[0].reason
            .starts_with("node-1:30080 (NodePort of service/web) → service/web:80 → pod/web-"),
        "{}",
        r[0].reason
    );
    // Round-robin: the second request goes to the other pod.
    assert_eq!(r[1].status, 200);
    assert_ne!(r[0].pod, r[1].pod);
    assert_eq!(r[2].status, 0);
    assert!(
        r[2].reason
            .starts_with("connection refused: no Service has node port 30081"),
        "{}",
        r[2].reason
    );
    assert_eq!(r[3].reason, "there is no node node-9 in the cluster");
}

#[test]
fn node_ports_are_allocated_from_the_range_and_only_for_node_port_types() {
    let manifest = format!(
        "{WEB}{}{}{}{}",
        service("b", "LoadBalancer", "      nodePort: 30000\n"),
        service("a", "NodePort", ""),
        service("c", "ClusterIP", ""),
        service("d", "NodePort", "      nodePort: 30001\n")
    );
    let sim = run_sim(&manifest, "", "", "10s");
    let port = |name: &str| {
        sim.services
            .get(&("default".to_owned(), name.to_owned()))
            .map(|s| s.ports[0].node_port)
    };
    // `b` asked for 30000, so `a` gets the lowest free port after it.
    assert_eq!(port("b"), Some(Some(30000)));
    assert_eq!(port("a"), Some(Some(30001)));
    assert_eq!(port("c"), Some(None));
    // Node ports are unique in the cluster: `d` is refused as the API server refuses it.
    assert_eq!(port("d"), None);
    assert!(
        sim.timeline.warnings.iter().any(|w| w
            == "The Service \"d\" is invalid: spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated"),
        "{:?}",
        sim.timeline.warnings
    );
}

const SHOP_TLS: &str = "---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
";

const SECRET: &str = "  - at: 1s\n    apply:\n      apiVersion: v1\n      kind: Secret\n      metadata: {name: shop-tls}\n      type: kubernetes.io/tls\n      data: {tls.crt: Y2VydA==, tls.key: a2V5}\n";

/// ingress-nginx: the Secret named for the host is presented; a missing one falls back to
/// the controller's fake certificate; plain HTTP to a host with a certificate is redirected.
#[test]
fn tls_uses_the_hosts_secret_and_redirects_plain_http() {
    let manifest = format!("{WEB}{SHOP_TLS}");
    let https = "  - at: 30s\n    request: {host: shop.example.com, path: /, scheme: https}\n";
    let http = "  - at: 30s\n    request: {host: shop.example.com, path: /cart}\n";
    let sim = run_sim(&manifest, "", &format!("{SECRET}{https}{http}"), "40s");
    let r = requests(&sim);
    let tls = r[0]
        .tls
        .as_ref()
        .expect("an https request records its certificate");
    assert_eq!(r[0].request, "https://shop.example.com/");
    assert_eq!(r[0].status, 200);
    assert_eq!(tls.secret.as_deref(), Some("default/shop-tls"));
    assert_eq!(r[1].status, 308);
    assert!(
        r[1].reason
            .starts_with("308 Permanent Redirect to https://shop.example.com/cart"),
        "{}",
        r[1].reason
    );
    assert!(r[1].tls.is_none());

    // Without the Secret: the fake certificate, the upstream log line, and no redirect.
    let sim = run_sim(&manifest, "", &format!("{https}{http}"), "40s");
    let r = requests(&sim);
    let tls = r[0].tls.as_ref().expect("certificate");
    assert_eq!(tls.secret, None);
    assert!(
        tls.reason.starts_with("Error getting SSL certificate \"default/shop-tls\": local SSL certificate default/shop-tls was not found. Using default certificate"),
        "{}",
        tls.reason
    );
    assert_eq!(r[1].status, 200);
}

#[test]
fn tls_scheme_is_checked_when_the_scenario_is_read() {
    let text = "steps:\n  - at: 1s\n    request: {host: a, scheme: ftp}\n";
    let e = kubeplay_core::sim::parse_scenario(text).expect_err("ftp");
    assert_eq!(e.line, 3);
    assert!(
        e.message.contains("`scheme` is http or https"),
        "{}",
        e.message
    );
}

const API_IN_SHOP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports:
    - port: 8080
";

/// "DNS for Services and Pods": a short name resolves in the caller's namespace only;
/// `<service>.<namespace>` and the full name from anywhere.
#[test]
fn service_names_resolve_through_the_search_path() {
    let sim = run_sim(API_IN_SHOP, "", "", "20s");
    let shop_api = Answer::Service {
        namespace: "shop".into(),
        name: "api".into(),
        headless: false,
    };
    for (from, name) in [
        ("shop", "api"),
        ("web", "api.shop"),
        ("web", "api.shop.svc"),
        ("web", "api.shop.svc.cluster.local"),
        ("web", "api.shop.svc.cluster.local."),
    ] {
        let r = resolve(&sim, from, name).unwrap_or_else(|e| panic!("{from} {name}: {e}"));
        assert_eq!(r.answer, shop_api, "{from} {name}");
        assert_eq!(r.fqdn, "api.shop.svc.cluster.local");
    }
    let e = resolve(&sim, "web", "api").expect_err("short name from another namespace");
    assert!(
        e.contains("tried api.web.svc.cluster.local, api.svc.cluster.local"),
        "{e}"
    );
}

const DB: &str = "apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector: {app: db}
  ports:
    - port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
";

/// A StatefulSet's pods are `<pod>.<serviceName>` while the governing Service is headless;
/// a Service with a cluster IP publishes no per-pod names.
#[test]
fn pods_of_a_headless_service_have_their_own_names() {
    let sim = run_sim(DB, "", "", "60s");
    let r = resolve(&sim, "default", "db-1.db").expect("db-1.db");
    assert_eq!(
        r.answer,
        Answer::Pod {
            namespace: "default".into(),
            name: "db-1".into()
        }
    );
    assert!(resolve(&sim, "default", "db-2.db").is_err());
    let with_ip = DB.replace("  clusterIP: None\n", "");
    let sim = run_sim(&with_ip, "", "", "60s");
    assert!(resolve(&sim, "default", "db-0.db").is_err());
    let without_service_name = DB.replace("  serviceName: db\n", "");
    let sim = run_sim(&without_service_name, "", "", "60s");
    assert!(resolve(&sim, "default", "db-0.db").is_err());
}

/// The ServiceAccount admission plugin refuses a pod whose ServiceAccount does not exist;
/// the ReplicaSet retries and succeeds once it is created.
#[test]
fn pods_wait_for_their_service_account() {
    let watcher = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: watcher
spec:
  replicas: 1
  selector:
    matchLabels: {app: watcher}
  template:
    metadata:
      labels: {app: watcher}
    spec:
      serviceAccountName: reader
      containers:
        - name: w
          image: nginx:1.27
";
    let later = "  - at: 20s\n    apply:\n      apiVersion: v1\n      kind: ServiceAccount\n      metadata: {name: reader}\n";
    let sim = run_sim(watcher, "", later, "40s");
    let refused = sim
        .timeline
        .events
        .iter()
        .find(|e| e.reason == "FailedCreate")
        .expect("FailedCreate");
    assert!(refused.t < 1.0);
    // The ReplicaSet creates by generateName, refused before a name is generated: the
    // message names the prefix (`pods "watcher-5d8f7c9b6-" is forbidden`).
    assert!(
        refused.object.starts_with("replicaset/watcher-"),
        "{}",
        refused.object
    );
    let prefix = format!(
        "Error creating: pods \"{}-\" is forbidden",
        &refused.object["replicaset/".len()..]
    );
    assert!(refused.message.starts_with(&prefix), "{}", refused.message);
    assert!(
        refused.message.ends_with("is forbidden: error looking up service account default/reader: serviceaccount \"reader\" not found"),
        "{}",
        refused.message
    );
    let at_10 = sim.timeline.at(10.0).expect("snapshot");
    assert!(at_10.pods.is_empty());
    let last = sim.timeline.timeline.last().expect("snapshot");
    assert_eq!(last.pods.len(), 1);
    assert_eq!(last.pods[0].template.0.service_account, "reader");
}

/// `kubectl get svc -o yaml` shows the node port the simulator allocated, the one requests
/// to the node use.
#[test]
fn get_service_yaml_shows_the_allocated_node_port() {
    let manifest = format!("{WEB}{}", service("web", "NodePort", ""));
    let sim = run_sim(&manifest, "", "", "10s");
    let allocated = sim.services[&("default".to_owned(), "web".to_owned())].ports[0].node_port;
    assert_eq!(allocated, Some(30000));
    let command = kubeplay_core::kubectl::parse("get svc web -o yaml").expect("kubectl line");
    let view = kubeplay_core::kubectl::View {
        timeline: &sim.timeline,
        t: 10.0,
        namespace: "default",
    };
    let out = kubeplay_core::kubectl::run(&command, &view);
    assert!(out.contains("nodePort: 30000"), "{out}");
}

fn kubectl_at(sim: &kubeplay_core::sim::Sim, t: f64, line: &str) -> String {
    let command = kubeplay_core::kubectl::parse(line).expect("kubectl line");
    let view = kubeplay_core::kubectl::View {
        timeline: &sim.timeline,
        t,
        namespace: "default",
    };
    kubeplay_core::kubectl::run(&command, &view)
}

/// `kubectl get svc` prints kubectl's columns: TYPE, CLUSTER-IP, EXTERNAL-IP (`<none>` for
/// ClusterIP and NodePort, `<pending>` for a LoadBalancer with no provider), PORT(S) with the
/// node port as `80:30080/TCP`, and AGE; `-o wide` adds the selector.
#[test]
fn get_services_prints_kubectls_columns() {
    let manifest = format!(
        "{WEB}{}{}{}",
        service("web", "NodePort", "      nodePort: 30080\n"),
        service("internal", "ClusterIP", ""),
        service("public", "LoadBalancer", ""),
    );
    let sim = run_sim(&manifest, "", "", "30s");
    let out = kubectl_at(&sim, 30.0, "get svc");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("NAME")
            && lines[0].contains("TYPE")
            && lines[0].contains("CLUSTER-IP"),
        "{out}"
    );
    let row = |name: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{name} ")))
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let web = row("web");
    assert_eq!(web[1], "NodePort", "{out}");
    assert!(web[2].starts_with("10.96."), "{out}");
    assert_eq!(&web[3..5], ["<none>", "80:30080/TCP"], "{out}");
    assert_eq!(&row("internal")[3..5], ["<none>", "80/TCP"], "{out}");
    let public = row("public");
    assert_eq!(public[1], "LoadBalancer");
    assert_eq!(public[3], "<pending>");
    assert!(
        public[4].starts_with("80:3") && public[4].ends_with("/TCP"),
        "{out}"
    );
    let wide = kubectl_at(&sim, 30.0, "get svc web -o wide");
    assert!(
        wide.lines()
            .nth(1)
            .is_some_and(|l| l.trim_end().ends_with("app=web")),
        "{wide}"
    );
}

/// `kubectl describe svc` of a NodePort Service names its type, its cluster IP and the node
/// port of each port, as kubectl's describer does.
#[test]
fn describe_service_shows_type_ip_and_node_port() {
    let manifest = format!(
        "{WEB}{}",
        service("web", "NodePort", "      nodePort: 30080\n")
    );
    let sim = run_sim(&manifest, "", "", "30s");
    let out = kubectl_at(&sim, 30.0, "describe svc web");
    let value = |label: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{label}:")))
            .map(|l| l[label.len() + 1..].trim().to_owned())
    };
    assert_eq!(value("Type").as_deref(), Some("NodePort"), "{out}");
    assert!(
        value("IP").is_some_and(|ip| ip.starts_with("10.96.")),
        "{out}"
    );
    assert_eq!(
        value("NodePort").as_deref(),
        Some("<unset>  30080/TCP"),
        "{out}"
    );
    assert_eq!(
        value("External Traffic Policy").as_deref(),
        Some("Cluster"),
        "{out}"
    );
    let endpoints = value("Endpoints").unwrap_or_default();
    assert_eq!(endpoints.split(',').count(), 2, "{out}");
    let clusterip = format!("{WEB}{}", service("web", "ClusterIP", ""));
    let sim = run_sim(&clusterip, "", "", "30s");
    let out = kubectl_at(&sim, 30.0, "describe svc web");
    assert!(out.contains("Type:                     ClusterIP"), "{out}");
    assert!(!out.contains("NodePort:"), "{out}");
}

/// `kubectl get pods --show-labels` (which lesson 19 asks for, to compare with a Service's
/// selector) adds kubectl's LABELS column: the pod's labels, sorted, with the ReplicaSet's
/// `pod-template-hash`.
#[test]
fn get_with_show_labels_adds_the_labels_column() {
    let manifest = format!("{WEB}{}", service("web", "ClusterIP", ""));
    let sim = run_sim(&manifest, "", "", "30s");
    let out = kubectl_at(&sim, 30.0, "get pods --show-labels");
    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.trim_end().ends_with("AGE   LABELS")),
        "{out}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{out}");
    for row in rows {
        let labels = row.split_whitespace().last().unwrap_or("");
        assert!(labels.starts_with("app=web,pod-template-hash="), "{out}");
    }
    let svc = kubectl_at(&sim, 30.0, "get svc --show-labels");
    assert!(
        svc.lines()
            .nth(1)
            .is_some_and(|l| l.trim_end().ends_with("<none>")),
        "{svc}"
    );
}

/// Every controller's pods go through the same admission: a Job, a StatefulSet and a
/// DaemonSet naming a missing ServiceAccount create nothing and say so once, each in its
/// controller's words, and create their pods once the ServiceAccount exists.
#[test]
fn controller_pods_wait_for_their_service_account_too() {
    let template = "    metadata:\n      labels: {app: x}\n    spec:\n      serviceAccountName: builder\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: busybox:1.36\n";
    let job = format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: report\nspec:\n  template:\n{template}"
    );
    let sts = format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n  selector:\n    matchLabels: {{app: x}}\n  template:\n{}",
        template.replace("      restartPolicy: Never\n", "")
    );
    let ds = format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {{app: x}}\n  template:\n{}",
        template.replace("      restartPolicy: Never\n", "")
    );
    let later = "  - at: 30s\n    apply:\n      apiVersion: v1\n      kind: ServiceAccount\n      metadata: {name: builder}\n";
    let cause = "is forbidden: error looking up service account default/builder: serviceaccount \"builder\" not found";
    for (manifest, object, message) in [
        (
            job,
            "job/report",
            format!("Error creating: pods \"report-\" {cause}"),
        ),
        (
            sts,
            "statefulset/db",
            format!("create Pod db-0 in StatefulSet db failed error: pods \"db-0\" {cause}"),
        ),
        (
            ds,
            "daemonset/agent",
            format!("Error creating: pods \"agent-\" {cause}"),
        ),
    ] {
        let sim = run_sim(&manifest, "", later, "60s");
        let refusals: Vec<_> = sim
            .timeline
            .events
            .iter()
            .filter(|e| e.reason == "FailedCreate")
            .collect();
        assert_eq!(refusals.len(), 1, "{object}: once, not on every retry");
        assert_eq!(refusals[0].object, object);
        assert_eq!(refusals[0].message, message);
        assert!(
            sim.timeline.at(20.0).expect("snapshot").pods.is_empty(),
            "{object}"
        );
        let last = sim.timeline.timeline.last().expect("snapshot");
        assert!(
            !last.pods.is_empty(),
            "{object} creates its pods once the ServiceAccount exists"
        );
    }
}
