//! The rollout, availability and cross-object checks on a realistic application: a small shop
//! (frontend, API behind an HPA, configuration, secrets, Ingress, budgets, quota, network
//! policy, storage). The linked version produces none of these codes; a broken copy with one
//! planted mistake per check reports exactly those, at their lines.

use kubeplay_core::analyze;

/// The codes of the rollout, shutdown, availability and link checks.
const CODES: &[&str] = &[
    "max-unavailable-all",
    "max-unavailable-rounds-to-zero",
    "single-replica",
    "recreate-downtime",
    "revision-history-zero",
    "grace-shorter-than-prestop",
    "prestop-missing-behind-service",
    "pdb-missing",
    "pdb-blocks-drain",
    "hpa-min-equals-max",
    "hpa-fights-replicas",
    "hpa-target-missing",
    "hpa-missing-requests",
    "service-selects-nothing",
    "service-target-port-mismatch",
    "ingress-backend-missing",
    "missing-configmap",
    "missing-secret",
    "missing-config-key",
    "network-policy-selects-nothing",
    "quota-requires-requests",
    "pvc-unknown-storage-class",
];

const SHOP: &str = r#"apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: shop
spec:
  hard:
    requests.cpu: "8"
    requests.memory: 16Gi
    limits.memory: 32Gi
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
  namespace: shop
data:
  LOG_LEVEL: info
  CURRENCY: EUR
  nginx.conf: |
    server { listen 8080; location / { root /usr/share/nginx/html; } }
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-db
  namespace: shop
type: Opaque
stringData:
  username: shop
  password: change-me
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  namespace: shop
  labels: {app: frontend}
spec:
  replicas: 3
  selector:
    matchLabels: {app: frontend}
  template:
    metadata:
      labels: {app: frontend, tier: web}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: nginx
          image: nginx:1.27.3
          ports:
            - name: http
              containerPort: 8080
          lifecycle:
            preStop:
              sleep:
                seconds: 5
          readinessProbe:
            httpGet: {path: /, port: http}
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {memory: 128Mi}
          volumeMounts:
            - name: conf
              mountPath: /etc/nginx/conf.d
      volumes:
        - name: conf
          configMap:
            name: shop-config
            items:
              - {key: nginx.conf, path: default.conf}
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
  namespace: shop
spec:
  selector: {app: frontend}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api, tier: backend}
    spec:
      containers:
        - name: api
          image: registry.example.com/shop/api:2.4.1
          ports:
            - name: http
              containerPort: 3000
          lifecycle:
            preStop:
              sleep:
                seconds: 5
          env:
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef: {name: shop-config, key: LOG_LEVEL}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: shop-db, key: password}
          envFrom:
            - configMapRef: {name: shop-config}
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {memory: 512Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports:
    - name: http
      port: 80
      targetPort: 3000
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: frontend
  namespace: shop
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: frontend}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: api}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-from-frontend
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: api}
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels: {app: frontend}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: api
                port: {name: http}
          - path: /
            pathType: Prefix
            backend:
              service:
                name: frontend
                port: {number: 80}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast-ssd
provisioner: ebs.csi.aws.com
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast-ssd
  resources:
    requests: {storage: 10Gi}
"#;

fn mine(text: &str) -> Vec<(&'static str, u32)> {
    analyze(text)
        .diagnostics
        .iter()
        .filter(|d| CODES.contains(&d.code))
        .map(|d| (d.code, d.span.start.line))
        .collect()
}

/// Replaces exactly one occurrence, so a fixture edit cannot silently miss.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "not unique: {from}");
    text.replacen(from, to, 1)
}

#[test]
fn the_linked_shop_gets_none_of_these_codes() {
    assert_eq!(mine(SHOP), vec![]);
    // and no error of any kind
    let errors: Vec<_> = analyze(SHOP)
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == kubeplay_core::Severity::Error)
        .map(|d| (d.code, d.span.start.line, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_broken_shop_reports_each_planted_mistake_at_its_line() {
    let mut t = SHOP.to_owned();
    // Quota: the frontend forgets its memory limit.
    t = replace_once(&t, "            limits: {memory: 128Mi}\n", "");
    // Frontend: 100% unavailable, no history, a preStop as long as the grace period.
    t = replace_once(
        &t,
        "  replicas: 3\n",
        "  replicas: 3\n  revisionHistoryLimit: 0\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 100%\n",
    );
    t = replace_once(
        &t,
        "                seconds: 5\n          readinessProbe",
        "                seconds: 30\n          readinessProbe",
    );
    // The frontend Service's named targetPort is misspelt.
    t = replace_once(&t, "      targetPort: http\n", "      targetPort: htp\n");
    // The API reads a key and a Secret that do not exist, pins replicas under its HPA, and
    // its 25% maxUnavailable of 2 rounds down to 0.
    t = replace_once(&t, "key: LOG_LEVEL}", "key: LOG_LEVL}");
    t = replace_once(
        &t,
        "{name: shop-db, key: password}",
        "{name: shopdb, key: password}",
    );
    t = replace_once(
        &t,
        "spec:\n  selector:\n    matchLabels: {app: api}\n",
        "spec:\n  replicas: 2\n  strategy:\n    rollingUpdate: {maxUnavailable: 25%}\n  selector:\n    matchLabels: {app: api}\n",
    );
    // The API loses its CPU request, so the HPA's utilization cannot be computed.
    t = replace_once(
        &t,
        "requests: {cpu: 250m, memory: 256Mi}",
        "requests: {memory: 256Mi}",
    );
    // The API Service selects a typo; the NetworkPolicy too.
    t = replace_once(&t, "  selector: {app: api}\n", "  selector: {app: apii}\n");
    t = replace_once(
        &t,
        "  podSelector:\n    matchLabels: {app: api}\n",
        "  podSelector:\n    matchLabels: {app: backend}\n",
    );
    // The API's PDB selects a label its pods do not have.
    t = replace_once(
        &t,
        "    matchLabels: {app: api}\n---\napiVersion: networking",
        "    matchLabels: {app: api-server}\n---\napiVersion: networking",
    );
    // The frontend PDB blocks every drain.
    t = replace_once(&t, "  minAvailable: 2\n", "  minAvailable: 3\n");
    // The Ingress points at a port the frontend Service does not expose.
    t = replace_once(&t, "port: {number: 80}", "port: {number: 8080}");
    // The claim names a class nobody defined.
    t = replace_once(
        &t,
        "  storageClassName: fast-ssd\n",
        "  storageClassName: premium-rwo\n",
    );
    // A worker added in a hurry: one replica, Recreate, a ConfigMap that is not there, a
    // Service in front of it and no preStop hook.
    t.push_str(
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mailer\n  namespace: shop\nspec:\n  replicas: 1\n  strategy:\n    type: Recreate\n  selector:\n    matchLabels: {app: mailer}\n  template:\n    metadata:\n      labels: {app: mailer}\n    spec:\n      containers:\n        - name: mailer\n          image: registry.example.com/shop/mailer:1.0.3\n          envFrom:\n            - configMapRef: {name: mailer-config}\n          resources:\n            requests: {cpu: 50m, memory: 64Mi}\n            limits: {memory: 128Mi}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: mailer\n  namespace: shop\nspec:\n  selector: {app: mailer}\n  ports:\n    - port: 25\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: mailer\n  namespace: shop\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: mailr}\n  minReplicas: 3\n  maxReplicas: 3\n",
    );
    let got = mine(&t);
    if std::env::var_os("SHOW").is_some() {
        for d in analyze(&t)
            .diagnostics
            .iter()
            .filter(|d| CODES.contains(&d.code))
        {
            eprintln!("{} {}: {}", d.span.start.line, d.code, d.message);
        }
    }
    let expected: Vec<(&str, u32)> = vec![
        ("revision-history-zero", 46),
        ("max-unavailable-all", 49),
        ("grace-shorter-than-prestop", 66),
        ("quota-requires-requests", 69),
        ("service-target-port-mismatch", 91),
        ("hpa-fights-replicas", 99),
        ("pdb-missing", 99),
        ("max-unavailable-rounds-to-zero", 101),
        ("missing-config-key", 121),
        ("missing-secret", 124),
        // Losing its CPU request also breaks the quota, not only the HPA.
        ("quota-requires-requests", 127),
        ("service-selects-nothing", 137),
        ("hpa-missing-requests", 161),
        ("pdb-blocks-drain", 169),
        ("network-policy-selects-nothing", 189),
        ("ingress-backend-missing", 218),
        ("pvc-unknown-storage-class", 233),
        ("single-replica", 243),
        ("recreate-downtime", 245),
        ("prestop-missing-behind-service", 253),
        ("missing-configmap", 256),
        ("hpa-target-missing", 277),
        ("hpa-min-equals-max", 279),
    ];
    assert_eq!(got, expected);
    for code in CODES {
        assert!(got.iter().any(|(c, _)| c == code), "{code} not planted");
    }
    let message = |code: &str| {
        analyze(&t)
            .diagnostics
            .into_iter()
            .find(|d| d.code == code)
            .map(|d| d.message)
            .unwrap_or_default()
    };
    assert!(message("service-selects-nothing").contains("did you mean app: api"));
    assert!(message("missing-config-key").contains("did you mean \"LOG_LEVEL\""));
    assert!(message("missing-secret").contains("did you mean \"shop-db\""));
    assert!(message("hpa-target-missing").contains("did you mean \"mailer\""));
    assert!(message("service-target-port-mismatch").contains("their named ports are http"));
    assert!(message("ingress-backend-missing").contains("no port 8080 (it exposes 80)"));
}
