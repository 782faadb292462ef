//! The API server's defaulting, on the value tree kubectl sent: what `SetDefaults_*` fill in
//! when an object is decoded (`pkg/apis/core/v1/defaults.go`, the declarative defaults in
//! `zz_generated.defaults.go`, `pkg/apis/apps/v1/defaults.go`,
//! `pkg/apis/autoscaling/v2/defaults.go`). A field counts as unset when Go would see its zero
//! value (`Value::set_default`).

use crate::model::Quantity;
use crate::value::{Value, map};

/// Whether the spec is a Pod's own (`SetDefaults_Pod` runs) or a template's in a workload
/// (only `SetDefaults_PodSpec` and the nested defaults run: no `enableServiceLinks`, no
/// requests copied from limits).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SpecOf {
    Pod,
    Template,
}

/// `SetObjectDefaults_Pod` / the template part of `SetObjectDefaults_Deployment`.
pub fn pod_spec(spec: &mut Value, of: SpecOf) {
    spec.set_default("dnsPolicy", "ClusterFirst");
    spec.set_default("restartPolicy", "Always");
    if spec
        .get("securityContext")
        .is_none_or(|v| *v == Value::Null)
    {
        spec.set("securityContext", Value::default());
    }
    if spec
        .get("terminationGracePeriodSeconds")
        .is_none_or(|v| *v == Value::Null)
    {
        spec.set("terminationGracePeriodSeconds", 30);
    }
    spec.set_default("schedulerName", "default-scheduler");
    if of == SpecOf::Pod
        && spec
            .get("enableServiceLinks")
            .is_none_or(|v| *v == Value::Null)
    {
        spec.set("enableServiceLinks", true);
    }
    for list in ["containers", "initContainers"] {
        for c in spec.seq_mut(list) {
            container(c, of);
        }
    }
    for v in spec.seq_mut("volumes") {
        volume(v);
    }
}

/// `SetDefaults_Container` plus the nested defaults of a container.
fn container(c: &mut Value, of: SpecOf) {
    if c.get("imagePullPolicy").is_none_or(Value::is_zero) {
        let image = c.get("image").and_then(Value::as_str).unwrap_or("");
        c.set(
            "imagePullPolicy",
            crate::sim::spec::default_pull_policy(image),
        );
    }
    c.set_default("terminationMessagePath", "/dev/termination-log");
    c.set_default("terminationMessagePolicy", "File");
    // `Resources` is a struct, never omitted: `resources: {}`.
    let resources = c.map_mut("resources");
    if of == SpecOf::Pod {
        // SetDefaults_Pod: a limit without a request sets the request.
        if let Some(limits) = resources.get("limits").and_then(Value::as_map).cloned() {
            let requests = resources.map_mut("requests");
            for (k, v) in limits {
                if requests.get(&k).is_none() {
                    requests.set(&k, v);
                }
            }
        }
    }
    for list in ["limits", "requests"] {
        if let Some(Value::Map(m)) = resources.ensure_map().get_mut(list) {
            for q in m.values_mut() {
                *q = quantity(q);
            }
        }
    }
    for p in c.seq_mut("ports") {
        p.set_default("protocol", "TCP");
    }
    for e in c.seq_mut("env") {
        if let Some(Value::Map(from)) = e.ensure_map().get_mut("valueFrom")
            && let Some(f) = from.get_mut("fieldRef")
        {
            f.set_default("apiVersion", "v1");
        }
    }
    for probe_key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.ensure_map().get_mut(probe_key)
            && matches!(p, Value::Map(_))
        {
            probe(p);
        }
    }
    if let Some(Value::Map(lifecycle)) = c.ensure_map().get_mut("lifecycle") {
        for hook in lifecycle.values_mut() {
            if let Some(h) = hook.ensure_map().get_mut("httpGet") {
                http_get(h);
            }
        }
    }
}

/// `SetDefaults_Probe` and `SetDefaults_HTTPGetAction`.
fn probe(p: &mut Value) {
    p.set_default("timeoutSeconds", 1);
    p.set_default("periodSeconds", 10);
    p.set_default("successThreshold", 1);
    p.set_default("failureThreshold", 3);
    if let Some(h) = p.ensure_map().get_mut("httpGet") {
        http_get(h);
    }
}

fn http_get(h: &mut Value) {
    h.set_default("path", "/");
    h.set_default("scheme", "HTTP");
}

/// `SetDefaults_Volume` and the volume sources' `defaultMode` (0644 = 420).
fn volume(v: &mut Value) {
    let sources = v
        .as_map()
        .map_or(0, |m| m.keys().filter(|k| *k != "name").count());
    if sources == 0 {
        v.set("emptyDir", Value::default());
    }
    for (source, mode) in [
        ("secret", 420),
        ("configMap", 420),
        ("downwardAPI", 420),
        ("projected", 420),
    ] {
        if let Some(s) = v.ensure_map().get_mut(source)
            && matches!(s, Value::Map(_))
        {
            if s.get("defaultMode").is_none_or(|m| *m == Value::Null) {
                s.set("defaultMode", mode);
            }
            field_refs(s);
            for p in s.seq_mut("sources") {
                if let Some(t) = p.ensure_map().get_mut("serviceAccountToken") {
                    t.set_default("expirationSeconds", 3600);
                }
                if let Some(d) = p.ensure_map().get_mut("downwardAPI") {
                    field_refs(d);
                }
            }
        }
    }
    if let Some(h) = v.ensure_map().get_mut("hostPath")
        && h.get("type").is_none()
    {
        h.set("type", "");
    }
}

fn field_refs(downward: &mut Value) {
    for item in downward.seq_mut("items") {
        if let Some(f) = item.ensure_map().get_mut("fieldRef") {
            f.set_default("apiVersion", "v1");
        }
    }
}

/// A resource quantity as the API server stores it (`500m`, `1536Mi`); text that is not a
/// quantity stays as written (the server would have refused the object).
fn quantity(v: &Value) -> Value {
    let text = match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        other => return other.clone(),
    };
    Quantity::parse(&text).map_or_else(|_| v.clone(), |q| Value::Str(q.canonical()))
}

/// `SetDefaults_Deployment` (apps/v1): one replica, RollingUpdate 25%/25%, 10 old
/// ReplicaSets kept, a 600 s progress deadline.
pub fn deployment_spec(spec: &mut Value) {
    if spec.get("replicas").is_none_or(|v| *v == Value::Null) {
        spec.set("replicas", 1);
    }
    let strategy = spec.map_mut("strategy");
    strategy.set_default("type", "RollingUpdate");
    if strategy.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
        let rolling = strategy.map_mut("rollingUpdate");
        for k in ["maxSurge", "maxUnavailable"] {
            if rolling.get(k).is_none_or(|v| *v == Value::Null) {
                rolling.set(k, "25%");
            }
        }
    }
    for (k, v) in [
        ("revisionHistoryLimit", 10),
        ("progressDeadlineSeconds", 600),
    ] {
        if spec.get(k).is_none_or(|x| *x == Value::Null) {
            spec.set(k, v);
        }
    }
}

/// `SetDefaults_Service`: `sessionAffinity: None`, `type: ClusterIP`, ports with
/// `protocol: TCP` and `targetPort` defaulted to `port`, `internalTrafficPolicy: Cluster`;
/// externally reachable types get `externalTrafficPolicy: Cluster`, LoadBalancers
/// `allocateLoadBalancerNodePorts: true`.
pub fn service_spec(spec: &mut Value) {
    spec.set_default("sessionAffinity", "None");
    if spec.get("sessionAffinity").and_then(Value::as_str) == Some("ClientIP")
        && spec
            .at("sessionAffinityConfig.clientIP.timeoutSeconds")
            .is_none()
    {
        spec.set(
            "sessionAffinityConfig",
            map([("clientIP", map([("timeoutSeconds", 10_800.into())]))]),
        );
    }
    spec.set_default("type", "ClusterIP");
    for p in spec.seq_mut("ports") {
        p.set_default("protocol", "TCP");
        if p.get("targetPort").is_none_or(Value::is_zero) {
            let port = p.get("port").cloned().unwrap_or(Value::Int(0));
            p.set("targetPort", port);
        }
    }
    let kind = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_owned();
    if matches!(kind.as_str(), "NodePort" | "LoadBalancer") {
        spec.set_default("externalTrafficPolicy", "Cluster");
    }
    if matches!(kind.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP") {
        spec.set_default("internalTrafficPolicy", "Cluster");
    }
    if kind == "LoadBalancer" && spec.get("allocateLoadBalancerNodePorts").is_none() {
        spec.set("allocateLoadBalancerNodePorts", true);
    }
}

/// `SetDefaults_HorizontalPodAutoscaler` (autoscaling/v2): one replica at least, and 80%
/// average CPU when no metric is given. `behavior` stays unset when not written.
pub fn hpa_spec(spec: &mut Value) {
    if spec.get("minReplicas").is_none_or(|v| *v == Value::Null) {
        spec.set("minReplicas", 1);
    }
    if spec.get("metrics").is_none_or(Value::is_zero) {
        spec.set(
            "metrics",
            vec![map([
                (
                    "resource",
                    map([
                        ("name", "cpu".into()),
                        (
                            "target",
                            map([
                                ("averageUtilization", 80.into()),
                                ("type", "Utilization".into()),
                            ]),
                        ),
                    ]),
                ),
                ("type", "Resource".into()),
            ])],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        let stream = crate::yaml::parse(text, &crate::yaml::Limits::default());
        Value::from_node(stream.documents[0].root.as_ref().unwrap())
    }

    #[test]
    fn pod_spec_defaults() {
        let mut spec = value(
            "containers:
- name: web
  image: nginx
  resources: {limits: {cpu: '0.5', memory: 1.5Gi}}
  ports: [{containerPort: 80}]
  readinessProbe: {httpGet: {port: 80}}
volumes:
- name: cache
- name: cfg
  configMap: {name: app}
",
        );
        pod_spec(&mut spec, SpecOf::Pod);
        let want = value(
            "containers:
- name: web
  image: nginx
  imagePullPolicy: Always
  terminationMessagePath: /dev/termination-log
  terminationMessagePolicy: File
  resources:
    limits: {cpu: 500m, memory: 1536Mi}
    requests: {cpu: 500m, memory: 1536Mi}
  ports: [{containerPort: 80, protocol: TCP}]
  readinessProbe:
    httpGet: {port: 80, path: /, scheme: HTTP}
    timeoutSeconds: 1
    periodSeconds: 10
    successThreshold: 1
    failureThreshold: 3
volumes:
- name: cache
  emptyDir: {}
- name: cfg
  configMap: {name: app, defaultMode: 420}
dnsPolicy: ClusterFirst
restartPolicy: Always
securityContext: {}
terminationGracePeriodSeconds: 30
schedulerName: default-scheduler
enableServiceLinks: true
",
        );
        assert_eq!(spec, want);
    }

    #[test]
    fn templates_do_not_get_pod_only_defaults() {
        let mut spec =
            value("containers: [{name: a, image: 'a:1', resources: {limits: {cpu: 1}}}]");
        pod_spec(&mut spec, SpecOf::Template);
        assert!(spec.get("enableServiceLinks").is_none());
        assert_eq!(
            spec.at("containers").and_then(Value::as_seq).unwrap()[0].get("resources"),
            Some(&value("limits: {cpu: '1'}"))
        );
    }

    #[test]
    fn service_defaults() {
        let mut spec =
            value("selector: {app: web}\nports: [{port: 80}, {port: 443, targetPort: https}]");
        service_spec(&mut spec);
        assert_eq!(
            spec,
            value(
                "selector: {app: web}
ports: [{port: 80, protocol: TCP, targetPort: 80}, {port: 443, targetPort: https, protocol: TCP}]
sessionAffinity: None
type: ClusterIP
internalTrafficPolicy: Cluster
"
            )
        );
    }

    #[test]
    fn deployment_defaults() {
        let mut spec = value("selector: {matchLabels: {app: web}}");
        deployment_spec(&mut spec);
        assert_eq!(
            spec,
            value(
                "selector: {matchLabels: {app: web}}
replicas: 1
strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
revisionHistoryLimit: 10
progressDeadlineSeconds: 600
"
            )
        );
    }
}
