//! Facts from `analyze` across objects: Ingress routes and HPA targets, QoS and rollout
//! bounds, as the UI and lessons read them.

use kubeplay_core::analyze;
use kubeplay_core::facts::{QosClass, RouteFact};

const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 4
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: example/api:1.2.0
          resources:
            requests: {cpu: 200m, memory: 128Mi}
            limits: {cpu: 200m, memory: 128Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service: {name: api, port: {number: 80}}
          - path: /admin
            pathType: Exact
            backend:
              service: {name: admin, port: {name: http}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 60}
";

#[test]
fn ingress_routes_name_their_services() {
    let a = analyze(APP);
    let ingress = a
        .objects
        .iter()
        .find(|o| o.kind.as_deref() == Some("Ingress"))
        .unwrap();
    let routes: Vec<&RouteFact> = ingress.facts.routes.iter().collect();
    assert_eq!(routes.len(), 2);
    assert_eq!(
        (
            routes[0].host.as_str(),
            routes[0].path.as_str(),
            routes[0].service.as_str(),
            routes[0].port.as_str()
        ),
        ("shop.example.com", "/api", "api", "80")
    );
    assert!(routes[0].service_found);
    assert_eq!(routes[1].service, "admin");
    assert!(!routes[1].service_found, "no Service admin in the files");
}

#[test]
fn hpa_fact_knows_its_target_and_requests() {
    let a = analyze(APP);
    let hpa = a
        .objects
        .iter()
        .find(|o| o.kind.as_deref() == Some("HorizontalPodAutoscaler"))
        .unwrap();
    let fact = hpa.facts.hpa.as_ref().unwrap();
    assert_eq!(fact.target, "Deployment/api");
    assert!(fact.target_found && fact.requests_ok);
    assert_eq!(fact.metrics, vec!["cpu at 60% of requests".to_owned()]);
    // Without CPU requests the metric cannot work.
    let no_requests = APP.replace(
        "requests: {cpu: 200m, memory: 128Mi}\n            limits: {cpu: 200m, memory: 128Mi}",
        "requests: {memory: 128Mi}",
    );
    let a = analyze(&no_requests);
    let hpa = a
        .objects
        .iter()
        .find(|o| o.kind.as_deref() == Some("HorizontalPodAutoscaler"))
        .unwrap();
    assert!(!hpa.facts.hpa.as_ref().unwrap().requests_ok);
}

#[test]
fn qos_and_rollout_band_of_the_deployment() {
    let a = analyze(APP);
    let d = &a.objects[0];
    assert_eq!(d.facts.qos, Some(QosClass::Guaranteed));
    let r = d.facts.rollout.unwrap();
    // 25% of 4: surge 1, unavailable 1 → band 3..5.
    assert_eq!((r.max_surge, r.max_unavailable), (1, 1));
    let json = serde_json::to_value(&a.objects[2].facts).unwrap();
    assert_eq!(json["routes"][0]["pathType"], "Prefix");
}
