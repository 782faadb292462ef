//! The traffic questions asked of a recorded snapshot (what the playground's Traffic panel
//! shows at any time) give the live simulator's answers: Ingress routing, EndpointSlice
//! endpoints ready and not ready, NetworkPolicy reachability and its matrix by pod or by
//! workload.

use kubeplay_core::sim::endpoints::endpoints_of;
use kubeplay_core::sim::ingress::route;
use kubeplay_core::sim::netpol::{may_reach, reachability_matrix};
use kubeplay_core::sim::network::Network;
use kubeplay_core::sim::reach_matrix::{Verdict, reach_matrix};
use kubeplay_core::sim::{Sim, parse_scenario, run_scenario};

const SHOP: &str = include_str!("fixtures/shop-traffic.yaml");

/// Runs the shop manifest applied at 0 s, then `steps`, to `until`.
fn run(manifest: &str, steps: &str, until: &str) -> Sim {
    let indented: String = manifest.lines().map(|l| format!("      {l}\n")).collect();
    let text = format!("steps:\n  - at: 0s\n    apply: |\n{indented}{steps}until: {until}\n");
    let scenario = parse_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    run_scenario(&scenario, &|p| Err(format!("no file {p}")))
}

fn pod_of<'a>(names: impl Iterator<Item = &'a str>, prefix: &str) -> String {
    let mut matching: Vec<&str> = names.filter(|n| n.starts_with(prefix)).collect();
    matching.sort_unstable();
    matching[0].to_owned()
}

#[test]
fn a_snapshot_answers_as_the_live_simulator() {
    let sim = run(SHOP, "", "90s");
    let snap = sim.timeline.timeline.last().unwrap();
    for (host, path) in [
        (Some("shop.example.com"), "/api/x"),
        (Some("shop.example.com"), "/"),
        (Some("shop.example.com"), "/nothing"),
        (Some("other.example.com"), "/api"),
        (None, "/api"),
    ] {
        let live = sim.route(host, path);
        let recorded = route(snap, sim.seconds(), host, path);
        assert_eq!(live, recorded, "{host:?} {path}");
    }
    let pods: Vec<String> = Network::pods(&sim).map(|p| p.name.to_owned()).collect();
    assert_eq!(pods.len(), 6);
    for a in &pods {
        for b in &pods {
            for port in [80, 5432, 8080] {
                assert_eq!(
                    sim.may_reach(a, b, port, "TCP"),
                    may_reach(snap, a, b, port, "TCP"),
                    "{a} → {b}:{port}"
                );
            }
        }
    }
    assert_eq!(
        sim.reachability_matrix(None),
        reachability_matrix(snap, None)
    );
}

#[test]
fn requests_name_the_rule_the_service_and_the_pod_or_say_why_not() {
    let sim = run(SHOP, "", "90s");
    let snap = sim.timeline.timeline.last().unwrap();
    let ok = route(snap, 90.0, Some("shop.example.com"), "/api/x");
    assert_eq!(ok.status, 200, "{}", ok.reason);
    assert_eq!(ok.ingress.as_deref(), Some("shop"));
    assert_eq!(ok.service.as_deref(), Some("api"));
    assert!(ok.pod.as_deref().is_some_and(|p| p.starts_with("api-")));
    let rule = ok.rule.unwrap();
    assert_eq!(rule.host.as_deref(), Some("shop.example.com"));
    assert_eq!(rule.path, Some(("/api".to_owned(), "Prefix")));
    assert!(
        ok.reason.contains("→ service/api:80 → pod/api-"),
        "{}",
        ok.reason
    );
    assert!(ok.reason.contains(":8080"), "{}", ok.reason);

    // `/` is Exact: `/nothing` matches no rule and there is no defaultBackend.
    let none = route(snap, 90.0, Some("shop.example.com"), "/nothing");
    assert_eq!(none.status, 404);
    assert_eq!(none.rule, None);
    assert_eq!(
        none.reason,
        "no Ingress rule matches host shop.example.com and path /nothing, and no Ingress has a defaultBackend"
    );

    // The API's Service before any API pod is Ready: 503, and why.
    let early = sim
        .timeline
        .timeline
        .iter()
        .find(|s| s.pods.len() == 6 && s.pods.iter().all(|p| p.ip.is_some()))
        .expect("a snapshot with every pod started and none ready yet");
    let api = Network::service(early, "default", "api").unwrap();
    let eps = endpoints_of(early, &api);
    assert_eq!(eps.len(), 3);
    assert!(eps.iter().all(|e| !e.ready && !e.terminating), "{eps:?}");
    let r = route(early, early.t, Some("shop.example.com"), "/api/x");
    assert_eq!(r.status, 503);
    assert_eq!(
        r.reason,
        "service/api has no ready endpoints (no Ready pod matches its selector)"
    );
    let api = Network::service(snap, "default", "api").unwrap();
    let eps = endpoints_of(snap, &api);
    assert_eq!(eps.iter().filter(|e| e.ready).count(), 3, "{eps:?}");
    assert!(eps.iter().all(|e| e.ip.starts_with("10.244.")));
}

#[test]
fn a_service_port_the_backend_does_not_have_is_a_503() {
    let manifest = SHOP.replace(
        "                  number: 80\n          - path: /\n",
        "                  number: 8080\n          - path: /\n",
    );
    assert_ne!(manifest, SHOP);
    let sim = run(&manifest, "", "60s");
    let snap = sim.timeline.timeline.last().unwrap();
    let r = route(snap, 60.0, Some("shop.example.com"), "/api/v1");
    assert_eq!(r.status, 503);
    assert_eq!(r.reason, "service/api has no port 8080");
    assert_eq!(r.service.as_deref(), Some("api"));
}

#[test]
fn the_matrix_lists_pods_and_denies_what_no_policy_allows() {
    let sim = run(SHOP, "", "90s");
    let snap = sim.timeline.timeline.last().unwrap();
    let m = reach_matrix(snap);
    assert!(!m.grouped);
    assert!(m.any_policy);
    let names: Vec<&str> = m.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names.len(), 6);
    let at = |prefix: &str| {
        let name = pod_of(names.iter().copied(), prefix);
        names.iter().position(|n| *n == name).unwrap()
    };
    let (frontend, api, db) = (at("frontend-"), at("api-"), at("db-"));
    assert_eq!(m.cells[frontend][db].verdict, Verdict::Denied);
    assert!(
        m.cells[frontend][db]
            .reason
            .contains("is isolated for ingress by networkpolicy/db-from-api, networkpolicy/default-deny-ingress"),
        "{}",
        m.cells[frontend][db].reason
    );
    assert_eq!(m.cells[frontend][db].port, 5432);
    assert_eq!(m.cells[frontend][api].verdict, Verdict::Allowed);
    assert_eq!(m.cells[frontend][api].port, 8080);
    assert_eq!(m.cells[api][db].verdict, Verdict::Allowed);
    assert_eq!(m.cells[db][api].verdict, Verdict::Denied);
    assert_eq!(m.from_controller[api].verdict, Verdict::Allowed);
    assert_eq!(m.from_controller[db].verdict, Verdict::Denied);
}

#[test]
fn many_pods_group_by_workload() {
    let manifest = SHOP.replace("replicas: 3", "replicas: 8");
    let sim = run(&manifest, "", "90s");
    let snap = sim.timeline.timeline.last().unwrap();
    let m = reach_matrix(snap);
    assert!(m.grouped);
    let names: Vec<&str> = m.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["api", "db", "frontend"]);
    assert_eq!(m.groups[0].pods.len(), 8);
    assert_eq!(m.cells[2][1].verdict, Verdict::Denied);
    assert_eq!(m.cells[2][0].verdict, Verdict::Allowed);
    assert_eq!(m.cells[0][1].verdict, Verdict::Allowed);

    // Without policies every cell is allowed.
    let open: String = manifest
        .split("\n---\n")
        .filter(|d| !d.contains("kind: NetworkPolicy"))
        .collect::<Vec<_>>()
        .join("\n---\n");
    let sim = run(&open, "", "90s");
    let m = reach_matrix(sim.timeline.timeline.last().unwrap());
    assert!(!m.any_policy);
    assert!(
        m.cells
            .iter()
            .flatten()
            .all(|c| c.verdict == Verdict::Allowed)
    );
}
