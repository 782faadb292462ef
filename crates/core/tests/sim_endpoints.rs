//! The endpoints a Service gets (`pkg/controller/endpointslice`, `podToEndpoint` in
//! `staging/src/k8s.io/endpointslice/utils.go`): ready and not-ready pods, terminating pods
//! and `publishNotReadyAddresses`, as the timeline and the EndpointSlice view show them.

mod common;

use common::run;
use kubeplay_core::sim::Snapshot;
use kubeplay_core::sim::endpoints::{Endpoint, endpoints_of};
use kubeplay_core::sim::network::Network;

/// Two `web` pods whose readiness probe passes 10 s after they start and that take 10 s to
/// shut down, and a Service `web` (`publish` is added to its spec).
fn web(publish: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
      annotations:
        sim.kubeplay.dev/pull-seconds: \"0\"
        sim.kubeplay.dev/start-seconds: \"10\"
        sim.kubeplay.dev/shutdown-seconds: \"10\"
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - {{containerPort: 8080}}
          readinessProbe:
            httpGet: {{path: /, port: 8080}}
            periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
{publish}  selector: {{app: web}}
  ports:
    - {{port: 80, targetPort: 8080}}
"
    )
}

fn slice(s: &Snapshot) -> Vec<Endpoint> {
    let svc = Network::service(s, "default", "web").expect("service web");
    endpoints_of(s, &svc)
}

/// Runs `manifest` and deletes the first `web` pod at 30 s (names are deterministic).
fn delete_first_pod_at_30s(manifest: &str) -> (kubeplay_core::sim::Timeline, String) {
    let first = run(manifest, "", "", "1s").timeline[0].pods[0].name.clone();
    let steps = format!("  - at: 30s\n    deletePod: {first}\n");
    (run(manifest, "", &steps, "60s"), first)
}

fn ready_names(s: &Snapshot) -> Vec<String> {
    Network::service(s, "default", "web")
        .expect("service web")
        .endpoints
        .to_vec()
}

#[test]
fn not_ready_pods_are_listed_not_ready_and_receive_nothing() {
    let tl = run(&web(""), "", "", "60s");
    let starting = tl.at(5.0).expect("snapshot at 5s");
    let eps = slice(starting);
    assert_eq!(eps.len(), 2, "{eps:?}");
    assert!(
        eps.iter().all(|e| !e.ready && !e.serving && !e.terminating),
        "{eps:?}"
    );
    assert!(ready_names(starting).is_empty());
    let up = tl.at(20.0).expect("snapshot at 20s");
    assert!(
        slice(up).iter().all(|e| e.ready && e.serving),
        "{:?}",
        slice(up)
    );
    assert_eq!(ready_names(up).len(), 2);
}

#[test]
fn a_terminating_pod_leaves_the_ready_endpoints_at_once_and_stays_in_the_slice_as_terminating() {
    let (tl, doomed) = delete_first_pod_at_30s(&web(""));
    let before = tl.at(29.0).expect("snapshot at 29s");
    assert!(ready_names(before).contains(&doomed));
    let during = tl.at(31.0).expect("snapshot at 31s");
    assert!(
        !ready_names(during).contains(&doomed),
        "{doomed} still ready: {:?}",
        ready_names(during)
    );
    let e = slice(during)
        .into_iter()
        .find(|e| e.pod == doomed)
        .expect("still in the EndpointSlice while it shuts down");
    assert!(!e.ready && e.terminating, "{e:?}");
    // Serving follows the pod's own Ready condition while it terminates.
    let pod_ready = during
        .pods
        .iter()
        .find(|p| p.name == doomed)
        .expect("pod")
        .ready;
    assert_eq!(e.serving, pod_ready);
    let gone = tl.at(45.0).expect("snapshot at 45s");
    assert!(slice(gone).iter().all(|e| e.pod != doomed));
}

#[test]
fn publish_not_ready_addresses_makes_every_selected_pod_a_ready_endpoint() {
    let (tl, _) = delete_first_pod_at_30s(&web("  publishNotReadyAddresses: true\n"));
    let starting = tl.at(5.0).expect("snapshot at 5s");
    let eps = slice(starting);
    assert!(eps.iter().all(|e| e.ready && !e.serving), "{eps:?}");
    assert_eq!(
        ready_names(starting).len(),
        2,
        "traffic reaches pods not ready yet"
    );
    let during = tl.at(31.0).expect("snapshot at 31s");
    let terminating: Vec<_> = slice(during)
        .into_iter()
        .filter(|e| e.terminating)
        .collect();
    assert_eq!(terminating.len(), 1);
    assert!(
        terminating[0].ready,
        "a terminating pod stays ready: {terminating:?}"
    );
}

#[test]
fn get_endpoints_lists_ready_addresses_with_their_target_port() {
    use kubeplay_core::sim::endpoints::{endpoints_column, ready_addresses};
    let tl = run(&web(""), "", "", "60s");
    let column = |s: &Snapshot| {
        let svc = Network::service(s, "default", "web").expect("service web");
        endpoints_column(s, &svc)
    };
    assert_eq!(column(tl.at(5.0).expect("5s")), "<none>");
    let up = tl.at(20.0).expect("20s");
    let svc = Network::service(up, "default", "web").expect("service web");
    let addresses = ready_addresses(up, &svc, &svc.ports[0]);
    assert_eq!(addresses.len(), 2);
    assert!(
        addresses
            .iter()
            .all(|a| a.starts_with("10.244.") && a.ends_with(":8080")),
        "{addresses:?}"
    );
    assert_eq!(column(up), addresses.join(","));
    // Five replicas: three addresses, then how many more.
    let tl = run(
        &web("").replace("replicas: 2", "replicas: 5"),
        "",
        "",
        "60s",
    );
    let five = column(tl.at(20.0).expect("20s"));
    assert!(five.ends_with(" + 2 more..."), "{five}");
    assert_eq!(five.matches(':').count(), 3);
}
