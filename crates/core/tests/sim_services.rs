//! Services and Ingress routing, NetworkPolicy, RBAC `can-i`, ResourceQuota admission and
//! ConfigMap semantics in the simulator, with cases from the Kubernetes docs' own examples
//! (each test names the page it follows).

use kubeplay_core::sim::{Sim, parse_scenario, run_scenario};

/// Runs an inline scenario: `manifest` applied at 0 s, then `steps` (YAML list items).
fn run(manifest: &str, steps: &str, until: &str) -> Sim {
    let indented: String = manifest.lines().map(|l| format!("      {l}\n")).collect();
    let text = format!("steps:\n  - at: 0s\n    apply: |\n{indented}{steps}until: {until}\n");
    let scenario = parse_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    run_scenario(&scenario, &|p| Err(format!("no file {p}")))
}

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
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
            - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
---
apiVersion: v1
kind: Service
metadata:
  name: empty
spec:
  selector: {app: nothing}
  ports:
    - {port: 80}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {name: http}}}
          - path: /empty
            pathType: Exact
            backend: {service: {name: empty, port: {number: 80}}}
    - host: \"*.example.com\"
      http:
        paths:
          - path: /wild
            pathType: Prefix
            backend: {service: {name: empty, port: {number: 80}}}
";

#[test]
fn requests_route_through_ingress_service_and_ready_endpoints_round_robin() {
    let steps = "  - at: 1s\n    request: {host: shop.example.com, path: /}\n\
                 \x20 - at: 30s\n    request: {host: shop.example.com, path: /a}\n\
                 \x20 - at: 31s\n    request: {host: shop.example.com, path: /b}\n\
                 \x20 - at: 32s\n    request: {host: shop.example.com, path: /c}\n\
                 \x20 - at: 33s\n    request: {host: shop.example.com, path: /d}\n\
                 \x20 - at: 34s\n    request: {host: shop.example.com, path: /empty}\n\
                 \x20 - at: 35s\n    request: {host: shop.example.com, path: /empty/x}\n\
                 \x20 - at: 36s\n    request: {host: a.example.com, path: /wild}\n\
                 \x20 - at: 37s\n    request: {host: a.b.example.com, path: /wild}\n\
                 \x20 - at: 38s\n    request: {path: /}\n";
    let sim = run(WEB, steps, "60s");
    let r = &sim.timeline.requests;
    assert_eq!(r.len(), 10);
    // Before any pod is ready: the Service has no ready endpoints.
    assert_eq!(r[0].status, 503, "{:?}", r[0]);
    assert!(
        r[0].reason.contains("no ready endpoints"),
        "{}",
        r[0].reason
    );
    // Three ready pods, four requests: round-robin over the sorted endpoints.
    let pods: Vec<&str> = r[1..5].iter().map(|x| x.pod.as_deref().unwrap()).collect();
    assert!(r[1..5].iter().all(|x| x.status == 200));
    assert_eq!(pods[0], pods[3]);
    assert!(pods[0] != pods[1] && pods[1] != pods[2] && pods[0] != pods[2]);
    assert_eq!(r[1].service.as_deref(), Some("web"));
    assert_eq!(r[1].ingress.as_deref(), Some("site"));
    // The named targetPort resolved to the container port.
    assert!(r[1].reason.contains(":8080"), "{}", r[1].reason);
    // Exact /empty wins over Prefix / (longer), and its Service has no endpoints.
    assert_eq!((r[5].status, r[5].service.as_deref()), (503, Some("empty")));
    // /empty/x is not Exact /empty: Prefix / takes it.
    assert_eq!((r[6].status, r[6].service.as_deref()), (200, Some("web")));
    // The wildcard matches one label only; a.b.example.com has no rule: default backend.
    assert_eq!(r[7].service.as_deref(), Some("empty"));
    assert_eq!((r[8].status, r[8].service.as_deref()), (200, Some("web")));
    assert!(r[8].reason.contains("defaultBackend"), "{}", r[8].reason);
    // No host: only host-less rules; none here, so the default backend.
    assert_eq!(r[9].status, 200);
}

#[test]
fn no_rule_and_no_default_backend_is_404_and_route_is_pure() {
    let manifest = WEB.replace(
        "  defaultBackend:\n    service: {name: web, port: {number: 80}}\n",
        "",
    );
    let sim = run(&manifest, "", "30s");
    let a = sim.route(Some("unknown.test"), "/");
    assert_eq!(a.status, 404);
    assert_eq!(a.ingress, None);
    // `route` does not move the round-robin: asking twice gives the same pod.
    let b = sim.route(Some("shop.example.com"), "/x");
    let c = sim.route(Some("shop.example.com"), "/x");
    assert_eq!(b.status, 200);
    assert_eq!(b.pod, c.pod);
    // The Host header's port is ignored, and hosts compare case-insensitively.
    assert_eq!(sim.route(Some("SHOP.example.com:80"), "/x").status, 200);
}

/// The docs' example policy (`content/en/docs/concepts/services-networking/network-policies.md`,
/// "The NetworkPolicy resource": `test-network-policy`) with pods around it.
const NETPOL: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: myproject
  labels: {project: myproject}
---
apiVersion: v1
kind: Namespace
metadata:
  name: plain
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        - ipBlock:
            cidr: 172.17.0.0/16
            except:
              - 172.17.1.0/24
        - namespaceSelector:
            matchLabels:
              project: myproject
        - podSelector:
            matchLabels:
              role: frontend
      ports:
        - protocol: TCP
          port: 6379
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/24
      ports:
        - protocol: TCP
          port: 5978
";

fn pod(namespace: &str, name: &str, labels: &str, port: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {namespace}\n  labels: {labels}\nspec:\n  containers:\n    - name: c\n      image: example/app:1.0.0\n      ports:\n        - {port}\n"
    )
}

#[test]
fn network_policy_docs_example() {
    let manifest = [
        NETPOL.to_owned(),
        pod(
            "default",
            "db",
            "{role: db}",
            "{name: redis, containerPort: 6379}",
        ),
        pod(
            "default",
            "frontend",
            "{role: frontend}",
            "{containerPort: 80}",
        ),
        pod(
            "default",
            "backend",
            "{role: backend}",
            "{containerPort: 80}",
        ),
        pod(
            "myproject",
            "client",
            "{app: client}",
            "{containerPort: 80}",
        ),
        pod("plain", "client", "{app: client}", "{containerPort: 80}"),
    ]
    .concat();
    let sim = run(&manifest, "", "20s");
    let may = |a: &str, b: &str, port: i64| sim.may_reach(a, b, port, "TCP");
    assert!(
        may("frontend", "db", 6379).allowed,
        "{:?}",
        may("frontend", "db", 6379)
    );
    assert!(!may("frontend", "db", 5432).allowed);
    assert!(!may("frontend", "db", 6379).reason.is_empty());
    let denied = may("backend", "db", 6379);
    assert!(!denied.allowed);
    assert!(
        denied
            .reason
            .contains("isolated for ingress by networkpolicy/test-network-policy"),
        "{}",
        denied.reason
    );
    assert!(may("myproject/client", "default/db", 6379).allowed);
    assert!(!may("plain/client", "default/db", 6379).allowed);
    // db is isolated for egress: only 10.0.0.0/24:5978, and pod IPs are 10.244.x.y.
    let out = may("db", "frontend", 80);
    assert!(!out.allowed);
    assert!(out.reason.contains("isolated for egress"), "{}", out.reason);
    // No policy selects frontend or backend: all traffic between them is allowed.
    assert!(may("frontend", "backend", 80).allowed);
    assert!(may("plain/client", "default/backend", 80).allowed);
    // The matrix agrees, pod by pod.
    let m = sim.reachability_matrix(None);
    let idx = |n: &str| m.pods.iter().position(|p| p == n).unwrap();
    assert!(m.allowed[idx("default/frontend")][idx("default/db")]);
    assert!(!m.allowed[idx("default/backend")][idx("default/db")]);
    assert!(!m.allowed[idx("default/db")][idx("default/frontend")]);
    assert!(m.allowed[idx("myproject/client")][idx("default/db")]);
}

#[test]
fn network_policy_defaults_and_peer_semantics() {
    // From the docs' "Default policies" and "Behavior of to and from selectors".
    let policies = "apiVersion: v1
kind: Namespace
metadata:
  name: alice
  labels: {user: alice}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: and-not-or
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: {user: alice}
          podSelector:
            matchLabels: {role: client}
      ports:
        - port: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress-only-rules
spec:
  podSelector:
    matchLabels: {app: worker}
  egress:
    - ports:
        - {port: 32000, endPort: 32768}
";
    let manifest = [
        policies.to_owned(),
        pod(
            "default",
            "api",
            "{app: api}",
            "{name: http, containerPort: 8080}",
        ),
        pod("default", "web", "{app: web}", "{containerPort: 80}"),
        pod(
            "default",
            "worker",
            "{app: worker}",
            "{containerPort: 9000}",
        ),
        pod("alice", "client", "{role: client}", "{containerPort: 80}"),
        pod("alice", "other", "{role: other}", "{containerPort: 80}"),
        pod("default", "client", "{role: client}", "{containerPort: 80}"),
    ]
    .concat();
    let sim = run(&manifest, "", "20s");
    let may = |a: &str, b: &str, port: i64| sim.may_reach(a, b, port, "TCP").allowed;
    // Default deny ingress: web accepts nothing, but may still send (egress unisolated).
    assert!(!may("api", "web", 80));
    // namespaceSelector AND podSelector in one peer; the named port resolves to 8080.
    assert!(may("alice/client", "default/api", 8080));
    assert!(!may("alice/client", "default/api", 9090));
    assert!(!may("alice/other", "default/api", 8080));
    assert!(!may("default/client", "default/api", 8080));
    // No policyTypes + egress rules → [Ingress, Egress]: the worker is isolated both ways;
    // it may send to ports 32000-32768 only.
    assert!(!may("worker", "api", 8080));
    assert!(!may("worker", "web", 80));
    // UDP is not TCP.
    assert!(
        !sim.may_reach("alice/client", "default/api", 8080, "UDP")
            .allowed
    );
}

/// From "Using RBAC Authorization" (`content/en/docs/reference/access-authn-authz/rbac.md`):
/// the Role and ClusterRole examples and their bindings.
const RBAC: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default
  name: pod-reader
rules:
  - apiGroups: [\"\"]
    resources: [\"pods\"]
    verbs: [\"get\", \"watch\", \"list\"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
  - kind: User
    name: jane
    apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: secret-reader
rules:
  - apiGroups: [\"\"]
    resources: [\"secrets\"]
    verbs: [\"get\", \"watch\", \"list\"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-secrets
  namespace: development
subjects:
  - kind: User
    name: dave
    apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: secret-reader
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: read-secrets-global
subjects:
  - kind: Group
    name: manager
    apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: secret-reader
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default
  name: configmap-updater
rules:
  - apiGroups: [\"\"]
    resources: [\"configmaps\"]
    resourceNames: [\"my-configmap\"]
    verbs: [\"update\", \"get\"]
  - apiGroups: [\"\"]
    resources: [\"pods\", \"pods/log\"]
    verbs: [\"get\", \"list\"]
  - apiGroups: [\"apps\"]
    resources: [\"deployments\"]
    verbs: [\"*\"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-updater
  namespace: default
subjects:
  - kind: ServiceAccount
    name: app
    namespace: default
roleRef:
  kind: Role
  name: configmap-updater
  apiGroup: rbac.authorization.k8s.io
";

#[test]
fn rbac_can_i_follows_roles_and_bindings() {
    let sim = run(RBAC, "", "1s");
    let yes = |who: &str, verb: &str, res: &str, ns: &str| sim.can_i(who, verb, res, ns).allowed;
    // Role + RoleBinding: jane reads pods in default only, and cannot delete them.
    assert!(yes("jane", "get", "pods", "default"));
    assert!(yes("jane", "list", "pods", "default"));
    assert!(!yes("jane", "delete", "pods", "default"));
    assert!(!yes("jane", "get", "pods", "kube-system"));
    assert!(!yes("jane", "get", "deployments", "default"));
    let why = sim.can_i("jane", "get", "pods", "default");
    assert_eq!(
        why.reason,
        "RBAC: allowed by RoleBinding \"read-pods/default\" of Role \"pod-reader\" to User \"jane\""
    );
    let no = sim.can_i("jane", "delete", "pods", "default");
    assert!(
        no.reason.starts_with(
            "User \"jane\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\""
        ),
        "{}",
        no.reason
    );
    // A RoleBinding to a ClusterRole grants it in the binding's namespace only.
    assert!(yes("dave", "get", "secrets", "development"));
    assert!(!yes("dave", "get", "secrets", "default"));
    // A ClusterRoleBinding to a group: everywhere, for members only.
    assert!(
        sim.can_i_as("ann", &["manager"], "list", "secrets", "prod")
            .allowed
    );
    assert!(
        sim.can_i_as("ann", &["manager"], "list", "secrets", "")
            .allowed
    );
    assert!(!yes("ann", "list", "secrets", "prod"));
    // resourceNames: only the named object, and never a list.
    let sa = "system:serviceaccount:default:app";
    assert!(yes(sa, "update", "configmaps/my-configmap", "default"));
    assert!(!yes(sa, "update", "configmaps/other", "default"));
    assert!(!yes(sa, "list", "configmaps", "default"));
    // Subresources are named separately.
    assert!(yes(sa, "get", "pods:log", "default"));
    assert!(!yes(sa, "get", "pods:exec", "default"));
    // Groups: `deployments` is apps/deployments; `*` verbs.
    assert!(yes(sa, "patch", "deployments", "default"));
    assert!(yes(sa, "delete", "deployments.apps", "default"));
    assert!(!yes(sa, "delete", "deployments.extensions", "default"));
    // Shorthands for the ServiceAccount.
    assert!(yes("default/app", "get", "pods", "default"));
    assert!(yes("serviceaccount/app", "get", "pods", "default"));
    assert!(!yes(
        "system:serviceaccount:other:app",
        "get",
        "pods",
        "default"
    ));
    // The bootstrap cluster-admin binding to system:masters.
    assert!(
        sim.can_i_as("root", &["system:masters"], "delete", "nodes", "")
            .allowed
    );
}

const QUOTA_APP: &str = "apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
spec:
  hard:
    requests.cpu: \"2\"
    requests.memory: 2Gi
    pods: \"10\"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: 600m, memory: 128Mi}
";

#[test]
fn quota_refuses_the_pod_that_would_exceed_it() {
    let sim = run(QUOTA_APP, "", "30s");
    let tl = &sim.timeline;
    let created = tl
        .events
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate")
        .count();
    assert_eq!(created, 3);
    let failed: Vec<_> = tl
        .events
        .iter()
        .filter(|e| e.reason == "FailedCreate")
        .collect();
    assert_eq!(failed.len(), 1, "reported once, not on every retry");
    assert_eq!(failed[0].kind, "Warning");
    assert!(failed[0].object.starts_with("replicaset/web-"));
    let m = &failed[0].message;
    assert!(m.starts_with("Error creating: pods \"web-"), "{m}");
    assert!(
        m.ends_with(
            "\" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=1800m, limited: requests.cpu=2"
        ),
        "{m}"
    );
    assert_eq!(tl.timeline.last().unwrap().pods.len(), 3);
}

#[test]
fn quota_lists_every_exceeded_resource_sorted() {
    let m = QUOTA_APP.replace("pods: \"10\"", "pods: \"3\"");
    let sim = run(&m, "", "30s");
    let failed = sim
        .timeline
        .events
        .iter()
        .find(|e| e.reason == "FailedCreate")
        .unwrap();
    assert!(
        failed.message.ends_with(
            "exceeded quota: compute, requested: pods=1,requests.cpu=600m, used: pods=3,requests.cpu=1800m, limited: pods=3,requests.cpu=2"
        ),
        "{}",
        failed.message
    );
}

#[test]
fn quota_requires_requests_of_every_container() {
    let m = QUOTA_APP.replace(
        "          resources:\n            requests: {cpu: 600m, memory: 128Mi}\n",
        "",
    );
    let sim = run(&m, "", "30s");
    let failed = sim
        .timeline
        .events
        .iter()
        .find(|e| e.reason == "FailedCreate")
        .unwrap();
    assert!(
        failed.message.ends_with(
            "\" is forbidden: failed quota: compute: must specify requests.cpu for: web; requests.memory for: web"
        ),
        "{}",
        failed.message
    );
    assert!(sim.timeline.timeline.iter().all(|s| s.pods.is_empty()));
}

const CONFIGURED: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  GREETING: hello
  theme: light
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 1
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
        - name: app
          image: example/app:1.0.0
          env:
            - name: GREETING
              valueFrom:
                configMapKeyRef: {name: app-config, key: GREETING}
          volumeMounts:
            - {name: config, mountPath: /etc/app}
      volumes:
        - name: config
          configMap: {name: app-config}
";

fn seen(sim: &Sim, source: &str, key: &str) -> Option<String> {
    let pod = sim.pods.values().find(|p| !p.terminating())?;
    sim.config_seen(&format!("default/{}", pod.name), "app-config")
        .into_iter()
        .find(|v| v.source == source && v.key == key)
        .map(|v| v.value)
}

#[test]
fn configmap_edit_reaches_files_after_the_sync_delay_and_env_after_a_restart() {
    let steps = "  - at: 30s\n    editConfigMap: {name: app-config, data: {GREETING: bonjour}}\n";
    // Before the edit.
    let sim = run(CONFIGURED, steps, "20s");
    assert_eq!(seen(&sim, "env", "GREETING").as_deref(), Some("hello"));
    assert_eq!(seen(&sim, "file", "GREETING").as_deref(), Some("hello"));
    // 59 s after the edit: the kubelet has not synced the volume yet.
    let sim = run(CONFIGURED, steps, "89s");
    assert_eq!(seen(&sim, "file", "GREETING").as_deref(), Some("hello"));
    // 60 s after: the file shows the new value; the environment never changes.
    let sim = run(CONFIGURED, steps, "90s");
    assert_eq!(seen(&sim, "file", "GREETING").as_deref(), Some("bonjour"));
    assert_eq!(seen(&sim, "env", "GREETING").as_deref(), Some("hello"));
    assert_eq!(seen(&sim, "file", "theme").as_deref(), Some("light"));
    // A rollout restart makes new pods: they read the new value into their environment.
    let restart = format!("{steps}  - at: 100s\n    rolloutRestart: app\n");
    let sim = run(CONFIGURED, &restart, "200s");
    assert_eq!(seen(&sim, "env", "GREETING").as_deref(), Some("bonjour"));
}

#[test]
fn missing_configmap_blocks_env_and_volume_users_until_it_exists() {
    let deployment = CONFIGURED.split("---\n").nth(1).unwrap();
    let env_only = deployment.replace(
        "          volumeMounts:\n            - {name: config, mountPath: /etc/app}\n      volumes:\n        - name: config\n          configMap: {name: app-config}\n",
        "",
    );
    let sim = run(&env_only, "", "60s");
    let last = sim.timeline.timeline.last().unwrap();
    assert_eq!(
        last.pods[0].reason.as_deref(),
        Some("CreateContainerConfigError")
    );
    let failed: Vec<_> = sim
        .timeline
        .events
        .iter()
        .filter(|e| e.reason == "Failed")
        .collect();
    assert_eq!(
        failed[0].message,
        "Error: configmap \"app-config\" not found"
    );
    assert_eq!(failed[0].kind, "Warning");

    // A volume of a missing ConfigMap: ContainerCreating with FailedMount, then, once the
    // ConfigMap is applied, the pod starts.
    let cm = CONFIGURED.split("---\n").next().unwrap();
    let later = format!(
        "  - at: 40s\n    apply: |\n{}",
        cm.lines()
            .map(|l| format!("      {l}\n"))
            .collect::<String>()
    );
    let sim = run(deployment, &later, "80s");
    let at = |t: f64| sim.timeline.at(t).unwrap().pods[0].clone();
    assert_eq!(at(30.0).reason.as_deref(), Some("ContainerCreating"));
    let mount: Vec<_> = sim
        .timeline
        .events
        .iter()
        .filter(|e| e.reason == "FailedMount")
        .collect();
    assert_eq!(mount.len(), 1);
    assert_eq!(
        mount[0].message,
        "MountVolume.SetUp failed for volume \"config\" : configmap \"app-config\" not found"
    );
    let started = sim
        .timeline
        .events
        .iter()
        .find(|e| e.reason == "Started")
        .unwrap();
    // Mounted at 40 s, then the image pull (2 s by default), then the start.
    assert_eq!(started.t, 42.0);
    assert!(
        sim.timeline
            .events
            .iter()
            .all(|e| e.reason != "Pulling" || e.t >= 40.0)
    );
    assert!(at(79.0).ready);
}

#[test]
fn secrets_are_decoded_and_optional_refs_do_not_block() {
    let manifest = "apiVersion: v1
kind: Secret
metadata:
  name: db
data:
  password: cGFzc3dvcmQ=
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1.0.0
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: password}
        - name: OPTIONAL
          valueFrom:
            configMapKeyRef: {name: nowhere, key: x, optional: true}
      envFrom:
        - secretRef: {name: db}
          prefix: DB_
";
    let sim = run(manifest, "", "20s");
    let seen = sim.config_seen("app", "db");
    assert!(
        seen.iter()
            .any(|v| v.at == "DB_PASSWORD" && v.value == "password" && v.source == "env")
    );
    assert!(seen.iter().any(|v| v.at == "DB_password"));
    assert!(sim.timeline.timeline.last().unwrap().pods[0].ready);
}

#[test]
fn quota_refuses_a_bare_pod_as_kubectl_apply_reports_it() {
    let manifest = format!(
        "{}{}",
        QUOTA_APP.split("---\n").next().unwrap(),
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\nspec:\n  containers:\n    - name: c\n      image: example/app:1.0.0\n"
    );
    let sim = run(&manifest, "", "10s");
    assert_eq!(
        sim.timeline.warnings,
        vec![
            "Error from server (Forbidden): pods \"lone\" is forbidden: failed quota: compute: must specify requests.cpu for: c; requests.memory for: c"
                .to_owned()
        ]
    );
    assert!(sim.pods.is_empty());
}

#[test]
fn a_default_deny_policy_blocks_the_ingress_controller_until_allowed() {
    let deny = "---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes: [Ingress]
";
    let allow = "---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-ingress-controller
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - port: http
";
    let sim = run(&format!("{WEB}{deny}"), "", "30s");
    let r = sim.route(Some("shop.example.com"), "/");
    assert_eq!(r.status, 504, "{r:?}");
    assert!(
        r.reason
            .contains("isolated for ingress by networkpolicy/default-deny-ingress"),
        "{}",
        r.reason
    );
    let sim = run(&format!("{WEB}{deny}{allow}"), "", "30s");
    let r = sim.route(Some("shop.example.com"), "/");
    assert_eq!(r.status, 200, "{r:?}");
    // The named policy port resolves to the pod's `http` container port (8080).
    let wrong_port = allow.replace("port: http", "port: 9090");
    let sim = run(&format!("{WEB}{deny}{wrong_port}"), "", "30s");
    assert_eq!(sim.route(Some("shop.example.com"), "/").status, 504);
}

#[test]
fn object_count_quota_refuses_one_object_too_many() {
    let manifest = "apiVersion: v1
kind: ResourceQuota
metadata:
  name: objects
spec:
  hard:
    configmaps: \"1\"
    count/deployments.apps: \"1\"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: one
data: {a: b}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: two
data: {a: b}
";
    let sim = run(
        manifest,
        "  - at: 5s\n    apply: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: one\n      data: {a: c}\n",
        "10s",
    );
    assert_eq!(
        sim.timeline.warnings,
        vec![
            "Error from server (Forbidden): configmaps \"two\" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1"
                .to_owned()
        ]
    );
    // Updating the existing ConfigMap is not a create: admitted.
    assert_eq!(sim.objects.config_maps.len(), 1);
    assert_eq!(
        sim.objects.config_maps[&("default".to_owned(), "one".to_owned())]
            .current()
            .unwrap()["a"],
        "c"
    );
}
